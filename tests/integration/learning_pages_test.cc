// Learning cases through the pages (issue 5 §5), with HTML forms only: the
// demo counsellor makes a learning case of the complaint the demo took to
// its evaluation; a name from the case is refused at its field; fixed, it is
// submitted; the author cannot approve it herself; the central counsellor
// approves it; an employee reads it, without anything that leads back to
// the case. A server of its own, so its log-ins do not meet the one-time
// codes of the other page tests.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "harness.h"
#include "html_forms.h"

namespace waarborg::testing {
namespace {

class LearningPages : public ::testing::Test {
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
  static std::string Page(const Browser& b, const std::string& path, int status = 200) {
    Response r = b.Get(path);
    EXPECT_EQ(r.status, status) << b.user() << " GET " << path << "\n" << r.body;
    if (status == 200) {
      EXPECT_TRUE(LooksLikeAPage(r)) << path;
    }
    return r.body;
  }
  static inline Server* server_ = nullptr;
};

constexpr const char* kDemoComplaint = "Kleinerende opmerkingen over afkomst tijdens de briefing";

TEST_F(LearningPages, CounsellorWritesALearningCaseThatIsApprovedAndReadByStaff) {
  Browser vp = LoggedIn("vp");
  ASSERT_FALSE(HasFailure());

  // The menu has "Leercasussen"; the demo complaint is in its evaluation.
  std::string list = Page(vp, "/leercasussen");
  EXPECT_TRUE(Contains(list, "href=\"/leercasussen\" aria-current=\"page\"")) << list;
  const std::string cases = Page(vp, "/zaken");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      cases, m, std::regex("href=\"/zaken/([0-9]+)\"[^<]*</a></td>\\s*<td[^>]*>" + std::string(kDemoComplaint))))
      << cases;
  const std::string case_id = m[1].str();
  const std::string case_url = "/zaken/" + case_id;
  std::string page = Page(vp, case_url);
  ASSERT_TRUE(
      std::regex_search(page, m, std::regex("<li class=\"utrecht-unordered-list__item\">([^<:]+): Klager</li>")))
      << page;
  const std::string complainant = m[1].str();
  const std::string first_name = complainant.substr(0, complainant.find(' '));
  std::smatch ref;
  ASSERT_TRUE(std::regex_search(page, ref, std::regex("OOV-[0-9]{4}-[0-9]{4}")));
  const std::string reference = ref.str();

  // From the case page: consent of the complainant first.
  std::string start = FormWith(page, "id=\"stap-leercasus\"");
  ASSERT_FALSE(start.empty()) << page;
  EXPECT_TRUE(Contains(start, "action=\"" + case_url + "/leercasus\""));
  EXPECT_TRUE(Contains(start, "name=\"klager_stemt_in\""));
  Response refused = vp.Post(case_url + "/leercasus", {{"csrf", InputValue(start, "csrf")}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_TRUE(LooksLikeAPage(refused));
  EXPECT_TRUE(Contains(FormWith(refused.body, "id=\"stap-leercasus\""), "klager instemt")) << refused.body;
  EXPECT_TRUE(Contains(refused.body, "href=\"#stap-leercasus\""));
  // Without the CSRF token nothing is made.
  EXPECT_EQ(vp.Post(case_url + "/leercasus", {{"klager_stemt_in", "ja"}}).status, 403);

  Response made = vp.Post(case_url + "/leercasus", {{"csrf", InputValue(start, "csrf")}, {"klager_stemt_in", "ja"}});
  ASSERT_EQ(made.status, 303) << made.body;
  const std::string url = Location(made);
  ASSERT_TRUE(std::regex_match(url, std::regex("/leercasussen/[0-9]+"))) << url;

  // The draft: generalised, named after nobody, with the edit form.
  page = Page(vp, url);
  EXPECT_TRUE(Contains(page, "<dd>een eenheid</dd>")) << page;
  EXPECT_TRUE(std::regex_search(page, std::regex("<dd>[1-4]e kwartaal 20[0-9]{2}|<dd>van [1-4]e kwartaal"))) << page;
  EXPECT_TRUE(Contains(page, "<strong id=\"leercasus-status\">Concept</strong>"));
  EXPECT_TRUE(Contains(page, "href=\"" + case_url + "\">" + reference + "</a>")) << "the author sees the source";
  std::string form = FormWith(page, "id=\"bewerken\"");
  ASSERT_FALSE(form.empty()) << page;
  const std::string what = TextareaValue(form, "verloop");
  EXPECT_TRUE(Contains(what, "Gesprek met een VP")) << what;
  EXPECT_FALSE(Contains(form, complainant));
  EXPECT_FALSE(Contains(form, "briefing"));
  const std::string title = InputValue(form, "titel");

  // Another member of staff cannot see the draft.
  Browser employee = LoggedIn("employee");
  ASSERT_FALSE(HasFailure());
  Response hidden = employee.Get(url);
  EXPECT_EQ(hidden.status, 404);
  EXPECT_FALSE(Contains(hidden.body, title));

  // A name from the case: refused at its field, in Dutch, with what was typed.
  const std::string situation = first_name + " werd in de briefing steeds uitgelachen om haar afkomst.";
  Fields texts = {{"csrf", InputValue(form, "csrf")},
                  {"version", InputValue(form, "version")},
                  {"titel", "Grappen over afkomst in de briefing"},
                  {"situatie", situation},
                  {"verloop", what},
                  {"uitkomst", TextareaValue(form, "uitkomst")},
                  {"lessen", "Spreek grappen over afkomst direct aan; de teamchef geeft het voorbeeld."}};
  Response finding = vp.Post(url + "/indienen", texts);
  EXPECT_EQ(finding.status, 422) << finding.body;
  EXPECT_TRUE(LooksLikeAPage(finding));
  EXPECT_TRUE(Contains(finding.body, "href=\"#veld-situatie\"")) << finding.body;
  EXPECT_TRUE(Contains(finding.body, "id=\"veld-situatie-bevindingen\""));
  EXPECT_TRUE(Contains(finding.body, "<mark class=\"wb-finding-match\">" + first_name + "</mark> (naam uit de zaak)"))
      << finding.body;
  EXPECT_TRUE(Contains(finding.body, "in plaats van de naam"));
  EXPECT_EQ(TextareaValue(FormWith(finding.body, "id=\"bewerken\""), "situatie"), situation);
  EXPECT_TRUE(Contains(Page(vp, url), ">Concept</strong>")) << "a refused submit changed the learning case";

  // Saving is allowed; the finding stays next to the field.
  Response saved = vp.Post(url + "/bewerken", texts);
  ASSERT_EQ(saved.status, 303) << saved.body;
  page = Page(vp, url);
  EXPECT_TRUE(Contains(page, "id=\"veld-situatie-bevindingen\""));
  form = FormWith(page, "id=\"bewerken\"");

  // A stale form: 409.
  Response stale = vp.Post(url + "/indienen", texts);
  EXPECT_EQ(stale.status, 409) << stale.body;

  // Fixed: submitted.
  texts[0] = {"csrf", InputValue(form, "csrf")};
  texts[1] = {"version", InputValue(form, "version")};
  texts[3] = {"situatie", "Een collega werd in de briefing steeds uitgelachen om haar afkomst."};
  Response submitted = vp.Post(url + "/indienen", texts);
  ASSERT_EQ(submitted.status, 303) << submitted.body;
  page = Page(vp, url);
  EXPECT_TRUE(Contains(page, ">Wacht op goedkeuring</strong>")) << page;
  EXPECT_TRUE(FormWith(page, "id=\"bewerken\"").empty());
  EXPECT_TRUE(Contains(Page(vp, "/leercasussen"), "Grappen over afkomst in de briefing"));

  // The author cannot approve it.
  Response own = vp.Post(url + "/goedkeuren", {{"csrf", texts[0].second}, {"version", "3"}});
  EXPECT_EQ(own.status, 403) << own.body;
  EXPECT_TRUE(Contains(Page(vp, url), ">Wacht op goedkeuring</strong>"));

  // The central counsellor approves it.
  Browser cvp = LoggedIn("cvp");
  ASSERT_FALSE(HasFailure());
  list = Page(cvp, "/leercasussen");
  EXPECT_TRUE(Contains(list, "id=\"wacht-op-goedkeuring\"")) << list;
  EXPECT_TRUE(Contains(list, "href=\"" + url + "\""));
  page = Page(cvp, url);
  const std::string approve = FormWith(page, "id=\"goedkeuren\"");
  ASSERT_FALSE(approve.empty()) << page;
  EXPECT_TRUE(Contains(page, "Een collega werd in de briefing"));
  EXPECT_TRUE(Contains(page, "Fatima El Amrani")) << "the approver sees who wrote it";
  Response old = cvp.Post(url + "/goedkeuren", {{"csrf", InputValue(approve, "csrf")}, {"version", "1"}});
  EXPECT_EQ(old.status, 409) << old.body;
  const std::string send_back = FormWith(page, "id=\"terugsturen\"");
  Response no_reason = cvp.Post(
      url + "/terugsturen",
      {{"csrf", InputValue(send_back, "csrf")}, {"version", InputValue(send_back, "version")}, {"reden", " "}});
  EXPECT_EQ(no_reason.status, 422) << no_reason.body;
  Response approved = cvp.Post(url + "/goedkeuren",
                               {{"csrf", InputValue(approve, "csrf")}, {"version", InputValue(approve, "version")}});
  ASSERT_EQ(approved.status, 303) << approved.body;
  EXPECT_TRUE(Contains(Page(cvp, url), ">Gepubliceerd</strong>"));

  // Every member of staff reads it, and nothing leads back to the case.
  employee.MustNeverSee(reference);
  employee.MustNeverSee(case_url);
  employee.MustNeverSee(complainant);
  employee.MustNeverSee("Fatima El Amrani");
  employee.MustNeverSee("Peter Bos");
  list = Page(employee, "/leercasussen");
  EXPECT_TRUE(Contains(list, "href=\"" + url + "\">Grappen over afkomst in de briefing</a>")) << list;
  page = Page(employee, url);
  EXPECT_TRUE(Contains(page, "<h1 class=\"utrecht-heading-1\">Grappen over afkomst in de briefing</h1>"));
  EXPECT_TRUE(Contains(page, "Spreek grappen over afkomst direct aan"));
  EXPECT_TRUE(Contains(page, "<dd>Ongewenste omgangsvormen</dd>"));
  EXPECT_FALSE(Contains(page, "kop-herkomst"));
  EXPECT_TRUE(FormWith(page, "action=\"" + url).empty());
}

}  // namespace
}  // namespace waarborg::testing
