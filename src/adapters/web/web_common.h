// Shared helpers of the page handlers (internal to adapters/web).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "adapters/http/http_types.h"
#include "adapters/http/services.h"
#include "adapters/web/renderer.h"
#include "app/auth_service.h"

namespace waarborg::web {

struct Web {
  http::Services& s;
  std::shared_ptr<const Renderer> r;
};

using Form = std::multimap<std::string, std::string>;

// The first value of `key`, or "".
std::string FormValue(const Form& f, const std::string& key);
// Every value of `key`, in order.
std::vector<std::string> FormValues(const Form& f, const std::string& key);
// A form field that is "1", "ja", "on" or "true".
bool FormBool(const Form& f, const std::string& key);

// The UI language of a request: "en" with ?lang=en, "nl" otherwise.
std::string Lang(const http::HttpRequest& req);

inline Data Str(std::string_view s) { return Data(std::string(s)); }
// Sets `key` only for a non-empty value: mustache treats "" as true in
// {{#key}} sections, so optional text must be absent rather than empty.
inline void SetIf(Data& d, const std::string& key, const std::string& value) {
  if (!value.empty()) d.set(key, value);
}

// A 303 See Other to `to`.
http::HttpResponse Redirect(const std::string& to);

// Layout data for a page: title, the logged-in user (when ctx) and the menu.
Data BaseData(const Web& w, const http::HttpRequest& req, const app::AuthContext* ctx,
              const std::string& title);

// Renders template `tmpl` in the layout with `data` (BaseData is merged in).
http::HttpResponse HtmlPage(const Web& w, const http::HttpRequest& req, const app::AuthContext* ctx,
                            int status, const std::string& tmpl, const std::string& title, Data data);

// A Dutch error page with `status`; 401 redirects to the log-in page.
http::HttpResponse ErrorPage(const Web& w, const http::HttpRequest& req, const app::AuthContext* ctx,
                             const absl::Status& st);

// Error summary entries: {field id (may be empty), message}.
using FieldErrors = std::vector<std::pair<std::string, std::string>>;
// Data for the error summary partial ("errors" list, "has_errors").
void AddErrors(Data& d, const FieldErrors& errors);

// Parses a case id route parameter; 0 when invalid.
Id RouteId(const http::HttpRequest& req, const std::string& name = "id");

// The units a case can concern, for a select: eenheden and districts, and
// teams too while the organisation is small (at most 200 units).
struct UnitOption {
  Id id;
  std::string name;
};
std::vector<UnitOption> Units(const Web& w);

// dd-mm-jjjj or "".
std::string DateText(const std::optional<Date>& d);

// Wraps a handler that needs a logged-in user: without a valid session it
// answers 303 to /inloggen.
using AuthedHandler = std::function<http::HttpResponse(const http::HttpRequest&, const app::AuthContext&)>;
http::Handler Authed(const Web& w, AuthedHandler h);

// The route groups.
void AddAuthRoutes(const Web& w, std::vector<http::Route>& out);
void AddCaseRoutes(const Web& w, std::vector<http::Route>& out);
// The cases on the tracks defined as data (track_pages.cc): /zaken.
void AddTrackRoutes(const Web& w, std::vector<http::Route>& out);
void AddOtherRoutes(const Web& w, std::vector<http::Route>& out);
void AddAdminRoutes(const Web& w, std::vector<http::Route>& out);
void AddStaticRoutes(const Web& w, std::vector<http::Route>& out);
void AddReporterRoutes(const Web& w, std::vector<http::Route>& out);
// The dashboards (dashboard_pages.cc): /dashboard.
void AddDashboardRoutes(const Web& w, std::vector<http::Route>& out);
// Learning cases (learning_pages.cc): /leercasussen, and POST
// /zaken/:id/leercasus from a track case page.
void AddLearningRoutes(const Web& w, std::vector<http::Route>& out);
// The track case page with a refused form `form` (its message and what was
// typed), for a form another page file handles (track_pages.cc).
http::HttpResponse TrackCasePageWithError(const Web& w, const http::HttpRequest& req, const app::AuthContext& ctx,
                                          Id id, int status, const std::string& form, const std::string& error,
                                          const Form* posted);
// The annual and management reports (report_pages.cc): /rapportage.
void AddReportRoutes(const Web& w, std::vector<http::Route>& out);
// Protective Monitoring (monitor_pages.cc): /monitoring.
void AddMonitorRoutes(const Web& w, std::vector<http::Route>& out);

}  // namespace waarborg::web

#include "app/lmm_service.h"
namespace waarborg::web {
// Rows for the case table partial (_case_table): sorted by nearest deadline.
Data CaseRows(std::vector<app::CaseListItem> items, Date today);

// The staff case page. A refused form is shown again with `status`, its
// error at the form whose id is "stap-<error_step>", and what was typed.
http::HttpResponse CasePage(const Web& w, const http::HttpRequest& req, const app::AuthContext& ctx, Id id,
                            int status = 200, const std::string& error_step = "", const std::string& error = "",
                            const Form* posted = nullptr);

// The reporter's channel on the staff case page (case_channel_pages.cc):
// messages and files, and the identity vault.
void AddCaseChannelData(const Web& w, const http::HttpRequest& req, const app::AuthContext& ctx, const LmmCase& c,
                        Data& d);
void AddCaseChannelRoutes(const Web& w, std::vector<http::Route>& out);
}  // namespace waarborg::web
