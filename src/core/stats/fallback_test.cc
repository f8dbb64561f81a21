// The district fallback (issue 5 §3; DOMAIN §3: "where a figure would make
// people traceable, report only the number of reports per district").
#include <gtest/gtest.h>

#include "core/stats/protect.h"
#include "core/stats/stats_test_util.h"

namespace waarborg::stats {
namespace {

using testing::RandomTables;
using testing::Safe;

// Korps > 2 eenheden > 2 districten > 3 teams, the level names set.
struct Org {
  Dimension dim{"Korps"};
  std::vector<int> districts, teams;
  Org() {
    dim.SetLevelNames({"korps", "eenheid", "district", "team"});
    for (int u = 1; u <= 2; ++u) {
      const int un = dim.Add(0, Cat("Eenheid ", u));
      for (int d = 1; d <= 2; ++d) {
        const int dn = dim.Add(un, Cat("District ", u, ".", d));
        districts.push_back(dn);
        for (int t = 1; t <= 3; ++t) teams.push_back(dim.Add(dn, Cat("Team ", u, ".", d, ".", t)));
      }
    }
  }
};

Policy Districts() {
  Policy p;
  p.district_depth = 2;
  return p;
}

TEST(StatsFallback, ABusyTeamTableIsPublishedAsAsked) {
  const Org org;
  Table t(org.dim, CalendarYear(2026));
  RandomTables gen(3);
  for (int team : org.teams)
    for (int m = 1; m <= 12; ++m) ASSERT_TRUE(t.Set(team, CalendarMonthNode(m), gen.Uniform(5, 30)).ok());
  ASSERT_TRUE(t.Set(org.teams[4], CalendarMonthNode(6), 2).ok());
  const PublishedTable p = Protect(t, Districts());
  EXPECT_EQ(p.detail(), Detail::kAsAsked);
  EXPECT_EQ(p.note(), "");
  EXPECT_EQ(p.rows().size(), org.dim.size());
  EXPECT_TRUE(p.cell(org.teams[4], CalendarMonthNode(6)).suppressed());
  EXPECT_TRUE(Safe(t, p));
}

// Team × quarter with one or two reports per team here and there: shown per
// team, most cells would be hidden. Per district the counts are large
// enough, so the table comes back per district with the note.
TEST(StatsFallback, TeamTableFallsBackToDistrictsWhenTeamsWouldExposePeople) {
  const Org org;
  Dimension quarters("2026");
  std::vector<int> q;
  for (int k = 1; k <= 4; ++k) q.push_back(quarters.Add(0, Cat("K", k)));
  Table t(org.dim, quarters);
  RandomTables gen(11);
  for (int team : org.teams)
    for (int k : q) ASSERT_TRUE(t.Set(team, k, gen.Uniform(1, 4)).ok());
  const PublishedTable p = Protect(t, Districts());
  ASSERT_EQ(p.detail(), Detail::kRowsMerged) << p.DebugString();
  EXPECT_EQ(p.note(), "Te weinig meldingen om per team te tonen; aantallen per district.");
  EXPECT_EQ(p.rows().size(), 7);  // korps, 2 eenheden, 4 districten
  for (int d : org.districts) {
    const int row = p.row_of(d);
    EXPECT_EQ(p.rows().label(row), org.dim.label(d));
    EXPECT_TRUE(p.row_merged(row));
    EXPECT_TRUE(p.rows().is_leaf(row));
  }
  EXPECT_EQ(p.row_of(org.teams[0]), p.row_of(org.districts[0]));
  EXPECT_FALSE(p.row_merged(0));
  EXPECT_EQ(p.cell(0, 0).value(), t.Value(0, 0));
  EXPECT_TRUE(Safe(t, p));
  // As asked, more than half of the non-zero team cells would be hidden.
  const PublishedTable as_asked = ProtectAsIs(t);
  int hidden = 0, nonzero = 0;
  for (int team : org.teams)
    for (int k : q) nonzero += t.Value(team, k) > 0, hidden += as_asked.cell(team, k).suppressed();
  EXPECT_GT(hidden * 2, nonzero);
}

// Fewer reports: per district × quarter still too thin, so the number per
// district; fewer still: the total; a total of 3: nothing.
TEST(StatsFallback, FallsBackToTheNumberPerDistrictThenTheTotalThenNothing) {
  const Org org;
  Dimension quarters("2026");
  std::vector<int> q;
  for (int k = 1; k <= 4; ++k) q.push_back(quarters.Add(0, Cat("K", k)));

  Table per_district(org.dim, quarters);
  for (size_t k = 0; k < org.teams.size(); ++k)
    ASSERT_TRUE(per_district.Set(org.teams[k], q[k % 4], 2).ok());
  const PublishedTable p1 = Protect(per_district, Districts());
  ASSERT_EQ(p1.detail(), Detail::kRowTotalsOnly) << p1.DebugString();
  EXPECT_EQ(p1.note(), "Te weinig meldingen om verder uit te splitsen; alleen het aantal per district.");
  EXPECT_EQ(p1.cols().size(), 1);
  EXPECT_TRUE(p1.col_merged(0));
  EXPECT_EQ(p1.col_of(q[2]), 0);
  for (int d : org.districts) EXPECT_EQ(p1.cell(p1.row_of(d), 0).value(), 6);
  EXPECT_TRUE(Safe(per_district, p1));

  Table thin(org.dim, quarters);
  for (size_t k = 0; k < org.teams.size(); k += 3) ASSERT_TRUE(thin.Set(org.teams[k], q[0], 2).ok());
  const PublishedTable p2 = Protect(thin, Districts());
  ASSERT_EQ(p2.detail(), Detail::kTotalOnly) << p2.DebugString();
  EXPECT_EQ(p2.note(), "Te weinig meldingen om uit te splitsen; alleen het totaal.");
  EXPECT_EQ(p2.cell(0, 0).value(), 8);
  EXPECT_EQ(p2.rows().size(), 1);
  EXPECT_TRUE(Safe(thin, p2));

  Table three(org.dim, quarters);
  ASSERT_TRUE(three.Set(org.teams[5], q[1], 3).ok());
  const PublishedTable p3 = Protect(three, Districts());
  EXPECT_EQ(p3.detail(), Detail::kNothing);
  EXPECT_EQ(p3.note(), "Te weinig meldingen om cijfers te tonen zonder dat personen herkenbaar worden.");
  EXPECT_TRUE(p3.cell(0, 0).suppressed());
  EXPECT_TRUE(Safe(three, p3));
}

TEST(StatsFallback, AColumnTotalTheReaderNeedsForcesTheFallback) {
  const Org org;
  Table t(org.dim, CalendarYear(2026));
  RandomTables gen(4);
  for (int team : org.teams)
    for (int m = 1; m <= 12; ++m) ASSERT_TRUE(t.Set(team, CalendarMonthNode(m), m == 12 ? 0 : gen.Uniform(6, 20)).ok());
  ASSERT_TRUE(t.Set(org.teams[0], CalendarMonthNode(12), 3).ok());  // December: 3 reports in all
  Policy p = Districts();
  EXPECT_EQ(Protect(t, p).detail(), Detail::kAsAsked);
  p.require_column_totals = true;
  const PublishedTable needs_months = Protect(t, p);
  EXPECT_EQ(needs_months.detail(), Detail::kRowTotalsOnly) << needs_months.DebugString();
  EXPECT_TRUE(Safe(t, needs_months));
}

TEST(StatsFallback, TablesProtectedTogetherFallBackTogether) {
  const Org org;
  Dimension cats("Totaal");
  const int verbal = cats.Add(0, "Verbaal"), physical = cats.Add(0, "Fysiek");
  Table by_category(org.dim, cats), by_month(org.dim, CalendarYear(2026));
  RandomTables gen(8);
  for (int team : org.teams) {
    const int n = gen.Uniform(1, 4);
    ASSERT_TRUE(by_category.Set(team, gen.Uniform(0, 1) ? verbal : physical, n).ok());
    ASSERT_TRUE(by_month.Set(team, CalendarMonthNode(gen.Uniform(1, 12)), n).ok());
  }
  const auto together = ProtectTogether({by_category, by_month}, Districts());
  ASSERT_TRUE(together.ok());
  EXPECT_EQ((*together)[0].detail(), (*together)[1].detail());
  EXPECT_NE((*together)[0].detail(), Detail::kAsAsked);
  EXPECT_EQ((*together)[0].rows(), (*together)[1].rows());
  for (int r = 0; r < (*together)[0].rows().size(); ++r) EXPECT_EQ((*together)[0].cell(r, 0), (*together)[1].cell(r, 0));
  EXPECT_TRUE(Safe({by_category, by_month}, *together));
}

TEST(StatsFallback, AListHidesASmallCountWithAPartnerOrShowsOnlyTheTotal) {
  const PublishedList list = ProtectList({{"Verbaal", 14}, {"Fysiek", 3}, {"Intimidatie", 9}, {"Discriminatie", 22}});
  ASSERT_EQ(list.detail, Detail::kAsAsked);
  ASSERT_EQ(list.items.size(), 4u);
  EXPECT_EQ(list.items[0].label, "Verbaal");
  EXPECT_EQ(list.items[0].cell.value(), 14);
  EXPECT_TRUE(list.items[1].cell.suppressed());
  EXPECT_TRUE(list.items[2].cell.suppressed());  // the smallest partner that can hide it
  EXPECT_EQ(list.items[3].cell.value(), 22);
  EXPECT_EQ(list.total.value(), 48);

  const PublishedList thin = ProtectList({{"Verbaal", 2}, {"Fysiek", 3}, {"Intimidatie", 1}});
  EXPECT_EQ(thin.detail, Detail::kTotalOnly);
  EXPECT_TRUE(thin.items.empty());
  EXPECT_EQ(thin.total.value(), 6);

  const PublishedList empty = ProtectList({{"Verbaal", 0}, {"Fysiek", 0}});
  EXPECT_EQ(empty.detail, Detail::kAsAsked);
  EXPECT_EQ(empty.items[1].cell.value(), 0);
  EXPECT_EQ(empty.total.value(), 0);
}

}  // namespace
}  // namespace waarborg::stats
