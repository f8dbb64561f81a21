// The pages of the tracks defined as data (/zaken), through HTML forms only,
// as a person without JavaScript would use them: the demo triage officer
// registers a VIK signal, starts the triage and chooses a line inquiry with
// the eight uniform criteria; refused steps come back with the message at
// their form and change nothing; someone without a track role gets nothing.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "adapters/http/http_types.h"
#include "harness.h"
#include "html_forms.h"

namespace waarborg::testing {
namespace {

// ------------------------------------------------------------------ fixture

class TrackPages : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new Server(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  // A logged-in browser for `user` (fails the test when it cannot log in).
  static Browser LoggedIn(const std::string& user) {
    Browser b(*server_, user);
    auto ok = b.LogIn();
    EXPECT_TRUE(ok) << ok.message();
    return b;
  }

  static std::string CaseUrl(const std::string& id) { return "/zaken/" + id; }

  static std::string CasePage(const Browser& b, const std::string& id) {
    Response r = b.Get(CaseUrl(id));
    EXPECT_EQ(r.status, 200) << b.user() << " opening " << CaseUrl(id) << "\n" << r.body;
    EXPECT_TRUE(LooksLikeAPage(r)) << CaseUrl(id);
    return r.body;
  }

  // Fills in the form of step `action` as a browser would: hidden csrf and
  // version from the form, plus `fields` (each must be a field of the form).
  static Response PostStep(const Browser& b, const std::string& id, const std::string& action, const Fields& fields,
                           const std::string& version_override = "") {
    const std::string page = CasePage(b, id);
    const std::string form = FormWith(page, "id=\"stap-" + action + "\"");
    if (form.empty()) {
      ADD_FAILURE() << b.user() << " sees no form for step " << action << " on case " << id;
      return Response{};
    }
    EXPECT_TRUE(Contains(form, "method=\"post\"")) << action;
    EXPECT_TRUE(Contains(form, "action=\"" + CaseUrl(id) + "/stap/" + action + "\"")) << action;
    Fields body{{"csrf", InputValue(form, "csrf")},
                {"version", version_override.empty() ? InputValue(form, "version") : version_override}};
    for (const auto& [k, v] : fields) {
      EXPECT_TRUE(Contains(form, "name=\"" + k + "\"")) << "form " << action << " has no field " << k;
      body.push_back({k, v});
    }
    return b.Post(CaseUrl(id) + "/stap/" + action, body);
  }

  static inline Server* server_ = nullptr;
};

constexpr const char* kSummary = "Signaal van de leidinggevende over declaraties";
constexpr const char* kNewForm = "method=\"post\" action=\"/zaken/nieuw/vik_triage\"";

TEST_F(TrackPages, TriageOfficerWalksAVikSignalToALineInquiry) {
  Browser triagist = LoggedIn("triagist");
  ASSERT_FALSE(HasFailure());

  // The list: "Zaken" in the menu, and a link to register on VIK triage.
  Response list = triagist.Get("/zaken");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(LooksLikeAPage(list));
  EXPECT_TRUE(Contains(list.body, "href=\"/zaken\" aria-current=\"page\"")) << "Zaken is not the current menu item";
  EXPECT_TRUE(Contains(list.body, "href=\"/zaken/nieuw/vik_triage\"")) << list.body;
  EXPECT_TRUE(Contains(list.body, "Nieuwe zaak: Triage VIK"));

  // The new-case form: labels on every field; refused input comes back with
  // Dutch messages at the fields and what was typed.
  Response blank = triagist.Get("/zaken/nieuw/vik_triage");
  ASSERT_EQ(blank.status, 200) << blank.body;
  EXPECT_TRUE(LooksLikeAPage(blank));
  const std::string form = FormWith(blank.body, kNewForm);
  ASSERT_FALSE(form.empty());
  for (const char* f : {"eenheid", "samenvatting", "ontvangen_op", "betrokkene", "klager"})
    EXPECT_TRUE(Contains(form, std::string("<label class=\"utrecht-form-label\" for=\"") + f + "\"")) << f;
  const std::string csrf = InputValue(form, "csrf");
  const auto units = OptionValues(form, "eenheid");
  ASSERT_FALSE(units.empty());

  Response refused = triagist.Post(
      "/zaken/nieuw/vik_triage",
      {{"csrf", csrf}, {"samenvatting", kSummary}, {"ontvangen_op", "31-02-2026"}, {"betrokkene", "abc"}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(LooksLikeAPage(refused));
  EXPECT_TRUE(Contains(refused.body, "id=\"eenheid-fout\"")) << refused.body;
  EXPECT_TRUE(Contains(refused.body, "Kies de eenheid waar de zaak speelt."));
  EXPECT_TRUE(Contains(refused.body, "id=\"ontvangen_op-fout\""));
  EXPECT_TRUE(Contains(refused.body, "Vul de datum in als dd-mm-jjjj."));
  EXPECT_TRUE(Contains(refused.body, "id=\"betrokkene-fout\""));
  EXPECT_EQ(TextareaValue(FormWith(refused.body, kNewForm), "samenvatting"), kSummary);

  // Without the CSRF token nothing is registered.
  Response no_csrf = triagist.Post("/zaken/nieuw/vik_triage", {{"eenheid", units[0]}, {"samenvatting", kSummary}});
  EXPECT_EQ(no_csrf.status, 403);

  const std::string received = DutchDateDaysAgo(3);
  Response created =
      triagist.Post("/zaken/nieuw/vik_triage",
                    {{"csrf", csrf}, {"eenheid", units[0]}, {"samenvatting", kSummary}, {"ontvangen_op", received}});
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string loc = Location(created);
  ASSERT_TRUE(std::regex_match(loc, std::regex("/zaken/[0-9]+"))) << loc;
  const std::string id = loc.substr(std::string("/zaken/").size());

  // The case page: reference and summary in the one h1, the facts, the flow
  // chart with the current step, the first step's form drawn from the file.
  std::string page = CasePage(triagist, id);
  EXPECT_TRUE(std::regex_search(page, std::regex("<h1[^>]*>VIK-[^<]*: " + std::string(kSummary) + "</h1>"))) << page;
  EXPECT_EQ(StateOf(page), "Signaal ontvangen");
  EXPECT_TRUE(Contains(page, "<dd>Triage VIK</dd>"));
  EXPECT_TRUE(Contains(page, "<dd>" + received + "</dd>"));
  EXPECT_TRUE(Contains(page, "<figure class=\"wb-flow-chart\"><svg"));
  EXPECT_TRUE(Contains(page, "(huidige stap)"));
  EXPECT_TRUE(Contains(page, "Triagebesluit (norm)"));
  EXPECT_TRUE(Contains(page, "nog niet begonnen"));
  const std::string start_form = FormWith(page, "id=\"stap-start_triage\"");
  ASSERT_FALSE(start_form.empty()) << page;
  EXPECT_TRUE(Contains(start_form, "Bron van het signaal"));
  const auto sources = OptionValues(start_form, "source");
  EXPECT_EQ(sources, (std::vector<std::string>{"manager", "lmm", "protective_monitoring"}));
  EXPECT_TRUE(Contains(start_form, ">Triage starten</button>"));

  // Listed under its track, with its state.
  list = triagist.Get("/zaken");
  EXPECT_TRUE(Contains(list.body, "href=\"/zaken/" + id + "\"")) << list.body;
  EXPECT_TRUE(Contains(list.body, ">Triage VIK</h2>"));
  EXPECT_TRUE(Contains(list.body, "Signaal ontvangen"));

  // Starting the triage without the source: 422 at the form, nothing changes.
  Response r = PostStep(triagist, id, "start_triage", {});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(LooksLikeAPage(r));
  EXPECT_TRUE(Contains(FormWith(r.body, "id=\"stap-start_triage\""), "Vul in: Bron van het signaal."));
  EXPECT_TRUE(Contains(r.body, "href=\"#stap-start_triage\""));
  EXPECT_EQ(StateOf(CasePage(triagist, id)), "Signaal ontvangen");

  r = PostStep(triagist, id, "start_triage", {{"source", "manager"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(Location(r), CaseUrl(id));
  page = CasePage(triagist, id);
  EXPECT_EQ(StateOf(page), "In triage");
  EXPECT_TRUE(Contains(page, "<dt>Bron van het signaal</dt><dd class=\"wb-pre\">Leidinggevende</dd>")) << page;

  // A choice without the eight criteria: 422 with the message at that form,
  // what was typed kept, the state unchanged.
  const std::string choose = FormWith(page, "id=\"stap-choose_line_inquiry\"");
  ASSERT_FALSE(choose.empty()) << page;
  const auto criteria = TextareaNames(choose);
  ASSERT_EQ(criteria.size(), 8u) << choose;
  for (const auto& c : criteria) EXPECT_EQ(c.rfind("criterion_", 0), 0u) << c;
  EXPECT_TRUE(Contains(choose, "name=\"checklist\" value=\"0\""));
  const std::string before_version = InputValue(choose, "version");

  r = PostStep(triagist, id, "choose_line_inquiry",
               {{"criterion_line_option", "Een goed gesprek volstaat niet."}, {"checklist", "0"}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(LooksLikeAPage(r));
  const std::string refused_form = FormWith(r.body, "id=\"stap-choose_line_inquiry\"");
  EXPECT_TRUE(Contains(refused_form, "Vul in:")) << refused_form;
  EXPECT_TRUE(Contains(refused_form, "role=\"alert\""));
  EXPECT_EQ(TextareaValue(refused_form, "criterion_line_option"), "Een goed gesprek volstaat niet.");
  EXPECT_TRUE(std::regex_search(refused_form, std::regex("name=\"checklist\" value=\"0\" checked")));
  page = CasePage(triagist, id);
  EXPECT_EQ(StateOf(page), "In triage");
  EXPECT_EQ(InputValue(FormWith(page, "id=\"stap-choose_line_inquiry\""), "version"), before_version)
      << "a refused step changed the case";

  // Every criterion filled in, the comparable cases looked at: line inquiry.
  Fields all;
  for (const auto& c : criteria) all.push_back({c, "Afweging voor " + c});
  all.push_back({"checklist", "0"});
  r = PostStep(triagist, id, "choose_line_inquiry", all);
  ASSERT_EQ(r.status, 303) << r.body;
  page = CasePage(triagist, id);
  EXPECT_EQ(StateOf(page), "Lijnonderzoek");
  EXPECT_TRUE(Contains(page, "Afweging voor criterion_care"));
  EXPECT_TRUE(Contains(page, "Triage starten"));  // the history
  EXPECT_TRUE(Contains(page, "Ruud Vermeulen"));  // by whom

  // A form from before the change is stale: 409, nothing changes.
  r = PostStep(triagist, id, "escalate", {{"reasons", "Nieuwe feiten"}}, before_version);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_TRUE(Contains(r.body, "intussen door iemand anders gewijzigd"));
  EXPECT_EQ(StateOf(CasePage(triagist, id)), "Lijnonderzoek");

  // Someone without a track role: no menu item, no case, no step.
  Browser employee = LoggedIn("employee");
  ASSERT_FALSE(HasFailure());
  Response start = employee.Get("/start");
  EXPECT_FALSE(Contains(start.body, "href=\"/zaken\""));
  Response denied = employee.Get(CaseUrl(id));
  EXPECT_TRUE(denied.status == 403 || denied.status == 404) << denied.status;
  EXPECT_FALSE(Contains(denied.body, kSummary));
  Response new_denied = employee.Get("/zaken/nieuw/vik_triage");
  EXPECT_EQ(new_denied.status, 403);
  const std::string employee_csrf = InputValue(FormWith(start.body, "action=\"/uitloggen\""), "csrf");
  ASSERT_FALSE(employee_csrf.empty());
  Response step_denied =
      employee.Post(CaseUrl(id) + "/stap/escalate", {{"csrf", employee_csrf}, {"version", "3"}, {"reasons", "Poging"}});
  EXPECT_TRUE(step_denied.status == 403 || step_denied.status == 404) << step_denied.status;
  EXPECT_EQ(StateOf(CasePage(triagist, id)), "Lijnonderzoek");

  // Unknown cases and steps.
  EXPECT_EQ(triagist.Get("/zaken/999999").status, 404);
  EXPECT_EQ(triagist.Get("/zaken/nieuw/bestaat_niet").status, 404);
}

// DOMAIN §4 through the pages: the VIK team chief opens an investigation and
// puts an investigator on it; the investigator gives notice on the last
// working day before a weekend only with a recorded reason, naming a care
// manager who then sees the case; the team chief cannot make the disciplinary
// investigator the criminal one.
TEST_F(TrackPages, TeamChiefStaffsAnInvestigationAndNoticeBeforeAWeekendNeedsAReason) {
  Client lookup(*server_, "employee", "waarborg-demo");
  auto person_id = [&](const std::string& name) {
    const json people = lookup.Get("/api/v1/people?q=" + http::UrlEncode(name)).Json()["people"];
    for (const auto& p : people)
      if (p["name"] == name) return std::to_string(p["id"].get<std::int64_t>());
    ADD_FAILURE() << name << " not found";
    return std::string();
  };
  const std::string investigator = person_id("Noor Yilmaz");
  const std::string manager = person_id("Linda Mulder");
  const std::string subject = person_id("Sanne Kuipers");

  Browser chief = LoggedIn("teamchef-vik");
  ASSERT_FALSE(HasFailure());
  const std::string form = FormWith(chief.Get("/zaken/nieuw/investigation").body,
                                    "method=\"post\" action=\"/zaken/nieuw/investigation\"");
  ASSERT_FALSE(form.empty()) << "the VIK team chief cannot open an investigation";
  Response made = chief.Post("/zaken/nieuw/investigation", {{"csrf", InputValue(form, "csrf")},
                                                            {"eenheid", OptionValues(form, "eenheid").at(0)},
                                                            {"samenvatting", "Onderzoek naar raadplegingen"},
                                                            {"betrokkene", subject}});
  ASSERT_EQ(made.status, 303) << made.body;
  const std::string id = Location(made).substr(std::string("/zaken/").size());

  // Staffing through the member form.
  const std::string add = FormWith(CasePage(chief, id), "id=\"stap-leden\"");
  ASSERT_FALSE(add.empty()) << "the team chief cannot add an investigator";
  Response added = chief.Post(CaseUrl(id) + "/leden",
                              {{"csrf", InputValue(add, "csrf")}, {"persoon", investigator}, {"rol", "investigator"}});
  ASSERT_EQ(added.status, 303) << added.body;
  EXPECT_TRUE(Contains(CasePage(chief, id), "Noor Yilmaz: Onderzoeker VIK"));

  // Notice on Friday 04-12-2026 without a reason: refused at the form.
  Browser onderzoeker = LoggedIn("onderzoeker");
  ASSERT_FALSE(HasFailure());
  const Fields notice = {{"allegation_description", "Raadplegen van BVH zonder zaak."},
                         {"description_given_on", "04-12-2026"},
                         {"notice_date", "04-12-2026"},
                         {"availability_times", "Ma-vr 9-12 uur"},
                         {"care_manager_id", manager},
                         {"checklist", "0"}, {"checklist", "1"}, {"checklist", "2"},
                         {"checklist", "3"}, {"checklist", "4"}};
  Response friday = PostStep(onderzoeker, id, "give_notice", notice);
  EXPECT_EQ(friday.status, 409) << friday.body;
  EXPECT_TRUE(Contains(FormWith(friday.body, "id=\"stap-give_notice\""), "weekend")) << friday.body;
  Fields with_reason = notice;
  with_reason.push_back({"notice_reason", "Betrokkene vroeg om vrijdag; BMW is bereikbaar."});
  Response given = PostStep(onderzoeker, id, "give_notice", with_reason);
  ASSERT_EQ(given.status, 303) << given.body;
  EXPECT_EQ(StateOf(CasePage(onderzoeker, id)), "Aangezegd, onderzoek loopt");

  // The care manager now sees the case; the investigator cannot turn criminal.
  Browser care = LoggedIn("leidinggevende");
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(care.Get(CaseUrl(id)).status, 200);
  Response same = PostStep(chief, id, "turn_criminal",
                           {{"reasons", "Vermoeden van computervredebreuk."},
                            {"criminal_investigator_id", investigator},
                            {"checklist", "0"},
                            {"checklist", "1"}});
  EXPECT_EQ(same.status, 409) << same.body;
}

// dd-mm-jjjj `n` days after the dd-mm-jjjj date `dutch`.
std::string PlusDays(const std::string& dutch, int n) {
  const std::chrono::year_month_day start{std::chrono::year{std::stoi(dutch.substr(6, 4))},
                                          std::chrono::month{static_cast<unsigned>(std::stoi(dutch.substr(3, 2)))},
                                          std::chrono::day{static_cast<unsigned>(std::stoi(dutch.substr(0, 2)))}};
  const std::chrono::year_month_day d{std::chrono::sys_days{start} + std::chrono::days{n}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u-%02u-%04d", static_cast<unsigned>(d.day()), static_cast<unsigned>(d.month()),
                static_cast<int>(d.year()));
  return buf;
}

// The due date in the deadline table's row of `label`.
std::string DueIn(const std::string& page, const std::string& label) {
  const size_t row = page.find("<th scope=\"row\" class=\"utrecht-table__header-cell\">" + label);
  if (row == std::string::npos) return "";
  return FirstDutchDate(page.substr(row, page.find("</tr>", row) - row));
}

// Deadlines through the pages: the investigator extends the turnaround norm
// with a reason and sees the new due date; without a reason the extension is
// refused at its form in Dutch and nothing moves; a suspension moves the date
// by its days; the team chief records a held care contact moment. Someone
// without a part in the case gets no form and cannot post one. A server of
// its own, so that its log-ins do not meet the other tests' one-time codes.
class TrackDeadlinePages : public TrackPages {};

TEST_F(TrackDeadlinePages, InvestigatorExtendsADeadlineAndSeesTheNewDueDate) {
  Client lookup(*server_, "employee", "waarborg-demo");
  const json people = lookup.Get("/api/v1/people?q=" + http::UrlEncode("Noor Yilmaz")).Json()["people"];
  ASSERT_FALSE(people.empty());
  const std::string investigator = std::to_string(people[0]["id"].get<std::int64_t>());

  Browser chief = LoggedIn("teamchef-vik");
  ASSERT_FALSE(HasFailure());
  const std::string form = FormWith(chief.Get("/zaken/nieuw/investigation").body,
                                    "method=\"post\" action=\"/zaken/nieuw/investigation\"");
  ASSERT_FALSE(form.empty());
  const std::string received = DutchDateDaysAgo(3);
  Response made = chief.Post("/zaken/nieuw/investigation", {{"csrf", InputValue(form, "csrf")},
                                                            {"eenheid", OptionValues(form, "eenheid").at(0)},
                                                            {"samenvatting", "Onderzoek naar termijnen"},
                                                            {"ontvangen_op", received}});
  ASSERT_EQ(made.status, 303) << made.body;
  const std::string id = Location(made).substr(std::string("/zaken/").size());
  const std::string add = FormWith(CasePage(chief, id), "id=\"stap-leden\"");
  ASSERT_EQ(chief.Post(CaseUrl(id) + "/leden",
                       {{"csrf", InputValue(add, "csrf")}, {"persoon", investigator}, {"rol", "investigator"}})
                .status,
            303);

  const std::string norm = "Doorlooptijd tot het rapport (norm)";
  Browser onderzoeker = LoggedIn("onderzoeker");
  ASSERT_FALSE(HasFailure());
  std::string page = CasePage(onderzoeker, id);
  const std::string due = DueIn(page, norm);
  ASSERT_EQ(due, PlusDays(received, 26 * 7)) << page;
  std::string extend = FormWith(page, "id=\"stap-verlengen-turnaround\"");
  ASSERT_FALSE(extend.empty()) << "the investigator is offered no extension of the turnaround norm";
  EXPECT_TRUE(Contains(extend, "action=\"" + CaseUrl(id) + "/termijn/turnaround/verlengen\""));
  EXPECT_TRUE(Contains(extend, "Termijn verlengen met 8 weken"));
  EXPECT_TRUE(Contains(extend, "<label class=\"utrecht-form-label\" for=\"stap-verlengen-turnaround-reden\">"));
  EXPECT_TRUE(FormWith(page, "id=\"stap-verlengen-document_access\"").empty())
      << "an extension offered for a deadline that has not started";
  const std::string csrf = InputValue(extend, "csrf");
  const std::string version = InputValue(extend, "version");

  // Without a reason: 422 at the form, in Dutch, and the date stays.
  Response refused = onderzoeker.Post(CaseUrl(id) + "/termijn/turnaround/verlengen",
                                      {{"csrf", csrf}, {"version", version}, {"reden", "  "}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_TRUE(LooksLikeAPage(refused));
  EXPECT_TRUE(Contains(FormWith(refused.body, "id=\"stap-verlengen-turnaround\""),
                       "Vul de reden van de verlenging in."))
      << refused.body;
  EXPECT_TRUE(Contains(refused.body, "href=\"#stap-verlengen-turnaround\""));
  EXPECT_EQ(DueIn(CasePage(onderzoeker, id), norm), due);

  // With a reason: the norm moves by 8 weeks, the history says why.
  Response extended = onderzoeker.Post(CaseUrl(id) + "/termijn/turnaround/verlengen",
                                       {{"csrf", csrf}, {"version", version}, {"reden", "Extra getuigen te horen."}});
  ASSERT_EQ(extended.status, 303) << extended.body;
  EXPECT_EQ(Location(extended).rfind(CaseUrl(id), 0), 0u) << Location(extended);
  page = CasePage(onderzoeker, id);
  EXPECT_EQ(DueIn(page, norm), PlusDays(due, 8 * 7));
  EXPECT_TRUE(Contains(page, "1 van 2 keer verlengd")) << page;
  EXPECT_TRUE(Contains(page, "Termijn verlengd met 8 weken: " + norm));
  EXPECT_TRUE(Contains(page, "Extra getuigen te horen."));

  // The same form again is stale: 409, nothing moves.
  Response stale = onderzoeker.Post(CaseUrl(id) + "/termijn/turnaround/verlengen",
                                    {{"csrf", csrf}, {"version", version}, {"reden", "Nog meer getuigen."}});
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_TRUE(Contains(stale.body, "intussen door iemand anders gewijzigd"));

  // A suspension of two days that have passed moves the date by two days.
  const std::string suspend = FormWith(page, "id=\"stap-opschorten-turnaround\"");
  ASSERT_FALSE(suspend.empty()) << page;
  Response suspended = onderzoeker.Post(CaseUrl(id) + "/termijn/turnaround/opschorten",
                                        {{"csrf", InputValue(suspend, "csrf")},
                                         {"version", InputValue(suspend, "version")},
                                         {"van", DutchDateDaysAgo(2)},
                                         {"tot", DutchDateDaysAgo(1)},
                                         {"reden", "Betrokkene ziek gemeld."}});
  ASSERT_EQ(suspended.status, 303) << suspended.body;
  page = CasePage(onderzoeker, id);
  EXPECT_EQ(DueIn(page, norm), PlusDays(due, 8 * 7 + 2));
  EXPECT_TRUE(Contains(page, "1 van 2 keer verlengd; 2 dagen opgeschort")) << page;
  EXPECT_TRUE(Contains(page, "Termijn opgeschort van " + DutchDateDaysAgo(2) + " tot en met " + DutchDateDaysAgo(1)));

  // The team chief records the care contact moment as held yesterday.
  page = CasePage(chief, id);
  const std::string held = FormWith(page, "id=\"stap-evaluatie-care_contact\"");
  ASSERT_FALSE(held.empty()) << page;
  Response recorded = chief.Post(CaseUrl(id) + "/evaluatie/care_contact", {{"csrf", InputValue(held, "csrf")},
                                                                          {"version", InputValue(held, "version")},
                                                                          {"gehouden_op", DutchDateDaysAgo(1)},
                                                                          {"notitie", ""}});
  ASSERT_EQ(recorded.status, 303) << recorded.body;
  page = CasePage(chief, id);
  EXPECT_TRUE(Contains(page, "laatst gehouden op " + DutchDateDaysAgo(1))) << page;
  EXPECT_TRUE(Contains(page, "Evaluatiemoment gehouden op " + DutchDateDaysAgo(1)));

  // Someone without a part in the case: no form, no extension.
  Browser employee = LoggedIn("employee");
  ASSERT_FALSE(HasFailure());
  const std::string employee_csrf = InputValue(FormWith(employee.Get("/start").body, "action=\"/uitloggen\""), "csrf");
  Response denied = employee.Post(CaseUrl(id) + "/termijn/turnaround/verlengen",
                                  {{"csrf", employee_csrf}, {"version", InputValue(held, "version")}, {"reden", "Poging"}});
  EXPECT_TRUE(denied.status == 403 || denied.status == 404) << denied.status;
  EXPECT_EQ(DueIn(CasePage(chief, id), norm), PlusDays(due, 8 * 7 + 2));
}

// DOMAIN §3: a counsellor registers a complaint about a whole team; two such
// complaints from different people give the CVP a signal on /zaken that
// names the team and no complainant.
TEST_F(TrackPages, ComplaintsAboutATeamGiveTheCentralCounsellorASignal) {
  Client lookup(*server_, "employee", "waarborg-demo");
  std::vector<std::string> complainants;
  for (const char* name : {"Sanne Kuipers", "Ruud Vermeulen"}) {
    const json people = lookup.Get("/api/v1/people?q=" + http::UrlEncode(name)).Json()["people"];
    for (const auto& p : people)
      if (p["name"] == name) complainants.push_back(std::to_string(p["id"].get<std::int64_t>()));
  }
  ASSERT_EQ(complainants.size(), 2u);
  Browser vp = LoggedIn("vp");
  ASSERT_FALSE(HasFailure());
  const std::string form =
      FormWith(vp.Get("/zaken/nieuw/unwanted_behaviour").body, "method=\"post\" action=\"/zaken/nieuw/unwanted_behaviour\"");
  ASSERT_FALSE(form.empty()) << "the counsellor cannot register a complaint";
  const auto teams = OptionValues(form, "team");
  ASSERT_GE(teams.size(), 2u) << "no team to choose";
  const std::string team = teams.at(1);  // the first is "no team"
  for (const auto& c : complainants) {
    Response r = vp.Post("/zaken/nieuw/unwanted_behaviour", {{"csrf", InputValue(form, "csrf")},
                                                            {"eenheid", OptionValues(form, "eenheid").at(0)},
                                                            {"samenvatting", "Uitsluiting in het team"},
                                                            {"klager", c},
                                                            {"team", team}});
    ASSERT_EQ(r.status, 303) << r.body;
  }
  Browser cvp = LoggedIn("cvp");
  ASSERT_FALSE(HasFailure());
  const std::string list = cvp.Get("/zaken").body;
  EXPECT_TRUE(Contains(list, "Signalen")) << list;
  EXPECT_TRUE(Contains(list, "2 klachten van verschillende klagers")) << list;
  EXPECT_FALSE(Contains(list, "Sanne Kuipers"));
  EXPECT_FALSE(Contains(list, "Ruud Vermeulen"));
}


// The LMM hands a report to VIK triage (issue 4 §4): the coordinator writes
// the signal on the report's page; VIK's team chief finds a case of its own
// with the report's reference and nothing of the report. A fresh server, so
// that these log-ins do not meet the others' one-time codes.
class LmmToVikPages : public TrackPages {};

TEST_F(LmmToVikPages, CoordinatorSignalsAReportToVikAndTheTeamChiefFindsIt) {
  Browser coordinator = LoggedIn("coordinator");
  const std::string report_url = "/meldingen/2";  // the demo's staffed report
  std::string page = coordinator.Get(report_url).body;
  std::string form = FormWith(page, "id=\"stap-vik-signaal\"");
  ASSERT_FALSE(form.empty()) << page;
  const std::string reference = [&] {
    std::smatch m;
    return std::regex_search(page, m, std::regex("LMM-\\d{4}-\\d{4}")) ? m.str() : std::string();
  }();
  ASSERT_FALSE(reference.empty());

  // An empty signal is refused at its form, in Dutch, and nothing is made.
  Response refused = coordinator.Post(report_url + "/vik-signaal", {{"csrf", InputValue(form, "csrf")}, {"summary", " "}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_TRUE(Contains(refused.body, "Beschrijf het signaal voor VIK.")) << refused.body;
  EXPECT_FALSE(Contains(refused.body, "Gesignaleerd aan VIK-triage"));

  Response done = coordinator.Post(report_url + "/vik-signaal",
                                   {{"csrf", InputValue(form, "csrf")}, {"summary", "Signaal uit het LMM over nevenwerkzaamheden"}});
  ASSERT_EQ(done.status, 303) << done.body;
  page = coordinator.Get(report_url).body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page, m, std::regex("Gesignaleerd aan VIK-triage als (VIK-\\d{4}-\\d{4})"))) << page;
  const std::string vik_reference = m[1].str();

  // The coordinator cannot open VIK's case: the LMM's information stays apart.
  Response list_for_coordinator = coordinator.Get("/zaken");
  EXPECT_FALSE(Contains(list_for_coordinator.body, vik_reference));

  Browser chief = LoggedIn("teamchef-vik");
  Response list = chief.Get("/zaken");
  ASSERT_EQ(list.status, 200);
  ASSERT_TRUE(Contains(list.body, vik_reference)) << list.body;
  std::smatch link;
  ASSERT_TRUE(std::regex_search(list.body, link, std::regex("href=\"/zaken/(\\d+)\"[^>]*>" + vik_reference)))
      << list.body;
  const std::string vik_page = CasePage(chief, link[1].str());
  EXPECT_TRUE(Contains(vik_page, "Signaal uit het LMM over nevenwerkzaamheden"));
  EXPECT_TRUE(Contains(vik_page, reference)) << "the VIK case shows the report's reference";
  EXPECT_TRUE(Contains(vik_page, "Landelijk Meldpunt Misstanden")) << "source lmm";
}

}  // namespace
}  // namespace waarborg::testing
