#include "core/common/date.h"

#include <cctype>
#include <cstdint>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fmt/format.h"

namespace waarborg {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

// Loaded once; `ok` is false when the system has no tzdata for Amsterdam.
struct AmsterdamZone {
  bool ok = false;
  absl::TimeZone tz;
};

const AmsterdamZone& Amsterdam() {
  static const AmsterdamZone* const zone = [] {
    auto* z = new AmsterdamZone;
    z->ok = absl::LoadTimeZone("Europe/Amsterdam", &z->tz);
    return z;
  }();
  return *zone;
}

// The zone to use for `t`: the real one, or a fixed offset by the EU rule.
absl::TimeZone ZoneAt(absl::Time t) {
  const AmsterdamZone& zone = Amsterdam();
  if (zone.ok) return zone.tz;
  return absl::FixedTimeZone(
      date_internal::EuRuleUtcOffsetSeconds(absl::ToUnixMillis(t)));
}

// The last Sunday of `m` in `y`, at 01:00 UTC.
absl::Time LastSundayOneUtc(std::int64_t y, int m) {
  absl::CivilDay last = absl::CivilDay(absl::CivilMonth(y, m) + 1) - 1;
  int back = (static_cast<int>(absl::GetWeekday(last)) -
              static_cast<int>(absl::Weekday::sunday) + 7) %
             7;
  return absl::FromCivil(absl::CivilHour(last - back) + 1, absl::UTCTimeZone());
}

// Parses exactly `n` ASCII digits at s[pos..pos+n); -1 when any is not a digit.
int Digits(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

namespace date_internal {

int EuRuleUtcOffsetSeconds(Instant t) {
  constexpr int kCet = 3600;
  constexpr int kCest = 7200;
  absl::Time when = absl::FromUnixMillis(t);
  std::int64_t y = absl::ToCivilYear(when, absl::UTCTimeZone()).year();
  bool summer =
      when >= LastSundayOneUtc(y, 3) && when < LastSundayOneUtc(y, 10);
  return summer ? kCest : kCet;
}

}  // namespace date_internal

Date DateInAmsterdam(Instant t) {
  absl::Time when = absl::FromUnixMillis(t);
  absl::CivilDay d = absl::ToCivilDay(when, ZoneAt(when));
  return Date{year{static_cast<int>(d.year())},
              month{static_cast<unsigned>(d.month())},
              day{static_cast<unsigned>(d.day())}};
}

std::string FormatDateNl(Date d) {
  return fmt::format("{:02}-{:02}-{:04}", static_cast<unsigned>(d.day()),
                     static_cast<unsigned>(d.month()),
                     static_cast<int>(d.year()));
}

std::string FormatInstantNl(Instant t) {
  absl::Time when = absl::FromUnixMillis(t);
  return absl::FormatTime("%d-%m-%Y %H:%M", when, ZoneAt(when));
}

std::string FormatDateIso(Date d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()),
                     static_cast<unsigned>(d.day()));
}

std::optional<Date> ParseDate(std::string_view s) {
  if (s.size() != 10) return std::nullopt;
  int y, m, d;
  if (s[4] == '-' && s[7] == '-') {  // yyyy-mm-dd
    y = Digits(s, 0, 4);
    m = Digits(s, 5, 2);
    d = Digits(s, 8, 2);
  } else if (s[2] == '-' && s[5] == '-') {  // dd-mm-jjjj
    d = Digits(s, 0, 2);
    m = Digits(s, 3, 2);
    y = Digits(s, 6, 4);
  } else {
    return std::nullopt;
  }
  if (y < 1 || m < 1 || d < 1) return std::nullopt;
  Date date{year{y}, month{static_cast<unsigned>(m)},
            day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string FormatInstantIso(Instant t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixMillis(t),
                          absl::UTCTimeZone());
}

}  // namespace waarborg
