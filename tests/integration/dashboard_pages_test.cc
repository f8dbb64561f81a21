// The dashboards through the pages (issue 5 §1-3), as a person without
// JavaScript uses them: the VIK team chief sees the figures of VIK's tracks,
// no published number is below 5, a figure drills down to the cases the
// viewer may open, a new case shows within a second (the version the
// page's script follows, and the figures on reload), and someone without a
// steering role gets no dashboard.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>

#include "harness.h"
#include "html_forms.h"

namespace waarborg::testing {
namespace {

// Issue 5 §2: a change shows within a second. Under the sanitizers the
// server runs several times slower; there the test checks that the change
// arrives at all, with room, and the figure itself is measured on a normal
// build (here and in bench/, docs/performance.md).
#ifdef WAARBORG_SANITIZED
constexpr auto kShownWithin = std::chrono::seconds(4);
#else
constexpr auto kShownWithin = std::chrono::seconds(1);
#endif

class DashboardPages : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new Server(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static Browser LoggedIn(const std::string& user) {
    Browser b(*server_, user);
    auto ok = b.LogIn();
    EXPECT_TRUE(ok) << ok.message();
    return b;
  }
  static long long Version(const Browser& b) {
    Response r = b.Get("/dashboard/versie");
    EXPECT_EQ(r.status, 200) << r.body;
    std::smatch m;
    if (!std::regex_search(r.body, m, std::regex("\"versie\":(\\d+)"))) return -1;
    return std::stoll(m[1].str());
  }
  // The numbers shown in the table with this id (suppressed cells excluded).
  static std::vector<long long> Numbers(const std::string& html, const std::string& table_id) {
    std::vector<long long> out;
    const auto at = html.find("id=\"tabel-" + table_id + "\"");
    if (at == std::string::npos) return out;
    const auto end = html.find("</table>", at);
    const std::string t = html.substr(at, end - at);
    std::regex cell("<td class=\"utrecht-table__cell wb-num\">(?:<a[^>]*>)?([0-9.]+)(?:</a>)?</td>");
    for (auto it = std::sregex_iterator(t.begin(), t.end(), cell); it != std::sregex_iterator(); ++it) {
      std::string n = (*it)[1].str();
      n.erase(std::remove(n.begin(), n.end(), '.'), n.end());
      out.push_back(std::stoll(n));
    }
    return out;
  }
  static inline Server* server_ = nullptr;
};

TEST_F(DashboardPages, TeamChiefSeesVikFiguresAndANewCaseShowsWithinASecond) {
  Browser chief = LoggedIn("teamchef-vik");
  Response page = chief.Get("/dashboard");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(LooksLikeAPage(page));
  EXPECT_TRUE(Contains(page.body, "href=\"/dashboard\" aria-current=\"page\""));
  EXPECT_TRUE(Contains(page.body, "VIK (centraal)"));
  for (const char* t : {"open_by_state", "deadlines", "turnaround", "trend"})
    EXPECT_TRUE(Contains(page.body, std::string("id=\"tabel-") + t + "\"")) << t;
  // Only VIK's tracks: not the LMM, not the complaints.
  EXPECT_FALSE(Contains(page.body, "Landelijk Meldpunt Misstanden"));
  // No published count is 1 to 4.
  for (const char* t : {"open_by_state", "open_by_unit", "deadlines", "trend"})
    for (long long n : Numbers(page.body, t)) EXPECT_TRUE(n == 0 || n >= 5) << t << ": " << n;
  // The script that keeps it current is there, and the page says a reload works without it.
  EXPECT_TRUE(Contains(page.body, "<script src=\"/static/dashboard.js\" defer></script>"));
  EXPECT_TRUE(Contains(page.body, "Laad de pagina opnieuw voor de nieuwste cijfers."));

  // The triage officer registers five signals; the team chief's version
  // moves within a second and the page then counts them.
  Browser triagist = LoggedIn("triagist");
  const long long before = Version(chief);
  ASSERT_GE(before, 0);
  const std::string form = FormWith(triagist.Get("/zaken/nieuw/vik_triage").body,
                                    "method=\"post\" action=\"/zaken/nieuw/vik_triage\"");
  const auto units = OptionValues(form, "eenheid");
  ASSERT_FALSE(units.empty());
  for (int i = 0; i < 5; ++i) {
    Response created = triagist.Post("/zaken/nieuw/vik_triage", {{"csrf", InputValue(form, "csrf")},
                                                                  {"eenheid", units[0]},
                                                                  {"samenvatting", "Signaal " + std::to_string(i)}});
    ASSERT_EQ(created.status, 303) << created.body;
  }
  // The version moves with each refresh, and a refresh may fall between two
  // of the five writes: wait for the figures that hold all five, not for the
  // first move of the version.
  const auto written = std::chrono::steady_clock::now();
  Response reloaded;
  std::vector<long long> open;
  bool moved = false;
  while (std::chrono::steady_clock::now() - written < std::chrono::seconds(5)) {
    moved = moved || Version(chief) > before;
    if (moved) {
      reloaded = chief.Get("/dashboard");
      open = Numbers(reloaded.body, "open_by_state");
      if (open == std::vector<long long>{7}) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto took = std::chrono::steady_clock::now() - written;
  EXPECT_TRUE(moved) << "the version the page's script follows never moved";
  EXPECT_LT(took, kShownWithin) << "the change took "
                                << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                                << " ms to reach the dashboard";
  // VIK now has the demo's triage and investigation and the five: 7 open.
  // With two single cases beside five, the protection shows only the total
  // (and says so): splitting would expose the two.
  EXPECT_EQ(open, (std::vector<long long>{7})) << reloaded.body;
  EXPECT_TRUE(Contains(reloaded.body, "alleen het totaal")) << "the note says why";

  // Drilling down lists the cases behind a figure that the team chief may open.
  Response drill = chief.Get("/dashboard/zaken?track=vik_triage&state=received");
  ASSERT_EQ(drill.status, 200) << drill.body;
  EXPECT_TRUE(LooksLikeAPage(drill));
  EXPECT_EQ(Count(drill.body, "href=\"/zaken/"), 5u) << drill.body;
  // Outside the team chief's scope: refused.
  EXPECT_EQ(chief.Get("/dashboard/zaken?track=lmm").status, 404);
}

TEST_F(DashboardPages, NoDashboardWithoutASteeringRole) {
  Browser employee = LoggedIn("employee");
  EXPECT_EQ(employee.Get("/dashboard").status, 403);
  EXPECT_EQ(employee.Get("/dashboard/versie").status, 403);
  EXPECT_FALSE(Contains(employee.Get("/start").body, "href=\"/dashboard\""));
}

}  // namespace
}  // namespace waarborg::testing
