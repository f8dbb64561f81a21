// Start pages per role, deadlines, VPI activities and the audit search.
#include <algorithm>
#include <charconv>

#include "adapters/web/web_common.h"
#include "core/common/date.h"
#include "core/common/strings.h"

namespace waarborg::web {

namespace {

using http::HttpRequest;
using http::HttpResponse;

std::string Msg(const absl::Status& st) { return std::string(FromAbsl(st.message())); }

Data Section(const std::string& id, const std::string& heading, const std::string& empty_text,
             const std::vector<app::CaseListItem>& items, Date today) {
  Data s;
  s.set("id", id);
  s.set("heading", heading);
  s.set("empty_text", empty_text);
  s.set("cases", CaseRows(items, today));
  s.set("has_cases", !items.empty());
  return s;
}

HttpResponse StartPage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  const Actor& a = ctx.actor;
  const std::string lang = Lang(req);
  const Date today = w.s.lmm.Today();
  Data d;
  d.set("name", ctx.display_name.empty() ? ctx.username : ctx.display_name);
  Data sections(Data::type::list);
  auto list = [&](std::optional<LmmState> state) {
    CaseListQuery q;
    q.open_only = true;
    q.state = state;
    q.limit = 200;
    auto r = w.s.lmm.List(a, q);
    return r.ok() ? *r : std::vector<app::CaseListItem>{};
  };
  if (a.IsAdvisor()) {
    auto mine = list(std::nullopt);
    if (a.Has(Role::kCoordinator)) {
      std::erase_if(mine, [&](const app::CaseListItem& it) {
        return it.summary.reporter_advisor_id != a.person_id && it.summary.weighing_advisor_id != a.person_id;
      });
    }
    sections.push_back(Section("mijn-zaken", w.r->T(lang, "start_my_cases"), w.r->T(lang, "start_my_cases_empty"),
                               mine, today));
  }
  if (a.Has(Role::kCoordinator)) {
    sections.push_back(Section("bemensing", w.r->T(lang, "start_staffing"), w.r->T(lang, "start_staffing_empty"),
                               list(LmmState::kRegistered), today));
    auto overdue = w.s.lmm.Overdue(a);
    sections.push_back(Section("verstreken", w.r->T(lang, "start_overdue"), w.r->T(lang, "start_overdue_empty"),
                               overdue.ok() ? *overdue : std::vector<app::CaseListItem>{}, today));
  }
  if (a.Has(Role::kCompetentAuthority)) {
    sections.push_back(Section("besluit", w.r->T(lang, "start_to_decide"), w.r->T(lang, "start_to_decide_empty"),
                               list(LmmState::kAdvised), today));
  }
  if (a.Has(Role::kEmployee) && !a.IsAdvisor()) {
    CaseListQuery q;
    q.limit = 200;
    auto r = w.s.lmm.List(a, q);
    Data s = Section("mijn-meldingen", w.r->T(lang, "start_my_reports"), w.r->T(lang, "start_my_reports_empty"),
                     r.ok() ? *r : std::vector<app::CaseListItem>{}, today);
    d.set("employee", true);
    sections.push_back(s);
  }
  d.set("sections", sections);
  d.set("auditor", a.Has(Role::kAuditor));
  if (a.Has(Role::kAdmin)) {
    Data admin;
    (void)w.s.store.Transact([&](StoreTx& tx) -> absl::Status {
      admin.set("people", std::to_string(tx.CountPeople()));
      admin.set("units", std::to_string(tx.ListUnits().size()));
      admin.set("advisors", std::to_string(tx.ListAdvisors().size()));
      return absl::OkStatus();
    });
    d.set("admin", admin);
  }
  return HtmlPage(w, req, &ctx, 200, "start", w.r->T(lang, "start_title"), std::move(d));
}

HttpResponse ActivitiesPage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, int status,
                            const Form& values, const FieldErrors& errors) {
  const std::string lang = Lang(req);
  auto acts = w.s.lmm.ListActivities(ctx.actor);
  if (!acts.ok()) return ErrorPage(w, req, &ctx, acts.status());
  std::map<Id, std::string> unit_names;
  Data units(Data::type::list);
  const std::string unit = FormValue(values, "eenheid");
  (void)w.s.store.Transact([&](StoreTx& tx) -> absl::Status {
    auto all = tx.ListUnits();
    bool small = all.size() <= 200;
    for (auto& u : all) {
      unit_names[u.id] = u.name;
      if (!small && u.kind == UnitKind::kTeam) continue;
      Data o;
      o.set("id", std::to_string(u.id));
      o.set("label", u.name);
      o.set("selected", std::to_string(u.id) == unit);
      units.push_back(o);
    }
    return absl::OkStatus();
  });
  std::vector<Activity> sorted = *acts;
  std::sort(sorted.begin(), sorted.end(), [](const Activity& x, const Activity& y) {
    return std::chrono::sys_days(x.on) > std::chrono::sys_days(y.on);
  });
  Data rows(Data::type::list);
  for (auto& act : sorted) {
    Data o;
    o.set("on", FormatDateNl(act.on));
    o.set("kind", std::string(app::ActivityKindLabelNl(act.kind)));
    o.set("unit", act.unit_id ? unit_names[*act.unit_id] : std::string());
    o.set("notes", act.notes);
    rows.push_back(o);
  }
  Data kinds(Data::type::list);
  const std::string kind = FormValue(values, "soort");
  for (auto k : app::kActivityKinds) {
    Data o;
    o.set("key", std::string(k));
    o.set("label", std::string(app::ActivityKindLabelNl(k)));
    o.set("selected", k == kind);
    kinds.push_back(o);
  }
  Data d;
  d.set("csrf", ctx.session.csrf_token);
  d.set("activities", rows);
  d.set("has_activities", !sorted.empty());
  d.set("kinds", kinds);
  d.set("units", units);
  d.set("datum", FormValue(values, "datum"));
  d.set("notities", FormValue(values, "notities"));
  AddErrors(d, errors);
  for (auto& [field, msg] : errors)
    if (!field.empty()) d.set("error_" + field, msg);
  return HtmlPage(w, req, &ctx, status, "activities", w.r->T(lang, "activities_title"), std::move(d));
}

}  // namespace

void AddOtherRoutes(const Web& w, std::vector<http::Route>& out) {
  out.push_back({"GET", "/start", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return StartPage(w, req, ctx);
                 })});

  out.push_back({"GET", "/termijnen", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   CaseListQuery q;
                   q.open_only = true;
                   q.limit = 200;
                   auto list = w.s.lmm.List(ctx.actor, q);
                   if (!list.ok()) return ErrorPage(w, req, &ctx, list.status());
                   Data d;
                   d.set("cases", CaseRows(*list, w.s.lmm.Today()));
                   d.set("has_cases", !list->empty());
                   return HtmlPage(w, req, &ctx, 200, "deadlines", w.r->T(Lang(req), "deadlines_title"),
                                   std::move(d));
                 })});

  out.push_back({"GET", "/activiteiten", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return ActivitiesPage(w, req, ctx, 200, {}, {});
                 })});

  out.push_back({"POST", "/activiteiten", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   Form f = http::ParseForm(req.body);
                   if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok())
                     return ErrorPage(w, req, &ctx, st);
                   const std::string lang = Lang(req);
                   FieldErrors errs;
                   Activity a;
                   a.advisor_person = ctx.actor.person_id;
                   a.kind = FormValue(f, "soort");
                   if (a.kind.empty()) errs.push_back({"soort", w.r->T(lang, "activity_error_kind")});
                   auto on = ParseDate(FormValue(f, "datum"));
                   if (!on) errs.push_back({"datum", w.r->T(lang, "error_date")});
                   else a.on = *on;
                   std::string unit = FormValue(f, "eenheid");
                   if (!unit.empty()) {
                     Id u = 0;
                     auto [p, ec] = std::from_chars(unit.data(), unit.data() + unit.size(), u);
                     if (ec == std::errc() && u > 0) a.unit_id = u;
                   }
                   a.notes = FormValue(f, "notities");
                   if (!errs.empty()) return ActivitiesPage(w, req, ctx, 422, f, errs);
                   auto id = w.s.lmm.RecordActivity(ctx.actor, a);
                   if (!id.ok()) {
                     int status = http::HttpStatusOf(id.status());
                     if (status == 403 || status >= 500) return ErrorPage(w, req, &ctx, id.status());
                     return ActivitiesPage(w, req, ctx, status, f, {{"", Msg(id.status())}});
                   }
                   return Redirect("/activiteiten");
                 })});

  out.push_back({"GET", "/audit", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   if (auto st = access::CheckAuditSearch(ctx.actor); !st.ok()) return ErrorPage(w, req, &ctx, st);
                   Data d;
                   const std::string actor = req.Query("actor"), action = req.Query("action"),
                                     case_id = req.Query("zaak");
                   d.set("actor", actor);
                   d.set("action", action);
                   d.set("zaak", case_id);
                   FieldErrors errs;
                   if (req.Query("zoeken") == "1") {
                     AuditQuery q;
                     if (!actor.empty()) q.actor = actor;
                     if (!action.empty()) q.action = action;
                     if (!case_id.empty()) {
                       Id id = 0;
                       auto [p, ec] = std::from_chars(case_id.data(), case_id.data() + case_id.size(), id);
                       if (ec != std::errc() || p != case_id.data() + case_id.size())
                         errs.push_back({"zaak", w.r->T(Lang(req), "audit_error_case")});
                       else
                         q.case_id = id;
                     }
                     q.limit = 200;
                     if (errs.empty()) {
                       auto res = w.s.audit.Search(ctx.actor, q);
                       if (!res.ok()) return ErrorPage(w, req, &ctx, res.status());
                       Data rows(Data::type::list);
                       for (auto& e : *res) {
                         Data o;
                         o.set("seq", std::to_string(e.seq));
                         o.set("at", FormatInstantNl(e.at));
                         o.set("actor", e.actor);
                         o.set("action", e.action);
                         o.set("case_id", e.case_id);
                         o.set("detail", e.detail);
                         rows.push_back(o);
                       }
                       d.set("searched", true);
                       d.set("events", rows);
                       d.set("has_events", !res->empty());
                       d.set("count", std::to_string(res->size()));
                     }
                   }
                   AddErrors(d, errs);
                   for (auto& [field, msg] : errs) d.set("error_" + field, msg);
                   return HtmlPage(w, req, &ctx, errs.empty() ? 200 : 422, "audit",
                                   w.r->T(Lang(req), "audit_title"), std::move(d));
                 })});
}

}  // namespace waarborg::web
