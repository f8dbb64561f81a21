#include "app/dashboard_tables.h"

#include <algorithm>

#include "core/common/strings.h"

namespace waarborg::app {

namespace {

struct Constraint {
  std::size_t parent;
  std::vector<std::size_t> children;
};

// Small-cell suppression with complementary suppression over every
// constraint (parent = sum of children): a sensitive cell (0 < n < t) is
// hidden; then in every constraint with hidden cells, at least two are
// hidden and the hidden children sum to at least t, hiding the smallest
// other positive cell (or the parent) until nothing changes.
std::vector<bool> Protect(const std::vector<std::int64_t>& v, const std::vector<Constraint>& cons, int t) {
  std::vector<bool> hidden(v.size(), false);
  for (std::size_t i = 0; i < v.size(); ++i) hidden[i] = v[i] > 0 && v[i] < t;
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& c : cons) {
      std::size_t n_hidden = hidden[c.parent] ? 1 : 0;
      std::int64_t hidden_mass = 0;
      for (auto ch : c.children)
        if (hidden[ch]) {
          ++n_hidden;
          hidden_mass += v[ch];
        }
      if (n_hidden == 0) continue;
      const bool exact = n_hidden == 1;
      const bool too_small = !hidden[c.parent] && hidden_mass < t;
      if (!exact && !too_small) continue;
      // The smallest positive visible child; else the parent.
      std::optional<std::size_t> pick;
      for (auto ch : c.children)
        if (!hidden[ch] && v[ch] > 0 && (!pick || v[ch] < v[*pick])) pick = ch;
      if (!pick && !hidden[c.parent]) pick = c.parent;
      if (!pick) {
        // Only zeros are left visible: a zero tells nothing about anyone,
        // but it pins the sum; hide one zero child as well.
        for (auto ch : c.children)
          if (!hidden[ch]) {
            pick = ch;
            break;
          }
      }
      if (pick) {
        hidden[*pick] = true;
        changed = true;
      }
    }
  }
  return hidden;
}

}  // namespace

std::size_t HierTable::AddRow(std::string label, std::optional<std::size_t> parent, std::string drill) {
  Row r;
  r.label = std::move(label);
  r.parent = parent;
  r.drill = std::move(drill);
  rows_.push_back(std::move(r));
  return rows_.size() - 1;
}

void HierTable::Set(std::size_t row, std::size_t col, std::int64_t n) {
  auto& r = rows_[row];
  if (r.values.size() < cols.size()) r.values.resize(cols.size(), 0);
  r.values[col] = n;
}

void HierTable::SetDrill(std::size_t row, std::size_t col, std::string drill) {
  auto& r = rows_[row];
  if (r.drills.size() < cols.size()) r.drills.resize(cols.size());
  r.drills[col] = std::move(drill);
}

DashboardTable HierTable::Publish(std::string id, std::string title, int threshold, bool with_total_row,
                                  bool with_total_col) const {
  const std::size_t nc = cols.size() + (with_total_col ? 1 : 0);
  const std::size_t nr = rows_.size() + (with_total_row ? 1 : 0);
  // Values: leaves as set; parents (and totals) as sums.
  std::vector<std::vector<std::int64_t>> val(nr, std::vector<std::int64_t>(nc, 0));
  std::vector<bool> has_children(rows_.size(), false);
  for (const auto& r : rows_)
    if (r.parent) has_children[*r.parent] = true;
  for (std::size_t i = 0; i < rows_.size(); ++i)
    if (!has_children[i])
      for (std::size_t c = 0; c < cols.size() && c < rows_[i].values.size(); ++c) val[i][c] = rows_[i].values[c];
  // Parents from the bottom up (children come after their parent).
  for (std::size_t i = rows_.size(); i-- > 0;)
    if (rows_[i].parent)
      for (std::size_t c = 0; c < cols.size(); ++c) val[*rows_[i].parent][c] += val[i][c];
  if (with_total_row)
    for (std::size_t i = 0; i < rows_.size(); ++i)
      if (!rows_[i].parent)
        for (std::size_t c = 0; c < cols.size(); ++c) val[nr - 1][c] += val[i][c];
  if (with_total_col)
    for (std::size_t i = 0; i < nr; ++i)
      for (std::size_t c = 0; c < cols.size(); ++c) val[i][nc - 1] += val[i][c];

  // Constraints over the flattened cells.
  auto at = [&](std::size_t r, std::size_t c) { return r * nc + c; };
  std::vector<Constraint> cons;
  for (std::size_t p = 0; p < rows_.size(); ++p) {
    if (!has_children[p]) continue;
    for (std::size_t c = 0; c < nc; ++c) {
      Constraint k{at(p, c), {}};
      for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].parent == p) k.children.push_back(at(i, c));
      cons.push_back(std::move(k));
    }
  }
  if (with_total_row)
    for (std::size_t c = 0; c < nc; ++c) {
      Constraint k{at(nr - 1, c), {}};
      for (std::size_t i = 0; i < rows_.size(); ++i)
        if (!rows_[i].parent) k.children.push_back(at(i, c));
      cons.push_back(std::move(k));
    }
  if (with_total_col)
    for (std::size_t r = 0; r < nr; ++r) {
      Constraint k{at(r, nc - 1), {}};
      for (std::size_t c = 0; c + 1 < nc; ++c) k.children.push_back(at(r, c));
      cons.push_back(std::move(k));
    }
  std::vector<std::int64_t> flat(nr * nc);
  for (std::size_t r = 0; r < nr; ++r)
    for (std::size_t c = 0; c < nc; ++c) flat[at(r, c)] = val[r][c];
  const auto hidden = Protect(flat, cons, threshold);

  DashboardTable t;
  t.id = std::move(id);
  t.title = std::move(title);
  t.col_labels = cols;
  if (with_total_col) t.col_labels.push_back("Totaal");
  bool any_hidden = false;
  for (std::size_t r = 0; r < nr; ++r) {
    const bool total = r == rows_.size();
    t.row_labels.push_back(total ? std::string("Totaal")
                                 : (rows_[r].parent ? Cat("  ", rows_[r].label) : rows_[r].label));
    std::vector<DashboardCell> row(nc);
    for (std::size_t c = 0; c < nc; ++c) {
      if (hidden[at(r, c)]) {
        any_hidden = true;
        continue;  // the value never leaves this function
      }
      row[c].value = static_cast<double>(val[r][c]);
      if (!total && val[r][c] > 0) {
        if (c < cols.size() && c < rows_[r].drills.size() && !rows_[r].drills[c].empty()) row[c].drill = rows_[r].drills[c];
        else if (!rows_[r].drill.empty()) row[c].drill = rows_[r].drill;
      }
    }
    t.cells.push_back(std::move(row));
  }
  if (any_hidden)
    t.note = Cat("Aantallen onder de ", threshold,
                 " en de cijfers waaruit ze terug te rekenen zijn, worden niet getoond (<", threshold, ").");
  return t;
}

}  // namespace waarborg::app
