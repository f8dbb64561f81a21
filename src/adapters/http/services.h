// The application services the HTTP adapters (API and pages) call.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "adapters/http/http_types.h"
#include "app/annual_report.h"
#include "app/audit_service.h"
#include "app/auth_service.h"
#include "app/dashboard_service.h"
#include "app/identity_vault.h"
#include "app/reporter_channel.h"
#include "app/learning_service.h"
#include "app/lmm_service.h"
#include "app/monitor_service.h"
#include "app/org_service.h"
#include "app/track_service.h"
#include "core/ports/clock.h"
#include "core/ports/store.h"
#include "core/workflow/track_catalogue.h"

namespace waarborg::http {

struct Services {
  Store& store;
  const Clock& clock;
  app::AuthService& auth;
  app::LmmService& lmm;
  app::AuditService& audit;
  app::OrgService& org;
  app::ReporterChannel& channel;
  app::IdentityVault& vault;
  std::string web_dir;  // templates, static files and i18n (web/)
  // The tracks as data (workflows/), validated at start; null in tests that
  // need none.
  const workflow::TrackCatalogue* tracks = nullptr;
  // Cases on the tracks defined as data (/zaken); null in tests that need none.
  app::TrackService* track_cases = nullptr;
  // The dashboards (/dashboard); null in tests that need none.
  app::DashboardService* dashboard = nullptr;
  // Learning cases (/leercasussen); null in tests that need none.
  app::LearningService* learning = nullptr;
  // The annual and management reports (/rapportage); null in tests that need none.
  app::AnnualReportService* reports = nullptr;
  // Protective Monitoring (/monitoring); null in tests that need none.
  app::MonitorService* monitor = nullptr;
  // The browser that prints a report to PDF (adapters/report/pdf.h).
  std::string chromium = "/usr/bin/chromium";
};

inline constexpr const char* kSessionCookie = "wb_session";
// The reporter's session (after log-in with the receipt); no account.
inline constexpr const char* kReporterCookie = "wb_melder";

// HTTP status for a Status: InvalidArgument 422, PermissionDenied 403,
// NotFound 404, FailedPrecondition and Aborted 409, Unauthenticated 401,
// ResourceExhausted 429, others 500.
int HttpStatusOf(const absl::Status& st);

// The logged-in context of a request (cookie `wb_session`), or Unauthenticated.
absl::StatusOr<app::AuthContext> RequireSession(Services& s, const HttpRequest& req);

// CSRF check for a state-changing request: the token from the X-CSRF-Token
// header or the form field `csrf` must equal the session's. PermissionDenied
// otherwise.
absl::Status CheckCsrf(const app::AuthContext& ctx, const HttpRequest& req,
                       const std::string& form_token = "");

// Set-Cookie value for a session token (HttpOnly, SameSite=Strict, Path=/;
// Secure when `tls`). An empty token clears the cookie.
std::string SessionCookie(const std::string& token, bool tls);
// The same for the reporter's session cookie.
std::string ReporterCookie(const std::string& token, bool tls);

// What a reporter may do with a receipt a VPI handed over (it must be
// replaced first, so that only the reporter knows the receipt in use).
enum class BeforeReplacement { kRefuse, kAllow };

// The reporter's context of a request (cookie wb_melder); for a write also
// the CSRF check of `form_token` (or the X-CSRF-Token header). While the
// receipt must still be replaced, FailedPrecondition (409) unless `gate` is
// kAllow (replacing the receipt, logging out, the page that asks for it).
absl::StatusOr<app::ReporterContext> RequireReporter(Services& s, const HttpRequest& req,
                                                     const std::string& form_token = "",
                                                     BeforeReplacement gate = BeforeReplacement::kRefuse);

}  // namespace waarborg::http
