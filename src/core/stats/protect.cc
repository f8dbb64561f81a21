// Cell suppression with witnesses (see protect.h for the guarantee and the
// rules for callers). The engine works on one or more tables that share
// their row tree and row totals; a single table is the case of one.
#include "core/stats/protect.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <utility>

#include "core/common/strings.h"

namespace waarborg::stats {
namespace {

constexpr std::int64_t kInf = std::numeric_limits<std::int64_t>::max() / 4;

std::int64_t AddCost(std::int64_t a, std::int64_t b) { return std::min(kInf, a + b); }

// A dimension prepared for the search: ancestor chains and, per node, the
// range of its leaves in depth-first order.
struct DimIndex {
  int n = 0;
  std::vector<int> depth;
  std::vector<char> leaf;
  std::vector<int> leaves;            // leaf nodes in pre-order
  std::vector<int> lo, hi;            // a node's leaves are leaves[lo, hi)
  std::vector<std::vector<int>> anc;  // node, parent, ..., root
  std::vector<int> pre_pos;           // position in pre-order

  explicit DimIndex(const Dimension& d) : n(d.size()), depth(n), leaf(n), lo(n), hi(n), anc(n), pre_pos(n) {
    const std::vector<int> pre = d.PreOrder();
    for (int k = 0; k < n; ++k) pre_pos[pre[k]] = k;
    for (int x = 0; x < n; ++x) {
      depth[x] = d.depth(x);
      leaf[x] = d.is_leaf(x);
      for (int y = x; y >= 0; y = d.parent(y)) anc[x].push_back(y);
    }
    // Pre-order visits a subtree contiguously: lo at entry, hi after its last leaf.
    for (int x : pre) {
      lo[x] = static_cast<int>(leaves.size());
      if (leaf[x]) leaves.push_back(x);
    }
    for (int x = 0; x < n; ++x) hi[x] = lo[x];
    for (int l : leaves)
      for (int y : anc[l]) hi[y] = std::max(hi[y], lo[l] + 1);
  }
};

struct Grid {
  DimIndex C;
  int nc;
  std::vector<std::int64_t> v;
  std::vector<char> sup;

  explicit Grid(const Table& t) : C(t.cols()), nc(t.cols().size()), v(t.AllValues()), sup(v.size(), 0) {}
  std::int64_t V(int r, int c) const { return v[static_cast<size_t>(r) * nc + c]; }
  bool S(int r, int c) const { return sup[static_cast<size_t>(r) * nc + c]; }
};

// The best witness found so far for one target.
struct Choice {
  std::int64_t cost = kInf;
  int a = -1, c = -1;  // the leaf cell that is raised
  int L = 0, M = 0;    // index of the common ancestor in a's / c's chain; chain length = no partner
  int b = -1, d = -1;  // partner leaf row / column, -1 for none
  std::vector<int> other_c;  // linked tables: the column leaf that carries the row move, per table
};

class Engine {
 public:
  Engine(const DimIndex& R, std::vector<Grid>& grids, std::int64_t threshold)
      : R_(R), g_(grids), T_(threshold) {}

  void Run() {
    struct Target {
      int t, r, c;
    };
    std::vector<Target> targets;
    for (int t = 0; t < static_cast<int>(g_.size()); ++t) {
      Grid& g = g_[t];
      for (int r = 0; r < R_.n; ++r)
        for (int c = 0; c < g.nc; ++c) {
          const std::int64_t n = g.V(r, c);
          if (n <= 0 || n >= T_) continue;
          g.sup[static_cast<size_t>(r) * g.nc + c] = 1;  // primary
          // A shared row total is one cell in all tables: its witness is
          // found once, from the first table.
          if (t > 0 && c == 0) continue;
          targets.push_back({t, r, c});
        }
    }
    // Higher aggregates first, then smaller counts, then position.
    std::sort(targets.begin(), targets.end(), [&](const Target& x, const Target& y) {
      const int dx = R_.depth[x.r] + g_[x.t].C.depth[x.c], dy = R_.depth[y.r] + g_[y.t].C.depth[y.c];
      if (dx != dy) return dx < dy;
      const std::int64_t vx = g_[x.t].V(x.r, x.c), vy = g_[y.t].V(y.r, y.c);
      if (vx != vy) return vx < vy;
      if (x.t != y.t) return x.t < y.t;
      if (x.r != y.r) return R_.pre_pos[x.r] < R_.pre_pos[y.r];
      return g_[x.t].C.pre_pos[x.c] < g_[y.t].C.pre_pos[y.c];
    });
    for (const Target& x : targets) Protect(x.t, x.r, x.c);
  }

 private:
  std::int64_t Cost(int t, int r, int c) const {
    const Grid& g = g_[t];
    if (g.S(r, c)) return 0;
    const int margins = (R_.leaf[r] ? 0 : 1) + (g.C.leaf[c] ? 0 : 1);
    return (g.V(r, c) + 1) * (1 + margins);
  }

  void Suppress(int t, int r, int c) {
    Grid& g = g_[t];
    g.sup[static_cast<size_t>(r) * g.nc + c] = 1;
    if (c == 0)
      for (Grid& o : g_) o.sup[static_cast<size_t>(r) * o.nc] = 1;
  }

  // Rows a..A[L-1] (and b's rows below the common ancestor) moved along
  // one column leaf of every other table: the cheapest leaf per table that
  // can carry the move. kInf when some table has none.
  std::int64_t Others(int t, const std::vector<int>& rows, int a, int b, std::int64_t delta,
                      std::vector<int>* chosen) const {
    if (g_.size() == 1) return 0;
    if (chosen) chosen->assign(g_.size(), -1);
    std::int64_t total = 0;
    for (int o = 0; o < static_cast<int>(g_.size()); ++o) {
      if (o == t) continue;
      const Grid& g = g_[o];
      std::int64_t best = kInf;
      int best_c = -1;
      for (int c : g.C.leaves) {
        if (g.V(a, c) < 1 || (b >= 0 && g.V(b, c) < delta + 1)) continue;
        std::int64_t cost = 0;
        for (int r : rows)
          for (int y : g.C.anc[c]) cost = AddCost(cost, Cost(o, r, y));
        if (cost < best) best = cost, best_c = c;
      }
      if (best_c < 0) return kInf;
      total = AddCost(total, best);
      if (chosen) (*chosen)[o] = best_c;
    }
    return total;
  }

  // Leaves under `top` but not under `below`, in pre-order.
  template <typename F>
  static void ForLeavesBetween(const DimIndex& d, int top, int below, F f) {
    for (int k = d.lo[top]; k < d.lo[below]; ++k) f(d.leaves[k]);
    for (int k = d.hi[below]; k < d.hi[top]; ++k) f(d.leaves[k]);
  }

  // The nodes from `leaf` up to, not including, its ancestor `top`.
  static std::vector<int> PathBelow(const DimIndex& d, int leaf, int top) {
    const auto& chain = d.anc[leaf];
    return {chain.begin(), chain.begin() + (d.depth[leaf] - d.depth[top])};
  }

  void SearchFrom(int t, int a, int c, int p, int q, std::int64_t delta, Choice& best) const {
    const Grid& g = g_[t];
    const auto& A = R_.anc[a];
    const auto& Cc = g.C.anc[c];
    const int nl = static_cast<int>(A.size()), nm = static_cast<int>(Cc.size());
    // W[x][y]: cost of (A[x], Cc[y]); P: its 2-D prefix sums, so that the
    // cells always moved, A[0..L) × Cc[0..M), cost P[L][M].
    std::vector<std::int64_t> P((nl + 1) * (nm + 1), 0);
    for (int x = 0; x < nl; ++x)
      for (int y = 0; y < nm; ++y)
        P[(x + 1) * (nm + 1) + y + 1] = P[x * (nm + 1) + y + 1] + P[(x + 1) * (nm + 1) + y] -
                                        P[x * (nm + 1) + y] + Cost(t, A[x], Cc[y]);
    struct Group {
      std::int64_t lb;
      int L, M;
    };
    std::vector<Group> groups;
    // L in p+1..nl-1: partner row under A[L]; L == nl: no partner (to the root).
    for (int L = p + 1; L <= nl; ++L)
      for (int M = q + 1; M <= nm; ++M) groups.push_back({P[L * (nm + 1) + M], L, M});
    std::stable_sort(groups.begin(), groups.end(), [](const Group& x, const Group& y) { return x.lb < y.lb; });

    for (const Group& gr : groups) {
      if (gr.lb >= best.cost) break;
      const int L = gr.L, M = gr.M;
      const bool row_pair = L < nl, col_pair = M < nm;
      const std::vector<int> pa(A.begin(), A.begin() + L);
      const std::vector<int> pc(Cc.begin(), Cc.begin() + M);
      auto consider = [&](std::int64_t cost, int b, int d, std::vector<int> other_c) {
        if (cost >= best.cost) return;
        best.cost = cost;
        best.a = a, best.c = c, best.L = L, best.M = M, best.b = b, best.d = d;
        best.other_c = std::move(other_c);
      };

      // Partner columns d with their own cost (rows pa × d's path).
      struct Part {
        std::int64_t cost;
        int leaf;
        std::vector<int> path;
      };
      std::vector<Part> ds;
      if (col_pair) {
        ForLeavesBetween(g.C, Cc[M], Cc[M - 1], [&](int d) {
          if (g.V(a, d) < delta + 1) return;
          Part part{0, d, PathBelow(g.C, d, Cc[M])};
          for (int r : pa)
            for (int y : part.path) part.cost = AddCost(part.cost, Cost(t, r, y));
          ds.push_back(std::move(part));
        });
        std::stable_sort(ds.begin(), ds.end(), [](const Part& x, const Part& y) { return x.cost < y.cost; });
        if (ds.empty()) continue;
      }
      std::vector<Part> bs;
      if (row_pair) {
        ForLeavesBetween(R_, A[L], A[L - 1], [&](int b) {
          if (g.V(b, c) < delta + 1) return;
          Part part{0, b, PathBelow(R_, b, A[L])};
          for (int x : part.path)
            for (int y : pc) part.cost = AddCost(part.cost, Cost(t, x, y));
          bs.push_back(std::move(part));
        });
        std::stable_sort(bs.begin(), bs.end(), [](const Part& x, const Part& y) { return x.cost < y.cost; });
        if (bs.empty()) continue;
      }

      if (!row_pair && !col_pair) {
        std::vector<int> oc;
        const std::int64_t extra = Others(t, pa, a, -1, delta, &oc);
        consider(AddCost(gr.lb, extra), -1, -1, std::move(oc));
      } else if (!row_pair) {
        consider(AddCost(gr.lb, ds.front().cost), -1, ds.front().leaf, {});
      } else if (!col_pair) {
        for (const Part& b : bs) {
          const std::int64_t base = AddCost(gr.lb, b.cost);
          if (base >= best.cost) break;
          std::vector<int> rows = pa;
          rows.insert(rows.end(), b.path.begin(), b.path.end());
          std::vector<int> oc;
          const std::int64_t extra = Others(t, rows, a, b.leaf, delta, &oc);
          consider(AddCost(base, extra), b.leaf, -1, std::move(oc));
        }
      } else {
        for (const Part& b : bs) {
          if (AddCost(AddCost(gr.lb, b.cost), ds.front().cost) >= best.cost) break;
          for (const Part& d : ds) {
            std::int64_t cost = AddCost(AddCost(gr.lb, b.cost), d.cost);
            if (cost >= best.cost) break;
            if (g.V(b.leaf, d.leaf) < 1) continue;
            for (int x : b.path)
              for (int y : d.path) cost = AddCost(cost, Cost(t, x, y));
            consider(cost, b.leaf, d.leaf, {});
          }
        }
      }
    }
  }

  void Protect(int t, int i, int j) {
    const Grid& g = g_[t];
    const std::int64_t delta = T_ - g.V(i, j);
    Choice best;
    for (int ka = R_.lo[i]; ka < R_.hi[i]; ++ka)
      for (int kc = g.C.lo[j]; kc < g.C.hi[j]; ++kc) {
        const int a = R_.leaves[ka], c = g.C.leaves[kc];
        if (g.V(a, c) < 1) continue;
        SearchFrom(t, a, c, R_.depth[a] - R_.depth[i], g.C.depth[c] - g.C.depth[j], delta, best);
      }
    // Never happens: with no partner in either dimension the move runs to
    // the grand total and always fits. Kept as a guard: suppress everything.
    if (best.a < 0) {
      for (Grid& o : g_) std::fill(o.sup.begin(), o.sup.end(), 1);
      return;
    }
    const auto& A = R_.anc[best.a];
    const auto& Cc = g.C.anc[best.c];
    std::vector<int> rows(A.begin(), A.begin() + best.L);
    if (best.b >= 0) {
      const std::vector<int> pb = PathBelow(R_, best.b, A[best.L]);
      rows.insert(rows.end(), pb.begin(), pb.end());
    }
    std::vector<int> cols(Cc.begin(), Cc.begin() + best.M);
    if (best.d >= 0) {
      const std::vector<int> pd = PathBelow(g.C, best.d, Cc[best.M]);
      cols.insert(cols.end(), pd.begin(), pd.end());
    }
    for (int r : rows)
      for (int c : cols) Suppress(t, r, c);
    for (int o = 0; o < static_cast<int>(best.other_c.size()); ++o) {
      if (o == t || best.other_c[o] < 0) continue;
      for (int r : rows)
        for (int y : g_[o].C.anc[best.other_c[o]]) Suppress(o, r, y);
    }
  }

  const DimIndex& R_;
  std::vector<Grid>& g_;
  const std::int64_t T_;
};

std::int64_t Threshold(const Policy& p) { return std::max<std::int64_t>(2, p.threshold); }

// Runs the suppression on tables that share their rows; returns the grids
// (values and suppression masks).
std::vector<Grid> Suppress(const std::vector<Table>& tables, std::int64_t threshold) {
  DimIndex R(tables.front().rows());
  std::vector<Grid> grids;
  grids.reserve(tables.size());
  for (const Table& t : tables) grids.emplace_back(t);
  Engine(R, grids, threshold).Run();
  return grids;
}

struct Share {
  int nonzero = 0, suppressed = 0;
};

// Non-zero leaf × leaf cells, and how many of them are suppressed (or, with
// `sensitive_only`, sensitive: a lower bound taken before the search).
Share LeafShare(const Table& table, const Grid& g, std::int64_t threshold, bool sensitive_only) {
  Share s;
  for (int r : table.rows().Leaves())
    for (int c : table.cols().Leaves()) {
      const std::int64_t n = g.V(r, c);
      if (n == 0) continue;
      ++s.nonzero;
      if (sensitive_only ? n < threshold : g.S(r, c)) ++s.suppressed;
    }
  return s;
}

bool ShareTooHigh(const Share& s, const Policy& p) {
  return s.nonzero > 0 && static_cast<double>(s.suppressed) > p.max_suppressed_share * s.nonzero;
}

bool Acceptable(const Table& table, const Grid& g, const Policy& p) {
  if (ShareTooHigh(LeafShare(table, g, Threshold(p), false), p)) return false;
  if (p.require_grand_total && g.S(0, 0)) return false;
  if (p.require_column_totals)
    for (int c = 0; c < g.nc; ++c)
      if (g.S(0, c)) return false;
  return true;
}

// Whether the sensitive cells alone already make a level unacceptable, so
// the search can be skipped.
bool HopelessBeforeSearch(const Table& table, const Policy& p) {
  Grid g(table);
  const std::int64_t threshold = Threshold(p);
  if (p.require_grand_total && g.V(0, 0) > 0 && g.V(0, 0) < threshold) return true;
  if (p.require_column_totals)
    for (int c = 0; c < g.nc; ++c)
      if (g.V(0, c) > 0 && g.V(0, c) < threshold) return true;
  return ShareTooHigh(LeafShare(table, g, threshold, true), p);
}

std::string OrDefault(const std::string& s, std::string_view fallback) { return s.empty() ? std::string(fallback) : s; }

}  // namespace

std::string PublishedCell::Text() const { return value_ ? Cat(*value_) : std::string(kSuppressedText); }

int PublishedTable::suppressed_count() const {
  return static_cast<int>(std::count_if(cells_.begin(), cells_.end(), [](const PublishedCell& c) { return c.suppressed(); }));
}

std::string PublishedTable::DebugString() const {
  std::string out;
  for (int r : rows_.PreOrder()) {
    out += std::string(2 * rows_.depth(r), ' ') + rows_.label(r) + ":";
    for (int c : cols_.PreOrder()) out += " " + cell(r, c).Text();
    out += "\n";
  }
  if (!note_.empty()) out += note_ + "\n";
  return out;
}

// Builds PublishedTables; the only code that sees values and masks together.
class Protector {
 public:
  // One level of detail for the asked tables.
  struct Level {
    Detail detail;
    std::vector<Table> tables;
    std::vector<int> row_map;   // asked row -> row of this level
    std::vector<bool> row_merged;
    bool cols_collapsed = false;
  };

  static std::vector<PublishedTable> Publish(const Level& level, const std::vector<Grid>& grids,
                                             const std::vector<Table>& asked, std::string note) {
    std::vector<PublishedTable> out;
    for (size_t t = 0; t < level.tables.size(); ++t) {
      const Table& table = level.tables[t];
      const Grid& g = grids[t];
      PublishedTable p;
      p.rows_ = table.rows();
      p.cols_ = table.cols();
      p.cells_.reserve(g.v.size());
      for (size_t k = 0; k < g.v.size(); ++k)
        p.cells_.push_back(g.sup[k] ? PublishedCell::Suppressed() : PublishedCell::Count(g.v[k]));
      p.detail_ = level.detail;
      p.note_ = note;
      p.row_merged_ = level.row_merged.empty() ? std::vector<bool>(p.rows_.size(), false) : level.row_merged;
      p.col_merged_.assign(p.cols_.size(), false);
      if (level.cols_collapsed && asked[t].cols().size() > 1) p.col_merged_[0] = true;
      p.row_of_ = level.row_map;
      if (p.row_of_.empty()) {
        p.row_of_.resize(asked[t].rows().size());
        std::iota(p.row_of_.begin(), p.row_of_.end(), 0);
      }
      p.col_of_.resize(asked[t].cols().size());
      if (!level.cols_collapsed) std::iota(p.col_of_.begin(), p.col_of_.end(), 0);
      out.push_back(std::move(p));
    }
    return out;
  }

  static std::vector<PublishedTable> Run(const std::vector<Table>& asked, const Policy& policy, bool fallback) {
    const std::int64_t threshold = Threshold(policy);
    const Dimension& rows = asked.front().rows();
    if (!fallback) {
      Level level{Detail::kAsAsked, asked, {}, {}, false};
      return Publish(level, Suppress(asked, threshold), asked, "");
    }

    std::vector<Level> levels;
    levels.push_back({Detail::kAsAsked, asked, {}, {}, false});
    int total_depth = rows.max_depth();  // depth of the rows the row totals are given for
    if (policy.district_depth >= 0 && rows.max_depth() > policy.district_depth) {
      Level merged{Detail::kRowsMerged, {}, {}, {}, false};
      for (const Table& t : asked) merged.tables.push_back(t.CutRowsAt(policy.district_depth, &merged.row_map,
                                                                        &merged.row_merged));
      levels.push_back(std::move(merged));
      total_depth = policy.district_depth;
    }
    {
      const Level& finest = levels.back();
      const bool cols_are_root = finest.tables.front().cols().size() == 1;
      if (!cols_are_root) {
        // The row totals are the same in every table (checked): one list.
        Level totals{Detail::kRowTotalsOnly, {}, finest.row_map, finest.row_merged, true};
        for (size_t t = 0; t < asked.size(); ++t) totals.tables.push_back(finest.tables.front().RowTotals());
        levels.push_back(std::move(totals));
      }
    }

    const std::string& counted = policy.counted;
    for (const Level& level : levels) {
      bool hopeless = false;
      for (const Table& t : level.tables) hopeless = hopeless || HopelessBeforeSearch(t, policy);
      if (hopeless) continue;
      std::vector<Grid> grids = level.detail == Detail::kRowTotalsOnly
                                    ? Suppress({level.tables.front()}, threshold)
                                    : Suppress(level.tables, threshold);
      if (grids.size() < level.tables.size()) grids.resize(level.tables.size(), grids.front());
      bool ok = true;
      for (size_t t = 0; t < level.tables.size(); ++t) ok = ok && Acceptable(level.tables[t], grids[t], policy);
      if (!ok) continue;
      std::string note;
      if (level.detail == Detail::kRowsMerged) {
        const std::string& fine = rows.LevelName(rows.max_depth());
        const std::string& coarse = rows.LevelName(policy.district_depth);
        note = fine.empty() || coarse.empty()
                   ? Cat("Te weinig ", counted, " om dit detail te tonen; aantallen samengevoegd per hoger niveau.")
                   : Cat("Te weinig ", counted, " om per ", fine, " te tonen; aantallen per ", coarse, ".");
      } else if (level.detail == Detail::kRowTotalsOnly) {
        note = Cat("Te weinig ", counted, " om verder uit te splitsen; alleen het aantal per ",
                   OrDefault(rows.LevelName(total_depth), "rij"), ".");
      }
      return Publish(level, grids, asked, note);
    }

    // The grand total alone, or nothing.
    const std::int64_t total = asked.front().Value(0, 0);
    const bool shown = total == 0 || total >= threshold;
    Level only{shown ? Detail::kTotalOnly : Detail::kNothing, {}, std::vector<int>(rows.size(), 0),
               std::vector<bool>{rows.size() > 1}, true};
    std::vector<Grid> grids;
    for (size_t t = 0; t < asked.size(); ++t) {
      Table one(Dimension(rows.label(0)), Dimension(asked[t].cols().label(0)));
      (void)one.Set(0, 0, total);
      grids.emplace_back(one);
      grids.back().sup[0] = shown ? 0 : 1;
      only.tables.push_back(std::move(one));
    }
    return Publish(only, grids, asked,
                   shown ? Cat("Te weinig ", counted, " om uit te splitsen; alleen het totaal.")
                         : Cat("Te weinig ", counted, " om cijfers te tonen zonder dat personen herkenbaar worden."));
  }
};

PublishedTable Protect(const Table& table, const Policy& policy) {
  return std::move(Protector::Run({table}, policy, true).front());
}

PublishedTable ProtectAsIs(const Table& table, const Policy& policy) {
  return std::move(Protector::Run({table}, policy, false).front());
}

absl::StatusOr<std::vector<PublishedTable>> ProtectTogether(const std::vector<Table>& tables, const Policy& policy,
                                                           bool fallback) {
  if (tables.empty()) return std::vector<PublishedTable>{};
  const Table& first = tables.front();
  for (size_t t = 1; t < tables.size(); ++t) {
    if (!(tables[t].rows() == first.rows()))
      return absl::InvalidArgumentError("samen te beschermen tabellen hebben niet dezelfde rijen");
    for (int r = 0; r < first.rows().size(); ++r)
      if (tables[t].Value(r, 0) != first.Value(r, 0))
        return absl::InvalidArgumentError(ToAbsl(Cat("het totaal van rij '", first.rows().label(r),
                                                     "' verschilt tussen de tabellen")));
  }
  return Protector::Run(tables, policy, fallback);
}

PublishedList ProtectList(const std::vector<Count>& counts, const Policy& policy) {
  Dimension rows("Totaal");
  for (const Count& c : counts) rows.Add(0, c.label);
  Table table(rows, Dimension("Totaal"));
  for (size_t k = 0; k < counts.size(); ++k) (void)table.Set(static_cast<int>(k) + 1, 0, std::max<std::int64_t>(0, counts[k].n));
  Policy p = policy;
  p.district_depth = -1;
  const PublishedTable pt = Protect(table, p);
  PublishedList out;
  out.total = pt.cell(0, 0);
  out.detail = pt.detail();
  out.note = pt.note();
  if (pt.detail() == Detail::kAsAsked)
    for (size_t k = 0; k < counts.size(); ++k) out.items.push_back({counts[k].label, pt.cell(static_cast<int>(k) + 1, 0)});
  return out;
}

}  // namespace waarborg::stats
