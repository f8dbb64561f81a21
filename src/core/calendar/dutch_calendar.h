// Dutch public holidays, working days and statutory deadlines (Algemene
// termijnenwet). Pure date arithmetic on waarborg::Date; no clock, no I/O.
// All functions expect valid dates (Date::ok()).
#pragma once

#include "core/common/date.h"

namespace waarborg::calendar {

// Settings that differ between organisations.
struct HolidayOptions {
  // True: 5 May (Liberation Day) is a holiday every year. False: only in
  // years divisible by 5 (the lustrum years).
  bool liberation_day_every_year = true;
};

// Easter Sunday of `year` in the Gregorian calendar (anonymous algorithm).
Date EasterSunday(int year);

// True when `d` is one of the Dutch public holidays listed in DOMAIN.md §8:
// New Year's Day, Good Friday, Easter Sunday and Monday, King's Day,
// Liberation Day (per `opts`), Ascension Day, Whit Sunday and Monday,
// Christmas Day and Boxing Day.
bool IsPublicHoliday(Date d, const HolidayOptions& opts = {});

// True when `d` is neither a Saturday, a Sunday nor a public holiday.
bool IsWorkingDay(Date d, const HolidayOptions& opts = {});

// `d` itself when it is a working day, otherwise the first working day after
// it.
Date NextWorkingDayOnOrAfter(Date d, const HolidayOptions& opts = {});

// The date `n` working days after `d` (n >= 0); n == 0 returns `d` unchanged,
// even when `d` is not a working day. Friday + 1 is the next Monday.
Date AddWorkingDays(Date d, int n, const HolidayOptions& opts = {});

// `d` plus `n` calendar days (n may be negative).
Date AddDays(Date d, int n);

// `d` plus `months` calendar months (may be negative); a day that does not
// exist in the target month becomes its last day (31 Jan + 1 = 28/29 Feb).
Date AddMonthsClamped(Date d, int months);

// Algemene termijnenwet art. 1: a statutory term ending on `end` that falls on
// a Saturday, Sunday or public holiday moves to the next working day.
Date StatutoryDeadline(Date end, const HolidayOptions& opts = {});

// True when `d` is a working day and the next calendar day is not, i.e. the
// last chance before a weekend or holiday.
bool IsLastWorkingDayBeforeDayOff(Date d, const HolidayOptions& opts = {});

}  // namespace waarborg::calendar
