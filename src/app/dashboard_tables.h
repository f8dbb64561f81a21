// Building the dashboard's count tables: rows that roll up into parent rows
// (and into the grand total), flat columns, published through core/stats as
// one protected table with all its margins (issue 5 §3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/dashboard_service.h"

namespace waarborg::app {

class HierTable {
 public:
  std::vector<std::string> cols;

  // A row; a row with a parent adds into it (the parent's cells are the sum
  // of its children and cannot be set).
  std::size_t AddRow(std::string label, std::optional<std::size_t> parent, std::string drill);
  void Set(std::size_t row, std::size_t col, std::int64_t n);
  void SetDrill(std::size_t row, std::size_t col, std::string drill);

  struct Options {
    bool total_row = false;  // show the grand total row ("Totaal")
    bool total_col = false;  // show the row totals as a last column
    std::string counted = "zaken";  // for the notes
  };
  // The published table. The protection may fall back (rows merged, only
  // the totals, or nothing) with a Dutch note; `asked_row` then tells, per
  // published row, which row asked for it (-1: a total or merged row).
  DashboardTable Publish(std::string id, std::string title, int threshold, const Options& o,
                         std::vector<int>* asked_row = nullptr) const;

 private:
  struct Row {
    std::string label;
    std::optional<std::size_t> parent;
    std::string drill;
    std::vector<std::int64_t> values;
    std::vector<std::string> drills;
  };
  std::vector<Row> rows_;
};

}  // namespace waarborg::app
