// Frequency tables over fixed hierarchies, the input of core/stats/protect.h
// (issue 5 §3, anonymity). A table has two dimensions, rows and columns; each
// is a tree of categories (rows: korps > eenheid > district > team; columns:
// jaar > kwartaal > maand, or a track > its states, or a single "Totaal").
// Counts are given for leaf × leaf cells only; every other cell (a team's
// year total, a district's month, the grand total) is the sum of its
// children and is derived, never given. That is what makes a "unit total"
// or a "period total" a margin of the same table instead of an independent
// figure that could be subtracted from it (see protect.h, "Rules for
// callers").
//
// Labels are the caller's (Dutch). No I/O; std, absl and fmt only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace waarborg::stats {

// One dimension: a tree whose root (node 0) is the total. Nodes are numbered
// in the order they are added; children keep that order. A dimension of the
// root alone is a single column (or row) "Totaal": a 1-D list is a table
// whose columns are just the root.
class Dimension {
 public:
  explicit Dimension(std::string root_label = "Totaal");

  // Adds a category under `parent` and returns its node number. A parent
  // that does not exist is a programming error: the node goes under the root.
  int Add(int parent, std::string label);

  // Optional names of the levels, from the root down ("korps", "eenheid",
  // "district", "team"); used in the Dutch notes of a fallback.
  void SetLevelNames(std::vector<std::string> names) { level_names_ = std::move(names); }
  // The name of a level, or "" when none was set.
  const std::string& LevelName(int depth) const;

  int size() const { return static_cast<int>(label_.size()); }
  const std::string& label(int node) const { return label_[node]; }
  int parent(int node) const { return parent_[node]; }  // -1 for the root
  const std::vector<int>& children(int node) const { return children_[node]; }
  int depth(int node) const { return depth_[node]; }     // the root is 0
  bool is_leaf(int node) const { return children_[node].empty(); }
  int max_depth() const;
  // Leaves in depth-first order (a parent's leaves are contiguous).
  std::vector<int> Leaves() const;
  // Nodes in depth-first pre-order (a parent before its children).
  std::vector<int> PreOrder() const;
  // True when `ancestor` is `node` or above it.
  bool Contains(int ancestor, int node) const;

  // The dimension with every node deeper than `depth` merged into its
  // ancestor at `depth`. Node numbers of the kept nodes are renumbered in
  // pre-order; `map` (when given) receives, for every node of this
  // dimension, the node of the result it falls in, and `merged` which nodes
  // of the result lost children.
  Dimension CutAt(int depth, std::vector<int>* map = nullptr, std::vector<bool>* merged = nullptr) const;

  friend bool operator==(const Dimension& a, const Dimension& b) {
    return a.label_ == b.label_ && a.parent_ == b.parent_;
  }

 private:
  std::vector<std::string> label_;
  std::vector<int> parent_;
  std::vector<std::vector<int>> children_;
  std::vector<int> depth_;
  std::vector<std::string> level_names_;
};

// The calendar year as a fixed column hierarchy: root "<year>", four
// quarters "K1".."K4", each with its three months ("jan".."dec"). Month m
// (1..12) is node CalendarMonthNode(m), quarter k (1..4) CalendarQuarterNode(k).
// Periods are only ever published as cells of this tree: a quarter total or
// a year total is its margin, never a separate query over a date range.
Dimension CalendarYear(int year);
int CalendarMonthNode(int month);
int CalendarQuarterNode(int quarter);

// A frequency table: non-negative counts for leaf × leaf cells.
class Table {
 public:
  Table(Dimension rows, Dimension cols);

  // Sets or adds to the count of a leaf row × leaf column. InvalidArgument
  // for a node that is no leaf or does not exist, or a negative result.
  absl::Status Set(int row, int col, std::int64_t count);
  absl::Status Add(int row, int col, std::int64_t count);

  const Dimension& rows() const { return rows_; }
  const Dimension& cols() const { return cols_; }

  // The count of any row × column, margins included (a sum of leaves).
  std::int64_t Value(int row, int col) const;
  // Every cell, row-major (rows().size() × cols().size()), margins included.
  std::vector<std::int64_t> AllValues() const;

  // The table with rows deeper than `depth` merged into their ancestor at
  // `depth` (see Dimension::CutAt), counts summed.
  Table CutRowsAt(int depth, std::vector<int>* row_map = nullptr, std::vector<bool>* merged = nullptr) const;
  // The table with only the columns' root: the row totals as a 1-D list.
  Table RowTotals() const;

 private:
  Dimension rows_;
  Dimension cols_;
  std::vector<std::int64_t> leaf_;  // rows_.size() × cols_.size(); zero off the leaves
};

}  // namespace waarborg::stats
