// Formats shared by the annual report's renderings (issue 5 §4): the HTML
// page, the SVG charts, CSV and XLSX. Dutch numbers: thousands with '.', a
// decimal comma.
#pragma once

#include <optional>
#include <string>

namespace waarborg::report {

// 1234 -> "1.234", 12.5 -> "12,5" (one decimal only when `decimals` and the
// value has one; no thousands separator when `thousands` is false, as in CSV).
std::string NumberNl(double v, bool decimals, bool thousands = true);

// A cell as text: the number, "x" when it is not published (never "<5"),
// "–" when there is nothing to tell (app::kNotApplicable).
std::string CellText(const std::optional<double>& v, bool decimals, bool thousands = true);

// Escapes text for HTML and XML (&, <, >, ", ').
std::string XmlEscape(const std::string& s);

}  // namespace waarborg::report
