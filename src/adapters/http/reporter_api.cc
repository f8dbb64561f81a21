// The reporter's channel over JSON (docs/api.md): public intake, log-in with
// the receipt, the reporter's own case, messages, consent and receipt
// replacement. No account, no address and no user agent of a reporter is
// stored or logged (the access log has method, path, status and duration).
#include <nlohmann/json.hpp>

#include "adapters/http/api_routes.h"
#include "adapters/json/case_json.h"
#include "core/common/status.h"

namespace waarborg::http {
namespace {

using nlohmann::json;

absl::StatusOr<json> Body(const HttpRequest& req, std::initializer_list<std::string_view> allowed) {
  json j = req.body.empty() ? json::object() : json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return absl::InvalidArgumentError("De aanvraag is geen geldig JSON-object.");
  RETURN_IF_ERROR(waarborg::json::RejectUnknownFields(j, allowed));
  return j;
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

HttpResponse Run(const std::function<absl::StatusOr<HttpResponse>()>& fn) {
  try {
    auto r = fn();
    if (!r.ok()) return JsonError(r.status());
    return *r;
  } catch (const json::exception&) {
    return JsonError(Invalid("Een veld heeft een verkeerd type."));
  }
}

}  // namespace

std::vector<Route> ReporterApiRoutes(Services& s) {
  std::vector<Route> r;
  // Public intake: no log-in; the answer carries the receipt, once.
  r.push_back({"POST", "/api/v1/reports", [&s](const HttpRequest& req) {
                 return Run([&]() -> absl::StatusOr<HttpResponse> {
                   ASSIGN_OR_RETURN(json b, Body(req, {"reporter_category", "summary", "description", "unit_id",
                                                       "reporter_name", "reporter_contact", "notify_email"}));
                   app::NewReport n;
                   n.reporter_category = Str(b, "reporter_category");
                   n.summary = Str(b, "summary");
                   n.description = Str(b, "description");
                   n.unit_id = b.value("unit_id", Id{0});
                   n.reporter_name = Str(b, "reporter_name");
                   n.reporter_contact = Str(b, "reporter_contact");
                   n.notify_email = Str(b, "notify_email");
                   ASSIGN_OR_RETURN(app::IntakeResult res, s.channel.Submit(n));
                   return JsonResponse(201, {{"reference", res.reference}, {"receipt", res.receipt}});
                 });
               }});
  r.push_back({"POST", "/api/v1/reporter/session", [&s](const HttpRequest& req) {
                 return Run([&]() -> absl::StatusOr<HttpResponse> {
                   ASSIGN_OR_RETURN(json b, Body(req, {"receipt"}));
                   ASSIGN_OR_RETURN(app::ReporterLogin login, s.channel.LogIn(Str(b, "receipt"), req.remote_address));
                   HttpResponse out = JsonResponse(200, {{"csrf_token", login.csrf_token},
                                                         {"must_replace_receipt", login.must_replace_receipt}});
                   out.Header("Set-Cookie", ReporterCookie(login.token, req.tls));
                   return out;
                 });
               }});
  r.push_back({"DELETE", "/api/v1/reporter/session", [&s](const HttpRequest& req) {
                 return Run([&]() -> absl::StatusOr<HttpResponse> {
                   ASSIGN_OR_RETURN(auto ctx, RequireReporter(s, req, "", BeforeReplacement::kAllow));
                   RETURN_IF_ERROR(s.channel.LogOut(req.Cookie(kReporterCookie)));
                   HttpResponse out = JsonResponse(200, {{"ok", true}});
                   out.Header("Set-Cookie", ReporterCookie("", req.tls));
                   return out;
                 });
               }});
  r.push_back({"GET", "/api/v1/reporter/case", [&s](const HttpRequest& req) {
                 return Run([&]() -> absl::StatusOr<HttpResponse> {
                   ASSIGN_OR_RETURN(auto ctx, RequireReporter(s, req));
                   const Id id = ctx.session.case_id;
                   ASSIGN_OR_RETURN(auto view, s.lmm.Open(ctx.actor, id));
                   ASSIGN_OR_RETURN(auto msgs, s.channel.Messages(ctx.actor, id));
                   ASSIGN_OR_RETURN(auto holders, s.vault.Holders(ctx.actor, id));
                   ASSIGN_OR_RETURN(auto requests, s.vault.Requests(ctx.actor, id));
                   json j = CaseViewJson(view, s.lmm.Today());
                   j["messages"] = MessagesJson(msgs);
                   j["must_replace_receipt"] = ctx.session.must_replace_receipt;
                   j["identity_holders"] = json::array();
                   for (const auto& h : holders)
                     j["identity_holders"].push_back({{"name", h.name}, {"role", h.role}, {"basis", h.basis}});
                   j["identity_requests"] = json::array();
                   for (const auto& q : requests)
                     j["identity_requests"].push_back({{"id", q.request.id}, {"recipient", q.recipient_name},
                                                       {"reason", q.request.reason}, {"legal_duty", q.request.legal_duty},
                                                       {"legal_reasons", q.request.legal_reasons},
                                                       {"state", q.request.state}, {"state_label", q.state_label}});
                   return JsonResponse(200, j);
                 });
               }});
  r.push_back({"POST", "/api/v1/reporter/messages", [&s](const HttpRequest& req) {
                 return Run([&]() -> absl::StatusOr<HttpResponse> {
                   ASSIGN_OR_RETURN(auto ctx, RequireReporter(s, req));
                   ASSIGN_OR_RETURN(json b, Body(req, {"text"}));
                   ASSIGN_OR_RETURN(Id id, s.channel.PostMessage(ctx.actor, ctx.session.case_id, "reporter", Str(b, "text")));
                   return JsonResponse(201, {{"id", id}});
                 });
               }});
  r.push_back({"POST", "/api/v1/reporter/receipt", [&s](const HttpRequest& req) {
                 return Run([&]() -> absl::StatusOr<HttpResponse> {
                   ASSIGN_OR_RETURN(auto ctx, RequireReporter(s, req, "", BeforeReplacement::kAllow));
                   std::string token;
                   ASSIGN_OR_RETURN(std::string receipt, s.channel.ReplaceReceipt(ctx, &token));
                   HttpResponse out = JsonResponse(200, {{"receipt", receipt}});
                   out.Header("Set-Cookie", ReporterCookie(token, req.tls));
                   return out;
                 });
               }});
  r.push_back({"POST", "/api/v1/reporter/email", [&s](const HttpRequest& req) {
                 return Run([&]() -> absl::StatusOr<HttpResponse> {
                   ASSIGN_OR_RETURN(auto ctx, RequireReporter(s, req));
                   ASSIGN_OR_RETURN(json b, Body(req, {"email"}));
                   RETURN_IF_ERROR(s.channel.SetNotifyEmail(ctx, Str(b, "email")));
                   return JsonResponse(200, {{"ok", true}});
                 });
               }});
  r.push_back({"POST", "/api/v1/reporter/identity-requests/:id(\\d+)/consent", [&s](const HttpRequest& req) {
                 return Run([&]() -> absl::StatusOr<HttpResponse> {
                   ASSIGN_OR_RETURN(auto ctx, RequireReporter(s, req));
                   ASSIGN_OR_RETURN(json b, Body(req, {"consent"}));
                   auto it = b.find("consent");
                   if (it == b.end() || !it->is_boolean()) return Invalid("Geef aan of u toestemming geeft (ja of nee).");
                   RETURN_IF_ERROR(s.vault.AnswerConsent(ctx.actor, std::stoll(req.route.at("id")), it->get<bool>()));
                   return JsonResponse(200, {{"ok", true}});
                 });
               }});
  return r;
}

}  // namespace waarborg::http
