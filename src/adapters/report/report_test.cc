// The annual report's renderings (issue 5 §4): charts drawn as accessible
// SVG that leave out what is not published, CSV by RFC 4180 (Excel's Dutch
// dialect), an XLSX that opens (a zip with the sheets and strings in it),
// and PDF printing that says clearly when the browser is missing.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <zlib.h>

#include <cstring>
#include <map>
#include <regex>

#include "adapters/report/csv.h"
#include "adapters/report/pdf.h"
#include "adapters/report/report_format.h"
#include "adapters/report/svg_chart.h"
#include "adapters/report/xlsx.h"

namespace waarborg::report {
namespace {

std::size_t Count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + what.size())) ++n;
  return n;
}

app::ReportChart Chart(app::ReportChart::Type type) {
  app::ReportChart c;
  c.type = type;
  c.id = "grafiek-test";
  c.title = "Meldingen per maand, 2025";
  c.desc = "Lijngrafiek; niet getoonde aantallen (x) ontbreken.";
  c.labels = {"jan", "feb", "mrt", "apr"};
  c.values = {12.0, std::nullopt, 7.0, 1234.0};
  c.table_id = "per_maand";
  return c;
}

TEST(ReportChart, BarsAreAccessibleAndAHiddenValueIsNotDrawn) {
  const std::string svg = SvgChart(Chart(app::ReportChart::Type::kBar));
  EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("aria-labelledby=\"grafiek-test-titel grafiek-test-beschrijving\""), std::string::npos);
  EXPECT_NE(svg.find("<title id=\"grafiek-test-titel\">Meldingen per maand, 2025</title>"), std::string::npos);
  EXPECT_NE(svg.find("<desc id=\"grafiek-test-beschrijving\">"), std::string::npos);
  // Three bars, not four: the hidden value has a dashed outline and its "x".
  EXPECT_EQ(Count(svg, "fill=\"#154273\""), 3u);
  EXPECT_EQ(Count(svg, "stroke-dasharray"), 1u);
  EXPECT_NE(svg.find(">x</text>"), std::string::npos);
  EXPECT_NE(svg.find(">1.234</text>"), std::string::npos) << "Dutch thousands";
  EXPECT_EQ(svg.find("&lt;5"), std::string::npos);
  EXPECT_EQ(svg.find("<5"), std::string::npos);
  EXPECT_EQ(svg.find("style="), std::string::npos) << "no inline style under the page's CSP";
}

TEST(ReportChart, TheLineBreaksWhereAValueIsNotPublished) {
  const std::string svg = SvgChart(Chart(app::ReportChart::Type::kLine));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, std::regex("<path d=\"([^\"]*)\"")));
  // jan alone, then mrt–apr: two "M" (pen down twice), one "L".
  const std::string d = m[1].str();
  EXPECT_EQ(Count(d, "M"), 2u) << d;
  EXPECT_EQ(Count(d, "L"), 1u) << d;
  EXPECT_EQ(Count(svg, "<circle"), 3u);
  EXPECT_NE(svg.find(">x</text>"), std::string::npos);
}

TEST(ReportChart, LabelsAreEscaped) {
  app::ReportChart c = Chart(app::ReportChart::Type::kBar);
  c.title = "A & B <script>";
  c.labels = {"\"Overig\" <eenheid>"};
  c.values = {5.0};
  const std::string svg = SvgChart(c);
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_NE(svg.find("A &amp; B &lt;script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("&quot;Overig&quot; &lt;eenheid&gt;"), std::string::npos);
}

TEST(ReportCsv, FieldsAreQuotedAndDefusedAsRfc4180AndExcelWant) {
  EXPECT_EQ(CsvField("Eenheid Oost"), "Eenheid Oost");
  EXPECT_EQ(CsvField("Noord; Zuid"), "\"Noord; Zuid\"");
  EXPECT_EQ(CsvField("de \"Korpsstaf\""), "\"de \"\"Korpsstaf\"\"\"");
  EXPECT_EQ(CsvField("twee\nregels"), "\"twee\nregels\"");
  EXPECT_EQ(CsvField("=1+1"), "'=1+1");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("-2"), "'-2");
  EXPECT_EQ(CsvField("a,b"), "a,b") << "a comma is not the separator";
}

TEST(ReportCsv, ATableWithBomHeaderHiddenCellsAndDecimalCommas) {
  app::ReportTable t;
  t.id = "kerncijfers";
  t.corner = "Eenheid";
  t.col_labels = {"K1", "Totaal; jaar"};
  t.decimals = true;
  t.rows.push_back({"Politie", 0, true, {1234.0, 83.3}});
  t.rows.push_back({"Eenheid Oost", 1, false, {std::nullopt, app::kNotApplicable}});
  const std::string csv = CsvOf(t);
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u) << "UTF-8 BOM first";
  EXPECT_EQ(csv.substr(3), "Eenheid;K1;\"Totaal; jaar\"\r\nPolitie;1234;83,3\r\n  Eenheid Oost;x;\r\n");
}

// A minimal zip reader (stored and deflated entries), to open the XLSX.
std::map<std::string, std::string> Unzip(const std::string& zip) {
  std::map<std::string, std::string> out;
  auto u16 = [&](std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(zip[at]) | static_cast<unsigned char>(zip[at + 1])
                                                                                << 8);
  };
  auto u32 = [&](std::size_t at) { return u16(at) | u16(at + 2) << 16; };
  const std::size_t eocd = zip.rfind(std::string("PK\x05\x06", 4));
  if (eocd == std::string::npos) return out;
  const std::uint32_t entries = u16(eocd + 10);
  std::size_t at = u32(eocd + 16);
  for (std::uint32_t i = 0; i < entries && at + 46 <= zip.size(); ++i) {
    const std::uint32_t method = u16(at + 10), csize = u32(at + 20), usize = u32(at + 24);
    const std::uint32_t nlen = u16(at + 28), xlen = u16(at + 30), clen = u16(at + 32), local = u32(at + 42);
    const std::string name = zip.substr(at + 46, nlen);
    const std::size_t data = local + 30 + u16(local + 26) + u16(local + 28);
    std::string content;
    if (method == 0) {
      content = zip.substr(data, csize);
    } else if (method == 8) {
      content.resize(usize);
      z_stream zs{};
      inflateInit2(&zs, -MAX_WBITS);
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zip.data() + data));
      zs.avail_in = csize;
      zs.next_out = reinterpret_cast<Bytef*>(content.data());
      zs.avail_out = usize;
      inflate(&zs, Z_FINISH);
      inflateEnd(&zs);
    }
    out[name] = content;
    at += 46 + nlen + xlen + clen;
  }
  return out;
}

TEST(ReportXlsx, TheWorkbookOpensWithASheetPerTableAndXForHiddenCells) {
  app::AnnualReport r;
  r.title = "Jaarverslag Landelijk Meldpunt Misstanden 2025";
  r.unit_label = "Politie";
  r.period_label = "1 januari t/m 31 december 2025";
  r.published_on = Date{std::chrono::year{2026}, std::chrono::month{1}, std::chrono::day{5}};
  r.notes = {"Te weinig meldingen om per district te publiceren."};
  app::ReportSection s;
  s.id = "per_maand";
  s.title = "Meldingen per maand";
  app::ReportTable t;
  t.id = "per_kwartaal";
  t.title = "Meldingen per kwartaal, 2025";
  t.corner = "Eenheid";
  t.col_labels = {"K1", "K2"};
  t.rows.push_back({"Politie", 0, true, {60.0, 1234.0}});
  t.rows.push_back({"Eenheid Oost & Co", 1, false, {std::nullopt, 7.0}});
  t.note = "x = niet getoond, zodat niemand herkenbaar wordt uit de cijfers.";
  s.tables.push_back(t);
  r.sections.push_back(s);
  auto xlsx = XlsxOf(r);
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  ASSERT_EQ(xlsx->rfind("PK\x03\x04", 0), 0u) << "a zip";
  const auto files = Unzip(*xlsx);
  ASSERT_TRUE(files.count("xl/workbook.xml"));
  ASSERT_TRUE(files.count("xl/sharedStrings.xml"));
  ASSERT_TRUE(files.count("xl/worksheets/sheet1.xml"));
  ASSERT_TRUE(files.count("xl/worksheets/sheet2.xml"));
  const std::string& book = files.at("xl/workbook.xml");
  EXPECT_NE(book.find("name=\"Toelichting\""), std::string::npos);
  EXPECT_NE(book.find("name=\"per_kwartaal\""), std::string::npos);
  const std::string& strings = files.at("xl/sharedStrings.xml");
  for (const char* s :
       {"Jaarverslag Landelijk Meldpunt Misstanden 2025", "Meldingen per kwartaal, 2025", "Eenheid Oost &amp; Co",
        "Cijfers vastgesteld op 05-01-2026", "Te weinig meldingen om per district te publiceren."})
    EXPECT_NE(strings.find(s), std::string::npos) << s;
  EXPECT_NE(strings.find("<t>x</t>"), std::string::npos) << "the hidden cell is the text x";
  const std::string& sheet = files.at("xl/worksheets/sheet2.xml");
  EXPECT_NE(sheet.find("<v>60</v>"), std::string::npos) << "counts are numbers";
  EXPECT_NE(sheet.find("<v>1234</v>"), std::string::npos);
  EXPECT_NE(sheet.find("<v>7</v>"), std::string::npos);
}

TEST(ReportPdf, WithoutChromiumTheMessageSaysWhatToDo) {
  PdfOptions o;
  o.chromium = "/nonexistent/chromium";
  auto pdf = HtmlToPdf("<p>x</p>", o);
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(std::string(pdf.status().message()).find("Chromium"), std::string::npos);
  EXPECT_NE(std::string(pdf.status().message()).find("Opslaan als PDF"), std::string::npos);
}

TEST(ReportPdf, APrintThatHangsIsStopped) {
  // A "browser" that never finishes: the time limit ends it.
  const std::string fake = ::testing::TempDir() + "/waarborg-fake-chromium.sh";
  {
    FILE* f = fopen(fake.c_str(), "w");
    ASSERT_NE(f, nullptr);
    fputs("#!/bin/sh\nsleep 30\n", f);
    fclose(f);
  }
  ASSERT_EQ(chmod(fake.c_str(), 0700), 0);
  PdfOptions o;
  o.chromium = fake;
  o.timeout = std::chrono::seconds(1);
  const auto started = std::chrono::steady_clock::now();
  auto pdf = HtmlToPdf("<p>x</p>", o);
  EXPECT_EQ(pdf.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  remove(fake.c_str());
}

TEST(ReportFormat, DutchNumbers) {
  EXPECT_EQ(NumberNl(0, false), "0");
  EXPECT_EQ(NumberNl(1234567, false), "1.234.567");
  EXPECT_EQ(NumberNl(1234567, false, false), "1234567");
  EXPECT_EQ(NumberNl(83.333, true), "83,3");
  EXPECT_EQ(NumberNl(2.96, true), "3");
  EXPECT_EQ(NumberNl(40.0, true), "40");
  EXPECT_EQ(CellText(std::nullopt, false), "x");
  EXPECT_EQ(CellText(app::kNotApplicable, false), "\u2013");
}

}  // namespace
}  // namespace waarborg::report
