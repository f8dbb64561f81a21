// The vertrouwenswerk and complaints-committee rules of issue 4 §2, §3 (DOMAIN §3).
#include "core/cases/complaint_rules.h"

#include <map>

#include <gtest/gtest.h>

namespace waarborg::complaints {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Date Ymd(int y, unsigned m, unsigned d) { return Date{year{y}, month{m}, day{d}}; }

const Date kToday = Ymd(2026, 6, 30);
constexpr int kWindow = 90;  // window 2 April .. 30 June 2026

ComplaintRef AboutPerson(Id complaint, Id complainant, Id accused, Date received) {
  return {.complaint_id = complaint, .complainant_person = complainant, .accused_person = accused,
          .received = received};
}
ComplaintRef AboutTeam(Id complaint, Id complainant, Id team, Date received) {
  return {.complaint_id = complaint, .complainant_person = complainant, .accused_team = team,
          .received = received};
}

// ---------------------------------------------------------------------------
// Signal function

// The signal has exactly these five fields: no complainant, complaint id or
// received date. Adding a field breaks this binding at compile time, so that
// anyone widening Signal must come here and think about it.
void PinSignalFields(const Signal& s) {
  const auto& [concerns, concerned, independent_complaints, period_from, period_to] = s;
  (void)concerns, (void)concerned, (void)independent_complaints, (void)period_from, (void)period_to;
}

TEST(ComplaintSignal, TwoIndependentComplaintsAboutOnePersonGiveASignalNamingNoComplainant) {
  PinSignalFields(Signal{});
  const std::vector<ComplaintRef> complaints = {
      AboutPerson(101, /*complainant=*/501, /*accused=*/900, Ymd(2026, 5, 4)),
      AboutPerson(102, /*complainant=*/502, /*accused=*/900, Ymd(2026, 6, 29)),
  };
  const auto signals = DetectSignals(complaints, kToday, kWindow);
  ASSERT_EQ(signals.size(), 1u);
  const Signal& s = signals[0];
  EXPECT_EQ(s.concerns, SignalConcerns::kPerson);
  EXPECT_EQ(s.concerned, 900);
  EXPECT_EQ(s.independent_complaints, 2);
  EXPECT_EQ(s.period_from, Ymd(2026, 4, 2));
  EXPECT_EQ(s.period_to, kToday);

  const std::map<Id, std::string> people = {
      {501, "Anna de Vries"}, {502, "Bram Jansen"}, {900, "Karel Bakker"}};
  std::vector<Id> asked;
  const std::string text = TextNl(s, [&](SignalConcerns, Id id) {
    asked.push_back(id);
    return people.at(id);
  });
  EXPECT_EQ(asked, std::vector<Id>{900});
  EXPECT_NE(text.find("Karel Bakker"), std::string::npos) << text;
  EXPECT_NE(text.find("02-04-2026"), std::string::npos) << text;
  EXPECT_EQ(text.find("Anna de Vries"), std::string::npos) << text;
  EXPECT_EQ(text.find("Bram Jansen"), std::string::npos) << text;
  EXPECT_EQ(text.find("04-05-2026"), std::string::npos) << text;  // no received date either
  EXPECT_EQ(text.find("501"), std::string::npos) << text;
}

TEST(ComplaintSignal, ComplaintsByTheSameComplainantAreNotIndependent) {
  const std::vector<ComplaintRef> complaints = {
      AboutPerson(101, 501, 900, Ymd(2026, 5, 4)),
      AboutPerson(102, 501, 900, Ymd(2026, 6, 1)),
      AboutPerson(103, 501, 900, Ymd(2026, 6, 29)),
  };
  EXPECT_TRUE(DetectSignals(complaints, kToday, kWindow).empty());
  // A second complainant makes two independent complaints, however many the first filed.
  auto more = complaints;
  more.push_back(AboutPerson(104, 502, 900, Ymd(2026, 6, 30)));
  const auto signals = DetectSignals(more, kToday, kWindow);
  ASSERT_EQ(signals.size(), 1u);
  EXPECT_EQ(signals[0].independent_complaints, 2);
}

TEST(ComplaintSignal, OnlyComplaintsInsideTheWindowCount) {
  // Window of 90 days ending 30 June: 2 April is the first day inside.
  const std::vector<ComplaintRef> edge = {
      AboutPerson(101, 501, 900, Ymd(2026, 4, 2)),
      AboutPerson(102, 502, 900, Ymd(2026, 6, 30)),
  };
  EXPECT_EQ(DetectSignals(edge, kToday, kWindow).size(), 1u);
  const std::vector<ComplaintRef> outside = {
      AboutPerson(101, 501, 900, Ymd(2026, 4, 1)),   // one day too early
      AboutPerson(102, 502, 900, Ymd(2026, 6, 30)),
      AboutPerson(103, 503, 900, Ymd(2026, 7, 1)),   // after today
  };
  EXPECT_TRUE(DetectSignals(outside, kToday, kWindow).empty());
}

TEST(ComplaintSignal, TeamAndPersonSignalsAreSeparate) {
  const std::vector<ComplaintRef> complaints = {
      AboutTeam(101, 501, /*team=*/70, Ymd(2026, 5, 1)),
      AboutTeam(102, 502, /*team=*/70, Ymd(2026, 5, 2)),
      AboutPerson(103, 503, /*accused=*/900, Ymd(2026, 5, 3)),  // one complaint: no signal
      {.complaint_id = 104, .complainant_person = 504, .accused_person = 901, .accused_team = 71,
       .received = Ymd(2026, 5, 4)},
      {.complaint_id = 105, .complainant_person = 505, .accused_person = 901, .accused_team = 71,
       .received = Ymd(2026, 5, 5)},
  };
  const auto signals = DetectSignals(complaints, kToday, kWindow);
  ASSERT_EQ(signals.size(), 3u);
  EXPECT_EQ(signals[0].concerns, SignalConcerns::kPerson);
  EXPECT_EQ(signals[0].concerned, 901);
  EXPECT_EQ(signals[1].concerns, SignalConcerns::kTeam);
  EXPECT_EQ(signals[1].concerned, 70);
  EXPECT_EQ(signals[2].concerns, SignalConcerns::kTeam);
  EXPECT_EQ(signals[2].concerned, 71);
  const std::string text = TextNl(signals[1], [](SignalConcerns c, Id) {
    return std::string(c == SignalConcerns::kTeam ? "Noord" : "persoon");
  });
  EXPECT_NE(text.find("het team Noord"), std::string::npos) << text;
}

TEST(ComplaintSignal, ThresholdIsConfigurableButNeverBelowTwo) {
  const std::vector<ComplaintRef> two = {
      AboutPerson(101, 501, 900, Ymd(2026, 6, 1)),
      AboutPerson(102, 502, 900, Ymd(2026, 6, 2)),
  };
  EXPECT_TRUE(DetectSignals(two, kToday, kWindow, 3).empty());
  EXPECT_EQ(DetectSignals(two, kToday, kWindow, 2).size(), 1u);
  const std::vector<ComplaintRef> one = {AboutPerson(101, 501, 900, Ymd(2026, 6, 1))};
  EXPECT_TRUE(DetectSignals(one, kToday, kWindow, 1).empty());
  EXPECT_TRUE(DetectSignals(one, kToday, kWindow, 0).empty());
  EXPECT_TRUE(DetectSignals(two, kToday, 0).empty());
}

// ---------------------------------------------------------------------------
// Power difference

TEST(ComplaintPowerDifference, AccusedOutrankingComplainantOrCounsellorIsAPowerDifference) {
  // levels: 3 hoofdagent, 4 brigadier, 6 inspecteur
  EXPECT_TRUE(PowerDifference(/*complainant=*/3, /*counsellor=*/6, /*accused=*/4));
  EXPECT_TRUE(PowerDifference(/*complainant=*/6, /*counsellor=*/3, /*accused=*/4));
  EXPECT_FALSE(PowerDifference(/*complainant=*/4, /*counsellor=*/4, /*accused=*/4));  // equal rank
  EXPECT_FALSE(PowerDifference(/*complainant=*/6, /*counsellor=*/6, /*accused=*/3));
}

TEST(ComplaintPowerDifference, CounsellorsFromAnotherDistrictOrUnitAreOffered) {
  const std::vector<CounsellorOption> options = {
      {.person_id = 1, .unit_id = 10, .district_id = 100},  // same district: not offered
      {.person_id = 2, .unit_id = 20, .district_id = 200},  // other unit
      {.person_id = 3, .unit_id = 10, .district_id = 101},  // same unit, other district
      {.person_id = 4, .unit_id = 20, .district_id = 201},  // other unit
  };
  EXPECT_EQ(CounsellorsFromElsewhere(options, 10, 100), (std::vector<Id>{3, 2, 4}));
  EXPECT_TRUE(CounsellorsFromElsewhere({options[0]}, 10, 100).empty());
}

// ---------------------------------------------------------------------------
// Interregional committee

TEST(ComplaintCommittee, CommitteeChairComesFromAnotherUnit) {
  EXPECT_TRUE(CheckCommitteeChair(/*chair_unit=*/20, /*complaint_unit=*/10).ok());
  absl::Status s = CheckCommitteeChair(10, 10);
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  EXPECT_NE(std::string(s.message()).find("andere eenheid"), std::string::npos) << s;
  EXPECT_TRUE(absl::IsInvalidArgument(CheckCommitteeChair(0, 10)));
  EXPECT_TRUE(absl::IsInvalidArgument(CheckCommitteeChair(20, 0)));
}

// ---------------------------------------------------------------------------
// Consent per item

TEST(ComplaintConsent, ComplainantDecidesPerItemWhatIsPassedOn) {
  const std::vector<ComplaintItem> items = {
      {.key = "facts", .text = "Wat er gebeurde", .may_pass_on = true},
      {.key = "complainant_name", .text = "Anna de Vries", .may_pass_on = false},
      {.key = "witnesses", .text = "Twee collega's", .may_pass_on = false},
      {.key = "wish", .text = "Een gesprek", .may_pass_on = true},
  };
  const auto passable = PassableItems(items);
  ASSERT_EQ(passable.size(), 2u);
  EXPECT_EQ(passable[0].key, "facts");
  EXPECT_EQ(passable[1].key, "wish");

  EXPECT_TRUE(CheckPassOn(items, {"facts", "wish"}).ok());
  EXPECT_TRUE(CheckPassOn(items, {}).ok());
  absl::Status s = CheckPassOn(items, {"facts", "complainant_name", "witnesses"});
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  const std::string msg(s.message());
  EXPECT_NE(msg.find("'complainant_name'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'witnesses'"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("'facts'"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("Anna de Vries"), std::string::npos) << msg;  // the key, not the content
  EXPECT_TRUE(absl::IsInvalidArgument(CheckPassOn(items, {"unknown"})));
}

TEST(ComplaintConsent, ADuplicatedKeyNeedsConsentEverywhere) {
  const std::vector<ComplaintItem> items = {
      {.key = "facts", .text = "Deel 1", .may_pass_on = true},
      {.key = "facts", .text = "Deel 2", .may_pass_on = false},
  };
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckPassOn(items, {"facts"})));
}

}  // namespace
}  // namespace waarborg::complaints
