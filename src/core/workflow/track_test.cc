// Tracks as data: validation, the generic deadline calculator, tightening by
// a unit, and the step questions. Dates were checked by hand against the
// Dutch holiday list (2026: Good Friday 3 Apr, Easter Monday 6 Apr, King's
// Day Mon 27 Apr, Liberation Day Tue 5 May, Christmas Fri 25 / Sat 26 Dec).
#include "core/workflow/track.h"

#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace waarborg::workflow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Date Ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

// A small LMM-like track; line numbers are made up so errors can name them.
TrackDefinition Sample() {
  TrackDefinition t;
  t.id = "sample";
  t.name = "Voorbeeldtraject";
  t.description = "Een voorbeeld.";
  t.line = 1;
  t.states = {
      {"registered", "Geregistreerd", "Uw melding is ontvangen.", true, false, 10},
      {"staffed", "Bemenst", "Twee VPI's zijn toegewezen.", false, false, 11},
      {"weighing", "Weging", "Uw melding wordt gewogen.", false, false, 12},
      {"advised", "Advies", "Er ligt een advies.", false, false, 13},
      {"closed", "Afgesloten", "De zaak is afgerond.", false, true, 14},
      {"referred", "Doorverwezen", "U bent doorverwezen.", false, true, 15},
  };
  t.transitions = {
      {"staff", "Bemensen", {"registered"}, "staffed", {"coordinator"}, {"reporter_advisor_id"}, {}, {}, 20},
      {"definition_test", "", {"staffed"}, "weighing", {"vpi", "coordinator"}, {}, {}, {"passes_definition_test"}, 21},
      {"definition_test", "", {"staffed"}, "referred", {"vpi", "coordinator"}, {}, {}, {"fails_definition_test"}, 22},
      {"advise", "Advies uitbrengen", {"weighing"}, "advised", {"vpi"}, {}, {}, {"weighing_complete"}, 23},
      {"decide", "Besluiten", {"advised"}, "closed", {"authority"}, {}, {}, {}, 24},
      {"acknowledge", "", {"registered", "staffed", "weighing", "advised"}, "", {"vpi", "coordinator"}, {}, {}, {}, 25},
      {"feedback", "", {"weighing", "advised", "closed", "referred"}, "", {"vpi"}, {}, {}, {}, 26},
  };
  DeadlineRule ack;
  ack.id = "acknowledgement";
  ack.label = "Ontvangstbevestiging";
  ack.from = "received";
  ack.amount = 7;
  ack.unit = DeadlineUnit::kCalendarDays;
  ack.met_by = {"acknowledge"};
  ack.legal = true;
  ack.basis = "Wbk";
  ack.algemene_termijnenwet = true;
  ack.line = 30;
  DeadlineRule norm;
  norm.id = "weighing_norm";
  norm.label = "Weging (norm)";
  norm.from = "definition_test";
  norm.amount = 6;
  norm.unit = DeadlineUnit::kWeeks;
  norm.met_by = {"advise"};
  norm.line = 31;
  t.deadlines = {ack, norm};
  t.reviews = {{"contact", "Contact met de melder", {"weighing"}, 4, DeadlineUnit::kWeeks, {"vpi"}, 40}};
  return t;
}

std::vector<std::string> Messages(const std::vector<TrackError>& errs) {
  std::vector<std::string> out;
  for (const auto& e : errs) out.push_back(e.message);
  return out;
}

// True when some error on `line` contains `text`.
bool HasError(const std::vector<TrackError>& errs, int line, std::string_view text) {
  return std::any_of(errs.begin(), errs.end(), [&](const TrackError& e) {
    return e.line == line && e.message.find(text) != std::string::npos;
  });
}

// --- validation ---

TEST(TrackValidation, SampleTrackIsValid) {
  EXPECT_THAT(Messages(ValidateTrack(Sample(), StandardGuards())), ::testing::IsEmpty());
}

TEST(TrackValidation, TransitionToUnknownStateNamesItsLine) {
  auto t = Sample();
  t.transitions[3].to = "advies";
  auto errs = ValidateTrack(t, StandardGuards());
  EXPECT_TRUE(HasError(errs, 23, "overgang 'advise' gaat naar onbekende status 'advies'")) << ::testing::PrintToString(Messages(errs));
}

TEST(TrackValidation, TransitionFromUnknownStateIsAnError) {
  auto t = Sample();
  t.transitions[0].from = {"registred"};
  EXPECT_TRUE(HasError(ValidateTrack(t, StandardGuards()), 20, "onbekende status 'registred'"));
}

TEST(TrackValidation, UnreachableStateIsAnError) {
  auto t = Sample();
  t.states.push_back({"orphan", "Wees", "Niemand komt hier.", false, true, 16});
  EXPECT_TRUE(HasError(ValidateTrack(t, StandardGuards()), 16, "'orphan' is onbereikbaar"));
}

TEST(TrackValidation, TrackWithoutInitialStateIsAnError) {
  auto t = Sample();
  t.states[0].initial = false;
  EXPECT_TRUE(HasError(ValidateTrack(t, StandardGuards()), 1, "geen beginstatus"));
}

TEST(TrackValidation, TwoInitialStatesAreAnError) {
  auto t = Sample();
  t.states[1].initial = true;
  EXPECT_TRUE(HasError(ValidateTrack(t, StandardGuards()), 11, "meer dan één beginstatus"));
}

TEST(TrackValidation, TerminalStateMayNotLeadElsewhereButMayKeepSteps) {
  auto t = Sample();
  // feedback in 'closed' stays: fine. A step out of 'closed' is not.
  t.transitions.push_back({"reopen", "", {"closed"}, "weighing", {"coordinator"}, {}, {}, {}, 27});
  auto errs = ValidateTrack(t, StandardGuards());
  EXPECT_TRUE(HasError(errs, 27, "eindstatus 'closed' heeft een uitgaande overgang 'reopen'"));
  EXPECT_EQ(errs.size(), 1u) << ::testing::PrintToString(Messages(errs));
}

TEST(TrackValidation, NonTerminalDeadEndIsAnError) {
  auto t = Sample();
  t.transitions.erase(t.transitions.begin() + 4);  // decide
  EXPECT_TRUE(HasError(ValidateTrack(t, StandardGuards()), 13, "'advised' is geen eindstatus maar heeft geen uitgaande overgang"));
}

TEST(TrackValidation, DeadlineCountedFromUnknownEventIsAnError) {
  auto t = Sample();
  t.deadlines[1].from = "weigh";
  t.deadlines[0].met_by = {"acknowledged"};
  auto errs = ValidateTrack(t, StandardGuards());
  EXPECT_TRUE(HasError(errs, 31, "telt vanaf onbekende gebeurtenis 'weigh'"));
  EXPECT_TRUE(HasError(errs, 30, "gehaald met onbekende actie 'acknowledged'"));
}

TEST(TrackValidation, DuplicateIdsAreErrors) {
  auto t = Sample();
  t.states.push_back(t.states[2]);
  t.states.back().line = 17;
  t.deadlines.push_back(t.deadlines[0]);
  t.deadlines.back().line = 32;
  t.transitions.push_back(t.transitions[0]);
  t.transitions.back().line = 28;
  auto errs = ValidateTrack(t, StandardGuards());
  EXPECT_TRUE(HasError(errs, 17, "status 'weighing' komt twee keer voor"));
  EXPECT_TRUE(HasError(errs, 32, "termijn 'acknowledgement' komt twee keer voor"));
  EXPECT_TRUE(HasError(errs, 28, "komt twee keer voor (ook op regel 20)"));
}

TEST(TrackValidation, NonPositiveAmountsAreErrors) {
  auto t = Sample();
  t.deadlines[0].amount = 0;
  t.deadlines[1].extension = {-1, 1};
  t.reviews[0].every = 0;
  auto errs = ValidateTrack(t, StandardGuards());
  EXPECT_TRUE(HasError(errs, 30, "lengte van 0"));
  EXPECT_TRUE(HasError(errs, 31, "negatief"));
  EXPECT_TRUE(HasError(errs, 40, "interval van 0"));
}

TEST(TrackValidation, UnknownGuardAndRoleAreErrors) {
  auto t = Sample();
  t.transitions[3].guards = {"weighing_compleet"};
  t.transitions[4].roles = {"korpschef"};
  auto errs = ValidateTrack(t, StandardGuards());
  EXPECT_TRUE(HasError(errs, 23, "onbekende voorwaarde (guard) 'weighing_compleet'"));
  EXPECT_TRUE(HasError(errs, 24, "onbekende rol 'korpschef'"));
  // The same track is fine with a registry that knows the guard.
  GuardRegistry mine = StandardGuards();
  mine.guards["weighing_compleet"] = "x";
  t.transitions[4].roles = {"authority"};
  EXPECT_THAT(Messages(ValidateTrack(t, mine)), ::testing::IsEmpty());
}

TEST(TrackValidation, SameActionToTwoStatesNeedsDistinguishingGuards) {
  auto t = Sample();
  t.transitions[2].guards.clear();
  EXPECT_TRUE(HasError(ValidateTrack(t, StandardGuards()), 22, "zonder onderscheidende voorwaarden"));
}

TEST(TrackValidation, LegalDeadlineNamesItsBasis) {
  auto t = Sample();
  t.deadlines[0].basis = "";
  EXPECT_TRUE(HasError(ValidateTrack(t, StandardGuards()), 30, "grondslag"));
}

// The history of a case holds the track's steps and the ones Waarborg
// records itself (deadline extended or suspended, review held); a track that
// named its own step after one of those could pass it off as one.
TEST(TrackValidation, ReservedStepNamesCannotBeUsedByATrack) {
  for (std::string_view reserved : {kDeadlineExtendedAction, kDeadlineSuspendedAction, kReviewHeldAction}) {
    auto t = Sample();
    t.transitions.push_back({std::string(reserved), "Eigen stap", {"weighing"}, "", {"vpi"}, {}, {}, {}, 27});
    auto errs = ValidateTrack(t, StandardGuards());
    EXPECT_TRUE(HasError(errs, 27, "is voorbehouden")) << reserved << ": " << ::testing::PrintToString(Messages(errs));
    EXPECT_TRUE(IsReservedAction(reserved));
  }
  EXPECT_FALSE(IsReservedAction("acknowledge"));
}

TEST(TrackValidation, MainPathMustFollowTransitions) {
  auto t = Sample();
  t.main_path = {"registered", "weighing", "advised", "closed"};
  t.main_path_line = 5;
  EXPECT_TRUE(HasError(ValidateTrack(t, StandardGuards()), 5, "geen overgang van 'registered' naar 'weighing'"));
}

// --- deadlines ---

DeadlineRule Rule(int amount, DeadlineUnit unit, bool shift) {
  DeadlineRule r;
  r.id = "r";
  r.label = "Termijn";
  r.amount = amount;
  r.unit = unit;
  r.algemene_termijnenwet = shift;
  return r;
}

TEST(TrackDeadline, WorkingDayDeadlineSkipsHolidays) {
  // Fri 24 Apr 2026 + 6 working days: King's Day Mon 27 Apr is skipped
  // (Tue 28, Wed 29, Thu 30, Fri 1 May, Mon 4), Liberation Day Tue 5 May too.
  const DeadlineRule r = Rule(6, DeadlineUnit::kWorkingDays, false);
  EXPECT_EQ(DueDate(r, Ymd(2026, 4, 24), 0, 0), Ymd(2026, 5, 6));
  // When 5 May is a day off only in lustrum years, 2026's 5 May counts.
  EXPECT_EQ(DueDate(r, Ymd(2026, 4, 24), 0, 0, {.liberation_day_every_year = false}), Ymd(2026, 5, 5));
}

TEST(TrackDeadline, CalendarDeadlineMovesToWorkingDayOnlyUnderTermijnenwet) {
  // Sat 19 Dec 2026 + 7 = Sat 26 Dec (Boxing Day) -> Mon 28 Dec.
  EXPECT_EQ(DueDate(Rule(7, DeadlineUnit::kCalendarDays, true), Ymd(2026, 12, 19), 0, 0), Ymd(2026, 12, 28));
  EXPECT_EQ(DueDate(Rule(7, DeadlineUnit::kCalendarDays, false), Ymd(2026, 12, 19), 0, 0), Ymd(2026, 12, 26));
}

TEST(TrackDeadline, MonthDeadlineClampsToMonthEnd) {
  // 31 Jan 2027 + 1 month = 28 Feb 2027, a Sunday -> Mon 1 Mar.
  EXPECT_EQ(DueDate(Rule(1, DeadlineUnit::kMonths, true), Ymd(2027, 1, 31), 0, 0), Ymd(2027, 3, 1));
  EXPECT_EQ(DueDate(Rule(1, DeadlineUnit::kMonths, false), Ymd(2027, 1, 31), 0, 0), Ymd(2027, 2, 28));
}

TEST(TrackDeadline, SuspensionCountsOnlyWhenAllowed) {
  DeadlineRule r = Rule(6, DeadlineUnit::kWeeks, false);
  EXPECT_EQ(DueDate(r, Ymd(2026, 11, 2), 10, 0), Ymd(2026, 12, 14));  // ignored
  r.suspension_allowed = true;
  EXPECT_EQ(DueDate(r, Ymd(2026, 11, 2), 10, 0), Ymd(2026, 12, 24));
}

TEST(TrackDeadline, ExtensionsAreCappedAtTheirMaximum) {
  DeadlineRule r = Rule(1, DeadlineUnit::kMonths, false);
  r.extension = {2, 1};  // AVG: 1 month, once extendable by 2 months
  EXPECT_EQ(DueDate(r, Ymd(2026, 3, 10), 0, 1), Ymd(2026, 6, 10));
  EXPECT_EQ(DueDate(r, Ymd(2026, 3, 10), 0, 5), Ymd(2026, 6, 10));
  EXPECT_TRUE(CheckExtension(r, 0).ok());
  EXPECT_EQ(CheckExtension(r, 1).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckExtension(Rule(7, DeadlineUnit::kCalendarDays, true), 0).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(TrackDeadline, ReviewMomentFallsOnAWorkingDay) {
  ReviewMoment r{"r", "Overleg", {"x"}, 4, DeadlineUnit::kWeeks, {}, 0};
  // Mon 30 Nov 2026 + 4 weeks = Mon 28 Dec 2026.
  EXPECT_EQ(NextReview(r, Ymd(2026, 11, 30)), Ymd(2026, 12, 28));
  // Fri 27 Nov 2026 + 4 weeks = Fri 25 Dec (Christmas) -> Mon 28 Dec.
  EXPECT_EQ(NextReview(r, Ymd(2026, 11, 27)), Ymd(2026, 12, 28));
}

// --- tightening ---

TEST(TrackTightening, UnitMayTightenButNotLoosenLegalDeadline) {
  const TrackDefinition base = Sample();
  TrackDefinition unit = base;
  unit.deadlines[0].amount = 5;  // tighter: fine
  EXPECT_TRUE(CheckTightening(base, unit).ok());

  unit.deadlines[0].amount = 10;  // looser: refused, naming the deadline
  absl::Status st = CheckTightening(base, unit);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(st.message()), HasSubstr("wettelijke termijn 'acknowledgement'"));
  EXPECT_THAT(std::string(st.message()), HasSubstr("langer dan 7 kalenderdagen"));
  auto errs = TighteningErrors(base, unit);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].line, 30);
}

TEST(TrackTightening, LegalDeadlineCannotBeRemovedOrMadeNonLegal) {
  const TrackDefinition base = Sample();
  TrackDefinition removed = base;
  removed.deadlines.erase(removed.deadlines.begin());
  EXPECT_THAT(std::string(CheckTightening(base, removed).message()),
              HasSubstr("'acknowledgement' (Ontvangstbevestiging) mag niet worden verwijderd"));
  TrackDefinition not_legal = base;
  not_legal.deadlines[0].legal = false;
  EXPECT_FALSE(CheckTightening(base, not_legal).ok());
}

TEST(TrackTightening, MoreExtensionsOrSuspensionLoosenALegalDeadline) {
  const TrackDefinition base = Sample();
  TrackDefinition more = base;
  more.deadlines[0].extension = {3, 1};
  EXPECT_THAT(std::string(CheckTightening(base, more).message()), HasSubstr("verlenging"));
  TrackDefinition suspend = base;
  suspend.deadlines[0].suspension_allowed = true;
  EXPECT_THAT(std::string(CheckTightening(base, suspend).message()), HasSubstr("opschorten"));
  TrackDefinition later_start = base;
  later_start.deadlines[0].from = "staff";
  EXPECT_THAT(std::string(CheckTightening(base, later_start).message()), HasSubstr("telt vanaf"));
}

TEST(TrackTightening, WorkingDaysThatLookShorterCanBeLooserAroundEaster) {
  const TrackDefinition base = Sample();
  // 4 working days look shorter than 7 calendar days, but from Thu 2 Apr 2026
  // they end Fri 10 Apr (Good Friday and Easter Monday skipped), a day after
  // the 7-day term (Thu 9 Apr).
  TrackDefinition unit = base;
  unit.deadlines[0].amount = 4;
  unit.deadlines[0].unit = DeadlineUnit::kWorkingDays;
  EXPECT_FALSE(CheckTightening(base, unit).ok());
  // 3 working days never end later than 7 calendar days.
  unit.deadlines[0].amount = 3;
  EXPECT_TRUE(CheckTightening(base, unit).ok()) << CheckTightening(base, unit).message();
}

TEST(TrackTightening, UnitSetsItsOwnNonLegalNorms) {
  const TrackDefinition base = Sample();
  TrackDefinition unit = base;
  unit.deadlines[1].amount = 8;  // the weighing norm is not law
  EXPECT_TRUE(CheckTightening(base, unit).ok());
}

// --- steps ---

TEST(TrackSteps, StepOutOfOrderIsRefusedAndWrongRoleIsDenied) {
  const TrackDefinition t = Sample();
  EXPECT_TRUE(CheckTransition(t, "weighing", "advise", "vpi").ok());
  absl::Status early = CheckTransition(t, "staffed", "advise", "vpi");
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(early.message()), HasSubstr("Dit kan alleen bij: Weging"));
  EXPECT_EQ(CheckTransition(t, "weighing", "advise", "authority").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckTransition(t, "weighing", "fly", "vpi").code(), absl::StatusCode::kInvalidArgument);
}

TEST(TrackSteps, AllowedActionsFollowStateAndRole) {
  const TrackDefinition t = Sample();
  EXPECT_THAT(AllowedActions(t, "staffed", "coordinator"), ElementsAre("definition_test", "acknowledge"));
  EXPECT_THAT(AllowedActions(t, "advised", "authority"), ElementsAre("decide"));
  EXPECT_THAT(AllowedActions(t, "closed", "vpi"), ElementsAre("feedback"));
  EXPECT_THAT(AllowedActions(t, "closed", "authority"), ::testing::IsEmpty());
}

TEST(TrackSteps, NextStateFollowsTheGuardThatHolds) {
  const TrackDefinition t = Sample();
  auto passes = [](const std::string& g) {
    return g == "fails_definition_test" ? absl::FailedPreconditionError("nee") : absl::OkStatus();
  };
  auto fails = [](const std::string& g) {
    return g == "passes_definition_test" ? absl::FailedPreconditionError("nee") : absl::OkStatus();
  };
  EXPECT_EQ(*NextState(t, "staffed", "definition_test", "vpi", passes), "weighing");
  EXPECT_EQ(*NextState(t, "staffed", "definition_test", "vpi", fails), "referred");
  EXPECT_EQ(*NextState(t, "weighing", "acknowledge", "vpi", passes), "weighing");
  auto blocked = NextState(t, "weighing", "advise", "vpi", [](const std::string&) {
    return absl::FailedPreconditionError("Leg eerst de weging vast.");
  });
  EXPECT_EQ(blocked.status().message(), "Leg eerst de weging vast.");
}

TEST(TrackSteps, ReporterSeesPlainStepsOfOwnCase) {
  const TrackDefinition t = Sample();
  auto steps = PlainSteps(t, "weighing");
  std::vector<std::string> ids;
  std::vector<StepMark> marks;
  for (const auto& s : steps) {
    ids.push_back(s.state);
    marks.push_back(s.mark);
  }
  // Derived main path: first listed transition each time.
  EXPECT_THAT(ids, ElementsAre("registered", "staffed", "weighing", "advised", "closed"));
  EXPECT_THAT(marks, ElementsAre(StepMark::kPast, StepMark::kPast, StepMark::kCurrent, StepMark::kFuture,
                                 StepMark::kFuture));
  EXPECT_EQ(steps[2].reporter_text, "Uw melding wordt gewogen.");

  // Referred: off the main path, it is the last step and nothing follows.
  auto referred = PlainSteps(t, "referred");
  ASSERT_EQ(referred.size(), 3u);
  EXPECT_EQ(referred[2].state, "referred");
  EXPECT_EQ(referred[2].mark, StepMark::kCurrent);
  EXPECT_EQ(referred[1].mark, StepMark::kPast);

  EXPECT_TRUE(PlainSteps(t, "nonsense").empty());
}

TEST(TrackSteps, StateDepthsAreBreadthFirst) {
  auto d = StateDepths(Sample());
  EXPECT_EQ(d["registered"], 0);
  EXPECT_EQ(d["staffed"], 1);
  EXPECT_EQ(d["referred"], 2);
  EXPECT_EQ(d["closed"], 4);
}

}  // namespace
}  // namespace waarborg::workflow
