#include "core/calendar/dutch_calendar.h"

#include <chrono>

namespace waarborg::calendar {
namespace {

using std::chrono::day;
using std::chrono::days;
using std::chrono::month;
using std::chrono::months;
using std::chrono::sys_days;
using std::chrono::weekday;
using std::chrono::year;
using std::chrono::year_month_day_last;

Date Ymd(int y, unsigned m, unsigned d) {
  return Date{year{y}, month{m}, day{d}};
}

bool IsWeekend(Date d) {
  weekday wd{sys_days{d}};
  return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

// Koningsdag: 27 April from 2014, or 26 April when the 27th is a Sunday.
// Before 2014 Koninginnedag: 30 April, or 29 April when the 30th is a Sunday
// (the rule since 1980).
Date KingsDay(int y) {
  const unsigned day = y >= 2014 ? 27 : 30;
  Date d = Ymd(y, 4, day);
  if (weekday{sys_days{d}} == std::chrono::Sunday) return Ymd(y, 4, day - 1);
  return d;
}

}  // namespace

Date EasterSunday(int y) {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  int a = y % 19;
  int b = y / 100;
  int c = y % 100;
  int d = b / 4;
  int e = b % 4;
  int f = (b + 8) / 25;
  int g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4;
  int k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int mon = (h + l - 7 * m + 114) / 31;
  int dom = (h + l - 7 * m + 114) % 31 + 1;
  return Ymd(y, static_cast<unsigned>(mon), static_cast<unsigned>(dom));
}

bool IsPublicHoliday(Date d, const HolidayOptions& opts) {
  int y = static_cast<int>(d.year());
  unsigned m = static_cast<unsigned>(d.month());
  unsigned dom = static_cast<unsigned>(d.day());
  if (m == 1 && dom == 1) return true;                   // Nieuwjaarsdag
  if (m == 12 && (dom == 25 || dom == 26)) return true;  // Kerstdagen
  if (m == 5 && dom == 5) {                              // Bevrijdingsdag
    if (opts.liberation_day_every_year || y % 5 == 0) return true;
  }
  if (d == KingsDay(y)) return true;  // Koningsdag
  // Movable feasts, relative to Easter Sunday.
  auto offset = (sys_days{d} - sys_days{EasterSunday(y)}).count();
  switch (offset) {
    case -2:  // Goede Vrijdag
    case 0:   // Eerste Paasdag
    case 1:   // Tweede Paasdag
    case 39:  // Hemelvaartsdag
    case 49:  // Eerste Pinksterdag
    case 50:  // Tweede Pinksterdag
      return true;
    default:
      return false;
  }
}

bool IsWorkingDay(Date d, const HolidayOptions& opts) {
  return !IsWeekend(d) && !IsPublicHoliday(d, opts);
}

Date NextWorkingDayOnOrAfter(Date d, const HolidayOptions& opts) {
  while (!IsWorkingDay(d, opts)) d = AddDays(d, 1);
  return d;
}

Date AddWorkingDays(Date d, int n, const HolidayOptions& opts) {
  for (int counted = 0; counted < n;) {
    d = AddDays(d, 1);
    if (IsWorkingDay(d, opts)) ++counted;
  }
  return d;
}

Date AddDays(Date d, int n) { return Date{sys_days{d} + days{n}}; }

Date AddMonthsClamped(Date d, int n) {
  Date shifted = d + months{n};
  if (shifted.ok()) return shifted;
  return Date{year_month_day_last{
      shifted.year(), std::chrono::month_day_last{shifted.month()}}};
}

Date StatutoryDeadline(Date end, const HolidayOptions& opts) {
  return NextWorkingDayOnOrAfter(end, opts);
}

bool IsLastWorkingDayBeforeDayOff(Date d, const HolidayOptions& opts) {
  return IsWorkingDay(d, opts) && !IsWorkingDay(AddDays(d, 1), opts);
}

}  // namespace waarborg::calendar
