// The LMM track: statutory deadlines (DOMAIN §8) and step preconditions (§2).
// Every expected date below was checked by hand against the Dutch holiday
// list (2026: Good Friday 3 Apr, Easter 5/6 Apr, King's Day Mon 27 Apr,
// Liberation Day Tue 5 May, Ascension Thu 14 May, Whitsun 24/25 May,
// Christmas Fri 25 / Sat 26 Dec; 2027: New Year Fri 1 Jan, Good Friday 26 Mar,
// Easter 28/29 Mar).
#include "core/workflow/lmm_track.h"

#include <gtest/gtest.h>

#include "adapters/workflow_files/shipped_tracks.h"

namespace waarborg::workflow {
namespace {

using access::CaseAction;

// The LMM runs on workflows/tracks/lmm.yaml: these tests check the shipped
// file's rules through the engine.
const LmmTrack& Lmm() { return workflow_files::ShippedLmmTrack(); }
Date AcknowledgementDue(Date received) { return Lmm().AcknowledgementDue(received); }
Date AcknowledgementDue(Date received, calendar::HolidayOptions opts) {
  return LmmTrack::Bind(Lmm().definition(), opts)->AcknowledgementDue(received);
}
Date FeedbackDue(Date received, std::optional<Date> acknowledged) { return Lmm().FeedbackDue(received, acknowledged); }
absl::Status CheckTransition(const LmmCase& c, CaseAction a, bool coordinator_on_case = false) {
  return Lmm().CheckTransition(c, a, coordinator_on_case);
}
std::vector<CaseAction> PossibleSteps(const LmmCase& c) { return Lmm().PossibleSteps(c); }
std::vector<Deadline> DeadlinesOf(const LmmCase& c) { return Lmm().DeadlinesOf(c); }

Date Ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

std::chrono::weekday Weekday(Date d) { return std::chrono::weekday{std::chrono::sys_days{d}}; }

// --- acknowledgement: 7 days, moved to the next working day ---

TEST(LmmDeadlines, AcknowledgementDueSevenDaysAfterReceipt) {
  // Wed 18 Nov 2026 + 7 = Wed 25 Nov 2026, an ordinary working day.
  EXPECT_EQ(AcknowledgementDue(Ymd(2026, 11, 18)), Ymd(2026, 11, 25));
}

TEST(LmmDeadlines, AcknowledgementOnBoxingDaySaturdayMovesToMonday) {
  // Sat 19 Dec 2026 + 7 = Sat 26 Dec (Boxing Day) -> Sun 27 -> Mon 28 Dec.
  const Date due = AcknowledgementDue(Ymd(2026, 12, 19));
  EXPECT_EQ(due, Ymd(2026, 12, 28));
  EXPECT_EQ(Weekday(due), std::chrono::Monday);
}

TEST(LmmDeadlines, AcknowledgementOnNewYearsDayMovesPastTheWeekend) {
  // Fri 25 Dec 2026 + 7 = Fri 1 Jan 2027 (New Year) -> Sat, Sun -> Mon 4 Jan.
  EXPECT_EQ(AcknowledgementDue(Ymd(2026, 12, 25)), Ymd(2027, 1, 4));
}

TEST(LmmDeadlines, AcknowledgementOnGoodFridayMovesPastEaster) {
  // Fri 27 Mar 2026 + 7 = Good Friday 3 Apr -> Sat -> Easter Sunday -> Easter
  // Monday -> Tue 7 Apr.
  EXPECT_EQ(AcknowledgementDue(Ymd(2026, 3, 27)), Ymd(2026, 4, 7));
}

TEST(LmmDeadlines, AcknowledgementOnAscensionDayMovesToFriday) {
  // Thu 7 May 2026 + 7 = Ascension Day Thu 14 May -> Fri 15 May.
  EXPECT_EQ(AcknowledgementDue(Ymd(2026, 5, 7)), Ymd(2026, 5, 15));
}

TEST(LmmDeadlines, AcknowledgementOnWhitMondayMovesToTuesday) {
  // Mon 18 May 2026 + 7 = Whit Monday 25 May -> Tue 26 May.
  EXPECT_EQ(AcknowledgementDue(Ymd(2026, 5, 18)), Ymd(2026, 5, 26));
}

TEST(LmmDeadlines, AcknowledgementOnLiberationDayFollowsTheSetting) {
  // Tue 28 Apr 2026 + 7 = Tue 5 May 2026 (Liberation Day).
  EXPECT_EQ(AcknowledgementDue(Ymd(2026, 4, 28)), Ymd(2026, 5, 6));
  // When 5 May is a day off only in lustrum years, 2026 is an ordinary Tuesday.
  calendar::HolidayOptions lustrum{.liberation_day_every_year = false};
  EXPECT_EQ(AcknowledgementDue(Ymd(2026, 4, 28), lustrum), Ymd(2026, 5, 5));
}

// --- feedback: 3 months after acknowledgement, else after the 7-day period ---

TEST(LmmDeadlines, FeedbackDueThreeMonthsAfterAcknowledgement) {
  // Acknowledged Tue 13 Oct 2026 -> Wed 13 Jan 2027.
  EXPECT_EQ(FeedbackDue(Ymd(2026, 10, 8), Ymd(2026, 10, 13)), Ymd(2027, 1, 13));
}

TEST(LmmDeadlines, FeedbackCountsFromTheAcknowledgementNotTheReceipt) {
  // Received 5 Jan 2026, acknowledged Tue 27 Jan -> 27 Apr (King's Day, a
  // Monday) -> Tue 28 Apr. (Counted from the receipt it would be Mon 13 Apr.)
  EXPECT_EQ(FeedbackDue(Ymd(2026, 1, 5), Ymd(2026, 1, 27)), Ymd(2026, 4, 28));
}

TEST(LmmDeadlines, FeedbackWithoutAcknowledgementCountsFromEndOfSevenDays) {
  // Received Tue 20 Jan 2026, no acknowledgement: the 7 days end Tue 27 Jan;
  // + 3 months = Mon 27 Apr, King's Day -> Tue 28 Apr.
  EXPECT_EQ(FeedbackDue(Ymd(2026, 1, 20), std::nullopt), Ymd(2026, 4, 28));
  // Received Wed 18 Nov 2026: 7 days end 25 Nov; + 3 months = Thu 25 Feb 2027.
  EXPECT_EQ(FeedbackDue(Ymd(2026, 11, 18), std::nullopt), Ymd(2027, 2, 25));
}

TEST(LmmDeadlines, FeedbackLandingOnEasterMovesToTuesday) {
  // Received Sat 19 Dec 2026: 7 days end 26 Dec; + 3 months = Good Friday
  // 26 Mar 2027 -> Sat -> Easter Sunday -> Easter Monday -> Tue 30 Mar 2027.
  EXPECT_EQ(FeedbackDue(Ymd(2026, 12, 19), std::nullopt), Ymd(2027, 3, 30));
}

TEST(LmmDeadlines, FeedbackAtMonthEndIsClampedThenMovedOffTheWeekend) {
  // Acknowledged Mon 30 Nov 2026 + 3 months: 30 Feb does not exist -> Sun
  // 28 Feb 2027 -> Mon 1 Mar 2027.
  EXPECT_EQ(FeedbackDue(Ymd(2026, 11, 23), Ymd(2026, 11, 30)), Ymd(2027, 3, 1));
}

// --- Deadline::OverdueOn ---

TEST(LmmDeadlines, OverdueOnlyAfterTheDueDayAndWhileOpen) {
  Deadline d{"acknowledgement", "x", Ymd(2026, 12, 28), std::nullopt};
  EXPECT_FALSE(d.OverdueOn(Ymd(2026, 12, 27)));
  EXPECT_FALSE(d.OverdueOn(Ymd(2026, 12, 28)));  // the due day itself is still in time
  EXPECT_TRUE(d.OverdueOn(Ymd(2026, 12, 29)));
  EXPECT_TRUE(d.OverdueOn(Ymd(2027, 6, 1)));
  d.met_on = Ymd(2027, 1, 5);  // met late, but met: no longer overdue
  EXPECT_FALSE(d.OverdueOn(Ymd(2027, 6, 1)));
}

// --- deadlines of a case ---

LmmCase CaseReceived(Date received) {
  LmmCase c;
  c.id = 1;
  c.state = LmmState::kRegistered;
  c.acknowledgement_due = AcknowledgementDue(received);
  c.feedback_due = FeedbackDue(received, std::nullopt);
  return c;
}

TEST(LmmDeadlines, NearestOpenDeadlineIsTheAcknowledgementFirst) {
  LmmCase c = CaseReceived(Ymd(2026, 12, 19));
  auto d = NearestOpenDeadline(c);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, "acknowledgement");
  EXPECT_EQ(d->due, Ymd(2026, 12, 28));
}

TEST(LmmDeadlines, NearestOpenDeadlineSkipsMetDeadlines) {
  LmmCase c = CaseReceived(Ymd(2026, 12, 19));
  c.acknowledged_on = Ymd(2026, 12, 21);
  c.feedback_due = FeedbackDue(Ymd(2026, 12, 19), c.acknowledged_on);
  auto d = NearestOpenDeadline(c);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, "feedback");
  EXPECT_EQ(d->due, Ymd(2027, 3, 22));  // Mon 21 Dec + 3 months = Sun 21 Mar -> Mon 22 Mar
  c.feedback_given_on = Ymd(2027, 2, 1);
  EXPECT_FALSE(NearestOpenDeadline(c).has_value());
}

TEST(LmmDeadlines, WeighingEndCountsUntilTheAdvice) {
  LmmCase c = CaseReceived(Ymd(2026, 11, 18));
  c.acknowledged_on = Ymd(2026, 11, 19);
  c.feedback_due = FeedbackDue(Ymd(2026, 11, 18), c.acknowledged_on);  // 19 Feb 2027
  c.state = LmmState::kWeighing;
  c.weighing = Weighing{};
  c.weighing->expected_end = Ymd(2027, 1, 15);
  auto d = NearestOpenDeadline(c);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, "weighing_end");
  EXPECT_EQ(d->due, Ymd(2027, 1, 15));
  // Once advised, the weighing deadline is met; feedback remains.
  c.state = LmmState::kAdvised;
  c.advice = Advice{.reasoning = "r", .at = 1'798'000'000'000};  // Dec 2026
  d = NearestOpenDeadline(c);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, "feedback");
  EXPECT_EQ(DeadlinesOf(c).size(), 3u);
}

TEST(LmmDeadlines, NearestOpenDeadlineSkipsTerminalCases) {
  LmmCase c = CaseReceived(Ymd(2026, 12, 19));
  c.state = LmmState::kReferred;
  EXPECT_FALSE(NearestOpenDeadline(c).has_value());
  c.state = LmmState::kClosed;
  EXPECT_FALSE(NearestOpenDeadline(c).has_value());
  c.state = LmmState::kInvestigation;  // not terminal: the feedback is still owed
  EXPECT_TRUE(NearestOpenDeadline(c).has_value());
}

// --- step preconditions ---

Weighing CompleteWeighing() {
  Weighing w;
  for (auto k : kWeighingCriteria) w.findings[std::string(k)] = Finding{true, "onderbouwing"};
  w.expected_end = Ymd(2027, 1, 15);
  return w;
}

constexpr Id kReporterAdvisor = 11, kWeighingAdvisor = 12, kReviewer = 13, kCoordinator = 1;

LmmCase ReadyToAdvise() {
  LmmCase c;
  c.id = 1;
  c.state = LmmState::kWeighing;
  c.reporter_advisor_id = kReporterAdvisor;
  c.weighing_advisor_id = kWeighingAdvisor;
  c.reviewer_ids = {kReviewer};
  c.weighing = CompleteWeighing();
  c.reviews = {Review{.reviewer_person_id = kCoordinator, .by_coordinator = true, .opinion = "eens"},
               Review{.reviewer_person_id = kReviewer, .by_coordinator = false, .opinion = "eens"}};
  return c;
}

absl::StatusCode AdviseCode(const LmmCase& c, bool weighing_by_coordinator = false) {
  return CheckTransition(c, CaseAction::kAdvise, weighing_by_coordinator).code();
}

TEST(LmmTrack, AdviceAllowedWhenWeighingAndReviewsAreComplete) {
  EXPECT_TRUE(CheckTransition(ReadyToAdvise(), CaseAction::kAdvise).ok());
}

TEST(LmmTrack, AdviceRefusedBeforeTwoVpisAreAssigned) {
  LmmCase c = ReadyToAdvise();
  c.state = LmmState::kRegistered;
  c.reporter_advisor_id.reset();
  c.weighing_advisor_id.reset();
  auto st = CheckTransition(c, CaseAction::kAdvise);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(st.message().empty());
  c.state = LmmState::kStaffed;  // staffed, but no definition test yet
  EXPECT_EQ(AdviseCode(c), absl::StatusCode::kFailedPrecondition);
}

TEST(LmmTrack, AdviceRefusedWithoutAllFourWeighingCriteria) {
  for (auto missing : kWeighingCriteria) {
    SCOPED_TRACE(missing);
    LmmCase c = ReadyToAdvise();
    c.weighing->findings.erase(std::string(missing));
    EXPECT_EQ(AdviseCode(c), absl::StatusCode::kFailedPrecondition);
  }
  LmmCase none = ReadyToAdvise();
  none.weighing.reset();
  EXPECT_EQ(AdviseCode(none), absl::StatusCode::kFailedPrecondition);
}

TEST(LmmTrack, AdviceRefusedWhenACriterionHasNoReasoning) {
  LmmCase c = ReadyToAdvise();
  c.weighing->findings["credible"].reasoning.clear();
  EXPECT_EQ(AdviseCode(c), absl::StatusCode::kFailedPrecondition);
}

TEST(LmmTrack, AdviceRefusedWithoutExpectedEndDate) {
  LmmCase c = ReadyToAdvise();
  c.weighing->expected_end.reset();
  EXPECT_EQ(AdviseCode(c), absl::StatusCode::kFailedPrecondition);
}

TEST(LmmTrack, AdviceRefusedWithoutCoordinatorReview) {
  LmmCase c = ReadyToAdvise();
  c.reviews.erase(c.reviews.begin());  // only the other VPI reviewed
  EXPECT_EQ(AdviseCode(c), absl::StatusCode::kFailedPrecondition);
  // Unless the coordinator is the weighing VPI: then that part is done.
  EXPECT_TRUE(CheckTransition(c, CaseAction::kAdvise, /*weighing_advisor_is_coordinator=*/true).ok());
}

TEST(LmmTrack, AdviceRefusedWithoutReviewByAnotherVpi) {
  LmmCase c = ReadyToAdvise();
  c.reviews.pop_back();  // only the coordinator reviewed
  EXPECT_EQ(AdviseCode(c), absl::StatusCode::kFailedPrecondition);
  // Even when the coordinator weighs, one other VPI must still review.
  EXPECT_EQ(AdviseCode(c, true), absl::StatusCode::kFailedPrecondition);
}

TEST(LmmTrack, ReviewByReporterAdvisorDoesNotCount) {
  LmmCase c = ReadyToAdvise();
  c.reviews[1].reviewer_person_id = kReporterAdvisor;
  EXPECT_EQ(AdviseCode(c), absl::StatusCode::kFailedPrecondition);
}

TEST(LmmTrack, ReviewByWeighingAdvisorDoesNotCount) {
  LmmCase c = ReadyToAdvise();
  c.reviews[1].reviewer_person_id = kWeighingAdvisor;
  EXPECT_EQ(AdviseCode(c), absl::StatusCode::kFailedPrecondition);
}

TEST(LmmTrack, AdviceOnlyOnce) {
  LmmCase c = ReadyToAdvise();
  c.state = LmmState::kAdvised;
  c.advice = Advice{.reasoning = "r"};
  EXPECT_EQ(AdviseCode(c), absl::StatusCode::kFailedPrecondition);
}

TEST(LmmTrack, DecisionRefusedBeforeAnAdvice) {
  LmmCase c = ReadyToAdvise();
  for (LmmState s : {LmmState::kRegistered, LmmState::kStaffed, LmmState::kWeighing}) {
    c.state = s;
    EXPECT_EQ(CheckTransition(c, CaseAction::kDecide).code(), absl::StatusCode::kFailedPrecondition)
        << LmmStateName(s);
  }
  c.state = LmmState::kAdvised;
  c.advice = Advice{.reasoning = "r"};
  EXPECT_TRUE(CheckTransition(c, CaseAction::kDecide).ok());
  // And only once.
  c.state = LmmState::kInvestigation;
  c.decision = AuthorityDecision{};
  c.decision->investigate = true;
  EXPECT_EQ(CheckTransition(c, CaseAction::kDecide).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(LmmTrack, DefinitionTestOnlyWhenStaffed) {
  LmmCase c;
  for (LmmState s : {LmmState::kRegistered, LmmState::kWeighing, LmmState::kAdvised,
                     LmmState::kInvestigation, LmmState::kClosed, LmmState::kReferred}) {
    c.state = s;
    EXPECT_EQ(CheckTransition(c, CaseAction::kRecordDefinitionTest).code(),
              absl::StatusCode::kFailedPrecondition)
        << LmmStateName(s);
  }
  c.state = LmmState::kStaffed;
  EXPECT_TRUE(CheckTransition(c, CaseAction::kRecordDefinitionTest).ok());
}

TEST(LmmTrack, StaffingOnlyOnce) {
  LmmCase c;
  EXPECT_TRUE(CheckTransition(c, CaseAction::kStaff).ok());
  c.state = LmmState::kStaffed;
  EXPECT_EQ(CheckTransition(c, CaseAction::kStaff).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(LmmTrack, WeighingAndReviewsOnlyDuringWeighing) {
  LmmCase c;
  for (CaseAction a : {CaseAction::kRecordWeighing, CaseAction::kInviteReviewer, CaseAction::kReview}) {
    c.state = LmmState::kStaffed;
    EXPECT_EQ(CheckTransition(c, a).code(), absl::StatusCode::kFailedPrecondition);
    c.state = LmmState::kAdvised;
    EXPECT_EQ(CheckTransition(c, a).code(), absl::StatusCode::kFailedPrecondition);
    c.state = LmmState::kWeighing;
    EXPECT_TRUE(CheckTransition(c, a).ok());
  }
}

TEST(LmmTrack, FeedbackOnlyAfterAcknowledgement) {
  LmmCase c;
  EXPECT_EQ(CheckTransition(c, CaseAction::kRecordFeedback).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckTransition(c, CaseAction::kAcknowledge).ok());
  c.acknowledged_on = Ymd(2026, 11, 20);
  EXPECT_TRUE(CheckTransition(c, CaseAction::kRecordFeedback).ok());
  EXPECT_EQ(CheckTransition(c, CaseAction::kAcknowledge).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(LmmTrack, ReadsAreAlwaysValidSteps) {
  LmmCase c;
  c.state = LmmState::kClosed;
  EXPECT_TRUE(CheckTransition(c, CaseAction::kRead).ok());
  EXPECT_TRUE(CheckTransition(c, CaseAction::kReadWeighing).ok());
}

TEST(LmmTrack, PossibleStepsFollowTheState) {
  LmmCase c;
  auto steps = PossibleSteps(c);
  auto has = [&](CaseAction a) { return std::find(steps.begin(), steps.end(), a) != steps.end(); };
  EXPECT_TRUE(has(CaseAction::kStaff));
  EXPECT_FALSE(has(CaseAction::kAdvise));
  EXPECT_FALSE(has(CaseAction::kDecide));
  c = ReadyToAdvise();
  c.state = LmmState::kAdvised;
  steps = PossibleSteps(c);
  EXPECT_TRUE(has(CaseAction::kDecide));
  EXPECT_FALSE(has(CaseAction::kStaff));
}


// --- the LMM runs on its file ---

Actor WithRoles(std::set<Role> roles) {
  Actor a;
  a.person_id = 99;
  a.roles = std::move(roles);
  return a;
}

TEST(LmmTrackFile, LmmStepsAreTakenOnlyByTheRolesTheTrackFileNames) {
  const Actor vpi = WithRoles({Role::kIntegrityAdvisor, Role::kEmployee});
  const Actor coordinator = WithRoles({Role::kCoordinator, Role::kEmployee});
  const Actor authority = WithRoles({Role::kCompetentAuthority, Role::kEmployee});
  for (CaseAction a : {CaseAction::kRecordDefinitionTest, CaseAction::kRecordWeighing, CaseAction::kInviteReviewer,
                       CaseAction::kReview, CaseAction::kAdvise, CaseAction::kAcknowledge,
                       CaseAction::kRecordFeedback, CaseAction::kRecordProtection}) {
    SCOPED_TRACE(access::CaseActionName(a));
    EXPECT_TRUE(Lmm().CheckRole(vpi, a).ok());
    EXPECT_TRUE(Lmm().CheckRole(coordinator, a).ok());  // a coordinator is also a VPI
    for (const Actor& no : {WithRoles({Role::kEmployee}), WithRoles({Role::kAdmin}), WithRoles({Role::kAuditor}),
                            authority})
      EXPECT_EQ(Lmm().CheckRole(no, a).code(), absl::StatusCode::kPermissionDenied);
  }
  EXPECT_TRUE(Lmm().CheckRole(authority, CaseAction::kDecide).ok());
  EXPECT_EQ(Lmm().CheckRole(coordinator, CaseAction::kDecide).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Lmm().CheckRole(coordinator, CaseAction::kStaff).ok());
  EXPECT_EQ(Lmm().CheckRole(vpi, CaseAction::kStaff).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Lmm().CheckRole(vpi, CaseAction::kClose).code(), absl::StatusCode::kPermissionDenied);
  // Reads are the case check's (core/access).
  EXPECT_TRUE(Lmm().CheckRole(WithRoles({Role::kEmployee}), CaseAction::kRead).ok());
  // The refusal says who does take the step, in Dutch.
  EXPECT_NE(std::string(Lmm().CheckRole(vpi, CaseAction::kDecide).message()).find("Bevoegd gezag"),
            std::string::npos);
}

TEST(LmmTrackFile, WhereAStepLeadsIsDecidedByWhatItRecorded) {
  LmmCase staffed;
  staffed.state = LmmState::kStaffed;
  LmmCase after = staffed;
  after.definition_test = DefinitionTest{.reasonable_grounds = true, .public_interest = true,
                                         .harms = {std::string(kMisstandHarms[0])}};
  ASSERT_TRUE(PassesDefinitionTest(*after.definition_test));
  EXPECT_EQ(*Lmm().NextState(staffed, after, CaseAction::kRecordDefinitionTest), LmmState::kWeighing);
  after.definition_test = DefinitionTest{.exclusions = {std::string(kExclusions[0])}, .referral = "hrm"};
  EXPECT_EQ(*Lmm().NextState(staffed, after, CaseAction::kRecordDefinitionTest), LmmState::kReferred);

  LmmCase advised = ReadyToAdvise();
  advised.state = LmmState::kAdvised;
  LmmCase decided = advised;
  decided.decision = AuthorityDecision{.adopts_advice = true, .investigate = true};
  EXPECT_EQ(*Lmm().NextState(advised, decided, CaseAction::kDecide), LmmState::kInvestigation);
  decided.decision->investigate = false;
  EXPECT_EQ(*Lmm().NextState(advised, decided, CaseAction::kDecide), LmmState::kClosed);
  // A step that stays leaves the case where it is.
  LmmCase acknowledged = advised;
  acknowledged.acknowledged_on = Ymd(2026, 11, 20);
  EXPECT_EQ(*Lmm().NextState(advised, acknowledged, CaseAction::kAcknowledge), LmmState::kAdvised);
}

TEST(LmmTrackFile, ChangingTheFileChangesTheRules) {
  TrackDefinition def = Lmm().definition();
  // A shorter acknowledgement period (a tightening) moves the due date.
  for (auto& d : def.deadlines)
    if (d.id == "acknowledgement") d.amount = 5;
  // And closing becomes possible right after the advice.
  for (auto& t : def.transitions)
    if (t.action == "close") t.from.push_back("advised");
  auto bound = LmmTrack::Bind(def);
  ASSERT_TRUE(bound.ok()) << bound.status();
  EXPECT_EQ(bound->AcknowledgementDue(Ymd(2026, 11, 18)), Ymd(2026, 11, 23));  // Wed + 5 = Mon
  LmmCase c = ReadyToAdvise();
  c.state = LmmState::kAdvised;
  EXPECT_TRUE(bound->CheckTransition(c, CaseAction::kClose).ok());
  EXPECT_EQ(Lmm().CheckTransition(c, CaseAction::kClose).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(LmmTrackFile, AFileThatDoesNotFitTheCaseModelIsRefused) {
  TrackDefinition def = Lmm().definition();
  std::erase_if(def.states, [](const StateDef& s) { return s.id == "referred"; });
  for (auto& t : def.transitions) {
    if (t.action == "advise") t.guards.push_back("complainant_consent");
    if (t.action == "weighing") t.action = "weigh_twice";
  }
  for (auto& d : def.deadlines)
    if (d.id == "feedback") d.from = "staff";
  auto bound = LmmTrack::Bind(def);
  ASSERT_FALSE(bound.ok());
  const std::string msg(bound.status().message());
  EXPECT_NE(msg.find("de stap 'referred' ontbreekt"), std::string::npos) << msg;
  EXPECT_NE(msg.find("complainant_consent"), std::string::npos) << msg;
  EXPECT_NE(msg.find("de handeling 'weighing' ontbreekt"), std::string::npos) << msg;
  EXPECT_NE(msg.find("onbekende handeling 'weigh_twice'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("termijn 'feedback' telt vanaf 'staff'"), std::string::npos) << msg;
}

TEST(LmmTrackFile, AStepOutOfOrderSaysWhereItCanBeTaken) {
  LmmCase c;
  c.state = LmmState::kRegistered;
  absl::Status st = Lmm().CheckTransition(c, CaseAction::kDecide);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(st.message()).find("Advies bij het bevoegd gezag"), std::string::npos) << st;
  EXPECT_NE(std::string(st.message()).find("Wacht op bemensing"), std::string::npos) << st;
}

}  // namespace
}  // namespace waarborg::workflow
