// The reporter's pages (DOMAIN §2, §8), usable without JavaScript and without
// an account: /melden (intake, with attachments), the receipt shown once,
// /melden/terug (log-in with the receipt), /melder (status, deadlines,
// messages, consent, who holds the identity). No address, agent or cookie
// other than the reporter's own session cookie is kept.
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "adapters/http/api_routes.h"
#include "adapters/web/uploads.h"
#include "adapters/web/web_common.h"
#include "core/common/status.h"
#include "core/common/strings.h"
#include "core/workflow/track.h"

namespace waarborg::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using nlohmann::json;

std::string Msg(const absl::Status& st) { return std::string(FromAbsl(st.message())); }

// The intake questionnaire of a track, as data (workflows/questionnaires).
const json& Questionnaire(const Web& w) {
  static const json q = [&] {
    for (auto dir : {std::filesystem::path(w.s.web_dir).parent_path() / "workflows",
                     std::filesystem::path(WAARBORG_SOURCE_DIR) / "workflows",
                     std::filesystem::path("/usr/share/waarborg/workflows")}) {
      std::ifstream in(dir / "questionnaires" / "lmm.json");
      if (!in) continue;
      json j = json::parse(in, nullptr, false);
      if (!j.is_discarded()) return j;
    }
    return json{{"questions", json::array()}};
  }();
  return q;
}

std::string L(const json& text, const std::string& lang) {
  if (text.contains(lang)) return text[lang].get<std::string>();
  return text.value("nl", "");
}

using IntakeForm = PostedForm;

std::string Field(const IntakeForm& f, const std::string& k) { return f.Field(k); }

HttpResponse IntakePage(const Web& w, const HttpRequest& req, int status, const IntakeForm& f,
                        const FieldErrors& errors) {
  const std::string lang = Lang(req);
  Data d;
  d.set("email_notices", w.s.channel.policy().email_notices);
  const json& q = Questionnaire(w);
  Data questions{Data::type::list};
  for (const auto& item : q["questions"]) {
    Data x;
    const std::string key = item["key"].get<std::string>();
    x.set("key", key);
    x.set("label", L(item["label"], lang));
    SetIf(x, "hint", item.contains("hint") ? L(item["hint"], lang) : "");
    x.set(item.value("type", "text") == "textarea" ? "textarea" : "text", true);
    if (item.value("required", false)) x.set("required", true);
    x.set("max", std::to_string(item.value("max", 2000)));
    SetIf(x, "value", Field(f, key));
    for (auto& [field, msg] : errors) {
      if (field == key) x.set("error", msg);
    }
    questions.push_back(x);
  }
  d.set("questions", questions);
  Data categories{Data::type::list};
  for (auto k : kReporterCategories) {
    Data c;
    c.set("key", std::string(k));
    c.set("label", std::string(ReporterCategoryLabelNl(k)));
    if (Field(f, "categorie") == k) c.set("selected", true);
    categories.push_back(c);
  }
  d.set("categories", categories);
  Data units{Data::type::list};
  (void)w.s.store.Read([&](StoreTx& tx) {
    for (const auto& u : tx.ListUnits()) {
      if (u.kind == UnitKind::kTeam) continue;
      Data x;
      x.set("id", std::to_string(u.id));
      x.set("name", u.name);
      if (Field(f, "eenheid") == std::to_string(u.id)) x.set("selected", true);
      units.push_back(x);
    }
    return absl::OkStatus();
  });
  d.set("units", units);
  for (const char* k : {"naam", "contact", "email"}) SetIf(d, k, Field(f, k));
  AddErrors(d, errors);
  for (auto& [field, msg] : errors) d.set("error_" + field, msg);
  return HtmlPage(w, req, nullptr, status, "report_new", L(q.value("title", json::object()), lang), std::move(d));
}

// Which form field a service error belongs to, for the error summary.
std::string FieldOf(const std::string& msg) {
  if (msg.find("categorie") != std::string::npos) return "categorie";
  if (msg.find("eenheid") != std::string::npos) return "eenheid";
  if (msg.find("korte omschrijving") != std::string::npos) return "summary";
  if (msg.find("Beschrijf") != std::string::npos || msg.find("beschrijving") != std::string::npos) return "description";
  if (msg.find("e-mail") != std::string::npos) return "email";
  if (msg.find("bestand") != std::string::npos || msg.find("Bestand") != std::string::npos) return "bestanden";
  return "";
}

HttpResponse ReceiptPage(const Web& w, const HttpRequest& req, const std::string& receipt, const std::string& reference,
                         bool replaced) {
  Data d;
  d.set("receipt", receipt);
  d.set("reference", reference);
  if (replaced) d.set("replaced", true);
  return HtmlPage(w, req, nullptr, 201, "report_receipt", w.r->T(Lang(req), "receipt_title"), std::move(d));
}

HttpResponse LoginPage(const Web& w, const HttpRequest& req, int status, const FieldErrors& errors) {
  Data d;
  AddErrors(d, errors);
  for (auto& [field, msg] : errors) d.set("error_" + field, msg);
  return HtmlPage(w, req, nullptr, status, "reporter_login", w.r->T(Lang(req), "reporter_login_title"), std::move(d));
}

HttpResponse ReporterCasePage(const Web& w, const HttpRequest& req, const app::ReporterContext& ctx, int status,
                              const FieldErrors& errors, const std::string& notice = "") {
  const Id id = ctx.session.case_id;
  if (ctx.session.must_replace_receipt) {
    // Nothing of the case before the receipt the VPI knows is replaced.
    Data d;
    d.set("csrf", ctx.session.csrf_token);
    d.set("must_replace", true);
    AddErrors(d, errors);
    return HtmlPage(w, req, nullptr, status, "reporter_case", w.r->T(Lang(req), "reporter_case_title"), std::move(d));
  }
  auto view = w.s.lmm.Open(ctx.actor, id);
  if (!view.ok()) return ErrorPage(w, req, nullptr, view.status());
  auto msgs = w.s.channel.Messages(ctx.actor, id);
  auto holders = w.s.vault.Holders(ctx.actor, id);
  auto requests = w.s.vault.Requests(ctx.actor, id);
  auto files = w.s.channel.Attachments(ctx.actor, id);
  Data d;
  d.set("csrf", ctx.session.csrf_token);
  d.set("reference", view->c.reference);
  d.set("summary", view->c.summary);
  d.set("state", std::string(LmmStateLabelNl(view->c.state)));
  d.set("status", view->status_for_reporter);
  d.set("received_on", DateText(view->c.received_on));
  if (ctx.session.must_replace_receipt) d.set("must_replace", true);
  // After the authority's decision the reporter may know the advice and the
  // decision (the communication gate, DOMAIN §2).
  if (view->outcome_visible && view->c.advice) SetIf(d, "advice", view->c.advice->reasoning);
  if (view->outcome_visible && view->c.decision) {
    SetIf(d, "decision", view->c.decision->adopts_advice ? w.r->T(Lang(req), "reporter_decision_adopted")
                                                         : w.r->T(Lang(req), "reporter_decision_deviates"));
    SetIf(d, "decision_notes", view->c.decision->notes);
  }
  SetIf(d, "notice", notice);
  d.set("email_notices", w.s.channel.policy().email_notices);
  // Where the case stands on its track, in plain words (workflows/tracks).
  if (w.s.tracks) {
    if (const auto* track = w.s.tracks->Find("lmm")) {
      Data steps{Data::type::list};
      for (const auto& st : workflow::PlainSteps(*track, LmmStateName(view->c.state))) {
        Data x;
        x.set("label", st.label);
        x.set("text", st.reporter_text);
        x.set("past", st.mark == workflow::StepMark::kPast);
        x.set("current", st.mark == workflow::StepMark::kCurrent);
        x.set("future", st.mark == workflow::StepMark::kFuture);
        steps.push_back(x);
      }
      d.set("steps", steps);
      d.set("has_steps", true);
    }
  }
  const Date today = w.s.lmm.Today();
  Data deadlines{Data::type::list};
  for (const auto& dl : view->deadlines) {
    Data x;
    x.set("label", dl.label);
    x.set("due", DateText(dl.due));
    if (dl.met_on) x.set("met_on", DateText(*dl.met_on));
    if (dl.OverdueOn(today)) x.set("overdue", true);
    deadlines.push_back(x);
  }
  d.set("deadlines", deadlines);
  Data timeline{Data::type::list};
  for (const auto& t : view->timeline) {
    Data x;
    x.set("at", FormatInstantNl(t.at));
    x.set("text", t.text);
    timeline.push_back(x);
  }
  d.set("timeline", timeline);
  Data messages{Data::type::list};
  if (msgs.ok()) {
    for (const auto& m : *msgs) {
      Data x;
      x.set("at", FormatInstantNl(m.message.at));
      x.set("author", m.author);
      x.set("text", m.message.body);
      if (m.unread) x.set("unread", true);
      messages.push_back(x);
    }
  }
  d.set("messages", messages);
  if (msgs.ok() && !msgs->empty()) d.set("has_messages", true);
  Data attachments{Data::type::list};
  if (files.ok()) {
    for (const auto& a : *files) {
      Data x;
      x.set("id", std::to_string(a.id));
      x.set("name", a.filename);
      x.set("size", Cat((a.size + 1023) / 1024, " KB"));
      attachments.push_back(x);
    }
    if (!files->empty()) d.set("has_attachments", true);
  }
  d.set("attachments", attachments);
  Data holder_list{Data::type::list};
  if (holders.ok()) {
    for (const auto& h : *holders) {
      Data x;
      x.set("name", h.name);
      x.set("role", h.role);
      x.set("basis", h.basis);
      holder_list.push_back(x);
    }
    if (!holders->empty()) d.set("has_holders", true);
  }
  d.set("holders", holder_list);
  Data request_list{Data::type::list};
  if (requests.ok()) {
    for (const auto& r : *requests) {
      Data x;
      x.set("id", std::to_string(r.request.id));
      x.set("recipient", r.recipient_name);
      x.set("reason", r.request.reason);
      x.set("state", r.state_label);
      if (r.request.legal_duty) {
        x.set("legal_duty", true);
        x.set("legal_reasons", r.request.legal_reasons);
      }
      if (r.request.state == "awaiting_consent") x.set("awaiting_consent", true);
      request_list.push_back(x);
    }
    if (!requests->empty()) d.set("has_requests", true);
  }
  d.set("requests", request_list);
  AddErrors(d, errors);
  for (auto& [field, msg] : errors) d.set("error_" + field, msg);
  return HtmlPage(w, req, nullptr, status, "reporter_case", w.r->T(Lang(req), "reporter_case_title"), std::move(d));
}

// Wraps a reporter page: without a valid receipt session, back to the log-in.
using ReporterHandler = std::function<HttpResponse(const HttpRequest&, const app::ReporterContext&, const PostedForm&)>;
http::Handler ForReporter(const Web& w, ReporterHandler h,
                          http::BeforeReplacement gate = http::BeforeReplacement::kRefuse) {
  return [w, h, gate](const HttpRequest& req) -> HttpResponse {
    PostedForm form;
    if (req.method == "POST") {
      auto posted = ReadPostedForm(req);
      if (!posted.ok()) return ErrorPage(w, req, nullptr, posted.status());
      form = std::move(*posted);
    }
    auto ctx = http::RequireReporter(w.s, req, form.Field("csrf"), gate);
    if (absl::IsUnauthenticated(ctx.status())) return Redirect("/melden/terug");
    if (!ctx.ok()) return ErrorPage(w, req, nullptr, ctx.status());
    return h(req, *ctx, form);
  };
}

}  // namespace

void AddReporterRoutes(const Web& w, std::vector<http::Route>& out) {
  out.push_back({"GET", "/melden", [w](const HttpRequest& req) { return IntakePage(w, req, 200, {}, {}); }});
  out.push_back({"POST", "/melden",
                 [w](const HttpRequest& req) -> HttpResponse {
                   auto form = ReadPostedForm(req);
                   if (!form.ok()) return IntakePage(w, req, 400, {}, {{"", Msg(form.status())}});
                   app::NewReport n;
                   n.reporter_category = Field(*form, "categorie");
                   try {
                     n.unit_id = Field(*form, "eenheid").empty() ? 0 : std::stoll(Field(*form, "eenheid"));
                   } catch (...) {
                     n.unit_id = 0;
                   }
                   // Questions map onto the summary and description; the other
                   // answers are kept with the description, under their question.
                   std::string extra;
                   for (const auto& q : Questionnaire(w)["questions"]) {
                     const std::string key = q["key"].get<std::string>();
                     const std::string value = Field(*form, key);
                     const std::string maps_to = q.value("maps_to", "");
                     if (maps_to == "summary") n.summary = value;
                     else if (maps_to == "description") n.description = value;
                     else if (!value.empty()) extra += Cat("\n\n", L(q["label"], "nl"), "\n", value);
                   }
                   if (!n.description.empty()) n.description += extra;
                   n.reporter_name = Field(*form, "naam");
                   n.reporter_contact = Field(*form, "contact");
                   n.notify_email = Field(*form, "email");
                   auto files = CleanUploads(form->files);
                   if (!files.ok()) return IntakePage(w, req, http::HttpStatusOf(files.status()), *form,
                                                      {{"bestanden", Msg(files.status())}});
                   n.attachments = std::move(*files);
                   auto res = w.s.channel.Submit(std::move(n));
                   if (!res.ok()) {
                     const std::string m = Msg(res.status());
                     return IntakePage(w, req, http::HttpStatusOf(res.status()), *form, {{FieldOf(m), m}});
                   }
                   return ReceiptPage(w, req, res->receipt, res->reference, false);
                 },
                 http::kUploadBodyBytes});
  out.push_back({"GET", "/melden/terug", [w](const HttpRequest& req) { return LoginPage(w, req, 200, {}); }});
  out.push_back({"POST", "/melden/terug", [w](const HttpRequest& req) -> HttpResponse {
                   Form f = http::ParseForm(req.body);
                   auto login = w.s.channel.LogIn(FormValue(f, "bonnummer"), req.remote_address);
                   if (!login.ok()) return LoginPage(w, req, http::HttpStatusOf(login.status()), {{"bonnummer", Msg(login.status())}});
                   HttpResponse r = Redirect("/melder");
                   r.Header("Set-Cookie", http::ReporterCookie(login->token, req.tls));
                   return r;
                 }});
  out.push_back({"GET", "/melder", ForReporter(w, [w](const HttpRequest& req, const app::ReporterContext& ctx, const PostedForm&) {
                   return ReporterCasePage(w, req, ctx, 200, {});
                 }, http::BeforeReplacement::kAllow)});
  out.push_back({"POST", "/melder/bericht",
                 ForReporter(w, [w](const HttpRequest& req, const app::ReporterContext& ctx, const PostedForm& f) -> HttpResponse {
                   auto files = CleanUploads(f.files);
                   if (!files.ok())
                     return ReporterCasePage(w, req, ctx, http::HttpStatusOf(files.status()), {{"bestanden", Msg(files.status())}});
                   auto st = w.s.channel.PostMessage(ctx.actor, ctx.session.case_id, "reporter", f.Field("bericht"),
                                                     std::move(*files));
                   if (!st.ok()) return ReporterCasePage(w, req, ctx, http::HttpStatusOf(st.status()), {{"bericht", Msg(st.status())}});
                   return Redirect("/melder#berichten");
                 }),
                 http::kUploadBodyBytes});
  out.push_back({"GET", "/melder/bijlage/:id(\\d+)",
                 ForReporter(w, [w](const HttpRequest& req, const app::ReporterContext& ctx, const PostedForm&) -> HttpResponse {
                   auto a = w.s.channel.Download(ctx.actor, RouteId(req));
                   if (!a.ok()) return ErrorPage(w, req, nullptr, a.status());
                   return DownloadResponse(*a);
                 })});
  out.push_back({"POST", "/melder/toestemming/:id(\\d+)",
                 ForReporter(w, [w](const HttpRequest& req, const app::ReporterContext& ctx, const PostedForm& f) -> HttpResponse {
                   const std::string answer = f.Field("antwoord");
                   if (answer != "ja" && answer != "nee")
                     return ReporterCasePage(w, req, ctx, 422, {{"", "Kies of u toestemming geeft."}});
                   auto st = w.s.vault.AnswerConsent(ctx.actor, RouteId(req), answer == "ja");
                   if (!st.ok()) return ReporterCasePage(w, req, ctx, http::HttpStatusOf(st), {{"", Msg(st)}});
                   return Redirect("/melder#identiteit");
                 })});
  out.push_back({"POST", "/melder/email",
                 ForReporter(w, [w](const HttpRequest& req, const app::ReporterContext& ctx, const PostedForm& f) -> HttpResponse {
                   auto st = w.s.channel.SetNotifyEmail(ctx, f.Field("email"));
                   if (!st.ok()) return ReporterCasePage(w, req, ctx, http::HttpStatusOf(st), {{"email", Msg(st)}});
                   return ReporterCasePage(w, req, ctx, 200, {}, w.r->T(Lang(req), "reporter_email_saved"));
                 })});
  out.push_back({"POST", "/melder/bonnummer",
                 ForReporter(w, [w](const HttpRequest& req, const app::ReporterContext& ctx, const PostedForm&) -> HttpResponse {
                   std::string token;
                   auto receipt = w.s.channel.ReplaceReceipt(ctx, &token);
                   if (!receipt.ok()) return ReporterCasePage(w, req, ctx, http::HttpStatusOf(receipt.status()), {{"", Msg(receipt.status())}});
                   auto view = w.s.lmm.Open(ctx.actor, ctx.session.case_id);
                   HttpResponse r = ReceiptPage(w, req, *receipt, view.ok() ? view->c.reference : "", true);
                   r.status = 200;
                   r.Header("Set-Cookie", http::ReporterCookie(token, req.tls));
                   return r;
                 }, http::BeforeReplacement::kAllow)});
  out.push_back({"POST", "/melder/uitloggen",
                 ForReporter(w, [w](const HttpRequest& req, const app::ReporterContext&, const PostedForm&) -> HttpResponse {
                   (void)w.s.channel.LogOut(req.Cookie(http::kReporterCookie));
                   HttpResponse r = Redirect("/melden/terug");
                   r.Header("Set-Cookie", http::ReporterCookie("", req.tls));
                   return r;
                 }, http::BeforeReplacement::kAllow)});
}

}  // namespace waarborg::web
