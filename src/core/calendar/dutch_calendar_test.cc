#include "core/calendar/dutch_calendar.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "core/common/date.h"

namespace waarborg::calendar {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Date Ymd(int y, unsigned m, unsigned d) {
  return Date{year{y}, month{m}, day{d}};
}

constexpr HolidayOptions kLustrum{.liberation_day_every_year = false};

TEST(DutchCalendar, EasterSundayMatchesKnownDates) {
  EXPECT_EQ(EasterSunday(2024), Ymd(2024, 3, 31));
  EXPECT_EQ(EasterSunday(2025), Ymd(2025, 4, 20));
  EXPECT_EQ(EasterSunday(2026), Ymd(2026, 4, 5));
  EXPECT_EQ(EasterSunday(2027), Ymd(2027, 3, 28));
  EXPECT_EQ(EasterSunday(2038), Ymd(2038, 4, 25));  // latest possible
  EXPECT_EQ(EasterSunday(2285), Ymd(2285, 3, 22));  // earliest possible
  EXPECT_EQ(EasterSunday(2000), Ymd(2000, 4, 23));
}

TEST(DutchCalendar, EasterSundayIsAlwaysASundayBetween22MarchAnd25April) {
  for (int y = 1900; y <= 2200; ++y) {
    Date e = EasterSunday(y);
    ASSERT_TRUE(e.ok()) << y;
    EXPECT_EQ(std::chrono::weekday{std::chrono::sys_days{e}},
              std::chrono::Sunday)
        << y;
    EXPECT_GE(e, Ymd(y, 3, 22)) << y;
    EXPECT_LE(e, Ymd(y, 4, 25)) << y;
  }
}

TEST(DutchCalendar, FixedHolidays) {
  EXPECT_TRUE(IsPublicHoliday(Ymd(2026, 1, 1)));
  EXPECT_TRUE(IsPublicHoliday(Ymd(2026, 12, 25)));
  EXPECT_TRUE(IsPublicHoliday(Ymd(2026, 12, 26)));
  EXPECT_FALSE(IsPublicHoliday(Ymd(2026, 12, 24)));
  EXPECT_FALSE(IsPublicHoliday(Ymd(2026, 12, 31)));
  EXPECT_FALSE(IsPublicHoliday(Ymd(2026, 1, 2)));
}

TEST(DutchCalendar, EasterRelatedHolidays2026) {
  EXPECT_TRUE(IsPublicHoliday(Ymd(2026, 4, 3)));   // Good Friday
  EXPECT_TRUE(IsPublicHoliday(Ymd(2026, 4, 5)));   // Easter Sunday
  EXPECT_TRUE(IsPublicHoliday(Ymd(2026, 4, 6)));   // Easter Monday
  EXPECT_TRUE(IsPublicHoliday(Ymd(2026, 5, 14)));  // Ascension Day
  EXPECT_TRUE(IsPublicHoliday(Ymd(2026, 5, 24)));  // Whit Sunday
  EXPECT_TRUE(IsPublicHoliday(Ymd(2026, 5, 25)));  // Whit Monday
  EXPECT_FALSE(IsPublicHoliday(Ymd(2026, 4, 2)));  // Maundy Thursday
  EXPECT_FALSE(IsPublicHoliday(Ymd(2026, 4, 4)));  // Holy Saturday
  EXPECT_FALSE(IsPublicHoliday(Ymd(2026, 4, 7)));
  EXPECT_FALSE(IsPublicHoliday(Ymd(2026, 5, 15)));
  EXPECT_FALSE(IsPublicHoliday(Ymd(2026, 5, 26)));
}

TEST(DutchCalendar, KingsDayIs27April) {
  EXPECT_TRUE(IsPublicHoliday(Ymd(2026, 4, 27)));
  EXPECT_FALSE(IsPublicHoliday(Ymd(2026, 4, 26)));
}

TEST(DutchCalendar, KingsDayMovesTo26AprilWhenThe27thIsASunday) {
  EXPECT_TRUE(IsPublicHoliday(Ymd(2025, 4, 26)));
  EXPECT_FALSE(IsPublicHoliday(Ymd(2025, 4, 27)));  // the Sunday itself
  EXPECT_FALSE(IsWorkingDay(Ymd(2025, 4, 26)));
  EXPECT_TRUE(IsPublicHoliday(Ymd(2031, 4, 26)));  // 27-04-2031 is a Sunday
  EXPECT_FALSE(IsPublicHoliday(Ymd(2031, 4, 27)));
}

TEST(DutchCalendar, LiberationDayEveryYearByDefault) {
  EXPECT_TRUE(IsPublicHoliday(Ymd(2026, 5, 5)));
  EXPECT_TRUE(IsPublicHoliday(Ymd(2025, 5, 5)));
}

TEST(DutchCalendar, LiberationDayOnlyInLustrumYearsWithOption) {
  EXPECT_FALSE(IsPublicHoliday(Ymd(2026, 5, 5), kLustrum));
  EXPECT_TRUE(IsPublicHoliday(Ymd(2025, 5, 5), kLustrum));
  EXPECT_TRUE(IsPublicHoliday(Ymd(2030, 5, 5), kLustrum));
  EXPECT_TRUE(IsWorkingDay(Ymd(2026, 5, 5), kLustrum));  // a Tuesday
  EXPECT_FALSE(IsWorkingDay(Ymd(2026, 5, 5)));
}

TEST(DutchCalendar, WeekendsAreNotWorkingDays) {
  EXPECT_FALSE(IsWorkingDay(Ymd(2026, 11, 28)));  // Saturday
  EXPECT_FALSE(IsWorkingDay(Ymd(2026, 11, 29)));  // Sunday
  EXPECT_TRUE(IsWorkingDay(Ymd(2026, 11, 30)));   // Monday
  EXPECT_TRUE(IsWorkingDay(Ymd(2026, 11, 27)));   // Friday
}

TEST(DutchCalendar, StatutoryTermEndingOnWorkingDayStays) {
  EXPECT_EQ(StatutoryDeadline(Ymd(2026, 11, 27)), Ymd(2026, 11, 27));
}

TEST(DutchCalendar, StatutoryTermEndingOnSaturdayMovesToMonday) {
  EXPECT_EQ(StatutoryDeadline(Ymd(2026, 11, 28)), Ymd(2026, 11, 30));
}

TEST(DutchCalendar, StatutoryTermEndingOnSundayMovesToMonday) {
  EXPECT_EQ(StatutoryDeadline(Ymd(2026, 11, 29)), Ymd(2026, 11, 30));
}

TEST(DutchCalendar, StatutoryTermEndingOnGoodFridayMovesPastEasterToTuesday) {
  EXPECT_EQ(StatutoryDeadline(Ymd(2026, 4, 3)), Ymd(2026, 4, 7));
}

TEST(DutchCalendar, StatutoryTermEndingOnChristmasFridayMovesToMonday) {
  EXPECT_EQ(StatutoryDeadline(Ymd(2026, 12, 25)), Ymd(2026, 12, 28));
}

TEST(DutchCalendar, StatutoryTermEndingOnAscensionDayMovesToFriday) {
  EXPECT_EQ(StatutoryDeadline(Ymd(2026, 5, 14)), Ymd(2026, 5, 15));
}

TEST(DutchCalendar, StatutoryTermOnLiberationDayDependsOnOption) {
  EXPECT_EQ(StatutoryDeadline(Ymd(2026, 5, 5)), Ymd(2026, 5, 6));
  EXPECT_EQ(StatutoryDeadline(Ymd(2026, 5, 5), kLustrum), Ymd(2026, 5, 5));
}

TEST(DutchCalendar, StatutoryTermEndingOnNewYearsDayCrossesIntoNewYear) {
  // 2027-01-01 is a Friday.
  EXPECT_EQ(StatutoryDeadline(Ymd(2027, 1, 1)), Ymd(2027, 1, 4));
}

TEST(DutchCalendar, NextWorkingDayOnOrAfterSkipsWeekendAndWhitMonday) {
  EXPECT_EQ(NextWorkingDayOnOrAfter(Ymd(2026, 5, 23)), Ymd(2026, 5, 26));
  EXPECT_EQ(NextWorkingDayOnOrAfter(Ymd(2026, 5, 22)), Ymd(2026, 5, 22));
}

TEST(DutchCalendar, AddingZeroWorkingDaysReturnsTheDateItself) {
  EXPECT_EQ(AddWorkingDays(Ymd(2026, 11, 28), 0), Ymd(2026, 11, 28));
  EXPECT_EQ(AddWorkingDays(Ymd(2026, 11, 27), 0), Ymd(2026, 11, 27));
}

TEST(DutchCalendar, AddingWorkingDaysSkipsWeekends) {
  EXPECT_EQ(AddWorkingDays(Ymd(2026, 11, 27), 1),
            Ymd(2026, 11, 30));  // Fri -> Mon
  EXPECT_EQ(AddWorkingDays(Ymd(2026, 11, 28), 1),
            Ymd(2026, 11, 30));  // Sat -> Mon
  EXPECT_EQ(AddWorkingDays(Ymd(2026, 11, 23), 5),
            Ymd(2026, 11, 30));  // Mon -> Mon
}

TEST(DutchCalendar, AddingWorkingDaysSkipsHolidays) {
  // Thu 2026-12-24 + 2: skips Christmas (Fri), weekend -> Mon 28, Tue 29.
  EXPECT_EQ(AddWorkingDays(Ymd(2026, 12, 24), 2), Ymd(2026, 12, 29));
  // Thu 2026-04-02 + 1: skips Good Friday, Easter weekend and Monday.
  EXPECT_EQ(AddWorkingDays(Ymd(2026, 4, 2), 1), Ymd(2026, 4, 7));
}

TEST(DutchCalendar, AddDaysCrossesMonthsAndYearsBothWays) {
  EXPECT_EQ(AddDays(Ymd(2026, 12, 25), 7), Ymd(2027, 1, 1));
  EXPECT_EQ(AddDays(Ymd(2028, 2, 28), 1), Ymd(2028, 2, 29));
  EXPECT_EQ(AddDays(Ymd(2026, 3, 1), -1), Ymd(2026, 2, 28));
  EXPECT_EQ(AddDays(Ymd(2026, 3, 1), 0), Ymd(2026, 3, 1));
}

TEST(DutchCalendar, AddMonthsClampsToLastDayOfShorterMonth) {
  EXPECT_EQ(AddMonthsClamped(Ymd(2026, 1, 31), 1), Ymd(2026, 2, 28));
  EXPECT_EQ(AddMonthsClamped(Ymd(2028, 1, 31), 1), Ymd(2028, 2, 29));
  EXPECT_EQ(AddMonthsClamped(Ymd(2026, 8, 31), 1), Ymd(2026, 9, 30));
  EXPECT_EQ(AddMonthsClamped(Ymd(2026, 3, 31), -1), Ymd(2026, 2, 28));
}

TEST(DutchCalendar, AddMonthsKeepsDayWhenItExistsAndCrossesYears) {
  EXPECT_EQ(AddMonthsClamped(Ymd(2026, 11, 15), 3), Ymd(2027, 2, 15));
  EXPECT_EQ(AddMonthsClamped(Ymd(2026, 1, 15), -2), Ymd(2025, 11, 15));
  EXPECT_EQ(AddMonthsClamped(Ymd(2026, 1, 31), 12), Ymd(2027, 1, 31));
  EXPECT_EQ(AddMonthsClamped(Ymd(2026, 5, 31), 0), Ymd(2026, 5, 31));
}

TEST(DutchCalendar, LastWorkingDayBeforeWeekendOrHoliday) {
  EXPECT_TRUE(IsLastWorkingDayBeforeDayOff(Ymd(2026, 11, 27)));   // Friday
  EXPECT_FALSE(IsLastWorkingDayBeforeDayOff(Ymd(2026, 11, 26)));  // Thursday
  EXPECT_TRUE(
      IsLastWorkingDayBeforeDayOff(Ymd(2026, 5, 13)));  // before Ascension
  EXPECT_TRUE(
      IsLastWorkingDayBeforeDayOff(Ymd(2026, 4, 2)));  // before Good Friday
  EXPECT_FALSE(
      IsLastWorkingDayBeforeDayOff(Ymd(2026, 11, 28)));  // Saturday itself
  EXPECT_FALSE(IsLastWorkingDayBeforeDayOff(Ymd(2026, 5, 4), kLustrum));
  EXPECT_TRUE(IsLastWorkingDayBeforeDayOff(Ymd(2026, 5, 4)));
}

// Before 2014 the day was Koninginnedag: 30 April, or the 29th when the 30th
// fell on a Sunday.
TEST(DutchCalendar, QueensDayBefore2014Is30AprilOr29WhenASunday) {
  EXPECT_TRUE(IsPublicHoliday(Ymd(2013, 4, 30)));
  EXPECT_FALSE(IsPublicHoliday(Ymd(2013, 4, 27)));
  EXPECT_TRUE(IsPublicHoliday(Ymd(2000, 4, 29)));  // the 30th was a Sunday
  EXPECT_FALSE(IsPublicHoliday(Ymd(2000, 4, 30)) && IsWorkingDay(Ymd(2000, 4, 30)));
}

// Issue 4 §6: every Dutch public holiday from 2000 to 2100, checked against an
// independent source: Debian's python3-holidays (its NL calendar has
// Liberation Day in lustrum years only, and no Good Friday, which the
// Algemene termijnenwet counts; both are accounted for below).
TEST(DutchCalendar, HolidaysFrom2000To2100MatchAnIndependentSource) {
  const char* cmd =
      "/usr/bin/python3 -c \"import holidays; "
      "[print(d.isoformat()) for d in sorted(holidays.NL(years=range(2000, 2101)).keys())]\" 2>/dev/null";
  FILE* p = popen(cmd, "r");
  ASSERT_NE(p, nullptr);
  std::set<std::string> theirs;
  char line[64];
  while (fgets(line, sizeof line, p)) {
    std::string s(line);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    if (!s.empty()) theirs.insert(s);
  }
  const int rc = pclose(p);
  ASSERT_EQ(rc, 0) << "python3-holidays is missing (scripts/deps.sh installs it)";
  ASSERT_GT(theirs.size(), 900u);
  HolidayOptions lustrum;
  lustrum.liberation_day_every_year = false;
  std::set<std::string> ours;
  for (Date d = Ymd(2000, 1, 1); d <= Ymd(2100, 12, 31); d = AddDays(d, 1)) {
    if (!IsPublicHoliday(d, lustrum)) continue;
    if (d == AddDays(EasterSunday(static_cast<int>(d.year())), -2)) continue;  // Goede Vrijdag
    ours.insert(FormatDateIso(d));
  }
  std::vector<std::string> only_ours, only_theirs;
  std::set_difference(ours.begin(), ours.end(), theirs.begin(), theirs.end(), std::back_inserter(only_ours));
  std::set_difference(theirs.begin(), theirs.end(), ours.begin(), ours.end(), std::back_inserter(only_theirs));
  EXPECT_TRUE(only_ours.empty()) << "holidays only in Waarborg, e.g. " << (only_ours.empty() ? "" : only_ours.front());
  EXPECT_TRUE(only_theirs.empty()) << "holidays Waarborg misses, e.g. "
                                   << (only_theirs.empty() ? "" : only_theirs.front());
}

}  // namespace
}  // namespace waarborg::calendar
