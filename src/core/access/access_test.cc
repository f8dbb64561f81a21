// Access rules of the LMM track (DOMAIN §2, §8): who sees and does what.
#include "core/access/access.h"

#include <gtest/gtest.h>

namespace waarborg::access {
namespace {

// People in the scenario (person ids; account id = person id + 1000).
constexpr Id kCoordinatorP = 1;
constexpr Id kAuthorityP = 2;
constexpr Id kAdminP = 3;
constexpr Id kAuditorP = 4;
constexpr Id kReporterAdvisorP = 11;
constexpr Id kWeighingAdvisorP = 12;
constexpr Id kReviewerP = 13;
constexpr Id kOtherVpiP = 14;
constexpr Id kRegistrarP = 15;
constexpr Id kReporterP = 50;
constexpr Id kEmployeeP = 60;

Actor Make(Id person, std::set<Role> roles, std::string name = "x") {
  Actor a;
  a.person_id = person;
  a.account_id = person + 1000;
  a.roles = std::move(roles);
  a.username = std::move(name);
  return a;
}

Actor Coordinator() { return Make(kCoordinatorP, {Role::kCoordinator, Role::kEmployee}); }
Actor Authority() { return Make(kAuthorityP, {Role::kCompetentAuthority, Role::kEmployee}); }
Actor Admin() { return Make(kAdminP, {Role::kAdmin}); }
Actor Auditor() { return Make(kAuditorP, {Role::kAuditor}); }
Actor ReporterAdvisor() { return Make(kReporterAdvisorP, {Role::kIntegrityAdvisor, Role::kEmployee}); }
Actor WeighingAdvisor() { return Make(kWeighingAdvisorP, {Role::kIntegrityAdvisor, Role::kEmployee}); }
Actor Reviewer() { return Make(kReviewerP, {Role::kIntegrityAdvisor, Role::kEmployee}); }
Actor OtherVpi() { return Make(kOtherVpiP, {Role::kIntegrityAdvisor, Role::kEmployee}); }
Actor Registrar() { return Make(kRegistrarP, {Role::kIntegrityAdvisor, Role::kEmployee}); }
Actor Reporter() {
  Actor a;  // came back with the receipt of case 7
  a.reporter_case = 7;
  return a;
}
Actor Employee() { return Make(kEmployeeP, {Role::kEmployee}); }


LmmCase Staffed() {
  LmmCase c;
  c.id = 7;
  c.state = LmmState::kStaffed;
  c.registered_by_person = kRegistrarP;
  c.reporter_advisor_id = kReporterAdvisorP;
  c.weighing_advisor_id = kWeighingAdvisorP;
  c.subject_person_ids = {70};
  return c;
}

LmmCase Registered() {
  LmmCase c = Staffed();
  c.state = LmmState::kRegistered;
  c.reporter_advisor_id.reset();
  c.weighing_advisor_id.reset();
  return c;
}

LmmCase Weighing() {
  LmmCase c = Staffed();
  c.state = LmmState::kWeighing;
  c.reviewer_ids = {kReviewerP};
  return c;
}

LmmCase Advised() {
  LmmCase c = Weighing();
  c.state = LmmState::kAdvised;
  c.advice = Advice{.is_suspected_wrongdoing = true, .investigate_now = true, .reasoning = "r", .at = 1};
  return c;
}

LmmCase Decided() {
  LmmCase c = Advised();
  c.state = LmmState::kInvestigation;
  c.decision = AuthorityDecision{};
  c.decision->investigate = true;
  c.decision->at = 2;
  return c;
}

bool May(const Actor& a, const LmmCase& c, CaseAction action) {
  return Can(a, RelationOf(a, c), c, action);
}

absl::Status Check(const Actor& a, const LmmCase& c, CaseAction action) {
  return CheckCase(a, RelationOf(a, c), c, action);
}

// --- relation ---

TEST(LmmAccess, RelationFollowsCaseRoles) {
  const LmmCase c = Weighing();
  EXPECT_TRUE(RelationOf(ReporterAdvisor(), c).is_reporter_advisor);
  EXPECT_TRUE(RelationOf(WeighingAdvisor(), c).is_weighing_advisor);
  EXPECT_TRUE(RelationOf(Reviewer(), c).is_reviewer);
  EXPECT_TRUE(RelationOf(Registrar(), c).registered_it);
  EXPECT_TRUE(RelationOf(Reporter(), c).is_reporter);
  auto none = RelationOf(Employee(), c);
  EXPECT_FALSE(none.is_reporter || none.is_reporter_advisor || none.is_weighing_advisor ||
               none.is_reviewer || none.registered_it);
  // No reporter account (mailbox report): nobody is "the reporter".
  Actor other_receipt = Reporter();
  other_receipt.reporter_case = 8;
  EXPECT_FALSE(RelationOf(other_receipt, c).is_reporter);
}

// --- §2.4: the reporter's VPI takes no part in weighing, advice, consultation ---

TEST(LmmAccess, ReporterAdvisorNeverSeesWeighing) {
  for (const LmmCase& c : {Staffed(), Weighing(), Advised(), Decided()}) {
    SCOPED_TRACE(LmmStateName(c.state));
    auto st = Check(ReporterAdvisor(), c, CaseAction::kReadWeighing);
    EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied);
    EXPECT_FALSE(st.message().empty());
  }
  // ... while the weighing VPI, the coordinator and an invited reviewer do.
  EXPECT_TRUE(May(WeighingAdvisor(), Weighing(), CaseAction::kReadWeighing));
  EXPECT_TRUE(May(Coordinator(), Weighing(), CaseAction::kReadWeighing));
  EXPECT_TRUE(May(Reviewer(), Weighing(), CaseAction::kReadWeighing));
}

TEST(LmmAccess, ReporterAdvisorNeverSeesAdviceBeforeDecision) {
  EXPECT_FALSE(May(ReporterAdvisor(), Weighing(), CaseAction::kReadOutcome));
  EXPECT_FALSE(May(ReporterAdvisor(), Advised(), CaseAction::kReadOutcome));
  EXPECT_FALSE(May(Reporter(), Advised(), CaseAction::kReadOutcome));
}

TEST(LmmAccess, ReporterAdvisorCannotReviewWeighOrAdvise) {
  const LmmCase c = Weighing();
  EXPECT_EQ(Check(ReporterAdvisor(), c, CaseAction::kReview).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(May(ReporterAdvisor(), c, CaseAction::kRecordWeighing));
  EXPECT_FALSE(May(ReporterAdvisor(), c, CaseAction::kAdvise));
  EXPECT_FALSE(May(ReporterAdvisor(), c, CaseAction::kRecordDefinitionTest));
  EXPECT_FALSE(May(ReporterAdvisor(), c, CaseAction::kInviteReviewer));
  // Even when also invited as a reviewer by mistake.
  LmmCase invited = c;
  invited.reviewer_ids.push_back(kReporterAdvisorP);
  EXPECT_FALSE(May(ReporterAdvisor(), invited, CaseAction::kReview));
  EXPECT_FALSE(May(ReporterAdvisor(), invited, CaseAction::kReadWeighing));
}

TEST(LmmAccess, WeighingAdvisorCannotReviewOwnWeighing) {
  EXPECT_FALSE(May(WeighingAdvisor(), Weighing(), CaseAction::kReview));
  EXPECT_TRUE(May(Reviewer(), Weighing(), CaseAction::kReview));
  EXPECT_TRUE(May(Coordinator(), Weighing(), CaseAction::kReview));
  // A VPI who was not invited does not review.
  EXPECT_FALSE(May(OtherVpi(), Weighing(), CaseAction::kReview));
}

TEST(LmmAccess, OnlyWeighingAdvisorWeighsAndAdvises) {
  const LmmCase c = Weighing();
  EXPECT_TRUE(May(WeighingAdvisor(), c, CaseAction::kRecordWeighing));
  EXPECT_TRUE(May(WeighingAdvisor(), c, CaseAction::kAdvise));
  EXPECT_FALSE(May(Reviewer(), c, CaseAction::kAdvise));
  EXPECT_FALSE(May(OtherVpi(), c, CaseAction::kRecordWeighing));
}

// --- §2.6: communication gate ---

TEST(LmmAccess, ReporterAndReporterAdvisorSeeOutcomeAfterDecision) {
  const LmmCase c = Decided();
  EXPECT_TRUE(May(Reporter(), c, CaseAction::kReadOutcome));
  EXPECT_TRUE(May(ReporterAdvisor(), c, CaseAction::kReadOutcome));
  // A decision to close without investigation opens the gate as well.
  LmmCase closed = Advised();
  closed.state = LmmState::kClosed;
  closed.decision = AuthorityDecision{};
  closed.decision->investigate = false;
  EXPECT_TRUE(May(Reporter(), closed, CaseAction::kReadOutcome));
  EXPECT_TRUE(May(ReporterAdvisor(), closed, CaseAction::kReadOutcome));
  // Strangers still see nothing.
  EXPECT_FALSE(May(Employee(), c, CaseAction::kReadOutcome));
  EXPECT_FALSE(May(OtherVpi(), c, CaseAction::kReadOutcome));
}

TEST(LmmAccess, ReporterSeesOwnCaseButNotWeighing) {
  EXPECT_TRUE(May(Reporter(), Weighing(), CaseAction::kRead));
  EXPECT_FALSE(May(Reporter(), Weighing(), CaseAction::kReadWeighing));
  EXPECT_FALSE(May(Reporter(), Decided(), CaseAction::kReadWeighing));
  EXPECT_FALSE(May(Reporter(), Weighing(), CaseAction::kReadProtection));
}

// --- identity (§2, §8) ---

TEST(LmmAccess, IdentityOnlyForTheTwoVpisTheCoordinatorAndTheReporter) {
  for (const LmmCase& c : {Staffed(), Weighing(), Advised(), Decided()}) {
    SCOPED_TRACE(LmmStateName(c.state));
    EXPECT_TRUE(May(ReporterAdvisor(), c, CaseAction::kReadIdentity));
    EXPECT_TRUE(May(WeighingAdvisor(), c, CaseAction::kReadIdentity));
    EXPECT_TRUE(May(Coordinator(), c, CaseAction::kReadIdentity));
    EXPECT_TRUE(May(Reporter(), c, CaseAction::kReadIdentity));

    EXPECT_FALSE(May(Reviewer(), c, CaseAction::kReadIdentity));
    EXPECT_FALSE(May(Authority(), c, CaseAction::kReadIdentity));
    EXPECT_FALSE(May(OtherVpi(), c, CaseAction::kReadIdentity));
    EXPECT_FALSE(May(Admin(), c, CaseAction::kReadIdentity));
    EXPECT_FALSE(May(Auditor(), c, CaseAction::kReadIdentity));
    EXPECT_FALSE(May(Employee(), c, CaseAction::kReadIdentity));
    // The VPI who took the report in loses sight of the identity once two
    // other VPIs are assigned.
    EXPECT_FALSE(May(Registrar(), c, CaseAction::kReadIdentity));
  }
}

TEST(LmmAccess, RegistrarSeesIdentityUntilStaffed) {
  EXPECT_TRUE(May(Registrar(), Registered(), CaseAction::kReadIdentity));
  EXPECT_FALSE(May(Registrar(), Staffed(), CaseAction::kReadIdentity));
}

// --- the competent authority (bevoegd gezag) ---

TEST(LmmAccess, AuthoritySeesCaseOnlyOnceItHasAnAdvice) {
  for (const LmmCase& c : {Registered(), Staffed(), Weighing()}) {
    SCOPED_TRACE(LmmStateName(c.state));
    EXPECT_EQ(Check(Authority(), c, CaseAction::kRead).code(), absl::StatusCode::kPermissionDenied);
    EXPECT_FALSE(May(Authority(), c, CaseAction::kReadWeighing));
    EXPECT_FALSE(May(Authority(), c, CaseAction::kReadOutcome));
  }
  for (const LmmCase& c : {Advised(), Decided()}) {
    SCOPED_TRACE(LmmStateName(c.state));
    EXPECT_TRUE(May(Authority(), c, CaseAction::kRead));
    EXPECT_TRUE(May(Authority(), c, CaseAction::kReadWeighing));
    EXPECT_TRUE(May(Authority(), c, CaseAction::kReadOutcome));
  }
  // A referred case never got an advice: never the authority's.
  LmmCase referred = Staffed();
  referred.state = LmmState::kReferred;
  EXPECT_FALSE(May(Authority(), referred, CaseAction::kRead));
}

TEST(LmmAccess, OnlyTheAuthorityDecides) {
  const LmmCase c = Advised();
  EXPECT_TRUE(May(Authority(), c, CaseAction::kDecide));
  for (const Actor& a : {Coordinator(), WeighingAdvisor(), ReporterAdvisor(), Reviewer(), Admin(),
                         Auditor(), Reporter()}) {
    SCOPED_TRACE(a.person_id);
    EXPECT_EQ(Check(a, c, CaseAction::kDecide).code(), absl::StatusCode::kPermissionDenied);
  }
}

TEST(LmmAccess, AuthorityTakesNoVpiSteps) {
  const LmmCase c = Advised();
  EXPECT_FALSE(May(Authority(), c, CaseAction::kAdvise));
  EXPECT_FALSE(May(Authority(), c, CaseAction::kStaff));
  EXPECT_FALSE(May(Authority(), c, CaseAction::kReadProtection));
}

// --- the coordinator ---

TEST(LmmAccess, OnlyTheCoordinatorStaffs) {
  const LmmCase c = Registered();
  EXPECT_TRUE(May(Coordinator(), c, CaseAction::kStaff));
  for (const Actor& a : {Registrar(), OtherVpi(), Authority(), Admin(), Auditor(), Reporter()}) {
    SCOPED_TRACE(a.person_id);
    EXPECT_EQ(Check(a, c, CaseAction::kStaff).code(), absl::StatusCode::kPermissionDenied);
  }
}

TEST(LmmAccess, OnlyTheCoordinatorCloses) {
  const LmmCase c = Decided();
  EXPECT_TRUE(May(Coordinator(), c, CaseAction::kClose));
  EXPECT_FALSE(May(WeighingAdvisor(), c, CaseAction::kClose));
  EXPECT_FALSE(May(ReporterAdvisor(), c, CaseAction::kClose));
  EXPECT_FALSE(May(Authority(), c, CaseAction::kClose));
}

TEST(LmmAccess, CoordinatorSeesEveryCase) {
  for (const LmmCase& c : {Registered(), Staffed(), Weighing(), Advised(), Decided()}) {
    EXPECT_TRUE(May(Coordinator(), c, CaseAction::kRead));
  }
}

// --- admin and auditor: no case content ---

TEST(LmmAccess, AdminAndAuditorSeeNoCaseContent) {
  for (const LmmCase& c : {Registered(), Staffed(), Weighing(), Advised(), Decided()}) {
    SCOPED_TRACE(LmmStateName(c.state));
    for (const Actor& a : {Admin(), Auditor()}) {
      for (CaseAction action : {CaseAction::kRead, CaseAction::kReadIdentity, CaseAction::kReadWeighing,
                                CaseAction::kReadOutcome, CaseAction::kReadProtection}) {
        SCOPED_TRACE(CaseActionName(action));
        EXPECT_EQ(Check(a, c, action).code(), absl::StatusCode::kPermissionDenied);
      }
    }
  }
}

TEST(LmmAccess, AuditorSeesTheAccessLog) {
  const LmmCase c = Weighing();
  EXPECT_TRUE(May(Auditor(), c, CaseAction::kReadAccessLog));
  EXPECT_TRUE(May(Coordinator(), c, CaseAction::kReadAccessLog));
  for (const Actor& a : {Admin(), WeighingAdvisor(), ReporterAdvisor(), Reviewer(), Reporter(),
                         Authority()}) {
    SCOPED_TRACE(a.person_id);
    EXPECT_FALSE(May(a, c, CaseAction::kReadAccessLog));
  }
  EXPECT_TRUE(CheckAuditSearch(Auditor()).ok());
  EXPECT_EQ(CheckAuditSearch(Admin()).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckAuditSearch(ReporterAdvisor()).code(), absl::StatusCode::kPermissionDenied);
}

TEST(LmmAccess, AdminManagesAccountsButNoCases) {
  EXPECT_TRUE(CheckAdmin(Admin()).ok());
  EXPECT_EQ(CheckAdmin(Auditor()).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckAdmin(Coordinator()).code(), absl::StatusCode::kPermissionDenied);
  const ListScope s = CaseListScope(Admin());
  EXPECT_FALSE(s.all);
  EXPECT_FALSE(s.as_member);
  EXPECT_FALSE(s.as_authority);
}

// --- strangers ---

TEST(LmmAccess, EmployeeCannotOpenSomeoneElsesCase) {
  for (const LmmCase& c : {Registered(), Weighing(), Decided()}) {
    EXPECT_EQ(Check(Employee(), c, CaseAction::kRead).code(), absl::StatusCode::kPermissionDenied);
    EXPECT_FALSE(May(OtherVpi(), c, CaseAction::kRead));
  }
}

TEST(LmmAccess, ProtectionIsForTheReporterAdvisorAndCoordinator) {
  const LmmCase c = Weighing();
  EXPECT_TRUE(May(ReporterAdvisor(), c, CaseAction::kRecordProtection));
  EXPECT_TRUE(May(Coordinator(), c, CaseAction::kReadProtection));
  EXPECT_FALSE(May(WeighingAdvisor(), c, CaseAction::kReadProtection));
  EXPECT_FALSE(May(Reviewer(), c, CaseAction::kRecordProtection));
}

TEST(LmmAccess, ListScopeFollowsRoles) {
  ListScope coord = CaseListScope(Coordinator());
  EXPECT_TRUE(coord.all);
  ListScope vpi = CaseListScope(OtherVpi());
  EXPECT_FALSE(vpi.all);
  EXPECT_TRUE(vpi.as_member);
  ListScope emp = CaseListScope(Employee());
  EXPECT_FALSE(emp.all);
  EXPECT_FALSE(emp.as_member);
  EXPECT_FALSE(emp.as_authority);
  ListScope auth = CaseListScope(Authority());
  EXPECT_TRUE(auth.as_authority);
  EXPECT_FALSE(auth.all);
}

TEST(LmmAccess, OnlyVpisRegisterOnBehalfAndRecordActivities) {
  EXPECT_TRUE(CheckRegisterOnBehalf(OtherVpi()).ok());
  EXPECT_TRUE(CheckRegisterOnBehalf(Coordinator()).ok());
  EXPECT_EQ(CheckRegisterOnBehalf(Employee()).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckRegisterOnBehalf(Authority()).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(CheckRecordActivity(OtherVpi()).ok());
  EXPECT_EQ(CheckRecordActivity(Admin()).code(), absl::StatusCode::kPermissionDenied);
}

// --- separation of duties, whatever the state ---

TEST(LmmAccess, ReporterAdvisorIsRefusedWeighingStepsInEveryState) {
  for (const LmmCase& c : {Staffed(), Weighing(), Advised()}) {
    const auto rel = RelationOf(ReporterAdvisor(), c);
    for (CaseAction a : {CaseAction::kRecordDefinitionTest, CaseAction::kRecordWeighing,
                         CaseAction::kInviteReviewer, CaseAction::kReview, CaseAction::kAdvise}) {
      EXPECT_EQ(CheckSeparationOfDuties(ReporterAdvisor(), rel, a).code(),
                absl::StatusCode::kPermissionDenied)
          << CaseActionName(a);
    }
    // Their own tasks stay open to them.
    EXPECT_TRUE(CheckSeparationOfDuties(ReporterAdvisor(), rel, CaseAction::kRecordProtection).ok());
    EXPECT_TRUE(CheckSeparationOfDuties(ReporterAdvisor(), rel, CaseAction::kAcknowledge).ok());
  }
}

TEST(LmmAccess, CoordinatorAsReporterAdvisorNeverSeesWeighing) {
  LmmCase c = Weighing();
  c.reporter_advisor_id = kCoordinatorP;
  EXPECT_FALSE(May(Coordinator(), c, CaseAction::kReadWeighing));
  EXPECT_FALSE(CheckSeparationOfDuties(Coordinator(), RelationOf(Coordinator(), c),
                                       CaseAction::kReview).ok());
}

TEST(LmmAccess, CoordinatorAsReporterAdvisorSeesTheAdviceOnlyAfterTheDecision) {
  LmmCase c = Weighing();
  c.reporter_advisor_id = kCoordinatorP;
  c.state = LmmState::kAdvised;
  c.advice = Advice{.is_suspected_wrongdoing = true, .investigate_now = true, .reasoning = "r"};
  EXPECT_FALSE(May(Coordinator(), c, CaseAction::kReadOutcome));
  c.state = LmmState::kInvestigation;
  c.decision = AuthorityDecision{.adopts_advice = true, .investigate = true};
  EXPECT_TRUE(May(Coordinator(), c, CaseAction::kReadOutcome));
}

TEST(LmmAccess, ReporterTakesNoStepOnOwnCase) {
  const LmmCase c = Weighing();
  const auto rel = RelationOf(Reporter(), c);
  EXPECT_TRUE(CheckSeparationOfDuties(Reporter(), rel, CaseAction::kRead).ok());
  for (CaseAction a : {CaseAction::kAcknowledge, CaseAction::kRecordFeedback, CaseAction::kClose,
                       CaseAction::kReview}) {
    EXPECT_EQ(CheckSeparationOfDuties(Reporter(), rel, a).code(), absl::StatusCode::kPermissionDenied)
        << CaseActionName(a);
  }
}

// --- staffing eligibility: separation of duties ---

CaseParties Parties() {
  CaseParties p;
  p.reporter_person_id = kReporterP;
  p.reporter_chain = {51, 52};        // teamchef, sectorhoofd of the reporter
  p.subject_ids = {70, 80};
  p.subject_chains = {{71, 72}, {81}};
  return p;
}

AdvisorCandidate Vpi(Id person) {
  AdvisorCandidate c;
  c.person_id = person;
  c.is_advisor = true;
  return c;
}

TEST(LmmStaffing, IndependentVpiIsEligible) {
  EXPECT_TRUE(CheckAdvisorEligible(Vpi(kOtherVpiP), Parties()).ok());
}

TEST(LmmStaffing, ReporterCannotBeVpiOnOwnReport) {
  auto st = CheckAdvisorEligible(Vpi(kReporterP), Parties());
  EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(st.message().empty());
}

TEST(LmmStaffing, SubjectNamedInReportIsRefused) {
  EXPECT_EQ(CheckAdvisorEligible(Vpi(70), Parties()).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckAdvisorEligible(Vpi(80), Parties()).code(), absl::StatusCode::kPermissionDenied);
}

TEST(LmmStaffing, ChainOfCommandOfReporterIsRefused) {
  EXPECT_EQ(CheckAdvisorEligible(Vpi(51), Parties()).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckAdvisorEligible(Vpi(52), Parties()).code(), absl::StatusCode::kPermissionDenied);
}

TEST(LmmStaffing, ChainOfCommandOfAnySubjectIsRefused) {
  EXPECT_EQ(CheckAdvisorEligible(Vpi(71), Parties()).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckAdvisorEligible(Vpi(72), Parties()).code(), absl::StatusCode::kPermissionDenied);
  // The second subject's chain counts too, not only the first.
  EXPECT_EQ(CheckAdvisorEligible(Vpi(81), Parties()).code(), absl::StatusCode::kPermissionDenied);
}

TEST(LmmStaffing, NonVpiIsRefused) {
  AdvisorCandidate c = Vpi(kOtherVpiP);
  c.is_advisor = false;
  EXPECT_EQ(CheckAdvisorEligible(c, Parties()).code(), absl::StatusCode::kPermissionDenied);
}

TEST(LmmStaffing, AnonymousReporterLeavesOnlySubjectsToCheck) {
  CaseParties p = Parties();
  p.reporter_person_id.reset();
  p.reporter_chain.clear();
  EXPECT_TRUE(CheckAdvisorEligible(Vpi(kReporterP), p).ok());
  EXPECT_FALSE(CheckAdvisorEligible(Vpi(70), p).ok());
}

}  // namespace
}  // namespace waarborg::access
