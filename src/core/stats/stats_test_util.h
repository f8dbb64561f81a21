// Helpers of the anonymity tests (issue 5 §3): building tables, random
// tables with a fixed seed, and the safety check every test ends with.
// Test code only.
#pragma once

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/common/strings.h"
#include "core/stats/attacker_for_tests.h"
#include "core/stats/protect.h"
#include "core/stats/table.h"

namespace waarborg::stats::testing {

// The true counts of a published table's cells: the asked table's leaves
// summed into the published rows and columns they fall in.
inline Table TruthOf(const PublishedTable& pub, const Table& asked) {
  Table t(pub.rows(), pub.cols());
  for (int r : asked.rows().Leaves())
    for (int c : asked.cols().Leaves()) (void)t.Add(pub.row_of(r), pub.col_of(c), asked.Value(r, c));
  return t;
}

// Asserts the guarantee of protect.h on tables published together:
//  - a published cell equals the truth and is 0 or >= threshold;
//  - a suppressed cell is never 0 (zeros are published);
//  - for every sensitive cell (0 < n < threshold) the attacker's interval
//    contains the truth, reaches the threshold and is not a single value;
//    with `exact`, some table consistent with what is published has the
//    cell at the threshold (so it is not determined either).
inline ::testing::AssertionResult Safe(const std::vector<Table>& asked, const std::vector<PublishedTable>& pub,
                                       std::int64_t threshold = 5, bool exact = false) {
  std::vector<Sheet> sheets;
  std::vector<std::vector<std::int64_t>> truth;
  for (size_t t = 0; t < pub.size(); ++t) {
    sheets.push_back(SheetOf(pub[t]));
    truth.push_back(TruthOf(pub[t], asked[t]).AllValues());
  }
  const Attacker attacker(sheets, /*shared_row_totals=*/pub.size() > 1);
  const std::vector<Interval> ibp = attacker.Bounds();
  std::string all;
  for (const PublishedTable& p : pub) all += p.DebugString() + "--\n";
  for (size_t t = 0; t < pub.size(); ++t) {
    const PublishedTable& p = pub[t];
    for (int r = 0; r < p.rows().size(); ++r)
      for (int c = 0; c < p.cols().size(); ++c) {
        const std::int64_t x = truth[t][static_cast<size_t>(r) * p.cols().size() + c];
        const PublishedCell cell = p.cell(r, c);
        const std::string where = Cat("table ", t, " (", p.rows().label(r), ", ", p.cols().label(c), ") = ", x);
        if (!cell.suppressed()) {
          if (*cell.value() != x) return ::testing::AssertionFailure() << where << " published as " << *cell.value();
          if (x != 0 && x < threshold) return ::testing::AssertionFailure() << where << " published below the threshold";
          continue;
        }
        if (x == 0) return ::testing::AssertionFailure() << where << ": a zero was suppressed";
        const Interval b = ibp[attacker.Var(t, r, c)];
        if (b.lo > x || b.hi < x)
          return ::testing::AssertionFailure() << where << ": the attacker's interval [" << b.lo << ", " << b.hi
                                               << "] misses the truth (attacker bug)";
        if (x >= threshold) continue;
        if (b.hi < threshold || b.lo == b.hi)
          return ::testing::AssertionFailure() << where << ": attacker bounds it to [" << b.lo << ", " << b.hi << "]\n"
                                               << all;
        if (exact) {
          const std::optional<bool> reach = attacker.CanReach(attacker.Var(t, r, c), threshold);
          if (!reach) return ::testing::AssertionFailure() << "table too large for the exact attacker";
          if (!*reach)
            return ::testing::AssertionFailure() << where << ": the exact attacker bounds it below " << threshold
                                                 << "\n" << all;
        }
      }
  }
  return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult Safe(const Table& asked, const PublishedTable& pub, std::int64_t threshold = 5,
                                       bool exact = false) {
  return Safe(std::vector<Table>{asked}, std::vector<PublishedTable>{pub}, threshold, exact);
}

// Random organisation trees and column trees, and counts that mix zeros,
// small and large numbers, all from one seeded generator.
class RandomTables {
 public:
  explicit RandomTables(unsigned seed) : rng_(seed) {}

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  Dimension Org(int max_units = 3, int max_districts = 3, int max_teams = 3) {
    Dimension d("Korps");
    d.SetLevelNames({"korps", "eenheid", "district", "team"});
    const int units = Uniform(1, max_units);
    for (int u = 0; u < units; ++u) {
      const int un = d.Add(0, Cat("E", u));
      const int districts = Uniform(1, max_districts);
      for (int k = 0; k < districts; ++k) {
        const int dn = d.Add(un, Cat("E", u, "D", k));
        const int teams = Uniform(1, max_teams);
        for (int m = 0; m < teams; ++m) d.Add(dn, Cat("E", u, "D", k, "T", m));
      }
    }
    return d;
  }

  Dimension Columns() {
    switch (Uniform(0, 3)) {
      case 0:
        return Dimension("Totaal");
      case 1: {
        Dimension d("Totaal");
        const int n = Uniform(2, 4);
        for (int k = 0; k < n; ++k) d.Add(0, Cat("cat", k));
        return d;
      }
      case 2: {
        Dimension d("Totaal");
        const int groups = Uniform(1, 3);
        for (int g = 0; g < groups; ++g) {
          const int gn = d.Add(0, Cat("groep", g));
          const int n = Uniform(1, 3);
          for (int k = 0; k < n; ++k) d.Add(gn, Cat("g", g, "s", k));
        }
        return d;
      }
      default:
        return CalendarYear(2026);
    }
  }

  std::int64_t Count() {
    const int k = Uniform(0, 9);
    if (k < 4) return 0;
    if (k < 7) return Uniform(1, 4);
    return Uniform(5, 25);
  }

  Table Fill(Dimension rows, Dimension cols) {
    Table t(std::move(rows), std::move(cols));
    for (int r : t.rows().Leaves())
      for (int c : t.cols().Leaves()) (void)t.Set(r, c, Count());
    return t;
  }

  // A second table over the same rows with the same row totals: each leaf
  // row's total spread at random over `cols`' leaves.
  Table SameRowTotals(const Table& first, Dimension cols) {
    Table t(first.rows(), std::move(cols));
    const std::vector<int> leaves = t.cols().Leaves();
    for (int r : t.rows().Leaves()) {
      const std::int64_t total = first.Value(r, 0);
      for (std::int64_t k = 0; k < total; ++k)
        (void)t.Add(r, leaves[Uniform(0, static_cast<int>(leaves.size()) - 1)], 1);
    }
    return t;
  }

 private:
  std::mt19937 rng_;
};

}  // namespace waarborg::stats::testing
