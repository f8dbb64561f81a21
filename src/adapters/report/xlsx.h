// The annual report's tables as an Excel workbook (issue 5 §4), written
// with libxlsxwriter: a first sheet "Toelichting" (title, unit, period, the
// date the figures were fixed, the notes and what x means), then one sheet
// per table, named by the table's id. Counts are numbers; a suppressed cell
// is the text "x", a cell with nothing to tell is empty.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "app/annual_report.h"

namespace waarborg::report {

// The .xlsx file's bytes. Internal on a write failure (temporary file).
absl::StatusOr<std::string> XlsxOf(const app::AnnualReport& r);

}  // namespace waarborg::report
