// Learning cases at work (issue 5 §5): a complaint about unwanted behaviour
// on the shipped track file, a real SQLite store, and the rules of who may
// write, submit, approve and read a learning case.
#include "app/learning_service.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "adapters/crypto/crypto.h"
#include "adapters/crypto/file_key_provider.h"
#include "adapters/sqlite/sqlite_store.h"
#include "adapters/workflow_files/track_loader.h"
#include "app/app_test_support.h"
#include "app/track_service.h"
#include "core/common/status.h"
#include "core/ports/fake_clock.h"
#include "core/workflow/track_catalogue.h"

namespace waarborg::app {
namespace {

using test_support::AddActor;

using learning::LearningState;
using learning::LearningTexts;

// Monday 23 November 2026, 09:46:40 UTC.
constexpr Instant kMon23Nov2026 = 1'795'427'200'000;
constexpr Instant kDay = 24LL * 3'600'000;

class LearningServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test_support::OpenTestStore(dir_.path());
    ASSERT_NE(store_, nullptr);
    auto tracks = workflow_files::LoadAllTracks(std::string(WAARBORG_SOURCE_DIR) + "/workflows/tracks",
                                                workflow::StandardGuards());
    ASSERT_TRUE(tracks.ok()) << tracks.status();
    catalogue_.tracks = std::move(*tracks);
    clock_.Set(kMon23Nov2026);
    tracks_ = std::make_unique<TrackService>(*store_, clock_, catalogue_);
    svc_ = std::make_unique<LearningService>(*store_, clock_, catalogue_);
    ASSERT_TRUE(
        store_
            ->Transact([&](StoreTx& tx) -> absl::Status {
              ASSIGN_OR_RETURN(unit_, tx.InsertUnit({0, "Eenheid Oost", UnitKind::kUnit, std::nullopt}));
              ASSIGN_OR_RETURN(team_, tx.InsertUnit({0, "Team Oost 1", UnitKind::kTeam, unit_}));
              counsellor_ = AddActor(tx, {"vp", team_, {Role::kCounsellor}, "Fatima El Amrani", "Hoofdagent"});
              counsellor2_ = AddActor(tx, {"vp2", team_, {Role::kCounsellor}, "Johan Post", "Hoofdagent"});
              cvp_ = AddActor(tx, {"cvp", team_, {Role::kCentralCounsellor}, "Peter Bos", "Hoofdagent"});
              cvp2_ = AddActor(tx, {"cvp2", team_, {Role::kCentralCounsellor}, "Ilse Brouwer", "Hoofdagent"});
              vik_chief_ = AddActor(tx, {"teamchef", team_, {Role::kVikTeamChief}, "Erik Dijkstra", "Hoofdagent"});
              employee_ = AddActor(tx, {"medewerker", team_, {Role::kEmployee}, "Sanne Kuipers", "Hoofdagent"});
              complainant_ = AddActor(tx, {"klager", team_, {Role::kEmployee}, "Mila Jansen", "Hoofdagent"});
              return absl::OkStatus();
            })
            .ok());
  }
  void TearDown() override {
    svc_.reset();
    tracks_.reset();
    store_.reset();
  }

  std::int64_t TrackVersion(Id id) {
    std::int64_t v = 0;
    EXPECT_TRUE(store_
                    ->Read([&](StoreTx& tx) -> absl::Status {
                      ASSIGN_OR_RETURN(TrackCase c, tx.GetTrackCase(id));
                      v = c.version;
                      return absl::OkStatus();
                    })
                    .ok());
    return v;
  }

  // A complaint the counsellor took from talk to evaluation, three weeks on.
  Id EvaluatedComplaint() {
    NewTrackCase n;
    n.track = "unwanted_behaviour";
    n.unit_id = team_;
    n.summary = "Mila Jansen wordt in de briefing van Team Oost 1 steeds belachelijk gemaakt";
    n.complainant_person = complainant_.person_id;
    n.received_on = Date{std::chrono::year{2026}, std::chrono::month{10}, std::chrono::day{1}};
    auto id = tracks_->Create(counsellor_, n);
    EXPECT_TRUE(id.ok()) << id.status();
    EXPECT_TRUE(tracks_->Take(counsellor_, *id, TrackVersion(*id), "start_with_counsellor", {}, {"0", "1", "2"}).ok());
    clock_.Advance(21 * kDay);
    auto to = tracks_->Take(counsellor_, *id, TrackVersion(*id), "close_satisfied", {}, {});
    EXPECT_TRUE(to.ok()) << to.status();
    return *id;
  }

  LearningCaseView Open(const Actor& a, Id id) {
    auto v = svc_->Open(a, id);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : LearningCaseView{};
  }

  // A draft by the counsellor with clean texts.
  Id CleanDraft(Id complaint) {
    auto id = svc_->StartDraft(counsellor_, complaint, true);
    EXPECT_TRUE(id.ok()) << id.status();
    LearningTexts t = Open(counsellor_, *id).lc.texts;
    t.situation = "Een medewerker werd in de briefing herhaaldelijk kleineerd door een collega.";
    t.lessons = "Spreek kleinerende grappen direct aan; de teamchef heeft daar een rol in.";
    auto found = svc_->Edit(counsellor_, *id, Open(counsellor_, *id).lc.version, t);
    EXPECT_TRUE(found.ok()) << found.status();
    EXPECT_TRUE(found.ok() && found->empty());
    return *id;
  }

  test_support::TempDir dir_{"waarborg-learning"};
  std::unique_ptr<SqliteStore> store_;
  workflow::TrackCatalogue catalogue_;
  FakeClock clock_{kMon23Nov2026};
  std::unique_ptr<TrackService> tracks_;
  std::unique_ptr<LearningService> svc_;
  Id unit_ = 0, team_ = 0;
  Actor counsellor_, counsellor2_, cvp_, cvp2_, vik_chief_, employee_, complainant_;
};

TEST_F(LearningServiceTest, DraftIsBuiltFromTheCaseWithoutItsNamesOrDates) {
  const Id complaint = EvaluatedComplaint();
  auto id = svc_->StartDraft(counsellor_, complaint, true);
  ASSERT_TRUE(id.ok()) << id.status();
  const LearningCaseView v = Open(counsellor_, *id);
  EXPECT_EQ(v.lc.state, LearningState::kDraft);
  EXPECT_EQ(v.track_name, "Ongewenste omgangsvormen");
  EXPECT_EQ(v.lc.place, "een eenheid");  // the eenheid has fewer than 50 staff
  EXPECT_EQ(v.lc.period, "4e kwartaal 2026");
  EXPECT_EQ(v.lc.duration, "ongeveer 2 maanden");
  EXPECT_NE(v.lc.texts.what_happened.find("Gesprek met een VP"), std::string::npos) << v.lc.texts.what_happened;
  EXPECT_NE(v.lc.texts.outcome.find("Afloop: Evaluatieformulier."), std::string::npos) << v.lc.texts.outcome;
  for (const std::string* t : {&v.lc.texts.title, &v.lc.texts.what_happened, &v.lc.texts.outcome})
    for (const char* leak : {"Mila", "Jansen", "Amrani", "Oost", "OOV-", "briefing"})
      EXPECT_EQ(t->find(leak), std::string::npos) << leak << " in " << *t;
  EXPECT_TRUE(v.findings.empty());
  EXPECT_EQ(v.source_case_id, complaint);
  EXPECT_EQ(v.source_reference.rfind("OOV-2026-", 0), 0u);
}

TEST_F(LearningServiceTest, OnlyWhoHandlesAnAdvancedCaseMayStartALearningCase) {
  // Not yet: the outcome is not known while the counsellor talks.
  NewTrackCase n{.track = "unwanted_behaviour", .unit_id = team_, .summary = "Nog lopend"};
  auto open = tracks_->Create(counsellor_, n);
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(svc_->StartDraft(counsellor_, *open, false).status().code(), absl::StatusCode::kFailedPrecondition);

  const Id complaint = EvaluatedComplaint();
  // Someone who may not open the case: as if it did not exist.
  EXPECT_EQ(svc_->StartDraft(employee_, complaint, true).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(svc_->StartDraft(counsellor2_, complaint, true).status().code(), absl::StatusCode::kNotFound);
  // A party to the case sees it but does not handle it.
  EXPECT_EQ(svc_->StartDraft(complainant_, complaint, true).status().code(), absl::StatusCode::kPermissionDenied);
  // The complainant decides what is passed on.
  auto no_consent = svc_->StartDraft(counsellor_, complaint, false);
  EXPECT_EQ(no_consent.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(no_consent.status().message()).find("klager"), std::string::npos);
  // The case team and the readers of the track may.
  EXPECT_TRUE(svc_->StartDraft(counsellor_, complaint, true).ok());
  EXPECT_TRUE(svc_->StartDraft(cvp_, complaint, true).ok());
  // The case page offers it to them, not to the others.
  TrackCase c;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) -> absl::Status {
                    ASSIGN_OR_RETURN(c, tx.GetTrackCase(complaint));
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_TRUE(svc_->Offer(counsellor_, c)->may_start);
  EXPECT_TRUE(svc_->Offer(counsellor_, c)->needs_consent);
  EXPECT_FALSE(svc_->Offer(complainant_, c)->may_start);
}

TEST_F(LearningServiceTest, FreeTextWithANameFromTheCaseCannotBeSubmitted) {
  const Id complaint = EvaluatedComplaint();
  auto id = svc_->StartDraft(counsellor_, complaint, true);
  ASSERT_TRUE(id.ok()) << id.status();
  LearningTexts t = Open(counsellor_, *id).lc.texts;
  t.situation = "Mila werd in Team Oost 1 steeds uitgelachen; haar klacht kwam binnen op 01-10-2026.";
  t.lessons = "Bel bij twijfel 06-12345678.";
  auto found = svc_->Edit(counsellor_, *id, Open(counsellor_, *id).lc.version, t);
  ASSERT_TRUE(found.ok()) << found.status();  // saving is allowed
  ASSERT_EQ(found->size(), 4u);
  EXPECT_EQ((*found)[0].field, learning::TextField::kSituation);
  EXPECT_EQ((*found)[0].match, "Mila");
  EXPECT_EQ((*found)[0].kind, learning::FindingKind::kCaseName);
  EXPECT_EQ((*found)[1].match, "Team Oost 1");
  EXPECT_EQ((*found)[2].match, "01-10-2026");
  EXPECT_EQ((*found)[3].field, learning::TextField::kLessons);

  // Submitting is refused with the findings, and nothing changes.
  const std::int64_t version = Open(counsellor_, *id).lc.version;
  std::vector<learning::Finding> findings;
  absl::Status st = svc_->Submit(counsellor_, *id, version, std::nullopt, &findings);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << st;
  EXPECT_EQ(findings.size(), 4u);
  EXPECT_EQ(Open(counsellor_, *id).lc.state, LearningState::kDraft);
  EXPECT_EQ(Open(counsellor_, *id).findings.size(), 4u);

  // Also when the name comes with the submit itself.
  t.situation = "Een medewerker werd steeds uitgelachen.";
  t.lessons = "Peter Bos keek mee.";  // a member of staff, not in the case
  st = svc_->Submit(counsellor_, *id, version, t, &findings);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, learning::FindingKind::kStaffName);
  EXPECT_EQ(Open(counsellor_, *id).lc.texts.lessons, "Bel bij twijfel 06-12345678.") << "a refused submit saved";

  // Fixed: submitted.
  t.lessons = "Een collega keek mee; spreek het gedrag direct aan.";
  st = svc_->Submit(counsellor_, *id, version, t, &findings);
  EXPECT_TRUE(st.ok()) << st;
  EXPECT_TRUE(findings.empty());
  EXPECT_EQ(Open(counsellor_, *id).lc.state, LearningState::kSubmitted);
}

TEST_F(LearningServiceTest, SubmittingNeedsTheSituationAndTheLessons) {
  const Id complaint = EvaluatedComplaint();
  auto id = svc_->StartDraft(counsellor_, complaint, true);
  ASSERT_TRUE(id.ok());
  absl::Status st = svc_->Submit(counsellor_, *id, Open(counsellor_, *id).lc.version, std::nullopt);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(st.message()).find("Situatie, Lessen"), std::string::npos) << st;
}

TEST_F(LearningServiceTest, AuthorCannotApproveTheirOwnLearningCase) {
  const Id complaint = EvaluatedComplaint();
  // The central counsellor writes one herself.
  auto id = svc_->StartDraft(cvp_, complaint, true);
  ASSERT_TRUE(id.ok()) << id.status();
  LearningTexts t = Open(cvp_, *id).lc.texts;
  t.situation = "Een medewerker werd uitgelachen.";
  t.lessons = "Spreek het direct aan.";
  ASSERT_TRUE(svc_->Submit(cvp_, *id, Open(cvp_, *id).lc.version, t).ok());
  const std::int64_t version = Open(cvp_, *id).lc.version;

  absl::Status own = svc_->Approve(cvp_, *id, version);
  EXPECT_EQ(own.code(), absl::StatusCode::kPermissionDenied) << own;
  EXPECT_NE(std::string(own.message()).find("tweede persoon"), std::string::npos);
  EXPECT_EQ(svc_->Return(cvp_, *id, version, "Zelf terug").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(Open(cvp_, *id).may_decide);
  // Not someone without the approver's role either; nor one of another kind.
  EXPECT_EQ(svc_->Approve(counsellor_, *id, version).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(svc_->Approve(vik_chief_, *id, version).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Open(cvp_, *id).lc.state, LearningState::kSubmitted);

  // A second central counsellor: published, with who approved it.
  EXPECT_TRUE(Open(cvp2_, *id).may_decide);
  EXPECT_EQ(svc_->Approve(cvp2_, *id, version - 1).code(), absl::StatusCode::kAborted);  // stale
  absl::Status ok = svc_->Approve(cvp2_, *id, version);
  ASSERT_TRUE(ok.ok()) << ok;
  const LearningCaseView v = Open(cvp_, *id);
  EXPECT_EQ(v.lc.state, LearningState::kPublished);
  EXPECT_EQ(v.lc.approver, cvp2_.person_id);
  EXPECT_EQ(v.approver_name, "Ilse Brouwer");
  EXPECT_EQ(svc_->Approve(cvp2_, *id, v.lc.version).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(LearningServiceTest, ReturnedLearningCaseGoesBackToItsAuthorWithAReason) {
  const Id id = CleanDraft(EvaluatedComplaint());
  ASSERT_TRUE(svc_->Submit(counsellor_, id, Open(counsellor_, id).lc.version, std::nullopt).ok());
  const std::int64_t version = Open(cvp_, id).lc.version;
  EXPECT_EQ(svc_->Return(cvp_, id, version, "  ").code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(svc_->Return(cvp_, id, version, "Beschrijf de rol van de teamchef concreter.").ok());
  const LearningCaseView v = Open(counsellor_, id);
  EXPECT_EQ(v.lc.state, LearningState::kDraft);
  EXPECT_EQ(v.lc.return_reason, "Beschrijf de rol van de teamchef concreter.");
  EXPECT_TRUE(v.may_edit);
  // An edit from before the return is stale.
  auto stale = svc_->Edit(counsellor_, id, version, v.lc.texts);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(svc_->Edit(counsellor_, id, v.lc.version, v.lc.texts).ok());
}

TEST_F(LearningServiceTest, DraftIsInvisibleToOtherStaff) {
  const Id id = CleanDraft(EvaluatedComplaint());
  for (const Actor* other : {&employee_, &counsellor2_, &vik_chief_, &complainant_}) {
    auto v = svc_->Open(*other, id);
    EXPECT_EQ(v.status().code(), absl::StatusCode::kNotFound) << other->username;
    auto lists = svc_->List(*other);
    ASSERT_TRUE(lists.ok());
    EXPECT_TRUE(lists->published.empty() && lists->mine.empty() && lists->awaiting.empty()) << other->username;
    EXPECT_EQ(svc_->Edit(*other, id, 1, LearningTexts{}).status().code(), absl::StatusCode::kNotFound);
  }
  // The author and the approvers see it; the approvers only once submitted
  // in their list.
  EXPECT_EQ(svc_->List(counsellor_)->mine.size(), 1u);
  EXPECT_TRUE(svc_->List(cvp_)->awaiting.empty());
  ASSERT_TRUE(svc_->Submit(counsellor_, id, Open(counsellor_, id).lc.version, std::nullopt).ok());
  EXPECT_EQ(svc_->List(cvp_)->awaiting.size(), 1u);
  EXPECT_TRUE(svc_->List(vik_chief_)->awaiting.empty());
  EXPECT_EQ(svc_->Open(employee_, id).status().code(), absl::StatusCode::kNotFound);
  // The approver may not rewrite it.
  EXPECT_EQ(svc_->Edit(cvp_, id, Open(cvp_, id).lc.version, LearningTexts{}).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(LearningServiceTest, PublishedLearningCaseDoesNotRevealItsSource) {
  const Id complaint = EvaluatedComplaint();
  const Id id = CleanDraft(complaint);
  ASSERT_TRUE(svc_->Submit(counsellor_, id, Open(counsellor_, id).lc.version, std::nullopt).ok());
  ASSERT_TRUE(svc_->Approve(cvp_, id, Open(cvp_, id).lc.version).ok());

  // Any member of staff reads the story, and nothing that leads back.
  const LearningCaseView v = Open(employee_, id);
  EXPECT_EQ(v.lc.state, LearningState::kPublished);
  EXPECT_FALSE(v.lc.texts.situation.empty());
  EXPECT_EQ(v.source_case_id, 0);
  EXPECT_TRUE(v.source_reference.empty());
  EXPECT_EQ(v.lc.author, 0);
  EXPECT_EQ(v.lc.approver, 0);
  EXPECT_TRUE(v.author_name.empty() && v.approver_name.empty());
  EXPECT_TRUE(v.findings.empty());
  EXPECT_FALSE(v.may_edit || v.may_decide || v.is_author || v.is_approver);
  auto lists = svc_->List(employee_);
  ASSERT_TRUE(lists.ok());
  ASSERT_EQ(lists->published.size(), 1u);
  EXPECT_EQ(lists->published[0].summary.author, 0);
  // Even the person the case was about, who knows the case, learns no link.
  EXPECT_EQ(Open(complainant_, id).source_case_id, 0);

  // The author and the approver still know where it came from.
  EXPECT_EQ(Open(counsellor_, id).source_case_id, complaint);
  EXPECT_EQ(Open(cvp_, id).source_case_id, complaint);

  // The audit trail names the steps, never the texts.
  std::vector<AuditEvent> events;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    AuditQuery q;
                    q.action = "learning.";
                    q.limit = 100;
                    events = tx.SearchAudit(q);
                    return absl::OkStatus();
                  })
                  .ok());
  std::set<std::string> actions;
  for (const auto& e : events) {
    actions.insert(e.action);
    EXPECT_EQ(e.detail.find("medewerker"), std::string::npos) << e.detail;
    EXPECT_EQ(e.detail.find("briefing"), std::string::npos) << e.detail;
  }
  for (const char* a : {"learning.create", "learning.edit", "learning.submit", "learning.approve", "learning.read"})
    EXPECT_TRUE(actions.count(a)) << a;
}

}  // namespace
}  // namespace waarborg::app
