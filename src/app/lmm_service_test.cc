// The LMM use cases end to end on a real SQLite file (DOMAIN §2, §8).
#include "app/lmm_service.h"
#include "app/identity_vault.h"
#include "app/retention.h"
#include "app/audit_service.h"

#include <stdlib.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "adapters/crypto/crypto.h"
#include "adapters/crypto/file_key_provider.h"
#include "adapters/crypto/sealing.h"
#include "adapters/sqlite/sqlite_store.h"
#include "adapters/workflow_files/shipped_tracks.h"
#include "core/common/status.h"
#include "core/ports/fake_clock.h"

namespace waarborg::app {
namespace {

using access::CaseAction;

Date Ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

// Monday 23 November 2026, 09:46:40 UTC (10:46 in Amsterdam).
constexpr Instant kMon23Nov2026 = 1'795'427'200'000;
constexpr Instant kHour = 3'600'000;

class LmmServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "waarborg-svc-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto s = SqliteStore::Open((std::filesystem::path(dir_) / "w.db").string(), crypto::Sha256Hex,
                               std::shared_ptr<KeyProvider>(*crypto::FileKeyProvider::Open(dir_ + "/master.key", true)));
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
    svc_ = std::make_unique<LmmService>(*store_, clock_, workflow_files::ShippedLmmTrack());

    ASSERT_TRUE(store_->Transact([&](StoreTx& tx) -> absl::Status {
      ASSIGN_OR_RETURN(unit_, tx.InsertUnit({0, "Eenheid Rotterdam", UnitKind::kUnit, std::nullopt}));
      ASSIGN_OR_RETURN(team_, tx.InsertUnit({0, "Team Noord", UnitKind::kTeam, unit_}));
      // Chain of command of the reporter: teamchef -> sectorhoofd.
      ASSIGN_OR_RETURN(Id sector_head, AddPerson(tx, "Sectorhoofd Smit", std::nullopt));
      ASSIGN_OR_RETURN(Id team_chief, AddPerson(tx, "Teamchef de Vries", sector_head));
      coordinator_ = Make(tx, "coordinator", "Coördinator Bakker", std::nullopt, {Role::kCoordinator});
      reporter_vpi_ = Make(tx, "vpi-melder", "VPI Jansen", std::nullopt, {Role::kIntegrityAdvisor});
      weighing_vpi_ = Make(tx, "vpi-weging", "VPI de Boer", std::nullopt, {Role::kIntegrityAdvisor});
      reviewer_vpi_ = Make(tx, "vpi-toets", "VPI Visser", std::nullopt, {Role::kIntegrityAdvisor});
      authority_ = Make(tx, "bevoegd", "Korpschef", std::nullopt, {Role::kCompetentAuthority});
      reporter_ = Make(tx, "j.meijer", "Melder Meijer", team_chief, {Role::kEmployee});
      stranger_ = Make(tx, "collega", "Collega Mulder", team_chief, {Role::kEmployee});
      auditor_ = Make(tx, "auditor", "Auditor Bos", std::nullopt, {Role::kAuditor});
      // A VPI who is also the reporter's team chief must never be assigned.
      chief_vpi_ = Make(tx, "vpi-chef", "Teamchef-VPI Dekker", sector_head, {Role::kIntegrityAdvisor});
      return tx.SetManager(reporter_.person_id, chief_vpi_.person_id);
    }).ok());
  }
  void TearDown() override {
    svc_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  absl::StatusOr<Id> AddPerson(StoreTx& tx, const std::string& name, std::optional<Id> manager) {
    return tx.InsertPerson({0, name, "Functie", "Schaal 9", team_, manager});
  }

  Actor Make(StoreTx& tx, const std::string& username, const std::string& name,
             std::optional<Id> manager, std::set<Role> roles) {
    Actor a;
    a.person_id = *AddPerson(tx, name, manager);
    Account acc;
    acc.person_id = a.person_id;
    acc.username = username;
    acc.password_hash = "x";
    acc.roles = roles;
    a.account_id = *tx.InsertAccount(acc);
    a.roles = roles;
    a.username = username;
    a.session_id = "sess-" + username;
    // A vault key pair, as a log-in makes it (without the slow passphrase
    // lock: the tests hold the unlocked key as a session would).
    crypto::KeyPair kp = crypto::NewKeyPair();
    EXPECT_TRUE(tx.PutPersonKey({a.person_id, kp.public_key, "locked-by-password"}).ok());
    a.vault_secret = kp.secret_key;
    return a;
  }

  // A reporter who came back with the receipt of `case_id`.
  static Actor ReporterOf(Id case_id) {
    Actor a;
    a.reporter_case = case_id;
    a.username = "melder";
    return a;
  }

  // A report the employee files online.
  NewReport OnlineReport(std::string summary, std::string description) const {
    NewReport r;
    r.channel = "online";
    r.reporter_category = "employee";
    r.summary = std::move(summary);
    r.description = std::move(description);
    r.unit_id = unit_;
    return r;
  }

  // Registered by the reporter's VPI after a conversation with the reporter.
  Id RegisterByVpi() {
    NewReport r;
    r.channel = "conversation";
    r.reporter_category = "employee";
    r.summary = "Vervalste urenregistratie";
    r.description = "Structureel worden uren geschreven die niet gewerkt zijn.";
    r.unit_id = unit_;
    r.reporter_person_id = reporter_.person_id;
    r.reporter_contact = "06-11223344";
    auto id = svc_->Register(reporter_vpi_, r);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or(0);
  }

  std::int64_t Version(Id id) {
    std::int64_t v = 0;
    EXPECT_TRUE(store_->Transact([&](StoreTx& tx) -> absl::Status {
      ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(id));
      v = c.version;
      return absl::OkStatus();
    }).ok());
    return v;
  }

  LmmState State(Id id) {
    LmmState s = LmmState::kRegistered;
    EXPECT_TRUE(store_->Transact([&](StoreTx& tx) -> absl::Status {
      ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(id));
      s = c.state;
      return absl::OkStatus();
    }).ok());
    return s;
  }

  // Audit events with this action (newest first).
  std::vector<AuditEvent> Audit(const std::string& action) {
    std::vector<AuditEvent> out;
    EXPECT_TRUE(store_->Transact([&](StoreTx& tx) {
      AuditQuery q;
      q.action = action;
      for (auto& e : tx.SearchAudit(q))
        if (e.action == action) out.push_back(e);
      return absl::OkStatus();
    }).ok());
    return out;
  }

  static Weighing FullWeighing() {
    Weighing w;
    w.findings["concrete"] = {true, "Data, namen en roosters zijn genoemd."};
    w.findings["good_faith"] = {true, "Geen persoonlijk belang gebleken."};
    w.findings["investigable"] = {true, "Urenregistratie en roosters zijn op te vragen."};
    w.findings["credible"] = {true, "Twee collega's bevestigen het patroon."};
    w.expected_end = Ymd(2027, 1, 15);
    return w;
  }

  static DefinitionTest Misstand() {
    DefinitionTest t;
    t.reasonable_grounds = true;
    t.public_interest = true;
    t.harms = {"proper_functioning"};
    return t;
  }

  // Takes a registered case through staffing, definition test, weighing and
  // both reviews, up to the point where the advice can be given.
  void ToReadyForAdvice(Id id) {
    ASSERT_TRUE(svc_->Staff(coordinator_, id, Version(id), reporter_vpi_.person_id,
                            weighing_vpi_.person_id).ok());
    ASSERT_TRUE(svc_->RecordDefinitionTest(weighing_vpi_, id, Version(id), Misstand()).ok());
    ASSERT_TRUE(svc_->RecordWeighing(weighing_vpi_, id, Version(id), FullWeighing()).ok());
    ASSERT_TRUE(svc_->InviteReviewer(weighing_vpi_, id, Version(id), reviewer_vpi_.person_id).ok());
    ASSERT_TRUE(svc_->AddReview(coordinator_, id, Version(id), true, "Goed onderbouwd.").ok());
    ASSERT_TRUE(svc_->AddReview(reviewer_vpi_, id, Version(id), true, "Eens.").ok());
  }

  static Advice GoodAdvice() {
    Advice a;
    a.is_suspected_wrongdoing = true;
    a.investigate_now = true;
    a.reasoning = "Alle vier criteria zijn voldoende onderbouwd.";
    return a;
  }

  std::string dir_;
  FakeClock clock_{kMon23Nov2026};
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<LmmService> svc_;
  Id unit_ = 0, team_ = 0;
  Actor coordinator_, reporter_vpi_, weighing_vpi_, reviewer_vpi_, authority_, reporter_, stranger_,
      auditor_, chief_vpi_;
};

TEST_F(LmmServiceTest, WholeFlowFromRegistrationToDecision) {
  const Id id = RegisterByVpi();
  ASSERT_NE(id, 0);
  EXPECT_EQ(State(id), LmmState::kRegistered);
  EXPECT_EQ(Version(id), 1);
  EXPECT_EQ(Audit("case.create").size(), 1u);

  // Statutory deadlines from the receipt (Mon 23 Nov 2026).
  {
    auto v = svc_->Open(coordinator_, id);
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(v->c.acknowledgement_due, Ymd(2026, 11, 30));
    EXPECT_EQ(v->c.feedback_due, Ymd(2027, 3, 1));  // 30 Nov + 3 months = 28 Feb (Sun) -> 1 Mar
    EXPECT_TRUE(v->identity_visible);
    EXPECT_EQ(v->reporter_display, "Melder Meijer");
    EXPECT_TRUE(std::count(v->next_steps.begin(), v->next_steps.end(), CaseAction::kStaff));
  }

  ASSERT_TRUE(svc_->Staff(coordinator_, id, 1, reporter_vpi_.person_id, weighing_vpi_.person_id).ok());
  EXPECT_EQ(State(id), LmmState::kStaffed);
  EXPECT_EQ(Version(id), 2);

  ASSERT_TRUE(svc_->Acknowledge(reporter_vpi_, id, 2, std::nullopt).ok());
  EXPECT_EQ(Version(id), 3);

  ASSERT_TRUE(svc_->RecordDefinitionTest(weighing_vpi_, id, 3, Misstand()).ok());
  EXPECT_EQ(State(id), LmmState::kWeighing);

  // The advice is refused while the weighing is incomplete.
  Weighing partial = FullWeighing();
  partial.findings.erase("credible");
  ASSERT_TRUE(svc_->RecordWeighing(weighing_vpi_, id, 4, partial).ok());
  EXPECT_EQ(svc_->Advise(weighing_vpi_, id, 5, GoodAdvice()).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Version(id), 5);
  ASSERT_TRUE(svc_->RecordWeighing(weighing_vpi_, id, 5, FullWeighing()).ok());

  // ... and without the collegial review.
  EXPECT_EQ(svc_->Advise(weighing_vpi_, id, 6, GoodAdvice()).code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(svc_->InviteReviewer(weighing_vpi_, id, 6, reviewer_vpi_.person_id).ok());
  ASSERT_TRUE(svc_->AddReview(coordinator_, id, 7, true, "Goed onderbouwd.").ok());
  EXPECT_EQ(svc_->Advise(weighing_vpi_, id, 8, GoodAdvice()).code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(svc_->AddReview(reviewer_vpi_, id, 8, true, "Eens.").ok());

  // The reporter's VPI sees neither weighing nor reviews meanwhile.
  {
    auto v = svc_->Open(reporter_vpi_, id);
    ASSERT_TRUE(v.ok());
    EXPECT_FALSE(v->weighing_visible);
    ASSERT_TRUE(v->c.weighing.has_value());  // the expected end date may be told ...
    EXPECT_TRUE(v->c.weighing->findings.empty());  // ... the findings not
    EXPECT_TRUE(v->c.reviews.empty());
    EXPECT_FALSE(v->c.definition_test.has_value());
    for (const auto& t : v->timeline) EXPECT_NE(t.kind, "review") << t.text;
  }

  clock_.Advance(kHour);
  ASSERT_TRUE(svc_->Advise(weighing_vpi_, id, 9, GoodAdvice()).ok());
  EXPECT_EQ(State(id), LmmState::kAdvised);

  // The communication gate: the advice stays hidden from the reporter's VPI
  // until the authority decides.
  {
    auto v = svc_->Open(reporter_vpi_, id);
    ASSERT_TRUE(v.ok());
    EXPECT_FALSE(v->outcome_visible);
    EXPECT_FALSE(v->c.advice.has_value());
  }
  {
    auto v = svc_->Open(authority_, id);
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->c.advice.has_value());
    EXPECT_FALSE(v->identity_visible);
    EXPECT_EQ(v->reporter_display, v->c.pseudonym);
    EXPECT_FALSE(v->identity.has_value());
  }

  AuthorityDecision d;
  d.adopts_advice = true;
  d.investigate = true;
  ASSERT_TRUE(svc_->Decide(authority_, id, 10, d).ok());
  EXPECT_EQ(State(id), LmmState::kInvestigation);
  EXPECT_EQ(Version(id), 11);

  {
    auto v = svc_->Open(reporter_vpi_, id);
    ASSERT_TRUE(v.ok());
    EXPECT_TRUE(v->outcome_visible);
    ASSERT_TRUE(v->c.advice.has_value());
    EXPECT_TRUE(v->c.decision.has_value());
    EXPECT_FALSE(v->weighing_visible);  // still no part in the weighing
  }
  // Every step left its audit event.
  for (const char* action : {"case.staff", "case.acknowledge", "case.definition_test", "case.weighing",
                             "case.invite_reviewer", "case.review", "case.advise", "case.decide"}) {
    EXPECT_FALSE(Audit(action).empty()) << action;
  }
}

TEST_F(LmmServiceTest, ReporterAdvisorMayNotAdvise) {
  const Id id = RegisterByVpi();
  ToReadyForAdvice(id);
  const std::int64_t before = Version(id);
  ASSERT_TRUE(Audit("case.advise_denied").empty());

  auto st = svc_->Advise(reporter_vpi_, id, before, GoodAdvice());
  EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(st.message().empty());
  EXPECT_EQ(Version(id), before);
  EXPECT_EQ(State(id), LmmState::kWeighing);
  auto denied = Audit("case.advise_denied");
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].actor, "vpi-melder");
  EXPECT_EQ(denied[0].case_id, std::to_string(id));
  EXPECT_TRUE(Audit("case.advise").empty());
}

TEST_F(LmmServiceTest, ReporterAdvisorLearnsNothingOfWeighingProgress) {
  // Before the weighing is complete the weighing VPI hears why (409); the
  // reporter's VPI gets only a refusal (403), not the state of the weighing.
  const Id id = RegisterByVpi();
  ASSERT_TRUE(svc_->Staff(coordinator_, id, 1, reporter_vpi_.person_id, weighing_vpi_.person_id).ok());
  ASSERT_TRUE(svc_->RecordDefinitionTest(weighing_vpi_, id, 2, Misstand()).ok());
  EXPECT_EQ(svc_->Advise(weighing_vpi_, id, 3, GoodAdvice()).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(svc_->Advise(reporter_vpi_, id, 3, GoodAdvice()).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Version(id), 3);
}

TEST_F(LmmServiceTest, ReporterAdvisorMayNotReview) {
  const Id id = RegisterByVpi();
  ToReadyForAdvice(id);
  const std::int64_t before = Version(id);
  EXPECT_EQ(svc_->AddReview(reporter_vpi_, id, before, true, "Eens").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Version(id), before);
  EXPECT_EQ(Audit("case.review_denied").size(), 1u);
}

TEST_F(LmmServiceTest, EmployeeCannotOpenSomeoneElsesCase) {
  auto id = svc_->Register(Actor{}, OnlineReport("Lekken van informatie",
                                                 "Informatie uit het systeem wordt doorgespeeld."));
  ASSERT_TRUE(id.ok()) << id.status();

  // The reporter (back with the receipt) sees their own case in plain terms,
  // without internal parts.
  auto own = svc_->Open(ReporterOf(*id), *id);
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_TRUE(own->is_reporter_view);
  EXPECT_FALSE(own->status_for_reporter.empty());
  EXPECT_TRUE(own->next_steps.empty());

  // A colleague does not.
  auto other = svc_->Open(stranger_, *id);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  auto denied = Audit("case.read_denied");
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].actor, "collega");
  EXPECT_EQ(Version(*id), 1);

  // The server links no account to a report: the employee's list is empty,
  // the report is reached only with the receipt.
  auto mine = svc_->List(reporter_, {});
  ASSERT_TRUE(mine.ok());
  EXPECT_TRUE(mine->empty());
  EXPECT_EQ(svc_->Open(reporter_, *id).status().code(), absl::StatusCode::kPermissionDenied);
  auto theirs = svc_->List(stranger_, {});
  ASSERT_TRUE(theirs.ok());
  EXPECT_TRUE(theirs->empty());
}

TEST_F(LmmServiceTest, OnlineReportIsAuditedWithoutTheReportersAccount) {
  auto id = svc_->Register(Actor{}, OnlineReport("Melding", "Beschrijving"));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(svc_->Open(ReporterOf(*id), *id).ok());
  for (const char* action : {"case.create", "case.read"}) {
    ASSERT_FALSE(Audit(action).empty()) << action;
    for (const auto& e : Audit(action)) {
      EXPECT_EQ(e.actor, "melder") << action;  // not "j.meijer"
      EXPECT_NE(e.session, reporter_.session_id) << action;
    }
  }
}

TEST_F(LmmServiceTest, AuthorityCannotOpenCaseBeforeAdvice) {
  const Id id = RegisterByVpi();
  EXPECT_EQ(svc_->Open(authority_, id).status().code(), absl::StatusCode::kPermissionDenied);
  auto list = svc_->List(authority_, {});
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST_F(LmmServiceTest, OnlyTheAuthorityDecides) {
  const Id id = RegisterByVpi();
  ToReadyForAdvice(id);
  ASSERT_TRUE(svc_->Advise(weighing_vpi_, id, Version(id), GoodAdvice()).ok());
  const std::int64_t before = Version(id);
  AuthorityDecision d;
  d.investigate = true;
  EXPECT_EQ(svc_->Decide(coordinator_, id, before, d).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(svc_->Decide(weighing_vpi_, id, before, d).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Version(id), before);
  EXPECT_EQ(Audit("case.decide_denied").size(), 2u);
  EXPECT_TRUE(svc_->Decide(authority_, id, before, d).ok());
}

TEST_F(LmmServiceTest, OnlyTheCoordinatorStaffs) {
  const Id id = RegisterByVpi();
  EXPECT_EQ(svc_->Staff(reporter_vpi_, id, 1, reporter_vpi_.person_id, weighing_vpi_.person_id).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Version(id), 1);
  EXPECT_EQ(State(id), LmmState::kRegistered);
  EXPECT_EQ(Audit("case.staff_denied").size(), 1u);
}

TEST_F(LmmServiceTest, VpiInReportersChainOfCommandIsNotAssigned) {
  const Id id = RegisterByVpi();
  auto st = svc_->Staff(coordinator_, id, 1, chief_vpi_.person_id, weighing_vpi_.person_id);
  EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Version(id), 1);
  EXPECT_EQ(State(id), LmmState::kRegistered);
  // The suggestions mark the team chief as not eligible.
  auto sugg = svc_->SuggestAdvisors(coordinator_, id);
  ASSERT_TRUE(sugg.ok()) << sugg.status();
  bool seen = false;
  for (const auto& s : *sugg) {
    if (s.person.id != chief_vpi_.person_id) continue;
    seen = true;
    EXPECT_FALSE(s.eligible);
    EXPECT_FALSE(s.reason.empty());
  }
  EXPECT_TRUE(seen);
}

TEST_F(LmmServiceTest, StaleVersionIsRefused) {
  const Id id = RegisterByVpi();
  ASSERT_TRUE(svc_->Staff(coordinator_, id, 1, reporter_vpi_.person_id, weighing_vpi_.person_id).ok());
  // A second browser tab still on version 1.
  EXPECT_EQ(svc_->Acknowledge(reporter_vpi_, id, 1, std::nullopt).code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Version(id), 2);
}

TEST_F(LmmServiceTest, DefinitionTestFailureRefersTheReport) {
  const Id id = RegisterByVpi();
  ASSERT_TRUE(svc_->Staff(coordinator_, id, 1, reporter_vpi_.person_id, weighing_vpi_.person_id).ok());
  DefinitionTest t = Misstand();
  t.exclusions = {"labour_dispute"};
  // Without a referral it is refused ...
  EXPECT_EQ(svc_->RecordDefinitionTest(weighing_vpi_, id, 2, t).code(), absl::StatusCode::kInvalidArgument);
  t.referral = std::string(SuggestedReferral("labour_dispute"));
  ASSERT_TRUE(svc_->RecordDefinitionTest(weighing_vpi_, id, 2, t).ok());
  EXPECT_EQ(State(id), LmmState::kReferred);
  // The reporter hears where to go.
  auto v = svc_->Open(coordinator_, id);
  ASSERT_TRUE(v.ok());
  EXPECT_NE(v->status_for_reporter.find("HRM"), std::string::npos) << v->status_for_reporter;
}

TEST_F(LmmServiceTest, AuditorSeesNoCaseAndTheAttemptIsInTheAccessLog) {
  const Id id = RegisterByVpi();
  ASSERT_TRUE(svc_->Open(coordinator_, id).ok());
  EXPECT_EQ(svc_->Open(auditor_, id).status().code(), absl::StatusCode::kPermissionDenied);
  auto v = svc_->Open(coordinator_, id, /*with_access_log=*/true);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->access_log.empty());  // coordinator sees who looked
  bool saw_auditor_attempt = false;
  for (const auto& e : v->access_log) saw_auditor_attempt |= e.action == "case.read_denied" && e.actor == "auditor";
  EXPECT_TRUE(saw_auditor_attempt);
}

TEST_F(LmmServiceTest, ProtectionEntriesAreOnlyForReporterAdvisor) {
  const Id id = RegisterByVpi();
  ASSERT_TRUE(svc_->Staff(coordinator_, id, 1, reporter_vpi_.person_id, weighing_vpi_.person_id).ok());
  // An adverse event needs the date it happened on (burden of proof, §8).
  EXPECT_EQ(svc_->RecordProtection(reporter_vpi_, id, "adverse_treatment", std::nullopt, "Genegeerd").code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(svc_->RecordProtection(reporter_vpi_, id, "adverse_treatment", Ymd(2026, 11, 20),
                                     "Buitengesloten van teamoverleg").ok());
  EXPECT_EQ(svc_->RecordProtection(weighing_vpi_, id, "contact", std::nullopt, "Gebeld").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Audit("case.protection_denied").size(), 1u);
  auto v = svc_->Open(weighing_vpi_, id);
  ASSERT_TRUE(v.ok());
  for (const auto& t : v->timeline) EXPECT_NE(t.kind, "adverse_treatment");
  auto mine = svc_->Open(reporter_vpi_, id);
  ASSERT_TRUE(mine.ok());
  bool found = false;
  for (const auto& t : mine->timeline) {
    if (t.kind == "adverse_treatment") {
      found = true;
      EXPECT_EQ(t.on, Ymd(2026, 11, 20));
    }
  }
  EXPECT_TRUE(found);
}

// A mailbox report received days before it was registered: deadlines and
// the acknowledgement count from the day of receipt, not of registration.
TEST_F(LmmServiceTest, AcknowledgementMayDateFromTheActualReceipt) {
  NewReport r;
  r.channel = "mailbox";
  r.reporter_category = "employee";
  r.summary = "Mailboxmelding";
  r.description = "Via de LMM-mailbox.";
  r.unit_id = unit_;
  r.reporter_name = "Anoniem via mailbox";
  r.received_on = Ymd(2026, 11, 16);
  auto id = svc_->Register(reporter_vpi_, r);
  ASSERT_TRUE(id.ok()) << id.status();
  auto v = svc_->Open(coordinator_, *id);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->c.acknowledgement_due, Ymd(2026, 11, 23));
  // Acknowledged on 18 Nov, after receipt on 16 Nov.
  auto st = svc_->Acknowledge(coordinator_, *id, 1, Ymd(2026, 11, 18));
  EXPECT_TRUE(st.ok()) << st;
}

}  // namespace
}  // namespace waarborg::app

namespace waarborg::app {
namespace {

// DOMAIN §2: VPI activities (CVP meetings, contact with unit chiefs,
// information sessions) are registered; the coordinator keeps the overview.
TEST_F(LmmServiceTest, VpiActivitiesAreRegisteredAndTheCoordinatorSeesAll) {
  Activity a{.kind = "cvp_meeting", .on = Ymd(2026, 11, 20), .unit_id = unit_, .notes = "Maandoverleg CVP."};
  ASSERT_TRUE(svc_->RecordActivity(reporter_vpi_, a).ok());
  a.kind = "information_session";
  ASSERT_TRUE(svc_->RecordActivity(weighing_vpi_, a).ok());
  a.kind = "party";
  EXPECT_EQ(svc_->RecordActivity(reporter_vpi_, a).status().code(), absl::StatusCode::kInvalidArgument);
  a.kind = "cvp_meeting";
  EXPECT_EQ(svc_->RecordActivity(reporter_, a).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(svc_->ListActivities(reporter_vpi_)->size(), 1u);  // a VPI sees their own
  EXPECT_EQ(svc_->ListActivities(coordinator_)->size(), 2u);   // the coordinator sees all
}

}  // namespace
}  // namespace waarborg::app

// --- issue 3: the identity vault and retention, at the service level ---
namespace waarborg::app {
namespace {

TEST_F(LmmServiceTest, IdentityIsSealedAndOpensOnlyWithAHoldersOwnKey) {
  const Id id = RegisterByVpi();
  // The coordinator (sealed at intake) and the registering VPI hold it.
  auto coord = svc_->Open(coordinator_, id);
  ASSERT_TRUE(coord.ok());
  EXPECT_EQ(coord->reporter_display, "Melder Meijer");
  // The same coordinator without an unlocked vault (e.g. the server alone,
  // with the database and the master key) sees only the pseudonym.
  Actor locked = coordinator_;
  locked.vault_secret.clear();
  auto v = svc_->Open(locked, id);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->identity_visible);
  EXPECT_EQ(v->reporter_display, v->c.pseudonym);
  // Another person's key does not open the coordinator's seal.
  Actor wrong_key = coordinator_;
  wrong_key.vault_secret = weighing_vpi_.vault_secret;
  EXPECT_FALSE(svc_->Open(wrong_key, id)->identity_visible);
  // Nothing in the database spells the name or the contact.
  ASSERT_TRUE(store_->Transact([&](StoreTx& tx) {
    for (const auto& s : tx.ListIdentitySeals(id)) {
      EXPECT_EQ(s.sealed.find("Meijer"), std::string::npos);
      EXPECT_EQ(s.sealed.find("06-11223344"), std::string::npos);
    }
    for (const auto& e : tx.ListCaseEvents(id)) EXPECT_EQ(e.text.find("Meijer"), std::string::npos) << e.text;
    return absl::OkStatus();
  }).ok());
}

TEST_F(LmmServiceTest, StaffingSealsTheIdentityToBothVpis) {
  const Id id = RegisterByVpi();
  ASSERT_TRUE(svc_->Staff(coordinator_, id, 1, reporter_vpi_.person_id, weighing_vpi_.person_id).ok());
  EXPECT_TRUE(svc_->Open(weighing_vpi_, id)->identity_visible);
  // A coordinator whose vault is shut cannot staff: the reporter conflict
  // check would be blind.
  const Id other = RegisterByVpi();
  Actor locked = coordinator_;
  locked.vault_secret.clear();
  EXPECT_EQ(svc_->Staff(locked, other, 1, reporter_vpi_.person_id, weighing_vpi_.person_id).code(),
            absl::StatusCode::kFailedPrecondition);
}

// DOMAIN §8 (records): a report is kept no longer than necessary.
TEST_F(LmmServiceTest, ReportIsKeptNoLongerThanNecessaryRetentionDestroysIt) {
  const Id id = RegisterByVpi();
  const Id open_case = RegisterByVpi();
  ASSERT_TRUE(svc_->Staff(coordinator_, id, 1, reporter_vpi_.person_id, weighing_vpi_.person_id).ok());
  DefinitionTest t = Misstand();
  t.exclusions = {"labour_dispute"};
  t.referral = "hrm";
  ASSERT_TRUE(svc_->RecordDefinitionTest(weighing_vpi_, id, 2, t).ok());
  Retention job(*store_, clock_);
  EXPECT_EQ(*job.RunOnce(), 0);  // not yet expired
  clock_.Advance(366LL * 24 * kHour);
  EXPECT_EQ(*job.RunOnce(), 1);
  ASSERT_TRUE(store_->Transact([&](StoreTx& tx) {
    EXPECT_EQ(tx.GetCase(id).status().code(), absl::StatusCode::kNotFound);
    EXPECT_TRUE(tx.ListIdentitySeals(id).empty());
    EXPECT_TRUE(tx.ListCaseEvents(id).empty());
    EXPECT_TRUE(tx.GetCase(open_case).ok());  // an open case is kept
    return absl::OkStatus();
  }).ok());
  // The trail keeps only that it existed and was destroyed.
  auto destroyed = Audit("case.destroyed");
  ASSERT_EQ(destroyed.size(), 1u);
  EXPECT_EQ(destroyed[0].case_id, std::to_string(id));
  EXPECT_EQ(destroyed[0].actor, "system");
  // Who did what on the case, and when, is gone from the trail; the open
  // case's trail is untouched; the chain still verifies.
  AuditQuery q;
  q.case_id = id;
  q.limit = 1000;
  std::vector<AuditEvent> left;
  ASSERT_TRUE(store_->Transact([&](StoreTx& tx) {
    left = tx.SearchAudit(q);
    return absl::OkStatus();
  }).ok());
  ASSERT_GT(left.size(), 1u) << "the case had a trail before it was destroyed";
  for (const auto& e : left) {
    if (e.action == "case.destroyed") continue;
    EXPECT_TRUE(e.redacted) << e.action;
    EXPECT_TRUE(e.actor.empty() && e.action.empty() && e.detail.empty() && e.at == 0) << e.seq;
  }
  q.case_id = open_case;
  ASSERT_TRUE(store_->Transact([&](StoreTx& tx) {
    for (const auto& e : tx.SearchAudit(q)) EXPECT_FALSE(e.redacted) << e.action;
    return absl::OkStatus();
  }).ok());
  AuditService audit(*store_, clock_, crypto::Sha256Hex);
  auto report = audit.Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->reason << " at " << report->first_broken_seq;
}

}  // namespace
}  // namespace waarborg::app

namespace waarborg::app {
namespace {

// DOMAIN §2: a VPI never discloses the reporter's identity without the
// reporter's written consent (here a signed form the VPI uploads), and a
// second person approves.
TEST_F(LmmServiceTest, VpiDisclosesIdentityOnlyWithTheReportersWrittenConsent) {
  const Id id = RegisterByVpi();
  ASSERT_TRUE(svc_->Staff(coordinator_, id, 1, reporter_vpi_.person_id, weighing_vpi_.person_id).ok());
  IdentityVault vault(*store_, clock_);
  auto request = vault.RequestDisclosure(reporter_vpi_, id, authority_.person_id, "Besluit over maatregelen.", false, "");
  ASSERT_TRUE(request.ok()) << request.status();
  // Without consent nobody can approve.
  EXPECT_FALSE(vault.Decide(coordinator_, *request, true).ok());
  Id form = 0;
  ASSERT_TRUE(store_->Transact([&](StoreTx& tx) -> absl::Status {
    Attachment a;
    a.case_id = id;
    a.filename = "toestemming.pdf";
    a.media_type = "application/pdf";
    a.data = "%PDF-1.4 ondertekend";
    a.size = static_cast<std::int64_t>(a.data.size());
    a.uploaded_by = reporter_vpi_.person_id;
    ASSIGN_OR_RETURN(form, tx.InsertAttachment(a));
    return absl::OkStatus();
  }).ok());
  // Only a holder records it; the requester does not approve their own request.
  EXPECT_EQ(vault.RecordWrittenConsent(stranger_, *request, form).code(), absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(vault.RecordWrittenConsent(reporter_vpi_, *request, form).ok());
  EXPECT_EQ(vault.Decide(reporter_vpi_, *request, true).code(), absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(vault.Decide(coordinator_, *request, true).ok());
  ASSERT_TRUE(store_->Transact([&](StoreTx& tx) {
    EXPECT_TRUE(OpenIdentity(tx, authority_, id).has_value());
    return absl::OkStatus();
  }).ok());
  EXPECT_EQ(Audit("identity.consent_written").size(), 1u);
  EXPECT_EQ(Audit("identity.granted").size(), 1u);
}

}  // namespace
}  // namespace waarborg::app
