// Learning cases (issue 5 §5): the draft names no one, small units and exact
// dates are generalised, and the checker finds names and numbers from the
// case in free text.
#include <gtest/gtest.h>

#include "core/learning/checker.h"
#include "core/learning/draft.h"
#include "core/learning/generalise.h"

namespace waarborg::learning {
namespace {

using workflow::FieldDef;
using workflow::FieldType;
using workflow::StateDef;
using workflow::TrackDefinition;
using workflow::TransitionDef;

Date D(int y, unsigned m, unsigned d) { return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}}; }

// Noon in Amsterdam on that day, as an instant.
Instant At(Date d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::sys_days(d).time_since_epoch()).count() +
         11LL * 3'600'000;
}

// korps > Eenheid Oost-Nederland (400 staff below it) > District Twente (60)
// > Team Enschede-Noord (12); and a small eenheid (30 staff).
OrgView Org() {
  OrgView o;
  o.units = {{1, "Politie Nederland", UnitKind::kCorps, std::nullopt},
             {2, "Eenheid Oost-Nederland", UnitKind::kUnit, 1},
             {3, "District Twente", UnitKind::kDistrict, 2},
             {4, "Team Enschede-Noord", UnitKind::kTeam, 3},
             {5, "Team Hengelo", UnitKind::kTeam, 3},
             {6, "District Achterhoek", UnitKind::kDistrict, 2},
             {7, "Team Doetinchem", UnitKind::kTeam, 6},
             {8, "Eenheid Klein", UnitKind::kUnit, 1},
             {9, "Klein district 1", UnitKind::kDistrict, 8},
             {10, "Team Klein 1.1", UnitKind::kTeam, 9}};
  o.staff_in_unit = {{2, 10}, {3, 8}, {4, 12}, {5, 40}, {6, 5}, {7, 25}, {8, 2}, {9, 3}, {10, 25}, {1, 300}};
  return o;
}

TEST(LearningGeneralise, SmallUnitIsGeneralisedToItsDistrict) {
  const OrgView org = Org();
  Policy p;  // at least 50 staff, teams never named
  // Team Enschede-Noord has 12 staff; District Twente 60: the district.
  ASSERT_EQ(StaffOf(org, 3), 60);
  Place place = GeneralisePlace(org, 4, p);
  EXPECT_EQ(place.label, "District Twente");
  ASSERT_TRUE(place.named);
  EXPECT_EQ(*place.named, 3);
  // The team and its sister team may not be named; the district may.
  EXPECT_NE(std::find(place.hidden.begin(), place.hidden.end(), 4), place.hidden.end());
  EXPECT_NE(std::find(place.hidden.begin(), place.hidden.end(), 5), place.hidden.end());
  EXPECT_EQ(std::find(place.hidden.begin(), place.hidden.end(), 3), place.hidden.end());

  // Even a large team is never named: its district is.
  p.min_staff = 10;
  EXPECT_EQ(GeneralisePlace(org, 5, p).label, "District Twente");

  // District Achterhoek (30 staff) is small: its eenheid (hundreds).
  p.min_staff = 50;
  EXPECT_EQ(GeneralisePlace(org, 7, p).label, "Eenheid Oost-Nederland");

  // A small eenheid is not named at all; neither is anything in it.
  place = GeneralisePlace(org, 10, p);
  EXPECT_EQ(place.label, "een eenheid");
  EXPECT_FALSE(place.named);
  for (Id u : {8, 9, 10}) EXPECT_NE(std::find(place.hidden.begin(), place.hidden.end(), u), place.hidden.end()) << u;
  // An unknown unit: nothing named.
  EXPECT_EQ(GeneralisePlace(org, 999, p).label, "een eenheid");
}

TEST(LearningGeneralise, ExactDatesBecomeQuarters) {
  EXPECT_EQ(PeriodLabel(D(2025, 4, 14), PeriodGranularity::kQuarter), "2e kwartaal 2025");
  EXPECT_EQ(PeriodLabel(D(2025, 1, 1), PeriodGranularity::kQuarter), "1e kwartaal 2025");
  EXPECT_EQ(PeriodLabel(D(2025, 12, 31), PeriodGranularity::kQuarter), "4e kwartaal 2025");
  EXPECT_EQ(PeriodLabel(D(2025, 4, 14), PeriodGranularity::kSeason), "voorjaar 2025");
  EXPECT_EQ(PeriodLabel(D(2025, 12, 2), PeriodGranularity::kSeason), "winter 2025-2026");
  EXPECT_EQ(PeriodLabel(D(2026, 2, 2), PeriodGranularity::kSeason), "winter 2025-2026");
  EXPECT_EQ(PeriodLabel(D(2025, 4, 14), PeriodGranularity::kYear), "2025");
  EXPECT_EQ(PeriodRangeLabel(D(2025, 4, 1), D(2025, 6, 30), PeriodGranularity::kQuarter), "2e kwartaal 2025");
  EXPECT_EQ(PeriodRangeLabel(D(2025, 5, 1), D(2026, 2, 1), PeriodGranularity::kQuarter),
            "van 2e kwartaal 2025 tot 1e kwartaal 2026");
}

TEST(LearningGeneralise, DurationsAreRoundedToWeeksOrMonths) {
  EXPECT_EQ(DurationLabel(0), "minder dan een week");
  EXPECT_EQ(DurationLabel(6), "minder dan een week");
  EXPECT_EQ(DurationLabel(9), "ongeveer 1 week");
  EXPECT_EQ(DurationLabel(23), "ongeveer 3 weken");
  EXPECT_EQ(DurationLabel(60), "ongeveer 2 maanden");
  EXPECT_EQ(DurationLabel(137), "ongeveer 5 maanden");
  EXPECT_EQ(DurationLabel(800), "ongeveer 2 jaar");
}

// A small investigation track: outcome choices, a text field, a person field.
TrackDefinition Investigation() {
  TrackDefinition def;
  def.id = "investigation";
  def.name = "Disciplinair onderzoek";
  def.main_path = {"commissioned", "heard", "outcome_communicated", "closed"};
  def.states = {{"commissioned", "Opdracht tot onderzoek", "", true, false},
                {"heard", "Gehoord", "", false, false},
                {"outcome_communicated", "Uitkomst meegedeeld", "", false, false},
                {"closed", "Afgesloten", "", false, true}};
  def.transitions = {{"hold_hearing", "Horen", {"commissioned"}, "heard", {"investigator"}, {"hearing_report"}},
                     {"decide_penalty",
                      "Straf (BARP)",
                      {"heard"},
                      "outcome_communicated",
                      {"authority"},
                      {"penalty", "rank_category"}},
                     {"complete", "Rehabilitatie afronden", {"outcome_communicated"}, "closed", {"manager"}}};
  def.fields = {{"hearing_report", "Verslag van het hoorgesprek", FieldType::kTextarea},
                {"representative", "Belangenbehartiger", FieldType::kText},
                {"care_manager_id", "Zorgverlenende leidinggevende", FieldType::kPerson},
                {"penalty",
                 "Disciplinaire straf (BARP)",
                 FieldType::kChoice,
                 {{"written_reprimand", "Schriftelijke berisping"}, {"fine", "Geldboete"}}},
                {"rank_category", "Rangcategorie", FieldType::kChoice, {{"senior_management", "Hoger leidinggevend"}}},
                {"communicated_to_team", "Uitkomst ook aan het team meegedeeld", FieldType::kYesNo}};
  return def;
}

struct Fixture {
  TrackDefinition def = Investigation();
  TrackCase c;
  std::vector<TrackStep> steps;
  Fixture() {
    c.id = 7;
    c.track = "investigation";
    c.reference = "ONZ-2025-0042";
    c.state = "closed";
    c.unit_id = 4;
    c.received_on = D(2025, 4, 14);
    c.summary = "Marco de Vries deelde BVH-gegevens met zijn zwager";
    c.fields = {{"hearing_report", "Marco de Vries verklaarde op 2 mei 2025 dat hij ..."},
                {"representative", "mr. P. Oosterhuis (advocaat)"},
                {"care_manager_id", "31"},
                {"penalty", "written_reprimand"},
                {"rank_category", "senior_management"},
                {"communicated_to_team", "ja"}};
    c.members = {{30, "subject"}, {31, "care_manager"}, {32, "investigator"}};
    steps = {{1,
              7,
              "hold_hearing",
              "commissioned",
              "heard",
              At(D(2025, 5, 2)),
              32,
              {{"hearing_report", "Marco de Vries verklaarde ..."}}},
             {2,
              7,
              "deadline_extended",
              "heard",
              "heard",
              At(D(2025, 6, 1)),
              32,
              {{"deadline", "turnaround"}, {"reason", "Wachten op Priya Ramdin"}}},
             {3,
              7,
              "decide_penalty",
              "heard",
              "outcome_communicated",
              At(D(2025, 7, 10)),
              33,
              {{"penalty", "written_reprimand"}}},
             {4, 7, "complete", "outcome_communicated", "closed", At(D(2025, 9, 1)), 31, {}}};
  }
};

const char* const kPeople[] = {"Marco de Vries", "Priya Ramdin", "Noor Yilmaz", "Henk van Dalen"};

CaseMaterial Material(const Fixture& f, const Place& place) {
  CaseMaterial m;
  m.people = {"Marco de Vries", "Priya Ramdin", "Noor Yilmaz", "Henk van Dalen"};
  m.staff = {"Sanne Kuipers", "Johan Post", "Marco de Vries"};
  m.recorded = {f.c.fields.at("representative")};
  m.references = {f.c.reference};
  for (Id u : place.hidden)
    for (const auto& unit : Org().units)
      if (unit.id == u) m.units.push_back(unit.name);
  m.place = place.label;
  return m;
}

TEST(LearningDraft, LearningCaseNamesNoOneFromTheCase) {
  Fixture f;
  const Place place = GeneralisePlace(Org(), f.c.unit_id, Policy{});
  const Draft d = BuildDraft(f.c, f.steps, f.def, place, Policy{}, D(2026, 1, 1));
  const LearningTexts& t = d.texts;
  for (const std::string* text : {&t.title, &t.situation, &t.what_happened, &t.outcome, &t.lessons}) {
    for (const char* name : kPeople) {
      EXPECT_EQ(text->find(name), std::string::npos) << name << " in " << *text;
      EXPECT_EQ(text->find(std::string(name).substr(std::string(name).rfind(' ') + 1)), std::string::npos) << *text;
    }
    for (const char* leak : {"ONZ-2025-0042", "Oosterhuis", "zwager", "verklaarde", "BVH", "Enschede", "14-04-2025",
                             "2 mei", "31", "Hoger leidinggevend"})
      EXPECT_EQ(text->find(leak), std::string::npos) << leak << " in " << *text;
  }
  // The steps by their kind, with rounded times; the outcome by its choices.
  EXPECT_NE(t.what_happened.find("1. Horen (na ongeveer 3 weken)"), std::string::npos) << t.what_happened;
  EXPECT_NE(t.what_happened.find("2. Termijn verlengd (na ongeveer 7 weken)"), std::string::npos) << t.what_happened;
  EXPECT_NE(t.what_happened.find("3. Straf (BARP) (na ongeveer 3 maanden)"), std::string::npos) << t.what_happened;
  EXPECT_NE(t.outcome.find("Afloop: Afgesloten."), std::string::npos) << t.outcome;
  EXPECT_NE(t.outcome.find("Disciplinaire straf (BARP): Schriftelijke berisping."), std::string::npos) << t.outcome;
  EXPECT_NE(t.outcome.find("Uitkomst ook aan het team meegedeeld: ja."), std::string::npos) << t.outcome;
  EXPECT_NE(t.outcome.find("Doorlooptijd: ongeveer 5 maanden."), std::string::npos) << t.outcome;
  EXPECT_EQ(d.place, "District Twente");
  EXPECT_EQ(d.period, "van 2e kwartaal 2025 tot 3e kwartaal 2025");
  EXPECT_EQ(t.title, "Disciplinair onderzoek, van 2e kwartaal 2025 tot 3e kwartaal 2025");
  // And the checker agrees: nothing to find in what the system wrote.
  const Checker checker(Material(f, place));
  const auto findings = checker.Check(t);
  for (const auto& x : findings) ADD_FAILURE() << TextFieldId(x.field) << ": " << x.match;
}

TEST(LearningDraft, OnlyAClosedOrLastStepCaseBecomesALearningCase) {
  const TrackDefinition def = Investigation();
  EXPECT_TRUE(CheckAdvancedEnough(def, "closed").ok());
  EXPECT_TRUE(CheckAdvancedEnough(def, "outcome_communicated").ok());
  const absl::Status early = CheckAdvancedEnough(def, "heard");
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(early.message()).find("Uitkomst meegedeeld"), std::string::npos) << early;
}

std::vector<std::string> Matches(const Checker& c, std::string_view text, FindingKind kind) {
  std::vector<std::string> out;
  for (const auto& f : c.CheckField(TextField::kSituation, text))
    if (f.kind == kind) out.push_back(f.match);
  return out;
}

using V = std::vector<std::string>;

TEST(LearningChecker, NamesFromTheCaseInFullOrInPartAreFound) {
  Fixture f;
  const Place place = GeneralisePlace(Org(), f.c.unit_id, Policy{});
  const Checker c(Material(f, place));
  EXPECT_EQ(Matches(c, "Toen marco de vries terugkwam, sprak Marco met zijn chef.", FindingKind::kCaseName),
            (V{"marco de vries", "Marco"}));
  EXPECT_EQ(
      Matches(c, "De zaak van Van Dalen en van Dalen; Yilmaz' rapport; Ramdin's verklaring.", FindingKind::kCaseName),
      (V{"Van Dalen", "van Dalen", "Yilmaz", "Ramdin's"}));
  // Words that merely look alike are not names.
  EXPECT_TRUE(c.CheckField(TextField::kLessons, "Henkjan en de vriesvakken; dalen en stijgen.").empty());
  // Staff in full; a name typed in the case.
  EXPECT_EQ(Matches(c, "Sanne Kuipers hielp.", FindingKind::kStaffName), (V{"Sanne Kuipers"}));
  EXPECT_TRUE(Matches(c, "Sanne hielp.", FindingKind::kStaffName).empty());
  EXPECT_EQ(Matches(c, "Zijn advocaat Oosterhuis was er.", FindingKind::kRecordedName), (V{"Oosterhuis"}));
  // A name in the case's people wins over "member of staff".
  EXPECT_EQ(Matches(c, "Marco de Vries", FindingKind::kCaseName), (V{"Marco de Vries"}));
}

TEST(LearningChecker, NumbersDatesAndUnitsFromTheCaseAreFound) {
  Fixture f;
  const Place place = GeneralisePlace(Org(), f.c.unit_id, Policy{});
  const Checker c(Material(f, place));
  EXPECT_EQ(Matches(c, "Zie ONZ-2025-0042 en vik-2026-0003, ook LMM-2024-0007.", FindingKind::kReference),
            (V{"ONZ-2025-0042", "vik-2026-0003", "LMM-2024-0007"}));
  EXPECT_EQ(Matches(c, "Op 14-04-2025, 2/5/25, 2025-05-02, 12.03.2025 en 03-05 gebeurde het.", FindingKind::kDate),
            (V{"14-04-2025", "2/5/25", "2025-05-02", "12.03.2025", "03-05"}));
  EXPECT_EQ(Matches(c, "Op maandag 2 mei 2025, de 3e juni, 12 mrt. en in maart 2025.", FindingKind::kDate),
            (V{"2 mei 2025", "3e juni", "12 mrt", "maart 2025"}));
  EXPECT_EQ(Matches(c, "Bel 06-12345678, 06 1234 5678, +31 6 12345678, 020-1234567 of 0900-8844.", FindingKind::kPhone),
            (V{"06-12345678", "06 1234 5678", "+31 6 12345678", "020-1234567", "0900-8844"}));
  EXPECT_EQ(Matches(c, "Mail m.devries@politie.nl.", FindingKind::kEmail), (V{"m.devries@politie.nl"}));
  EXPECT_EQ(Matches(c, "BSN 111222333 en 123456789.", FindingKind::kBsn), (V{"111222333"}));
  EXPECT_EQ(Matches(c, "Personeelsnummer 4711, nummer 1234567.", FindingKind::kNumber), (V{"4711", "1234567"}));
  EXPECT_EQ(Matches(c, "De auto met kenteken 12-ABC-3 en AB-12-CD.", FindingKind::kPlate), (V{"12-ABC-3", "AB-12-CD"}));
  EXPECT_EQ(Matches(c, "In team Enschede-Noord en Team Hengelo; in District Twente.", FindingKind::kUnit),
            (V{"team Enschede-Noord", "Team Hengelo"}));
  // What a learning case should say is fine: periods, durations, counts.
  EXPECT_TRUE(c.CheckField(TextField::kOutcome,
                           "In het 2e kwartaal 2025, na ongeveer 3 weken, 1-2 gesprekken, 10.000 euro, 2025, in mei.")
                  .empty());
}

TEST(LearningChecker, EachFindingNamesItsFieldAndExplainsInDutch) {
  Fixture f;
  const Place place = GeneralisePlace(Org(), 10, Policy{});  // a small eenheid: "een eenheid"
  CaseMaterial m = Material(f, place);
  const Checker c(m);
  LearningTexts t;
  t.title = "Leercasus Eenheid Klein";
  t.lessons = "Bel Priya Ramdin op 06-12345678.";
  const auto found = c.Check(t);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].field, TextField::kTitle);
  EXPECT_EQ(found[0].kind, FindingKind::kUnit);
  EXPECT_EQ(found[0].match, "Eenheid Klein");
  EXPECT_NE(found[0].explanation.find("'een eenheid'"), std::string::npos) << found[0].explanation;
  EXPECT_EQ(found[1].field, TextField::kLessons);
  EXPECT_EQ(found[1].match, "Priya Ramdin");
  EXPECT_NE(found[1].explanation.find("rol"), std::string::npos);
  EXPECT_EQ(found[2].kind, FindingKind::kPhone);
}

TEST(LearningChecker, AnyTextIsCheckedWithoutReadingPastItsEnd) {
  Fixture f;
  const Checker c(Material(f, GeneralisePlace(Org(), f.c.unit_id, Policy{})));
  for (std::string_view text : {"",
                                "@",
                                "a@",
                                "@b.",
                                "+",
                                "+31",
                                "0",
                                "06-",
                                "12-",
                                "-12",
                                "12/",
                                "2025-",
                                "2025-05-",
                                "'s",
                                "'",
                                "-",
                                "\xE2\x80",
                                "\xE2",
                                "\xC2",
                                "12 ",
                                "12 mrt",
                                "mrt",
                                "personeelsnummer",
                                "1234567890123456789012345",
                                "123456789012-03-2025",
                                "2025-123456789012-01",
                                "12-123456789012",
                                "AB-12-",
                                "-AB-12-CD-"}) {
    (void)c.CheckField(TextField::kLessons, text);
  }
  EXPECT_TRUE(Matches(c, "2025-123456789012-01 en 99-99-9999", FindingKind::kDate).empty());
}

TEST(LearningChecker, ElevenTest) {
  EXPECT_TRUE(PassesElevenTest("111222333"));
  EXPECT_TRUE(PassesElevenTest("123456782"));
  EXPECT_FALSE(PassesElevenTest("123456789"));
  EXPECT_FALSE(PassesElevenTest("000000000"));
}

}  // namespace
}  // namespace waarborg::learning
