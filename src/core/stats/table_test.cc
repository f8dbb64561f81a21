// Frequency tables over fixed hierarchies (issue 5 §3): margins are derived.
#include "core/stats/table.h"

#include <gtest/gtest.h>

namespace waarborg::stats {
namespace {

TEST(StatsTable, MarginsAndTheGrandTotalAreSumsOfTheLeaves) {
  Dimension rows("Korps");
  const int unit = rows.Add(0, "Eenheid Noord");
  const int t1 = rows.Add(unit, "Team A"), t2 = rows.Add(unit, "Team B");
  const int t3 = rows.Add(0, "Team C");
  Table t(rows, CalendarYear(2026));
  ASSERT_TRUE(t.Set(t1, CalendarMonthNode(1), 3).ok());
  ASSERT_TRUE(t.Set(t2, CalendarMonthNode(2), 4).ok());
  ASSERT_TRUE(t.Set(t3, CalendarMonthNode(12), 7).ok());
  ASSERT_TRUE(t.Add(t3, CalendarMonthNode(12), 1).ok());
  EXPECT_EQ(t.Value(unit, CalendarQuarterNode(1)), 7);
  EXPECT_EQ(t.Value(unit, 0), 7);
  EXPECT_EQ(t.Value(0, CalendarQuarterNode(4)), 8);
  EXPECT_EQ(t.Value(0, 0), 15);
  const auto all = t.AllValues();
  for (int r = 0; r < rows.size(); ++r)
    for (int c = 0; c < t.cols().size(); ++c) EXPECT_EQ(all[r * t.cols().size() + c], t.Value(r, c));
}

TEST(StatsTable, OnlyLeafCellsTakeCountsAndNeverNegativeOnes) {
  Dimension rows("Korps");
  const int unit = rows.Add(0, "Eenheid");
  const int team = rows.Add(unit, "Team");
  Table t(rows, Dimension("Totaal"));
  EXPECT_FALSE(t.Set(unit, 0, 3).ok());
  EXPECT_FALSE(t.Set(team, 0, -1).ok());
  EXPECT_FALSE(t.Set(99, 0, 1).ok());
  EXPECT_TRUE(t.Set(team, 0, 2).ok());
}

TEST(StatsTable, TheCalendarYearRollsMonthsIntoQuartersIntoTheYear) {
  const Dimension y = CalendarYear(2026);
  EXPECT_EQ(y.label(0), "2026");
  EXPECT_EQ(y.size(), 17);
  for (int m = 1; m <= 12; ++m) {
    const int node = CalendarMonthNode(m);
    EXPECT_TRUE(y.is_leaf(node));
    EXPECT_EQ(y.parent(node), CalendarQuarterNode((m + 2) / 3)) << m;
  }
  EXPECT_EQ(y.label(CalendarMonthNode(3)), "mrt");
  EXPECT_EQ(y.label(CalendarQuarterNode(4)), "K4");
}

TEST(StatsTable, CuttingTheRowsMergesTeamsIntoTheirDistrict) {
  Dimension rows("Korps");
  rows.SetLevelNames({"korps", "eenheid", "district", "team"});
  const int unit = rows.Add(0, "Eenheid");
  const int d1 = rows.Add(unit, "District 1"), d2 = rows.Add(unit, "District 2");
  const int a = rows.Add(d1, "Team A"), b = rows.Add(d1, "Team B"), c = rows.Add(d2, "Team C");
  Table t(rows, Dimension("Totaal"));
  ASSERT_TRUE(t.Set(a, 0, 2).ok());
  ASSERT_TRUE(t.Set(b, 0, 3).ok());
  ASSERT_TRUE(t.Set(c, 0, 4).ok());
  std::vector<int> map;
  std::vector<bool> merged;
  const Table cut = t.CutRowsAt(2, &map, &merged);
  EXPECT_EQ(cut.rows().size(), 4);
  EXPECT_EQ(cut.rows().LevelName(2), "district");
  EXPECT_EQ(cut.rows().LevelName(3), "");
  EXPECT_EQ(map[a], map[b]);
  EXPECT_EQ(cut.rows().label(map[a]), "District 1");
  EXPECT_EQ(cut.Value(map[a], 0), 5);
  EXPECT_EQ(cut.Value(map[c], 0), 4);
  EXPECT_TRUE(merged[map[a]]);
  EXPECT_FALSE(merged[map[unit]]);
  EXPECT_EQ(cut.Value(0, 0), 9);
  (void)d2;
}

}  // namespace
}  // namespace waarborg::stats
