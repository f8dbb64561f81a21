// Charts of the annual report drawn by the server as SVG (issue 5 §4), so
// they print and work without JavaScript. Accessible: role="img" named by
// its <title> and described by its <desc> (aria-labelledby); the table with
// the same figures stands beside it. A figure that is not published is not
// drawn: no bar, a gap in the line, and an "x" where it would be.
#pragma once

#include <string>

#include "app/annual_report.h"

namespace waarborg::report {

// A horizontal bar chart (kBar) or a line chart (kLine) of `c`, as an
// <svg> element to put in a page. Colours are presentation attributes, so
// the page's Content-Security-Policy (no inline style) holds.
std::string SvgChart(const app::ReportChart& c);

}  // namespace waarborg::report
