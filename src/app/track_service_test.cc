// The tracks defined as data at work (issue 4): the shipped track files,
// a real SQLite store, and the rules of DOMAIN §3 and §4 as a user meets them.
#include "app/track_service.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "adapters/crypto/crypto.h"
#include "adapters/crypto/file_key_provider.h"
#include "adapters/sqlite/sqlite_store.h"
#include "adapters/workflow_files/track_loader.h"
#include "app/app_test_support.h"
#include "core/common/status.h"
#include "core/ports/fake_clock.h"
#include "core/workflow/track_catalogue.h"

namespace waarborg::app {
namespace {

using test_support::AddActor;

// Monday 23 November 2026, 09:46:40 UTC.
constexpr Instant kMon23Nov2026 = 1'795'427'200'000;
constexpr Instant kDay = 24LL * 3'600'000;

using Fields = std::map<std::string, std::string>;

const std::string kCriteria[] = {"criterion_substitute_for_performance_talk",
                                 "criterion_line_option",
                                 "criterion_personal_circumstances",
                                 "criterion_consistency",
                                 "criterion_care",
                                 "criterion_human_measure",
                                 "criterion_learning",
                                 "criterion_complexity"};

class TrackServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test_support::OpenTestStore(dir_.path());
    ASSERT_NE(store_, nullptr);
    auto tracks = workflow_files::LoadAllTracks(std::string(WAARBORG_SOURCE_DIR) + "/workflows/tracks",
                                                workflow::StandardGuards());
    ASSERT_TRUE(tracks.ok()) << tracks.status();
    catalogue_.tracks = std::move(*tracks);
    svc_ = std::make_unique<TrackService>(*store_, clock_, catalogue_);
    ASSERT_TRUE(
        store_
            ->Transact([&](StoreTx& tx) -> absl::Status {
              ASSIGN_OR_RETURN(unit_a_, tx.InsertUnit({0, "Eenheid Oost", UnitKind::kUnit, std::nullopt}));
              ASSIGN_OR_RETURN(team_a_, tx.InsertUnit({0, "Team Oost 1", UnitKind::kTeam, unit_a_}));
              ASSIGN_OR_RETURN(unit_b_, tx.InsertUnit({0, "Eenheid West", UnitKind::kUnit, std::nullopt}));
              ASSIGN_OR_RETURN(team_b_, tx.InsertUnit({0, "Team West 1", UnitKind::kTeam, unit_b_}));
              triage_ = AddActor(tx, {"triagist", team_a_, {Role::kTriageOfficer}, "Triagist Vermeulen"});
              chief_ = AddActor(tx, {"teamchef", team_a_, {Role::kVikTeamChief}, "Teamchef VIK Dijkstra"});
              investigator_ = AddActor(tx, {"onderzoeker", team_a_, {Role::kInvestigator}, "Onderzoeker Yilmaz"});
              investigator2_ = AddActor(tx, {"onderzoeker2", team_a_, {Role::kInvestigator}, "Onderzoeker de Wit"});
              manager_ = AddActor(tx, {"leiding", team_a_, {Role::kManager}, "Leidinggevende Mulder"});
              counsellor_ = AddActor(tx, {"vp", team_a_, {Role::kCounsellor}, "VP El Amrani"});
              cvp_ = AddActor(tx, {"cvp", team_a_, {Role::kCentralCounsellor}, "CVP Bos"});
              chair_a_ = AddActor(tx, {"voorzitter-oost", team_a_, {Role::kCommitteeChair}, "Voorzitter Kok"});
              chair_b_ = AddActor(tx, {"voorzitter-west", team_b_, {Role::kCommitteeChair}, "Voorzitter Prins"});
              employee_ = AddActor(tx, {"medewerker", team_a_, {Role::kEmployee}, "Medewerker Smit"});
              ASSIGN_OR_RETURN(subject_,
                               tx.InsertPerson({0, "Betrokkene Jansen", "Hoofdagent", "Hoofdagent", team_a_, {}}));
              ASSIGN_OR_RETURN(complainant1_, tx.InsertPerson({0, "Klager Visser", "Agent", "Agent", team_a_, {}}));
              ASSIGN_OR_RETURN(complainant2_, tx.InsertPerson({0, "Klager de Groot", "Agent", "Agent", team_a_, {}}));
              return absl::OkStatus();
            })
            .ok());
  }
  void TearDown() override {
    svc_.reset();
    store_.reset();
  }

  Id Create(const Actor& by, const std::string& track, Id unit, std::optional<Id> subject = std::nullopt,
            std::optional<Id> complainant = std::nullopt) {
    NewTrackCase n;
    n.track = track;
    n.unit_id = unit;
    n.summary = "Zaak over " + track;
    n.subject_person = subject;
    n.complainant_person = complainant;
    auto id = svc_->Create(by, n);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or(0);
  }

  TrackCase Get(Id id) {
    TrackCase c;
    EXPECT_TRUE(store_
                    ->Transact([&](StoreTx& tx) -> absl::Status {
                      ASSIGN_OR_RETURN(c, tx.GetTrackCase(id));
                      return absl::OkStatus();
                    })
                    .ok());
    return c;
  }

  // Takes a step with every checklist item of it ticked.
  absl::StatusOr<std::string> Take(const Actor& a, Id id, const std::string& action, Fields f) {
    std::vector<std::string> checked;
    const TrackCase c = Get(id);
    for (const auto& t : catalogue_.Find(c.track)->transitions)
      if (t.action == action)
        for (std::size_t i = 0; i < t.checklist.size(); ++i) checked.push_back(std::to_string(i));
    return svc_->Take(a, id, c.version, action, std::move(f), checked);
  }
  absl::StatusOr<std::string> TakeTicking(const Actor& a, Id id, const std::string& action, Fields f,
                                          std::vector<std::string> checked) {
    return svc_->Take(a, id, Get(id).version, action, std::move(f), checked);
  }

  Fields AllCriteria() {
    Fields f;
    for (const auto& c : kCriteria) f[c] = "Gewogen: " + c;
    return f;
  }

  // An investigation commissioned by the team chief, with `investigator_` on it.
  Id Investigation() {
    const Id id = Create(chief_, "investigation", unit_a_, subject_);
    EXPECT_TRUE(svc_->AddMember(chief_, id, investigator_.person_id, "investigator").ok());
    return id;
  }

  // A competent authority (bevoegd gezag) on case `id`.
  Actor Authority(Id id) {
    Actor authority;
    EXPECT_TRUE(store_
                    ->Transact([&](StoreTx& tx) {
                      authority = AddActor(
                          tx, {"bevoegd-" + std::to_string(id), team_a_, {Role::kCompetentAuthority}, "Bevoegd gezag"});
                      return absl::OkStatus();
                    })
                    .ok());
    EXPECT_TRUE(svc_->AddMember(chief_, id, authority.person_id, "authority").ok());
    return authority;
  }

  // Deadline `deadline` of case `id` as `viewer` sees it.
  TrackDeadlineView Deadline(const Actor& viewer, Id id, const std::string& deadline) {
    auto view = svc_->Open(viewer, id);
    EXPECT_TRUE(view.ok()) << view.status();
    if (view.ok())
      for (const auto& d : view->deadlines)
        if (d.id == deadline) return d;
    ADD_FAILURE() << "no deadline " << deadline;
    return {};
  }
  std::string Due(Id id, const std::string& deadline) {
    const auto d = Deadline(chief_, id, deadline);
    return d.due ? FormatDateNl(*d.due) : "niet begonnen";
  }

  // The history lines of case `id`, label and detail.
  std::vector<std::string> History(Id id) {
    std::vector<std::string> out;
    auto view = svc_->Open(chief_, id);
    EXPECT_TRUE(view.ok()) << view.status();
    if (view.ok())
      for (const auto& s : view->steps) out.push_back(s.detail.empty() ? s.label : s.label + " | " + s.detail);
    return out;
  }

  static Date D(const std::string& dutch) { return *ParseDate(dutch); }

  // Every audit event, as "action | case | detail".
  std::vector<std::string> Audit() {
    std::vector<std::string> out;
    EXPECT_TRUE(store_
                    ->Read([&](StoreTx& tx) {
                      return tx.ScanAudit([&](const AuditEvent& e) {
                        out.push_back(e.action + " | " + e.case_id + " | " + e.detail);
                        return true;
                      });
                    })
                    .ok());
    return out;
  }

  Fields Notice(const std::string& notice_date) {
    return {{"allegation_description", "Onrechtmatig raadplegen van politiesystemen."},
            {"description_given_on", notice_date},
            {"notice_date", notice_date},
            {"availability_times", "Dinsdag en donderdag 9-12 uur"},
            {"care_manager_id", std::to_string(manager_.person_id)}};
  }

  test_support::TempDir dir_{"waarborg-track"};
  std::unique_ptr<SqliteStore> store_;
  FakeClock clock_{kMon23Nov2026};
  workflow::TrackCatalogue catalogue_;
  std::unique_ptr<TrackService> svc_;
  Id unit_a_ = 0, team_a_ = 0, unit_b_ = 0, team_b_ = 0, subject_ = 0, complainant1_ = 0, complainant2_ = 0;
  Actor triage_, chief_, investigator_, investigator2_, manager_, counsellor_, cvp_, chair_a_, chair_b_, employee_;
};

// DOMAIN §4: triage records every uniform criterion before it chooses the
// approach; a choice without them changes nothing.
TEST_F(TrackServiceTest, TriageRecordsEveryUniformCriterionBeforeChoosingAnApproach) {
  const Id id = Create(triage_, "vik_triage", unit_a_, subject_);
  ASSERT_EQ(Get(id).reference.rfind("VIK-2026-", 0), 0u) << Get(id).reference;
  ASSERT_EQ(*Take(triage_, id, "start_triage", {{"source", "protective_monitoring"}}), "triage");
  Fields some = AllCriteria();
  some.erase("criterion_care");
  auto refused = Take(triage_, id, "choose_line_inquiry", some);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Get(id).state, "triage") << "a refused choice moved the case";
  // The checklist (comparable earlier cases looked at) must be ticked too.
  EXPECT_EQ(TakeTicking(triage_, id, "choose_line_inquiry", AllCriteria(), {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto chosen = Take(triage_, id, "choose_line_inquiry", AllCriteria());
  ASSERT_TRUE(chosen.ok()) << chosen.status();
  EXPECT_EQ(*chosen, "line_inquiry");
  const TrackCase c = Get(id);
  EXPECT_EQ(c.fields.at("criterion_care"), "Gewogen: criterion_care");
  EXPECT_EQ(c.version, 3);
}

// DOMAIN §4: triage shows the outcomes of comparable earlier cases, without
// anything that names or describes them, as a consistency aid.
TEST_F(TrackServiceTest, TriageShowsAnonymisedOutcomesOfComparableEarlierCases) {
  const Id earlier = Create(triage_, "vik_triage", unit_a_, subject_);
  ASSERT_TRUE(Take(triage_, earlier, "start_triage", {{"source", "protective_monitoring"}}).ok());
  ASSERT_TRUE(Take(triage_, earlier, "choose_exploratory", AllCriteria()).ok());
  const Id now = Create(triage_, "vik_triage", unit_a_);
  ASSERT_TRUE(Take(triage_, now, "start_triage", {{"source", "protective_monitoring"}}).ok());
  auto view = svc_->Open(triage_, now);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->comparable_outcomes.size(), 1u);
  const std::string& text = view->comparable_outcomes.front();
  EXPECT_NE(text.find("Oriënterend onderzoek"), std::string::npos) << text;
  EXPECT_NE(text.find("november 2026"), std::string::npos) << text;
  EXPECT_EQ(text.find("Jansen"), std::string::npos) << text;
  EXPECT_EQ(text.find("VIK-2026"), std::string::npos) << text;
  EXPECT_EQ(text.find("Zaak over"), std::string::npos) << text;
}

// DOMAIN §4: choosing a disciplinary approach opens the investigation on its
// own track (hands_over_to in vik_triage.yaml), in the same step.
TEST_F(TrackServiceTest, DisciplinaryChoiceOpensTheInvestigationForTheTeamChief) {
  const Id id = Create(triage_, "vik_triage", unit_a_, subject_);
  ASSERT_TRUE(Take(triage_, id, "start_triage", {{"source", "manager"}}).ok());
  auto count = [&] {
    auto list = svc_->List(chief_, /*open_only=*/false);
    EXPECT_TRUE(list.ok());
    std::size_t n = 0;
    for (const auto& item : *list) n += item.summary.track == "investigation";
    return n;
  };
  const std::size_t before = count();
  // Refused (criteria missing): no investigation either.
  EXPECT_EQ(Take(triage_, id, "choose_disciplinary", {}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(count(), before);
  ASSERT_EQ(*Take(triage_, id, "choose_disciplinary", AllCriteria()), "disciplinary");
  ASSERT_EQ(count(), before + 1);
  const TrackCase triage = Get(id);
  const std::string opened = triage.fields.at("handed_over_to");
  EXPECT_EQ(opened.rfind("ONZ-2026-", 0), 0u) << opened;
  auto list = svc_->List(chief_, false);
  Id investigation = 0;
  for (const auto& item : *list)
    if (item.summary.reference == opened) investigation = item.summary.id;
  ASSERT_NE(investigation, 0);
  auto v = svc_->Open(chief_, investigation);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->c.state, v->def->InitialState()->id);
  EXPECT_EQ(v->c.fields.at("source_reference"), triage.reference);
  EXPECT_TRUE(v->c.HasMember(subject_, kSubjectParty));
  EXPECT_EQ(v->c.unit_id, unit_a_);
  // The triage officer is no member of the investigation: the team chief staffs it.
  EXPECT_EQ(svc_->Open(triage_, investigation).status().code(), absl::StatusCode::kNotFound);
}

// DOMAIN §4: triage can return a case to the manager, with reasons.
TEST_F(TrackServiceTest, TriageReturnsACaseToTheManagerWithReasons) {
  const Id id = Create(triage_, "vik_triage", unit_a_);
  EXPECT_EQ(Take(triage_, id, "return_to_manager", {}).status().code(), absl::StatusCode::kInvalidArgument);
  auto back = Take(triage_, id, "return_to_manager", {{"return_reasons", "Een goed gesprek volstaat."}});
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, "returned_to_manager");
}

// A step belongs to the roles the track gives it; a case is seen only by the
// people on it and by those who read the whole track.
TEST_F(TrackServiceTest, OnlyTheRolesOfAStepTakeItAndOnlyThePeopleOnACaseSeeIt) {
  const Id id = Create(triage_, "vik_triage", unit_a_);
  ASSERT_TRUE(Take(triage_, id, "start_triage", {{"source", "manager"}}).ok());
  // Criminal: only the team chief (who reads every VIK case).
  EXPECT_EQ(Take(triage_, id, "choose_criminal", AllCriteria()).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(svc_->Open(chief_, id).ok());
  EXPECT_EQ(svc_->Open(employee_, id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(svc_->Open(investigator_, id).status().code(), absl::StatusCode::kNotFound)
      << "an investigator not on the case sees it";
  EXPECT_EQ(Take(employee_, id, "choose_line_inquiry", AllCriteria()).status().code(), absl::StatusCode::kNotFound);
  // The triage officer is offered the approaches, not the team chief's.
  auto view = svc_->Open(triage_, id);
  ASSERT_TRUE(view.ok());
  std::vector<std::string> actions;
  for (const auto* t : view->actions) actions.push_back(t->action);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "choose_line_inquiry"), actions.end());
  EXPECT_EQ(std::find(actions.begin(), actions.end(), "choose_criminal"), actions.end());
  // A stale version changes nothing.
  EXPECT_EQ(svc_->Take(triage_, id, 1, "return_to_manager", {{"return_reasons", "x"}}, {}).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(
      svc_->Create(employee_, NewTrackCase{.track = "vik_triage", .unit_id = unit_a_, .summary = "x"}).status().code(),
      absl::StatusCode::kPermissionDenied);
}

// DOMAIN §4: no person investigates the same matter disciplinarily and
// criminally; a disciplinary case that turns criminal changes investigator.
TEST_F(TrackServiceTest, DisciplinaryCaseTurningCriminalMustChangeInvestigator) {
  const Id id = Investigation();
  auto same = Take(chief_, id, "turn_criminal",
                   {{"reasons", "Vermoeden van een strafbaar feit."},
                    {"criminal_investigator_id", std::to_string(investigator_.person_id)}});
  ASSERT_EQ(same.status().code(), absl::StatusCode::kFailedPrecondition) << same.status();
  EXPECT_EQ(Get(id).state, "commissioned");
  auto other = Take(chief_, id, "turn_criminal",
                    {{"reasons", "Vermoeden van een strafbaar feit."},
                     {"criminal_investigator_id", std::to_string(investigator2_.person_id)}});
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(*other, "referred_criminal");
  // ... and the criminal investigator cannot join as a disciplinary one.
  EXPECT_EQ(svc_->AddMember(chief_, id, investigator2_.person_id, "investigator").code(),
            absl::StatusCode::kFailedPrecondition);
}

// DOMAIN §4: a notice of investigation is never planned on the last working
// day before a weekend or public holiday without a recorded reason.
TEST_F(TrackServiceTest, NoticeNotOnLastWorkingDayBeforeADayOffWithoutReason) {
  const Id id = Investigation();
  auto friday = Take(investigator_, id, "give_notice", Notice("27-11-2026"));
  ASSERT_EQ(friday.status().code(), absl::StatusCode::kFailedPrecondition) << friday.status();
  Fields with_reason = Notice("27-11-2026");
  with_reason["notice_reason"] = "Betrokkene vroeg zelf om vrijdag; zorg is geregeld met de BMW.";
  auto ok = Take(investigator_, id, "give_notice", with_reason);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(*ok, "notice_given");
  EXPECT_TRUE(Get(id).HasMember(manager_.person_id, "care_manager"));
}

// DOMAIN §4: the subject has a minimum preparation time before the hearing,
// counted in working days.
TEST_F(TrackServiceTest, HearingNotBeforeTheMinimumPreparationTimeInWorkingDays) {
  const Id id = Investigation();
  ASSERT_TRUE(Take(investigator_, id, "give_notice", Notice("24-11-2026")).ok());
  // Tuesday 24th + 5 working days leaves Wed..Tue; a hearing on Monday 30th is too soon.
  EXPECT_EQ(Take(investigator_, id, "schedule_hearing", {{"hearing_date", "30-11-2026"}}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto later = Take(investigator_, id, "schedule_hearing", {{"hearing_date", "07-12-2026"}});
  ASSERT_TRUE(later.ok()) << later.status();
}

// DOMAIN §3: the evaluation form closes every complaint: the only way into
// the final state is the form, and a form with a question left open is
// refused with nothing changed.
TEST_F(TrackServiceTest, EvaluationFormClosesEveryComplaint) {
  const workflow::TrackDefinition& def = *catalogue_.Find("unwanted_behaviour");
  for (const auto& t : def.transitions) {
    const auto* to = def.FindState(t.to);
    if (to && to->terminal) {
      EXPECT_EQ(t.action, "complete_evaluation") << t.action << " closes without the form";
    }
  }
  const workflow::TransitionDef* form = nullptr;
  for (const auto& t : def.transitions)
    if (t.action == "complete_evaluation") form = &t;
  ASSERT_NE(form, nullptr);
  EXPECT_GE(form->required_fields.size(), 13u) << "every question of DOMAIN §3's form";

  // A complaint brought to its evaluation directly in the store (the routes
  // to it are tested elsewhere); the VP fills in the form.
  const Id id = Create(counsellor_, "unwanted_behaviour", team_a_, subject_, complainant1_);
  ASSERT_TRUE(store_
                  ->Transact([&](StoreTx& tx) -> absl::Status {
                    ASSIGN_OR_RETURN(TrackCase c, tx.GetTrackCase(id));
                    c.state = "evaluation";
                    return tx.UpdateTrackCase(c, c.version);
                  })
                  .ok());
  Fields answers;
  for (const auto& f : form->required_fields) {
    const auto* fd = def.FindField(f);
    ASSERT_NE(fd, nullptr) << f;
    if (fd->type == workflow::FieldType::kYesNo)
      answers[f] = "ja";
    else if (fd->type == workflow::FieldType::kChoice)
      answers[f] = fd->options.front().key;
    else if (fd->type == workflow::FieldType::kDate)
      answers[f] = "20-11-2026";
    else
      answers[f] = "12";
  }
  Fields incomplete = answers;
  incomplete.erase("complainant_view_procedure");
  EXPECT_EQ(Take(counsellor_, id, "complete_evaluation", incomplete).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Get(id).state, "evaluation");
  auto closed = Take(counsellor_, id, "complete_evaluation", answers);
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(*closed, "closed");
}

// Issue 4 §1: a unit may tighten a norm (workflows/units/<unit>/<track>.yaml);
// its cases then follow the tighter rule, other units' cases the national one.
TEST_F(TrackServiceTest, UnitThatTightenedANormGetsItsOwnRuleOnItsCases) {
  auto oost = workflow_files::ParseUnitOverride(
      "track: investigation\nnorms:\n  - id: preparation_time\n    amount: 10\n",
      "units/eenheid-oost/investigation.yaml", *catalogue_.Find("investigation"), workflow::StandardGuards());
  ASSERT_TRUE(oost.ok()) << oost.status();
  catalogue_.unit_overrides.push_back({"eenheid-oost", *oost});
  ASSERT_EQ(workflow::UnitFolderName("Eenheid Oost"), "eenheid-oost");

  // A case in a team of Eenheid Oost (the override is found up the unit
  // chain): 9 working days are not enough now.
  const Id east = Create(chief_, "investigation", team_a_, subject_);
  ASSERT_TRUE(svc_->AddMember(chief_, east, investigator_.person_id, "investigator").ok());
  ASSERT_TRUE(Take(investigator_, east, "give_notice", Notice("24-11-2026")).ok());
  EXPECT_EQ(Take(investigator_, east, "schedule_hearing", {{"hearing_date", "07-12-2026"}}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Take(investigator_, east, "schedule_hearing", {{"hearing_date", "14-12-2026"}}).ok());

  // The same dates in Eenheid West keep the national 5 working days.
  const Id west = Create(chief_, "investigation", team_b_, subject_);
  ASSERT_TRUE(svc_->AddMember(chief_, west, investigator2_.person_id, "investigator").ok());
  ASSERT_TRUE(Take(investigator2_, west, "give_notice", Notice("24-11-2026")).ok());
  EXPECT_TRUE(Take(investigator2_, west, "schedule_hearing", {{"hearing_date", "07-12-2026"}}).ok());
}

// DOMAIN §4: the care manager may not be a party to the case, and contact
// with the subject that is overdue shows.
TEST_F(TrackServiceTest, CareManagerIsNotConflictedAndOverdueContactShows) {
  const Id id = Investigation();
  Fields conflicted = Notice("24-11-2026");
  conflicted["care_manager_id"] = std::to_string(investigator_.person_id);
  EXPECT_EQ(Take(investigator_, id, "give_notice", conflicted).status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Take(investigator_, id, "give_notice", Notice("24-11-2026")).ok());
  clock_.Advance(30 * kDay);
  auto view = svc_->Open(manager_, id);
  ASSERT_TRUE(view.ok()) << view.status();
  ASSERT_TRUE(view->care.has_value());
  EXPECT_TRUE(view->care->overdue) << "no contact for 30 days, norm every 3 weeks";
  ASSERT_TRUE(Take(manager_, id, "record_care_contact", {{"contact_on", "23-12-2026"}}).ok());
  EXPECT_FALSE(svc_->Open(manager_, id)->care->overdue);
}

// DOMAIN §4: fixed review moments with the commissioning authority show
// while the investigation runs, the next one never in the past.
TEST_F(TrackServiceTest, FixedReviewMomentsShowTheNextOneWhileTheCaseRuns) {
  const Id id = Investigation();
  auto view = svc_->Open(chief_, id);
  ASSERT_TRUE(view.ok());
  ASSERT_FALSE(view->reviews.empty()) << "no review moments in 'commissioned'";
  for (const auto& r : view->reviews) EXPECT_GE(r.next, svc_->Today()) << r.id;
  const Date first = view->reviews.front().next;
  clock_.Advance(60 * kDay);
  view = svc_->Open(chief_, id);
  ASSERT_FALSE(view->reviews.empty());
  EXPECT_GT(view->reviews.front().next, first) << "the next moment did not move on";
  EXPECT_GE(view->reviews.front().next, svc_->Today());
}

// DOMAIN §4: the outcome is a penalty of the BARP list or a learning measure,
// with the subject's rank category, so sanctions compare across ranks.
TEST_F(TrackServiceTest, OutcomeIsABarpPenaltyWithTheRankCategory) {
  const Id id = Investigation();
  ASSERT_TRUE(Take(investigator_, id, "give_notice", Notice("24-11-2026")).ok());
  ASSERT_TRUE(Take(investigator_, id, "schedule_hearing", {{"hearing_date", "07-12-2026"}}).ok());
  ASSERT_TRUE(Take(investigator_, id, "hold_hearing", {{"hearing_report", "Verslag."}}).ok());
  ASSERT_TRUE(Take(investigator_, id, "report_findings", {{"report", "Rapport."}}).ok());
  Actor authority;
  ASSERT_TRUE(store_
                  ->Transact([&](StoreTx& tx) {
                    authority = AddActor(tx, {"bevoegd", team_a_, {Role::kCompetentAuthority}, "Bevoegd gezag"});
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(svc_->AddMember(chief_, id, authority.person_id, "authority").ok());
  EXPECT_EQ(Take(authority, id, "decide_penalty",
                 {{"misconduct_finding", "Bewezen."}, {"penalty", "banishment"}, {"rank_category", "executive"}})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  auto ok =
      Take(authority, id, "decide_penalty",
           {{"misconduct_finding", "Bewezen."}, {"penalty", "written_reprimand"}, {"rank_category", "executive"}});
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(*ok, "outcome_decided");
  EXPECT_EQ(Get(id).fields.at("rank_category"), "executive");
}

// DOMAIN §3: the committee decides on admissibility within one week of
// receipt and advises within six; the deadlines show on the case and are met
// by their steps.
TEST_F(TrackServiceTest, ComplaintsCommitteeDeadlinesFromReceipt) {
  const Id id = Create(chair_b_, "complaints_committee", unit_a_, subject_, complainant1_);
  auto view = svc_->Open(chair_b_, id);
  ASSERT_TRUE(view.ok()) << view.status();
  std::map<std::string, TrackDeadlineView> by_id;
  for (const auto& d : view->deadlines) by_id[d.id] = d;
  ASSERT_TRUE(by_id.count("admissibility") && by_id.count("advice"));
  EXPECT_EQ(FormatDateNl(*by_id["admissibility"].due), "30-11-2026");
  EXPECT_EQ(FormatDateNl(*by_id["advice"].due), "04-01-2027");
  clock_.Advance(8 * kDay);
  view = svc_->Open(chair_b_, id);
  for (const auto& d : view->deadlines) {
    if (d.id == "admissibility") {
      EXPECT_TRUE(d.overdue);
    }
  }
}

// DOMAIN §3: an interregional committee takes its chair from another unit
// than the complaint's.
TEST_F(TrackServiceTest, CommitteeChairComesFromAnotherUnitThanTheComplaint) {
  const Id id = Create(chair_a_, "complaints_committee", unit_a_, subject_, complainant1_);
  ASSERT_TRUE(Take(chair_a_, id, "acknowledge", {{"acknowledged_on", "23-11-2026"}}).ok());
  const Fields decision = {{"admissibility_reasons", "Tijdig en binnen de regeling."},
                           {"communicated_on", "24-11-2026"},
                           {"admissible", "ja"}};
  EXPECT_EQ(Take(chair_a_, id, "decide_admissibility", decision).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(svc_->AddMember(chair_a_, id, chair_b_.person_id, "committee_chair").ok());
  auto ok = Take(chair_b_, id, "decide_admissibility", decision);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(*ok, "admissible");
}

// DOMAIN §3: two independent complaints about one person give the CVP a
// signal to raise with the manager, naming no complainant.
TEST_F(TrackServiceTest, SignalFunctionNamesThePersonButNoComplainant) {
  Create(counsellor_, "unwanted_behaviour", unit_a_, subject_, complainant1_);
  ASSERT_TRUE(svc_->Signals(cvp_)->empty()) << "one complaint is no signal";
  Create(counsellor_, "unwanted_behaviour", unit_a_, subject_, complainant1_);
  ASSERT_TRUE(svc_->Signals(cvp_)->empty()) << "the same complainant twice is not independent";
  Create(counsellor_, "unwanted_behaviour", unit_a_, subject_, complainant2_);
  auto signals = svc_->Signals(cvp_);
  ASSERT_TRUE(signals.ok());
  ASSERT_EQ(signals->size(), 1u);
  const std::string& text = signals->front().text;
  EXPECT_NE(text.find("Betrokkene Jansen"), std::string::npos) << text;
  EXPECT_EQ(text.find("Visser"), std::string::npos) << text;
  EXPECT_EQ(text.find("de Groot"), std::string::npos) << text;
  EXPECT_EQ(svc_->Signals(counsellor_).status().code(), absl::StatusCode::kPermissionDenied);
}

// The same for complaints about a team rather than one person.
TEST_F(TrackServiceTest, SignalFunctionNamesATeamComplainedAboutTwice) {
  for (Id complainant : {complainant1_, complainant2_}) {
    NewTrackCase n{.track = "unwanted_behaviour", .unit_id = unit_a_, .summary = "Sfeer in het team"};
    n.complainant_person = complainant;
    n.accused_team = team_a_;
    ASSERT_TRUE(svc_->Create(counsellor_, n).ok());
  }
  auto signals = svc_->Signals(cvp_);
  ASSERT_TRUE(signals.ok());
  ASSERT_EQ(signals->size(), 1u);
  EXPECT_EQ(signals->front().signal.concerns, complaints::SignalConcerns::kTeam);
  EXPECT_NE(signals->front().text.find("Team Oost 1"), std::string::npos) << signals->front().text;
}

// DOMAIN §3: the complainant decides what may be passed on; without consent
// nothing goes to the manager.
TEST_F(TrackServiceTest, ComplainantDecidesWhatIsPassedOn) {
  // Complainant and accused of the same rank: no power difference here.
  const Id id = Create(counsellor_, "unwanted_behaviour", unit_a_, complainant2_, complainant1_);
  ASSERT_TRUE(Take(counsellor_, id, "start_with_counsellor", {}).ok());
  EXPECT_EQ(Take(counsellor_, id, "refer_to_manager", {}).status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(
      Take(counsellor_, id, "record_consent", {{"item", "De gebeurtenis van 12-11"}, {"may_pass_on", "ja"}}).ok());
  auto referred = Take(counsellor_, id, "refer_to_manager", {});
  ASSERT_TRUE(referred.ok()) << referred.status();
  EXPECT_EQ(*referred, "fact_finding");
}

// DOMAIN §3: when the accused outranks the complainant or the counsellor, a
// counsellor from another district or unit is offered first; the CVP may
// take any case.
TEST_F(TrackServiceTest, PowerDifferenceOffersACounsellorFromElsewhere) {
  // The accused (hoofdagent) outranks the complainant (agent).
  const Id id = Create(counsellor_, "unwanted_behaviour", unit_a_, subject_, complainant1_);
  auto refused = Take(counsellor_, id, "start_with_counsellor", {});
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
  EXPECT_NE(std::string(refused.status().message()).find("ander"), std::string::npos);
  ASSERT_TRUE(Take(counsellor_, id, "offer_other_counsellor", {}).ok());
  auto started = Take(counsellor_, id, "start_with_counsellor", {});
  ASSERT_TRUE(started.ok()) << started.status();
  // The CVP needs no offer first.
  const Id other = Create(counsellor_, "unwanted_behaviour", unit_a_, subject_, complainant1_);
  EXPECT_TRUE(Take(cvp_, other, "start_with_counsellor", {}).ok());
}

// --- deadlines: extension (verlenging), suspension (opschorting), review moments

// AVG art. 12(3): an access request is answered within 1 month, extendable
// once by 2 months. The extension moves the due date by its amount; a second
// one is refused and changes nothing.
TEST_F(TrackServiceTest, ExtensionMovesTheDeadlineByItsAmountAndNoMoreThanMaxCount) {
  const Id id = Investigation();
  const Actor authority = Authority(id);
  ASSERT_TRUE(Take(investigator_, id, "give_notice", Notice("24-11-2026")).ok());
  EXPECT_EQ(svc_->ExtendDeadline(authority, id, Get(id).version, "document_access", "Veel stukken").code(),
            absl::StatusCode::kFailedPrecondition)
      << "a deadline that has not started was extended";
  ASSERT_TRUE(
      Take(investigator_, id, "request_documents", {{"requested_on", "23-11-2026"}, {"documents", "Het dossier"}})
          .ok());
  EXPECT_EQ(Due(id, "document_access"), "23-12-2026");
  EXPECT_TRUE(Deadline(authority, id, "document_access").may_extend);
  EXPECT_FALSE(Deadline(authority, id, "document_access").may_suspend) << "the AVG term cannot be suspended";

  auto st = svc_->ExtendDeadline(authority, id, Get(id).version, "document_access",
                                 "Omvangrijk verzoek; betrokkene op 30-11 bericht gestuurd.");
  ASSERT_TRUE(st.ok()) << st;
  const TrackDeadlineView d = Deadline(authority, id, "document_access");
  EXPECT_EQ(FormatDateNl(*d.due), "23-02-2027");
  EXPECT_EQ(d.extensions, 1);
  EXPECT_EQ(d.max_extensions, 1);
  EXPECT_FALSE(d.may_extend) << "the form is still offered after the one extension";
  const auto history = History(id);
  EXPECT_NE(std::find(history.begin(), history.end(),
                      "Termijn verlengd met 2 maanden: Inzageverzoek betrokkene beantwoorden (1 maand) | Omvangrijk "
                      "verzoek; betrokkene op 30-11 bericht gestuurd."),
            history.end())
      << ::testing::PrintToString(history);

  const std::int64_t version = Get(id).version;
  auto again = svc_->ExtendDeadline(authority, id, version, "document_access", "Nog meer stukken gevonden.");
  ASSERT_EQ(again.code(), absl::StatusCode::kFailedPrecondition) << again;
  EXPECT_NE(std::string(again.message()).find("maximale aantal keren"), std::string::npos) << again;
  EXPECT_EQ(Get(id).version, version) << "a refused extension changed the case";
  EXPECT_EQ(Due(id, "document_access"), "23-02-2027");
  // Once met, a deadline stays as it is.
  ASSERT_TRUE(Take(authority, id, "decide_document_request", {{"granted", "ja"}, {"grounds", "Geen bezwaar."}}).ok());
  EXPECT_EQ(svc_->ExtendDeadline(chief_, id, Get(id).version, "document_access", "Te laat").code(),
            absl::StatusCode::kFailedPrecondition);
}

// A deadline is suspended only where its rule allows it (the AVG term does
// not; the internal turnaround norm does); the due date then moves by the
// suspended calendar days, both ends included. A day is suspended once.
TEST_F(TrackServiceTest, SuspensionOnlyWhereTheRuleAllowsIt) {
  const Id id = Investigation();
  ASSERT_TRUE(Take(investigator_, id, "give_notice", Notice("24-11-2026")).ok());
  ASSERT_TRUE(
      Take(investigator_, id, "request_documents", {{"requested_on", "23-11-2026"}, {"documents", "Het dossier"}})
          .ok());
  std::int64_t version = Get(id).version;
  auto no = svc_->SuspendDeadline(chief_, id, version, "document_access", D("23-11-2026"), D("23-11-2026"),
                                  "Betrokkene ziek");
  ASSERT_EQ(no.code(), absl::StatusCode::kFailedPrecondition) << no;
  EXPECT_NE(std::string(no.message()).find("kan niet worden opgeschort"), std::string::npos) << no;
  EXPECT_EQ(Get(id).version, version);

  const TrackDeadlineView before = Deadline(investigator_, id, "turnaround");
  ASSERT_TRUE(before.due);
  EXPECT_TRUE(before.may_suspend);
  clock_.Advance(10 * kDay);  // Thursday 3 December
  // Wednesday 25 November up to and including Friday 4 December: 10 days,
  // of which the last lies ahead.
  auto ok = svc_->SuspendDeadline(investigator_, id, Get(id).version, "turnaround", D("25-11-2026"), D("04-12-2026"),
                                  "Betrokkene ziek gemeld; horen niet mogelijk.");
  ASSERT_TRUE(ok.ok()) << ok;
  const TrackDeadlineView after = Deadline(investigator_, id, "turnaround");
  EXPECT_EQ(after.suspended_days, 10);
  EXPECT_EQ(std::chrono::sys_days(*after.due) - std::chrono::sys_days(*before.due), std::chrono::days{10});
  const auto history = History(id);
  EXPECT_NE(std::find(history.begin(), history.end(),
                      "Termijn opgeschort van 25-11-2026 tot en met 04-12-2026: Doorlooptijd tot het rapport (norm) | "
                      "Betrokkene ziek gemeld; horen niet mogelijk."),
            history.end())
      << ::testing::PrintToString(history);

  version = Get(id).version;
  auto overlap = svc_->SuspendDeadline(investigator_, id, version, "turnaround", D("01-12-2026"), D("02-12-2026"),
                                       "Nogmaals ziek");
  EXPECT_EQ(overlap.code(), absl::StatusCode::kFailedPrecondition) << overlap;
  EXPECT_NE(std::string(overlap.message()).find("overlapt"), std::string::npos) << overlap;
  EXPECT_EQ(
      svc_->SuspendDeadline(investigator_, id, version, "turnaround", D("24-11-2026"), D("23-11-2026"), "Ziek").code(),
      absl::StatusCode::kInvalidArgument)
      << "a period that ends before it begins";
  EXPECT_EQ(svc_->SuspendDeadline(investigator_, id, version, "turnaround", D("07-12-2026"), D("08-12-2026"), "Verlof")
                .code(),
            absl::StatusCode::kInvalidArgument)
      << "a suspension that has not begun";
  EXPECT_EQ(
      svc_->SuspendDeadline(investigator_, id, version, "turnaround", D("20-11-2026"), D("22-11-2026"), "Ziek").code(),
      absl::StatusCode::kInvalidArgument)
      << "a suspension from before the term began";
  EXPECT_EQ(
      svc_->SuspendDeadline(investigator_, id, version, "turnaround", D("23-11-2026"), D("23-11-2026"), "  ").code(),
      absl::StatusCode::kInvalidArgument)
      << "a suspension without a reason";
  EXPECT_EQ(Get(id).version, version) << "a refused suspension changed the case";
  EXPECT_EQ(Deadline(investigator_, id, "turnaround").suspended_days, 10);
}

// An extension is recorded with its reason; without one nothing changes.
// The case list shows the moved deadline as the case page does.
TEST_F(TrackServiceTest, ExtensionNeedsAReason) {
  const Id id = Investigation();
  const std::int64_t version = Get(id).version;
  const TrackDeadlineView before = Deadline(investigator_, id, "turnaround");
  auto blank = svc_->ExtendDeadline(investigator_, id, version, "turnaround", " \n ");
  ASSERT_EQ(blank.code(), absl::StatusCode::kInvalidArgument) << blank;
  EXPECT_EQ(std::string(blank.message()), "Vul de reden van de verlenging in.");
  EXPECT_EQ(Get(id).version, version);
  EXPECT_EQ(Deadline(investigator_, id, "turnaround").extensions, 0);

  ASSERT_TRUE(svc_->ExtendDeadline(investigator_, id, version, "turnaround", "Extra getuigen te horen.").ok());
  const TrackDeadlineView after = Deadline(investigator_, id, "turnaround");
  EXPECT_EQ(after.extensions, 1);
  EXPECT_EQ(std::chrono::sys_days(*after.due) - std::chrono::sys_days(*before.due), std::chrono::days{8 * 7});
  EXPECT_TRUE(after.may_extend) << "the norm may be extended twice";
  auto list = svc_->List(investigator_, true);
  ASSERT_TRUE(list.ok());
  bool listed = false;
  for (const auto& it : *list)
    if (it.summary.id == id) {
      listed = true;
      ASSERT_TRUE(it.nearest && it.nearest->due);
      EXPECT_EQ(FormatDateNl(*it.nearest->due), FormatDateNl(*after.due));
    }
  EXPECT_TRUE(listed);
}

// Only the people whose term it is (on the case, with a role of a step that
// meets it) and those who oversee the whole track record an extension or a
// suspension; anyone else is refused and nothing changes.
TEST_F(TrackServiceTest, OnlyTheCaseTeamMayExtendADeadline) {
  const Id id = Investigation();
  ASSERT_TRUE(Take(investigator_, id, "give_notice", Notice("24-11-2026")).ok());
  ASSERT_TRUE(
      Take(investigator_, id, "request_documents", {{"requested_on", "23-11-2026"}, {"documents", "Het dossier"}})
          .ok());
  const std::int64_t version = Get(id).version;
  // The authority answers an access request, not the investigator.
  EXPECT_EQ(svc_->ExtendDeadline(investigator_, id, version, "document_access", "Veel stukken").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(Deadline(investigator_, id, "document_access").may_extend);
  // The care manager is on the case but writes no report.
  const auto refused = svc_->ExtendDeadline(manager_, id, version, "turnaround", "Drukte");
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied) << refused;
  EXPECT_NE(std::string(refused.message()).find("Alleen wie aan de zaak werkt"), std::string::npos) << refused;
  EXPECT_FALSE(Deadline(manager_, id, "turnaround").may_extend);
  EXPECT_EQ(svc_->SuspendDeadline(manager_, id, version, "turnaround", D("23-11-2026"), D("23-11-2026"), "Ziek").code(),
            absl::StatusCode::kPermissionDenied);
  // An investigator not on the case does not even see it.
  EXPECT_EQ(svc_->ExtendDeadline(investigator2_, id, version, "turnaround", "Drukte").code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Get(id).version, version) << "a refused extension changed the case";
  EXPECT_EQ(Deadline(chief_, id, "turnaround").extensions, 0);
  // The team chief oversees every investigation.
  EXPECT_TRUE(svc_->ExtendDeadline(chief_, id, version, "turnaround", "Capaciteit elders nodig.").ok());
  // Each refusal and the extension are in the audit trail; the reason is not.
  const std::string zaak = "zaak-" + std::to_string(id);
  const auto audit = Audit();
  EXPECT_EQ(std::count(audit.begin(), audit.end(), "track.step_denied:deadline_extended:" + zaak + " |  | "), 3)
      << ::testing::PrintToString(audit);
  EXPECT_EQ(std::count(audit.begin(), audit.end(), "track.deadline_extended | " + zaak + " | turnaround 1/2"), 1)
      << ::testing::PrintToString(audit);
  for (const auto& line : audit) EXPECT_EQ(line.find("Capaciteit"), std::string::npos) << line;
}

// A form from before a change is stale: the extension is refused and nothing
// is written; the extension itself makes older step forms stale.
TEST_F(TrackServiceTest, StaleVersionIsRefused) {
  const Id id = Investigation();
  const std::int64_t version = Get(id).version;
  EXPECT_EQ(svc_->ExtendDeadline(investigator_, id, version - 1, "turnaround", "Extra getuigen").code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(
      svc_->SuspendDeadline(investigator_, id, version - 1, "turnaround", D("23-11-2026"), D("23-11-2026"), "Ziek")
          .code(),
      absl::StatusCode::kAborted);
  EXPECT_EQ(svc_->RecordReviewHeld(chief_, id, version - 1, "care_contact", D("23-11-2026"), "").code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(Get(id).version, version);
  EXPECT_EQ(Deadline(chief_, id, "turnaround").extensions, 0);
  ASSERT_TRUE(svc_->ExtendDeadline(investigator_, id, version, "turnaround", "Extra getuigen").ok());
  EXPECT_EQ(svc_->ExtendDeadline(investigator_, id, version, "turnaround", "Nog meer getuigen").code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(svc_->Take(investigator_, id, version, "record_representative", {{"representative", "Vakbond"}}, {})
                .status()
                .code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(Deadline(chief_, id, "turnaround").extensions, 1);
}

// DOMAIN §4: progress meetings with the commissioning authority every six
// weeks while the investigation runs; once one is held, the next counts from
// that day.
TEST_F(TrackServiceTest, HeldReviewMovesTheNextReviewMoment) {
  const Id id = Investigation();
  EXPECT_EQ(
      svc_->RecordReviewHeld(investigator_, id, Get(id).version, "commissioner_review", D("23-11-2026"), "").code(),
      absl::StatusCode::kFailedPrecondition)
      << "a review that does not apply before the notice";
  ASSERT_TRUE(Take(investigator_, id, "give_notice", Notice("24-11-2026")).ok());
  auto next_of = [&](const Actor& viewer) -> TrackReviewView {
    auto view = svc_->Open(viewer, id);
    EXPECT_TRUE(view.ok());
    for (const auto& r : view->reviews)
      if (r.id == "commissioner_review") return r;
    ADD_FAILURE() << "no commissioner_review";
    return {};
  };
  EXPECT_EQ(FormatDateNl(next_of(investigator_).next), "04-01-2027");  // 23-11 + 6 weeks
  EXPECT_TRUE(next_of(investigator_).may_record);
  EXPECT_FALSE(next_of(manager_).may_record) << "the care manager takes no part in the progress meeting";
  clock_.Advance(20 * kDay);  // Sunday 13 December
  const std::int64_t version = Get(id).version;
  EXPECT_EQ(svc_->RecordReviewHeld(investigator_, id, version, "commissioner_review", D("14-12-2026"), "").code(),
            absl::StatusCode::kInvalidArgument)
      << "held tomorrow";
  EXPECT_EQ(svc_->RecordReviewHeld(investigator_, id, version, "commissioner_review", D("20-11-2026"), "").code(),
            absl::StatusCode::kInvalidArgument)
      << "held before the case entered the review's states";
  EXPECT_EQ(svc_->RecordReviewHeld(manager_, id, version, "commissioner_review", D("11-12-2026"), "").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Get(id).version, version);

  auto held = svc_->RecordReviewHeld(investigator_, id, version, "commissioner_review", D("11-12-2026"),
                                     "Planning hoorgesprek besproken.");
  ASSERT_TRUE(held.ok()) << held;
  const TrackReviewView r = next_of(investigator_);
  EXPECT_EQ(FormatDateNl(r.next), "22-01-2027");  // Friday 11-12 + 6 weeks
  ASSERT_TRUE(r.last_held);
  EXPECT_EQ(FormatDateNl(*r.last_held), "11-12-2026");
  const auto history = History(id);
  EXPECT_NE(std::find(history.begin(), history.end(),
                      "Evaluatiemoment gehouden op 11-12-2026: Voortgangsoverleg met het bevoegd gezag | Planning "
                      "hoorgesprek besproken."),
            history.end())
      << ::testing::PrintToString(history);
  EXPECT_EQ(
      svc_->RecordReviewHeld(investigator_, id, Get(id).version, "commissioner_review", D("11-12-2026"), "").code(),
      absl::StatusCode::kFailedPrecondition)
      << "the same meeting recorded twice";
  // The care manager records the care contact moment.
  EXPECT_TRUE(svc_->RecordReviewHeld(manager_, id, Get(id).version, "care_contact", D("10-12-2026"), "").ok());
}

// The steps Waarborg records itself cannot be taken as a track step, which
// would skip their checks.
TEST_F(TrackServiceTest, ReservedStepsCannotBeTakenAsTrackSteps) {
  const Id id = Investigation();
  const std::int64_t version = Get(id).version;
  for (std::string_view action :
       {workflow::kDeadlineExtendedAction, workflow::kDeadlineSuspendedAction, workflow::kReviewHeldAction}) {
    auto taken = svc_->Take(chief_, id, version, std::string(action),
                            {{"deadline", "turnaround"},
                             {"reason", "x"},
                             {"from", "23-11-2026"},
                             {"until", "23-11-2026"},
                             {"review", "care_contact"},
                             {"held_on", "23-11-2026"}},
                            {});
    EXPECT_EQ(taken.status().code(), absl::StatusCode::kNotFound) << action;
  }
  EXPECT_EQ(Get(id).version, version);
  EXPECT_EQ(Deadline(chief_, id, "turnaround").extensions, 0);
  EXPECT_EQ(Deadline(chief_, id, "turnaround").suspended_days, 0);
}

// Case content is encrypted at rest like the LMM's.
TEST_F(TrackServiceTest, TrackCaseTextIsEncryptedAtRest) {
  const Id id = Create(triage_, "vik_triage", unit_a_);
  ASSERT_TRUE(Take(triage_, id, "return_to_manager", {{"return_reasons", "Zeldzaam-Woord-Okapi"}}).ok());
  store_.reset();
  std::string raw;
  for (const std::string& f : {dir_.path() + "/w.db", dir_.path() + "/w.db-wal"}) {
    std::ifstream in(f, std::ios::binary);
    raw.append(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_EQ(raw.find("Zeldzaam-Woord-Okapi"), std::string::npos);
  EXPECT_EQ(raw.find("Zaak over vik_triage"), std::string::npos);
}

// --- hand-over from the LMM to VIK triage (issue 4 §4) ---

class LmmHandOverTest : public TrackServiceTest {
 protected:
  void SetUp() override {
    TrackServiceTest::SetUp();
    ASSERT_TRUE(
        store_
            ->Transact([&](StoreTx& tx) -> absl::Status {
              coordinator_ = AddActor(tx, {"coordinator", team_a_, {Role::kCoordinator}, "Coördinator Hendriks"});
              vpi_ = AddActor(tx, {"vpi", team_a_, {Role::kIntegrityAdvisor}, "VPI de Boer"});
              LmmCase c;
              c.reference = "LMM-2026-0042";
              c.state = LmmState::kWeighing;
              c.received_on = Date{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{2}};
              c.summary = "Geheime samenvatting van de melder";
              c.description = "Geheime omschrijving met de naam van de melder";
              c.unit_id = unit_a_;
              c.subject_person_ids = {subject_};
              c.reporter_advisor_id = vpi_.person_id;
              c.weighing_advisor_id = investigator2_.person_id;
              ASSIGN_OR_RETURN(report_, tx.InsertCase(c));
              return absl::OkStatus();
            })
            .ok());
  }
  std::size_t VikCases() {
    auto list = svc_->List(chief_, /*open_only=*/false);
    EXPECT_TRUE(list.ok()) << list.status();
    std::size_t n = 0;
    for (const auto& item : *list) n += item.summary.track == "vik_triage";
    return n;
  }
  Actor coordinator_, vpi_;
  Id report_ = 0;
};

TEST_F(LmmHandOverTest, LmmReportIsHandedToVikTriageWithoutItsContent) {
  const std::size_t before = VikCases();
  auto id =
      svc_->HandOverFromLmm(coordinator_, {report_, "Mogelijk misbruik van bevoegdheden door een collega.", subject_});
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(VikCases(), before + 1);
  // VIK's team chief finds it at the start of triage, with its source.
  auto v = svc_->Open(chief_, *id);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->c.state, "received");
  EXPECT_EQ(v->c.fields.at("source"), "lmm");
  EXPECT_EQ(v->c.fields.at("source_reference"), "LMM-2026-0042");
  EXPECT_EQ(v->c.summary, "Mogelijk misbruik van bevoegdheden door een collega.");
  EXPECT_TRUE(v->c.HasMember(subject_, kSubjectParty));
  // Nothing of the report travels: not its summary, not its description, and
  // the coordinator is no member of the VIK case.
  for (const auto& [k, value] : v->c.fields) EXPECT_EQ(value.find("Geheime"), std::string::npos) << k;
  EXPECT_FALSE(v->c.IsMember(coordinator_.person_id));
  // The report's history says which VIK case it became.
  bool noted = false;
  ASSERT_TRUE(store_
                  ->Transact([&](StoreTx& tx) -> absl::Status {
                    for (const auto& e : tx.ListCaseEvents(report_))
                      if (e.kind == "vik_signal" && e.text.find(v->c.reference) != std::string::npos) noted = true;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_TRUE(noted);
}

TEST_F(LmmHandOverTest, OnlyTheCoordinatorHandsAReportToVik) {
  const std::size_t before = VikCases();
  for (const Actor& who : {vpi_, triage_, chief_, employee_}) {
    auto id = svc_->HandOverFromLmm(who, {report_, "Signaal", std::nullopt});
    EXPECT_EQ(id.status().code(), absl::StatusCode::kPermissionDenied) << who.username;
  }
  EXPECT_EQ(VikCases(), before);
}

TEST_F(LmmHandOverTest, HandOverRefusesAnUnstaffedReportAStrangerAsSubjectAndAnEmptySignal) {
  const std::size_t before = VikCases();
  EXPECT_EQ(svc_->HandOverFromLmm(coordinator_, {report_, "  ", std::nullopt}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(svc_->HandOverFromLmm(coordinator_, {report_, "Signaal", complainant1_}).status().code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_
                  ->Transact([&](StoreTx& tx) -> absl::Status {
                    ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(report_));
                    c.state = LmmState::kRegistered;
                    return tx.UpdateCase(c, c.version);
                  })
                  .ok());
  EXPECT_EQ(svc_->HandOverFromLmm(coordinator_, {report_, "Signaal", std::nullopt}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(VikCases(), before);
}

}  // namespace
}  // namespace waarborg::app
