#include "adapters/web/web_common.h"

#include <charconv>

#include "core/common/date.h"
#include "core/common/strings.h"
#include "core/org/org.h"

namespace waarborg::web {

std::string FormValue(const Form& f, const std::string& key) {
  auto it = f.find(key);
  return it == f.end() ? std::string() : it->second;
}

std::vector<std::string> FormValues(const Form& f, const std::string& key) {
  std::vector<std::string> out;
  auto [b, e] = f.equal_range(key);
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

bool FormBool(const Form& f, const std::string& key) {
  std::string v = FormValue(f, key);
  return v == "1" || v == "ja" || v == "on" || v == "true";
}

std::string Lang(const http::HttpRequest& req) {
  // ?lang= for one page, else the choice kept in the wb_lang cookie; Dutch first.
  std::string lang = req.Query("lang");
  if (lang.empty()) lang = req.Cookie("wb_lang");
  return lang == "en" ? "en" : "nl";
}

http::HttpResponse Redirect(const std::string& to) {
  http::HttpResponse r;
  r.status = 303;
  r.body = "";
  r.Header("Location", to);
  r.Header("Cache-Control", "no-store");
  return r;
}

namespace {

struct NavItem {
  std::string href;
  std::string key;
};

std::vector<NavItem> NavFor(const Actor& a) {
  std::vector<NavItem> nav = {{"/start", "nav_start"}, {"/meldingen", "nav_cases"}};
  // Staff register reports taken by phone or in person; everyone reports
  // their own suspicions through the anonymous channel (no account link).
  if (a.IsAdvisor()) {
    nav.push_back({"/meldingen/nieuw", "nav_new_case"});
  } else if (a.Has(Role::kEmployee)) {
    nav.push_back({"/melden", "nav_new_case"});
  }
  if (a.IsAdvisor()) {
    nav.push_back({"/termijnen", "nav_deadlines"});
    nav.push_back({"/activiteiten", "nav_activities"});
  }
  // The other tracks (/zaken): for their roles and the competent authority.
  for (Role r : {Role::kCounsellor, Role::kCentralCounsellor, Role::kCommitteeMember, Role::kCommitteeChair,
                 Role::kTriageOfficer, Role::kInvestigator, Role::kVikTeamChief, Role::kManager,
                 Role::kCompetentAuthority}) {
    if (!a.Has(r)) continue;
    nav.push_back({"/zaken", "nav_track_cases"});
    break;
  }
  // The dashboards (issue 5): for the roles that steer by them.
  for (Role r : {Role::kCoordinator, Role::kCentralCounsellor, Role::kVikTeamChief, Role::kManager,
                 Role::kCompetentAuthority}) {
    if (!a.Has(r)) continue;
    nav.push_back({"/dashboard", "nav_dashboard"});
    break;
  }
  // Learning cases (issue 5 §5): published ones are for all staff.
  if (a.person_id != 0) nav.push_back({"/leercasussen", "nav_learning"});
  // The annual and management reports (issue 5 §4).
  for (Role r : {Role::kCoordinator, Role::kCentralCounsellor, Role::kManager, Role::kCompetentAuthority}) {
    if (!a.Has(r)) continue;
    nav.push_back({"/rapportage", "nav_reports"});
    break;
  }
  // Protective Monitoring (issue 6): trends, the review queue, resolutions.
  if (app::MonitorService::MaySeeMonitoring(a)) nav.push_back({"/monitoring", "nav_monitoring"});
  if (a.Has(Role::kAuditor)) nav.push_back({"/audit", "nav_audit"});
  if (a.Has(Role::kAdmin) || a.Has(Role::kCoordinator)) nav.push_back({"/beheer", "nav_admin"});
  return nav;
}

}  // namespace

Data BaseData(const Web& w, const http::HttpRequest& req, const app::AuthContext* ctx,
              const std::string& title) {
  const std::string lang = Lang(req);
  Data d;
  d.set("title", title);
  d.set("lang", lang);
  // The switch to the other language returns to this page.
  d.set("other_lang", lang == "en" ? "nl" : "en");
  d.set("other_lang_label", lang == "en" ? "Nederlands" : "English");
  d.set("here", http::UrlEncode(req.path));
  Data nav(Data::type::list);
  if (ctx) {
    Data user;
    user.set("name", ctx->display_name.empty() ? ctx->username : ctx->display_name);
    std::string roles;
    for (Role r : AllRoles()) {
      if (!ctx->actor.Has(r)) continue;
      if (!roles.empty()) roles += ", ";
      roles += std::string(RoleLabelNl(r));
    }
    SetIf(user, "roles", roles);
    user.set("csrf", ctx->session.csrf_token);
    d.set("user", user);
    // The monitoring's mode on every screen of those who work with it.
    if (w.s.monitor && app::MonitorService::MaySeeMonitoring(ctx->actor)) {
      Data mode;
      mode.set("label", std::string(monitoring::ModeLabelNl(w.s.monitor->CurrentMode())));
      d.set("monitor_mode", mode);
    }
    for (auto& item : NavFor(ctx->actor)) {
      Data n;
      n.set("href", item.href);
      n.set("label", w.r->T(lang, item.key));
      bool current = req.path == item.href ||
                     (item.href == "/meldingen" && req.path.rfind("/meldingen/", 0) == 0 &&
                      req.path != "/meldingen/nieuw") ||
                     (item.href == "/zaken" && req.path.rfind("/zaken/", 0) == 0) ||
                     (item.href == "/leercasussen" && req.path.rfind("/leercasussen/", 0) == 0) ||
                     (item.href == "/rapportage" && req.path.rfind("/rapportage/", 0) == 0) ||
                     (item.href == "/monitoring" && req.path.rfind("/monitoring/", 0) == 0);
      n.set("current", current);
      nav.push_back(n);
    }
  } else {
    Data n;
    n.set("href", "/inloggen");
    n.set("label", w.r->T(lang, "nav_login"));
    n.set("current", req.path == "/inloggen");
    nav.push_back(n);
  }
  d.set("nav", nav);
  return d;
}

http::HttpResponse HtmlPage(const Web& w, const http::HttpRequest& req, const app::AuthContext* ctx,
                            int status, const std::string& tmpl, const std::string& title, Data data) {
  Data base = BaseData(w, req, ctx, title);
  // Merge: page data wins over base data.
  for (const char* k : {"title", "lang", "user", "nav", "other_lang", "other_lang_label", "here", "monitor_mode"}) {
    if (data.get(k) == nullptr) {
      if (const Data* v = base.get(k)) data.set(k, *v);
    }
  }
  http::HttpResponse r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = w.r->Page(tmpl, std::move(data), Lang(req));
  // CSP, nosniff, Referrer-Policy and X-Frame-Options come from the server
  // for every response; pages only add that they must not be cached.
  r.Header("Cache-Control", "no-store");
  return r;
}

http::HttpResponse ErrorPage(const Web& w, const http::HttpRequest& req, const app::AuthContext* ctx,
                             const absl::Status& st) {
  int status = http::HttpStatusOf(st);
  if (status == 401) return Redirect("/inloggen");
  const std::string lang = Lang(req);
  std::string title;
  switch (status) {
    case 403: title = w.r->T(lang, "error_403_title"); break;
    case 404: title = w.r->T(lang, "error_404_title"); break;
    case 409: title = w.r->T(lang, "error_409_title"); break;
    case 422: title = w.r->T(lang, "error_422_title"); break;
    case 429: title = w.r->T(lang, "error_429_title"); break;
    default: title = w.r->T(lang, "error_500_title"); break;
  }
  Data d;
  d.set("heading", title);
  d.set("status", std::to_string(status));
  // Service messages are written for users (Dutch); internal errors are not shown.
  d.set("message", status >= 500 ? w.r->T(lang, "error_500_text") : std::string(FromAbsl(st.message())));
  return HtmlPage(w, req, ctx, status, "error", title, std::move(d));
}

void AddErrors(Data& d, const FieldErrors& errors) {
  Data list(Data::type::list);
  for (auto& [field, msg] : errors) {
    Data e;
    e.set("message", msg);
    if (!field.empty()) e.set("field", field);
    list.push_back(e);
  }
  d.set("errors", list);
  d.set("has_errors", !errors.empty());
}

Id RouteId(const http::HttpRequest& req, const std::string& name) {
  auto it = req.route.find(name);
  if (it == req.route.end()) return 0;
  Id v = 0;
  auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc() || p != it->second.data() + it->second.size()) return 0;
  return v;
}

std::string DateText(const std::optional<Date>& d) { return d ? FormatDateNl(*d) : std::string(); }

std::vector<UnitOption> Units(const Web& w) {
  std::vector<UnitOption> out;
  (void)w.s.store.Read([&](StoreTx& tx) -> absl::Status {
    auto units = tx.ListUnits();
    const bool small = units.size() <= 200;
    for (auto& u : units)
      if (small || u.kind != UnitKind::kTeam) out.push_back({u.id, u.name});
    return absl::OkStatus();
  });
  return out;
}

http::Handler Authed(const Web& w, AuthedHandler h) {
  return [w, h = std::move(h)](const http::HttpRequest& req) -> http::HttpResponse {
    auto ctx = http::RequireSession(w.s, req);
    if (!ctx.ok()) return Redirect("/inloggen");
    return h(req, *ctx);
  };
}

}  // namespace waarborg::web
