// The attacker of the anonymity tests (issue 5 §3). Test code only.
//
// It knows what a reader of the published tables knows: every published
// number, the hierarchy (each parent cell is the sum of its children, in
// both dimensions, at every level, margins and grand total included), that
// counts are non-negative integers, and that a suppressed cell is at least 1
// (zeros are published). Tables protected together share their row totals.
//
//  - Bounds(): interval bound propagation over all constraints to a fixed
//    point: for parent = sum of children, lo_i >= lo_parent - sum_{j!=i}
//    hi_j, hi_i <= hi_parent - sum_{j!=i} lo_j, and the parent between the
//    sums of the children's bounds. Sound (the truth is always inside), so
//    hi < threshold or lo == hi for a small cell is a successful attack.
//  - CanReach(): the exact attacker for tiny tables: searches for a table
//    consistent with everything it knows in which a cell reaches a value.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

#include "core/stats/protect.h"
#include "core/stats/table.h"

namespace waarborg::stats::testing {

inline constexpr std::int64_t kUnbounded = std::numeric_limits<std::int64_t>::max() / 8;

struct Interval {
  std::int64_t lo = 0, hi = kUnbounded;
};

// What the attacker has of one table: its trees and the published numbers.
struct Sheet {
  Dimension rows, cols;
  std::vector<std::optional<std::int64_t>> known;  // row-major, margins included
  std::optional<std::int64_t> at(int r, int c) const { return known[static_cast<size_t>(r) * cols.size() + c]; }
};

inline Sheet SheetOf(const PublishedTable& t) {
  Sheet s{t.rows(), t.cols(), {}};
  for (int r = 0; r < t.rows().size(); ++r)
    for (int c = 0; c < t.cols().size(); ++c) s.known.push_back(t.cell(r, c).value());
  return s;
}

// A hand-made publication: the table with the cells of `hidden` left out.
inline Sheet SheetHiding(const Table& t, const std::vector<std::pair<int, int>>& hidden) {
  Sheet s{t.rows(), t.cols(), {}};
  for (int r = 0; r < t.rows().size(); ++r)
    for (int c = 0; c < t.cols().size(); ++c) s.known.push_back(t.Value(r, c));
  for (auto [r, c] : hidden) s.known[static_cast<size_t>(r) * t.cols().size() + c].reset();
  return s;
}

class Attacker {
 public:
  // Sheets after the first share the first one's row totals (column root)
  // when `shared_row_totals`.
  explicit Attacker(std::vector<Sheet> sheets, bool shared_row_totals = false)
      : sheets_(std::move(sheets)), shared_(shared_row_totals) {
    int next = 0;
    for (size_t s = 0; s < sheets_.size(); ++s) {
      const Sheet& sh = sheets_[s];
      for (int r = 0; r < sh.rows.size(); ++r)
        for (int c = 0; c < sh.cols.size(); ++c) {
          if (shared_ && s > 0 && c == 0) {
            var_.push_back(Var(0, r, 0));
          } else {
            var_.push_back(next++);
          }
        }
    }
    nvars_ = next;
    for (size_t s = 0; s < sheets_.size(); ++s) {
      const Sheet& sh = sheets_[s];
      for (int r = 0; r < sh.rows.size(); ++r)
        for (int c = 0; c < sh.cols.size(); ++c) {
          if (!sh.rows.is_leaf(r)) {
            std::vector<int> kids;
            for (int k : sh.rows.children(r)) kids.push_back(Var(s, k, c));
            constraints_.push_back({Var(s, r, c), kids});
          }
          if (!sh.cols.is_leaf(c)) {
            std::vector<int> kids;
            for (int k : sh.cols.children(c)) kids.push_back(Var(s, r, k));
            constraints_.push_back({Var(s, r, c), kids});
          }
        }
    }
  }

  int Var(size_t s, int r, int c) const {
    const size_t idx = cellbase(s) + static_cast<size_t>(r) * sheets_[s].cols.size() + c;
    return idx < var_.size() ? var_[idx] : -1;
  }

  // Interval bounds per variable, to a fixed point (or `max_sweeps`).
  std::vector<Interval> Bounds(int max_sweeps = 20000) const {
    std::vector<Interval> b = Initial();
    Propagate(b, max_sweeps);
    return b;
  }

  Interval BoundOf(size_t s, int r, int c) const { return Bounds()[Var(s, r, c)]; }

  // The exact attacker, as a question: is there a table consistent with
  // everything the attacker knows in which variable `var` is >= `at_least`?
  // Depth-first over the unknown leaf cells, smallest values first, with the
  // bounds propagated after each choice; stops at the first such table.
  // nullopt when the search exceeds `budget` nodes (tiny tables only). An
  // unbounded cell is tried up to its lower bound + `cap`.
  std::optional<bool> CanReach(int var, std::int64_t at_least, std::int64_t budget = 2'000'000,
                               std::int64_t cap = 64) const {
    std::vector<int> leaves;
    std::vector<char> seen(nvars_, 0);
    for (size_t s = 0; s < sheets_.size(); ++s)
      for (int r : sheets_[s].rows.Leaves())
        for (int c : sheets_[s].cols.Leaves())
          if (const int v = Var(s, r, c); !seen[v]) seen[v] = 1, leaves.push_back(v);
    std::int64_t nodes = 0;
    std::function<int(std::vector<Interval>)> rec = [&](std::vector<Interval> b) -> int {  // 1 found, 0 none, -1 over
      if (++nodes > budget) return -1;
      if (!Propagate(b, 100000)) return 0;
      for (int v : leaves) {
        if (b[v].lo == b[v].hi) continue;
        const std::int64_t hi = std::min(b[v].hi, b[v].lo + cap);
        for (std::int64_t x = b[v].lo; x <= hi; ++x) {
          std::vector<Interval> next = b;
          next[v] = {x, x};
          if (const int found = rec(std::move(next)); found != 0) return found;
        }
        return 0;
      }
      return 1;  // every leaf fixed and no conflict: a consistent table
    };
    std::vector<Interval> start = Initial();
    start[var].lo = std::max(start[var].lo, at_least);
    const int found = rec(std::move(start));
    if (found < 0) return std::nullopt;
    return found == 1;
  }

 private:
  size_t cellbase(size_t s) const {
    size_t n = 0;
    for (size_t k = 0; k < s; ++k) n += static_cast<size_t>(sheets_[k].rows.size()) * sheets_[k].cols.size();
    return n;
  }

  // Published cells exact, suppressed ones at least 1.
  std::vector<Interval> Initial() const {
    std::vector<Interval> b(nvars_, Interval{1, kUnbounded});
    for (size_t s = 0; s < sheets_.size(); ++s) {
      const Sheet& sh = sheets_[s];
      for (int r = 0; r < sh.rows.size(); ++r)
        for (int c = 0; c < sh.cols.size(); ++c)
          if (auto v = sh.at(r, c)) b[Var(s, r, c)] = {*v, *v};
    }
    return b;
  }

  // Tightens `b` over every constraint until nothing changes; false when
  // some interval becomes empty (no table fits).
  bool Propagate(std::vector<Interval>& b, int max_sweeps) const {
    for (int sweep = 0; sweep < max_sweeps; ++sweep) {
      bool changed = false;
      for (const auto& [p, kids] : constraints_) {
        std::int64_t sum_lo = 0, sum_hi_finite = 0;
        int inf = 0;
        for (int k : kids) {
          sum_lo += b[k].lo;
          if (b[k].hi >= kUnbounded) ++inf; else sum_hi_finite += b[k].hi;
        }
        auto tighten = [&](Interval& x, std::int64_t lo, std::int64_t hi) {
          if (lo > x.lo) x.lo = lo, changed = true;
          if (hi < x.hi) x.hi = hi, changed = true;
        };
        tighten(b[p], sum_lo, inf ? kUnbounded : sum_hi_finite);
        for (int k : kids) {
          const bool k_inf = b[k].hi >= kUnbounded;
          const int others_inf = inf - (k_inf ? 1 : 0);
          const std::int64_t others_hi = others_inf ? kUnbounded : sum_hi_finite - (k_inf ? 0 : b[k].hi);
          const std::int64_t lo = others_hi >= kUnbounded ? 0 : b[p].lo - others_hi;
          const std::int64_t hi = b[p].hi >= kUnbounded ? kUnbounded : b[p].hi - (sum_lo - b[k].lo);
          tighten(b[k], lo, hi);
        }
        if (b[p].lo > b[p].hi) return false;
        for (int k : kids)
          if (b[k].lo > b[k].hi) return false;
      }
      if (!changed) break;
    }
    return true;
  }

  std::vector<Sheet> sheets_;
  bool shared_;
  std::vector<int> var_;
  int nvars_ = 0;
  std::vector<std::pair<int, std::vector<int>>> constraints_;
};

}  // namespace waarborg::stats::testing
