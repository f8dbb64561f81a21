#include "app/dashboard_tables.h"

#include <algorithm>

#include "core/common/strings.h"
#include "core/stats/protect.h"
#include "core/stats/table.h"

namespace waarborg::app {

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

DashboardTable HierTable::Publish(std::string id, std::string title, int threshold, const Options& o,
                                  std::vector<int>* asked_row) const {
  // The asked table: rows under the grand total, columns under the row total.
  stats::Dimension rows("Totaal"), columns("Totaal");
  std::vector<int> row_node(rows_.size());
  std::vector<bool> has_children(rows_.size(), false);
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    row_node[i] = rows.Add(rows_[i].parent ? row_node[*rows_[i].parent] : 0, rows_[i].label);
    if (rows_[i].parent) has_children[*rows_[i].parent] = true;
  }
  std::vector<int> col_node(cols.size());
  for (std::size_t c = 0; c < cols.size(); ++c) col_node[c] = columns.Add(0, cols[c]);
  stats::Table table(rows, columns);
  for (std::size_t i = 0; i < rows_.size(); ++i)
    if (!has_children[i])
      for (std::size_t c = 0; c < cols.size() && c < rows_[i].values.size(); ++c)
        (void)table.Set(row_node[i], col_node[c], rows_[i].values[c]);
  stats::Policy policy;
  policy.threshold = threshold;
  policy.counted = o.counted;
  const stats::PublishedTable pub = stats::Protect(table, policy);

  // What asked for each published row and column (for the drill-down).
  const auto& prow = pub.rows();
  const auto& pcol = pub.cols();
  std::vector<int> row_asker(static_cast<std::size_t>(prow.size()), -1), col_asker(static_cast<std::size_t>(pcol.size()), -1);
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const int p = pub.row_of(row_node[i]);
    if (p > 0 && !pub.row_merged(p)) row_asker[static_cast<std::size_t>(p)] = static_cast<int>(i);
  }
  for (std::size_t c = 0; c < cols.size(); ++c) {
    const int p = pub.col_of(col_node[c]);
    if (p > 0 && !pub.col_merged(p)) col_asker[static_cast<std::size_t>(p)] = static_cast<int>(c);
  }

  // The published rows in tree order, the grand total last when asked for
  // (or alone when nothing else is left); the same for columns.
  std::vector<int> out_rows, out_cols;
  for (int n : prow.PreOrder())
    if (n != 0) out_rows.push_back(n);
  if (o.total_row || out_rows.empty()) out_rows.push_back(0);
  for (int n : pcol.PreOrder())
    if (n != 0) out_cols.push_back(n);
  if (o.total_col || out_cols.empty()) out_cols.push_back(0);

  DashboardTable t;
  t.id = std::move(id);
  t.title = std::move(title);
  t.note = pub.note();
  for (int c : out_cols) t.col_labels.push_back(c == 0 ? std::string("Totaal") : pcol.label(c));
  bool any_hidden = false;
  for (int r : out_rows) {
    const int asker = row_asker[static_cast<std::size_t>(r)];
    if (asked_row) asked_row->push_back(asker);
    const std::string label = r == 0 ? std::string("Totaal") : prow.label(r);
    t.row_labels.push_back(r != 0 && prow.depth(r) >= 2 ? Cat("  ", label) : label);
    std::vector<DashboardCell> row;
    for (int c : out_cols) {
      DashboardCell cell;
      const stats::PublishedCell pc = pub.cell(r, c);
      if (pc.suppressed()) {
        any_hidden = true;
      } else {
        cell.value = static_cast<double>(*pc.value());
        if (asker >= 0 && *pc.value() > 0) {
          const Row& ar = rows_[static_cast<std::size_t>(asker)];
          const int ac = c == 0 ? -1 : col_asker[static_cast<std::size_t>(c)];
          if (ac >= 0 && static_cast<std::size_t>(ac) < ar.drills.size() && !ar.drills[static_cast<std::size_t>(ac)].empty())
            cell.drill = ar.drills[static_cast<std::size_t>(ac)];
          else if (!ar.drill.empty())
            cell.drill = ar.drill;
        }
      }
      row.push_back(std::move(cell));
    }
    t.cells.push_back(std::move(row));
  }
  if (any_hidden) t.note = t.note.empty() ? std::string(stats::kSuppressedLegendNl)
                                          : Cat(t.note, " ", stats::kSuppressedLegendNl);
  return t;
}

}  // namespace waarborg::app
