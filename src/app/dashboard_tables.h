// Building the dashboard's tables: rows that roll up into parent rows, an
// optional total row and column, and publication through the anonymity rule
// (every cell of one table protected together with its margins).
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

  // The published table: parents summed, the total row ("Totaal") and column
  // added when asked, then protected as one (core/stats).
  DashboardTable Publish(std::string id, std::string title, int threshold, bool with_total_row = false,
                         bool with_total_col = false) const;

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
