// What the dashboards count of a case: time in each state from its history,
// final date, choice answers only (never free text), delays by kind.
#include "core/dashboard/case_fact.h"

#include <gtest/gtest.h>

#include "core/ports/store.h"

namespace waarborg::dashboard {
namespace {

Date Ymd(int y, unsigned m, unsigned d) { return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}}; }
Instant NoonOf(Date d) {  // 12:00 in Amsterdam is 11:00 UTC in winter
  return (std::chrono::sys_days(d).time_since_epoch() + std::chrono::hours(11)) / std::chrono::milliseconds(1);
}

workflow::TrackDefinition Track() {
  workflow::TrackDefinition def;
  def.id = "vik_triage";
  def.states = {{"received", "Ontvangen", "x", true, false}, {"triage", "Triage", "x", false, false},
                {"line_inquiry", "Lijnonderzoek", "x", false, false}, {"closed", "Afgerond", "x", false, true}};
  def.fields = {{"source", "Bron", workflow::FieldType::kChoice, {{"manager", "Leidinggevende"}}},
                {"findings", "Bevindingen", workflow::FieldType::kTextarea, {}},
                {"delay_reason", "Soort", workflow::FieldType::kChoice, {{"capacity", "Capaciteit"}}}};
  return def;
}

TrackStep Step(Date on, std::string from, std::string to, std::string action = "step",
               std::map<std::string, std::string> fields = {}) {
  TrackStep s;
  s.at = NoonOf(on);
  s.from_state = std::move(from);
  s.to_state = std::move(to);
  s.action = std::move(action);
  s.fields = std::move(fields);
  return s;
}

TEST(CaseFacts, TimeInEachStateIsCountedFromTheHistory) {
  TrackCase c;
  c.id = 7;
  c.track = "vik_triage";
  c.state = "line_inquiry";
  c.unit_id = 3;
  c.received_on = Ymd(2026, 11, 2);
  const std::vector<TrackStep> steps = {Step(Ymd(2026, 11, 5), "received", "triage"),
                                        Step(Ymd(2026, 11, 6), "triage", "triage", "note"),
                                        Step(Ymd(2026, 11, 20), "triage", "line_inquiry")};
  const CaseFact f = FactOfTrackCase(c, steps, Track(), Ymd(2026, 12, 1), 99);
  ASSERT_EQ(f.days_in_state.size(), 2u);
  EXPECT_EQ(f.days_in_state[0], (std::pair<std::string, int>{"received", 3}));
  EXPECT_EQ(f.days_in_state[1], (std::pair<std::string, int>{"triage", 15}));
  EXPECT_EQ(f.state_since, Ymd(2026, 11, 20));
  EXPECT_TRUE(f.open);
  EXPECT_FALSE(f.closed_on.has_value());
  EXPECT_EQ(f.next_due, Ymd(2026, 12, 1));
  EXPECT_EQ(f.updated_at, 99);
}

TEST(CaseFacts, FinalStateGivesTheClosingDayAndNoDeadline) {
  TrackCase c;
  c.track = "vik_triage";
  c.state = "closed";
  c.received_on = Ymd(2026, 10, 1);
  const CaseFact f = FactOfTrackCase(
      c, {Step(Ymd(2026, 10, 2), "received", "triage"), Step(Ymd(2026, 10, 9), "triage", "closed")}, Track(),
      Ymd(2026, 12, 1), 0);
  EXPECT_FALSE(f.open);
  EXPECT_EQ(f.closed_on, Ymd(2026, 10, 9));
  EXPECT_FALSE(f.next_due.has_value());
}

TEST(CaseFacts, OnlyChoiceAnswersAndNeverFreeTextAreCounted) {
  TrackCase c;
  c.track = "vik_triage";
  c.state = "triage";
  c.received_on = Ymd(2026, 11, 2);
  c.summary = "Naam van iemand";
  c.fields = {{"source", "manager"}, {"findings", "Jansen deed het"}, {"notes", "vrije tekst"}};
  const CaseFact f = FactOfTrackCase(c, {}, Track(), std::nullopt, 0);
  EXPECT_EQ(f.answers, (std::map<std::string, std::string>{{"source", "manager"}}));
}

TEST(CaseFacts, DelaysAreSummedByKind) {
  TrackCase c;
  c.track = "vik_triage";
  c.state = "triage";
  c.received_on = Ymd(2026, 11, 2);
  const CaseFact f = FactOfTrackCase(
      c,
      {Step(Ymd(2026, 11, 3), "triage", "triage", "register_delay", {{"delay_reason", "capacity"}, {"days", "10"}}),
       Step(Ymd(2026, 11, 4), "triage", "triage", "register_delay", {{"delay_reason", "capacity"}, {"days", "5"}}),
       Step(Ymd(2026, 11, 5), "triage", "triage", "register_delay", {{"delay_reason", "illness"}, {"days", "x"}})},
      Track(), std::nullopt, 0);
  EXPECT_EQ(f.delay_days.at("capacity"), 15);
  EXPECT_EQ(f.delay_days.at("illness"), 0);
}

TEST(CaseFacts, LmmStatesFollowFromTheDatedSteps) {
  LmmCase c;
  c.id = 1;
  c.state = LmmState::kWeighing;
  c.received_on = Ymd(2026, 11, 2);
  c.reporter_category = "employee";
  c.channel = "online";
  std::vector<CaseEvent> events(3);
  events[0].kind = "registered";
  events[0].at = NoonOf(Ymd(2026, 11, 2));
  events[1].kind = "staff";
  events[1].at = NoonOf(Ymd(2026, 11, 4));
  events[2].kind = "definition_test";
  events[2].at = NoonOf(Ymd(2026, 11, 11));
  const CaseFact f = FactOfLmmCase(c, events, Ymd(2026, 11, 9), 5);
  EXPECT_EQ(f.track, "lmm");
  EXPECT_EQ(f.state, "weighing");
  ASSERT_EQ(f.days_in_state.size(), 2u);
  EXPECT_EQ(f.days_in_state[0], (std::pair<std::string, int>{"registered", 2}));
  EXPECT_EQ(f.days_in_state[1], (std::pair<std::string, int>{"staffed", 7}));
  EXPECT_EQ(f.answers.at("reporter_category"), "employee");
}

TEST(CaseFacts, LmmAnswersTellWhetherTheStatutoryTermsWereMetAndHowItEnded) {
  LmmCase c;
  c.id = 2;
  c.state = LmmState::kClosed;
  c.received_on = Ymd(2025, 3, 3);
  c.reporter_category = "employee";
  c.channel = "mailbox";
  c.acknowledgement_due = Ymd(2025, 3, 10);
  c.acknowledged_on = Ymd(2025, 3, 10);  // on the due date: in time
  c.feedback_due = Ymd(2025, 6, 10);
  c.feedback_given_on = Ymd(2025, 6, 11);  // a day late
  DefinitionTest t;
  t.reasonable_grounds = true;
  t.public_interest = true;
  t.harms = {"safety_of_persons"};
  c.definition_test = t;
  AuthorityDecision d;
  d.adopts_advice = false;
  d.investigate = false;
  c.decision = d;
  CaseFact f = FactOfLmmCase(c, {}, std::nullopt, 0);
  EXPECT_EQ(f.answers.at("acknowledgement"), "in_time");
  EXPECT_EQ(f.answers.at("feedback"), "late");
  EXPECT_EQ(f.answers.at("misconduct"), "safety_of_persons");
  EXPECT_EQ(f.answers.at("outcome"), "no_investigation");
  EXPECT_EQ(f.answers.at("advice_followed"), "no");

  // Two harms: "multiple". Not acknowledged, no feedback: not sent, whatever the date.
  c.acknowledged_on.reset();
  c.feedback_given_on.reset();
  c.definition_test->harms.insert("environment");
  c.decision->investigate = true;
  c.decision->adopts_advice = true;
  f = FactOfLmmCase(c, {}, std::nullopt, 0);
  EXPECT_EQ(f.answers.at("acknowledgement"), "not_sent");
  EXPECT_EQ(f.answers.at("feedback"), "not_sent");
  EXPECT_EQ(f.answers.at("misconduct"), "multiple");
  EXPECT_EQ(f.answers.at("outcome"), "investigation");
  EXPECT_EQ(f.answers.at("advice_followed"), "yes");

  // Referred: no wrongdoing, so no kind, and the referral.
  LmmCase r;
  r.state = LmmState::kReferred;
  r.received_on = Ymd(2025, 3, 3);
  DefinitionTest ex;
  ex.exclusions = {"labour_dispute"};
  ex.referral = "hrm";
  r.definition_test = ex;
  f = FactOfLmmCase(r, {}, std::nullopt, 0);
  EXPECT_EQ(f.answers.at("outcome"), "referred");
  EXPECT_EQ(f.answers.at("referral"), "hrm");
  EXPECT_EQ(f.answers.count("misconduct"), 0u);
  EXPECT_EQ(f.answers.count("advice_followed"), 0u);
}

TEST(CaseFacts, StorageEncodingRoundTrips) {
  const std::vector<std::pair<std::string, int>> d = {{"a", 1}, {"b", 0}, {"a", 12}};
  EXPECT_EQ(DecodeDaysInState(EncodeDaysInState(d)), d);
  const std::map<std::string, std::string> m = {{"penalty", "reprimand"}, {"rank_category", "executive"}};
  EXPECT_EQ(DecodePairs(EncodePairs(m)), m);
  EXPECT_TRUE(DecodePairs("").empty());
}

}  // namespace
}  // namespace waarborg::dashboard
