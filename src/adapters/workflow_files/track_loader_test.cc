// Track files: the shipped tracks load and validate, errors name file and
// line, and a unit may tighten but never loosen a legal deadline. Dates were
// checked by hand (2026: King's Day Mon 27 Apr, Christmas Fri 25 Dec).
#include "adapters/workflow_files/track_loader.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/access/access.h"
#include "core/cases/investigation_rules.h"
#include "core/common/strings.h"
#include "core/cases/lmm_case.h"
#include "core/workflow/flow_chart.h"
#include "core/workflow/lmm_track.h"

namespace waarborg::workflow_files {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using workflow::DueDate;
using workflow::StandardGuards;
using workflow::TrackDefinition;

const std::string kTracks = std::string(WAARBORG_SOURCE_DIR) + "/workflows/tracks";

Date Ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

std::string Msg(const absl::Status& s) { return std::string(s.message()); }

// A fresh temporary directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() / ("waarborg-tracks-" + std::string(info->name()) + "-" + std::to_string(getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string Write(const std::string& rel, const std::string& text) const {
    fs::path p = path_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

const TrackDefinition& Shipped(const std::string& id) {
  static const std::vector<TrackDefinition>* tracks = [] {
    auto loaded = LoadAllTracks(kTracks, StandardGuards());
    if (!loaded.ok()) ADD_FAILURE() << loaded.status().message();
    return new std::vector<TrackDefinition>(loaded.ok() ? *loaded : std::vector<TrackDefinition>{});
  }();
  for (const auto& t : *tracks)
    if (t.id == id) return t;
  static const TrackDefinition empty;
  ADD_FAILURE() << "no shipped track " << id;
  return empty;
}

const workflow::DeadlineRule& DeadlineOf(const TrackDefinition& t, const std::string& id) {
  const auto* d = t.FindDeadline(id);
  static const workflow::DeadlineRule none;
  if (!d) ADD_FAILURE() << "no deadline " << id << " in " << t.id;
  return d ? *d : none;
}

// A valid small track; line 17 is the 'to' of the advise transition.
constexpr const char* kSmall = R"(id: small
name: Klein traject
description: Een klein traject.
states:
  - id: open
    label: Open
    reporter_text: Uw zaak is open.
    initial: true
  - id: advised
    label: Advies
    reporter_text: Er is advies.
  - id: closed
    label: Dicht
    reporter_text: Uw zaak is dicht.
    terminal: true
transitions:
  - action: advise
    from: [open]
    to: advised
    roles: [vpi]
  - action: close
    from: advised
    to: closed
    roles: [coordinator]
deadlines:
  - id: ack
    label: Ontvangstbevestiging
    from: received
    amount: 7
    unit: calendar_days
    met_by: advise
    legal: true
    basis: Wbk
    algemene_termijnenwet: true
)";

// --- shipped tracks ---

TEST(TrackFiles, AllShippedTracksAreValid) {
  auto tracks = LoadAllTracks(kTracks, StandardGuards());
  ASSERT_TRUE(tracks.ok()) << tracks.status().message();
  std::set<std::string> ids;
  for (const auto& t : *tracks) ids.insert(t.id);
  EXPECT_EQ(ids, (std::set<std::string>{"complaints_committee", "investigation", "lmm", "unwanted_behaviour",
                                        "vik_triage"}));
  // Every legal deadline says where the law is.
  for (const auto& t : *tracks) {
    for (const auto& d : t.deadlines) {
      if (d.legal) {
        EXPECT_FALSE(d.basis.empty()) << t.id << "/" << d.id;
      }
    }
  }
}

TEST(TrackFiles, LmmTrackFitsTheCaseModel) {
  const TrackDefinition& t = Shipped("lmm");
  std::set<std::string> states, expected_states;
  for (const auto& s : t.states) states.insert(s.id);
  for (auto s : {LmmState::kRegistered, LmmState::kStaffed, LmmState::kWeighing, LmmState::kAdvised,
                 LmmState::kInvestigation, LmmState::kClosed, LmmState::kReferred}) {
    expected_states.insert(std::string(LmmStateName(s)));
    const auto* def = t.FindState(LmmStateName(s));
    ASSERT_NE(def, nullptr) << LmmStateName(s);
    EXPECT_EQ(def->terminal, IsTerminal(s)) << def->id;
    EXPECT_EQ(def->label, LmmStateLabelNl(s)) << def->id;
  }
  EXPECT_EQ(states, expected_states);
  std::set<std::string> names;
  for (int a = static_cast<int>(access::CaseAction::kRead); a <= static_cast<int>(access::CaseAction::kClose); ++a)
    names.insert(std::string(access::CaseActionName(static_cast<access::CaseAction>(a))));
  for (const auto& tr : t.transitions) EXPECT_TRUE(names.count(tr.action)) << tr.action << " is no CaseAction";
  EXPECT_TRUE(workflow::LmmTrack::Bind(t).ok());
  // A step out of order is refused.
  EXPECT_EQ(workflow::CheckTransition(t, "registered", "advise", "vpi").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(workflow::CheckTransition(t, "advised", "decide", "vpi").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(workflow::CheckTransition(t, "advised", "decide", "authority").ok());
}

// The statutory rule written out with the calendar's primitives (Wbk, EU
// 2019/1937 art. 9, Algemene termijnenwet), against the engine running the
// shipped file, for every day of two years and both Liberation Day settings.
TEST(TrackFiles, LmmDeadlinesFromTheFileEqualTheStatutoryRule) {
  const TrackDefinition& t = Shipped("lmm");
  EXPECT_EQ(DeadlineOf(t, "feedback").from, "acknowledge");
  EXPECT_EQ(DeadlineOf(t, "feedback").otherwise_from_due_of, "acknowledgement");
  for (bool every_year : {true, false}) {
    calendar::HolidayOptions opts{.liberation_day_every_year = every_year};
    auto lmm = workflow::LmmTrack::Bind(t, opts);
    ASSERT_TRUE(lmm.ok()) << lmm.status();
    for (int i = 0; i < 2 * 366; ++i) {
      const Date received{std::chrono::sys_days(Ymd(2026, 1, 1)) + std::chrono::days{i}};
      const Date seven_days = calendar::AddDays(received, 7);
      ASSERT_EQ(lmm->AcknowledgementDue(received), calendar::StatutoryDeadline(seven_days, opts))
          << FormatDateIso(received);
      // Acknowledged after 3 days; and never (counted from the 7-day term's end).
      const Date acked = calendar::AddDays(received, 3);
      ASSERT_EQ(lmm->FeedbackDue(received, acked),
                calendar::StatutoryDeadline(calendar::AddMonthsClamped(acked, 3), opts));
      ASSERT_EQ(lmm->FeedbackDue(received, std::nullopt),
                calendar::StatutoryDeadline(calendar::AddMonthsClamped(seven_days, 3), opts));
    }
  }
}

TEST(TrackFiles, ComplaintsCommitteeAdviceDueSixWeeksAfterReceipt) {
  const auto& advice = DeadlineOf(Shipped("complaints_committee"), "advice");
  EXPECT_TRUE(advice.legal);
  EXPECT_EQ(advice.from, "received");
  // Mon 2 Nov 2026 + 6 weeks = Mon 14 Dec 2026.
  EXPECT_EQ(DueDate(advice, Ymd(2026, 11, 2), 0, 0), Ymd(2026, 12, 14));
  // Fri 13 Nov 2026 + 6 weeks = Christmas Day -> Boxing Day (Sat), Sun -> Mon 28 Dec.
  EXPECT_EQ(DueDate(advice, Ymd(2026, 11, 13), 0, 0), Ymd(2026, 12, 28));
  // No unit may stretch it: the committee has no extension or suspension.
  EXPECT_EQ(DueDate(advice, Ymd(2026, 11, 2), 30, 3), Ymd(2026, 12, 14));
}

TEST(TrackFiles, AdmissibilityDueWithinOneWeek) {
  const auto& adm = DeadlineOf(Shipped("complaints_committee"), "admissibility");
  EXPECT_TRUE(adm.legal);
  EXPECT_EQ(adm.met_by, std::vector<std::string>{"decide_admissibility"});
  // Wed 18 Nov 2026 -> Wed 25 Nov 2026.
  EXPECT_EQ(DueDate(adm, Ymd(2026, 11, 18), 0, 0), Ymd(2026, 11, 25));
  // Mon 20 Apr 2026 + 1 week = King's Day Mon 27 Apr -> Tue 28 Apr.
  EXPECT_EQ(DueDate(adm, Ymd(2026, 4, 20), 0, 0), Ymd(2026, 4, 28));
}

TEST(TrackFiles, EveryComplaintEndsWithTheEvaluationForm) {
  // In the unwanted-behaviour track, the only way to 'closed' is the evaluation.
  const TrackDefinition& t = Shipped("unwanted_behaviour");
  for (const auto& tr : t.transitions) {
    if (tr.to == "closed") {
      EXPECT_EQ(tr.from, std::vector<std::string>{"evaluation"}) << tr.action;
      EXPECT_EQ(tr.action, "complete_evaluation");
    }
  }
  // Both route sets start from the report.
  EXPECT_TRUE(workflow::CheckTransition(t, "received", "start_with_counsellor", "counsellor").ok());
  EXPECT_TRUE(workflow::CheckTransition(t, "received", "start_with_manager", "manager").ok());
}

TEST(TrackFiles, VikTriageOffersEveryApproachAndReturnWithReasons) {
  const TrackDefinition& t = Shipped("vik_triage");
  std::set<std::string> targets;
  for (const auto& tr : t.transitions)
    if (std::find(tr.from.begin(), tr.from.end(), "triage") != tr.from.end()) targets.insert(tr.to);
  for (const char* s : {"back_to_line", "line_inquiry", "exploratory", "disciplinary", "criminal", "central_team",
                        "returned_to_manager"})
    EXPECT_TRUE(targets.count(s)) << s;
  auto allowed = workflow::AllowedActions(t, "triage", "triage_officer");
  EXPECT_THAT(allowed, ::testing::Contains("return_to_manager"));
}

TEST(TrackFiles, ShippedCaseTracksDeclareTheirFieldsAndReaders) {
  // AllShippedTracksAreValid refuses a required field that is not declared,
  // but only for a track with a fields section: make sure the four case
  // tracks have one (the LMM has its own pages and declares none).
  const std::map<std::string, std::vector<std::string>> readers{
      {"unwanted_behaviour", {"central_counsellor"}},
      {"complaints_committee", {"committee_chair"}},
      {"vik_triage", {"vik_team_chief"}},
      {"investigation", {"vik_team_chief"}}};
  for (const auto& [id, expected_readers] : readers) {
    const TrackDefinition& t = Shipped(id);
    EXPECT_EQ(t.readers, expected_readers) << id;
    ASSERT_FALSE(t.fields.empty()) << id;
    for (const auto& tr : t.transitions)
      for (const auto& f : tr.required_fields) EXPECT_NE(t.FindField(f), nullptr) << id << "/" << tr.action << ": " << f;
    for (const auto& f : t.fields) EXPECT_FALSE(f.label.empty()) << id << "/" << f.id;
  }
  EXPECT_TRUE(Shipped("lmm").fields.empty());
  // Choices the guards check hold exactly the keys and labels of the rules in code.
  auto options_of = [](const TrackDefinition& t, const std::string& field) {
    std::vector<std::pair<std::string, std::string>> v;
    const auto* f = t.FindField(field);
    if (!f) {
      ADD_FAILURE() << t.id << " has no field " << field;
      return v;
    }
    EXPECT_EQ(f->type, workflow::FieldType::kChoice) << t.id << "/" << field;
    for (const auto& o : f->options) v.emplace_back(o.key, o.label);
    return v;
  };
  std::vector<std::pair<std::string, std::string>> barp, ranks;
  for (auto k : investigation::BarpPenaltyKeys())
    barp.emplace_back(std::string(k), std::string(investigation::BarpPenaltyLabelNl(k)));
  for (auto k : investigation::RankCategoryKeys())
    ranks.emplace_back(std::string(k), std::string(investigation::RankCategoryLabelNl(k)));
  for (const char* id : {"investigation", "unwanted_behaviour"}) {
    EXPECT_EQ(options_of(Shipped(id), "penalty"), barp) << id;
    EXPECT_EQ(options_of(Shipped(id), "rank_category"), ranks) << id;
  }
  // The notice's reason is declared for the guard but never required.
  const TrackDefinition& inv = Shipped("investigation");
  ASSERT_NE(inv.FindField("notice_reason"), nullptr);
  ASSERT_NE(inv.FindField("description_given_on"), nullptr);
  EXPECT_EQ(inv.FindField("description_given_on")->type, workflow::FieldType::kDate);
  for (const auto& tr : inv.transitions)
    EXPECT_THAT(tr.required_fields, Not(::testing::Contains("notice_reason"))) << tr.action;
}

TEST(TrackFiles, EveryShippedTrackDrawsAsAFlowChart) {
  for (const char* id : {"lmm", "unwanted_behaviour", "complaints_committee", "vik_triage", "investigation"}) {
    const TrackDefinition& t = Shipped(id);
    const std::string svg = workflow::RenderFlowChart(t, t.InitialState()->id);
    EXPECT_THAT(svg, HasSubstr("(huidige stap)")) << id;
    for (const auto& s : t.states) EXPECT_THAT(svg, HasSubstr(Cat("data-state=\"", s.id, "\""))) << id;
  }
}

TEST(TrackFiles, ReporterSeesPlainStepsOfOwnLmmCase) {
  auto steps = workflow::PlainSteps(Shipped("lmm"), "weighing");
  ASSERT_EQ(steps.size(), 6u);
  EXPECT_EQ(steps[0].state, "registered");
  EXPECT_EQ(steps[2].mark, workflow::StepMark::kCurrent);
  EXPECT_EQ(steps[5].state, "closed");
  // The communication gate: nothing of the weighing's content before the decision.
  EXPECT_THAT(steps[2].reporter_text, HasSubstr("pas iets als het bevoegd gezag het advies heeft goedgekeurd"));
}

// --- errors name file and line ---

TEST(TrackFiles, InvalidDefinitionNamesFileAndLine) {
  TempDir dir;
  std::string text = kSmall;
  text.replace(text.find("to: advised"), 11, "to: advies");
  const std::string path = dir.Write("small.yaml", text);
  auto t = LoadTrackFile(path, StandardGuards());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  // The transition starts on line 17.
  EXPECT_THAT(Msg(t.status()), HasSubstr(path + ":17: overgang 'advise' gaat naar onbekende status 'advies'"));
}

TEST(TrackFiles, SmallTrackLoads) {
  TempDir dir;
  auto t = LoadTrackFile(dir.Write("small.yaml", kSmall), StandardGuards());
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->states.size(), 3u);
  EXPECT_EQ(t->states[1].line, 9);
  EXPECT_EQ(t->transitions[1].from, std::vector<std::string>{"advised"});  // a single text is a list of one
  EXPECT_EQ(t->deadlines[0].line, 26);
  EXPECT_TRUE(t->deadlines[0].algemene_termijnenwet);
}

TEST(TrackFiles, UnknownKeyIsRefusedWithItsLine) {
  std::string text = kSmall;
  text.replace(text.find("    algemene_termijnenwet: true"), 31, "    termijnenwet: true");
  auto t = ParseTrack(text, "x/small.yaml");
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(Msg(t.status()), HasSubstr("x/small.yaml:34: termijn 'ack': onbekend veld 'termijnenwet'"));
}

TEST(TrackFiles, WrongTypesAndMissingFieldsAreRefused) {
  std::string text = kSmall;
  text.replace(text.find("amount: 7"), 9, "amount: zeven");
  text.replace(text.find("    label: Dicht\n"), 17, "");
  auto t = ParseTrack(text, "small.yaml");
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(Msg(t.status()), HasSubstr("small.yaml:12: status 'closed': verplicht veld 'label' ontbreekt"));
  EXPECT_THAT(Msg(t.status()), HasSubstr(": veld 'amount' moet een geheel getal zijn"));
}

TEST(TrackFiles, YamlSyntaxErrorNamesFileAndLine) {
  auto t = ParseTrack("id: x\nname: [unclosed\ndescription: y\n", "bad.yaml");
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(Msg(t.status()), ::testing::StartsWith("bad.yaml:"));
  EXPECT_THAT(Msg(t.status()), HasSubstr("geen geldige YAML"));
}

TEST(TrackFiles, TrackIdMustMatchFileName) {
  TempDir dir;
  auto t = LoadTrackFile(dir.Write("other.yaml", kSmall), StandardGuards());
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(Msg(t.status()), HasSubstr("other.yaml:1: traject-id 'small' moet gelijk zijn aan de bestandsnaam"));
}

TEST(TrackFiles, LoadAllTracksReportsEveryFileTogether) {
  TempDir dir;
  std::string bad1 = kSmall;
  bad1.replace(bad1.find("roles: [vpi]"), 12, "roles: [vip]");
  std::string bad2 = std::string(kSmall);
  bad2.replace(0, 9, "id: two");
  bad2.replace(bad2.find("amount: 7"), 9, "amount: 0");
  dir.Write("one.yaml", "id: one" + bad1.substr(9));
  dir.Write("two.yaml", bad2);
  dir.Write("notes.txt", "not a track");
  auto all = LoadAllTracks(dir.path(), StandardGuards());
  ASSERT_FALSE(all.ok());
  EXPECT_THAT(Msg(all.status()), HasSubstr("one.yaml:17: overgang 'advise' noemt onbekende rol 'vip'"));
  EXPECT_THAT(Msg(all.status()), HasSubstr("two.yaml:26: termijn 'ack' heeft een lengte van 0"));
  EXPECT_THAT(Msg(all.status()), Not(HasSubstr("notes.txt")));
}

// kSmall with a fields section after the description (line 4 on) and
// required fields on the advise transition; with a fields section of 4 lines
// that transition starts on line 21.
std::string SmallWithFields(const std::string& fields, const std::string& required) {
  std::string text = kSmall;
  text.insert(text.find("states:\n"), fields);
  const std::string to = "    to: advised\n";
  text.insert(text.find(to) + to.size(), "    required_fields: " + required + "\n");
  return text;
}

TEST(TrackFiles, RequiredFieldMustBeDeclaredWithFileAndLine) {
  TempDir dir;
  const std::string fields =
      "fields:\n"
      "  - id: advice_text\n"
      "    label: Advies\n"
      "    type: textarea\n";
  const std::string path = dir.Write("small.yaml", SmallWithFields(fields, "[advice_text, reasons]"));
  auto t = LoadTrackFile(path, StandardGuards());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Msg(t.status()),
              HasSubstr(path + ":21: overgang 'advise' vraagt onbekend veld 'reasons' (niet onder fields)"));
  EXPECT_THAT(Msg(t.status()), Not(HasSubstr("'advice_text'")));

  // Declared: it loads, with the field's line and type.
  const std::string ok_path = dir.Write(
      "ok/small.yaml", SmallWithFields(fields + "  - id: reasons\n    label: Motivering\n", "[advice_text, reasons]"));
  auto ok = LoadTrackFile(ok_path, StandardGuards());
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  ASSERT_EQ(ok->fields.size(), 2u);
  EXPECT_EQ(ok->fields[0].line, 5);
  EXPECT_EQ(ok->fields[0].type, workflow::FieldType::kTextarea);
  EXPECT_EQ(ok->fields[1].type, workflow::FieldType::kText);  // the default
  EXPECT_EQ(ok->transitions[0].line, 23);  // two lines more of fields

  // Without a fields section nothing is checked (the LMM declares none).
  std::string no_fields = kSmall;
  no_fields.insert(no_fields.find("    to: advised\n") + 16, "    required_fields: [reasons]\n");
  EXPECT_TRUE(LoadTrackFile(dir.Write("plain/small.yaml", no_fields), StandardGuards()).ok());
}

TEST(TrackFiles, ChoiceFieldNeedsOptions) {
  TempDir dir;
  // Line 5: the choice without options; line 8: options on a text field.
  const std::string fields =
      "fields:\n"
      "  - id: outcome\n"
      "    label: Uitkomst\n"
      "    type: choice\n"
      "  - id: note\n"
      "    label: Notitie\n"
      "    options: [{key: a, label: A}]\n";
  const std::string path = dir.Write("small.yaml", SmallWithFields(fields, "[outcome]"));
  auto t = LoadTrackFile(path, StandardGuards());
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(Msg(t.status()), HasSubstr(path + ":5: keuzeveld 'outcome' heeft geen opties"));
  EXPECT_THAT(Msg(t.status()), HasSubstr(path + ":8: veld 'note' heeft opties maar is geen keuzeveld"));

  // An unknown type is refused with its line.
  auto bad_type = ParseTrack(SmallWithFields("fields:\n  - id: when\n    label: Wanneer\n    type: datum\n", "[when]"),
                             "small.yaml");
  ASSERT_FALSE(bad_type.ok());
  EXPECT_THAT(Msg(bad_type.status()), HasSubstr("small.yaml:7: veld 'when': onbekend type 'datum'"));

  // With options it loads, keys and labels in order.
  const std::string good =
      "fields:\n"
      "  - id: outcome\n"
      "    label: Uitkomst\n"
      "    type: choice\n"
      "    options:\n"
      "      - {key: founded, label: Gegrond}\n"
      "      - {key: unfounded, label: Ongegrond}\n";
  auto ok = LoadTrackFile(dir.Write("ok/small.yaml", SmallWithFields(good, "[outcome]")), StandardGuards());
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  ASSERT_EQ(ok->fields.size(), 1u);
  EXPECT_EQ(ok->fields[0].type, workflow::FieldType::kChoice);
  ASSERT_EQ(ok->fields[0].options.size(), 2u);
  EXPECT_EQ(ok->fields[0].options[1].key, "unfounded");
  EXPECT_EQ(ok->fields[0].options[1].label, "Ongegrond");
}

TEST(TrackFiles, HandOverToATrackThatIsNotThereIsRefusedWithItsLine) {
  TempDir dir;
  const std::string track = R"(id: a
name: A
description: A
states:
  - {id: s, label: S, reporter_text: S, initial: true}
  - {id: e, label: E, reporter_text: E, terminal: true}
transitions:
  - {action: go, from: [s], to: e, roles: [admin], hands_over_to: nowhere}
)";
  dir.Write("a.yaml", track);
  auto loaded = LoadAllTracks(dir.path(), StandardGuards());
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(Msg(loaded.status()), HasSubstr("a.yaml:8: overgang 'go' draagt over aan traject 'nowhere'"));
  // The shipped triage hands a disciplinary choice to the investigation track.
  bool found = false;
  for (const auto& t : Shipped("vik_triage").transitions)
    if (t.action == "choose_disciplinary") found = t.hands_over_to == "investigation";
  EXPECT_TRUE(found);
}

TEST(TrackFiles, EmptyDirectoryIsAnError) {
  TempDir dir;
  EXPECT_FALSE(LoadAllTracks(dir.path(), StandardGuards()).ok());
}

// --- unit overrides ---

TEST(TrackFiles, UnitMayGiveTheSubjectMorePreparationTimeButNeverLess) {
  const TrackDefinition& inv = Shipped("investigation");
  ASSERT_NE(inv.FindNorm("preparation_time"), nullptr);
  EXPECT_EQ(inv.FindNorm("preparation_time")->amount, 5);
  auto more = ParseUnitOverride("track: investigation\nnorms:\n  - id: preparation_time\n    amount: 8\n",
                                "units/oost/investigation.yaml", inv, StandardGuards());
  ASSERT_TRUE(more.ok()) << more.status().message();
  EXPECT_EQ(more->FindNorm("preparation_time")->amount, 8);
  EXPECT_TRUE(more->FindNorm("preparation_time")->legal);  // unchanged keys stay

  auto less = ParseUnitOverride("track: investigation\nnorms:\n  - id: preparation_time\n    amount: 3\n",
                                "units/oost/investigation.yaml", inv, StandardGuards());
  ASSERT_FALSE(less.ok());
  EXPECT_THAT(Msg(less.status()), HasSubstr("units/oost/investigation.yaml:3: wettelijke norm 'preparation_time' "
                                            "mag niet worden versoepeld: minimaal 5 working_days, niet 3"));
  auto other_unit = ParseUnitOverride(
      "track: investigation\nnorms:\n  - id: preparation_time\n    amount: 2\n    unit: weeks\n", "u.yaml", inv,
      StandardGuards());
  ASSERT_FALSE(other_unit.ok());
  EXPECT_THAT(Msg(other_unit.status()), HasSubstr("dezelfde eenheid (working_days)"));

  // The organisation's own norms (the signal function) are the unit's to set.
  auto signal = ParseUnitOverride(
      "track: unwanted_behaviour\nnorms:\n  - id: signal_complainants\n    amount: 3\n", "u.yaml",
      Shipped("unwanted_behaviour"), StandardGuards());
  ASSERT_TRUE(signal.ok()) << signal.status().message();
  EXPECT_EQ(signal->FindNorm("signal_complainants")->amount, 3);
}

TEST(TrackFiles, NormWithAnUnknownUnitOrBoundIsRefusedWithItsLine) {
  const char* yaml = R"(id: t
name: T
description: T
states:
  - {id: a, label: A, reporter_text: A, initial: true}
  - {id: b, label: B, reporter_text: B, terminal: true}
transitions:
  - {action: go, from: [a], to: b, roles: [admin]}
norms:
  - id: wait
    label: Wachten
    amount: 3
    unit: fortnights
  - id: right
    label: Recht
    amount: 2
    unit: count
    bound: sideways
    legal: true
)";
  // The bound is read with the file; the unit is checked with the track.
  auto t = ParseTrack(yaml, "t.yaml");
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(Msg(t.status()), HasSubstr("t.yaml:18: norm 'right': onbekende grens 'sideways'"));
  std::string without_right(yaml);
  without_right.erase(without_right.find("  - id: right"));
  auto parsed = ParseTrack(without_right, "t.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  auto errors = workflow::ValidateTrack(*parsed, StandardGuards());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 10);
  EXPECT_THAT(errors[0].message, HasSubstr("norm 'wait' heeft onbekende eenheid 'fortnights'"));
}

TEST(TrackFiles, UnitMayTightenButNotLoosenLegalDeadline) {
  const TrackDefinition& lmm = Shipped("lmm");
  auto tighter = ParseUnitOverride(
      "track: lmm\ndeadlines:\n  - id: acknowledgement\n    amount: 5\n", "units/oost/lmm.yaml", lmm,
      StandardGuards());
  ASSERT_TRUE(tighter.ok()) << tighter.status().message();
  const auto& ack = DeadlineOf(*tighter, "acknowledgement");
  EXPECT_EQ(ack.amount, 5);
  EXPECT_TRUE(ack.legal);  // unchanged keys stay
  EXPECT_EQ(DueDate(ack, Ymd(2026, 11, 18), 0, 0), Ymd(2026, 11, 23));

  auto looser = ParseUnitOverride(
      "track: lmm\ndeadlines:\n  - id: acknowledgement\n    amount: 10\n", "units/oost/lmm.yaml", lmm,
      StandardGuards());
  ASSERT_FALSE(looser.ok());
  EXPECT_THAT(Msg(looser.status()),
              HasSubstr("units/oost/lmm.yaml:3: wettelijke termijn 'acknowledgement' mag niet worden versoepeld"));

  auto removed = ParseUnitOverride(
      "track: lmm\ndeadlines:\n  - id: feedback\n    remove: true\n", "units/oost/lmm.yaml", lmm, StandardGuards());
  ASSERT_FALSE(removed.ok());
  EXPECT_THAT(Msg(removed.status()), HasSubstr("wettelijke termijn 'feedback'"));
  EXPECT_THAT(Msg(removed.status()), HasSubstr("mag niet worden verwijderd"));

  auto extended = ParseUnitOverride(
      "track: lmm\ndeadlines:\n  - id: feedback\n    extension: {amount: 1, max_count: 1}\n", "u.yaml", lmm,
      StandardGuards());
  ASSERT_FALSE(extended.ok());
  EXPECT_THAT(Msg(extended.status()), HasSubstr("u.yaml:3: wettelijke termijn 'feedback'"));
}

TEST(TrackFiles, UnitOverrideMayOnlyTouchDeadlinesOfItsTrack) {
  const TrackDefinition& lmm = Shipped("lmm");
  auto other_key = ParseUnitOverride("track: lmm\nstates: []\n", "u.yaml", lmm, StandardGuards());
  ASSERT_FALSE(other_key.ok());
  EXPECT_THAT(Msg(other_key.status()), HasSubstr("u.yaml:2: eenheidsaanpassing: onbekend veld 'states'"));
  auto wrong_track = ParseUnitOverride("track: vik_triage\n", "u.yaml", lmm, StandardGuards());
  EXPECT_THAT(Msg(wrong_track.status()), HasSubstr("hoort bij traject 'vik_triage'"));
  // A new, unit-specific norm must be complete and valid.
  auto norm = ParseUnitOverride(
      "track: lmm\ndeadlines:\n  - id: staffing_norm\n    label: Bemensen (norm)\n    amount: 3\n"
      "    unit: working_days\n    met_by: stafff\n",
      "u.yaml", lmm, StandardGuards());
  ASSERT_FALSE(norm.ok());
  EXPECT_THAT(Msg(norm.status()), HasSubstr("u.yaml:3: termijn 'staffing_norm' wordt gehaald met onbekende actie 'stafff'"));
}

TEST(TrackFiles, LoadUnitOverridesReadsEachUnitFolder) {
  TempDir dir;
  auto bases = LoadAllTracks(kTracks, StandardGuards());
  ASSERT_TRUE(bases.ok());
  EXPECT_TRUE(LoadUnitOverrides(dir.path() + "/missing", *bases, StandardGuards())->empty());
  dir.Write("oost/investigation.yaml", "track: investigation\nnorms:\n  - id: preparation_time\n    amount: 7\n");
  dir.Write("west/complaints_committee.yaml",
            "track: complaints_committee\ndeadlines:\n  - id: advice\n    amount: 4\n");
  auto units = LoadUnitOverrides(dir.path(), *bases, StandardGuards());
  ASSERT_TRUE(units.ok()) << units.status().message();
  ASSERT_EQ(units->size(), 2u);
  EXPECT_EQ((*units)[0].unit, "oost");
  EXPECT_EQ(DeadlineOf((*units)[1].track, "advice").amount, 4);

  dir.Write("zuid/complaints_committee.yaml", "track: complaints_committee\ndeadlines:\n  - id: advice\n    amount: 8\n");
  dir.Write("zuid/nope.yaml", "track: nope\n");
  auto bad = LoadUnitOverrides(dir.path(), *bases, StandardGuards());
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(Msg(bad.status()), HasSubstr("zuid/complaints_committee.yaml:3: wettelijke termijn 'advice'"));
  EXPECT_THAT(Msg(bad.status()), HasSubstr("zuid/nope.yaml:1: er is geen traject 'nope'"));
}

// The LMM is one national desk (coordinator, VPIs across the country): its
// statutory terms are the same for every report, so no unit adapts them.
TEST(TrackFiles, TheLmmIsNationalAndNoUnitAdaptsIt) {
  TempDir dir;
  auto bases = LoadAllTracks(kTracks, StandardGuards());
  ASSERT_TRUE(bases.ok());
  dir.Write("oost/lmm.yaml", "track: lmm\ndeadlines:\n  - id: acknowledgement\n    amount: 3\n");
  auto units = LoadUnitOverrides(dir.path(), *bases, StandardGuards());
  ASSERT_FALSE(units.ok());
  EXPECT_THAT(Msg(units.status()), HasSubstr("oost/lmm.yaml:1: het LMM is landelijk"));
}

}  // namespace
}  // namespace waarborg::workflow_files
