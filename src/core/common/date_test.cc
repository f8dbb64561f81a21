#include "core/common/date.h"

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace waarborg {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Date Ymd(int y, unsigned m, unsigned d) {
  return Date{year{y}, month{m}, day{d}};
}

// Milliseconds since the epoch of a UTC wall-clock time.
Instant Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::ToUnixMillis(absl::FromCivil(
      absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone()));
}

TEST(DateInAmsterdam, WinterMidnightIsOneHourAheadOfUtc) {
  EXPECT_EQ(DateInAmsterdam(Utc(2026, 1, 14, 22, 59)), Ymd(2026, 1, 14));
  EXPECT_EQ(DateInAmsterdam(Utc(2026, 1, 14, 23, 0)), Ymd(2026, 1, 15));
}

TEST(DateInAmsterdam, SummerMidnightIsTwoHoursAheadOfUtc) {
  EXPECT_EQ(DateInAmsterdam(Utc(2026, 7, 14, 21, 59)), Ymd(2026, 7, 14));
  EXPECT_EQ(DateInAmsterdam(Utc(2026, 7, 14, 22, 0)), Ymd(2026, 7, 15));
}

TEST(DateInAmsterdam, NewYearStartsAtElevenPmUtc) {
  EXPECT_EQ(DateInAmsterdam(Utc(2025, 12, 31, 23, 0)), Ymd(2026, 1, 1));
}

TEST(FormatInstantNl, SpringForwardSkipsTwoOClock) {
  // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST at 01:00 UTC.
  EXPECT_EQ(FormatInstantNl(Utc(2026, 3, 29, 0, 59)), "29-03-2026 01:59");
  EXPECT_EQ(FormatInstantNl(Utc(2026, 3, 29, 1, 0)), "29-03-2026 03:00");
}

TEST(FormatInstantNl, FallBackRepeatsTwoOClock) {
  // 2026-10-25: clocks go from 03:00 CEST back to 02:00 CET at 01:00 UTC.
  EXPECT_EQ(FormatInstantNl(Utc(2026, 10, 25, 0, 30)), "25-10-2026 02:30");
  EXPECT_EQ(FormatInstantNl(Utc(2026, 10, 25, 1, 30)), "25-10-2026 02:30");
  EXPECT_EQ(FormatInstantNl(Utc(2026, 10, 25, 2, 0)), "25-10-2026 03:00");
}

TEST(FormatInstantNl, IgnoresMilliseconds) {
  EXPECT_EQ(FormatInstantNl(Utc(2026, 11, 23, 12, 8) + 999),
            "23-11-2026 13:08");
}

TEST(FormatInstantIso, IsUtcWithZSuffix) {
  EXPECT_EQ(FormatInstantIso(Utc(2026, 11, 23, 13, 8, 12) + 500),
            "2026-11-23T13:08:12Z");
  EXPECT_EQ(FormatInstantIso(0), "1970-01-01T00:00:00Z");
}

TEST(FormatDate, DutchIsDayMonthYearWithLeadingZeros) {
  EXPECT_EQ(FormatDateNl(Ymd(2026, 3, 5)), "05-03-2026");
}

TEST(FormatDate, IsoIsYearMonthDay) {
  EXPECT_EQ(FormatDateIso(Ymd(2026, 3, 5)), "2026-03-05");
}

TEST(ParseDate, AcceptsIso) {
  EXPECT_EQ(ParseDate("2026-02-28"), Ymd(2026, 2, 28));
}

TEST(ParseDate, AcceptsDutch) {
  EXPECT_EQ(ParseDate("28-02-2026"), Ymd(2026, 2, 28));
}

TEST(ParseDate, AcceptsLeapDayOnlyInLeapYears) {
  EXPECT_EQ(ParseDate("29-02-2028"), Ymd(2028, 2, 29));
  EXPECT_EQ(ParseDate("2000-02-29"), Ymd(2000, 2, 29));
  EXPECT_FALSE(ParseDate("29-02-2026").has_value());
  EXPECT_FALSE(ParseDate("1900-02-29").has_value());
}

TEST(ParseDate, RejectsImpossibleDates) {
  EXPECT_FALSE(ParseDate("31-02-2026").has_value());
  EXPECT_FALSE(ParseDate("2026-02-31").has_value());
  EXPECT_FALSE(ParseDate("31-04-2026").has_value());
  EXPECT_FALSE(ParseDate("00-01-2026").has_value());
  EXPECT_FALSE(ParseDate("01-13-2026").has_value());
  EXPECT_FALSE(ParseDate("2026-00-10").has_value());
  EXPECT_FALSE(ParseDate("0000-01-01").has_value());
}

TEST(ParseDate, RejectsGarbage) {
  for (const char* s :
       {"", "garbage", "2026-1-5", "5-1-2026", "2026/01/05", "05.01.2026",
        " 2026-01-05", "2026-01-05 ", "2026-01-0x", "+026-01-05", "2026-01--5",
        "-1-01-2026", "20260105", "2026-01-05T00:00:00Z", "26-01-05"}) {
    EXPECT_FALSE(ParseDate(s).has_value()) << s;
  }
}

TEST(ParseDate, RoundTripsThroughBothFormats) {
  Date d = Ymd(2027, 12, 31);
  EXPECT_EQ(ParseDate(FormatDateIso(d)), d);
  EXPECT_EQ(ParseDate(FormatDateNl(d)), d);
}

TEST(EuRuleFallback, MatchesTzdataAroundTransitions) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone("Europe/Amsterdam", &tz)) GTEST_SKIP() << "no tzdata";
  for (int y = 1997; y <= 2037; ++y) {
    for (int mo : {3, 10}) {
      for (int d = 24; d <= 31; ++d) {
        for (int h : {0, 1, 2}) {
          for (int mi : {0, 59}) {
            absl::Time t = absl::FromCivil(
                absl::CivilSecond(y, mo, d, h, mi, 0), absl::UTCTimeZone());
            Instant ms = absl::ToUnixMillis(t);
            EXPECT_EQ(date_internal::EuRuleUtcOffsetSeconds(ms),
                      tz.At(t).offset)
                << absl::FormatTime(t);
            EXPECT_EQ(date_internal::EuRuleUtcOffsetSeconds(ms - 1),
                      tz.At(t - absl::Milliseconds(1)).offset);
          }
        }
      }
    }
  }
}

TEST(EuRuleFallback, WinterIsCetAndSummerIsCest) {
  EXPECT_EQ(date_internal::EuRuleUtcOffsetSeconds(Utc(2026, 1, 1, 12, 0)),
            3600);
  EXPECT_EQ(date_internal::EuRuleUtcOffsetSeconds(Utc(2026, 7, 1, 12, 0)),
            7200);
}

}  // namespace
}  // namespace waarborg
