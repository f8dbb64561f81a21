// The LMM track end to end through the JSON API, as each role (issue 2 §6, §8).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "harness.h"

namespace waarborg::testing {
namespace {

class LmmFlow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new Server();
    employee_ = new Client(*server_, "employee");
    vpi1_ = new Client(*server_, "vpi1");
    vpi2_ = new Client(*server_, "vpi2");
    vpi3_ = new Client(*server_, "vpi3");
    coordinator_ = new Client(*server_, "coordinator");
    authority_ = new Client(*server_, "authority");
    admin_ = new Client(*server_, "admin");
    auditor_ = new Client(*server_, "auditor");
  }
  static void TearDownTestSuite() {
    for (Client* c : {employee_, vpi1_, vpi2_, vpi3_, coordinator_, authority_, admin_, auditor_}) delete c;
    delete server_;
  }

  static std::int64_t PersonId(const Client& c) { return c.Get("/api/v1/me").Json()["person_id"].get<std::int64_t>(); }
  static std::int64_t UnitId(const std::string& name) {
    const json units = coordinator_->Get("/api/v1/units").Json()["units"];
    for (const auto& u : units)
      if (u["name"] == name) return u["id"].get<std::int64_t>();
    return 0;
  }
  static json Case(const Client& c, std::int64_t id) { return c.Get("/api/v1/cases/" + std::to_string(id)).Json(); }
  static std::int64_t Version(std::int64_t id) { return Case(*coordinator_, id)["version"].get<std::int64_t>(); }

  // The employee files a report online about someone in Amsterdam.
  static std::int64_t FileOnline(const std::string& summary = "Declaratiefraude op het bureau") {
    // Filed online by the employee, who leaves their name; the server links
    // no account to it: the employee comes back with the receipt.
    auto r = employee_->Post("/api/v1/cases", {{"channel", "online"},
                                                {"reporter_category", "employee"},
                                                {"summary", summary},
                                                {"description", "Er worden uren gedeclareerd die niet gewerkt zijn."},
                                                {"unit_id", UnitId("Eenheid Amsterdam")},
                                                {"reporter_name", "Sanne Kuipers"}});
    EXPECT_EQ(r.status, 201) << r.body;
    const std::int64_t id = r.Json()["id"].get<std::int64_t>();
    receipts_[id] = r.Json()["receipt"].get<std::string>();
    return id;
  }

  // The reporter's own view, through the receipt.
  static json Mine(std::int64_t id) {
    ReporterClient reporter(*server_, receipts_.at(id));
    EXPECT_TRUE(reporter.ok()) << reporter.login_status();
    return reporter.Case();
  }

  static void StaffAndPass(std::int64_t id) {
    auto r = coordinator_->Post("/api/v1/cases/" + std::to_string(id) + "/staffing",
                                {{"version", Version(id)}, {"reporter_advisor_id", PersonId(*vpi1_)},
                                 {"weighing_advisor_id", PersonId(*vpi2_)}});
    ASSERT_EQ(r.status, 200) << r.body;
    r = vpi2_->Post("/api/v1/cases/" + std::to_string(id) + "/definition-test",
                    {{"version", Version(id)}, {"reasonable_grounds", true}, {"public_interest", true},
                     {"harms", {"statutory_violation"}}});
    ASSERT_EQ(r.status, 200) << r.body;
  }

  static json FullWeighing() {
    json f = json::object();
    for (const char* k : {"concrete", "good_faith", "investigable", "credible"})
      f[k] = {{"met", true}, {"reasoning", "Onderbouwd."}};
    return f;
  }

  static inline Server* server_;
  static inline std::map<std::int64_t, std::string> receipts_;
  static inline Client *employee_, *vpi1_, *vpi2_, *vpi3_, *coordinator_, *authority_, *admin_, *auditor_;
};

TEST_F(LmmFlow, EveryDemoRoleCanLogIn) {
  for (Client* c : {employee_, vpi1_, vpi2_, vpi3_, coordinator_, authority_, admin_, auditor_})
    EXPECT_TRUE(c->ok()) << c->login_status();
}

TEST_F(LmmFlow, WholeTrackFromOnlineReportToAuthorityDecision) {
  const std::int64_t id = FileOnline();
  const std::string base = "/api/v1/cases/" + std::to_string(id);

  // The coordinator sees it waiting for staffing; the adopted-unit VPI is suggested first.
  auto waiting = coordinator_->Get("/api/v1/cases?state=registered").Json()["cases"];
  bool found = false;
  for (const auto& c : waiting) found |= c["id"] == id;
  EXPECT_TRUE(found);
  auto advisors = coordinator_->Get(base + "/advisors").Json()["advisors"];
  ASSERT_FALSE(advisors.empty());
  EXPECT_TRUE(advisors[0]["adopted_unit"].get<bool>());  // vpi1 adopted Amsterdam
  EXPECT_EQ(advisors[0]["person_id"], PersonId(*vpi1_));

  // Deadlines: acknowledgement within 7 days, feedback within 3 months.
  auto c = Case(*coordinator_, id);
  ASSERT_EQ(c["deadlines"].size(), 2u);
  EXPECT_EQ(c["deadlines"][0]["kind"], "acknowledgement");
  EXPECT_EQ(c["deadlines"][1]["kind"], "feedback");

  StaffAndPass(id);
  auto r = vpi1_->Post(base + "/acknowledgement", {{"version", Version(id)}});
  ASSERT_EQ(r.status, 200) << r.body;

  r = vpi2_->Post(base + "/weighing", {{"version", Version(id)}, {"findings", FullWeighing()},
                                       {"expected_end", "2099-01-15"}});
  ASSERT_EQ(r.status, 200) << r.body;
  r = vpi2_->Post(base + "/reviewers", {{"version", Version(id)}, {"person_id", PersonId(*vpi3_)}});
  ASSERT_EQ(r.status, 200) << r.body;

  // Advice is refused until the coordinator and another VPI have reviewed.
  json advice = {{"is_suspected_wrongdoing", true}, {"investigate_now", true}, {"reasoning", "Alle criteria."}};
  json body = advice;
  body["version"] = Version(id);
  EXPECT_EQ(vpi2_->Post(base + "/advice", body).status, 409);

  r = coordinator_->Post(base + "/reviews", {{"version", Version(id)}, {"agrees", true}, {"opinion", "Zorgvuldig."}});
  ASSERT_EQ(r.status, 200) << r.body;
  r = vpi3_->Post(base + "/reviews", {{"version", Version(id)}, {"agrees", true}, {"opinion", "Eens."}});
  ASSERT_EQ(r.status, 200) << r.body;

  // The communication gate, while weighing: reporter and reporter's VPI see the
  // expected end date, not the content.
  for (const json& view : {Mine(id), Case(*vpi1_, id)}) {
    EXPECT_EQ(view["weighing_expected_end"], "2099-01-15");
    EXPECT_FALSE(view.contains("weighing")) << view.dump();
    EXPECT_FALSE(view.contains("advice"));
  }
  EXPECT_NE(Mine(id)["status_for_reporter"].get<std::string>().find("15-01-2099"), std::string::npos);

  body = advice;
  body["version"] = Version(id);
  r = vpi2_->Post(base + "/advice", body);
  ASSERT_EQ(r.status, 200) << r.body;

  // Advised: the authority sees it; reporter and reporter's VPI still not the advice.
  auto awaiting = authority_->Get("/api/v1/cases?state=advised").Json()["cases"];
  found = false;
  for (const auto& a : awaiting) found |= a["id"] == id;
  EXPECT_TRUE(found);
  EXPECT_TRUE(Case(*authority_, id).contains("advice"));
  EXPECT_FALSE(Mine(id).contains("advice"));
  EXPECT_FALSE(Case(*vpi1_, id).contains("advice"));

  r = authority_->Post(base + "/decision", {{"version", Version(id)}, {"adopts_advice", true}, {"investigate", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto after = Mine(id);
  EXPECT_EQ(after["state"], "investigation");
  EXPECT_TRUE(after.contains("advice"));  // adopted: now the reporter may know
  EXPECT_TRUE(after.contains("decision"));

  // Feedback closes the 3-month deadline.
  r = vpi1_->Post(base + "/feedback", {{"version", Version(id)}, {"text", "Onderzoek gestart."}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto deadlines = Case(*coordinator_, id)["deadlines"];
  for (const auto& d : deadlines) EXPECT_FALSE(d["met_on"].is_null()) << d.dump();
}

TEST_F(LmmFlow, ReporterIdentityIsShownOnlyToTheTwoVpisAndTheCoordinator) {
  const std::int64_t id = FileOnline("Identiteitstest");
  StaffAndPass(id);
  const std::string base = "/api/v1/cases/" + std::to_string(id);
  auto r = vpi2_->Post(base + "/reviewers", {{"version", Version(id)}, {"person_id", PersonId(*vpi3_)}});
  ASSERT_EQ(r.status, 200) << r.body;
  for (Client* allowed : {vpi1_, vpi2_, coordinator_}) {
    auto v = Case(*allowed, id);
    EXPECT_TRUE(v["identity_visible"].get<bool>());
    EXPECT_EQ(v["reporter"], "Sanne Kuipers");
  }
  auto reviewer = Case(*vpi3_, id);  // a reviewer, not one of the two
  EXPECT_FALSE(reviewer["identity_visible"].get<bool>());
  EXPECT_EQ(reviewer["reporter"].get<std::string>().rfind("Melder ", 0), 0u);
  EXPECT_FALSE(reviewer.contains("reporter_identity"));
  EXPECT_EQ(reviewer.dump().find("Sanne Kuipers"), std::string::npos);
}

TEST_F(LmmFlow, ForbiddenActionsGive403AndChangeNothing) {
  const std::int64_t id = FileOnline("Toegangstest");
  const std::string base = "/api/v1/cases/" + std::to_string(id);
  const std::int64_t v0 = Version(id);
  // Only the coordinator staffs.
  auto r = vpi1_->Post(base + "/staffing", {{"version", v0}, {"reporter_advisor_id", PersonId(*vpi1_)},
                                             {"weighing_advisor_id", PersonId(*vpi2_)}});
  EXPECT_EQ(r.status, 403);
  EXPECT_FALSE(r.Json()["error"]["message"].get<std::string>().empty());
  // A VPI not on the case, the admin and the auditor may not open it.
  EXPECT_EQ(vpi3_->Get(base).status, 403);
  EXPECT_EQ(admin_->Get(base).status, 403);
  EXPECT_EQ(auditor_->Get(base).status, 403);
  EXPECT_EQ(Version(id), v0);

  StaffAndPass(id);
  const std::int64_t v1 = Version(id);
  // The reporter's VPI never weighs, reviews or advises.
  EXPECT_EQ(vpi1_->Post(base + "/weighing", {{"version", v1}, {"findings", FullWeighing()}}).status, 403);
  EXPECT_EQ(vpi1_->Post(base + "/reviews", {{"version", v1}, {"agrees", true}, {"opinion", "x"}}).status, 403);
  EXPECT_EQ(vpi1_->Post(base + "/advice", {{"version", v1}, {"is_suspected_wrongdoing", true},
                                           {"investigate_now", false}, {"reasoning", "x"}}).status, 403);
  // The reporter (employee) cannot take steps.
  EXPECT_EQ(employee_->Post(base + "/acknowledgement", {{"version", v1}}).status, 403);
  // Only the authority decides.
  EXPECT_EQ(coordinator_->Post(base + "/decision", {{"version", v1}, {"adopts_advice", true}, {"investigate", false}}).status,
            403);
  EXPECT_EQ(Version(id), v1);
  // Denials are audited.
  auto events = auditor_->Get("/api/v1/audit?case_id=" + std::to_string(id) + "&action=case.").Json()["events"];
  bool denied = false;
  for (const auto& e : events) denied |= e["action"].get<std::string>().find("_denied") != std::string::npos;
  EXPECT_TRUE(denied);
}

TEST_F(LmmFlow, InvalidTransitionsGive409AndChangeNothing) {
  const std::int64_t id = FileOnline("Volgordetest");
  const std::string base = "/api/v1/cases/" + std::to_string(id);
  const std::int64_t v0 = Version(id);
  // Advice before two VPIs are assigned.
  auto r = coordinator_->Post(base + "/advice", {{"version", v0}, {"is_suspected_wrongdoing", true},
                                                 {"investigate_now", true}, {"reasoning", "Te vroeg."}});
  EXPECT_EQ(r.status, 409) << r.body;
  // A decision before an advice.
  r = authority_->Post(base + "/decision", {{"version", v0}, {"adopts_advice", true}, {"investigate", true}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(Version(id), v0);
  EXPECT_EQ(Case(*coordinator_, id)["state"], "registered");
}

TEST_F(LmmFlow, StaleVersionGives409) {
  const std::int64_t id = FileOnline("Versietest");
  const std::string base = "/api/v1/cases/" + std::to_string(id);
  const std::int64_t v0 = Version(id);
  ASSERT_EQ(coordinator_->Post(base + "/acknowledgement", {{"version", v0}}).status, 200);
  auto r = coordinator_->Post(base + "/staffing", {{"version", v0}, {"reporter_advisor_id", PersonId(*vpi1_)},
                                                   {"weighing_advisor_id", PersonId(*vpi2_)}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(Case(*coordinator_, id)["state"], "registered");
}

TEST_F(LmmFlow, StaffingRefusesTheReporterAndNamedSubjectsAsVpi) {
  // A report taken in by vpi3 in which vpi2 is the reporter and vpi1 is named.
  auto r = vpi3_->Post("/api/v1/cases", {{"channel", "conversation"}, {"reporter_category", "employee"},
                                          {"summary", "Belangenverstrengeling"}, {"description", "Details."},
                                          {"unit_id", UnitId("Eenheid Amsterdam")},
                                          {"reporter_person_id", PersonId(*vpi2_)},
                                          {"subject_person_ids", {PersonId(*vpi1_)}}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::int64_t id = r.Json()["id"].get<std::int64_t>();
  const std::string base = "/api/v1/cases/" + std::to_string(id);
  r = coordinator_->Post(base + "/staffing", {{"version", Version(id)}, {"reporter_advisor_id", PersonId(*vpi2_)},
                                              {"weighing_advisor_id", PersonId(*vpi3_)}});
  EXPECT_EQ(r.status, 403) << r.body;
  r = coordinator_->Post(base + "/staffing", {{"version", Version(id)}, {"reporter_advisor_id", PersonId(*vpi3_)},
                                              {"weighing_advisor_id", PersonId(*vpi1_)}});
  EXPECT_EQ(r.status, 403) << r.body;
  auto advisors = coordinator_->Get(base + "/advisors").Json()["advisors"];
  for (const auto& a : advisors) {
    if (a["person_id"] == PersonId(*vpi1_) || a["person_id"] == PersonId(*vpi2_)) {
      EXPECT_FALSE(a["eligible"].get<bool>());
    }
  }
  EXPECT_EQ(Case(*coordinator_, id)["state"], "registered");
}

TEST_F(LmmFlow, DefinitionTestExclusionRefersAndCloses) {
  const std::int64_t id = FileOnline("Arbeidsconflict");
  const std::string base = "/api/v1/cases/" + std::to_string(id);
  auto r = coordinator_->Post(base + "/staffing", {{"version", Version(id)}, {"reporter_advisor_id", PersonId(*vpi1_)},
                                                   {"weighing_advisor_id", PersonId(*vpi2_)}});
  ASSERT_EQ(r.status, 200);
  // Excluded without a referral: 422.
  r = vpi2_->Post(base + "/definition-test", {{"version", Version(id)}, {"reasonable_grounds", true},
                                              {"public_interest", false}, {"exclusions", {"labour_dispute"}}});
  EXPECT_EQ(r.status, 422);
  r = vpi2_->Post(base + "/definition-test", {{"version", Version(id)}, {"reasonable_grounds", true},
                                              {"public_interest", false}, {"exclusions", {"labour_dispute"}},
                                              {"referral", "hrm"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto view = Mine(id);
  EXPECT_EQ(view["state"], "referred");
  EXPECT_NE(view["status_for_reporter"].get<std::string>().find("HRM"), std::string::npos);
}

TEST_F(LmmFlow, BadInputIsRefusedClearly) {
  const std::string unit = std::to_string(UnitId("Eenheid Amsterdam"));
  auto before = coordinator_->Get("/api/v1/cases?limit=200").Json()["cases"].size();
  EXPECT_EQ(employee_->PostRaw("/api/v1/cases", "{not json").status, 400);
  auto r = employee_->PostRaw("/api/v1/cases", R"({"channel":"online","colour":"red"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.Json()["error"]["message"].get<std::string>().find("colour"), std::string::npos);
  EXPECT_EQ(employee_->PostRaw("/api/v1/cases", R"({"channel":"online","unit_id":"x"})").status, 422);
  EXPECT_EQ(employee_->PostRaw("/api/v1/cases", R"({"channel":"online","reporter_category":"employee","unit_id":)" +
                                                    unit + R"(,"summary":"","description":"x"})").status,
            422);
  // Oversized body (limit 1 MiB) is refused with a clear 413.
  std::string big = R"({"channel":"online","description":")" + std::string(2 << 20, 'a') + "\"}";
  auto huge = employee_->PostRaw("/api/v1/cases", big);
  EXPECT_EQ(huge.status, 413);
  EXPECT_NE(huge.Json()["error"]["message"].get<std::string>().find("te groot"), std::string::npos);
  // Missing CSRF token.
  EXPECT_EQ(employee_->PostRaw("/api/v1/cases", "{}", /*with_csrf=*/false).status, 403);
  auto after = coordinator_->Get("/api/v1/cases?limit=200").Json()["cases"].size();
  EXPECT_EQ(before, after);
}

TEST_F(LmmFlow, ReporterVpiRecordsAdverseTreatmentWithADate) {
  const std::int64_t id = FileOnline("Benadelingstest");
  StaffAndPass(id);
  const std::string base = "/api/v1/cases/" + std::to_string(id);
  EXPECT_EQ(vpi1_->Post(base + "/protection", {{"kind", "adverse_treatment"}, {"text", "Buitengesloten."}}).status, 422);
  auto r = vpi1_->Post(base + "/protection", {{"kind", "adverse_treatment"}, {"on", "2026-01-05"},
                                               {"text", "Buitengesloten van overleg."}});
  EXPECT_EQ(r.status, 201) << r.body;
  // Only the reporter's VPI and the coordinator see it.
  EXPECT_NE(Case(*vpi1_, id).dump().find("Buitengesloten van overleg"), std::string::npos);
  EXPECT_NE(Case(*coordinator_, id).dump().find("Buitengesloten van overleg"), std::string::npos);
  EXPECT_EQ(Case(*vpi2_, id).dump().find("Buitengesloten van overleg"), std::string::npos);
  EXPECT_EQ(Mine(id).dump().find("Buitengesloten van overleg"), std::string::npos);
  EXPECT_EQ(vpi2_->Post(base + "/protection", {{"kind", "contact"}, {"text", "x"}}).status, 403);
}

TEST_F(LmmFlow, CaseShowsWhoLookedAndAuditorCanSearch) {
  const std::int64_t id = FileOnline("Inzagetest");
  StaffAndPass(id);
  Case(*vpi2_, id);
  auto view = coordinator_->Get("/api/v1/cases/" + std::to_string(id) + "?access_log=1").Json();
  ASSERT_TRUE(view.contains("access_log"));
  bool vpi2_seen = false;
  for (const auto& e : view["access_log"]) vpi2_seen |= e["actor"] == "vpi2" && e["action"] == "case.read";
  EXPECT_TRUE(vpi2_seen);
  EXPECT_FALSE(vpi2_->Get("/api/v1/cases/" + std::to_string(id) + "?access_log=1").Json().contains("access_log"));
  // The reporter's own actions are audited without their account name.
  auto events = auditor_->Get("/api/v1/audit?case_id=" + std::to_string(id)).Json()["events"];
  bool create_by_reporter = false;
  for (const auto& e : events) {
    EXPECT_NE(e["actor"], "employee");
    create_by_reporter |= e["action"] == "case.create" && e["actor"] == "melder";
  }
  EXPECT_TRUE(create_by_reporter);
  EXPECT_EQ(vpi1_->Get("/api/v1/audit").status, 403);
}

TEST_F(LmmFlow, AdminManagesAccountsRolesAndAdoptedUnits) {
  const std::int64_t team = UnitId("Amsterdam team 1.1");
  ASSERT_NE(team, 0);
  json person = {{"name", "Nieuwe Collega"}, {"position", "VPI"}, {"rank", "Schaal 9"}, {"team_id", team},
                 {"manager_id", PersonId(*employee_)}};
  EXPECT_EQ(coordinator_->Post("/api/v1/admin/people", person).status, 403);
  auto r = admin_->Post("/api/v1/admin/people", person);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::int64_t pid = r.Json()["id"].get<std::int64_t>();
  json account = {{"person_id", pid}, {"username", "vpi9"}, {"password", "kort"}, {"roles", {"vpi"}}};
  EXPECT_EQ(admin_->Post("/api/v1/admin/accounts", account).status, 422);  // password too short
  account["password"] = "een-lang-wachtwoord";
  EXPECT_EQ(vpi1_->Post("/api/v1/admin/accounts", account).status, 403);
  r = admin_->Post("/api/v1/admin/accounts", account);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(admin_->Post("/api/v1/admin/accounts", account).status, 409);  // one account per person
  EXPECT_EQ(coordinator_->Post("/api/v1/admin/adopted-units",
                               {{"advisor_person_id", pid}, {"unit_id", UnitId("Eenheid Limburg")}}).status,
            201);
  auto detail = admin_->Get("/api/v1/people/" + std::to_string(pid)).Json();
  EXPECT_EQ(detail["adopted_units"].size(), 1u);
  EXPECT_FALSE(detail["chain_of_command"].empty());
  // A new VPI must set up a second factor at first log-in.
  auto login = Http(server_->port(), "POST", "/api/v1/session",
                    R"({"username":"vpi9","password":"een-lang-wachtwoord"})");
  ASSERT_EQ(login.status, 200);
  EXPECT_TRUE(login.Json()["second_factor_enrolment"].get<bool>());
}

TEST(Server, HealthReadyAndUnknownRoutes) {
  Server s;
  EXPECT_EQ(Http(s.port(), "GET", "/healthz").status, 200);
  EXPECT_EQ(Http(s.port(), "GET", "/readyz").status, 200);
  auto api = Http(s.port(), "GET", "/api/v1/nope");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.Json()["error"]["status"], 404);
  EXPECT_EQ(Http(s.port(), "GET", "/bestaat-niet").status, 404);
  EXPECT_EQ(Http(s.port(), "GET", "/api/v1/cases").status, 401);
}

TEST(Server, LanguageChoiceIsKeptAndNeverRedirectsAway) {
  Server s;
  auto r = Http(s.port(), "GET", "/taal/en?terug=%2Finloggen");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.headers["location"], "/inloggen");
  const std::string cookie = r.headers["set-cookie"].substr(0, r.headers["set-cookie"].find(';'));
  EXPECT_EQ(cookie, "wb_lang=en");
  EXPECT_NE(Http(s.port(), "GET", "/inloggen", "", {{"Cookie", cookie}}).body.find("<html lang=\"en\""),
            std::string::npos);
  EXPECT_NE(Http(s.port(), "GET", "/inloggen").body.find("<html lang=\"nl\""), std::string::npos);
  EXPECT_EQ(Http(s.port(), "GET", "/taal/en?terug=%2F%2Fevil.example").headers["location"], "/");
  EXPECT_EQ(Http(s.port(), "GET", "/taal/fr").status, 404);
}

TEST(Server, SecondFactorRequiredForVpi) {
  Server s;
  auto r = Http(s.port(), "POST", "/api/v1/session", R"({"username":"vpi1","password":"waarborg-demo"})");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.Json()["second_factor_required"].get<bool>());
  auto cookie = r.headers["set-cookie"];
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  std::string jar = cookie.substr(0, cookie.find(';'));
  EXPECT_EQ(Http(s.port(), "GET", "/api/v1/me", "", {{"Cookie", jar}}).status, 401);
  std::string csrf = r.Json()["csrf_token"];
  auto bad = Http(s.port(), "POST", "/api/v1/session/totp", R"({"code":"000000"})",
                  {{"Cookie", jar}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(bad.status, 401);
  auto good = Http(s.port(), "POST", "/api/v1/session/totp", json{{"code", s.TotpFor("vpi1")}}.dump(),
                   {{"Cookie", jar}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(good.status, 200) << good.body;
  // The token is rotated after the second factor: the old cookie is worthless.
  EXPECT_EQ(Http(s.port(), "GET", "/api/v1/me", "", {{"Cookie", jar}}).status, 401);
  jar = good.headers["set-cookie"].substr(0, good.headers["set-cookie"].find(';'));
  EXPECT_EQ(Http(s.port(), "GET", "/api/v1/me", "", {{"Cookie", jar}}).status, 200);
  // Log-out ends the session.
  EXPECT_EQ(Http(s.port(), "DELETE", "/api/v1/session", "", {{"Cookie", jar}, {"X-CSRF-Token", csrf}}).status, 200);
  EXPECT_EQ(Http(s.port(), "GET", "/api/v1/me", "", {{"Cookie", jar}}).status, 401);
}

TEST(Server, SigtermFinishesRequestsInFlight) {
  Server s;
  std::vector<std::thread> clients;
  std::vector<int> statuses(3, 0);
  for (int i = 0; i < 3; ++i) {
    clients.emplace_back([&, i] {
      // A log-in takes a while (Argon2id), so it is still running at SIGTERM.
      statuses[i] = Http(s.port(), "POST", "/api/v1/session",
                         R"({"username":"employee","password":"waarborg-demo"})").status;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_EQ(s.Stop(), 0);
  for (auto& t : clients) t.join();
  for (int st : statuses) EXPECT_EQ(st, 200);
}

TEST(Server, FailedLoginsAreThrottledPerAccount) {
  Server s;
  for (int i = 0; i < 5; ++i) {
    auto r = Http(s.port(), "POST", "/api/v1/session", R"({"username":"employee","password":"fout"})");
    EXPECT_EQ(r.status, 401);
  }
  auto r = Http(s.port(), "POST", "/api/v1/session", R"({"username":"employee","password":"waarborg-demo"})");
  EXPECT_EQ(r.status, 429);
}

TEST(Server, AuditVerifyFindsTamperingAndSigtermExitsCleanly) {
  Server s;
  { Client c(s, "coordinator"); c.Get("/api/v1/cases/1"); }
  EXPECT_EQ(s.Stop(), 0);  // SIGTERM: clean exit
  int code = -1;
  std::string out = RunCapture(std::string(WAARBORG_BINARY) + " audit verify --data " + s.dir().string(), &code);
  EXPECT_EQ(code, 0) << out;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(s.DbPath().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE audit_events SET detail='vervalst' WHERE seq=5", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  out = RunCapture(std::string(WAARBORG_BINARY) + " audit verify --data " + s.dir().string(), &code);
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("gebeurtenis 5"), std::string::npos) << out;
}

}  // namespace
}  // namespace waarborg::testing
