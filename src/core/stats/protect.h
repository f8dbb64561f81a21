// Anonymity of published figures (issue 5 §3; DOMAIN §3: "Management and
// annual reports contain anonymous information only; where a figure would
// make people traceable, report only the number of reports per district").
//
// ============================================================================
// Rules for callers (dashboards, the annual report, exports, the API)
// ============================================================================
//
//  1. Every figure that leaves the server is a cell of a PublishedTable (or a
//     PublishedList) made here. No count is shown, sent or exported that did
//     not come out of Protect / ProtectTogether / ProtectList.
//
//  2. Fixed hierarchies, no independent totals. Rows are the organisation
//     tree (korps > eenheid > district > team), columns a fixed tree such as
//     CalendarYear() (jaar > kwartaal > maand), a track > its states, or a
//     list of categories. A "unit total" or a "period total" is a MARGIN of
//     that table and is taken from it; it is never computed by a second
//     query. No free date ranges ("last 30 days", "1 March to 15 May"):
//     periods are months, quarters and years of the calendar tree, so that
//     "Q1 minus January and February" is three cells of one protected table
//     and the protection covers the subtraction.
//
//  3. Tables that share a margin are protected together. Two tables over the
//     same rows (unit × category and unit × month of the same year share the
//     unit totals) go through ProtectTogether, which suppresses each shared
//     total in both or in neither and chooses complements so that the two
//     tables together give nothing back. Protecting them one by one is not
//     safe (test ASecondTableWithTheSameMarginsCannotGiveItBack shows the
//     attack). Put the shared dimension in the rows. A plain list of unit
//     totals shown beside a unit × month table is such a pair too (a table
//     whose columns are only the root).
//
//  4. One publication per closed period. Count by registration date and
//     publish a period's table once the period is closed; show the stored
//     PublishedTable again rather than protecting changed data anew.
//     Re-protecting the same table as data grows (a year-to-date table
//     recomputed every month) gives versions whose patterns differ, and the
//     difference of two versions can give a cell back. Protection across
//     versions is not built yet (docs/architecture.md, "Anonymity").
//
//  5. Show what the result says: a suppressed cell as kSuppressedText ("x",
//     the CBS sign for "geheim"), never as "<5" (that would tell a small cell
//     from a complement and bound it), the note when there is one, and the
//     rows as published (after a fallback they are districts).
//
// ============================================================================
// What is guaranteed
// ============================================================================
//
// A cell is sensitive when 0 < n < threshold (default 5). Zeros are
// published. Every published cell is 0 or >= threshold. For every sensitive
// cell, an attacker who knows every published number of the table (of all
// tables protected together), the hierarchy (each parent is the sum of its
// children, in both dimensions, at every level), that counts are
// non-negative integers and that every suppressed cell is at least 1
// (because zeros are published), can neither determine it nor bound it below
// the threshold: there is a table consistent with all of that in which the
// cell is >= threshold.
//
// How: for every sensitive cell the protection chooses a witness, a pattern
// of suppressed cells along which the cell can be raised by
// delta = threshold - n while every published cell stays the same and every
// suppressed leaf stays >= 1. The patterns are "hypercubes" over the
// hierarchy: pick a leaf a under the cell's row and c under its column
// (with count >= 1), a partner leaf row b and column d outside them, and
// move +delta on (a,c) and (b,d), -delta on (a,d) and (b,c); the cells that
// change are the ancestors of a and b below their common ancestor times the
// ancestors of c and d below theirs, and all of those are suppressed. A
// dimension may instead use no partner, moving along the whole path to the
// root (then that dimension's margins, up to the grand total, change and are
// suppressed). Among the feasible patterns the cheapest is taken (the cost
// of a cell not yet suppressed is (n + 1), doubled for a margin in one
// dimension and tripled in both), ties in a fixed order, so the output is
// deterministic. Each witness proves its cell safe against any attacker
// (interval reasoning, linear or integer programming): no fixed-point
// iteration is needed, and none could make the result less safe.
//
// Why not the simpler rule "in every constraint with a suppressed cell, at
// least two are suppressed and they sum to >= threshold": it is not enough.
// Test TheConstraintLocalRuleIsNotEnough shows a 3×3 table where every row
// and column meets it and the attacker still bounds a cell of 1 to [1, 2].
//
// Not covered: an attacker who knows the algorithm and reasons about which
// complement it would have chosen, and someone who knows the counts of all
// but one person from outside (no table can stop the latter).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/stats/table.h"

namespace waarborg::stats {

// How a suppressed cell is shown: "x", as CBS does ("geheim").
inline constexpr std::string_view kSuppressedText = "x";
// The legend for it, for under a table that has suppressed cells.
inline constexpr std::string_view kSuppressedLegendNl =
    "x = niet getoond, zodat niemand herkenbaar wordt uit de cijfers.";

struct Policy {
  // Cells with 0 < n < threshold are sensitive. Values below 2 count as 2:
  // a single report is never published.
  std::int64_t threshold = 5;

  // ---- Fallback (Protect, ProtectTogether, ProtectList; not ProtectAsIs) ----
  // Depth of the district level in the row tree (root = 0; korps > eenheid >
  // district > team puts it at 2); -1 when the rows have no such level.
  int district_depth = -1;
  // Fall back when more than this share of the non-zero leaf cells would be
  // suppressed.
  double max_suppressed_share = 0.5;
  // Fall back when the grand total would be suppressed.
  bool require_grand_total = true;
  // Fall back when a column total (a cell of the totals row) would be
  // suppressed.
  bool require_column_totals = false;
  // What is counted, plural, for the notes ("meldingen", "klachten", "zaken").
  std::string counted = "meldingen";
};

// A published figure: a count, or suppressed. A suppressed cell holds no
// value at all, so nothing can read it back.
class PublishedCell {
 public:
  static PublishedCell Suppressed() { return PublishedCell(); }
  static PublishedCell Count(std::int64_t n) { return PublishedCell(n); }

  bool suppressed() const { return !value_.has_value(); }
  // The count, or nullopt when suppressed.
  std::optional<std::int64_t> value() const { return value_; }
  // The count as text, or kSuppressedText.
  std::string Text() const;

  friend bool operator==(const PublishedCell&, const PublishedCell&) = default;

 private:
  PublishedCell() = default;
  explicit PublishedCell(std::int64_t n) : value_(n) {}
  std::optional<std::int64_t> value_;
};

// How much of the asked table could be published.
enum class Detail {
  kAsAsked,        // the table as asked, with suppressed cells
  kRowsMerged,     // rows below the district level merged into their district
  kRowTotalsOnly,  // only the row totals (per district, or per row when there is no district level)
  kTotalOnly,      // only the grand total
  kNothing,        // not even the grand total (0 < total < threshold)
};

class PublishedTable {
 public:
  // The rows and columns as published: after a fallback, the merged ones.
  const Dimension& rows() const { return rows_; }
  const Dimension& cols() const { return cols_; }
  PublishedCell cell(int row, int col) const { return cells_[static_cast<size_t>(row) * cols_.size() + col]; }

  Detail detail() const { return detail_; }
  // Dutch, for under the table; empty when published as asked.
  const std::string& note() const { return note_; }
  // True when this published row or column stands for finer ones merged into it.
  bool row_merged(int row) const { return row_merged_[row]; }
  bool col_merged(int col) const { return col_merged_[col]; }
  // The published row (column) that holds a row (column) of the asked table.
  int row_of(int asked_row) const { return row_of_[asked_row]; }
  int col_of(int asked_col) const { return col_of_[asked_col]; }
  int suppressed_count() const;

  // A plain-text rendering, rows by pre-order and indented by depth, for
  // tests and logs.
  std::string DebugString() const;

 private:
  friend class Protector;
  PublishedTable() = default;
  Dimension rows_, cols_;
  std::vector<PublishedCell> cells_;
  Detail detail_ = Detail::kAsAsked;
  std::string note_;
  std::vector<bool> row_merged_, col_merged_;
  std::vector<int> row_of_, col_of_;
};

// Protects `table`, falling back per `policy` when publishing it as asked
// would suppress too much (see Detail): rows merged into districts, then the
// row totals, then the grand total, then nothing; each with a Dutch note.
PublishedTable Protect(const Table& table, const Policy& policy = {});

// Protects `table` as it is: suppression only, no fallback.
PublishedTable ProtectAsIs(const Table& table, const Policy& policy = {});

// Protects tables that share their rows, and so their row totals (the column
// root), together (rule 3). InvalidArgument when the row trees differ or a
// row total differs between tables. The fallback is joint: when one table
// cannot be published as asked, all fall back to the same rows.
// `fallback = false` gives the suppression alone, like ProtectAsIs.
absl::StatusOr<std::vector<PublishedTable>> ProtectTogether(const std::vector<Table>& tables,
                                                           const Policy& policy = {}, bool fallback = true);

// A flat list of counts with its total, the shape of many dashboard figures.
struct Count {
  std::string label;
  std::int64_t n = 0;
};
struct PublishedCount {
  std::string label;
  PublishedCell cell;
};
struct PublishedList {
  std::vector<PublishedCount> items;  // empty when only the total could be published
  PublishedCell total = PublishedCell::Suppressed();
  Detail detail = Detail::kAsAsked;
  std::string note;
};
// Protects a list of counts and its total; falls back to the total alone,
// then to nothing. `counts` must not be negative (negative counts count as 0).
PublishedList ProtectList(const std::vector<Count>& counts, const Policy& policy = {});

}  // namespace waarborg::stats
