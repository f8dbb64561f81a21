#include "adapters/report/report_format.h"

#include <cmath>

#include "app/annual_report.h"
#include "core/stats/protect.h"

namespace waarborg::report {

std::string NumberNl(double v, bool decimals, bool thousands) {
  const bool neg = v < 0;
  const double a = std::fabs(v);
  // Tenths, rounded once, so 2.96 gives "3" and not "2,10".
  long long tenths = std::llround(a * 10.0);
  if (!decimals) tenths = std::llround(a) * 10;
  const long long whole = tenths / 10;
  const int tenth = static_cast<int>(tenths % 10);
  const std::string digits = std::to_string(whole);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (thousands && i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  if (decimals && tenth != 0) out += "," + std::to_string(tenth);
  return neg && (whole != 0 || tenth != 0) ? "-" + out : out;
}

std::string CellText(const std::optional<double>& v, bool decimals, bool thousands) {
  if (!v) return std::string(stats::kSuppressedText);
  if (app::IsNotApplicable(v)) return "\u2013";
  return NumberNl(*v, decimals, thousands);
}

std::string XmlEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace waarborg::report
