#include "adapters/report/csv.h"

#include "adapters/report/report_format.h"

namespace waarborg::report {

std::string CsvField(std::string_view text) {
  std::string s(text);
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
    s.insert(s.begin(), '\'');
  if (s.find_first_of(";\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string CsvOf(const app::ReportTable& t) {
  std::string out(kUtf8Bom);
  auto end_record = [&] { out += "\r\n"; };
  out += CsvField(t.corner);
  for (const auto& c : t.col_labels) {
    out += kCsvSeparator;
    out += CsvField(c);
  }
  end_record();
  for (const auto& r : t.rows) {
    out += CsvField(std::string(static_cast<std::size_t>(2 * r.depth), ' ') + r.label);
    for (const auto& v : r.cells) {
      out += kCsvSeparator;
      if (!app::IsNotApplicable(v)) out += CellText(v, t.decimals, /*thousands=*/false);
    }
    end_record();
  }
  return out;
}

}  // namespace waarborg::report
