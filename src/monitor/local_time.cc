#include "monitor/local_time.h"

#include <chrono>

namespace waarborg::monitor {

namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

// 01:00 UTC on the last Sunday of `month` in `y`, in epoch seconds.
std::int64_t LastSundayAt1Utc(int y, unsigned month) {
  const sys_days last = sys_days{std::chrono::year{y} / std::chrono::month{month} / std::chrono::last};
  const std::chrono::weekday wd{last};
  const sys_days sunday = last - (wd - std::chrono::Sunday);
  return sunday.time_since_epoch().count() * 86400 + 3600;
}

struct Year {
  int y = 0;
  std::int64_t summer_from = 0, summer_to = 0;  // [from, to) is CEST
};

}  // namespace

std::int32_t AmsterdamUtcOffset(std::int64_t t) {
  thread_local Year cached{};
  // The UTC year is right except in the first hour of 1 January local, which
  // is winter time in either year.
  const std::int64_t d = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  const year_month_day ymd{sys_days{days{d}}};
  const int y = static_cast<int>(ymd.year());
  if (cached.y != y) cached = {y, LastSundayAt1Utc(y, 3), LastSundayAt1Utc(y, 10)};
  return t >= cached.summer_from && t < cached.summer_to ? 7200 : 3600;
}

std::int64_t AmsterdamMidnight(std::int64_t day) {
  // Midnight is never inside a transition (they are at 02:00 and 03:00 local).
  const std::int64_t utc_midnight = day * 86400;
  return utc_midnight - AmsterdamUtcOffset(utc_midnight - 3600);
}

}  // namespace waarborg::monitor
