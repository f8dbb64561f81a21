#include "core/stats/table.h"

#include <algorithm>
#include <utility>

#include "core/common/status.h"

namespace waarborg::stats {

Dimension::Dimension(std::string root_label) {
  label_.push_back(std::move(root_label));
  parent_.push_back(-1);
  children_.emplace_back();
  depth_.push_back(0);
}

int Dimension::Add(int parent, std::string label) {
  if (parent < 0 || parent >= size()) parent = 0;
  const int id = size();
  label_.push_back(std::move(label));
  parent_.push_back(parent);
  children_.emplace_back();
  depth_.push_back(depth_[parent] + 1);
  children_[parent].push_back(id);
  return id;
}

const std::string& Dimension::LevelName(int depth) const {
  static const std::string kNone;
  return depth >= 0 && depth < static_cast<int>(level_names_.size()) ? level_names_[depth] : kNone;
}

int Dimension::max_depth() const { return *std::max_element(depth_.begin(), depth_.end()); }

std::vector<int> Dimension::PreOrder() const {
  std::vector<int> out;
  out.reserve(label_.size());
  std::vector<int> stack = {0};
  while (!stack.empty()) {
    const int n = stack.back();
    stack.pop_back();
    out.push_back(n);
    for (auto it = children_[n].rbegin(); it != children_[n].rend(); ++it) stack.push_back(*it);
  }
  return out;
}

std::vector<int> Dimension::Leaves() const {
  std::vector<int> out;
  for (int n : PreOrder())
    if (is_leaf(n)) out.push_back(n);
  return out;
}

bool Dimension::Contains(int ancestor, int node) const {
  for (int n = node; n >= 0; n = parent_[n])
    if (n == ancestor) return true;
  return false;
}

Dimension Dimension::CutAt(int depth, std::vector<int>* map, std::vector<bool>* merged) const {
  Dimension out(label_[0]);
  out.level_names_ = level_names_;
  if (depth >= 0 && static_cast<int>(out.level_names_.size()) > depth + 1) out.level_names_.resize(depth + 1);
  std::vector<int> to(size(), 0);
  for (int n : PreOrder()) {
    if (n == 0) continue;
    to[n] = depth_[n] <= depth ? out.Add(to[parent_[n]], label_[n]) : to[parent_[n]];
  }
  if (map) *map = to;
  if (merged) {
    merged->assign(out.size(), false);
    for (int n = 1; n < size(); ++n)
      if (depth_[n] > depth) (*merged)[to[n]] = true;
  }
  return out;
}

namespace {
const char* const kMonths[] = {"jan", "feb", "mrt", "apr", "mei", "jun",
                               "jul", "aug", "sep", "okt", "nov", "dec"};
}  // namespace

Dimension CalendarYear(int year) {
  Dimension d(Cat(year));
  d.SetLevelNames({"jaar", "kwartaal", "maand"});
  for (int q = 1; q <= 4; ++q) {
    const int qn = d.Add(0, Cat("K", q));
    for (int m = 3 * q - 2; m <= 3 * q; ++m) d.Add(qn, kMonths[m - 1]);
  }
  return d;
}

// Nodes are added quarter by quarter: K1 = 1, jan..mrt = 2..4, K2 = 5, ...
int CalendarQuarterNode(int quarter) { return 1 + 4 * (quarter - 1); }
int CalendarMonthNode(int month) { return CalendarQuarterNode((month + 2) / 3) + 1 + (month - 1) % 3; }

Table::Table(Dimension rows, Dimension cols)
    : rows_(std::move(rows)), cols_(std::move(cols)), leaf_(static_cast<size_t>(rows_.size()) * cols_.size(), 0) {}

absl::Status Table::Set(int row, int col, std::int64_t count) {
  if (row < 0 || row >= rows_.size() || col < 0 || col >= cols_.size())
    return Invalid(Cat("cel (", row, ", ", col, ") bestaat niet"));
  if (!rows_.is_leaf(row) || !cols_.is_leaf(col))
    return Invalid(Cat("alleen cellen van twee bladeren krijgen een aantal; (", rows_.label(row), ", ",
                       cols_.label(col), ") is een totaal"));
  if (count < 0) return Invalid(Cat("een aantal is nooit negatief (", count, ")"));
  leaf_[static_cast<size_t>(row) * cols_.size() + col] = count;
  return absl::OkStatus();
}

absl::Status Table::Add(int row, int col, std::int64_t count) {
  if (row < 0 || row >= rows_.size() || col < 0 || col >= cols_.size())
    return Invalid(Cat("cel (", row, ", ", col, ") bestaat niet"));
  return Set(row, col, leaf_[static_cast<size_t>(row) * cols_.size() + col] + count);
}

std::vector<std::int64_t> Table::AllValues() const {
  const int nc = cols_.size();
  std::vector<std::int64_t> v = leaf_;
  const std::vector<int> rpre = rows_.PreOrder(), cpre = cols_.PreOrder();
  // Columns first (children after parents in pre-order: walk it backwards),
  // then rows over whole row vectors.
  for (int r : rpre) {
    if (!rows_.is_leaf(r)) continue;
    for (auto it = cpre.rbegin(); it != cpre.rend(); ++it)
      if (*it != 0) v[static_cast<size_t>(r) * nc + cols_.parent(*it)] += v[static_cast<size_t>(r) * nc + *it];
  }
  for (auto it = rpre.rbegin(); it != rpre.rend(); ++it) {
    if (*it == 0) continue;
    const size_t from = static_cast<size_t>(*it) * nc, to = static_cast<size_t>(rows_.parent(*it)) * nc;
    for (int c = 0; c < nc; ++c) v[to + c] += v[from + c];
  }
  return v;
}

std::int64_t Table::Value(int row, int col) const {
  std::int64_t sum = 0;
  const int nc = cols_.size();
  for (int r = 0; r < rows_.size(); ++r) {
    if (!rows_.is_leaf(r) || !rows_.Contains(row, r)) continue;
    for (int c = 0; c < nc; ++c)
      if (cols_.is_leaf(c) && cols_.Contains(col, c)) sum += leaf_[static_cast<size_t>(r) * nc + c];
  }
  return sum;
}

Table Table::CutRowsAt(int depth, std::vector<int>* row_map, std::vector<bool>* merged) const {
  std::vector<int> map;
  Table out(rows_.CutAt(depth, &map, merged), cols_);
  const int nc = cols_.size();
  for (int r = 0; r < rows_.size(); ++r) {
    if (!rows_.is_leaf(r)) continue;
    for (int c = 0; c < nc; ++c) out.leaf_[static_cast<size_t>(map[r]) * nc + c] += leaf_[static_cast<size_t>(r) * nc + c];
  }
  if (row_map) *row_map = std::move(map);
  return out;
}

Table Table::RowTotals() const {
  Dimension total(cols_.label(0));
  total.SetLevelNames({cols_.LevelName(0)});
  Table out(rows_, total);
  const int nc = cols_.size();
  for (int r = 0; r < rows_.size(); ++r) {
    if (!rows_.is_leaf(r)) continue;
    for (int c = 0; c < nc; ++c) out.leaf_[r] += leaf_[static_cast<size_t>(r) * nc + c];
  }
  return out;
}

}  // namespace waarborg::stats
