// Pages of Protective Monitoring (issue 6 §10): /monitoring (the mode and the
// trend view), the analyst's review queue and a flag with its evidence, the
// review and the hand-off to VIK triage, the two-person resolution of a
// pseudonym, and the admin's mode switch. Forms work without JavaScript; the
// rules are the MonitorService's (core/monitoring/governance.h).
#include <charconv>
#include <map>
#include <set>

#include "adapters/web/web_common.h"
#include "app/monitor_service.h"
#include "core/common/date.h"
#include "core/common/strings.h"

namespace waarborg::web {

namespace {

using http::HttpRequest;
using http::HttpResponse;
using monitoring::FlagStatus;
using monitoring::Mode;

std::string Msg(const absl::Status& st) { return std::string(FromAbsl(st.message())); }

absl::Status NoService() { return absl::InternalError("monitoring not configured"); }

std::optional<std::int64_t> ParseInt(const std::string& s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string DayText(std::int64_t day) { return FormatDateNl(Date{std::chrono::sys_days{std::chrono::days{day}}}); }

std::string FlagUrl(Id id) { return Cat("/monitoring/signalen/", id); }
std::string ResolutionUrl(Id id) { return Cat("/monitoring/herleidingen/", id); }

// The Dutch name of a rule (monitor/rules.h) for the screens.
std::string RuleLabel(const std::string& rule) {
  static const std::map<std::string, std::string> kLabels = {
      {"relatie.achternaam", "Zelfde achternaam"},
      {"relatie.woonomgeving", "Dicht bij huis"},
      {"relatie.collega", "Een collega"},
      {"relatie.eigen_registratie", "Eigen registratie"},
      {"relatie.gemelde_relatie", "Gemelde relatie"},
      {"gevoelig.vip", "Bekende persoon"},
      {"gevoelig.afgeschermd", "Afgeschermde persoon"},
      {"gevoelig.in_onderzoek", "Persoon in onderzoek"},
      {"tijd.buiten_rooster", "Buiten het rooster"},
      {"tijd.verlof", "Tijdens verlof"},
      {"tijd.nacht", "'s Nachts"},
      {"volume.eigen_patroon", "Meer dan eigen patroon"},
      {"volume.collega_groep", "Meer dan collega's"},
      {"regio.eerste_keer", "Nieuwe regio"},
      {"account.overgenomen", "Account mogelijk overgenomen"},
      {"soort.eerste_keer", "Nieuwe soort opvraging"},
      {"reeks.opeenvolgend", "Opeenvolgende nummers"},
  };
  auto it = kLabels.find(rule);
  return it == kLabels.end() ? rule : it->second;
}

// The page answering a refused request: 401 to the log-in page, a form's
// 409/422 back on its page (by `again`), the rest as an error page.
template <typename Again>
HttpResponse Refused(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, const absl::Status& st,
                     Again again) {
  const int status = http::HttpStatusOf(st);
  if (status == 401) return Redirect("/inloggen");
  if (status == 409 || status == 422) return again(status, Msg(st));
  return ErrorPage(w, req, &ctx, st);
}

// ------------------------------------------------------------------ overview and trend

HttpResponse Overview(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  app::MonitorService* svc = w.s.monitor;
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  const std::string lang = Lang(req);
  const std::int64_t today = std::chrono::sys_days(DateInAmsterdam(w.s.clock.Now())).time_since_epoch().count();
  auto cells = svc->Trend(ctx.actor, today - 60, today);
  if (!cells.ok()) return ErrorPage(w, req, &ctx, cells.status());
  Data d;
  const Mode mode = svc->CurrentMode();
  d.set("mode_label", std::string(monitoring::ModeLabelNl(mode)));
  d.set("detection", mode == Mode::kDetection);
  if (auto last = svc->LastSwitch()) {
    d.set("switched_on", FormatInstantNl(last->at));
    d.set("decision", last->decision_reference);
  }
  d.set("is_analyst", ctx.actor.Has(Role::kMonitoringAnalyst));
  d.set("is_admin", ctx.actor.Has(Role::kAdmin));
  d.set("is_approver", ctx.actor.Has(Role::kPrivacyOfficer) || ctx.actor.Has(Role::kVikTeamChief) ||
                           ctx.actor.Has(Role::kMonitoringAnalyst));

  // The days with figures, newest first; the chosen one (?dag=N) or the newest.
  std::set<std::int64_t, std::greater<>> days;
  for (const auto& c : *cells) days.insert(c.day);
  std::optional<std::int64_t> chosen;
  if (auto q = req.query.find("dag"); q != req.query.end())
    if (auto n = ParseInt(q->second); n && days.count(*n)) chosen = *n;
  if (!chosen && !days.empty()) chosen = *days.begin();
  Data day_options(Data::type::list);
  for (std::int64_t day : days) {
    Data o;
    o.set("value", std::to_string(day));
    o.set("label", DayText(day));
    o.set("selected", chosen && day == *chosen);
    day_options.push_back(o);
  }
  d.set("days", day_options);
  d.set("has_days", !days.empty());
  if (chosen) {
    d.set("day_label", DayText(*chosen));
    // One table per level: rows its units or teams, columns the rules.
    Data levels(Data::type::list);
    for (const char* level : {"eenheid", "team"}) {
      std::set<std::string> rules;
      std::map<std::string, std::map<std::string, const monitoring::TrendCell*>> rows;
      for (const auto& c : *cells) {
        if (c.day != *chosen || c.level != level) continue;
        rules.insert(c.rule);
        rows[c.name][c.rule] = &c;
      }
      if (rows.empty()) continue;
      Data lv;
      lv.set("id", Cat("trend-", level));
      lv.set("title", w.r->T(lang, std::string(level) == "eenheid" ? "mon_trend_units" : "mon_trend_teams"));
      Data cols(Data::type::list);
      for (const auto& r : rules) cols.push_back(Str(RuleLabel(r)));
      lv.set("cols", cols);
      Data trs(Data::type::list);
      for (const auto& [name, by_rule] : rows) {
        Data tr;
        tr.set("name", name);
        Data tds(Data::type::list);
        for (const auto& r : rules) {
          auto it = by_rule.find(r);
          tds.push_back(Str(it == by_rule.end()      ? "0"
                            : it->second->suppressed ? "x"
                                                     : std::to_string(it->second->users)));
        }
        tr.set("cells", tds);
        trs.push_back(tr);
      }
      lv.set("rows", trs);
      levels.push_back(lv);
    }
    d.set("levels", levels);
  }
  return HtmlPage(w, req, &ctx, 200, "monitor", w.r->T(lang, "mon_title"), std::move(d));
}

// ------------------------------------------------------------------ queue and flag

HttpResponse QueuePage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  app::MonitorService* svc = w.s.monitor;
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  const std::string lang = Lang(req);
  FlagStatus status = FlagStatus::kOpen;
  if (auto q = req.query.find("status"); q != req.query.end())
    if (auto s = monitoring::ParseFlagStatus(q->second)) status = *s;
  auto flags = svc->Queue(ctx.actor, status);
  Data d;
  if (!flags.ok()) {
    if (http::HttpStatusOf(flags.status()) != 409) return ErrorPage(w, req, &ctx, flags.status());
    d.set("trend_note", Msg(flags.status()));  // trend mode: no individual flags
  }
  Data filters(Data::type::list);
  for (FlagStatus s : {FlagStatus::kOpen, FlagStatus::kExplained, FlagStatus::kFalsePositive, FlagStatus::kConversation,
                       FlagStatus::kVikSignal}) {
    Data o;
    o.set("value", std::string(monitoring::FlagStatusName(s)));
    o.set("label", std::string(monitoring::FlagStatusLabelNl(s)));
    o.set("selected", s == status);
    filters.push_back(o);
  }
  d.set("filters", filters);
  d.set("status_label", std::string(monitoring::FlagStatusLabelNl(status)));
  Data rows(Data::type::list);
  if (flags.ok())
    for (const auto& f : *flags) {
      Data o;
      o.set("href", FlagUrl(f.id));
      o.set("reference", Cat("PM-", f.id));
      o.set("day", DayText(f.day));
      o.set("user", f.user);
      o.set("score", std::to_string(static_cast<int>(f.score + 0.5)));
      std::set<std::string> rules;
      for (const auto& e : f.evidence) rules.insert(RuleLabel(e.rule));
      std::string joined;
      for (const auto& r : rules) joined += (joined.empty() ? "" : ", ") + r;
      o.set("rules", joined);
      rows.push_back(o);
    }
  d.set("has_flags", !rows.list_value().empty());
  d.set("flags", rows);
  d.set("listed", flags.ok());
  return HtmlPage(w, req, &ctx, 200, "monitor_queue", w.r->T(lang, "mon_queue_title"), std::move(d));
}

HttpResponse FlagPage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, Id id, int status = 200,
                      const std::string& error = "", const std::string& error_form = "", const Form* posted = nullptr) {
  app::MonitorService* svc = w.s.monitor;
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  const std::string lang = Lang(req);
  auto view = svc->OpenFlag(ctx.actor, id);
  if (!view.ok()) return ErrorPage(w, req, &ctx, view.status());
  const auto& f = view->flag;
  Data d;
  d.set("reference", Cat("PM-", f.id));
  d.set("day", DayText(f.day));
  d.set("user", f.user);
  d.set("score", std::to_string(static_cast<int>(f.score + 0.5)));
  d.set("status", std::string(monitoring::FlagStatusLabelNl(f.status)));
  d.set("csrf", ctx.session.csrf_token);
  d.set("version", std::to_string(f.version));
  Data evidence(Data::type::list);
  for (const auto& e : f.evidence) {
    Data o;
    o.set("rule", RuleLabel(e.rule));
    o.set("points", std::to_string(e.points));
    o.set("text", e.text);
    SetIf(o, "clears", e.clears);
    if (e.time) o.set("when", FormatInstantNl(e.time * 1000));
    evidence.push_back(o);
  }
  d.set("evidence", evidence);
  if (f.status != FlagStatus::kOpen) {
    Data done;
    done.set("by", view->reviewer_name);
    done.set("at", FormatInstantNl(f.reviewed_at));
    done.set("note", f.review_note);
    SetIf(done, "vik_reference", view->vik_reference);
    if (f.vik_case_id) done.set("vik_href", Cat("/zaken/", f.vik_case_id));
    d.set("reviewed", done);
  }
  if (view->may_review) {
    Data form;
    const std::string chosen = posted && error_form == "beoordeling" ? FormValue(*posted, "uitkomst") : "";
    Data outcomes(Data::type::list);
    for (FlagStatus s :
         {FlagStatus::kExplained, FlagStatus::kFalsePositive, FlagStatus::kConversation, FlagStatus::kVikSignal}) {
      Data o;
      o.set("value", std::string(monitoring::FlagStatusName(s)));
      o.set("label", w.r->T(lang, Cat("mon_outcome_", monitoring::FlagStatusName(s))));
      o.set("checked", chosen == monitoring::FlagStatusName(s));
      outcomes.push_back(o);
    }
    form.set("outcomes", outcomes);
    form.set("note", posted && error_form == "beoordeling" ? FormValue(*posted, "toelichting") : std::string());
    form.set("action", Cat(FlagUrl(f.id), "/beoordeling"));
    if (error_form == "beoordeling") SetIf(form, "error", error);
    d.set("review", form);
  }
  Data resolutions(Data::type::list);
  for (const auto& r : view->resolutions) {
    Data o;
    o.set("href", ResolutionUrl(r.id));
    o.set("state", std::string(monitoring::ResolutionStateName(r.state)));
    o.set("at", FormatInstantNl(r.requested_at));
    resolutions.push_back(o);
  }
  d.set("resolutions", resolutions);
  d.set("has_resolutions", !view->resolutions.empty());
  if (view->may_request_resolution) {
    Data form;
    form.set("action", Cat(FlagUrl(f.id), "/herleiding"));
    form.set("reason", posted && error_form == "herleiding" ? FormValue(*posted, "reden") : std::string());
    if (error_form == "herleiding") SetIf(form, "error", error);
    d.set("resolve", form);
  }
  FieldErrors errors;
  if (!error.empty()) errors.push_back({error_form, error});
  AddErrors(d, errors);
  return HtmlPage(w, req, &ctx, status, "monitor_flag", Cat(w.r->T(lang, "mon_flag_title"), " PM-", f.id),
                  std::move(d));
}

HttpResponse PostReview(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  app::MonitorService* svc = w.s.monitor;
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  const Id id = RouteId(req);
  Form f = http::ParseForm(req.body);
  if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok()) return ErrorPage(w, req, &ctx, st);
  auto again = [&](int status, const std::string& m) {
    return FlagPage(w, req, ctx, id, status, m, "beoordeling", &f);
  };
  auto version = ParseInt(FormValue(f, "version"));
  if (!version) return again(422, "Het formulier mist de versie van het signaal. Laad de pagina opnieuw.");
  auto outcome = monitoring::ParseFlagStatus(FormValue(f, "uitkomst"));
  if (!outcome || *outcome == FlagStatus::kOpen) return again(422, "Kies een uitkomst van de beoordeling.");
  auto done = svc->Review(ctx.actor, id, *version, *outcome, FormValue(f, "toelichting"));
  if (!done.ok()) return Refused(w, req, ctx, done.status(), again);
  return Redirect(FlagUrl(id));
}

HttpResponse PostResolutionRequest(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  app::MonitorService* svc = w.s.monitor;
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  const Id id = RouteId(req);
  Form f = http::ParseForm(req.body);
  if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok()) return ErrorPage(w, req, &ctx, st);
  auto again = [&](int status, const std::string& m) { return FlagPage(w, req, ctx, id, status, m, "herleiding", &f); };
  auto made = svc->RequestResolution(ctx.actor, id, FormValue(f, "reden"));
  if (!made.ok()) return Refused(w, req, ctx, made.status(), again);
  return Redirect(ResolutionUrl(*made));
}

// ------------------------------------------------------------------ resolutions

HttpResponse ResolutionsPage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  app::MonitorService* svc = w.s.monitor;
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  const std::string lang = Lang(req);
  auto list = svc->OpenResolutions(ctx.actor);
  if (!list.ok()) return ErrorPage(w, req, &ctx, list.status());
  Data rows(Data::type::list);
  for (const auto& v : *list) {
    Data o;
    o.set("href", ResolutionUrl(v.r.id));
    o.set("flag", Cat("PM-", v.r.flag_id));
    o.set("requester", v.requester_name);
    o.set("at", FormatInstantNl(v.r.requested_at));
    o.set("approvals", Cat(v.r.approvers.size(), " van ", monitoring::kApprovalsNeeded));
    o.set("may_approve", v.may_approve);
    rows.push_back(o);
  }
  Data d;
  d.set("has_rows", !rows.list_value().empty());
  d.set("rows", rows);
  return HtmlPage(w, req, &ctx, 200, "monitor_resolutions", w.r->T(lang, "mon_resolutions_title"), std::move(d));
}

HttpResponse ResolutionPage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, Id id, int status = 200,
                            const std::string& error = "", const Form* posted = nullptr,
                            const app::RevealedIdentity* revealed = nullptr) {
  app::MonitorService* svc = w.s.monitor;
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  const std::string lang = Lang(req);
  auto view = svc->OpenResolution(ctx.actor, id);
  if (!view.ok()) return ErrorPage(w, req, &ctx, view.status());
  const auto& r = view->r;
  Data d;
  d.set("id", std::to_string(r.id));
  d.set("flag", Cat("PM-", r.flag_id));
  d.set("flag_href", FlagUrl(r.flag_id));
  d.set("pseudonym", r.pseudonym);
  d.set("requester", view->requester_name);
  d.set("at", FormatInstantNl(r.requested_at));
  d.set("reason", r.reason);
  d.set("state", std::string(monitoring::ResolutionStateName(r.state)));
  d.set("refused", r.state == monitoring::ResolutionState::kRefused);
  SetIf(d, "refusal", r.refusal);
  Data approvers(Data::type::list);
  for (const auto& n : view->approver_names) approvers.push_back(Str(n));
  d.set("approvers", approvers);
  d.set("approvals", Cat(r.approvers.size(), " van ", monitoring::kApprovalsNeeded));
  d.set("csrf", ctx.session.csrf_token);
  d.set("version", std::to_string(r.version));
  if (view->may_approve) {
    Data form;
    form.set("approve_url", Cat(ResolutionUrl(r.id), "/goedkeuren"));
    form.set("refuse_url", Cat(ResolutionUrl(r.id), "/weigeren"));
    form.set("reason", posted ? FormValue(*posted, "reden") : std::string());
    SetIf(form, "error", error);
    d.set("decide", form);
  }
  if (view->may_reveal) {
    Data o;
    o.set("action", Cat(ResolutionUrl(r.id), "/tonen"));
    if (revealed) {
      o.set("name", revealed->name);
      o.set("user_id", revealed->user_id);
      SetIf(o, "unit", revealed->unit);
    } else if (!error.empty()) {
      o.set("error", error);
    }
    d.set("reveal", o);
  }
  FieldErrors errors;
  if (!error.empty()) errors.push_back({view->may_approve ? "beslissen" : "", error});
  AddErrors(d, errors);
  return HtmlPage(w, req, &ctx, status, "monitor_resolution", Cat(w.r->T(lang, "mon_resolution_title"), " ", r.id),
                  std::move(d));
}

enum class Decide { kApprove, kRefuse };

HttpResponse PostDecision(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, Decide kind) {
  app::MonitorService* svc = w.s.monitor;
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  const Id id = RouteId(req);
  Form f = http::ParseForm(req.body);
  if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok()) return ErrorPage(w, req, &ctx, st);
  auto again = [&](int status, const std::string& m) { return ResolutionPage(w, req, ctx, id, status, m, &f); };
  auto version = ParseInt(FormValue(f, "version"));
  if (!version) return again(422, "Het formulier mist de versie van de aanvraag. Laad de pagina opnieuw.");
  absl::Status st = kind == Decide::kApprove ? svc->Approve(ctx.actor, id, *version)
                                             : svc->Refuse(ctx.actor, id, *version, FormValue(f, "reden"));
  if (!st.ok()) return Refused(w, req, ctx, st, again);
  return Redirect(ResolutionUrl(id));
}

HttpResponse PostReveal(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  app::MonitorService* svc = w.s.monitor;
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  const Id id = RouteId(req);
  Form f = http::ParseForm(req.body);
  if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok()) return ErrorPage(w, req, &ctx, st);
  auto who = svc->Reveal(ctx.actor, id);
  if (!who.ok()) {
    const int status = http::HttpStatusOf(who.status());
    if (status == 404 || status == 409) return ResolutionPage(w, req, ctx, id, status, Msg(who.status()));
    return ErrorPage(w, req, &ctx, who.status());
  }
  // Shown once, on this answer; never in a URL or a cache.
  HttpResponse page = ResolutionPage(w, req, ctx, id, 200, "", nullptr, &*who);
  page.Header("Cache-Control", "no-store");
  return page;
}

// ------------------------------------------------------------------ mode

HttpResponse ModePage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, int status = 200,
                      const std::string& error = "", const Form* posted = nullptr) {
  app::MonitorService* svc = w.s.monitor;
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  const std::string lang = Lang(req);
  auto history = svc->ModeHistory(ctx.actor);
  if (!history.ok()) return ErrorPage(w, req, &ctx, history.status());
  const Mode mode = history->empty() ? Mode::kTrend : history->back().mode;
  Data d;
  d.set("mode_label", std::string(monitoring::ModeLabelNl(mode)));
  Data rows(Data::type::list);
  for (auto it = history->rbegin(); it != history->rend(); ++it) {
    Data o;
    o.set("at", FormatInstantNl(it->at));
    o.set("mode", std::string(monitoring::ModeLabelNl(it->mode)));
    o.set("decision", it->decision_reference);
    rows.push_back(o);
  }
  d.set("history", rows);
  d.set("has_history", !rows.list_value().empty());
  if (ctx.actor.Has(Role::kAdmin)) {
    Data form;
    const Mode other = mode == Mode::kTrend ? Mode::kDetection : Mode::kTrend;
    form.set("to", std::string(monitoring::ModeName(other)));
    form.set("to_label", std::string(monitoring::ModeLabelNl(other)));
    form.set("csrf", ctx.session.csrf_token);
    form.set("decision", posted ? FormValue(*posted, "besluit") : std::string());
    SetIf(form, "error", error);
    d.set("switch", form);
  }
  FieldErrors errors;
  if (!error.empty()) errors.push_back({"besluit", error});
  AddErrors(d, errors);
  return HtmlPage(w, req, &ctx, status, "monitor_mode", w.r->T(lang, "mon_mode_title"), std::move(d));
}

HttpResponse PostMode(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  app::MonitorService* svc = w.s.monitor;
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  Form f = http::ParseForm(req.body);
  if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok()) return ErrorPage(w, req, &ctx, st);
  auto again = [&](int status, const std::string& m) { return ModePage(w, req, ctx, status, m, &f); };
  auto wanted = monitoring::ParseMode(FormValue(f, "modus"));
  if (!wanted) return again(422, "Kies de modus.");
  if (auto st = svc->SwitchMode(ctx.actor, *wanted, FormValue(f, "besluit")); !st.ok())
    return Refused(w, req, ctx, st, again);
  return Redirect("/monitoring/modus");
}

}  // namespace

void AddMonitorRoutes(const Web& w, std::vector<http::Route>& out) {
  auto get = [&](const std::string& path, AuthedHandler h) { out.push_back({"GET", path, Authed(w, std::move(h))}); };
  auto post = [&](const std::string& path, AuthedHandler h) { out.push_back({"POST", path, Authed(w, std::move(h))}); };
  get("/monitoring", [w](const HttpRequest& req, const app::AuthContext& ctx) { return Overview(w, req, ctx); });
  get("/monitoring/signalen",
      [w](const HttpRequest& req, const app::AuthContext& ctx) { return QueuePage(w, req, ctx); });
  get("/monitoring/signalen/:id(\\d+)",
      [w](const HttpRequest& req, const app::AuthContext& ctx) { return FlagPage(w, req, ctx, RouteId(req)); });
  post("/monitoring/signalen/:id(\\d+)/beoordeling",
       [w](const HttpRequest& req, const app::AuthContext& ctx) { return PostReview(w, req, ctx); });
  post("/monitoring/signalen/:id(\\d+)/herleiding",
       [w](const HttpRequest& req, const app::AuthContext& ctx) { return PostResolutionRequest(w, req, ctx); });
  get("/monitoring/herleidingen",
      [w](const HttpRequest& req, const app::AuthContext& ctx) { return ResolutionsPage(w, req, ctx); });
  get("/monitoring/herleidingen/:id(\\d+)",
      [w](const HttpRequest& req, const app::AuthContext& ctx) { return ResolutionPage(w, req, ctx, RouteId(req)); });
  post("/monitoring/herleidingen/:id(\\d+)/goedkeuren", [w](const HttpRequest& req, const app::AuthContext& ctx) {
    return PostDecision(w, req, ctx, Decide::kApprove);
  });
  post("/monitoring/herleidingen/:id(\\d+)/weigeren",
       [w](const HttpRequest& req, const app::AuthContext& ctx) { return PostDecision(w, req, ctx, Decide::kRefuse); });
  post("/monitoring/herleidingen/:id(\\d+)/tonen",
       [w](const HttpRequest& req, const app::AuthContext& ctx) { return PostReveal(w, req, ctx); });
  get("/monitoring/modus", [w](const HttpRequest& req, const app::AuthContext& ctx) { return ModePage(w, req, ctx); });
  post("/monitoring/modus", [w](const HttpRequest& req, const app::AuthContext& ctx) { return PostMode(w, req, ctx); });
}

}  // namespace waarborg::web
