// The annual report through the pages (issue 5 §4), as a person without
// JavaScript uses it: the coordinator asks last year's LMM report with the
// GET form, reads it (charts drawn by the server beside their tables, no
// published count below 5), downloads it as CSV, XLSX and PDF, and every
// showing and download is in the audit trail without its figures. Bad
// parameters give 400 or 422 with a Dutch message; who may not, 403; a
// manager gets the own unit only.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <regex>
#include <string>

#include "harness.h"
#include "html_forms.h"

namespace waarborg::testing {
namespace {

int LastYear() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return tm.tm_year + 1900 - 1;
}

class ReportPages : public ::testing::Test {
 protected:
  // A server of its own: the first report on a year fixes its figures.
  static void SetUpTestSuite() {
    server_ = new Server();
    // Last year, 24 reports: 12 about Amsterdam and 12 about Rotterdam, one a month each.
    Client vpi(*server_, "vpi1");
    ASSERT_TRUE(vpi.ok()) << vpi.login_status();
    const json units = vpi.Get("/api/v1/units").Json()["units"];
    for (const auto& u : units) {
      if (u["name"] == "Eenheid Amsterdam") amsterdam_ = u["id"].get<long long>();
      if (u["name"] == "Eenheid Rotterdam") rotterdam_ = u["id"].get<long long>();
    }
    ASSERT_GT(amsterdam_, 0);
    ASSERT_GT(rotterdam_, 0);
    for (long long unit : {amsterdam_, rotterdam_})
      for (int m = 1; m <= 12; ++m) {
        char date[16];
        std::snprintf(date, sizeof date, "%04d-%02d-15", LastYear(), m);
        Response r = vpi.Post("/api/v1/cases", {{"channel", m % 2 ? "conversation" : "mailbox"},
                                                {"reporter_category", "employee"},
                                                {"summary", "Melding voor het jaarverslag"},
                                                {"description", "Beschrijving van het vermoeden."},
                                                {"unit_id", unit},
                                                {"reporter_name", "Melder"},
                                                {"received_on", date}});
        ASSERT_EQ(r.status, 201) << r.body;
      }
    // The dashboard facts are followed every 200 ms; the first report fixes
    // the figures, so wait until they are all in.
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    // One log-in for the suite: a second one within the same 30 seconds
    // would reuse a TOTP code, which the server refuses.
    coordinator_ = new Browser(LoggedIn("coordinator"));
  }
  static void TearDownTestSuite() {
    delete coordinator_;
    coordinator_ = nullptr;
    delete server_;
    server_ = nullptr;
  }
  static Browser LoggedIn(const std::string& user) {
    Browser b(*server_, user);
    auto ok = b.LogIn();
    EXPECT_TRUE(ok) << ok.message();
    return b;
  }
  static std::string Query() { return "soort=lmm&jaar=" + std::to_string(LastYear()); }

  // The counts in the report's tables (not the percentages and days of the
  // key figures and the turnaround).
  static std::vector<long long> Counts(const std::string& html) {
    std::vector<long long> out;
    std::regex table("<table[^>]*id=\"tabel-([a-z_]+)\"[\\s\\S]*?</table>");
    for (auto t = std::sregex_iterator(html.begin(), html.end(), table); t != std::sregex_iterator(); ++t) {
      const std::string id = (*t)[1].str();
      if (id == "kerncijfers" || id == "doorlooptijd") continue;
      const std::string body = (*t)[0].str();
      std::regex cell("<td class=\"utrecht-table__cell wb-num\">([0-9.]+)</td>");
      for (auto c = std::sregex_iterator(body.begin(), body.end(), cell); c != std::sregex_iterator(); ++c) {
        std::string n = (*c)[1].str();
        n.erase(std::remove(n.begin(), n.end(), '.'), n.end());
        out.push_back(std::stoll(n));
      }
    }
    return out;
  }
  static std::vector<std::string> AuditDetails(const std::string& action) {
    std::vector<std::string> out;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(server_->DbPath().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return out;
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT actor || ' ' || detail FROM audit_events WHERE action=? ORDER BY seq", -1, &s,
                       nullptr);
    sqlite3_bind_text(s, 1, action.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(s) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
  }
  static inline Server* server_ = nullptr;
  static inline Browser* coordinator_ = nullptr;
  static inline long long amsterdam_ = 0, rotterdam_ = 0;
};

TEST_F(ReportPages, CoordinatorReadsLastYearsLmmReportAndDownloadsItAsCsvXlsxAndPdf) {
  const Browser& coordinator = *coordinator_;
  // The form: a GET form, the LMM only for the coordinator.
  Response form = coordinator.Get("/rapportage");
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_TRUE(LooksLikeAPage(form));
  EXPECT_TRUE(Contains(form.body, "href=\"/rapportage\" aria-current=\"page\""));
  const std::string f = FormWith(form.body, "action=\"/rapportage/verslag\"");
  EXPECT_TRUE(Contains(f, "method=\"get\""));
  EXPECT_EQ(OptionValues(f, "soort"), std::vector<std::string>{"lmm"});
  EXPECT_TRUE(Contains(f, "value=\"" + std::to_string(LastYear()) + "\" selected"));

  // The report, print-ready, with its charts and tables.
  Response page = coordinator.Get("/rapportage/verslag?" + Query());
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(LooksLikeAPage(page));
  EXPECT_TRUE(Contains(page.body, "<h1 class=\"utrecht-heading-1\">Jaarverslag Landelijk Meldpunt Misstanden " +
                                      std::to_string(LastYear()) + "</h1>"));
  EXPECT_TRUE(Contains(page.body, "role=\"img\""));
  EXPECT_TRUE(Contains(page.body, "<title id=\"grafiek-per-maand-titel\">"));
  for (const char* t : {"kerncijfers", "per_maand", "per_kwartaal", "kanaal", "verloop", "ontvangstbevestiging"})
    EXPECT_TRUE(Contains(page.body, std::string("id=\"tabel-") + t + "\"")) << t;
  const auto counts = Counts(page.body);
  EXPECT_FALSE(counts.empty());
  for (long long n : counts) EXPECT_TRUE(n == 0 || n >= 5) << n;
  EXPECT_TRUE(Contains(page.body, ">24</td>")) << "the year's total";
  EXPECT_FALSE(Contains(page.body, "&lt;5"));
  EXPECT_TRUE(Contains(page.body, "href=\"/rapportage/verslag/pdf?soort=lmm&amp;jaar="));
  EXPECT_TRUE(Contains(page.body, "href=\"/rapportage/verslag/csv?soort=lmm&amp;jaar=" + std::to_string(LastYear()) +
                                      "&amp;tabel=per_maand\""))
      << page.body.substr(page.body.find("/csv?"), 300);
  EXPECT_TRUE(Contains(page.body, "<script") == false) << "no script needed";

  const std::string stem = "jaarverslag-lmm-" + std::to_string(LastYear());
  Response csv = coordinator.Get("/rapportage/verslag/csv?" + Query() + "&tabel=per_maand");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.headers["content-type"], "text/csv; charset=utf-8");
  EXPECT_EQ(csv.headers["content-disposition"], "attachment; filename=\"" + stem + "-per-maand.csv\"");
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBF"
                           "Maand;Politie Nederland\r\njanuari;",
                           0),
            0u)
      << csv.body;
  EXPECT_TRUE(Contains(csv.body, "\r\nTotaal;24\r\n")) << csv.body;

  Response xlsx = coordinator.Get("/rapportage/verslag/xlsx?" + Query());
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_EQ(xlsx.headers["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx.headers["content-disposition"], "attachment; filename=\"" + stem + ".xlsx\"");
  EXPECT_EQ(xlsx.body.rfind("PK\x03\x04", 0), 0u);

  Response pdf = coordinator.Get("/rapportage/verslag/pdf?" + Query());
  ASSERT_EQ(pdf.status, 200) << pdf.body.substr(0, 2000);
  EXPECT_EQ(pdf.headers["content-type"], "application/pdf");
  EXPECT_EQ(pdf.headers["content-disposition"], "attachment; filename=\"" + stem + ".pdf\"");
  EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
  EXPECT_GT(pdf.body.size(), 10000u);

  // Every showing and download is audited: who, which report, which format; no figures.
  const auto exports = AuditDetails("report.export");
  const std::string what = "coordinator soort=lmm jaar=" + std::to_string(LastYear()) + " maanden=1-12 eenheid=korps";
  EXPECT_EQ(exports, (std::vector<std::string>{what + " formaat=html", what + " formaat=csv tabel=per_maand",
                                               what + " formaat=xlsx", what + " formaat=pdf"}));
  EXPECT_EQ(AuditDetails("report.publish").size(), 1u);
}

TEST_F(ReportPages, BadParametersAreRefusedWithADutchMessage) {
  const Browser& coordinator = *coordinator_;
  const std::string y = std::to_string(LastYear());
  struct Case {
    std::string query;
    int status;
    std::string says;
  };
  for (const Case& c : std::vector<Case>{
           {"soort=vik&jaar=" + y, 400, "Onbekende soort verslag"},
           {"soort=lmm", 400, "Kies een jaar"},
           {"soort=lmm&jaar=twintig", 400, "vier cijfers"},
           {"soort=lmm&van=31-02-" + y + "&tot=31-03-" + y, 400, "geen geldige datum"},
           {"soort=lmm&van=01-03-" + y + "&tot=01-02-" + y, 400, "ligt voor de begindatum"},
           {"soort=lmm&jaar=" + y + "&eenheid=abc", 400, "Onbekende eenheid"},
           {"soort=lmm&jaar=" + std::to_string(LastYear() + 2), 422, "nog niet begonnen"},
           {"soort=lmm&jaar=" + y + "&eenheid=999999", 422, "Onbekende eenheid"},
           {"soort=vertrouwenswerk&jaar=" + y, 403, "centrale vertrouwenspersoon"},
       }) {
    Response r = coordinator.Get("/rapportage/verslag?" + c.query);
    EXPECT_EQ(r.status, c.status) << c.query;
    EXPECT_TRUE(Contains(r.body, c.says)) << c.query << "\n" << r.body;
  }
  EXPECT_EQ(coordinator.Get("/rapportage/verslag/csv?soort=lmm&jaar=" + y).status, 400);
  EXPECT_EQ(coordinator.Get("/rapportage/verslag/csv?soort=lmm&jaar=" + y + "&tabel=geheim").status, 400);
  EXPECT_EQ(coordinator.Get("/rapportage/verslag/xlsx?soort=lmm&jaar=abc").status, 400);
}

TEST_F(ReportPages, OnlyTheRolesThatSteerGetReportsAndAManagerOnlyTheOwnUnit) {
  Browser employee = LoggedIn("employee");
  EXPECT_EQ(employee.Get("/rapportage").status, 403);
  EXPECT_EQ(employee.Get("/rapportage/verslag?" + Query()).status, 403);
  EXPECT_EQ(employee.Get("/rapportage/verslag/pdf?" + Query()).status, 403);
  EXPECT_FALSE(Contains(employee.Get("/start").body, "href=\"/rapportage\""));

  Browser manager = LoggedIn("leidinggevende");
  Response own = manager.Get("/rapportage/verslag?" + Query());
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_TRUE(Contains(own.body, "Eenheid Oost-Nederland")) << "the manager's own unit";
  for (long long n : Counts(own.body)) EXPECT_TRUE(n == 0 || n >= 5) << n;
  Response other = manager.Get("/rapportage/verslag?" + Query() + "&eenheid=" + std::to_string(amsterdam_));
  EXPECT_EQ(other.status, 403);
  EXPECT_TRUE(Contains(other.body, "eigen eenheid"));
  EXPECT_EQ(
      manager
          .Get("/rapportage/verslag/csv?" + Query() + "&eenheid=" + std::to_string(rotterdam_) + "&tabel=per_kwartaal")
          .status,
      403);
  // The form offers the own unit (and its districts), not the whole korps.
  const std::string f = FormWith(manager.Get("/rapportage").body, "action=\"/rapportage/verslag\"");
  const auto units = OptionValues(f, "eenheid");
  EXPECT_EQ(units.size(), 3u);
  EXPECT_EQ(std::find(units.begin(), units.end(), ""), units.end());

  // The competent authority may read both kinds, for any unit.
  Browser authority = LoggedIn("authority");
  EXPECT_EQ(authority.Get("/rapportage/verslag?soort=vertrouwenswerk&jaar=" + std::to_string(LastYear())).status, 200);
  EXPECT_EQ(authority.Get("/rapportage/verslag?" + Query() + "&eenheid=" + std::to_string(amsterdam_)).status, 200);
}

}  // namespace
}  // namespace waarborg::testing
