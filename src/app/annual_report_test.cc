// The annual report and management reports (issue 5 §4): the figures are
// right, no published count is 1 to 4 (also not by subtracting two reports
// on different periods), sparse figures fall back to coarser units, a
// publication is made once and shown again, and only the roles that may
// read a report get it (a manager only the own unit).
#include "app/annual_report.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <random>

#include "adapters/crypto/crypto.h"
#include "adapters/crypto/file_key_provider.h"
#include "adapters/sqlite/sqlite_store.h"
#include "adapters/workflow_files/shipped_tracks.h"
#include "app/app_test_support.h"
#include "core/common/status.h"
#include "core/dashboard/case_fact.h"
#include "core/ports/fake_clock.h"

namespace waarborg::app {
namespace {

using test_support::AddActor;

Date Ymd(int y, int m, int d) {
  return Date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
              std::chrono::day{static_cast<unsigned>(d)}};
}
Instant NoonUtc(int y, int m, int d) {
  return (std::chrono::sys_days(Ymd(y, m, d)).time_since_epoch() + std::chrono::hours(11)) /
         std::chrono::milliseconds(1);
}

// korps > Oost (d1, d2) and West (d1, d2), a team in each district.
struct Org {
  std::vector<OrgUnit> units;
  Id korps = 1, oost = 2, oost_d1 = 3, oost_t1 = 4, oost_d2 = 5, oost_t2 = 6, west = 7, west_d1 = 8, west_t1 = 9,
     west_d2 = 10, west_t2 = 11;
  Org() {
    units = {{korps, "Politie", UnitKind::kCorps, std::nullopt},
             {oost, "Eenheid Oost", UnitKind::kUnit, korps},
             {oost_d1, "Oost district 1", UnitKind::kDistrict, oost},
             {oost_t1, "Oost team 1", UnitKind::kTeam, oost_d1},
             {oost_d2, "Oost district 2", UnitKind::kDistrict, oost},
             {oost_t2, "Oost team 2", UnitKind::kTeam, oost_d2},
             {west, "Eenheid West", UnitKind::kUnit, korps},
             {west_d1, "West district 1", UnitKind::kDistrict, west},
             {west_t1, "West team 1", UnitKind::kTeam, west_d1},
             {west_d2, "West district 2", UnitKind::kDistrict, west},
             {west_t2, "West team 2", UnitKind::kTeam, west_d2}};
  }
  std::vector<Id> Teams() const { return {oost_t1, oost_t2, west_t1, west_t2}; }
};

struct TestFact {
  std::string track = "lmm";
  std::string state = "registered";
  bool open = true;
  Id unit = 0;
  Date received{};
  std::optional<Date> closed;
  std::map<std::string, std::string> answers;
};

std::function<void(const std::function<void(const FactRef&)>&)> VisitOf(const std::vector<TestFact>& facts) {
  return [&facts](const std::function<void(const FactRef&)>& fn) {
    std::vector<std::pair<std::string_view, std::string_view>> answers;
    for (const auto& f : facts) {
      answers.clear();
      for (const auto& [k, v] : f.answers) answers.emplace_back(k, v);
      FactRef r;
      r.kind = f.track == "lmm" ? dashboard::CaseKind::kLmm : dashboard::CaseKind::kTrack;
      r.track = f.track;
      r.state = f.state;
      r.open = f.open;
      r.unit_id = f.unit;
      r.received_on = f.received;
      r.closed_on = f.closed;
      r.answers = answers;
      fn(r);
    }
  };
}

Publication PublishOf(ReportKind kind, const std::vector<TestFact>& facts, const Org& org, int year = 2025,
                      int through = 12) {
  PublicationInput in;
  in.kind = kind;
  in.year = year;
  in.through_month = through;
  in.made_on = Ymd(year + 1, 1, 5);
  in.units = org.units;
  in.visit = VisitOf(facts);
  in.tracks = &workflow_files::ShippedTracks();
  return Publish(in);
}

ReportRequest Ask(ReportKind kind, int year = 2025, std::optional<Id> unit = std::nullopt, int from = 1, int to = 12) {
  ReportRequest r;
  r.kind = kind;
  r.year = year;
  r.unit = unit;
  r.from_month = from;
  r.to_month = to;
  return r;
}

// An LMM fact in `team`, received on day `day` of `month`, in stage `stage`.
TestFact Lmm(Id team, int month, int day, const std::string& stage, const std::string& channel = "online") {
  TestFact f;
  f.unit = team;
  f.received = Ymd(2025, month, day);
  f.answers = {
      {"channel", channel}, {"reporter_category", "employee"}, {"acknowledgement", "in_time"}, {"feedback", "in_time"}};
  auto close_after = [&](int days) {
    f.open = false;
    f.closed = Date{std::chrono::sys_days(f.received) + std::chrono::days{days}};
  };
  if (stage == "untested") {
    f.state = "staffed";
  } else if (stage == "referred") {
    f.state = "referred";
    f.answers["outcome"] = "referred";
    close_after(10);
  } else if (stage == "weighing") {
    f.state = "weighing";
    f.answers["misconduct"] = "statutory_violation";
  } else if (stage == "no_investigation") {
    f.state = "closed";
    f.answers["outcome"] = "no_investigation";
    f.answers["misconduct"] = "safety_of_persons";
    close_after(40);
  } else if (stage == "investigation_closed") {
    f.state = "closed";
    f.answers["outcome"] = "investigation";
    f.answers["misconduct"] = "statutory_violation";
    close_after(100);
  }
  return f;
}

const ReportTable& TableOf(const AnnualReport& a, const std::string& id) {
  if (const ReportTable* t = a.FindTable(id)) return *t;
  ADD_FAILURE() << "no table " << id;
  static ReportTable none;
  return none;
}

std::optional<double> Cell(const ReportTable& t, const std::string& row, std::size_t col) {
  for (const auto& r : t.rows)
    if (r.label == row) return col < r.cells.size() ? r.cells[col] : std::nullopt;
  ADD_FAILURE() << "no row " << row << " in " << t.id;
  return std::nullopt;
}

// The tables whose cells are counts (not percentages or days).
bool CountColumn(const ReportTable& t, std::size_t col) {
  if (t.id == "kerncijfers") return false;
  if (t.id == "doorlooptijd") return col == 0;
  return true;
}

// Every count shown is 0 or at least 5.
void ExpectNoSmallCount(const AnnualReport& a, const std::string& where) {
  for (const auto& s : a.sections)
    for (const auto& t : s.tables)
      for (const auto& r : t.rows)
        for (std::size_t c = 0; c < r.cells.size(); ++c) {
          if (!CountColumn(t, c) || !r.cells[c] || IsNotApplicable(r.cells[c])) continue;
          const double v = *r.cells[c];
          EXPECT_TRUE(v == 0 || v >= 5) << where << ": " << t.id << " / " << r.label << " / col " << c << " = " << v;
        }
  for (const auto& s : a.sections)
    for (const auto& c : s.charts)
      for (std::size_t i = 0; i < c.values.size(); ++i)
        if (c.values[i] && !IsNotApplicable(c.values[i])) {
          EXPECT_TRUE(*c.values[i] == 0 || *c.values[i] >= 5) << where << ": chart " << c.id << " " << c.labels[i];
        }
}

// 60 LMM reports in each of the four teams: 5 a month; 20 not yet tested,
// 10 referred, 10 weighing, 10 no investigation, 10 investigated.
std::vector<TestFact> PlentyOfLmm(const Org& org) {
  std::vector<TestFact> facts;
  const char* stages[] = {"untested", "untested", "referred", "weighing", "no_investigation", "investigation_closed"};
  for (Id team : org.Teams())
    for (int m = 1; m <= 12; ++m)
      for (int k = 0; k < 5; ++k) {
        const int i = (m - 1) * 5 + k;  // 0..59
        TestFact f = Lmm(team, m, 3 + k, stages[i % 6], i % 2 ? "conversation" : "online");
        f.answers["acknowledgement"] = i % 6 == 0 ? "late" : "in_time";
        facts.push_back(f);
      }
  return facts;
}

TEST(AnnualReport, FiguresOfTheLmmAreRightAndPublishedPerDistrictWhenTheyAreLargeEnough) {
  Org org;
  const auto facts = PlentyOfLmm(org);
  const Publication p = PublishOf(ReportKind::kLmm, facts, org);
  EXPECT_EQ(p.level, 2);
  const AnnualReport a = ViewOf(p, Ask(ReportKind::kLmm), org.units);
  EXPECT_EQ(a.title, "Jaarverslag Landelijk Meldpunt Misstanden 2025");
  EXPECT_EQ(a.period_label, "1 januari t/m 31 december 2025");
  EXPECT_EQ(a.FileStem(), "jaarverslag-lmm-2025");

  const ReportTable& months = TableOf(a, "per_maand");
  EXPECT_EQ(Cell(months, "januari", 0), 20);
  EXPECT_EQ(Cell(months, "Totaal", 0), 240);
  const ReportTable& quarters = TableOf(a, "per_kwartaal");
  EXPECT_EQ(quarters.col_labels, (std::vector<std::string>{"K1", "K2", "K3", "K4", "Totaal"}));
  EXPECT_EQ(Cell(quarters, "Politie", 0), 60);
  EXPECT_EQ(Cell(quarters, "Eenheid Oost", 4), 120);
  EXPECT_EQ(Cell(quarters, "Oost district 1", 1), 15);

  const ReportTable& verloop = TableOf(a, "verloop");
  // Columns: every node in order, the parent as the total of its children, the total last.
  EXPECT_EQ(verloop.col_labels,
            (std::vector<std::string>{"Nog niet getoetst", "Geen misstand: doorverwezen",
                                      "Vermoeden van een misstand: totaal", "Weging en advies",
                                      "Besluit: geen onderzoek", "Onderzoek loopt", "Onderzoek afgerond", "Totaal"}));
  EXPECT_EQ(Cell(verloop, "Politie", 0), 80);
  EXPECT_EQ(Cell(verloop, "Politie", 2), 120);
  EXPECT_EQ(Cell(verloop, "Oost district 2", 1), 10);
  EXPECT_EQ(Cell(verloop, "Politie", 5), 0);  // a zero is published

  // The kind of wrongdoing: the korps only, its total the "misstand" node.
  const ReportTable& soort = TableOf(a, "soort");
  EXPECT_EQ(Cell(soort, "Schending van een wettelijk voorschrift", 0), 80);
  EXPECT_EQ(Cell(soort, "Gevaar voor de veiligheid van personen", 0), 40);
  EXPECT_EQ(Cell(soort, "Totaal", 0), 120);

  const ReportTable& kern = TableOf(a, "kerncijfers");
  EXPECT_EQ(Cell(kern, "Meldingen ontvangen, 2025", 0), 240);
  EXPECT_EQ(Cell(kern, "Besluit tot onderzoek", 0), 40);
  EXPECT_EQ(Cell(kern, "Ontvangstbevestiging binnen 7 dagen (%)", 0), 83.3);

  // Turnaround: referred after 10 days, no investigation after 40,
  // investigated after 100, 40 of each: median 40, 90th percentile 100.
  const ReportTable& ta = TableOf(a, "doorlooptijd");
  EXPECT_EQ(Cell(ta, "Politie", 0), 120);
  EXPECT_EQ(Cell(ta, "Politie", 1), 40);
  EXPECT_EQ(Cell(ta, "Politie", 2), 100);
  ExpectNoSmallCount(a, "korps");
}

TEST(AnnualReport, ASmallDistrictIsHiddenAndCannotBeWorkedOutFromItsUnit) {
  Org org;
  auto facts = PlentyOfLmm(org);
  // West district 1 has only two reports.
  facts.erase(std::remove_if(facts.begin(), facts.end(), [&](const TestFact& f) { return f.unit == org.west_t1; }),
              facts.end());
  facts.push_back(Lmm(org.west_t1, 2, 10, "untested"));
  facts.push_back(Lmm(org.west_t1, 5, 10, "untested"));
  const Publication p = PublishOf(ReportKind::kLmm, facts, org);
  ASSERT_EQ(p.level, 2) << p.level_note;
  const AnnualReport a = ViewOf(p, Ask(ReportKind::kLmm, 2025, org.west), org.units);
  const ReportTable& q = TableOf(a, "per_kwartaal");
  EXPECT_FALSE(Cell(q, "West district 1", 4).has_value()) << "2 reports: shown as x";
  // The unit total minus the other district would give it back: not both.
  EXPECT_FALSE(Cell(q, "Eenheid West", 4).has_value() && Cell(q, "West district 2", 4).has_value());
  EXPECT_NE(q.note.find("x = niet getoond"), std::string::npos);
  ExpectNoSmallCount(a, "West");
}

TEST(AnnualReport, SparseFiguresArePublishedPerUnitOrForTheKorpsOnly) {
  Org org;
  std::vector<TestFact> facts;
  // 6 a quarter per eenheid, split over its two districts: too few per
  // district, enough per eenheid.
  for (Id team : org.Teams())
    for (int m = 1; m <= 12; ++m) facts.push_back(Lmm(team, m, 7, "untested"));
  Publication p = PublishOf(ReportKind::kLmm, facts, org);
  EXPECT_EQ(p.level, 1);
  EXPECT_NE(p.level_note.find("per eenheid"), std::string::npos) << p.level_note;
  AnnualReport a = ViewOf(p, Ask(ReportKind::kLmm), org.units);
  EXPECT_EQ(Cell(TableOf(a, "per_kwartaal"), "Eenheid Oost", 0), 6);
  ExpectNoSmallCount(a, "level 1");
  // A district has no rows of its own now: the report says so.
  a = ViewOf(p, Ask(ReportKind::kLmm, 2025, org.oost_d1), org.units);
  EXPECT_EQ(a.FindTable("per_kwartaal"), nullptr);
  bool said = false;
  for (const auto& n : a.notes) said |= n.find("geen eigen cijfers") != std::string::npos;
  EXPECT_TRUE(said);

  // Two a quarter per eenheid: the korps only, and the number per unit beside it.
  facts.clear();
  for (Id team : {org.oost_t1, org.west_t1})
    for (int m : {1, 4, 7, 10, 2, 5, 8, 11}) facts.push_back(Lmm(team, m, 7, "untested"));
  p = PublishOf(ReportKind::kLmm, facts, org);
  EXPECT_EQ(p.level, 0);
  ASSERT_TRUE(p.per_unit.has_value());
  a = ViewOf(p, Ask(ReportKind::kLmm), org.units);
  EXPECT_EQ(Cell(TableOf(a, "per_eenheid"), "Eenheid Oost", 0), 8);
  ExpectNoSmallCount(a, "level 0");
}

TEST(AnnualReport, NoPublishedCountIsOneToFourWhateverTheData) {
  Org org;
  std::mt19937 rng(2026);
  const std::vector<Id> anywhere = {org.korps,   org.oost,    org.oost_d1, org.oost_t1, org.oost_t2, org.west,
                                    org.west_d2, org.west_t1, org.west_t2, 999 /* a unit that no longer exists */};
  const char* lmm_stages[] = {"untested", "referred", "weighing", "no_investigation", "investigation_closed"};
  const char* categories[] = {"verbal_aggression", "discrimination", "sexual_intimidation", "", "criminality"};
  const char* routes[] = {"conversation", "mediation", "formal_complaint", "line_manager", ""};
  const char* states[] = {"received", "with_counsellor", "fact_finding", "evaluation", "mediation"};
  for (int round = 0; round < 40; ++round) {
    const int n = std::uniform_int_distribution<int>(1, 300)(rng);
    std::vector<TestFact> lmm, vw;
    for (int i = 0; i < n; ++i) {
      const Id unit = anywhere[std::uniform_int_distribution<std::size_t>(0, anywhere.size() - 1)(rng)];
      const int month = std::uniform_int_distribution<int>(1, 12)(rng);
      TestFact f = Lmm(unit, month, 1 + i % 28, lmm_stages[rng() % 5], rng() % 3 ? "online" : "mailbox");
      if (rng() % 4 == 0) f.answers["feedback"] = "late";
      lmm.push_back(f);
      TestFact v;
      v.track = "unwanted_behaviour";
      v.unit = unit;
      v.received = Ymd(2025, month, 1 + i % 28);
      if (const char* c = categories[rng() % 5]; *c) v.answers["category"] = c;
      if (rng() % 2) {
        v.open = false;
        v.state = "closed";
        v.closed = Date{std::chrono::sys_days(v.received) + std::chrono::days{static_cast<int>(rng() % 200)}};
        if (const char* r = routes[rng() % 5]; *r) v.answers["procedure_chosen"] = r;
        v.answers["consequences_accused"] = rng() % 2 ? "none" : "warning";
        v.answers["committee_advice"] = rng() % 2 ? "founded" : "unfounded";
        v.answers["decision_as_advised"] = rng() % 3 ? "ja" : "nee";
      } else {
        v.state = states[rng() % 5];
      }
      vw.push_back(v);
    }
    for (ReportKind kind : {ReportKind::kLmm, ReportKind::kCounsellors}) {
      const Publication p = PublishOf(kind, kind == ReportKind::kLmm ? lmm : vw, org);
      // The publication itself, every cell of every table.
      std::vector<const PublishedGrid*> grids;
      for (const auto& g : p.by_unit) grids.push_back(&g);
      for (const auto& g : p.korps_lists) grids.push_back(&g);
      if (p.per_unit) grids.push_back(&*p.per_unit);
      for (const auto* g : grids)
        for (const auto& v : g->cells)
          if (v) {
            EXPECT_TRUE(*v == 0 || *v >= 5) << "round " << round << " " << g->id << ": " << *v;
          }
      // And every report on it: the korps, each unit, periods.
      for (std::optional<Id> unit :
           std::vector<std::optional<Id>>{std::nullopt, org.oost, org.west, org.oost_d1, org.west_d2})
        for (auto [from, to] : std::vector<std::pair<int, int>>{{1, 12}, {1, 6}, {3, 7}, {10, 12}})
          ExpectNoSmallCount(ViewOf(p, Ask(kind, 2025, unit, from, to), org.units),
                             Cat("round ", round, " unit ", unit.value_or(0), " months ", from, "-", to));
    }
  }
}

TEST(AnnualReport, TwoReportsOnOverlappingPeriodsCannotBeSubtractedToASmallCount) {
  Org org;
  std::mt19937 rng(7);
  int compared = 0;
  for (int round = 0; round < 20; ++round) {
    std::vector<TestFact> facts;
    const int n = std::uniform_int_distribution<int>(20, 200)(rng);
    for (int i = 0; i < n; ++i) {
      // Months with very different sizes, some of them small.
      const int month = 1 + static_cast<int>(std::min<unsigned>(11, rng() % 15));
      facts.push_back(Lmm(org.Teams()[rng() % 4], month, 1 + i % 28, "untested"));
    }
    const Publication p = PublishOf(ReportKind::kLmm, facts, org);
    for (std::optional<Id> unit : std::vector<std::optional<Id>>{std::nullopt, org.oost, org.west_d1}) {
      // The period total of every period of whole months, as a report shows it.
      std::map<std::pair<int, int>, std::optional<double>> total;
      for (int from = 1; from <= 12; ++from)
        for (int to = from; to <= 12; ++to) {
          const AnnualReport a = ViewOf(p, Ask(ReportKind::kLmm, 2025, unit, from, to), org.units);
          // The korps by month, a unit by (whole) quarter.
          if (const ReportTable* m = unit ? nullptr : a.FindTable("per_maand")) {
            total[{from, to}] = m->rows.back().cells.back();
          } else if (const ReportTable* k = a.FindTable("per_kwartaal")) {
            // Turned (one row: quarters as rows, the total last) or the scope's row first.
            total[{3 * ((from - 1) / 3) + 1, 3 * ((to + 2) / 3)}] =
                k->corner == "Kwartaal" ? k->rows.back().cells.front() : k->rows.front().cells.back();
          }
        }
      // A period inside another: the difference is the months between.
      for (const auto& [outer, big] : total)
        for (const auto& [inner, small] : total) {
          if (!big || !small || inner == outer) continue;
          if (inner.first < outer.first || inner.second > outer.second) continue;
          const double diff = *big - *small;
          ++compared;
          EXPECT_TRUE(diff == 0 || diff >= 5)
              << "round " << round << " unit " << unit.value_or(0) << ": months " << outer.first << "-" << outer.second
              << " minus " << inner.first << "-" << inner.second << " = " << diff;
        }
    }
  }
  EXPECT_GT(compared, 1000) << "pairs of published period totals compared";
}

TEST(AnnualReport, APeriodReportShowsItsMonthsAndSaysTheBreakdownsCoverTheYear) {
  Org org;
  const Publication p = PublishOf(ReportKind::kLmm, PlentyOfLmm(org), org);
  ReportRequest r = Ask(ReportKind::kLmm, 2025, std::nullopt, 3, 5);
  r.rounded = true;
  const AnnualReport a = ViewOf(p, r, org.units);
  EXPECT_EQ(a.title, "Managementrapportage LMM");
  EXPECT_EQ(a.period_label, "1 maart t/m 31 mei 2025");
  EXPECT_EQ(a.FileStem(), "managementrapportage-lmm-2025-03-t-m-05");
  const ReportTable& months = TableOf(a, "per_maand");
  EXPECT_EQ(months.rows.size(), 4u);  // maart, april, mei, Totaal
  EXPECT_EQ(Cell(months, "Totaal", 0), 60);
  // Per unit the figures go by whole quarter: K1 and K2, and the table says so.
  const ReportTable& q = TableOf(a, "per_kwartaal");
  EXPECT_EQ(q.col_labels, (std::vector<std::string>{"K1", "K2", "Totaal"}));
  EXPECT_EQ(q.title, "Meldingen per kwartaal, januari t/m juni 2025");
  EXPECT_EQ(Cell(q, "Politie", 0), 60);
  EXPECT_EQ(Cell(q, "Eenheid West", 2), 60);
  EXPECT_NE(q.note.find("heel kwartaal"), std::string::npos);
  // A unit's report on the same period: whole quarters, and the report says so.
  const AnnualReport west = ViewOf(p, Ask(ReportKind::kLmm, 2025, org.west, 3, 5), org.units);
  EXPECT_EQ(west.FindTable("per_maand"), nullptr);
  EXPECT_EQ(Cell(TableOf(west, "kerncijfers"), "Meldingen ontvangen, januari t/m juni 2025", 0), 60);
  bool quarters = false;
  for (const auto& n : west.notes) quarters |= n.find("per heel kwartaal") != std::string::npos;
  EXPECT_TRUE(quarters);
  EXPECT_NE(TableOf(a, "verloop").title.find("(2025)"), std::string::npos);
  bool rounding = false, year_wide = false;
  for (const auto& n : a.notes) {
    rounding |= n.find("hele kalendermaand") != std::string::npos;
    year_wide |= n.find("één keer per jaar") != std::string::npos;
  }
  EXPECT_TRUE(rounding);
  EXPECT_TRUE(year_wide);
}

TEST(AnnualReport, CounsellorsReportHasCategoriesRoutesAndTheEvaluationForm) {
  Org org;
  std::vector<TestFact> facts;
  for (Id team : org.Teams())
    for (int i = 0; i < 40; ++i) {
      TestFact f;
      f.track = "unwanted_behaviour";
      f.unit = team;
      f.received = Ymd(2025, 1 + i % 12, 10);
      f.answers["category"] = i % 2 ? "verbal_aggression" : "discrimination";
      if (i % 4 < 2) {
        f.state = "with_counsellor";
      } else {
        f.state = "closed";
        f.open = false;
        f.closed = Date{std::chrono::sys_days(f.received) + std::chrono::days{30}};
        f.answers["procedure_chosen"] = i % 8 < 4 ? "formal_complaint" : "conversation";
        f.answers["consequences_accused"] = "warning";
        f.answers["consequences_complainant"] = "none";
        f.answers["committee_advice"] = "founded";
        f.answers["decision_as_advised"] = "ja";
      }
      facts.push_back(f);
    }
  // An LMM fact is not counted here.
  facts.push_back(Lmm(org.oost_t1, 3, 3, "untested"));
  const Publication p = PublishOf(ReportKind::kCounsellors, facts, org);
  const AnnualReport a = ViewOf(p, Ask(ReportKind::kCounsellors), org.units);
  EXPECT_EQ(a.title, "Jaarverslag vertrouwenswerk 2025");
  EXPECT_EQ(Cell(TableOf(a, "per_maand"), "Totaal", 0), 160);
  const ReportTable& cat = TableOf(a, "categorie");
  EXPECT_EQ(Cell(cat, "Politie", 0), 80);  // Verbale agressie, the track file's label
  EXPECT_EQ(cat.col_labels[0], "Verbale agressie");
  const ReportTable& verloop = TableOf(a, "verloop");
  EXPECT_EQ(Cell(verloop, "Politie", 0), 80);  // In behandeling
  EXPECT_EQ(Cell(TableOf(a, "gevolgen_aangeklaagde"), "Waarschuwing", 0), 80);
  EXPECT_EQ(Cell(TableOf(a, "advies_commissie"), "Gegrond", 0), 40);
  EXPECT_EQ(Cell(TableOf(a, "besluit_conform"), "Conform het advies", 0), 40);
  EXPECT_EQ(Cell(TableOf(a, "doorlooptijd"), "Politie", 1), 30);
  ExpectNoSmallCount(a, "vertrouwenswerk");
  // A unit's report: the evaluation form is the korps' only.
  const AnnualReport west = ViewOf(p, Ask(ReportKind::kCounsellors, 2025, org.west), org.units);
  EXPECT_EQ(west.FindTable("gevolgen_aangeklaagde"), nullptr);
  EXPECT_EQ(Cell(TableOf(west, "categorie"), "Eenheid West", 8), 80);  // Totaal
}

TEST(AnnualReport, APublicationSurvivesStorage) {
  Org org;
  const Publication p = PublishOf(ReportKind::kLmm, PlentyOfLmm(org), org);
  auto back = DecodePublication(EncodePublication(p));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(EncodePublication(*back), EncodePublication(p));
  const AnnualReport a = ViewOf(p, Ask(ReportKind::kLmm), org.units),
                     b = ViewOf(*back, Ask(ReportKind::kLmm), org.units);
  ASSERT_EQ(a.sections.size(), b.sections.size());
  for (std::size_t s = 0; s < a.sections.size(); ++s)
    for (std::size_t t = 0; t < a.sections[s].tables.size(); ++t)
      for (std::size_t r = 0; r < a.sections[s].tables[t].rows.size(); ++r)
        EXPECT_EQ(a.sections[s].tables[t].rows[r].cells, b.sections[s].tables[t].rows[r].cells);
  EXPECT_FALSE(DecodePublication("{}").ok());
  EXPECT_FALSE(DecodePublication("niet eens json").ok());
}

TEST(AnnualReport, RequestsAreParsedWithDutchMessages) {
  auto parse = [](std::map<std::string, std::string> q) {
    return ParseReportRequest([&](const std::string& k) { return q.count(k) ? q[k] : std::string(); });
  };
  auto r = parse({{"soort", "lmm"}, {"jaar", "2025"}});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->WholeYear());
  EXPECT_EQ(ReportQuery(*r), "soort=lmm&jaar=2025");
  r = parse(
      {{"soort", "vertrouwenswerk"}, {"jaar", "2025"}, {"van", "15-03-2025"}, {"tot", "30-06-2025"}, {"eenheid", "7"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->from_month, 3);
  EXPECT_EQ(r->to_month, 6);
  EXPECT_TRUE(r->rounded);
  EXPECT_EQ(r->unit, 7);
  EXPECT_EQ(ReportQuery(*r), "soort=vertrouwenswerk&van=01-03-2025&tot=30-06-2025&eenheid=7");
  EXPECT_FALSE(parse({{"soort", "vik"}, {"jaar", "2025"}}).ok());
  EXPECT_FALSE(parse({{"soort", "lmm"}}).ok());
  EXPECT_FALSE(parse({{"soort", "lmm"}, {"jaar", "25"}}).ok());
  EXPECT_FALSE(parse({{"soort", "lmm"}, {"van", "2025-01-01"}, {"tot", "31-01-2025"}}).ok());
  EXPECT_FALSE(parse({{"soort", "lmm"}, {"van", "01-12-2024"}, {"tot", "31-01-2025"}}).ok());
  EXPECT_FALSE(parse({{"soort", "lmm"}, {"van", "01-02-2025"}, {"tot", "31-01-2025"}}).ok());
  EXPECT_FALSE(parse({{"soort", "lmm"}, {"jaar", "2025"}, {"eenheid", "oost"}}).ok());
  EXPECT_EQ(parse({{"soort", "lmm"}}).status().message(), "Kies een jaar, of vul een periode in (van en tot).");
}

// ------------------------------------------------------------------ the use case

class AnnualReportServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test_support::OpenTestStore(dir_.path());
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(
        store_
            ->Transact([&](StoreTx& tx) -> absl::Status {
              ASSIGN_OR_RETURN(korps_, tx.InsertUnit({0, "Politie", UnitKind::kCorps, std::nullopt}));
              ASSIGN_OR_RETURN(oost_, tx.InsertUnit({0, "Eenheid Oost", UnitKind::kUnit, korps_}));
              ASSIGN_OR_RETURN(Id od, tx.InsertUnit({0, "Oost district 1", UnitKind::kDistrict, oost_}));
              ASSIGN_OR_RETURN(oost_team_, tx.InsertUnit({0, "Oost team 1", UnitKind::kTeam, od}));
              ASSIGN_OR_RETURN(west_, tx.InsertUnit({0, "Eenheid West", UnitKind::kUnit, korps_}));
              ASSIGN_OR_RETURN(west_district_, tx.InsertUnit({0, "West district 1", UnitKind::kDistrict, west_}));
              ASSIGN_OR_RETURN(west_team_, tx.InsertUnit({0, "West team 1", UnitKind::kTeam, west_district_}));
              korpschef_ = AddActor(tx, {"korpschef", oost_team_, {Role::kCompetentAuthority}});
              coordinator_ = AddActor(tx, {"coordinator", oost_team_, {Role::kCoordinator}});
              cvp_ = AddActor(tx, {"cvp", oost_team_, {Role::kCentralCounsellor}});
              manager_west_ = AddActor(tx, {"leiding-west", west_team_, {Role::kManager}});
              employee_ = AddActor(tx, {"medewerker", oost_team_, {Role::kEmployee}});
              vik_ = AddActor(tx, {"teamchef", oost_team_, {Role::kVikTeamChief}});
              // 2025: 30 LMM reports and 30 complaints in each team.
              for (Id team : {oost_team_, west_team_})
                for (int i = 0; i < 30; ++i) {
                  RETURN_IF_ERROR(tx.UpsertCaseFact(FactOf("lmm", ++next_id_, team, Ymd(2025, 1 + i % 12, 15))));
                  RETURN_IF_ERROR(
                      tx.UpsertCaseFact(FactOf("unwanted_behaviour", ++next_id_, team, Ymd(2025, 1 + i % 12, 15))));
                }
              return absl::OkStatus();
            })
            .ok());
    dash_ = std::make_unique<DashboardService>(*store_, clock_, workflow_files::ShippedTracks());
    ASSERT_TRUE(dash_->Load().ok());
    reports_ = std::make_unique<AnnualReportService>(*store_, clock_, workflow_files::ShippedTracks(), *dash_);
  }
  void TearDown() override {
    reports_.reset();
    dash_.reset();
    store_.reset();
  }

  static dashboard::CaseFact FactOf(const std::string& track, Id id, Id unit, Date received) {
    dashboard::CaseFact f;
    f.kind = track == "lmm" ? dashboard::CaseKind::kLmm : dashboard::CaseKind::kTrack;
    f.case_id = id;
    f.track = track;
    f.state = track == "lmm" ? "registered" : "received";
    f.unit_id = unit;
    f.received_on = received;
    f.state_since = received;
    f.updated_at = 1000 + static_cast<Instant>(id);
    if (track == "lmm") f.answers = {{"channel", "online"}, {"reporter_category", "employee"}};
    return f;
  }

  std::vector<AuditEvent> Audit(const std::string& action) {
    std::vector<AuditEvent> out;
    (void)store_->Read([&](StoreTx& tx) -> absl::Status {
      AuditQuery q;
      q.action = action;
      out = tx.SearchAudit(q);
      return absl::OkStatus();
    });
    return out;
  }

  static double KorpsTotal(const AnnualReport& a) { return *Cell(TableOf(a, "per_maand"), "Totaal", 0); }

  test_support::TempDir dir_{"waarborg-report"};
  FakeClock clock_{NoonUtc(2026, 5, 11)};  // 2025 is closed, and the first quarter of 2026
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<DashboardService> dash_;
  std::unique_ptr<AnnualReportService> reports_;
  Id korps_ = 0, oost_ = 0, oost_team_ = 0, west_ = 0, west_district_ = 0, west_team_ = 0;
  Id next_id_ = 0;
  Actor korpschef_, coordinator_, cvp_, manager_west_, employee_, vik_;
};

TEST_F(AnnualReportServiceTest, EachRoleGetsTheReportsItMayRead) {
  EXPECT_TRUE(reports_->Build(korpschef_, Ask(ReportKind::kLmm)).ok());
  EXPECT_TRUE(reports_->Build(korpschef_, Ask(ReportKind::kCounsellors)).ok());
  auto lmm = reports_->Build(coordinator_, Ask(ReportKind::kLmm));
  ASSERT_TRUE(lmm.ok()) << lmm.status();
  EXPECT_EQ(KorpsTotal(*lmm), 60);
  EXPECT_EQ(reports_->Build(coordinator_, Ask(ReportKind::kCounsellors)).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(reports_->Build(cvp_, Ask(ReportKind::kCounsellors)).ok());
  EXPECT_EQ(reports_->Build(cvp_, Ask(ReportKind::kLmm)).status().code(), absl::StatusCode::kPermissionDenied);
  for (const Actor* who : {&employee_, &vik_}) {
    auto r = reports_->Build(*who, Ask(ReportKind::kLmm));
    EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied) << who->username;
    EXPECT_EQ(reports_->ChoicesFor(*who).status().code(), absl::StatusCode::kPermissionDenied);
  }
  auto choices = reports_->ChoicesFor(coordinator_);
  ASSERT_TRUE(choices.ok());
  EXPECT_EQ(choices->kinds, std::vector<ReportKind>{ReportKind::kLmm});
  EXPECT_EQ(choices->default_year, 2025);
  EXPECT_EQ(choices->years.front(), 2026);  // its first quarter has closed
}

TEST_F(AnnualReportServiceTest, AManagerGetsTheOwnUnitOnly) {
  auto own = reports_->Build(manager_west_, Ask(ReportKind::kLmm));
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->unit_label, "Eenheid West");
  EXPECT_EQ(own->request.unit, west_);
  EXPECT_EQ(own->FileStem(), "managementrapportage-lmm-eenheid-west-2025");
  EXPECT_EQ(own->title, "Managementrapportage LMM");
  EXPECT_TRUE(reports_->Build(manager_west_, Ask(ReportKind::kCounsellors, 2025, west_district_)).ok());
  for (std::optional<Id> other : {std::optional<Id>(oost_), std::optional<Id>(korps_)}) {
    auto r = reports_->Build(manager_west_, Ask(ReportKind::kLmm, 2025, other));
    EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied) << *other;
  }
  auto choices = reports_->ChoicesFor(manager_west_);
  ASSERT_TRUE(choices.ok());
  EXPECT_EQ(choices->own_unit, west_);
  ASSERT_EQ(choices->units.size(), 2u);  // the unit and its district
  EXPECT_EQ(choices->units[0].id, west_);
  EXPECT_EQ(reports_->Build(korpschef_, Ask(ReportKind::kLmm, 2025, west_team_)).status().code(),
            absl::StatusCode::kInvalidArgument)
      << "never per team";
  EXPECT_EQ(reports_->Build(korpschef_, Ask(ReportKind::kLmm, 2025, 12345)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_GE(Audit("report.denied").size(), 2u);
}

TEST_F(AnnualReportServiceTest, AManagerWhoseUnitIsNotKnownIsToldSo) {
  Actor lost = manager_west_;
  lost.person_id = 987654;  // no such person: no team, so no unit
  for (auto status : {reports_->Build(lost, Ask(ReportKind::kLmm)).status(), reports_->ChoicesFor(lost).status()}) {
    EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
    EXPECT_NE(status.message().find("Uw eenheid is niet bekend"), std::string_view::npos) << status.message();
  }
  auto employee = reports_->Build(employee_, Ask(ReportKind::kLmm)).status();
  EXPECT_NE(employee.message().find("zijn er voor de korpsleiding"), std::string_view::npos) << employee.message();
}

TEST_F(AnnualReportServiceTest, OnlyClosedPeriodsAreReported) {
  // 2026: the first quarter has closed, the second not.
  EXPECT_TRUE(reports_->Build(korpschef_, Ask(ReportKind::kLmm, 2026, std::nullopt, 1, 3)).ok());
  auto open = reports_->Build(korpschef_, Ask(ReportKind::kLmm, 2026, std::nullopt, 1, 6));
  EXPECT_EQ(open.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(open.status().message()).find("31-03-2026"), std::string::npos) << open.status();
  EXPECT_EQ(reports_->Build(korpschef_, Ask(ReportKind::kLmm, 2026)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(reports_->Build(korpschef_, Ask(ReportKind::kLmm, 2027)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(AnnualReportServiceTest, AYearIsPublishedOnceAndShownAgainAfterChangesAndRestarts) {
  auto first = reports_->Build(coordinator_, Ask(ReportKind::kLmm));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(KorpsTotal(*first), 60);
  EXPECT_EQ(first->published_on, Ymd(2026, 5, 11));
  ASSERT_EQ(Audit("report.publish").size(), 1u);

  // Later: five more reports of 2025 are registered (late), a day passes.
  ASSERT_TRUE(store_
                  ->Transact([&](StoreTx& tx) -> absl::Status {
                    for (int i = 0; i < 5; ++i) {
                      auto f = FactOf("lmm", ++next_id_, west_team_, Ymd(2025, 6, 1));
                      f.updated_at = 999999;
                      RETURN_IF_ERROR(tx.UpsertCaseFact(f));
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(dash_->Refresh().ok());
  clock_.Advance(24 * 3600 * 1000);
  // The same figures, for the korps and for a unit and period within the year.
  auto again = reports_->Build(korpschef_, Ask(ReportKind::kLmm));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(KorpsTotal(*again), 60);
  EXPECT_EQ(again->published_on, Ymd(2026, 5, 11));
  // And after a restart: from the store, not made anew.
  AnnualReportService restarted(*store_, clock_, workflow_files::ShippedTracks(), *dash_);
  auto stored = restarted.Build(korpschef_, Ask(ReportKind::kLmm));
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(KorpsTotal(*stored), 60);
  EXPECT_EQ(Audit("report.publish").size(), 1u);
  // The counsellors' report of the same year is a publication of its own.
  ASSERT_TRUE(reports_->Build(korpschef_, Ask(ReportKind::kCounsellors)).ok());
  EXPECT_EQ(Audit("report.publish").size(), 2u);
}

TEST_F(AnnualReportServiceTest, ExportsAreAuditedWithoutTheirFigures) {
  auto a = reports_->Build(coordinator_, Ask(ReportKind::kLmm, 2025, west_, 1, 6));
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(reports_->RecordExport(coordinator_, a->request, "csv", "per_kwartaal").ok());
  const auto events = Audit("report.export");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor, "coordinator");
  EXPECT_EQ(events[0].detail,
            Cat("soort=lmm jaar=2025 maanden=1-6 eenheid=", west_, " formaat=csv tabel=per_kwartaal"));
  EXPECT_TRUE(events[0].case_id.empty());
}

TEST(DashboardFacts, TheReportReadsTheFactsTheDashboardHolds) {
  // VisitFacts: only the asked tracks, with their answers.
  std::string tmpl = (std::filesystem::temp_directory_path() / "waarborg-visit-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  {
    auto s =
        SqliteStore::Open(tmpl + "/w.db", crypto::Sha256Hex,
                          std::shared_ptr<KeyProvider>(*crypto::FileKeyProvider::Open(tmpl + "/master.key", true)));
    ASSERT_TRUE(s.ok());
    FakeClock clock(NoonUtc(2026, 1, 10));
    ASSERT_TRUE((*s)->Transact([&](StoreTx& tx) -> absl::Status {
                      dashboard::CaseFact a;
                      a.kind = dashboard::CaseKind::kLmm;
                      a.case_id = 1;
                      a.track = "lmm";
                      a.state = "closed";
                      a.open = false;
                      a.unit_id = 4;
                      a.received_on = Ymd(2025, 2, 3);
                      a.closed_on = Ymd(2025, 4, 1);
                      a.state_since = Ymd(2025, 4, 1);
                      a.answers = {{"outcome", "referred"}};
                      a.updated_at = 5;
                      RETURN_IF_ERROR(tx.UpsertCaseFact(a));
                      dashboard::CaseFact b = a;
                      b.kind = dashboard::CaseKind::kTrack;
                      b.track = "vik_triage";
                      b.updated_at = 6;
                      return tx.UpsertCaseFact(b);
                    })
                    .ok());
    DashboardService dash(**s, clock, workflow_files::ShippedTracks());
    ASSERT_TRUE(dash.Load().ok());
    int seen = 0;
    dash.VisitFacts({"lmm"}, [&](const FactRef& f) {
      ++seen;
      EXPECT_EQ(f.track, "lmm");
      EXPECT_FALSE(f.open);
      EXPECT_EQ(f.unit_id, 4);
      EXPECT_EQ(f.received_on, Ymd(2025, 2, 3));
      EXPECT_EQ(f.closed_on, Ymd(2025, 4, 1));
      EXPECT_EQ(f.Answer("outcome"), "referred");
      EXPECT_EQ(f.Answer("none"), "");
    });
    EXPECT_EQ(seen, 1);
    seen = 0;
    dash.VisitFacts({}, [&](const FactRef&) { ++seen; });
    EXPECT_EQ(seen, 2);
  }
  std::error_code ec;
  std::filesystem::remove_all(tmpl, ec);
}

}  // namespace
}  // namespace waarborg::app
