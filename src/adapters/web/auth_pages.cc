// Log-in, second factor (code and enrolment) and log-out pages.
#include "adapters/crypto/totp.h"
#include "adapters/web/web_common.h"
#include "core/common/strings.h"

namespace waarborg::web {

namespace {

using http::HttpRequest;
using http::HttpResponse;

std::string Msg(const absl::Status& st) { return std::string(FromAbsl(st.message())); }

HttpResponse LoginPage(const Web& w, const HttpRequest& req, int status, const std::string& username,
                       const FieldErrors& errors) {
  Data d;
  d.set("username", username);
  AddErrors(d, errors);
  for (auto& [field, msg] : errors) d.set("error_" + field, msg);
  return HtmlPage(w, req, nullptr, status, "login", w.r->T(Lang(req), "login_title"), std::move(d));
}

HttpResponse CodePage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, int status,
                      const FieldErrors& errors) {
  Data d;
  d.set("csrf", ctx.session.csrf_token);
  AddErrors(d, errors);
  for (auto& [field, msg] : errors) d.set("error_" + field, msg);
  return HtmlPage(w, req, nullptr, status, "login_code", w.r->T(Lang(req), "code_title"), std::move(d));
}

HttpResponse EnrolPage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, int status,
                       const std::string& secret_raw, const FieldErrors& errors) {
  Data d;
  d.set("csrf", ctx.session.csrf_token);
  const std::string b32 = crypto::Base32Encode(secret_raw);
  std::string grouped;  // groups of four for reading aloud / typing
  for (size_t i = 0; i < b32.size(); ++i) {
    if (i && i % 4 == 0) grouped += ' ';
    grouped += b32[i];
  }
  d.set("secret", b32);
  d.set("secret_grouped", grouped);
  d.set("uri", crypto::OtpauthUri("Waarborg", ctx.username, secret_raw));
  AddErrors(d, errors);
  for (auto& [field, msg] : errors) d.set("error_" + field, msg);
  return HtmlPage(w, req, nullptr, status, "login_enrol", w.r->T(Lang(req), "enrol_title"), std::move(d));
}

}  // namespace

void AddAuthRoutes(const Web& w, std::vector<http::Route>& out) {
  out.push_back({"GET", "/", [w](const HttpRequest& req) {
                   return Redirect(http::RequireSession(w.s, req).ok() ? "/start" : "/inloggen");
                 }});

  out.push_back({"GET", "/inloggen", [w](const HttpRequest& req) {
                   if (http::RequireSession(w.s, req).ok()) return Redirect("/start");
                   return LoginPage(w, req, 200, "", {});
                 }});

  out.push_back({"POST", "/inloggen", [w](const HttpRequest& req) {
                   Form f = http::ParseForm(req.body);
                   const std::string user = FormValue(f, "gebruikersnaam");
                   const std::string pass = FormValue(f, "wachtwoord");
                   const std::string lang = Lang(req);
                   if (user.empty() || pass.empty()) {
                     FieldErrors errs;
                     if (user.empty()) errs.push_back({"gebruikersnaam", w.r->T(lang, "login_error_username")});
                     if (pass.empty()) errs.push_back({"wachtwoord", w.r->T(lang, "login_error_password")});
                     return LoginPage(w, req, 422, user, errs);
                   }
                   auto res = w.s.auth.Login(user, pass, req.remote_address);
                   if (!res.ok()) {
                     int status = http::HttpStatusOf(res.status());
                     std::string msg = status >= 500 ? w.r->T(lang, "error_500_text") : Msg(res.status());
                     return LoginPage(w, req, status, user, {{"wachtwoord", msg}});
                   }
                   std::string next = "/start";
                   if (res->second_factor_enrolment) next = "/inloggen/code-instellen";
                   else if (res->second_factor_required) next = "/inloggen/code";
                   HttpResponse r = Redirect(next);
                   r.Header("Set-Cookie", http::SessionCookie(res->token, req.tls));
                   return r;
                 }});

  out.push_back({"GET", "/inloggen/code", [w](const HttpRequest& req) {
                   auto ctx = w.s.auth.AuthenticatePending(req.Cookie(http::kSessionCookie));
                   if (!ctx.ok()) return Redirect("/inloggen");
                   if (ctx->session.second_factor_done) return Redirect("/start");
                   return CodePage(w, req, *ctx, 200, {});
                 }});

  out.push_back({"POST", "/inloggen/code", [w](const HttpRequest& req) {
                   const std::string token = req.Cookie(http::kSessionCookie);
                   auto ctx = w.s.auth.AuthenticatePending(token);
                   if (!ctx.ok()) return Redirect("/inloggen");
                   Form f = http::ParseForm(req.body);
                   if (auto st = http::CheckCsrf(*ctx, req, FormValue(f, "csrf")); !st.ok())
                     return CodePage(w, req, *ctx, 403, {{"code", Msg(st)}});
                   const std::string code = FormValue(f, "code");
                   if (code.empty()) return CodePage(w, req, *ctx, 422, {{"code", w.r->T(Lang(req), "code_error_empty")}});
                   auto rotated = w.s.auth.VerifySecondFactor(token, code, req.remote_address);
                   if (!rotated.ok()) {
                     const absl::Status& st = rotated.status();
                     int status = http::HttpStatusOf(st);
                     if (status == 409) return Redirect("/inloggen/code-instellen");
                     return CodePage(w, req, *ctx, status,
                                     {{"code", status >= 500 ? w.r->T(Lang(req), "error_500_text") : Msg(st)}});
                   }
                   auto res = Redirect("/start");
                   res.Header("Set-Cookie", http::SessionCookie(*rotated, req.tls));
                   return res;
                 }});

  out.push_back({"GET", "/inloggen/code-instellen", [w](const HttpRequest& req) {
                   const std::string token = req.Cookie(http::kSessionCookie);
                   auto ctx = w.s.auth.AuthenticatePending(token);
                   if (!ctx.ok()) return Redirect("/inloggen");
                   if (ctx->session.second_factor_done) return Redirect("/start");
                   auto secret = w.s.auth.BeginEnrolment(token);
                   if (!secret.ok()) {
                     if (http::HttpStatusOf(secret.status()) == 409) return Redirect("/inloggen/code");
                     return ErrorPage(w, req, nullptr, secret.status());
                   }
                   return EnrolPage(w, req, *ctx, 200, *secret, {});
                 }});

  out.push_back({"POST", "/inloggen/code-instellen", [w](const HttpRequest& req) {
                   const std::string token = req.Cookie(http::kSessionCookie);
                   auto ctx = w.s.auth.AuthenticatePending(token);
                   if (!ctx.ok()) return Redirect("/inloggen");
                   Form f = http::ParseForm(req.body);
                   auto raw = crypto::Base32Decode(FormValue(f, "secret"));
                   if (!raw || raw->size() < 16) return Redirect("/inloggen/code-instellen");
                   if (auto st = http::CheckCsrf(*ctx, req, FormValue(f, "csrf")); !st.ok())
                     return EnrolPage(w, req, *ctx, 403, *raw, {{"code", Msg(st)}});
                   const std::string code = FormValue(f, "code");
                   if (code.empty())
                     return EnrolPage(w, req, *ctx, 422, *raw, {{"code", w.r->T(Lang(req), "code_error_empty")}});
                   auto rotated = w.s.auth.ConfirmEnrolment(token, *raw, code);
                   if (!rotated.ok()) {
                     const absl::Status& st = rotated.status();
                     int status = http::HttpStatusOf(st);
                     if (status == 409) return Redirect("/inloggen/code");
                     return EnrolPage(w, req, *ctx, status, *raw,
                                      {{"code", status >= 500 ? w.r->T(Lang(req), "error_500_text") : Msg(st)}});
                   }
                   auto res = Redirect("/start");
                   res.Header("Set-Cookie", http::SessionCookie(*rotated, req.tls));
                   return res;
                 }});

  out.push_back({"POST", "/uitloggen", [w](const HttpRequest& req) {
                   const std::string token = req.Cookie(http::kSessionCookie);
                   auto ctx = w.s.auth.AuthenticatePending(token);
                   if (ctx.ok()) {
                     Form f = http::ParseForm(req.body);
                     if (auto st = http::CheckCsrf(*ctx, req, FormValue(f, "csrf")); !st.ok())
                       return ErrorPage(w, req, nullptr, st);
                     (void)w.s.auth.Logout(token);
                   }
                   HttpResponse r = Redirect("/inloggen");
                   r.Header("Set-Cookie", http::SessionCookie("", req.tls));
                   return r;
                 }});
}

}  // namespace waarborg::web
