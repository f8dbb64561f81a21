#include "adapters/http/services.h"

#include "adapters/crypto/crypto.h"
#include "core/common/status.h"

namespace waarborg::http {

int HttpStatusOf(const absl::Status& st) {
  switch (st.code()) {
    case absl::StatusCode::kOk: return 200;
    case absl::StatusCode::kInvalidArgument: return 422;
    case absl::StatusCode::kPermissionDenied: return 403;
    case absl::StatusCode::kNotFound: return 404;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kAlreadyExists: return 409;
    case absl::StatusCode::kUnauthenticated: return 401;
    case absl::StatusCode::kResourceExhausted: return 429;
    case absl::StatusCode::kOutOfRange: return 413;
    case absl::StatusCode::kUnavailable: return 503;
    default: return 500;
  }
}

absl::StatusOr<app::AuthContext> RequireSession(Services& s, const HttpRequest& req) {
  return s.auth.Authenticate(req.Cookie(kSessionCookie));
}

namespace {

absl::Status CheckCsrfToken(const std::string& expected, const HttpRequest& req, const std::string& form_token) {
  std::string token = req.Header("x-csrf-token");
  if (token.empty()) token = form_token;
  if (token.empty() || !crypto::ConstantTimeEquals(token, expected))
    return Forbidden("Het formulier is verlopen of ongeldig (CSRF). Laad de pagina opnieuw.");
  return absl::OkStatus();
}

std::string Cookie(const char* name, const std::string& token, bool tls) {
  std::string c = Cat(name, "=", token, "; Path=/; HttpOnly; SameSite=Strict");
  if (token.empty()) c += "; Max-Age=0";
  if (tls) c += "; Secure";
  return c;
}

}  // namespace

absl::Status CheckCsrf(const app::AuthContext& ctx, const HttpRequest& req, const std::string& form_token) {
  return CheckCsrfToken(ctx.session.csrf_token, req, form_token);
}

std::string SessionCookie(const std::string& token, bool tls) { return Cookie(kSessionCookie, token, tls); }
std::string ReporterCookie(const std::string& token, bool tls) { return Cookie(kReporterCookie, token, tls); }

absl::StatusOr<app::ReporterContext> RequireReporter(Services& s, const HttpRequest& req,
                                                     const std::string& form_token, BeforeReplacement gate) {
  ASSIGN_OR_RETURN(app::ReporterContext ctx, s.channel.Authenticate(req.Cookie(kReporterCookie)));
  if (req.method != "GET" && req.method != "HEAD")
    RETURN_IF_ERROR(CheckCsrfToken(ctx.session.csrf_token, req, form_token));
  if (ctx.session.must_replace_receipt && gate == BeforeReplacement::kRefuse)
    return absl::FailedPreconditionError(
        "Vervang eerst het bonnummer dat u van de vertrouwenspersoon kreeg; daarna kunt u verder.");
  return ctx;
}

}  // namespace waarborg::http
