// The VIK investigation rules of issue 4 §5 (DOMAIN §4, §8).
#include "core/cases/investigation_rules.h"

#include <set>

#include <gtest/gtest.h>

namespace waarborg::investigation {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Date Ymd(int y, unsigned m, unsigned d) { return Date{year{y}, month{m}, day{d}}; }

constexpr Id kMatter = 7;
constexpr auto kDisc = InvestigationKind::kDisciplinary;
constexpr auto kCrim = InvestigationKind::kCriminal;
constexpr calendar::HolidayOptions kLustrum{.liberation_day_every_year = false};

std::string Msg(const absl::Status& s) { return std::string(s.message()); }

// ---------------------------------------------------------------------------
// Separation of duties

TEST(InvestigationSeparation, NoPersonInvestigatesTheSameMatterDisciplinarilyAndCriminally) {
  const std::vector<InvestigatorAssignment> matter = {
      {.person_id = 1, .matter_id = kMatter, .kind = kDisc, .active = true},
      {.person_id = 4, .matter_id = kMatter, .kind = kCrim, .active = false},  // ended
  };
  // The disciplinary investigator may not also investigate criminally.
  absl::Status s = CheckInvestigatorAssignment(matter, 1, kCrim);
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  EXPECT_NE(Msg(s).find("functiescheiding"), std::string::npos) << s;
  // An ended criminal assignment still bars a disciplinary one.
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckInvestigatorAssignment(matter, 4, kDisc)));
  // Same kind again, or a newcomer in either kind: allowed.
  EXPECT_TRUE(CheckInvestigatorAssignment(matter, 1, kDisc).ok());
  EXPECT_TRUE(CheckInvestigatorAssignment(matter, 3, kCrim).ok());
  EXPECT_TRUE(CheckInvestigatorAssignment(matter, 3, kDisc).ok());
  EXPECT_TRUE(CheckInvestigatorAssignment({}, 1, kCrim).ok());
}

TEST(InvestigationSeparation, AssignmentsOfSeveralMattersOrNoPersonAreInvalid) {
  const std::vector<InvestigatorAssignment> mixed = {
      {.person_id = 1, .matter_id = kMatter, .kind = kDisc},
      {.person_id = 2, .matter_id = kMatter + 1, .kind = kCrim},
  };
  EXPECT_TRUE(absl::IsInvalidArgument(CheckInvestigatorAssignment(mixed, 3, kDisc)));
  EXPECT_TRUE(absl::IsInvalidArgument(CheckInvestigatorAssignment({}, 0, kDisc)));
}

TEST(InvestigationSeparation, DisciplinaryCaseTurningCriminalMustChangeInvestigator) {
  const std::vector<InvestigatorAssignment> matter = {
      {.person_id = 1, .matter_id = kMatter, .kind = kDisc, .active = false},
      {.person_id = 2, .matter_id = kMatter, .kind = kDisc, .active = true},
  };
  EXPECT_TRUE(CheckTurnsCriminal(matter, {3}).ok());
  EXPECT_TRUE(CheckTurnsCriminal(matter, {3, 5}).ok());
  // Keeping the current or a former disciplinary investigator is refused.
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckTurnsCriminal(matter, {2})));
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckTurnsCriminal(matter, {1})));
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckTurnsCriminal(matter, {3, 2})));
  // Nobody proposed: the investigator does not change, refused.
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckTurnsCriminal(matter, {})));
}

TEST(InvestigationKinds, NamesRoundTrip) {
  for (auto k : {kDisc, kCrim}) EXPECT_EQ(ParseInvestigationKind(InvestigationKindName(k)), k);
  EXPECT_FALSE(ParseInvestigationKind("civil").has_value());
}

// ---------------------------------------------------------------------------
// Notice of investigation

TEST(InvestigationNotice, NoticeNotOnLastWorkingDayBeforeWeekendWithoutReason) {
  const Date friday = Ymd(2026, 11, 20);
  absl::Status s = CheckNoticeDate(friday, "");
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  EXPECT_NE(Msg(s).find("20-11-2026"), std::string::npos) << s;
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckNoticeDate(friday, "  \t ")));  // blank is no reason
  EXPECT_TRUE(CheckNoticeDate(friday, "Betrokkene is vanaf maandag met verlof; steun geregeld.").ok());
  EXPECT_TRUE(CheckNoticeDate(Ymd(2026, 11, 19), "").ok());  // Thursday
  EXPECT_TRUE(CheckNoticeDate(Ymd(2026, 11, 16), "").ok());  // Monday
}

TEST(InvestigationNotice, NoticeNotOnLastWorkingDayBeforePublicHolidayWithoutReason) {
  // Ascension Day 2026 is Thursday 14 May: Wednesday 13 May is the last working day before it.
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckNoticeDate(Ymd(2026, 5, 13), "")));
  EXPECT_TRUE(CheckNoticeDate(Ymd(2026, 5, 12), "").ok());
  // Good Friday 2027 is 26 March: Thursday 25 March is refused.
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckNoticeDate(Ymd(2027, 3, 25), "")));
  EXPECT_TRUE(CheckNoticeDate(Ymd(2027, 3, 24), "").ok());
  // Christmas 2026 is a Friday: Thursday 24 December is refused.
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckNoticeDate(Ymd(2026, 12, 24), "")));
  EXPECT_TRUE(CheckNoticeDate(Ymd(2026, 12, 24), "Spoed op verzoek van het OM.").ok());
}

TEST(InvestigationNotice, LiberationDaySettingDecidesTheDayBefore) {
  // 5 May 2026 is a Tuesday; a holiday every year, or only in lustrum years (2025, 2030).
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckNoticeDate(Ymd(2026, 5, 4), "")));
  EXPECT_TRUE(CheckNoticeDate(Ymd(2026, 5, 4), "", kLustrum).ok());
}

TEST(InvestigationNotice, NoticeOnADayOffNeedsAReasonToo) {
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckNoticeDate(Ymd(2026, 11, 21), "")));  // Saturday
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckNoticeDate(Ymd(2026, 5, 14), "")));   // Ascension Day
  EXPECT_TRUE(CheckNoticeDate(Ymd(2026, 11, 21), "Aanhouding; direct aangezegd.").ok());
  EXPECT_TRUE(absl::IsInvalidArgument(CheckNoticeDate(Date{}, "")));
}

// ---------------------------------------------------------------------------
// Preparation time

TEST(InvestigationPreparation, PreparationTimeCountsWorkingDaysOnly) {
  // Given Monday 11 May 2026, hearing Monday 18 May: Tue 12, Wed 13, (Thu 14
  // Ascension Day), Fri 15, (weekend) -> 3 working days.
  const Date given = Ymd(2026, 5, 11);
  EXPECT_EQ(PreparationWorkingDays(given, Ymd(2026, 5, 18)), 3);
  EXPECT_TRUE(CheckPreparationTime(given, Ymd(2026, 5, 18), 3, {}).ok());
  absl::Status s = CheckPreparationTime(given, Ymd(2026, 5, 18), 4, {});
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  // The earliest hearing leaving 4 days: after Tue, Wed, Fri, Mon 18 -> Tue 19 May.
  EXPECT_EQ(EarliestHearing(given, 4), Ymd(2026, 5, 19));
  EXPECT_NE(Msg(s).find("19-05-2026"), std::string::npos) << s;
  EXPECT_TRUE(CheckPreparationTime(given, Ymd(2026, 5, 19), 4, {}).ok());
}

TEST(InvestigationPreparation, NeitherTheDayOfGivingNorTheHearingDayCounts) {
  const Date monday = Ymd(2026, 11, 16);
  EXPECT_EQ(PreparationWorkingDays(monday, Ymd(2026, 11, 17)), 0);  // next day
  EXPECT_EQ(PreparationWorkingDays(monday, Ymd(2026, 11, 19)), 2);  // Tue, Wed
  EXPECT_TRUE(CheckPreparationTime(monday, Ymd(2026, 11, 17), 0, {}).ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckPreparationTime(monday, Ymd(2026, 11, 17), 1, {})));
  // Friday to Monday: only the weekend in between.
  EXPECT_EQ(PreparationWorkingDays(Ymd(2026, 11, 20), Ymd(2026, 11, 23)), 0);
  EXPECT_EQ(EarliestHearing(Ymd(2026, 11, 20), 1), Ymd(2026, 11, 24));
  EXPECT_EQ(EarliestHearing(monday, 0), Ymd(2026, 11, 17));
}

TEST(InvestigationPreparation, EarliestHearingAlwaysLeavesExactlyTheMinimum) {
  const Date start = Ymd(2026, 12, 17);  // across Christmas and New Year
  for (int offset = 0; offset < 30; ++offset) {
    const Date given = calendar::AddDays(start, offset);
    for (int min = 0; min <= 6; ++min) {
      const Date earliest = EarliestHearing(given, min);
      EXPECT_EQ(PreparationWorkingDays(given, earliest), min) << FormatDateIso(given) << " " << min;
      EXPECT_TRUE(CheckPreparationTime(given, earliest, min, {}).ok());
      if (calendar::AddDays(earliest, -1) > given) {
        EXPECT_FALSE(CheckPreparationTime(given, calendar::AddDays(earliest, -1), min, {}).ok())
            << FormatDateIso(given) << " " << min;
      }
    }
  }
}

TEST(InvestigationPreparation, HearingNotAfterTheDescriptionIsInvalid) {
  const Date d = Ymd(2026, 11, 16);
  EXPECT_TRUE(absl::IsInvalidArgument(CheckPreparationTime(d, d, 0, {})));
  EXPECT_TRUE(absl::IsInvalidArgument(CheckPreparationTime(d, Ymd(2026, 11, 13), 0, {})));
  EXPECT_TRUE(absl::IsInvalidArgument(CheckPreparationTime(d, Ymd(2026, 11, 30), -1, {})));
}

// ---------------------------------------------------------------------------
// Care

TEST(InvestigationCare, CareContactOverdueAfterNWeeks) {
  const Date started = Ymd(2026, 1, 5);
  CareContactStatus s = CareContact(started, std::nullopt, 4, Ymd(2026, 2, 2));
  EXPECT_EQ(s.next_due, Ymd(2026, 2, 2));
  EXPECT_FALSE(s.overdue);
  s = CareContact(started, std::nullopt, 4, Ymd(2026, 2, 3));
  EXPECT_TRUE(s.overdue);
  EXPECT_EQ(s.days_overdue, 1);
  // A contact restarts the clock.
  s = CareContact(started, Ymd(2026, 1, 26), 4, Ymd(2026, 2, 3));
  EXPECT_EQ(s.next_due, Ymd(2026, 2, 23));
  EXPECT_FALSE(s.overdue);
  // A contact from before the care started does not move the due date back.
  s = CareContact(started, Ymd(2025, 12, 1), 2, Ymd(2026, 1, 20));
  EXPECT_EQ(s.next_due, Ymd(2026, 1, 19));
  EXPECT_TRUE(s.overdue);
}

TEST(InvestigationCare, CareManagerMayNotBeAPartyToTheCase) {
  const CaseParties parties{.subject = 10, .complainant = 11, .investigators = {12, 13},
                            .commissioning_manager = 14};
  EXPECT_TRUE(CheckCareManager(20, parties).ok());
  for (Id conflicted : {10, 11, 12, 13, 14}) {
    absl::Status s = CheckCareManager(conflicted, parties);
    EXPECT_TRUE(absl::IsFailedPrecondition(s)) << conflicted << " " << s;
  }
  EXPECT_NE(Msg(CheckCareManager(14, parties)).find("opdrachtgever"), std::string::npos);
  // Unknown complainant and manager: only the known parties bar.
  const CaseParties few{.subject = 10, .investigators = {12}};
  EXPECT_TRUE(CheckCareManager(11, few).ok());
  EXPECT_TRUE(absl::IsInvalidArgument(CheckCareManager(0, few)));
}

// ---------------------------------------------------------------------------
// Delay reasons

TEST(InvestigationDelay, DelayDaysCountOverlapsOnce) {
  const std::vector<DelayReason> reasons = {
      {"Wachten op het OM", Ymd(2026, 1, 1), Ymd(2026, 1, 10)},
      {"Ziekte betrokkene", Ymd(2026, 1, 5), Ymd(2026, 1, 15)},   // overlaps
      {"Getuige onbereikbaar", Ymd(2026, 1, 2), Ymd(2026, 1, 3)},  // inside
      {"Vakantie onderzoeker", Ymd(2026, 1, 15), Ymd(2026, 1, 15)},
      {"Stukken opgevraagd", Ymd(2026, 2, 1), Ymd(2026, 2, 1)},
      {"Fout ingevoerd", Ymd(2026, 3, 10), Ymd(2026, 3, 1)},  // to < from: skipped
  };
  EXPECT_EQ(DelayDays(reasons), 15 + 1);  // 1..15 January, 1 February
  EXPECT_EQ(DelayDays({}), 0);
  EXPECT_EQ(DelayDays({{"Overdracht dossier", Ymd(2026, 2, 27), Ymd(2026, 3, 2)}}), 4);  // across month end
}

TEST(InvestigationDelay, DelayReasonNeedsAReasonAndAnOrderedPeriod) {
  EXPECT_TRUE(CheckDelayReason({"Wachten op het OM", Ymd(2026, 1, 1), Ymd(2026, 1, 1)}).ok());
  EXPECT_TRUE(absl::IsInvalidArgument(CheckDelayReason({" ", Ymd(2026, 1, 1), Ymd(2026, 1, 2)})));
  EXPECT_TRUE(absl::IsInvalidArgument(CheckDelayReason({"Ziekte", Ymd(2026, 1, 2), Ymd(2026, 1, 1)})));
  EXPECT_TRUE(absl::IsInvalidArgument(CheckDelayReason({"Ziekte", Date{}, Ymd(2026, 1, 1)})));
}

// ---------------------------------------------------------------------------
// Outcome

TEST(InvestigationOutcome, OutcomeIsABarpPenaltyOrALearningMeasureWithRankCategory) {
  EXPECT_TRUE(CheckOutcome("written_reprimand", "", "executive").ok());
  EXPECT_TRUE(CheckOutcome("", "Spreekt met instemming op de teamdag over het gedrag.", "senior_management").ok());
  // Neither, both, or a penalty not on the list.
  EXPECT_TRUE(absl::IsInvalidArgument(CheckOutcome("", "", "executive")));
  EXPECT_TRUE(absl::IsInvalidArgument(CheckOutcome(" ", "\t", "executive")));
  EXPECT_TRUE(absl::IsInvalidArgument(CheckOutcome("fine", "Teamdag", "executive")));
  EXPECT_TRUE(absl::IsInvalidArgument(CheckOutcome("public_flogging", "", "executive")));
  // The rank category is required and must be known.
  EXPECT_TRUE(absl::IsInvalidArgument(CheckOutcome("fine", "", "")));
  EXPECT_TRUE(absl::IsInvalidArgument(CheckOutcome("fine", "", "general")));
  for (auto rank : RankCategoryKeys()) EXPECT_TRUE(CheckOutcome("dismissal", "", rank).ok()) << rank;
}

TEST(InvestigationOutcome, BarpListIsTheListOfDomainSection8) {
  const std::vector<std::string_view> expected = {"written_reprimand", "extra_duty", "reduced_leave",
                                                  "fine", "salary_withheld", "lower_salary_step",
                                                  "suspension", "dismissal"};
  EXPECT_EQ(BarpPenaltyKeys(), expected);
  for (auto key : BarpPenaltyKeys()) {
    EXPECT_TRUE(IsBarpPenalty(key));
    EXPECT_FALSE(BarpPenaltyLabelNl(key).empty()) << key;
  }
  EXPECT_EQ(BarpPenaltyLabelNl("written_reprimand"), "Schriftelijke berisping");
  EXPECT_FALSE(IsBarpPenalty(""));
  EXPECT_TRUE(BarpPenaltyLabelNl("unknown").empty());
  std::set<std::string_view> ranks;
  for (auto r : RankCategoryKeys()) {
    ranks.insert(r);
    EXPECT_FALSE(RankCategoryLabelNl(r).empty()) << r;
  }
  EXPECT_EQ(ranks.size(), 4u);
}

}  // namespace
}  // namespace waarborg::investigation
