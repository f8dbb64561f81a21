// A table of the annual report as CSV (issue 5 §4).
//
// The dialect, chosen for the people who open it (Dutch Excel) and for the
// machines that read it (RFC 4180):
//  * UTF-8 with a byte-order mark, so Excel shows ë and – right;
//  * fields separated by ';' — Dutch Excel uses the comma as its decimal
//    sign and opens a ';' file straight into columns;
//  * records ended by CRLF; a field holding ';', '"', CR or LF is put in
//    double quotes, a '"' inside doubled;
//  * numbers without thousands separator and with a decimal comma;
//  * a suppressed cell is "x" (never "<5"); a cell with nothing to tell is
//    empty;
//  * the first record holds the column names; a row's level in the
//    organisation is its indentation (two spaces per level);
//  * a text field that a spreadsheet would take for a formula (starting
//    with =, +, -, @, a tab or CR) gets a leading apostrophe.
#pragma once

#include <string>
#include <string_view>

#include "app/annual_report.h"

namespace waarborg::report {

inline constexpr char kCsvSeparator = ';';
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// One field, quoted when it must be (RFC 4180) and defused when a
// spreadsheet would run it.
std::string CsvField(std::string_view text);

// The table, BOM first.
std::string CsvOf(const app::ReportTable& t);

}  // namespace waarborg::report
