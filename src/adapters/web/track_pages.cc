// Pages of the tracks defined as data (issue 4): unwanted behaviour, the
// complaints committee, VIK triage and investigations. The forms of the steps
// are drawn from the track files (required fields by type, checklists); the
// rules are the TrackService's.
#include <algorithm>
#include <charconv>
#include <set>

#include "adapters/web/web_common.h"
#include "app/track_service.h"
#include "core/common/date.h"
#include "core/common/strings.h"
#include "core/workflow/flow_chart.h"

namespace waarborg::web {

namespace {

using http::HttpRequest;
using http::HttpResponse;
using workflow::FieldDef;
using workflow::FieldType;
using workflow::TrackDefinition;
using workflow::TransitionDef;

std::string Msg(const absl::Status& st) { return std::string(FromAbsl(st.message())); }

std::optional<std::int64_t> ParseInt(const std::string& s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string Trim(std::string s) {
  s.erase(0, s.find_first_not_of(" \t\r\n"));
  s.erase(s.find_last_not_of(" \t\r\n") + 1);
  return s;
}

// The service, or a 500 page when the server was started without it.
app::TrackService* Service(const Web& w) { return w.s.track_cases; }

absl::Status NoService() { return absl::InternalError("track service not configured"); }

std::string CaseUrl(Id id) { return Cat("/zaken/", id); }

// A person's name for a recorded person field; the number when unknown.
std::string PersonName(const Web& w, Id person) {
  std::string name = Cat("Persoon ", person);
  (void)w.s.store.Read([&](StoreTx& tx) {
    if (auto p = tx.GetPerson(person); p.ok()) name = p->name;
    return absl::OkStatus();
  });
  return name;
}

// How a recorded value reads on the page: dates as dd-mm-jjjj, yes/no as
// Ja/Nee, a choice as its option's label, a person by name.
std::string FieldText(const Web& w, const FieldDef* f, const std::string& value) {
  if (!f) return value;
  switch (f->type) {
    case FieldType::kDate:
      if (auto d = ParseDate(value)) return FormatDateNl(*d);
      return value;
    case FieldType::kYesNo:
      if (value == "ja" || value == "1" || value == "true") return "Ja";
      if (value == "nee" || value == "0" || value == "false") return "Nee";
      return value;
    case FieldType::kChoice:
      for (const auto& o : f->options)
        if (o.key == value) return o.label;
      return value;
    case FieldType::kPerson:
      if (auto id = ParseInt(value); id && *id > 0) return PersonName(w, *id);
      return value;
    default:
      return value;
  }
}

// The step forms of the case page: one per action (a step the file lists
// twice, told apart by guards, gets one form with the fields of both).
struct StepForm {
  const TransitionDef* first = nullptr;
  std::vector<std::string> fields;
  std::vector<std::string> optional;  // those of `fields` that may stay empty
};

std::vector<StepForm> StepForms(const std::vector<const TransitionDef*>& actions) {
  std::vector<StepForm> out;
  for (const TransitionDef* t : actions) {
    if (!t) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const StepForm& s) { return s.first->action == t->action; });
    if (it == out.end()) {
      out.push_back({t, {}});
      it = std::prev(out.end());
    }
    for (const auto& f : t->required_fields)
      if (std::find(it->fields.begin(), it->fields.end(), f) == it->fields.end()) it->fields.push_back(f);
    for (const auto& f : t->optional_fields)
      if (std::find(it->fields.begin(), it->fields.end(), f) == it->fields.end()) {
        it->fields.push_back(f);
        it->optional.push_back(f);
      }
  }
  return out;
}

// One input of a step form, drawn by the field's type, with what was typed
// when the step was refused.
Data FieldInput(const std::string& form_id, const std::string& name, const FieldDef* f, const Form* posted) {
  Data o;
  const std::string value = posted ? FormValue(*posted, name) : std::string();
  o.set("name", name);
  o.set("input_id", Cat(form_id, "-", name));
  o.set("label", f && !f->label.empty() ? f->label : name);
  if (f) SetIf(o, "help", f->help);
  o.set("value", value);
  const FieldType type = f ? f->type : FieldType::kText;
  switch (type) {
    case FieldType::kText:
      o.set("is_text", true);
      break;
    case FieldType::kTextarea:
      o.set("is_textarea", true);
      break;
    case FieldType::kDate:
      o.set("is_date", true);
      break;
    case FieldType::kPerson:
      o.set("is_person", true);
      break;
    case FieldType::kYesNo:
      o.set("is_yesno", true);
      o.set("yes_checked", value == "ja");
      o.set("no_checked", value == "nee");
      break;
    case FieldType::kChoice: {
      o.set("is_choice", true);
      Data opts(Data::type::list);
      for (const auto& opt : f->options) {
        Data d;
        d.set("key", opt.key);
        d.set("label", opt.label);
        d.set("selected", opt.key == value);
        opts.push_back(d);
      }
      o.set("options", opts);
      break;
    }
  }
  return o;
}

// ---------------------------------------------------------------- the list

HttpResponse ListPage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  app::TrackService* svc = Service(w);
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  const std::string lang = Lang(req);
  const bool open_only = req.Query("alle") != "1";
  auto list = svc->List(ctx.actor, open_only);
  if (!list.ok()) return ErrorPage(w, req, &ctx, list.status());
  const Date today = svc->Today();

  // Grouped by track, in the order of the catalogue; nearest deadline first.
  std::vector<app::TrackListItem> items = std::move(*list);
  std::stable_sort(items.begin(), items.end(), [](const app::TrackListItem& a, const app::TrackListItem& b) {
    const bool ad = a.nearest && a.nearest->due, bd = b.nearest && b.nearest->due;
    if (ad != bd) return ad;
    if (!ad) return false;
    return std::chrono::sys_days(*a.nearest->due) < std::chrono::sys_days(*b.nearest->due);
  });
  std::vector<std::string> order;
  for (const auto& t : svc->tracks().tracks) order.push_back(t.id);
  for (const auto& it : items)
    if (std::find(order.begin(), order.end(), it.summary.track) == order.end()) order.push_back(it.summary.track);

  Data groups(Data::type::list);
  for (const auto& track : order) {
    Data rows(Data::type::list);
    std::string name;
    for (const auto& it : items) {
      if (it.summary.track != track) continue;
      name = it.track_name;
      Data o;
      o.set("href", CaseUrl(it.summary.id));
      o.set("reference", it.summary.reference);
      o.set("summary", it.summary.summary);
      o.set("unit", it.unit_name);
      o.set("state", it.state_label);
      o.set("received", FormatDateNl(it.summary.received_on));
      bool overdue = false;
      if (it.nearest) {
        o.set("deadline_label", it.nearest->label);
        if (it.nearest->due) o.set("deadline_due", FormatDateNl(*it.nearest->due));
        overdue = it.nearest->overdue || (it.nearest->due && !it.nearest->met_on &&
                                          std::chrono::sys_days(*it.nearest->due) < std::chrono::sys_days(today));
      }
      o.set("overdue", overdue);
      rows.push_back(o);
    }
    if (rows.list_value().empty()) continue;
    if (const TrackDefinition* def = svc->tracks().Find(track); def && name.empty()) name = def->name;
    Data g;
    g.set("track", track);
    g.set("name", name.empty() ? track : name);
    g.set("cases", rows);
    groups.push_back(g);
  }

  Data d;
  d.set("groups", groups);
  d.set("has_cases", !groups.list_value().empty());
  d.set("open_only", open_only);

  Data reg(Data::type::list);
  for (const TrackDefinition* def : svc->TracksToRegister(ctx.actor)) {
    Data o;
    o.set("href", Cat("/zaken/nieuw/", def->id));
    o.set("name", def->name);
    reg.push_back(o);
  }
  d.set("has_register", !reg.list_value().empty());
  d.set("register", reg);

  // The signal function is the central counsellor's; it names no complainant.
  if (ctx.actor.Has(Role::kCentralCounsellor)) {
    auto signals = svc->Signals(ctx.actor);
    if (signals.ok() && !signals->empty()) {
      Data list(Data::type::list);
      for (const auto& s : *signals) list.push_back(Str(s.text));
      d.set("signals", list);
      d.set("has_signals", true);
    }
  }
  return HtmlPage(w, req, &ctx, 200, "track_list", w.r->T(lang, "track_cases_title"), std::move(d));
}

// ---------------------------------------------------------------- new case


// The track `id` when the actor may open a case on it: NotFound for an
// unknown track, PermissionDenied for one the actor may not register on.
absl::StatusOr<const TrackDefinition*> RegisterableTrack(app::TrackService& svc, const Actor& actor,
                                                         const std::string& id) {
  const TrackDefinition* def = svc.tracks().Find(id);
  if (!def || id == "lmm") return absl::NotFoundError("Dit traject bestaat niet.");
  for (const TrackDefinition* t : svc.TracksToRegister(actor))
    if (t->id == id) return def;
  return absl::PermissionDeniedError(Cat("U kunt geen zaak registreren op het traject ", def->name, "."));
}

HttpResponse NewCasePage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, const TrackDefinition& def,
                         int status, const Form& values, const FieldErrors& errors) {
  const std::string lang = Lang(req);
  Data d;
  d.set("csrf", ctx.session.csrf_token);
  d.set("track", def.id);
  d.set("track_name", def.name);
  d.set("track_description", def.description);
  d.set("action", Cat("/zaken/nieuw/", def.id));
  const std::string unit = FormValue(values, "eenheid");
  Data units(Data::type::list);
  for (auto& u : Units(w)) {
    Data o;
    o.set("id", std::to_string(u.id));
    o.set("label", u.name);
    o.set("selected", std::to_string(u.id) == unit);
    units.push_back(o);
  }
  d.set("units", units);
  // Unwanted behaviour may concern a whole team (signal function, DOMAIN §3).
  if (def.id == "unwanted_behaviour") {
    const std::string chosen = FormValue(values, "team");
    Data teams(Data::type::list);
    (void)w.s.store.Read([&](StoreTx& tx) -> absl::Status {
      for (const auto& u : tx.ListUnits()) {
        if (u.kind != UnitKind::kTeam) continue;
        Data o;
        o.set("id", std::to_string(u.id));
        o.set("label", u.name);
        o.set("selected", std::to_string(u.id) == chosen);
        teams.push_back(o);
      }
      return absl::OkStatus();
    });
    d.set("teams", teams);
    d.set("ask_team", true);
  }
  for (const char* k : {"samenvatting", "ontvangen_op", "betrokkene", "klager"}) SetIf(d, k, FormValue(values, k));

  // People search (GET ?zoek=...): the numbers to fill in below.
  const std::string zoek = req.Query("zoek");
  d.set("zoek", zoek);
  Data people(Data::type::list);
  if (zoek.size() >= 2) {
    (void)w.s.store.Read([&](StoreTx& tx) -> absl::Status {
      // Each result can be chosen with a link that fills in its number
      // (keeping the other choice; no case text goes into the address).
      const std::string base = Cat("/zaken/nieuw/", def.id, "?");
      const std::string subject = FormValue(values, "betrokkene"), complainant = FormValue(values, "klager");
      auto query = [](const std::string& s, const std::string& c) {
        std::string q;
        if (!s.empty()) q += "betrokkene=" + http::UrlEncode(s);
        if (!c.empty()) q += std::string(q.empty() ? "" : "&") + "klager=" + http::UrlEncode(c);
        return q;
      };
      for (auto& p : tx.FindPeople(zoek, 20)) {
        const std::string pid = std::to_string(p.id);
        Data o;
        o.set("id", pid);
        o.set("name", p.name);
        SetIf(o, "position", p.position);
        o.set("as_subject", base + query(pid, complainant));
        o.set("as_complainant", base + query(subject, pid));
        people.push_back(o);
      }
      return absl::OkStatus();
    });
    d.set("searched", true);
  }
  d.set("has_people", !people.list_value().empty());
  d.set("people", people);

  AddErrors(d, errors);
  for (auto& [field, msg] : errors)
    if (!field.empty()) d.set("error_" + field, msg);
  return HtmlPage(w, req, &ctx, status, "track_new", Cat(w.r->T(lang, "track_new_prefix"), " ", def.name),
                  std::move(d));
}

HttpResponse PostNewCase(const Web& w, const HttpRequest& req, const app::AuthContext& ctx,
                         const TrackDefinition& def) {
  app::TrackService& svc = *Service(w);
  Form f = http::ParseForm(req.body);
  if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok()) return ErrorPage(w, req, &ctx, st);
  const std::string lang = Lang(req);
  app::NewTrackCase n;
  n.track = def.id;
  FieldErrors errs;
  if (auto u = ParseInt(FormValue(f, "eenheid")); u && *u > 0)
    n.unit_id = *u;
  else
    errs.push_back({"eenheid", w.r->T(lang, "track_error_unit")});
  n.summary = Trim(FormValue(f, "samenvatting"));
  if (n.summary.empty()) errs.push_back({"samenvatting", w.r->T(lang, "track_error_summary")});
  if (std::string on = Trim(FormValue(f, "ontvangen_op")); !on.empty()) {
    n.received_on = ParseDate(on);
    if (!n.received_on) errs.push_back({"ontvangen_op", w.r->T(lang, "error_date")});
  }
  auto person = [&](const char* name, std::optional<Id>& out) {
    std::string v = Trim(FormValue(f, name));
    if (v.empty()) return;
    auto id = ParseInt(v);
    if (!id || *id <= 0)
      errs.push_back({name, w.r->T(lang, "track_error_person")});
    else
      out = *id;
  };
  person("betrokkene", n.subject_person);
  person("klager", n.complainant_person);
  if (std::string team = Trim(FormValue(f, "team")); !team.empty()) {
    if (auto t = ParseInt(team); t && *t > 0) n.accused_team = *t;
    else errs.push_back({"team", w.r->T(lang, "track_error_team")});
  }
  if (!errs.empty()) return NewCasePage(w, req, ctx, def, 422, f, errs);
  auto id = svc.Create(ctx.actor, n);
  if (!id.ok()) {
    int status = http::HttpStatusOf(id.status());
    if (status == 401) return Redirect("/inloggen");
    return NewCasePage(w, req, ctx, def, status, f,
                       {{"", status >= 500 ? w.r->T(lang, "error_500_text") : Msg(id.status())}});
  }
  return Redirect(CaseUrl(*id));
}

// ---------------------------------------------------------------- case page

// The case page. A refused step comes back with `status`, its message at the
// form "stap-<error_action>" and what was typed in it.
HttpResponse TrackCasePage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, Id id, int status = 200,
                           const std::string& error_action = "", const std::string& error = "",
                           const Form* posted = nullptr) {
  app::TrackService* svc = Service(w);
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  const std::string lang = Lang(req);
  auto view_or = svc->Open(ctx.actor, id);
  if (!view_or.ok()) return ErrorPage(w, req, &ctx, view_or.status());
  const app::TrackCaseView& v = *view_or;
  const TrackCase& c = v.c;
  const TrackDefinition* def = v.def ? v.def : svc->tracks().Find(c.track);

  Data d;
  d.set("id", std::to_string(c.id));
  d.set("reference", c.reference);
  d.set("summary", c.summary);
  d.set("track_name", def ? def->name : c.track);
  d.set("state", v.state_label.empty() ? c.state : v.state_label);
  d.set("unit", v.unit_name);
  d.set("received", FormatDateNl(c.received_on));

  Data members(Data::type::list);
  for (const auto& m : v.members) {
    Data o;
    o.set("name", m.name);
    o.set("role", m.role_label.empty() ? m.role : m.role_label);
    members.push_back(o);
  }
  d.set("has_members", !v.members.empty() || v.may_add_members);
  d.set("members", members);
  if (v.may_add_members) {
    // Staffing: someone with one of the track's roles joins the case.
    const Form* f = error_action == "leden" ? posted : nullptr;
    Data add;
    add.set("url", Cat(CaseUrl(c.id), "/leden"));
    add.set("csrf", ctx.session.csrf_token);
    add.set("person", f ? FormValue(*f, "persoon") : std::string());
    if (f && !error.empty()) add.set("error", error);
    Data roles(Data::type::list);
    for (const auto& r : v.member_roles) {
      Data o;
      o.set("key", r);
      o.set("label", app::TrackRoleLabelNl(r));
      o.set("selected", f && FormValue(*f, "rol") == r);
      roles.push_back(o);
    }
    add.set("roles", roles);
    d.set("add_member", add);
  }

  // The deadlines, and for those this viewer may extend or suspend a form
  // of each below the table. A refused one comes back with its message and
  // what was typed.
  bool has_form = false;
  auto posted_to = [&](const std::string& form_key) { return error_action == form_key ? posted : nullptr; };
  Data deadlines(Data::type::list);
  Data deadline_forms(Data::type::list);
  for (const auto& dl : v.deadlines) {
    Data o;
    o.set("label", dl.label);
    o.set("legal", dl.legal);
    o.set("overdue", false);
    if (dl.due) o.set("due", FormatDateNl(*dl.due));
    if (dl.met_on) o.set("met_on", FormatDateNl(*dl.met_on));
    if (dl.met_on) {
      o.set("status", w.r->T(lang, "track_deadline_met"));
    } else if (dl.overdue) {
      o.set("status", w.r->T(lang, "overdue"));
      o.set("overdue", true);
    } else if (dl.due) {
      o.set("status", w.r->T(lang, "track_deadline_open"));
    } else {
      o.set("status", w.r->T(lang, "track_deadline_not_started"));
    }
    // "1 van 1 keer verlengd; 10 dagen opgeschort"
    std::string changes;
    if (dl.extensions > 0)
      changes = Cat(dl.extensions, " ", w.r->T(lang, "track_of"), " ", dl.max_extensions, " ",
                    w.r->T(lang, "track_times_extended"));
    if (dl.suspended_days > 0)
      changes += Cat(changes.empty() ? "" : "; ", dl.suspended_days, " ", w.r->T(lang, "track_days_suspended"));
    o.set("changes", changes.empty() ? std::string("-") : changes);
    deadlines.push_back(o);

    if (!dl.may_extend && !dl.may_suspend) continue;
    Data forms;
    forms.set("label", dl.label);
    forms.set("heading_id", Cat("termijn-", dl.id, "-kop"));
    if (dl.may_extend) {
      const std::string key = Cat("verlengen-", dl.id);
      const Form* f = posted_to(key);
      Data e;
      e.set("form_id", Cat("stap-", key));
      e.set("url", Cat(CaseUrl(c.id), "/termijn/", dl.id, "/verlengen"));
      e.set("csrf", ctx.session.csrf_token);
      e.set("version", std::to_string(c.version));
      e.set("amount", workflow::AmountLabelNl(dl.extension_amount, dl.unit));
      e.set("left", std::to_string(dl.max_extensions - dl.extensions));
      e.set("reason", f ? FormValue(*f, "reden") : std::string());
      if (f && !error.empty()) e.set("error", error);
      has_form = has_form || f != nullptr;
      forms.set("extend", e);
    }
    if (dl.may_suspend) {
      const std::string key = Cat("opschorten-", dl.id);
      const Form* f = posted_to(key);
      Data sp;
      sp.set("form_id", Cat("stap-", key));
      sp.set("url", Cat(CaseUrl(c.id), "/termijn/", dl.id, "/opschorten"));
      sp.set("csrf", ctx.session.csrf_token);
      sp.set("version", std::to_string(c.version));
      sp.set("from", f ? FormValue(*f, "van") : std::string());
      sp.set("until", f ? FormValue(*f, "tot") : std::string());
      sp.set("reason", f ? FormValue(*f, "reden") : std::string());
      if (f && !error.empty()) sp.set("error", error);
      has_form = has_form || f != nullptr;
      forms.set("suspend", sp);
    }
    deadline_forms.push_back(forms);
  }
  d.set("has_deadlines", !v.deadlines.empty());
  d.set("deadlines", deadlines);
  d.set("deadline_forms", deadline_forms);

  Data reviews(Data::type::list);
  for (const auto& r : v.reviews) {
    Data o;
    o.set("label", r.label);
    o.set("next", FormatDateNl(r.next));
    if (r.last_held) o.set("last_held", FormatDateNl(*r.last_held));
    if (r.may_record) {
      const std::string key = Cat("evaluatie-", r.id);
      const Form* f = posted_to(key);
      Data held;
      held.set("form_id", Cat("stap-", key));
      held.set("url", Cat(CaseUrl(c.id), "/evaluatie/", r.id));
      held.set("csrf", ctx.session.csrf_token);
      held.set("version", std::to_string(c.version));
      // Today is the usual answer; the user changes it for a late record.
      held.set("held_on", f ? FormValue(*f, "gehouden_op") : FormatDateNl(svc->Today()));
      held.set("note", f ? FormValue(*f, "notitie") : std::string());
      if (f && !error.empty()) held.set("error", error);
      has_form = has_form || f != nullptr;
      o.set("record", held);
    }
    reviews.push_back(o);
  }
  d.set("has_reviews", !v.reviews.empty());
  d.set("reviews", reviews);

  if (v.care) {
    Data o;
    o.set("next_due", FormatDateNl(v.care->next_due));
    o.set("overdue", v.care->overdue);
    o.set("days_overdue", std::to_string(v.care->days_overdue));
    d.set("care", o);
  }
  if (c.track == "investigation" || v.delay_days > 0) d.set("delay_days", std::to_string(v.delay_days));

  // What was recorded: the track's fields in file order, then any others.
  Data fields(Data::type::list);
  {
    std::vector<std::string> keys;
    if (def)
      for (const auto& f : def->fields)
        if (c.fields.count(f.id)) keys.push_back(f.id);
    for (const auto& [k, val] : c.fields)
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    for (const auto& k : keys) {
      const std::string& val = c.fields.at(k);
      if (val.empty()) continue;
      const FieldDef* f = def ? def->FindField(k) : nullptr;
      Data o;
      o.set("label", f && !f->label.empty() ? f->label : k);
      o.set("value", FieldText(w, f, val));
      fields.push_back(o);
    }
  }
  if (!v.comparable_outcomes.empty()) {
    Data cmp(Data::type::list);
    for (const auto& text : v.comparable_outcomes) cmp.push_back(Str(text));
    d.set("comparable", cmp);
    d.set("has_comparable", true);
  }
  d.set("has_fields", !fields.list_value().empty());
  d.set("fields", fields);

  Data history(Data::type::list);
  for (const auto& s : v.steps) {
    Data o;
    o.set("at", FormatInstantNl(s.step.at));
    o.set("label", s.label.empty() ? s.step.action : s.label);
    SetIf(o, "detail", s.detail);
    SetIf(o, "by", s.by_name);
    if (def && s.step.to_state != s.step.from_state)
      if (const auto* st = def->FindState(s.step.to_state)) o.set("to", st->label);
    history.push_back(o);
  }
  d.set("has_history", !v.steps.empty());
  d.set("history", history);

  // One form per step the viewer may take now.
  Data steps(Data::type::list);
  for (const StepForm& sf : StepForms(v.actions)) {
    const TransitionDef& t = *sf.first;
    const std::string form_id = Cat("stap-", t.action);
    const Form* f = error_action == t.action ? posted : nullptr;
    Data o;
    o.set("action", t.action);
    o.set("form_id", form_id);
    o.set("label", t.DisplayLabel());
    o.set("url", Cat(CaseUrl(c.id), "/stap/", t.action));
    o.set("csrf", ctx.session.csrf_token);
    o.set("version", std::to_string(c.version));
    if (error_action == t.action && !error.empty()) o.set("error", error);
    Data inputs(Data::type::list);
    for (const auto& name : sf.fields) {
      Data input = FieldInput(form_id, name, def ? def->FindField(name) : nullptr, f);
      input.set("optional", std::find(sf.optional.begin(), sf.optional.end(), name) != sf.optional.end());
      inputs.push_back(input);
    }
    o.set("has_fields", !sf.fields.empty());
    o.set("fields", inputs);
    Data checklist(Data::type::list);
    const std::vector<std::string> ticked = f ? FormValues(*f, "checklist") : std::vector<std::string>{};
    for (size_t i = 0; i < t.checklist.size(); ++i) {
      Data item;
      item.set("index", std::to_string(i));
      item.set("input_id", Cat(form_id, "-checklist-", i));
      item.set("label", t.checklist[i]);
      item.set("checked", std::find(ticked.begin(), ticked.end(), std::to_string(i)) != ticked.end());
      checklist.push_back(item);
    }
    o.set("has_checklist", !t.checklist.empty());
    o.set("checklist", checklist);
    steps.push_back(o);
  }
  d.set("has_steps", !steps.list_value().empty());
  d.set("steps", steps);

  if (def) d.set("flow_chart", workflow::RenderFlowChart(*def, c.state));

  // Learning cases (issue 5 §5): whoever handles the case may make an
  // anonymised one of it once its outcome is known.
  if (w.s.learning) {
    auto offer = w.s.learning->Offer(ctx.actor, c);
    if (offer.ok() && (offer->may_start || !offer->not_yet.empty() || !offer->existing.empty())) {
      Data o;
      o.set("url", Cat(CaseUrl(c.id), "/leercasus"));
      o.set("csrf", ctx.session.csrf_token);
      o.set("may_start", offer->may_start);
      SetIf(o, "not_yet", offer->not_yet);
      o.set("needs_consent", offer->needs_consent);
      const Form* f = error_action == "leercasus" ? posted : nullptr;
      o.set("consent_checked", f && FormBool(*f, "klager_stemt_in"));
      if (f && !error.empty()) o.set("error", error);
      Data existing(Data::type::list);
      for (Id lid : offer->existing) {
        Data e;
        e.set("href", Cat("/leercasussen/", lid));
        e.set("label", Cat(w.r->T(lang, "learning_case_prefix"), " ", lid));
        existing.push_back(e);
      }
      o.set("existing", existing);
      o.set("has_existing", !offer->existing.empty());
      d.set("learning", o);
      has_form = has_form || (error_action == "leercasus" && offer->may_start);
    }
  }

  // The summary links to the refused form while the page still has it.
  for (const auto* t : v.actions) has_form = has_form || (t && t->action == error_action);
  has_form = has_form || (error_action == "leden" && v.may_add_members);
  FieldErrors errs;
  if (!error.empty()) errs.push_back({has_form ? Cat("stap-", error_action) : std::string(), error});
  AddErrors(d, errs);
  return HtmlPage(w, req, &ctx, status, "track_case", Cat(c.reference, " - ", c.summary), std::move(d));
}

// Takes step `action` from its form: the posted values of its required
// fields (as typed; the service checks and parses them) and the ticked
// checklist items.
HttpResponse PostStep(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  app::TrackService* svc = Service(w);
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  const Id id = RouteId(req);
  auto it = req.route.find("action");
  const std::string action = it == req.route.end() ? "" : it->second;
  if (!id || action.empty()) return ErrorPage(w, req, &ctx, absl::NotFoundError("Deze stap bestaat niet."));
  Form f = http::ParseForm(req.body);
  if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok()) return ErrorPage(w, req, &ctx, st);

  auto version = ParseInt(FormValue(f, "version"));
  absl::Status st;
  if (!version) {
    st = absl::InvalidArgumentError("Het formulier mist de versie van de zaak. Laad de pagina opnieuw.");
  } else {
    // Every posted value; the service keeps only the fields the case's
    // track declares and checks each by its type.
    std::map<std::string, std::string> fields;
    for (const auto& [name, raw] : f) {
      if (name == "csrf" || name == "version" || name == "checklist") continue;
      std::string value = Trim(raw);
      if (!value.empty()) fields[name] = value;
    }
    auto to = svc->Take(ctx.actor, id, *version, action, std::move(fields), FormValues(f, "checklist"));
    st = to.status();
  }
  if (st.ok()) return Redirect(CaseUrl(id));
  int status = http::HttpStatusOf(st);
  if (status == 401) return Redirect("/inloggen");
  if (status == 404 || status >= 500) return ErrorPage(w, req, &ctx, st);
  return TrackCasePage(w, req, ctx, id, status, action, Msg(st), &f);
}

enum class Recording { kExtend, kSuspend, kReviewHeld };

// Records an extension or a suspension of a deadline, or a held review
// moment, from its form on the case page. Like PostStep: CSRF, the case's
// version from the form, a refused one back at its form with what was typed,
// redirect after success.
HttpResponse PostRecording(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, Recording kind) {
  app::TrackService* svc = Service(w);
  if (!svc) return ErrorPage(w, req, &ctx, NoService());
  const Id id = RouteId(req);
  auto it = req.route.find(kind == Recording::kReviewHeld ? "review" : "deadline");
  const std::string what = it == req.route.end() ? "" : it->second;
  if (!id || what.empty()) return ErrorPage(w, req, &ctx, absl::NotFoundError("Deze termijn bestaat niet."));
  Form f = http::ParseForm(req.body);
  if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok()) return ErrorPage(w, req, &ctx, st);

  const std::string lang = Lang(req);
  std::string key;
  switch (kind) {
    case Recording::kExtend: key = Cat("verlengen-", what); break;
    case Recording::kSuspend: key = Cat("opschorten-", what); break;
    case Recording::kReviewHeld: key = Cat("evaluatie-", what); break;
  }
  auto version = ParseInt(FormValue(f, "version"));
  absl::Status st;
  if (!version) {
    st = absl::InvalidArgumentError("Het formulier mist de versie van de zaak. Laad de pagina opnieuw.");
  } else if (kind == Recording::kExtend) {
    st = svc->ExtendDeadline(ctx.actor, id, *version, what, FormValue(f, "reden"));
  } else if (kind == Recording::kSuspend) {
    auto from = ParseDate(Trim(FormValue(f, "van")));
    auto until = ParseDate(Trim(FormValue(f, "tot")));
    st = from && until ? svc->SuspendDeadline(ctx.actor, id, *version, what, *from, *until, FormValue(f, "reden"))
                       : absl::InvalidArgumentError(w.r->T(lang, "track_error_period"));
  } else {
    auto held = ParseDate(Trim(FormValue(f, "gehouden_op")));
    st = held ? svc->RecordReviewHeld(ctx.actor, id, *version, what, *held, FormValue(f, "notitie"))
              : absl::InvalidArgumentError(w.r->T(lang, "error_date"));
  }
  if (st.ok()) return Redirect(Cat(CaseUrl(id), kind == Recording::kReviewHeld ? "#kop-evaluatie" : "#kop-termijnen"));
  const int status = http::HttpStatusOf(st);
  if (status == 401) return Redirect("/inloggen");
  if (status == 404 || status >= 500) return ErrorPage(w, req, &ctx, st);
  return TrackCasePage(w, req, ctx, id, status, key, Msg(st), &f);
}

}  // namespace

HttpResponse TrackCasePageWithError(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, Id id,
                                    int status, const std::string& form, const std::string& error, const Form* posted) {
  return TrackCasePage(w, req, ctx, id, status, form, error, posted);
}

void AddTrackRoutes(const Web& w, std::vector<http::Route>& out) {
  out.push_back({"GET", "/zaken", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return ListPage(w, req, ctx);
                 })});

  out.push_back(
      {"GET", "/zaken/nieuw/:track([a-z_]+)", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
         if (!Service(w)) return ErrorPage(w, req, &ctx, NoService());
         auto def = RegisterableTrack(*Service(w), ctx.actor, req.route.at("track"));
         if (!def.ok()) return ErrorPage(w, req, &ctx, def.status());
         // Keep what was chosen across a people search (GET form).
         Form values;
         for (auto& [k, v] : req.query)
           if (k == "eenheid" || k == "betrokkene" || k == "klager") values.emplace(k, v);
         return NewCasePage(w, req, ctx, **def, 200, values, {});
       })});

  out.push_back(
      {"POST", "/zaken/nieuw/:track([a-z_]+)", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
         if (!Service(w)) return ErrorPage(w, req, &ctx, NoService());
         auto def = RegisterableTrack(*Service(w), ctx.actor, req.route.at("track"));
         if (!def.ok()) return ErrorPage(w, req, &ctx, def.status());
         return PostNewCase(w, req, ctx, **def);
       })});

  out.push_back({"GET", "/zaken/:id(\\d+)", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   Id id = RouteId(req);
                   if (!id) return ErrorPage(w, req, &ctx, absl::NotFoundError("Deze zaak bestaat niet."));
                   return TrackCasePage(w, req, ctx, id);
                 })});

  out.push_back({"POST", "/zaken/:id(\\d+)/leden",
                 Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) -> HttpResponse {
                   if (!Service(w)) return ErrorPage(w, req, &ctx, NoService());
                   const Id id = RouteId(req);
                   Form f = http::ParseForm(req.body);
                   if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok())
                     return ErrorPage(w, req, &ctx, st);
                   auto person = ParseInt(Trim(FormValue(f, "persoon")));
                   absl::Status st = !person || *person <= 0
                                         ? absl::InvalidArgumentError("Vul het personeelsnummer in.")
                                         : Service(w)->AddMember(ctx.actor, id, *person, FormValue(f, "rol"));
                   if (st.ok()) return Redirect(Cat(CaseUrl(id), "#kop-betrokkenen"));
                   const int status = http::HttpStatusOf(st);
                   if (status == 401) return Redirect("/inloggen");
                   if (status == 404 || status >= 500) return ErrorPage(w, req, &ctx, st);
                   return TrackCasePage(w, req, ctx, id, status, "leden", Msg(st), &f);
                 })});

  out.push_back({"POST", "/zaken/:id(\\d+)/termijn/:deadline([a-z0-9_]+)/verlengen",
                 Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return PostRecording(w, req, ctx, Recording::kExtend);
                 })});
  out.push_back({"POST", "/zaken/:id(\\d+)/termijn/:deadline([a-z0-9_]+)/opschorten",
                 Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return PostRecording(w, req, ctx, Recording::kSuspend);
                 })});
  out.push_back({"POST", "/zaken/:id(\\d+)/evaluatie/:review([a-z0-9_]+)",
                 Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return PostRecording(w, req, ctx, Recording::kReviewHeld);
                 })});

  out.push_back(
      {"POST", "/zaken/:id(\\d+)/stap/:action([a-z_]+)",
       Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) { return PostStep(w, req, ctx); })});
}

}  // namespace waarborg::web
