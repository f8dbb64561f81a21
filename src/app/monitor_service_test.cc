// The governance of Protective Monitoring (issue 6 §2, §5, §6): modes, the
// review queue with suppression of explained patterns, the hand-off to VIK
// and the two-person resolution of a pseudonym, against a real SQLite store.
#include "app/monitor_service.h"

#include <gtest/gtest.h>

#include "adapters/workflow_files/shipped_tracks.h"
#include "app/app_test_support.h"
#include "core/common/status.h"
#include "core/ports/fake_clock.h"

namespace waarborg::app {
namespace {

using test_support::AddActor;

using monitoring::EvidenceLine;
using monitoring::Flag;
using monitoring::FlagStatus;
using monitoring::Mode;
using monitoring::TrendCell;

// A stand-in for the keyed hash: the service only compares pseudonyms.
std::string FakePseudonym(std::string_view user_id) { return Cat("p-", user_id); }

class MonitorServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test_support::OpenTestStore(dir_.path());
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(store_
                    ->Transact([&](StoreTx& tx) -> absl::Status {
                      ASSIGN_OR_RETURN(Id korps, tx.InsertUnit({0, "Politie", UnitKind::kCorps, std::nullopt}));
                      ASSIGN_OR_RETURN(Id team, tx.InsertUnit({0, "Team", UnitKind::kTeam, korps}));
                      admin_ = AddActor(tx, {"beheerder", team, {Role::kAdmin}});
                      analyst_ = AddActor(tx, {"analist", team, {Role::kMonitoringAnalyst}});
                      analyst2_ = AddActor(tx, {"analist2", team, {Role::kMonitoringAnalyst}});
                      privacy_ = AddActor(tx, {"privacy", team, {Role::kPrivacyOfficer}});
                      vik_ = AddActor(tx, {"teamchef", team, {Role::kVikTeamChief}});
                      employee_ = AddActor(tx, {"medewerker", team, {Role::kEmployee}});
                      return absl::OkStatus();
                    })
                    .ok());
    tracks_ = std::make_unique<TrackService>(*store_, clock_, workflow_files::ShippedTracks());
    svc_ = std::make_unique<MonitorService>(
        *store_, clock_, *tracks_, FakePseudonym,
        std::vector<MonitorDirectoryEntry>{{"12345", "Jan Jansen", "Eenheid Oost"}, {"67890", "Piet Pieters", "West"}});
  }
  void TearDown() override {
    svc_.reset();
    tracks_.reset();
    store_.reset();
  }

  static Flag FlagOf(const std::string& user, std::vector<std::pair<std::string, std::string>> rule_subjects) {
    Flag f;
    f.user = user;
    for (auto& [rule, subject] : rule_subjects) {
      f.evidence.push_back({rule, 4, subject, 1000, Cat("Opzoeking van ", subject), Cat("verklaard met zaak")});
      f.score += 4;
    }
    return f;
  }

  void Detection() { ASSERT_TRUE(svc_->SwitchMode(admin_, Mode::kDetection, "OR-besluit 2026-17").ok()); }

  Id OneFlag(const std::string& user = "p-12345") {
    auto rec = svc_->RecordDay(20700, {FlagOf(user, {{"relatie.achternaam", "s1"}, {"tijd.nacht", "s2"}})}, {});
    EXPECT_TRUE(rec.ok()) << rec.status();
    auto q = svc_->Queue(analyst_, FlagStatus::kOpen);
    EXPECT_TRUE(q.ok()) << q.status();
    return q.ok() && !q->empty() ? q->front().id : 0;
  }

  std::vector<AuditEvent> Audit(const std::string& action) {
    std::vector<AuditEvent> out;
    (void)store_->Read([&](StoreTx& tx) -> absl::Status {
      AuditQuery q;
      q.action = action;
      for (auto& e : tx.SearchAudit(q))
        if (e.action == action) out.push_back(std::move(e));  // the query matches a prefix
      return absl::OkStatus();
    });
    return out;
  }

  test_support::TempDir dir_{"waarborg-monitor"};
  FakeClock clock_{1'790'000'000'000};  // ms: 2026-09-21
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<TrackService> tracks_;
  std::unique_ptr<MonitorService> svc_;
  Actor admin_, analyst_, analyst2_, privacy_, vik_, employee_;
};

TEST_F(MonitorServiceTest, OnlyAnAdminSwitchesTheModeWithADecisionReference) {
  EXPECT_EQ(svc_->CurrentMode(), Mode::kTrend);
  EXPECT_EQ(svc_->SwitchMode(analyst_, Mode::kDetection, "OR-besluit 2026-17").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(svc_->SwitchMode(admin_, Mode::kDetection, " ").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(svc_->SwitchMode(admin_, Mode::kTrend, "OR-besluit 2026-17").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(svc_->CurrentMode(), Mode::kTrend);
  ASSERT_TRUE(svc_->SwitchMode(admin_, Mode::kDetection, "OR-besluit 2026-17").ok());
  EXPECT_EQ(svc_->CurrentMode(), Mode::kDetection);
  ASSERT_TRUE(svc_->LastSwitch().has_value());
  EXPECT_EQ(svc_->LastSwitch()->decision_reference, "OR-besluit 2026-17");
  EXPECT_EQ(svc_->LastSwitch()->by_account, admin_.account_id);
  EXPECT_EQ(Audit("monitor.mode").size(), 1u);
  EXPECT_EQ(Audit("monitor.mode_denied").size(), 1u);
}

TEST_F(MonitorServiceTest, TrendModeProducesNoIndividualFlags) {
  auto rec = svc_->RecordDay(20700, {FlagOf("p-12345", {{"relatie.achternaam", "s1"}})},
                             {{0, "team", "Team Noord", "tijd.nacht", 7, false}});
  ASSERT_TRUE(rec.ok()) << rec.status();
  EXPECT_EQ(rec->flags_stored, 0);
  EXPECT_EQ(rec->flags_dropped, 1);
  auto queue = svc_->Queue(analyst_, FlagStatus::kOpen);
  EXPECT_EQ(queue.status().code(), absl::StatusCode::kFailedPrecondition);
  auto trend = svc_->Trend(analyst_, 20690, 20710);
  ASSERT_TRUE(trend.ok());
  ASSERT_EQ(trend->size(), 1u);
  EXPECT_EQ(trend->front().users, 7);
  // Switched to detection, and back: the queue closes again.
  Detection();
  const Id id = OneFlag();
  ASSERT_NE(id, 0);
  ASSERT_TRUE(svc_->SwitchMode(admin_, Mode::kTrend, "OR-besluit 2027-01").ok());
  EXPECT_EQ(svc_->Queue(analyst_, FlagStatus::kOpen).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(svc_->OpenFlag(analyst_, id).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(MonitorServiceTest, SmallTrendCountsAreNeverStored) {
  auto rec = svc_->RecordDay(
      20700, {}, {{0, "team", "Team Noord", "tijd.nacht", 4, false}, {0, "eenheid", "Oost", "tijd.nacht", 12, false}});
  ASSERT_TRUE(rec.ok());
  auto trend = svc_->Trend(privacy_, 20700, 20700);
  ASSERT_TRUE(trend.ok());
  ASSERT_EQ(trend->size(), 2u);
  for (const auto& c : *trend) {
    if (c.name == "Team Noord") {
      EXPECT_TRUE(c.suppressed);
      EXPECT_EQ(c.users, 0);
    } else {
      EXPECT_EQ(c.users, 12);
    }
  }
  EXPECT_EQ(svc_->Trend(employee_, 20700, 20700).status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(MonitorServiceTest, AnExplanationGivenOnceSuppressesTheSamePatternLater) {
  Detection();
  const Id id = OneFlag();
  auto view = svc_->OpenFlag(analyst_, id);
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_EQ(svc_->Review(analyst_, id, view->flag.version, FlagStatus::kExplained, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(svc_->Review(analyst_, id, view->flag.version, FlagStatus::kExplained, "Hoort bij zaak 2026-88").ok());
  EXPECT_EQ(svc_->Review(analyst_, id, view->flag.version + 1, FlagStatus::kFalsePositive, "nogmaals").status().code(),
            absl::StatusCode::kFailedPrecondition);
  // The same two patterns again: suppressed. One of them with a new subject:
  // a flag with only the new line.
  auto again = svc_->RecordDay(20701,
                               {FlagOf("p-12345", {{"relatie.achternaam", "s1"}, {"tijd.nacht", "s2"}}),
                                FlagOf("p-12345", {{"relatie.achternaam", "s1"}, {"tijd.nacht", "s9"}})},
                               {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->flags_suppressed, 1);
  EXPECT_EQ(again->flags_stored, 1);
  auto open = svc_->Queue(analyst_, FlagStatus::kOpen);
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  ASSERT_EQ(open->front().evidence.size(), 1u);
  EXPECT_EQ(open->front().evidence[0].subject, "s9");
  EXPECT_EQ(open->front().score, 4);
  // Another user with the same pattern is not covered by this explanation.
  auto other = svc_->RecordDay(20702, {FlagOf("p-67890", {{"relatie.achternaam", "s1"}})}, {});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->flags_stored, 1);
}

TEST_F(MonitorServiceTest, OnlyAnAnalystReviewsAndEveryReadIsAudited) {
  Detection();
  const Id id = OneFlag();
  EXPECT_EQ(svc_->Queue(privacy_, FlagStatus::kOpen).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(svc_->OpenFlag(privacy_, id).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(svc_->OpenFlag(employee_, id).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(svc_->Review(vik_, id, 1, FlagStatus::kFalsePositive, "geen reden").status().code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(svc_->OpenFlag(analyst_, id).ok());
  EXPECT_EQ(Audit("monitor.flag.read").size(), 1u);
  EXPECT_GE(Audit("monitor.flag.read_denied").size(), 2u);
  for (const auto& e : Audit("monitor.flag.read")) EXPECT_EQ(e.detail.find("p-12345"), std::string::npos);
}

TEST_F(MonitorServiceTest, FlagHandedToVikOpensATriageCaseUnderThePseudonym) {
  Detection();
  const Id id = OneFlag();
  auto vik_case = svc_->Review(analyst_, id, 1, FlagStatus::kVikSignal, "Patroon past bij lek; graag triage.");
  ASSERT_TRUE(vik_case.ok()) << vik_case.status();
  ASSERT_NE(*vik_case, 0);
  auto c = tracks_->Open(vik_, *vik_case);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->c.track, "vik_triage");
  EXPECT_EQ(c->c.fields.at("source"), "monitor");
  EXPECT_EQ(c->c.fields.at("source_reference"), Cat("PM-", id));
  EXPECT_NE(c->c.summary.find("p-12345"), std::string::npos);
  EXPECT_EQ(c->c.summary.find("Jan Jansen"), std::string::npos);
  auto view = svc_->OpenFlag(analyst_, id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->flag.status, FlagStatus::kVikSignal);
  EXPECT_EQ(view->vik_reference, c->c.reference);
}

TEST_F(MonitorServiceTest, ResolvingAPseudonymNeedsTwoDifferentApprovers) {
  Detection();
  const Id flag = OneFlag();
  EXPECT_EQ(svc_->RequestResolution(analyst_, flag, "kort").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(svc_->RequestResolution(privacy_, flag, "Nodig voor het gesprek met de teamchef").status().code(),
            absl::StatusCode::kPermissionDenied);
  auto id = svc_->RequestResolution(analyst_, flag, "Nodig voor de triage door VIK van PM-1");
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(svc_->RequestResolution(analyst_, flag, "Nog een keer gevraagd").status().code(),
            absl::StatusCode::kFailedPrecondition);
  // The requester cannot approve; an analyst is not an approver.
  EXPECT_EQ(svc_->Approve(analyst_, *id, 1).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(svc_->Approve(analyst2_, *id, 1).code(), absl::StatusCode::kPermissionDenied);
  // An approver may now look at the flag the request is about.
  EXPECT_TRUE(svc_->OpenFlag(privacy_, flag).ok());
  ASSERT_TRUE(svc_->Approve(privacy_, *id, 1).ok());
  // One approval is not enough, and the same person twice is one person.
  EXPECT_EQ(svc_->Reveal(analyst_, *id).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(svc_->Approve(privacy_, *id, 2).code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(svc_->Approve(vik_, *id, 2).ok());
  // Only the requester sees who it is, and each look is audited.
  EXPECT_EQ(svc_->Reveal(analyst2_, *id).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(svc_->Reveal(privacy_, *id).status().code(), absl::StatusCode::kPermissionDenied);
  auto who = svc_->Reveal(analyst_, *id);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->name, "Jan Jansen");
  EXPECT_EQ(who->user_id, "12345");
  EXPECT_EQ(Audit("monitor.resolution.request").size(), 1u);
  EXPECT_EQ(Audit("monitor.resolution.approve").size(), 1u);
  EXPECT_EQ(Audit("monitor.resolution.resolved").size(), 1u);
  EXPECT_EQ(Audit("monitor.resolution.reveal").size(), 1u);
  for (const char* action : {"monitor.resolution.request", "monitor.resolution.resolved", "monitor.resolution.reveal"})
    for (const auto& e : Audit(action)) {
      EXPECT_EQ(e.detail.find("Jan"), std::string::npos) << action;
      EXPECT_EQ(e.detail.find("12345"), std::string::npos) << action;
    }
  // Decided: no approver sees the flag any more.
  EXPECT_EQ(svc_->OpenFlag(privacy_, flag).status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(MonitorServiceTest, ARefusedResolutionRevealsNothing) {
  Detection();
  const Id flag = OneFlag();
  auto id = svc_->RequestResolution(analyst_, flag, "Nodig voor een gesprek met de medewerker");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(svc_->Refuse(privacy_, *id, 1, "").code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(svc_->Refuse(privacy_, *id, 1, "Eerst de verklaring bij de teamchef navragen").ok());
  EXPECT_EQ(svc_->Approve(vik_, *id, 2).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(svc_->Reveal(analyst_, *id).status().code(), absl::StatusCode::kFailedPrecondition);
  // After a refusal the analyst may ask again, with a better reason.
  EXPECT_TRUE(svc_->RequestResolution(analyst_, flag, "Teamchef kon het niet verklaren; gesprek nodig").ok());
}

TEST(MonitorGovernance, AFlagIsSuppressedOnlyWhenEveryLineWithASubjectWasExplained) {
  Flag f;
  f.user = "u1";
  f.score = 10;
  f.evidence = {{"volume.eigen_patroon", 6, "", 0, "veel", ""}, {"relatie.achternaam", 4, "s1", 0, "naam", ""}};
  auto explained = [](std::string_view, std::string_view rule, std::string_view) {
    return rule == "relatie.achternaam" || rule == "volume.eigen_patroon";
  };
  // A burst has no subject: an earlier explanation of one says nothing of this one.
  EXPECT_TRUE(monitoring::SuppressExplained(f, explained));
  ASSERT_EQ(f.evidence.size(), 1u);
  EXPECT_EQ(f.evidence[0].rule, "volume.eigen_patroon");
  EXPECT_EQ(f.score, 6);
  EXPECT_TRUE(monitoring::PatternsExplainedBy(f, FlagStatus::kExplained).empty());
  EXPECT_TRUE(monitoring::PatternsExplainedBy(f, FlagStatus::kFalsePositive).empty());
}

}  // namespace
}  // namespace waarborg::app
