// Anonymity of published figures (issue 5 §3): suppression and the attacks
// it must withstand. Every test ends with the attacker of
// attacker_for_tests.h; the first tests show that the attacker does find a
// cell when the protection is naive, so that a green test means something.
#include "core/stats/protect.h"

#include <gtest/gtest.h>

#include "core/stats/attacker_for_tests.h"
#include "core/stats/stats_test_util.h"

namespace waarborg::stats {
namespace {

using testing::Attacker;
using testing::Interval;
using testing::RandomTables;
using testing::Safe;
using testing::SheetHiding;
using testing::Sheet;
using testing::SheetOf;

Table List(const std::vector<std::int64_t>& counts) {
  Dimension rows("Totaal");
  for (size_t k = 0; k < counts.size(); ++k) rows.Add(0, Cat("Team ", static_cast<char>('A' + k)));
  Table t(rows, Dimension("Totaal"));
  for (size_t k = 0; k < counts.size(); ++k) EXPECT_TRUE(t.Set(static_cast<int>(k) + 1, 0, counts[k]).ok());
  return t;
}

Table Grid(const std::vector<std::vector<std::int64_t>>& counts) {
  Dimension rows("Korps"), cols("Totaal");
  for (size_t r = 0; r < counts.size(); ++r) rows.Add(0, Cat("Eenheid ", r + 1));
  for (size_t c = 0; c < counts.front().size(); ++c) cols.Add(0, Cat("Categorie ", c + 1));
  Table t(rows, cols);
  for (size_t r = 0; r < counts.size(); ++r)
    for (size_t c = 0; c < counts[r].size(); ++c)
      EXPECT_TRUE(t.Set(static_cast<int>(r) + 1, static_cast<int>(c) + 1, counts[r][c]).ok());
  return t;
}

// ---------------------------------------------------------------------------
// The attacker is strong enough

TEST(StatsAttacker, FindsTheSmallCellWhenOnlyItIsHidden) {
  const Table t = List({3, 12, 20});
  const Attacker naive({SheetHiding(t, {{1, 0}})});
  const Interval b = naive.BoundOf(0, 1, 0);
  EXPECT_EQ(b.lo, 3);
  EXPECT_EQ(b.hi, 3);
}

// The constraint-local rule ("every row and column with a suppressed cell
// has at least two, summing to >= 5") holds in every row and column here,
// yet the cycle of suppressed cells passes through a 2, which caps the 1 at
// 2. This is why protect.cc looks for a witness per cell instead.
TEST(StatsAttacker, TheConstraintLocalRuleIsNotEnough) {
  const Table t = Grid({{1, 9, 10}, {10, 9, 2}, {9, 10, 9}});
  const Sheet sheet = SheetHiding(t, {{1, 1}, {1, 2}, {2, 2}, {2, 3}, {3, 3}, {3, 1}});
  const Attacker attacker({sheet});
  const Interval one = attacker.BoundOf(0, 1, 1);
  EXPECT_EQ(one.lo, 1);
  EXPECT_EQ(one.hi, 2);
  EXPECT_EQ(attacker.CanReach(attacker.Var(0, 1, 1), 2), true);
  EXPECT_EQ(attacker.CanReach(attacker.Var(0, 1, 1), 3), false);
  EXPECT_EQ(attacker.CanReach(attacker.Var(0, 2, 3), 3), false);  // and the 2 to [1, 2]
  // The protection itself finds a safe pattern for the same table.
  EXPECT_TRUE(Safe(t, ProtectAsIs(t), 5, /*exact=*/true));
}

// ---------------------------------------------------------------------------
// Differencing attacks

TEST(StatsProtect, SmallCellIsSuppressedAndTheTotalMinusTheRestCannotGiveItBack1D) {
  const Table t = List({3, 12, 20});
  const PublishedTable p = ProtectAsIs(t);
  EXPECT_TRUE(p.cell(1, 0).suppressed());
  EXPECT_TRUE(p.cell(2, 0).suppressed()) << p.DebugString();  // the cheapest complement
  EXPECT_EQ(p.cell(3, 0).value(), 20);
  EXPECT_EQ(p.cell(0, 0).value(), 35);
  EXPECT_TRUE(Safe(t, p, 5, /*exact=*/true));
  // Total minus the rest: 35 - 20 = 15 for the two hidden teams, each in [1, 14].
  const Interval b = Attacker({SheetOf(p)}).BoundOf(0, 1, 0);
  EXPECT_EQ(b.lo, 1);
  EXPECT_EQ(b.hi, 14);
}

// Two small cells hidden together sum to 5: the total minus the rest gives
// their sum, so each is at most 4. A partner must be able to give up enough.
TEST(StatsProtect, TwoSmallCellsDoNotHideEachOther) {
  const Table t = List({3, 2, 30, 40});
  const Interval naive = Attacker({SheetHiding(t, {{1, 0}, {2, 0}})}).BoundOf(0, 1, 0);
  EXPECT_EQ(naive.hi, 4);
  const PublishedTable p = ProtectAsIs(t);
  EXPECT_TRUE(p.cell(3, 0).suppressed()) << p.DebugString();
  EXPECT_EQ(p.cell(4, 0).value(), 40);
  EXPECT_EQ(p.cell(0, 0).value(), 75);
  EXPECT_TRUE(Safe(t, p, 5, /*exact=*/true)) << p.DebugString();
}

TEST(StatsProtect, SmallCellIsSuppressedAndTheTotalMinusTheRestCannotGiveItBack2D) {
  const Table t = Grid({{2, 15, 8}, {11, 20, 7}, {6, 9, 30}});
  // Naive: hiding the 2 alone gives it back through its row and its column.
  EXPECT_EQ(Attacker({SheetHiding(t, {{1, 1}})}).BoundOf(0, 1, 1).hi, 2);
  const PublishedTable p = ProtectAsIs(t);
  EXPECT_TRUE(p.cell(1, 1).suppressed());
  EXPECT_EQ(p.cell(0, 0).value(), 108);
  EXPECT_TRUE(Safe(t, p, 5, /*exact=*/true)) << p.DebugString();
  EXPECT_LE(p.suppressed_count(), 4) << p.DebugString();  // a rectangle of four inner cells
}

TEST(StatsProtect, ASmallMarginIsSuppressedAndCannotBeGivenBack) {
  // District 1 has 3 reports over two teams: its total, its teams and their
  // months are all sensitive; the unit total and the other district stay.
  Dimension rows("Korps");
  const int unit = rows.Add(0, "Eenheid");
  const int d1 = rows.Add(unit, "District 1"), d2 = rows.Add(unit, "District 2");
  const int a = rows.Add(d1, "Team A"), b = rows.Add(d1, "Team B");
  const int c = rows.Add(d2, "Team C"), d = rows.Add(d2, "Team D");
  Dimension cols("2026");
  const int h1 = cols.Add(0, "H1"), h2 = cols.Add(0, "H2");
  Table t(rows, cols);
  ASSERT_TRUE(t.Set(a, h1, 2).ok());
  ASSERT_TRUE(t.Set(b, h2, 1).ok());
  ASSERT_TRUE(t.Set(c, h1, 12).ok());
  ASSERT_TRUE(t.Set(c, h2, 9).ok());
  ASSERT_TRUE(t.Set(d, h1, 8).ok());
  ASSERT_TRUE(t.Set(d, h2, 15).ok());
  const PublishedTable p = ProtectAsIs(t);
  EXPECT_TRUE(p.cell(d1, 0).suppressed());
  EXPECT_TRUE(Safe(t, p, 5, /*exact=*/true)) << p.DebugString();
  (void)d2;
}

// Q1 published by one query and January and February by another give
// March as Q1 - Jan - Feb. In one protected table the quarter is a margin of
// the months, and the protection covers the subtraction.
TEST(StatsProtect, TwoOverlappingQueriesCannotIsolateASmallMonth) {
  Table t(Dimension("Korps"), CalendarYear(2026));
  const std::int64_t months[12] = {10, 8, 2, 7, 9, 11, 6, 5, 12, 8, 7, 9};
  for (int m = 1; m <= 12; ++m) ASSERT_TRUE(t.Set(0, CalendarMonthNode(m), months[m - 1]).ok());
  const int mar = CalendarMonthNode(3), q1 = CalendarQuarterNode(1);
  // The naive pair of queries: all months but March, and the quarters.
  const Interval naive = Attacker({SheetHiding(t, {{0, mar}})}).BoundOf(0, 0, mar);
  EXPECT_EQ(naive.lo, 2);
  EXPECT_EQ(naive.hi, 2);

  const PublishedTable p = ProtectAsIs(t);
  EXPECT_TRUE(p.cell(0, mar).suppressed());
  EXPECT_TRUE(Safe(t, p, 5, /*exact=*/true)) << p.DebugString();
  // The complement is taken inside the quarter (a month, not Q1 or the year).
  EXPECT_EQ(p.cell(0, q1).value(), 20);
  EXPECT_EQ(p.cell(0, 0).value(), 94);
  EXPECT_EQ(p.suppressed_count(), 2) << p.DebugString();
}

TEST(StatsProtect, TwoOverlappingQueriesCannotIsolateASmallMonthOfATeam) {
  // The same over units and teams: a team's quarter minus its months, a
  // unit's month minus its other teams.
  Dimension rows("Korps");
  const int u1 = rows.Add(0, "Eenheid 1"), u2 = rows.Add(0, "Eenheid 2");
  std::vector<int> teams = {rows.Add(u1, "Team 1"), rows.Add(u1, "Team 2"), rows.Add(u2, "Team 3"),
                            rows.Add(u2, "Team 4")};
  Table t(rows, CalendarYear(2026));
  RandomTables gen(7);
  for (int team : teams)
    for (int m = 1; m <= 12; ++m) ASSERT_TRUE(t.Set(team, CalendarMonthNode(m), gen.Uniform(4, 14)).ok());
  ASSERT_TRUE(t.Set(teams[1], CalendarMonthNode(3), 1).ok());
  ASSERT_TRUE(t.Set(teams[2], CalendarMonthNode(8), 3).ok());
  const PublishedTable p = ProtectAsIs(t);
  EXPECT_TRUE(p.cell(teams[1], CalendarMonthNode(3)).suppressed());
  EXPECT_TRUE(Safe(t, p)) << p.DebugString();
}

// Unit × category and unit × month of the same year share the unit totals.
// Protected one by one, each table is safe alone, but the first hides the
// total of Eenheid 2 and the second that of Eenheid 3 to protect Eenheid 1's
// total of 4: together they give it back as 84 - 20 - 60. Protected
// together, the shared totals are suppressed in both or neither.
TEST(StatsProtect, ASecondTableWithTheSameMarginsCannotGiveItBack) {
  Dimension units("Korps");
  const int e1 = units.Add(0, "Eenheid 1"), e2 = units.Add(0, "Eenheid 2"), e3 = units.Add(0, "Eenheid 3");
  Dimension cats("Totaal");
  const int c1 = cats.Add(0, "Verbaal"), c2 = cats.Add(0, "Fysiek");
  Dimension months("2026");
  const int m1 = months.Add(0, "jan"), m2 = months.Add(0, "feb");
  Table by_category(units, cats), by_month(units, months);
  const std::int64_t cat_counts[3][2] = {{3, 1}, {10, 10}, {30, 30}};
  const std::int64_t month_counts[3][2] = {{4, 0}, {0, 20}, {30, 30}};
  const int rows[3] = {e1, e2, e3};
  for (int k = 0; k < 3; ++k) {
    ASSERT_TRUE(by_category.Set(rows[k], c1, cat_counts[k][0]).ok());
    ASSERT_TRUE(by_category.Set(rows[k], c2, cat_counts[k][1]).ok());
    ASSERT_TRUE(by_month.Set(rows[k], m1, month_counts[k][0]).ok());
    ASSERT_TRUE(by_month.Set(rows[k], m2, month_counts[k][1]).ok());
  }
  const std::vector<Table> both = {by_category, by_month};

  // One by one: each safe alone, together not.
  const PublishedTable alone1 = ProtectAsIs(by_category), alone2 = ProtectAsIs(by_month);
  EXPECT_TRUE(Safe(by_category, alone1));
  EXPECT_TRUE(Safe(by_month, alone2));
  const Attacker combined({SheetOf(alone1), SheetOf(alone2)}, /*shared_row_totals=*/true);
  const Interval leaked = combined.BoundOf(0, e1, 0);
  EXPECT_EQ(leaked.lo, 4) << alone1.DebugString() << alone2.DebugString();
  EXPECT_EQ(leaked.hi, 4);

  // Together: safe against the combined attacker, also the exact one.
  const auto together = ProtectTogether(both, Policy{}, /*fallback=*/false);
  ASSERT_TRUE(together.ok());
  EXPECT_TRUE(Safe(both, *together, 5, /*exact=*/true)) << (*together)[0].DebugString() << (*together)[1].DebugString();
  for (int r = 0; r < units.size(); ++r)
    EXPECT_EQ((*together)[0].cell(r, 0), (*together)[1].cell(r, 0)) << units.label(r);
  (void)e3;
}

TEST(StatsProtect, ProtectTogetherRefusesTablesThatDoNotShareTheirRowTotals) {
  const Table a = Grid({{5, 6}, {7, 8}});
  const Table b = Grid({{5, 6}, {7, 9}});
  EXPECT_FALSE(ProtectTogether({a, b}).ok());
  Table c(Dimension("Anders"), Dimension("Totaal"));
  EXPECT_FALSE(ProtectTogether({a, c}).ok());
}

// ---------------------------------------------------------------------------
// Properties

TEST(StatsProtect, ZerosArePublished) {
  const Table t = Grid({{0, 3, 0, 12}, {0, 0, 0, 0}, {7, 9, 0, 6}});
  const PublishedTable p = ProtectAsIs(t);
  for (int r = 0; r < t.rows().size(); ++r)
    for (int c = 0; c < t.cols().size(); ++c) {
      if (t.Value(r, c) == 0) {
        EXPECT_EQ(p.cell(r, c).value(), 0) << r << "," << c;
      }
    }
  EXPECT_TRUE(p.cell(1, 2).suppressed());
  EXPECT_TRUE(Safe(t, p, 5, /*exact=*/true)) << p.DebugString();
}

TEST(StatsProtect, ASuppressedCellHoldsNoValue) {
  const PublishedTable p = ProtectAsIs(List({3, 12, 20}));
  const PublishedCell hidden = p.cell(1, 0);
  EXPECT_FALSE(hidden.value().has_value());
  EXPECT_EQ(hidden.Text(), "x");
  EXPECT_EQ(hidden, PublishedCell::Suppressed());  // nothing distinguishes it from any other
  EXPECT_EQ(p.DebugString().find('3'), p.DebugString().find("35"));
  static_assert(sizeof(PublishedCell) == sizeof(std::optional<std::int64_t>));
}

// Over many random tables (fixed seed): organisation trees of one to three
// units, districts and teams (single children included), columns flat,
// grouped, the calendar year or a single total, counts mixing zeros, small
// and large. Every published cell is the truth and 0 or >= 5; no zero is
// suppressed; the attacker never bounds a sensitive cell below 5 or
// exactly; the same for pairs protected together.
TEST(StatsProtect, NothingBelowTheThresholdIsEverPublished) {
  RandomTables gen(20260501);
  int sensitive_seen = 0;
  for (int round = 0; round < 250; ++round) {
    const std::int64_t threshold = round % 5 == 4 ? 10 : 5;
    Policy policy;
    policy.threshold = threshold;
    const Table t = gen.Fill(gen.Org(), gen.Columns());
    const PublishedTable p = ProtectAsIs(t, policy);
    ASSERT_TRUE(Safe(t, p, threshold)) << "round " << round;
    for (int r = 0; r < t.rows().size(); ++r)
      for (int c = 0; c < t.cols().size(); ++c)
        sensitive_seen += t.Value(r, c) > 0 && t.Value(r, c) < threshold;

    // Two tables over the same units with the same unit totals.
    if (round % 2 == 0) {
      const Table second = gen.SameRowTotals(t, gen.Columns());
      const auto together = ProtectTogether({t, second}, policy, /*fallback=*/false);
      ASSERT_TRUE(together.ok());
      ASSERT_TRUE(Safe({t, second}, *together, threshold)) << "round " << round << " (together)";
    }
    // And with the fallback, whatever level it ends at.
    Policy with_fallback = policy;
    with_fallback.district_depth = 2;
    ASSERT_TRUE(Safe(t, Protect(t, with_fallback), threshold)) << "round " << round << " (fallback)";
  }
  EXPECT_GT(sensitive_seen, 1000);  // the property was put to work
}

// Tiny random tables against the exact attacker (a search over every
// consistent table): flat ones, two-level ones, and pairs protected together.
TEST(StatsProtect, TheExactAttackerFindsNoSmallCellInTinyTables) {
  RandomTables gen(5);
  auto count = [&] { return static_cast<std::int64_t>(gen.Uniform(0, 3) == 0 ? gen.Uniform(0, 4) : gen.Uniform(0, 12)); };
  auto flat = [&](const char* prefix, int lo, int hi) {
    Dimension d("Totaal");
    const int n = gen.Uniform(lo, hi);
    for (int k = 0; k < n; ++k) d.Add(0, Cat(prefix, k));
    return d;
  };
  auto two_level = [&](const char* prefix) {
    Dimension d("Totaal");
    for (int g = 0; g < 2; ++g) {
      const int gn = d.Add(0, Cat(prefix, g));
      const int n = gen.Uniform(1, 2);
      for (int k = 0; k < n; ++k) d.Add(gn, Cat(prefix, g, ".", k));
    }
    return d;
  };
  auto fill = [&](Dimension rows, Dimension cols) {
    Table t(std::move(rows), std::move(cols));
    for (int r : t.rows().Leaves())
      for (int c : t.cols().Leaves()) EXPECT_TRUE(t.Set(r, c, count()).ok());
    return t;
  };
  int sensitive = 0;
  for (int round = 0; round < 90; ++round) {
    switch (round % 3) {
      case 0: {
        const Table t = fill(flat("r", 1, 3), flat("c", 1, 3));
        ASSERT_TRUE(Safe(t, ProtectAsIs(t), 5, /*exact=*/true)) << "round " << round;
        for (int r = 0; r < t.rows().size(); ++r)
          for (int c = 0; c < t.cols().size(); ++c) sensitive += t.Value(r, c) > 0 && t.Value(r, c) < 5;
        break;
      }
      case 1: {
        const Table t = fill(two_level("r"), gen.Uniform(0, 1) ? two_level("c") : flat("c", 1, 2));
        ASSERT_TRUE(Safe(t, ProtectAsIs(t), 5, /*exact=*/true)) << "round " << round;
        break;
      }
      default: {
        const Table first = fill(flat("r", 2, 3), flat("c", 2, 2));
        const Table second = gen.SameRowTotals(first, flat("m", 2, 2));
        const auto together = ProtectTogether({first, second}, Policy{}, /*fallback=*/false);
        ASSERT_TRUE(together.ok());
        ASSERT_TRUE(Safe({first, second}, *together, 5, /*exact=*/true)) << "round " << round;
      }
    }
  }
  EXPECT_GT(sensitive, 30);
}

TEST(StatsProtect, ProtectionIsDeterministic) {
  RandomTables gen(99);
  for (int round = 0; round < 20; ++round) {
    const Table t = gen.Fill(gen.Org(), CalendarYear(2026));
    // The same counts entered in the opposite order.
    Table reversed(t.rows(), t.cols());
    const std::vector<int> rl = t.rows().Leaves(), cl = t.cols().Leaves();
    for (auto r = rl.rbegin(); r != rl.rend(); ++r)
      for (auto c = cl.rbegin(); c != cl.rend(); ++c) ASSERT_TRUE(reversed.Set(*r, *c, t.Value(*r, *c)).ok());
    const std::string once = ProtectAsIs(t).DebugString();
    EXPECT_EQ(ProtectAsIs(t).DebugString(), once);
    EXPECT_EQ(ProtectAsIs(reversed).DebugString(), once);
    Policy p;
    p.district_depth = 2;
    EXPECT_EQ(Protect(t, p).DebugString(), Protect(reversed, p).DebugString());
  }
}

}  // namespace
}  // namespace waarborg::stats
