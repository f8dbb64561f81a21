// Summer time in the rules (issue 6 §4): Amsterdam's offset computed for the
// hot path agrees with the time zone database.
#include "monitor/local_time.h"

#include <gtest/gtest.h>

#include <random>

#include "absl/time/time.h"

namespace waarborg::monitor {
namespace {

std::int32_t FromTzdata(const absl::TimeZone& tz, std::int64_t t) { return tz.At(absl::FromUnixSeconds(t)).offset; }

TEST(AmsterdamTime, SummerTimeFollowsTheTimeZoneDatabase) {
  absl::TimeZone tz;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Amsterdam", &tz)) << "tzdata is needed";
  // Around every transition of 1997-2040, to the second.
  for (int y = 1997; y <= 2040; ++y)
    for (int month : {3, 10}) {
      const absl::Time start = absl::FromCivil(absl::CivilDay(y, month, 20), absl::UTCTimeZone());
      for (std::int64_t t = absl::ToUnixSeconds(start); t < absl::ToUnixSeconds(start) + 12 * 86400; t += 1800) {
        EXPECT_EQ(AmsterdamUtcOffset(t), FromTzdata(tz, t)) << t;
        EXPECT_EQ(AmsterdamUtcOffset(t + 1799), FromTzdata(tz, t + 1799)) << t + 1799;
      }
    }
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100000; ++i) {
    const std::int64_t t = 852076800 + static_cast<std::int64_t>(rng() % (44ull * 365 * 86400));  // 1997-2040
    ASSERT_EQ(AmsterdamUtcOffset(t), FromTzdata(tz, t)) << t;
  }
}

TEST(AmsterdamTime, ALookUpAtHalfPastMidnightInSummerCountsOnTheLocalDay) {
  // 2026-07-01 22:30 UTC is 2 July 00:30 in Amsterdam.
  const std::int64_t t = 1782945000;
  const std::int64_t utc_day = t / 86400;
  EXPECT_EQ(AmsterdamDay(t), utc_day + 1);
  EXPECT_EQ(AmsterdamMidnight(AmsterdamDay(t)), t - 30 * 60);
  // In winter the same clock time is an hour later in UTC.
  const std::int64_t winter = 1767222000 + 1800;  // 2026-01-01 00:30 Amsterdam = 2025-12-31 23:30 UTC
  EXPECT_EQ(AmsterdamMidnight(AmsterdamDay(winter)), winter - 1800);
}

}  // namespace
}  // namespace waarborg::monitor
