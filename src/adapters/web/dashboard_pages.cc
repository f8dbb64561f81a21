// The dashboards (issue 5 §1, §2): /dashboard shows the figures of the
// viewer's role for a year; with JavaScript a small script asks
// /dashboard/versie twice a second and reloads the figures when a case
// changed; without it, a reload shows them. /dashboard/zaken lists the cases
// behind a figure that the viewer may open, and no others.
#include <algorithm>
#include <cmath>
#include <set>

#include "adapters/web/web_common.h"
#include "app/dashboard_service.h"
#include "core/common/date.h"
#include "core/common/strings.h"

namespace waarborg::web {

using http::HttpRequest;
using http::HttpResponse;

namespace {

// Dutch number: thousands with '.', one decimal with ',' when asked.
std::string NumberNl(double v, bool decimals) {
  const bool neg = v < 0;
  double a = std::fabs(v);
  long long whole = static_cast<long long>(decimals ? std::floor(a) : std::llround(a));
  int tenth = decimals ? static_cast<int>(std::llround((a - std::floor(a)) * 10)) : 0;
  if (tenth == 10) {
    ++whole;
    tenth = 0;
  }
  std::string digits = std::to_string(whole);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  if (decimals && (std::fabs(a - std::round(a)) > 1e-9 || tenth != 0)) out += Cat(",", tenth);
  return neg ? "-" + out : out;
}

Data Figures(const app::DashboardView& v) {
  Data tables(Data::type::list);
  for (const auto& t : v.tables) {
    Data o;
    o.set("id", t.id);
    o.set("title", t.title);
    SetIf(o, "note", t.note);
    Data cols(Data::type::list);
    for (const auto& c : t.col_labels) cols.push_back(Str(c));
    o.set("cols", cols);
    Data rows(Data::type::list);
    for (std::size_t r = 0; r < t.row_labels.size(); ++r) {
      Data row;
      std::string label = t.row_labels[r];
      const bool child = label.rfind("  ", 0) == 0;
      if (child) label = label.substr(2);
      row.set("label", label);
      row.set("child", child);
      row.set("total", label == "Totaal");
      Data cells(Data::type::list);
      for (const auto& c : t.cells[r]) {
        Data cell;
        if (c.value) {
          cell.set("text", NumberNl(*c.value, t.decimals));
          if (!c.drill.empty()) cell.set("href", Cat("/dashboard/zaken?", c.drill, "&jaar=", v.year));
        } else {
          cell.set("suppressed", true);
        }
        cells.push_back(cell);
      }
      row.set("cells", cells);
      rows.push_back(row);
    }
    o.set("rows", rows);
    tables.push_back(o);
  }
  Data d;
  d.set("tables", tables);
  d.set("as_of", FormatDateNl(v.today));
  return d;
}

HttpResponse NoDashboard(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  return ErrorPage(w, req, &ctx, absl::UnavailableError("Het dashboard is op deze server niet beschikbaar."));
}

int YearOf(const HttpRequest& req) {
  const std::string y = req.Query("jaar");
  if (y.size() != 4 || !std::all_of(y.begin(), y.end(), [](char c) { return c >= '0' && c <= '9'; })) return 0;
  return std::stoi(y);
}

HttpResponse DashboardPage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  app::DashboardService* dash = w.s.dashboard;
  if (!dash) return NoDashboard(w, req, ctx);
  app::DashboardQuery q;
  q.year = YearOf(req);
  if (!req.Query("jaar").empty() && (q.year < 2000 || q.year > 2100))
    return ErrorPage(w, req, &ctx, absl::InvalidArgumentError("Kies een jaar tussen 2000 en 2100."));
  auto v = dash->For(ctx.actor, q);
  if (!v.ok()) return ErrorPage(w, req, &ctx, v.status());
  if (req.Query("deel") == "cijfers") {
    // The figures alone, for the script that keeps the page current.
    HttpResponse r;
    r.content_type = "text/html; charset=utf-8";
    r.body = w.r->Render("_dashboard_figures", Figures(*v), Lang(req));
    r.Header("Cache-Control", "no-store");
    return r;
  }
  Data d = Figures(*v);
  d.set("scope", v->scope.label);
  d.set("year", std::to_string(v->year));
  d.set("version", std::to_string(v->version));
  Data years(Data::type::list);
  const int this_year = static_cast<int>(v->today.year());
  for (int y = this_year; y >= this_year - 5; --y) {
    Data o;
    o.set("year", std::to_string(y));
    o.set("selected", y == v->year);
    years.push_back(o);
  }
  d.set("years", years);
  return HtmlPage(w, req, &ctx, 200, "dashboard", w.r->T(Lang(req), "dashboard_title"), std::move(d));
}

HttpResponse VersionJson(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  app::DashboardService* dash = w.s.dashboard;
  if (!dash) return NoDashboard(w, req, ctx);
  // Only for those who have a dashboard.
  if (auto v = dash->For(ctx.actor, {}); !v.ok()) {
    HttpResponse r;
    r.status = http::HttpStatusOf(v.status());
    r.content_type = "application/json";
    r.body = "{\"fout\":\"Geen dashboard voor uw rol.\"}";
    return r;
  }
  HttpResponse r;
  r.content_type = "application/json";
  r.body = Cat("{\"versie\":", dash->Version(), "}");
  r.Header("Cache-Control", "no-store");
  return r;
}

HttpResponse DrillPage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  app::DashboardService* dash = w.s.dashboard;
  if (!dash) return NoDashboard(w, req, ctx);
  std::map<std::string, std::string> q;
  for (const char* k : {"track", "state", "unit", "due"})
    if (!req.Query(k).empty()) q[k] = req.Query(k);
  auto facts = dash->Drill(ctx.actor, q);
  if (!facts.ok()) return ErrorPage(w, req, &ctx, facts.status());
  // Only the cases this viewer may open, as the case lists decide.
  std::set<Id> lmm_open, track_open;
  std::map<Id, std::string> refs;
  const bool wants_lmm = q["track"] == "lmm";
  if (wants_lmm) {
    CaseListQuery lq;
    lq.all = true;
    lq.open_only = true;
    lq.limit = 100000;
    if (auto list = w.s.lmm.List(ctx.actor, lq); list.ok())
      for (const auto& it : *list) {
        lmm_open.insert(it.summary.id);
        refs[it.summary.id] = it.summary.reference;
      }
  } else if (w.s.track_cases) {
    if (auto list = w.s.track_cases->List(ctx.actor, true); list.ok())
      for (const auto& it : *list) {
        track_open.insert(it.summary.id);
        refs[it.summary.id] = it.summary.reference;
      }
  }
  Data rows(Data::type::list);
  bool any = false;
  for (const auto& f : *facts) {
    const bool lmm = f.kind == dashboard::CaseKind::kLmm;
    if (lmm ? !lmm_open.count(f.case_id) : !track_open.count(f.case_id)) continue;
    Data o;
    o.set("href", lmm ? Cat("/meldingen/", f.case_id) : Cat("/zaken/", f.case_id));
    o.set("reference", refs[f.case_id]);
    std::string state = f.state;
    if (w.s.tracks)
      if (const auto* t = w.s.tracks->Find(f.track))
        if (const auto* s = t->FindState(f.state)) state = s->label;
    o.set("state", state);
    o.set("received", FormatDateNl(f.received_on));
    SetIf(o, "due", f.next_due ? FormatDateNl(*f.next_due) : std::string());
    rows.push_back(o);
    any = true;
  }
  Data d;
  d.set("rows", rows);
  d.set("has_rows", any);
  d.set("back", Cat("/dashboard", req.Query("jaar").empty() ? "" : Cat("?jaar=", req.Query("jaar"))));
  return HtmlPage(w, req, &ctx, 200, "dashboard_cases", w.r->T(Lang(req), "dashboard_cases_title"), std::move(d));
}

}  // namespace

void AddDashboardRoutes(const Web& w, std::vector<http::Route>& out) {
  out.push_back({"GET", "/dashboard", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return DashboardPage(w, req, ctx);
                 })});
  out.push_back({"GET", "/dashboard/versie", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return VersionJson(w, req, ctx);
                 })});
  out.push_back({"GET", "/dashboard/zaken", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return DrillPage(w, req, ctx);
                 })});
}

}  // namespace waarborg::web
