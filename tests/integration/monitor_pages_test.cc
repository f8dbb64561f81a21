// Protective Monitoring through the pages (issue 6 §6, §10), with HTML forms
// only, on the demo's monitoring (a synthetic organisation whose last three
// weeks ran through the engine; the admin switched to detection mode a week
// ago): the mode on every screen, the trend view with small counts hidden,
// the analyst's queue and a flag's evidence, a review that hands the flag to
// VIK triage, and the two-person resolution of its pseudonym. A server of
// its own per test, so its log-ins do not meet the one-time codes of others.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <fstream>
#include <regex>
#include <string>

#include "harness.h"
#include "html_forms.h"

namespace waarborg::testing {
namespace {

class MonitorPages : public ::testing::Test {
 protected:
  // A server per test: each logs in the same people, and a one-time code
  // is accepted once.
  void SetUp() override { server_ = new Server({"--demo-monitoring", "true"}); }
  void TearDown() override {
    delete server_;
    server_ = nullptr;
  }
  static Browser LoggedIn(const std::string& user) {
    Browser b(*server_, user);
    auto ok = b.LogIn();
    EXPECT_TRUE(ok) << ok.message();
    return b;
  }
  static std::string Page(const Browser& b, const std::string& path, int status = 200) {
    Response r = b.Get(path);
    EXPECT_EQ(r.status, status) << b.user() << " GET " << path << "\n" << r.body;
    if (status == 200) {
      EXPECT_TRUE(LooksLikeAPage(r)) << path;
    }
    return r.body;
  }
  // The first open flag's URL in the analyst's queue.
  static std::string FirstFlag(const Browser& analyst, int skip = 0) {
    const std::string queue = Page(analyst, "/monitoring/signalen");
    std::string::const_iterator from = queue.begin();
    std::smatch m;
    for (int i = 0; i <= skip; ++i) {
      if (!std::regex_search(from, queue.end(), m, std::regex("href=\"(/monitoring/signalen/[0-9]+)\""))) return "";
      from = m[0].second;
    }
    return m[1].str();
  }
  static inline Server* server_ = nullptr;
};

TEST_F(MonitorPages, TheModeIsOnEveryScreenAndOnlyTheAdminSwitchesIt) {
  Browser analyst = LoggedIn("analist");
  Browser admin = LoggedIn("admin");
  Browser employee = LoggedIn("employee");
  ASSERT_FALSE(HasFailure());
  for (const char* path : {"/start", "/monitoring", "/leercasussen"})
    EXPECT_TRUE(Contains(Page(analyst, path), "id=\"monitoring-modus\"")) << path;
  EXPECT_TRUE(Contains(Page(analyst, "/start"), "Detectiemodus"));
  EXPECT_FALSE(Contains(Page(employee, "/start"), "monitoring-modus"));
  EXPECT_FALSE(Contains(Page(employee, "/start"), "href=\"/monitoring\""));
  Page(employee, "/monitoring", 403);
  Page(employee, "/monitoring/signalen", 403);

  // The analyst sees the history, without a form to switch.
  std::string mode = Page(analyst, "/monitoring/modus");
  EXPECT_TRUE(Contains(mode, "OR-besluit 2026-17 (demo)")) << mode;
  EXPECT_TRUE(FormWith(mode, "id=\"omschakelen\"").empty());
  // The admin switches back to trend mode; a decision reference is required.
  std::string page = Page(admin, "/monitoring/modus");
  std::string form = FormWith(page, "id=\"omschakelen\"");
  ASSERT_FALSE(form.empty()) << page;
  EXPECT_EQ(InputValue(form, "modus"), "trend");
  Response refused = admin.Post("/monitoring/modus", {{"csrf", InputValue(form, "csrf")}, {"modus", "trend"}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_TRUE(Contains(refused.body, "kenmerk van het besluit")) << refused.body;
  EXPECT_EQ(
      analyst.Post("/monitoring/modus", {{"csrf", InputValue(form, "csrf")}, {"modus", "trend"}, {"besluit", "x"}})
          .status,
      403);
  Response switched = admin.Post(
      "/monitoring/modus", {{"csrf", InputValue(form, "csrf")}, {"modus", "trend"}, {"besluit", "OR-besluit 2027-02"}});
  EXPECT_EQ(switched.status, 303) << switched.body;
  // In trend mode the analyst's queue holds no individual flag.
  std::string queue = Page(analyst, "/monitoring/signalen");
  EXPECT_TRUE(Contains(queue, "id=\"trendmodus\"")) << queue;
  EXPECT_FALSE(Contains(queue, "/monitoring/signalen/"));
  EXPECT_TRUE(Contains(Page(analyst, "/start"), "Trendmodus"));
  // Back to detection for the other tests.
  page = Page(admin, "/monitoring/modus");
  form = FormWith(page, "id=\"omschakelen\"");
  EXPECT_EQ(admin
                .Post("/monitoring/modus",
                      {{"csrf", InputValue(form, "csrf")}, {"modus", "detectie"}, {"besluit", "OR-besluit 2027-03"}})
                .status,
            303);
}

TEST_F(MonitorPages, TrendViewHidesSmallCounts) {
  Browser privacy = LoggedIn("privacy");
  ASSERT_FALSE(HasFailure());
  const std::string page = Page(privacy, "/monitoring");
  EXPECT_TRUE(Contains(page, "id=\"trend-eenheid\"")) << page;
  // Every figure shown is at least 5, or hidden as x.
  std::smatch m;
  const std::string table = page.substr(page.find("id=\"trend-eenheid\""));
  std::string::const_iterator from = table.begin();
  int cells = 0;
  while (
      std::regex_search(from, table.cend(), m, std::regex("<td class=\"utrecht-table__cell wb-num\">([^<]*)</td>"))) {
    const std::string v = m[1].str();
    if (v != "x") {
      EXPECT_TRUE(v == "0" || std::stoi(v) >= 5) << v;
    }
    ++cells;
    from = m[0].second;
  }
  EXPECT_GT(cells, 0);
  // The privacy officer has no queue.
  Page(privacy, "/monitoring/signalen", 403);
}

TEST_F(MonitorPages, AnalystHandsAFlagToVikAndTwoOthersResolveItsPseudonym) {
  Browser analyst = LoggedIn("analist");
  Browser privacy = LoggedIn("privacy");
  Browser vik = LoggedIn("teamchef-vik");
  ASSERT_FALSE(HasFailure());
  const std::string flag_url = FirstFlag(analyst);
  ASSERT_FALSE(flag_url.empty()) << Page(analyst, "/monitoring/signalen");
  std::string page = Page(analyst, flag_url);
  EXPECT_TRUE(Contains(page, "id=\"bewijs\""));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page, m, std::regex("<code id=\"pseudoniem\">(u[0-9a-f]{16})</code>"))) << page;
  const std::string pseudonym = m[1].str();
  // Nobody's name is on the flag.
  EXPECT_FALSE(Contains(page, "medewerker-"));

  // A review without an explanation is refused at its form.
  std::string review = FormWith(page, "id=\"beoordeling\"");
  ASSERT_FALSE(review.empty()) << page;
  Response refused = analyst.Post(
      flag_url + "/beoordeling",
      {{"csrf", InputValue(review, "csrf")}, {"version", InputValue(review, "version")}, {"uitkomst", "vik"}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_TRUE(Contains(refused.body, "href=\"#beoordeling\"")) << refused.body;
  Response handed = analyst.Post(flag_url + "/beoordeling", {{"csrf", InputValue(review, "csrf")},
                                                             {"version", InputValue(review, "version")},
                                                             {"uitkomst", "vik"},
                                                             {"toelichting", "Opzoekingen passen bij een lek."}});
  ASSERT_EQ(handed.status, 303) << handed.body;
  page = Page(analyst, flag_url);
  ASSERT_TRUE(std::regex_search(page, m,
                                std::regex("id=\"vik-zaak\">[^<]*<a class=\"utrecht-link\" href=\"(/zaken/[0-9]+)\">")))
      << page;
  // VIK's team chief finds the triage case, under the pseudonym.
  const std::string vik_case = Page(vik, m[1].str());
  EXPECT_TRUE(Contains(vik_case, pseudonym)) << vik_case;

  // Resolution: asked with a reason, approved by two others.
  std::string ask = FormWith(page, "id=\"herleiding\"");
  ASSERT_FALSE(ask.empty()) << page;
  Response asked = analyst.Post(flag_url + "/herleiding",
                                {{"csrf", InputValue(ask, "csrf")}, {"reden", "Nodig voor de triage door VIK."}});
  ASSERT_EQ(asked.status, 303) << asked.body;
  const std::string resolution_url = Location(asked);
  std::string res = Page(analyst, resolution_url);
  EXPECT_TRUE(FormWith(res, "/goedkeuren").empty()) << "the requester does not approve";
  EXPECT_TRUE(Contains(Page(privacy, "/monitoring/herleidingen"), resolution_url));
  // The approver may look at the flag while the request is open.
  EXPECT_TRUE(Contains(Page(privacy, flag_url), "id=\"bewijs\""));
  res = Page(privacy, resolution_url);
  std::string approve = FormWith(res, "/goedkeuren");
  ASSERT_FALSE(approve.empty()) << res;
  EXPECT_EQ(privacy
                .Post(resolution_url + "/goedkeuren",
                      {{"csrf", InputValue(approve, "csrf")}, {"version", InputValue(approve, "version")}})
                .status,
            303);
  // One approval: nothing to show yet; the same person cannot approve twice.
  EXPECT_TRUE(FormWith(Page(analyst, resolution_url), "/tonen").empty());
  EXPECT_TRUE(FormWith(Page(privacy, resolution_url), "/goedkeuren").empty());
  res = Page(vik, resolution_url);
  approve = FormWith(res, "/goedkeuren");
  ASSERT_FALSE(approve.empty()) << res;
  EXPECT_EQ(vik.Post(resolution_url + "/goedkeuren",
                     {{"csrf", InputValue(approve, "csrf")}, {"version", InputValue(approve, "version")}})
                .status,
            303);
  // Only the requester sees who it is, on request.
  res = Page(analyst, resolution_url);
  std::string show = FormWith(res, "/tonen");
  ASSERT_FALSE(show.empty()) << res;
  EXPECT_EQ(privacy.Post(resolution_url + "/tonen", {{"csrf", InputValue(show, "csrf")}}).status, 403);
  Response shown = analyst.Post(resolution_url + "/tonen", {{"csrf", InputValue(show, "csrf")}});
  ASSERT_EQ(shown.status, 200) << shown.body;
  ASSERT_TRUE(std::regex_search(shown.body, m,
                                std::regex("id=\"herleid\"><p class=\"utrecht-paragraph\"><strong>([^<]+)</strong> "
                                           "\\(gebruikersnummer (medewerker-[0-9]+)")))
      << shown.body;
  // The name appears nowhere else: not on the resolution page itself.
  EXPECT_FALSE(Contains(Page(analyst, resolution_url), m[2].str()));
  EXPECT_FALSE(Contains(Page(privacy, resolution_url), m[2].str()));
}

// The HTTP batch source (issue 6 §1): a source system posts JSON lines with
// its token; malformed lines are set aside with their reason and the rest is
// processed; the first event of a later day closes and records the day.
TEST_F(MonitorPages, ASourcePostsABatchAndMalformedLinesAreSetAside) {
  std::ifstream in(server_->dir() / "monitor_source.token");
  std::string token;
  ASSERT_TRUE(std::getline(in, token)) << "the server made a source token";
  const std::string path = "/api/monitoring/gebeurtenissen";
  const std::string today = "2099-01-01", tomorrow = "2099-01-02";  // after every demo day
  const std::string batch = "{\"time\":\"" + today +
                            "T01:10:00Z\",\"user\":\"medewerker-3\",\"action\":\"view\","
                            "\"query_type\":\"name\",\"subjects_opened\":[\"S5\"]}\n"
                            "geen json\n"
                            "{\"time\":\"" +
                            today + "T01:11:00Z\",\"action\":\"view\",\"query_type\":\"name\"}\n";
  EXPECT_EQ(Http(server_->port(), "POST", path, batch, {}).status, 401);
  EXPECT_EQ(Http(server_->port(), "POST", path, batch, {{"Authorization", "Bearer " + std::string(token.size(), 'x')}})
                .status,
            401);
  Response r = Http(server_->port(), "POST", path, batch, {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.Json();
  EXPECT_EQ(j["lines"], 3);
  EXPECT_EQ(j["parsed"], 1);
  EXPECT_EQ(j["malformed"], 2);
  ASSERT_EQ(j["set_aside"].size(), 2u);
  EXPECT_EQ(j["set_aside"][0]["line"], 2);
  EXPECT_EQ(j["set_aside"][1]["line"], 3);
  EXPECT_NE(j["set_aside"][1]["reason"].get<std::string>().find("user"), std::string::npos) << r.body;
  EXPECT_EQ(j["days_recorded"], 0);
  // The next day's first event closes the day before.
  const std::string next = "{\"time\":\"" + tomorrow +
                           "T08:00:00Z\",\"user\":\"medewerker-4\",\"action\":\"search\",\"query_type\":\"plate\"}\n";
  r = Http(server_->port(), "POST", path, next, {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["days_recorded"], 1) << r.body;
}

// The NATS JetStream source in the server (issue 6 §1): events published to
// the subject of a real nats-server reach the engine; a malformed one is set
// aside (logged with its reason) and the stream goes on to close the day.
TEST(MonitorNats, TheServerReadsEventsFromTheNatsSubject) {
  const int nats_port = FreePort();
  const std::filesystem::path store =
      std::filesystem::temp_directory_path() / ("waarborg-nats-" + std::to_string(getpid()));
  std::filesystem::create_directories(store);
  const pid_t nats = fork();
  if (nats == 0) {
    const std::string port = std::to_string(nats_port);
    execlp("/usr/sbin/nats-server", "nats-server", "-js", "-a", "127.0.0.1", "-p", port.c_str(), "-sd", store.c_str(),
           static_cast<char*>(nullptr));
    _exit(127);
  }
  bool up = false;
  for (int i = 0; i < 100 && !up; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(nats_port));
    up = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(fd);
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(up) << "nats-server did not start (is it installed? scripts/deps.sh installs it)";
  {
    Server server({"--monitor-nats", "127.0.0.1:" + std::to_string(nats_port), "--demo-monitoring", "true"});
    const std::filesystem::path events = server.dir().string() + "-events.jsonl";
    std::ofstream(events) << "{\"time\":\"2099-01-01T01:10:00Z\",\"user\":\"medewerker-3\",\"action\":\"view\","
                             "\"query_type\":\"name\",\"subjects_opened\":[\"S5\"]}\n"
                          << "kapot\n"
                          << "{\"time\":\"2099-01-02T08:00:00Z\",\"user\":\"medewerker-4\",\"action\":\"search\","
                             "\"query_type\":\"plate\"}\n";
    int rc = -1;
    const std::string out = RunCapture(std::string(MONITOR_NATS_BINARY) + " --port " + std::to_string(nats_port) +
                                           " publish --file " + events.string() + " 2>&1",
                                       &rc);
    EXPECT_EQ(rc, 0) << out;
    std::filesystem::remove(events);
    // The day of the first event is recorded once the next day's event is in.
    bool recorded = false;
    for (int i = 0; i < 100 && !recorded; ++i) {
      sqlite3* db = nullptr;
      if (sqlite3_open_v2(server.DbPath().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* q = nullptr;
        if (sqlite3_prepare_v2(
                db, "SELECT count(*) FROM audit_events WHERE action='monitor.day' AND detail LIKE 'dag 47117:%'", -1,
                &q, nullptr) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW)
          recorded = sqlite3_column_int(q, 0) > 0;
        sqlite3_finalize(q);
      }
      sqlite3_close(db);
      if (!recorded) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(recorded) << "01-01-2099 (day 47117) was recorded";
    std::ifstream log(server.dir().string() + ".log");
    const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    EXPECT_TRUE(Contains(text, "\"msg\":\"monitor event set aside\",\"stream_seq\":2")) << text;
  }
  kill(nats, SIGTERM);
  waitpid(nats, nullptr, 0);
  std::filesystem::remove_all(store);
}

}  // namespace
}  // namespace waarborg::testing
