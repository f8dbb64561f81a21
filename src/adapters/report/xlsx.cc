#include "adapters/report/xlsx.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/common/date.h"
#include "core/common/strings.h"
#include "core/stats/protect.h"

namespace waarborg::report {

namespace {

// A sheet name: at most 31 characters, none of []:*?/\ , unique.
std::string SheetName(const std::string& id, std::vector<std::string>& used) {
  std::string name;
  for (char c : id) name += std::string_view("[]:*?/\\").find(c) == std::string_view::npos ? c : '_';
  if (name.empty()) name = "tabel";
  name = name.substr(0, 28);
  std::string candidate = name;
  for (int i = 2; std::find(used.begin(), used.end(), candidate) != used.end(); ++i) candidate = Cat(name, "_", i);
  used.push_back(candidate);
  return candidate;
}

}  // namespace

absl::StatusOr<std::string> XlsxOf(const app::AnnualReport& r) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "waarborg-xlsx-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) return absl::InternalError("tijdelijke map voor XLSX");
  const std::filesystem::path dir = tmpl;
  const std::string path = (dir / "verslag.xlsx").string();
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{dir};

  lxw_workbook_options options{};
  options.tmpdir = const_cast<char*>(tmpl.c_str());
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (!wb) return absl::InternalError("XLSX-werkmap maken");
  lxw_doc_properties props{};
  const std::string company = "Waarborg";
  props.title = const_cast<char*>(r.title.c_str());
  props.company = const_cast<char*>(company.c_str());
  workbook_set_properties(wb, &props);

  lxw_format* title = workbook_add_format(wb);
  format_set_bold(title);
  format_set_font_size(title, 14);
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_bottom(header, LXW_BORDER_THIN);
  format_set_text_wrap(header);
  format_set_align(header, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* header_num = workbook_add_format(wb);
  format_set_bold(header_num);
  format_set_bottom(header_num, LXW_BORDER_THIN);
  format_set_text_wrap(header_num);
  format_set_align(header_num, LXW_ALIGN_RIGHT);
  format_set_align(header_num, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* wrap = workbook_add_format(wb);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* count = workbook_add_format(wb);
  format_set_num_format(count, "#,##0");
  lxw_format* count_bold = workbook_add_format(wb);
  format_set_num_format(count_bold, "#,##0");
  format_set_bold(count_bold);
  lxw_format* decimal = workbook_add_format(wb);
  format_set_num_format(decimal, "#,##0.0");
  lxw_format* decimal_bold = workbook_add_format(wb);
  format_set_num_format(decimal_bold, "#,##0.0");
  format_set_bold(decimal_bold);
  lxw_format* hidden = workbook_add_format(wb);
  format_set_align(hidden, LXW_ALIGN_RIGHT);
  lxw_format* hidden_bold = workbook_add_format(wb);
  format_set_align(hidden_bold, LXW_ALIGN_RIGHT);
  format_set_bold(hidden_bold);
  std::vector<lxw_format*> indent;
  for (int d = 0; d < 4; ++d) {
    lxw_format* f = workbook_add_format(wb);
    format_set_indent(f, static_cast<uint8_t>(d));
    indent.push_back(f);
  }

  std::vector<std::string> used;
  // The explanation first.
  lxw_worksheet* about = workbook_add_worksheet(wb, SheetName("Toelichting", used).c_str());
  worksheet_set_column(about, 0, 0, 110, wrap);
  lxw_row_t row = 0;
  worksheet_write_string(about, row++, 0, r.title.c_str(), title);
  worksheet_write_string(about, row++, 0, Cat("Eenheid: ", r.unit_label).c_str(), nullptr);
  worksheet_write_string(about, row++, 0, Cat("Periode: ", r.period_label).c_str(), nullptr);
  worksheet_write_string(about, row++, 0, Cat("Cijfers vastgesteld op ", FormatDateNl(r.published_on)).c_str(),
                         nullptr);
  ++row;
  for (const auto& n : r.notes) worksheet_write_string(about, row++, 0, n.c_str(), wrap);
  worksheet_write_string(about, row++, 0, std::string(stats::kSuppressedLegendNl).c_str(), wrap);
  ++row;
  worksheet_write_string(about, row++, 0, "Tabellen (elk op een eigen blad):", bold);

  struct Sheet {
    const app::ReportTable* table;
    std::string name;
  };
  std::vector<Sheet> sheets;
  for (const auto& s : r.sections)
    for (const auto& t : s.tables) sheets.push_back({&t, SheetName(t.id, used)});
  for (const auto& s : sheets)
    worksheet_write_string(about, row++, 0, Cat(s.name, ": ", s.table->title).c_str(), nullptr);

  for (const auto& s : sheets) {
    const app::ReportTable& t = *s.table;
    lxw_worksheet* ws = workbook_add_worksheet(wb, s.name.c_str());
    worksheet_set_column(ws, 0, 0, 48, nullptr);
    if (!t.col_labels.empty()) worksheet_set_column(ws, 1, static_cast<lxw_col_t>(t.col_labels.size()), 14, nullptr);
    worksheet_write_string(ws, 0, 0, t.title.c_str(), title);
    worksheet_write_string(ws, 2, 0, t.corner.c_str(), header);
    for (std::size_t c = 0; c < t.col_labels.size(); ++c)
      worksheet_write_string(ws, 2, static_cast<lxw_col_t>(c + 1), t.col_labels[c].c_str(), header_num);
    worksheet_freeze_panes(ws, 3, 1);
    lxw_row_t at = 3;
    for (const auto& tr : t.rows) {
      lxw_format* label = tr.total ? bold : indent[static_cast<std::size_t>(std::clamp(tr.depth, 0, 3))];
      worksheet_write_string(ws, at, 0, tr.label.c_str(), label);
      for (std::size_t c = 0; c < tr.cells.size(); ++c) {
        const auto& v = tr.cells[c];
        const auto col = static_cast<lxw_col_t>(c + 1);
        if (!v) {
          worksheet_write_string(ws, at, col, std::string(stats::kSuppressedText).c_str(),
                                 tr.total ? hidden_bold : hidden);
        } else if (!app::IsNotApplicable(v)) {
          lxw_format* f = t.decimals ? (tr.total ? decimal_bold : decimal) : (tr.total ? count_bold : count);
          worksheet_write_number(ws, at, col, *v, f);
        }
      }
      ++at;
    }
    if (!t.note.empty()) {
      ++at;
      worksheet_write_string(ws, at, 0, t.note.c_str(), nullptr);
    }
  }
  if (workbook_close(wb) != LXW_NO_ERROR) return absl::InternalError("XLSX-werkmap schrijven");
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InternalError("XLSX-werkmap lezen");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace waarborg::report
