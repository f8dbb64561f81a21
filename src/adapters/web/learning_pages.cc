// Pages of the learning cases (issue 5 §5): /leercasussen (the published
// ones for all staff, one's own drafts, those awaiting one's approval), a
// learning case with its edit form for the author and its approve and send
// back forms for the approver, and the start of a draft from a case page
// (POST /zaken/:id/leercasus). The checker's findings stand next to the field
// they are in. Forms work without JavaScript; the rules are the
// LearningService's.
#include <charconv>

#include "adapters/web/web_common.h"
#include "app/learning_service.h"
#include "core/common/date.h"
#include "core/common/strings.h"

namespace waarborg::web {

namespace {

using http::HttpRequest;
using http::HttpResponse;
using learning::Finding;
using learning::LearningTexts;
using learning::TextField;

std::string Msg(const absl::Status& st) { return std::string(FromAbsl(st.message())); }

absl::Status NoService() { return absl::InternalError("learning service not configured"); }

std::string Url(Id id) { return Cat("/leercasussen/", id); }

std::optional<std::int64_t> ParseInt(const std::string& s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// The texts as posted by the edit form.
LearningTexts PostedTexts(const Form& f) {
  LearningTexts t;
  for (TextField field : learning::AllTextFields())
    learning::TextOf(t, field) = FormValue(f, std::string(learning::TextFieldId(field)));
  return t;
}

// "januari 2027": a learning case is dated by its month, never its day.
std::string MonthText(Instant at) {
  static const char* const kMonths[] = {"januari", "februari", "maart",     "april",   "mei",      "juni",
                                        "juli",    "augustus", "september", "oktober", "november", "december"};
  const Date d = DateInAmsterdam(at);
  return Cat(kMonths[static_cast<unsigned>(d.month()) - 1], " ", static_cast<int>(d.year()));
}

Data ListRows(const std::vector<app::LearningListItem>& items) {
  Data rows(Data::type::list);
  for (const auto& it : items) {
    Data o;
    o.set("href", Url(it.summary.id));
    o.set("title", it.summary.title);
    o.set("kind", it.track_name);
    o.set("place", it.summary.place);
    o.set("period", it.summary.period);
    o.set("state", it.state_label);
    if (it.summary.published_at) o.set("published_month", MonthText(it.summary.published_at));
    rows.push_back(o);
  }
  return rows;
}

HttpResponse ListPage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  app::LearningService* svc = w.s.learning;
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  const std::string lang = Lang(req);
  auto lists = svc->List(ctx.actor);
  if (!lists.ok()) return ErrorPage(w, req, &ctx, lists.status());
  Data d;
  d.set("published", ListRows(lists->published));
  d.set("has_published", !lists->published.empty());
  d.set("mine", ListRows(lists->mine));
  d.set("has_mine", !lists->mine.empty());
  d.set("awaiting", ListRows(lists->awaiting));
  d.set("has_awaiting", !lists->awaiting.empty());
  return HtmlPage(w, req, &ctx, 200, "learning_list", w.r->T(lang, "learning_title"), std::move(d));
}

// The learning case page. A refused form comes back with `status`, its
// message, what was typed (`posted`) and the findings on it.
HttpResponse LearningPage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, Id id, int status = 200,
                          const std::string& error = "", const std::string& error_form = "",
                          const Form* posted = nullptr, const std::vector<Finding>* posted_findings = nullptr) {
  app::LearningService* svc = w.s.learning;
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  const std::string lang = Lang(req);
  auto view = svc->Open(ctx.actor, id);
  if (!view.ok()) return ErrorPage(w, req, &ctx, view.status());
  const app::LearningCaseView& v = *view;
  const auto& lc = v.lc;

  Data d;
  d.set("id", std::to_string(lc.id));
  d.set("title", lc.texts.title.empty() ? w.r->T(lang, "learning_untitled") : lc.texts.title);
  d.set("kind", v.track_name);
  d.set("place", lc.place);
  d.set("period", lc.period);
  d.set("duration", lc.duration);
  d.set("csrf", ctx.session.csrf_token);
  d.set("version", std::to_string(lc.version));
  if (lc.published_at) d.set("published", MonthText(lc.published_at));

  // The story, as readers read it.
  Data story(Data::type::list);
  for (TextField f : {TextField::kSituation, TextField::kWhatHappened, TextField::kOutcome, TextField::kLessons}) {
    Data o;
    o.set("id", Cat("deel-", learning::TextFieldId(f)));
    o.set("label", std::string(learning::TextFieldLabelNl(f)));
    const std::string& text = learning::TextOf(lc.texts, f);
    o.set("text", text.empty() ? w.r->T(lang, "learning_not_written") : text);
    story.push_back(o);
  }
  d.set("story", story);
  d.set("show_story", !v.may_edit);

  // For the author and the approvers: where it stands and where it came from.
  if (v.is_author || v.is_approver) {
    Data about;
    about.set("state", v.state_label);
    about.set("author", v.author_name);
    SetIf(about, "approver", v.approver_name);
    if (v.source_case_id) {
      about.set("source_href", Cat("/zaken/", v.source_case_id));
      about.set("source_reference", v.source_reference.empty() ? Cat("zaak ", v.source_case_id) : v.source_reference);
    }
    SetIf(about, "return_reason", lc.return_reason);
    d.set("about", about);
  }

  // Findings: those of what was posted when a form came back, else those of
  // what is stored.
  const std::vector<Finding>& findings = posted_findings ? *posted_findings : v.findings;
  auto findings_of = [&](TextField f) {
    Data list(Data::type::list);
    for (const auto& x : findings) {
      if (x.field != f) continue;
      Data o;
      o.set("match", x.match);
      o.set("kind", std::string(learning::FindingKindLabelNl(x.kind)));
      o.set("explanation", x.explanation);
      list.push_back(o);
    }
    return list;
  };

  FieldErrors errors;
  if (v.may_edit) {
    const LearningTexts texts = posted ? PostedTexts(*posted) : lc.texts;
    Data fields(Data::type::list);
    for (TextField f : learning::AllTextFields()) {
      const std::string fid(learning::TextFieldId(f));
      Data o;
      o.set("name", fid);
      o.set("input_id", Cat("veld-", fid));
      o.set("label", std::string(learning::TextFieldLabelNl(f)));
      o.set("hint", w.r->T(lang, Cat("learning_hint_", fid)));
      o.set("value", learning::TextOf(texts, f));
      o.set("is_title", f == TextField::kTitle);
      o.set("rows", f == TextField::kWhatHappened || f == TextField::kSituation ? "8" : "5");
      Data list = findings_of(f);
      const bool has = !list.list_value().empty();
      o.set("has_findings", has);
      o.set("findings", list);
      if (has)
        errors.push_back(
            {Cat("veld-", fid),
             Cat(learning::TextFieldLabelNl(f), ": ", list.list_value().size(), " ",
                 w.r->T(lang, list.list_value().size() == 1 ? "learning_finding_one" : "learning_finding_many"))});
      fields.push_back(o);
    }
    Data edit;
    edit.set("fields", fields);
    edit.set("save_url", Cat(Url(lc.id), "/bewerken"));
    edit.set("submit_url", Cat(Url(lc.id), "/indienen"));
    edit.set("csrf", ctx.session.csrf_token);
    edit.set("version", std::to_string(lc.version));
    if (error_form == "bewerken" && !error.empty()) edit.set("error", error);
    d.set("edit", edit);
  } else if (!findings.empty() && (v.is_author || v.is_approver)) {
    // A submitted one with findings (the organisation changed): shown to the approver.
    Data list(Data::type::list);
    for (const auto& x : findings) {
      Data o;
      o.set("field", std::string(learning::TextFieldLabelNl(x.field)));
      o.set("match", x.match);
      o.set("explanation", x.explanation);
      list.push_back(o);
    }
    d.set("stored_findings", list);
    d.set("has_stored_findings", true);
  }

  if (v.may_decide) {
    Data decide;
    decide.set("approve_url", Cat(Url(lc.id), "/goedkeuren"));
    decide.set("return_url", Cat(Url(lc.id), "/terugsturen"));
    decide.set("csrf", ctx.session.csrf_token);
    decide.set("version", std::to_string(lc.version));
    decide.set("reason", error_form == "terugsturen" && posted ? FormValue(*posted, "reden") : std::string());
    if (error_form == "goedkeuren" && !error.empty()) decide.set("approve_error", error);
    if (error_form == "terugsturen" && !error.empty()) decide.set("return_error", error);
    d.set("decide", decide);
  }

  // The error summary: the refusal first, then the fields with findings.
  if (!error.empty()) {
    const std::string anchor = error_form == "bewerken" && v.may_edit        ? "bewerken"
                               : error_form == "goedkeuren" && v.may_decide  ? "goedkeuren"
                               : error_form == "terugsturen" && v.may_decide ? "terugsturen"
                                                                             : "";
    errors.insert(errors.begin(), {anchor, error});
  }
  if (!v.may_edit && !errors.empty() && error.empty()) errors.clear();
  AddErrors(d, errors);
  return HtmlPage(w, req, &ctx, status, "learning_case",
                  Cat(w.r->T(lang, "learning_case_prefix"), ": ", lc.texts.title), std::move(d));
}

// A refusal from a form: 401 to the log-in page, 404 and 5xx as an error
// page, the rest back on the page with the message at the form.
HttpResponse Refused(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, Id id, const absl::Status& st,
                     const std::string& form, const Form* posted, const std::vector<Finding>* findings = nullptr) {
  const int status = http::HttpStatusOf(st);
  if (status == 401) return Redirect("/inloggen");
  if (status == 404 || status >= 500) return ErrorPage(w, req, &ctx, st);
  if (status == 403) return ErrorPage(w, req, &ctx, st);
  return LearningPage(w, req, ctx, id, status, Msg(st), form, posted,
                      findings && !findings->empty() ? findings : nullptr);
}

enum class Post { kSave, kSubmit, kApprove, kReturn };

HttpResponse PostForm(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, Post kind) {
  app::LearningService* svc = w.s.learning;
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  const Id id = RouteId(req);
  if (!id) return ErrorPage(w, req, &ctx, absl::NotFoundError("Deze leercasus bestaat niet."));
  Form f = http::ParseForm(req.body);
  if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok()) return ErrorPage(w, req, &ctx, st);
  const std::string form = kind == Post::kApprove ? "goedkeuren" : kind == Post::kReturn ? "terugsturen" : "bewerken";
  auto version = ParseInt(FormValue(f, "version"));
  if (!version)
    return Refused(w, req, ctx, id,
                   absl::InvalidArgumentError("Het formulier mist de versie van de leercasus. Laad de pagina opnieuw."),
                   form, &f);
  std::vector<Finding> findings;
  absl::Status st;
  switch (kind) {
    case Post::kSave: {
      auto found = svc->Edit(ctx.actor, id, *version, PostedTexts(f));
      if (!found.ok()) return Refused(w, req, ctx, id, found.status(), form, &f);
      return Redirect(Cat(Url(id), found->empty() ? "#kop-bewerken" : "#foutoverzicht-kop"));
    }
    case Post::kSubmit:
      st = svc->Submit(ctx.actor, id, *version, PostedTexts(f), &findings);
      break;
    case Post::kApprove:
      st = svc->Approve(ctx.actor, id, *version, &findings);
      break;
    case Post::kReturn:
      st = svc->Return(ctx.actor, id, *version, FormValue(f, "reden"));
      break;
  }
  if (st.ok()) return Redirect(Url(id));
  return Refused(w, req, ctx, id, st, form, &f, &findings);
}

}  // namespace

void AddLearningRoutes(const Web& w, std::vector<http::Route>& out) {
  out.push_back({"GET", "/leercasussen", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return ListPage(w, req, ctx);
                 })});
  out.push_back({"GET", "/leercasussen/:id(\\d+)", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   const Id id = RouteId(req);
                   if (!id) return ErrorPage(w, req, &ctx, absl::NotFoundError("Deze leercasus bestaat niet."));
                   return LearningPage(w, req, ctx, id);
                 })});
  out.push_back(
      {"POST", "/leercasussen/:id(\\d+)/bewerken", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
         return PostForm(w, req, ctx, Post::kSave);
       })});
  out.push_back(
      {"POST", "/leercasussen/:id(\\d+)/indienen", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
         return PostForm(w, req, ctx, Post::kSubmit);
       })});
  out.push_back({"POST", "/leercasussen/:id(\\d+)/goedkeuren",
                 Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return PostForm(w, req, ctx, Post::kApprove);
                 })});
  out.push_back({"POST", "/leercasussen/:id(\\d+)/terugsturen",
                 Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return PostForm(w, req, ctx, Post::kReturn);
                 })});
  // From the case page of a track: a new draft.
  out.push_back({"POST", "/zaken/:id(\\d+)/leercasus",
                 Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) -> HttpResponse {
                   app::LearningService* svc = w.s.learning;
                   if (!svc) return ErrorPage(w, req, &ctx, NoService());
                   const Id id = RouteId(req);
                   Form f = http::ParseForm(req.body);
                   if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok())
                     return ErrorPage(w, req, &ctx, st);
                   auto made = svc->StartDraft(ctx.actor, id, FormBool(f, "klager_stemt_in"));
                   if (made.ok()) return Redirect(Url(*made));
                   const int status = http::HttpStatusOf(made.status());
                   if (status == 401) return Redirect("/inloggen");
                   if (status == 422 || status == 409)
                     return TrackCasePageWithError(w, req, ctx, id, status, "leercasus", Msg(made.status()), &f);
                   return ErrorPage(w, req, &ctx, made.status());
                 })});
}

}  // namespace waarborg::web
