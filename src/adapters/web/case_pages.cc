// LMM case pages: list, intake form, the case page and its next steps.
#include <algorithm>
#include <charconv>

#include "adapters/web/web_common.h"
#include "core/common/date.h"
#include "core/common/strings.h"
#include "core/workflow/flow_chart.h"

namespace waarborg::web {

namespace {

using access::CaseAction;
using http::HttpRequest;
using http::HttpResponse;

std::string Msg(const absl::Status& st) { return std::string(FromAbsl(st.message())); }

std::string DateOrEmpty(const std::optional<Date>& d) { return d ? FormatDateNl(*d) : std::string(); }

std::optional<std::int64_t> ParseInt(const std::string& s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Step slugs in URLs and the actions they take.
struct Step {
  CaseAction action;
  const char* slug;
};
// Not a step of the LMM track: the report stays where it is and VIK gets a
// case of its own (TrackService::HandOverFromLmm).
constexpr const char* kVikSignalSlug = "vik-signaal";

constexpr Step kSteps[] = {
    {CaseAction::kStaff, "bemensen"},
    {CaseAction::kRecordDefinitionTest, "definitietoets"},
    {CaseAction::kRecordWeighing, "weging"},
    {CaseAction::kInviteReviewer, "collega-uitnodigen"},
    {CaseAction::kReview, "toets"},
    {CaseAction::kAdvise, "advies"},
    {CaseAction::kDecide, "besluit"},
    {CaseAction::kAcknowledge, "ontvangstbevestiging"},
    {CaseAction::kRecordFeedback, "terugkoppeling"},
    {CaseAction::kRecordProtection, "bescherming"},
    {CaseAction::kClose, "afsluiten"},
};

const char* SlugOf(CaseAction a) {
  for (auto& s : kSteps)
    if (s.action == a) return s.slug;
  return nullptr;
}

std::optional<CaseAction> ActionOfSlug(const std::string& slug) {
  for (auto& s : kSteps)
    if (slug == s.slug) return s.action;
  return std::nullopt;
}

Data KeyLabels(const std::vector<std::string_view>& keys, std::string_view (*label)(std::string_view)) {
  Data list(Data::type::list);
  for (auto k : keys) {
    Data o;
    o.set("key", std::string(k));
    o.set("label", std::string(label(k)));
    list.push_back(o);
  }
  return list;
}

std::string YesNo(bool b) { return b ? "Ja" : "Nee"; }

// A colleague's name for the reviews list (shown only to who may see reviews).
std::string ReviewerName(const Web& w, Id person) {
  std::string name = "Collega";
  (void)w.s.store.Read([&](StoreTx& tx) {
    if (auto p = tx.GetPerson(person); p.ok()) name = p->name;
    return absl::OkStatus();
  });
  return name;
}

// ---------------------------------------------------------------- case page

// What was posted to a refused step, so its form comes back as it was typed:
// `v_<name>` holds a field's value, `c_<name>_<value>` marks a ticked box or
// chosen radio button.
Data PostedValues(const Form& f) {
  Data p;
  for (const auto& [k, v] : f) {
    if (k == "csrf" || k == "version") continue;
    if (p.get("v_" + k) == nullptr) p.set("v_" + k, v);
    p.set(Cat("c_", k, "_", v), true);
  }
  return p;
}

// Marks the options of `list` (items with "key" or "id") that were posted
// under `name` with `flag` ("checked" or "selected").
void MarkPosted(Data& list, const Form* f, const std::string& name, const char* flag) {
  if (!f || !list.is_list()) return;
  const auto chosen = FormValues(*f, name);
  Data marked(Data::type::list);
  for (auto item : list.list_value()) {
    const Data* key = item.get("key");
    if (key == nullptr) key = item.get("id");
    if (key && key->is_string() && std::find(chosen.begin(), chosen.end(), key->string_value()) != chosen.end())
      item.set(flag, true);
    marked.push_back(item);
  }
  list = std::move(marked);
}

}  // namespace

HttpResponse CasePage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, Id id, int status,
                      const std::string& error_step, const std::string& error, const Form* posted) {
  auto view_or = w.s.lmm.Open(ctx.actor, id, /*with_access_log=*/true);
  if (!view_or.ok()) return ErrorPage(w, req, &ctx, view_or.status());
  const app::CaseView& v = *view_or;
  const LmmCase& c = v.c;
  const Date today = w.s.lmm.Today();
  const std::string url = Cat("/meldingen/", c.id);

  Data d;
  d.set("id", std::to_string(c.id));
  d.set("reference", c.reference);
  d.set("summary", c.summary);
  d.set("description", c.description);
  d.set("state", std::string(LmmStateLabelNl(c.state)));
  d.set("channel", std::string(IntakeChannelLabelNl(c.channel)));
  d.set("category", std::string(ReporterCategoryLabelNl(c.reporter_category)));
  d.set("received", FormatDateNl(c.received_on));
  d.set("unit", v.unit_name);
  d.set("reporter_display", v.reporter_display);
  if (v.identity_visible && v.identity) {
    Data ident;
    ident.set("name", v.identity->name);
    SetIf(ident, "contact", v.identity->contact);
    d.set("identity", ident);
  }
  d.set("is_reporter_view", v.is_reporter_view);
  d.set("status_for_reporter", v.status_for_reporter);

  Data parties(Data::type::list);
  // The person page (chain of command) is for VPIs and admins only.
  const bool link_people = ctx.actor.IsAdvisor() || ctx.actor.Has(Role::kAdmin);
  for (auto& p : v.parties) {
    Data o;
    o.set("name", p.name);
    if (link_people && p.person_id > 0) o.set("href", Cat("/personen/", p.person_id));
    o.set("role", p.role);
    parties.push_back(o);
  }
  d.set("has_parties", !v.parties.empty());
  d.set("parties", parties);

  Data deadlines(Data::type::list);
  for (auto& dl : v.deadlines) {
    Data o;
    o.set("label", dl.label);
    o.set("due", FormatDateNl(dl.due));
    o.set("kind", dl.kind);
    if (dl.met_on) {
      o.set("status", Cat("Gehaald op ", FormatDateNl(*dl.met_on)));
      o.set("met", true);
    } else if (dl.OverdueOn(today)) {
      o.set("status", "Verstreken");
      o.set("overdue", true);
    } else {
      o.set("status", "Open");
    }
    deadlines.push_back(o);
  }
  d.set("has_deadlines", !v.deadlines.empty());
  d.set("deadlines", deadlines);

  Data timeline(Data::type::list);
  for (auto& e : v.timeline) {
    Data o;
    o.set("at", FormatInstantNl(e.at));
    SetIf(o, "actor", e.actor_name);
    o.set("text", e.text);
    SetIf(o, "on", DateOrEmpty(e.on));
    timeline.push_back(o);
  }
  d.set("has_timeline", !v.timeline.empty());
  d.set("timeline", timeline);

  if (v.weighing_visible && c.definition_test) {
    const auto& t = *c.definition_test;
    Data o;
    o.set("reasonable_grounds", YesNo(t.reasonable_grounds));
    o.set("public_interest", YesNo(t.public_interest));
    o.set("light_violation", YesNo(t.light_violation));
    o.set("systematic_or_sensitive", YesNo(t.systematic_or_sensitive));
    Data harms(Data::type::list), excl(Data::type::list);
    for (auto& h : t.harms) harms.push_back(Str(CriterionLabelNl(h)));
    for (auto& x : t.exclusions) excl.push_back(Str(CriterionLabelNl(x)));
    o.set("harms", harms);
    o.set("has_harms", !t.harms.empty());
    o.set("exclusions", excl);
    o.set("has_exclusions", !t.exclusions.empty());
    SetIf(o, "referral", t.referral.empty() ? std::string() : std::string(CriterionLabelNl(t.referral)));
    SetIf(o, "notes", t.notes);
    o.set("passes", YesNo(PassesDefinitionTest(t)));
    d.set("definition_test", o);
  }
  if (v.weighing_visible && c.weighing) {
    Data o;
    Data crit(Data::type::list);
    for (auto k : kWeighingCriteria) {
      Data row;
      row.set("label", std::string(CriterionLabelNl(k)));
      auto it = c.weighing->findings.find(std::string(k));
      row.set("met", it != c.weighing->findings.end() ? YesNo(it->second.met) : std::string("-"));
      row.set("reasoning", it != c.weighing->findings.end() ? it->second.reasoning : std::string());
      crit.push_back(row);
    }
    o.set("criteria", crit);
    o.set("expected_end", DateOrEmpty(c.weighing->expected_end));
    d.set("weighing", o);
  }
  if (v.weighing_visible && !c.reviews.empty()) {
    Data list(Data::type::list);
    for (auto& r : c.reviews) {
      Data o;
      o.set("at", FormatInstantNl(r.at));
      o.set("by", r.by_coordinator ? std::string("Coördinator") : ReviewerName(w, r.reviewer_person_id));
      o.set("agrees", YesNo(r.agrees));
      SetIf(o, "opinion", r.opinion);
      list.push_back(o);
    }
    d.set("reviews", list);
    d.set("has_reviews", true);
  }
  if ((v.weighing_visible || v.outcome_visible) && c.advice) {
    Data o;
    o.set("at", FormatInstantNl(c.advice->at));
    o.set("is_suspected_wrongdoing", YesNo(c.advice->is_suspected_wrongdoing));
    o.set("investigate_now", YesNo(c.advice->investigate_now));
    o.set("reasoning", c.advice->reasoning);
    d.set("advice", o);
  }
  if (v.outcome_visible && c.decision) {
    Data o;
    o.set("at", FormatInstantNl(c.decision->at));
    o.set("adopts_advice", YesNo(c.decision->adopts_advice));
    SetIf(o, "deviation_reasons", c.decision->deviation_reasons);
    o.set("investigate", YesNo(c.decision->investigate));
    SetIf(o, "notes", c.decision->notes);
    d.set("decision", o);
  }

  // Next steps, one form each.
  Data steps(Data::type::list);
  for (CaseAction a : v.next_steps) {
    const char* slug = SlugOf(a);
    if (!slug) continue;
    Data o;
    o.set("slug", slug);
    o.set("label", std::string(app::CaseActionLabelNl(a)));
    o.set("url", Cat(url, "/", slug));
    o.set("version", std::to_string(c.version));
    o.set("csrf", ctx.session.csrf_token);
    o.set(Cat("is_", slug), true);
    // A refused step keeps what was typed in it.
    const Form* f = error_step == slug ? posted : nullptr;
    if (error_step == slug && !error.empty()) o.set("error", error);
    if (f) o.set("p", PostedValues(*f));
    switch (a) {
      case CaseAction::kStaff: {
        auto sugg = w.s.lmm.SuggestAdvisors(ctx.actor, c.id);
        Data rep(Data::type::list), weigh(Data::type::list);
        if (sugg.ok()) {
          // Pre-select: the adopted-unit VPI as the reporter's VPI, the next
          // eligible one as the weighing VPI.
          Id pre_rep = 0, pre_weigh = 0;
          if (f) {
            pre_rep = std::atoll(FormValue(*f, "reporter_advisor_id").c_str());
            pre_weigh = std::atoll(FormValue(*f, "weighing_advisor_id").c_str());
          }
          for (auto& sg : *sugg)
            if (sg.eligible && sg.adopted_unit && !pre_rep && !f) pre_rep = sg.person.id;
          for (auto& sg : *sugg)
            if (sg.eligible && !pre_rep) pre_rep = sg.person.id;
          for (auto& sg : *sugg)
            if (sg.eligible && sg.person.id != pre_rep && !pre_weigh) pre_weigh = sg.person.id;
          for (auto& sg : *sugg) {
            std::string label = sg.person.name;
            if (sg.adopted_unit) label += " (geadopteerde eenheid)";
            if (!sg.eligible) label += Cat(" - niet beschikbaar: ", sg.reason);
            for (int which = 0; which < 2; ++which) {
              Data opt;
              opt.set("id", std::to_string(sg.person.id));
              opt.set("label", label);
              opt.set("disabled", !sg.eligible);
              opt.set("selected", sg.person.id == (which == 0 ? pre_rep : pre_weigh));
              (which == 0 ? rep : weigh).push_back(opt);
            }
          }
        }
        o.set("reporter_advisors", rep);
        o.set("weighing_advisors", weigh);
        break;
      }
      case CaseAction::kRecordDefinitionTest:
      {
        Data harms = KeyLabels(kMisstandHarms, &CriterionLabelNl);
        Data exclusions = KeyLabels(kExclusions, &CriterionLabelNl);
        Data referrals = KeyLabels(kReferrals, &CriterionLabelNl);
        MarkPosted(harms, f, "harm", "checked");
        MarkPosted(exclusions, f, "exclusion", "checked");
        MarkPosted(referrals, f, "referral", "selected");
        o.set("harms", harms);
        o.set("exclusions", exclusions);
        o.set("referrals", referrals);
        break;
      }
      case CaseAction::kRecordWeighing: {
        Data criteria(Data::type::list);
        for (auto k : kWeighingCriteria) {
          Data row;
          row.set("key", std::string(k));
          row.set("label", std::string(CriterionLabelNl(k)));
          if (f) {
            const std::string met = FormValue(*f, Cat("met_", k));
            row.set("met_ja", met == "ja");
            row.set("met_nee", met == "nee");
            row.set("posted_reasoning", FormValue(*f, Cat("reasoning_", k)));
          }
          criteria.push_back(row);
        }
        o.set("criteria", criteria);
        break;
      }
      case CaseAction::kInviteReviewer: {
        Data list(Data::type::list);
        (void)w.s.store.Transact([&](StoreTx& tx) -> absl::Status {
          for (auto& p : tx.ListAdvisors()) {
            if (p.id == ctx.actor.person_id) continue;
            if (c.reporter_advisor_id == p.id || c.weighing_advisor_id == p.id) continue;
            if (std::find(c.reviewer_ids.begin(), c.reviewer_ids.end(), p.id) != c.reviewer_ids.end()) continue;
            Data opt;
            opt.set("id", std::to_string(p.id));
            opt.set("label", p.name);
            opt.set("selected", f && FormValue(*f, "reviewer_id") == std::to_string(p.id));
            list.push_back(opt);
          }
          return absl::OkStatus();
        });
        o.set("reviewers", list);
        break;
      }
      case CaseAction::kRecordProtection: {
        Data kinds = KeyLabels(app::kProtectionKinds, &app::ProtectionKindLabelNl);
        MarkPosted(kinds, f, "kind", "selected");
        o.set("kinds", kinds);
        break;
      }
      default:
        break;
    }
    steps.push_back(o);
  }
  d.set("has_steps", !v.next_steps.empty());
  d.set("steps", steps);

  Data log(Data::type::list);
  for (auto& e : v.access_log) {
    Data o;
    o.set("at", FormatInstantNl(e.at));
    o.set("actor", e.actor);
    o.set("action", e.action);
    log.push_back(o);
  }
  d.set("has_access_log", !v.access_log.empty());
  d.set("access_log", log);

  AddCaseChannelData(w, req, ctx, c, d);

  // Hand-over to VIK triage (coordinator, once staffed): the service checks
  // again. The signal carries nothing of the report but its reference.
  if (w.s.track_cases && ctx.actor.Has(Role::kCoordinator) && c.state != LmmState::kRegistered) {
    Data o;
    o.set("url", Cat(url, "/", kVikSignalSlug));
    o.set("csrf", ctx.session.csrf_token);
    if (error_step == kVikSignalSlug) {
      if (!error.empty()) o.set("error", error);
      if (posted) o.set("p", PostedValues(*posted));
    }
    Data subjects(Data::type::list);
    bool has_subjects = false;
    for (const auto& p : v.parties) {
      if (std::find(c.subject_person_ids.begin(), c.subject_person_ids.end(), p.person_id) ==
          c.subject_person_ids.end())
        continue;
      Data opt;
      opt.set("id", std::to_string(p.person_id));
      opt.set("name", p.name);
      opt.set("selected", posted && error_step == kVikSignalSlug &&
                              FormValue(*posted, "subject_id") == std::to_string(p.person_id));
      subjects.push_back(opt);
      has_subjects = true;
    }
    o.set("subjects", subjects);
    o.set("has_subjects", has_subjects);
    d.set("vik_signal", o);
  }

  // The track drawn by the server (workflows/tracks/lmm.yaml), with the
  // case's current step marked.
  if (w.s.tracks) {
    if (const auto* track = w.s.tracks->Find("lmm")) {
      d.set("flow_chart", workflow::RenderFlowChart(*track, std::string(LmmStateName(c.state))));
      d.set("track_name", track->name);
    }
  }

  FieldErrors errs;
  if (!error.empty()) errs.push_back({error_step.empty() ? "" : Cat("stap-", error_step), error});
  AddErrors(d, errs);
  return HtmlPage(w, req, &ctx, status, "case", Cat(c.reference, " - ", c.summary), std::move(d));
}

namespace {

// Applies one step from its form; returns the service status.
absl::Status ApplyStep(const Web& w, const app::AuthContext& ctx, Id id, CaseAction a, const Form& f) {
  const Actor& actor = ctx.actor;
  auto version = ParseInt(FormValue(f, "version"));
  if (!version && a != CaseAction::kRecordProtection)
    return absl::InvalidArgumentError("Het formulier mist de versie van de melding. Laad de pagina opnieuw.");
  auto date_field = [&](const std::string& name, std::optional<Date>& out) -> absl::Status {
    std::string v = FormValue(f, name);
    if (v.empty()) return absl::OkStatus();
    out = ParseDate(v);
    if (!out) return absl::InvalidArgumentError("Vul de datum in als dd-mm-jjjj.");
    return absl::OkStatus();
  };
  switch (a) {
    case CaseAction::kStaff: {
      auto rep = ParseInt(FormValue(f, "reporter_advisor_id"));
      auto weigh = ParseInt(FormValue(f, "weighing_advisor_id"));
      if (!rep || !weigh) return absl::InvalidArgumentError("Kies de VPI van de melder en de wegende VPI.");
      return w.s.lmm.Staff(actor, id, *version, *rep, *weigh);
    }
    case CaseAction::kRecordDefinitionTest: {
      DefinitionTest t;
      t.reasonable_grounds = FormBool(f, "reasonable_grounds");
      t.public_interest = FormBool(f, "public_interest");
      t.light_violation = FormBool(f, "light_violation");
      t.systematic_or_sensitive = FormBool(f, "systematic_or_sensitive");
      for (auto& h : FormValues(f, "harm")) t.harms.insert(h);
      for (auto& x : FormValues(f, "exclusion")) t.exclusions.insert(x);
      t.referral = FormValue(f, "referral");
      t.notes = FormValue(f, "notes");
      return w.s.lmm.RecordDefinitionTest(actor, id, *version, t);
    }
    case CaseAction::kRecordWeighing: {
      Weighing wg;
      for (auto k : kWeighingCriteria) {
        std::string key(k);
        Finding fi;
        fi.met = FormValue(f, "met_" + key) == "ja";
        fi.reasoning = FormValue(f, "reasoning_" + key);
        wg.findings[key] = fi;
      }
      if (auto st = date_field("expected_end", wg.expected_end); !st.ok()) return st;
      return w.s.lmm.RecordWeighing(actor, id, *version, wg);
    }
    case CaseAction::kInviteReviewer: {
      auto r = ParseInt(FormValue(f, "reviewer_id"));
      if (!r) return absl::InvalidArgumentError("Kies een collega.");
      return w.s.lmm.InviteReviewer(actor, id, *version, *r);
    }
    case CaseAction::kReview:
      return w.s.lmm.AddReview(actor, id, *version, FormValue(f, "agrees") == "ja", FormValue(f, "opinion"));
    case CaseAction::kAdvise: {
      Advice adv;
      adv.is_suspected_wrongdoing = FormValue(f, "is_suspected_wrongdoing") == "ja";
      adv.investigate_now = FormValue(f, "investigate_now") == "ja";
      adv.reasoning = FormValue(f, "reasoning");
      return w.s.lmm.Advise(actor, id, *version, adv);
    }
    case CaseAction::kDecide: {
      AuthorityDecision dec;
      dec.adopts_advice = FormValue(f, "adopts_advice") != "nee";
      dec.deviation_reasons = FormValue(f, "deviation_reasons");
      dec.investigate = FormValue(f, "investigate") == "ja";
      dec.notes = FormValue(f, "notes");
      return w.s.lmm.Decide(actor, id, *version, dec);
    }
    case CaseAction::kAcknowledge: {
      std::optional<Date> on;
      if (auto st = date_field("on", on); !st.ok()) return st;
      return w.s.lmm.Acknowledge(actor, id, *version, on);
    }
    case CaseAction::kRecordFeedback: {
      std::optional<Date> on;
      if (auto st = date_field("on", on); !st.ok()) return st;
      return w.s.lmm.RecordFeedback(actor, id, *version, on, FormValue(f, "text"));
    }
    case CaseAction::kRecordProtection: {
      std::optional<Date> on;
      if (auto st = date_field("on", on); !st.ok()) return st;
      return w.s.lmm.RecordProtection(actor, id, FormValue(f, "kind"), on, FormValue(f, "text"));
    }
    case CaseAction::kClose:
      return w.s.lmm.Close(actor, id, *version, FormValue(f, "reason"));
    default:
      return absl::NotFoundError("Deze stap bestaat niet.");
  }
}

// ---------------------------------------------------------------- new report


HttpResponse NewReportPage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, int status,
                           const Form& values, const FieldErrors& errors) {
  const Actor& a = ctx.actor;
  Data d;
  d.set("csrf", ctx.session.csrf_token);
  const bool on_behalf = a.IsAdvisor();
  d.set("on_behalf", on_behalf);
  std::string channel = FormValue(values, "kanaal");
  Data channels(Data::type::list);
  std::vector<std::string_view> allowed;
  if (a.Has(Role::kEmployee) || !on_behalf) allowed.push_back("online");
  if (on_behalf) {
    allowed.push_back("conversation");
    allowed.push_back("mailbox");
  }
  if (channel.empty() && !allowed.empty()) channel = std::string(on_behalf ? "conversation" : "online");
  for (auto ch : allowed) {
    Data o;
    o.set("key", std::string(ch));
    o.set("label", std::string(IntakeChannelLabelNl(ch)));
    o.set("selected", ch == channel);
    channels.push_back(o);
  }
  d.set("channels", channels);
  const std::string category = FormValue(values, "categorie");
  Data cats(Data::type::list);
  for (auto k : kReporterCategories) {
    Data o;
    o.set("key", std::string(k));
    o.set("label", std::string(ReporterCategoryLabelNl(k)));
    o.set("selected", k == category);
    cats.push_back(o);
  }
  d.set("categories", cats);
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
  for (const char* k : {"samenvatting", "beschrijving", "betrokkenen", "naam_melder", "contact_melder",
                        "ontvangen_op"})
    d.set(k, FormValue(values, k));

  // People search for subjects (GET ?zoek=...), selectable as checkboxes.
  const std::string zoek = req.Query("zoek");
  d.set("zoek", zoek);
  std::vector<std::string> chosen = FormValues(values, "betrokkene");
  Data people(Data::type::list);
  if (zoek.size() >= 2) {
    (void)w.s.store.Transact([&](StoreTx& tx) -> absl::Status {
      for (auto& p : tx.FindPeople(zoek, 20)) {
        Data o;
        o.set("id", std::to_string(p.id));
        o.set("label", p.position.empty() ? p.name : Cat(p.name, " (", p.position, ")"));
        people.push_back(o);
      }
      return absl::OkStatus();
    });
    d.set("searched", true);
  }
  for (auto& id : chosen) {
    Data o;
    o.set("id", id);
    o.set("label", Cat("Persoon ", id));
    o.set("checked", true);
    people.push_back(o);
  }
  d.set("people", people);

  FieldErrors errs = errors;
  AddErrors(d, errs);
  for (auto& [field, msg] : errs)
    if (!field.empty()) d.set("error_" + field, msg);
  return HtmlPage(w, req, &ctx, status, "case_new", w.r->T(Lang(req), "new_case_title"), std::move(d));
}

HttpResponse PostNewReport(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  Form f = http::ParseForm(req.body);
  if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok()) return ErrorPage(w, req, &ctx, st);
  const std::string lang = Lang(req);
  app::NewReport r;
  FieldErrors errs;
  r.channel = FormValue(f, "kanaal");
  r.reporter_category = FormValue(f, "categorie");
  r.summary = FormValue(f, "samenvatting");
  r.description = FormValue(f, "beschrijving");
  if (r.channel.empty()) errs.push_back({"kanaal", w.r->T(lang, "new_error_channel")});
  if (r.reporter_category.empty()) errs.push_back({"categorie", w.r->T(lang, "new_error_category")});
  if (r.summary.find_first_not_of(" \t\r\n") == std::string::npos)
    errs.push_back({"samenvatting", w.r->T(lang, "new_error_summary")});
  if (r.description.find_first_not_of(" \t\r\n") == std::string::npos)
    errs.push_back({"beschrijving", w.r->T(lang, "new_error_description")});
  if (auto u = ParseInt(FormValue(f, "eenheid")); u && *u > 0) r.unit_id = *u;
  else errs.push_back({"eenheid", w.r->T(lang, "new_error_unit")});
  std::vector<std::string> ids = FormValues(f, "betrokkene");
  {
    std::string list = FormValue(f, "betrokkenen");
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      std::string part = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      part.erase(0, part.find_first_not_of(" \t"));
      part.erase(part.find_last_not_of(" \t") + 1);
      if (!part.empty()) ids.push_back(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  for (auto& s : ids) {
    auto v = ParseInt(s);
    if (!v || *v <= 0) {
      errs.push_back({"betrokkenen", w.r->T(lang, "new_error_subjects")});
      break;
    }
    if (std::find(r.subject_person_ids.begin(), r.subject_person_ids.end(), *v) == r.subject_person_ids.end())
      r.subject_person_ids.push_back(*v);
  }
  if (ctx.actor.IsAdvisor() && r.channel != "online") {
    r.reporter_name = FormValue(f, "naam_melder");
    r.reporter_contact = FormValue(f, "contact_melder");
    std::string on = FormValue(f, "ontvangen_op");
    if (!on.empty()) {
      r.received_on = ParseDate(on);
      if (!r.received_on) errs.push_back({"ontvangen_op", w.r->T(lang, "error_date")});
    }
  }
  if (!errs.empty()) return NewReportPage(w, req, ctx, 422, f, errs);
  auto refused = [&](const absl::Status& st) {
    int status = http::HttpStatusOf(st);
    if (status == 401) return Redirect("/inloggen");
    return NewReportPage(w, req, ctx, status, f, {{"", status >= 500 ? w.r->T(lang, "error_500_text") : Msg(st)}});
  };
  // A report a VPI takes by phone or in person: the reporter gets a receipt
  // to return with, handed over now and replaced on first use.
  if (ctx.actor.IsAdvisor() && r.channel != "online") {
    auto res = w.s.channel.RegisterOnBehalf(ctx.actor, r);
    if (!res.ok()) return refused(res.status());
    Data d;
    d.set("receipt", res->receipt);
    d.set("reference", res->reference);
    d.set("on_behalf", true);
    d.set("case_url", Cat("/meldingen/", res->case_id));
    return HtmlPage(w, req, &ctx, 201, "report_receipt", w.r->T(lang, "receipt_on_behalf_title"), std::move(d));
  }
  auto id = w.s.lmm.Register(ctx.actor, r);
  if (!id.ok()) return refused(id.status());
  return Redirect(Cat("/meldingen/", *id));
}

}  // namespace

Data CaseRows(std::vector<app::CaseListItem> items, Date today) {
  std::stable_sort(items.begin(), items.end(), [](const app::CaseListItem& a, const app::CaseListItem& b) {
    if (a.nearest.has_value() != b.nearest.has_value()) return a.nearest.has_value();
    if (!a.nearest) return false;
    return std::chrono::sys_days(a.nearest->due) < std::chrono::sys_days(b.nearest->due);
  });
  Data rows(Data::type::list);
  for (auto& it : items) {
    Data o;
    o.set("id", std::to_string(it.summary.id));
    o.set("reference", it.summary.reference);
    o.set("summary", it.summary.summary);
    o.set("unit", it.unit_name);
    o.set("state", std::string(LmmStateLabelNl(it.summary.state)));
    o.set("received", FormatDateNl(it.summary.received_on));
    if (it.nearest) {
      o.set("deadline_label", it.nearest->label);
      o.set("deadline_due", FormatDateNl(it.nearest->due));
    }
    o.set("overdue", it.overdue || (it.nearest && it.nearest->OverdueOn(today)));
    rows.push_back(o);
  }
  return rows;
}

void AddCaseRoutes(const Web& w, std::vector<http::Route>& out) {
  out.push_back({"GET", "/meldingen", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   CaseListQuery q;
                   q.open_only = req.Query("alle") != "1";
                   q.limit = 200;
                   auto list = w.s.lmm.List(ctx.actor, q);
                   if (!list.ok()) return ErrorPage(w, req, &ctx, list.status());
                   Data d;
                   d.set("cases", CaseRows(*list, w.s.lmm.Today()));
                   d.set("has_cases", !list->empty());
                   d.set("open_only", q.open_only);
                   d.set("can_register", ctx.actor.Has(Role::kEmployee) || ctx.actor.IsAdvisor());
                   return HtmlPage(w, req, &ctx, 200, "case_list", w.r->T(Lang(req), "cases_title"), std::move(d));
                 })});

  out.push_back({"GET", "/meldingen/nieuw", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   Form values;
                   // Keep ticked subjects across a people search (GET form).
                   for (auto& [k, v] : req.query)
                     if (k == "betrokkene" || k == "samenvatting" || k == "kanaal" || k == "categorie" ||
                         k == "eenheid")
                       values.emplace(k, v);
                   return NewReportPage(w, req, ctx, 200, values, {});
                 })});

  out.push_back({"POST", "/meldingen", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return PostNewReport(w, req, ctx);
                 })});

  out.push_back({"GET", "/meldingen/:id(\\d+)", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   Id id = RouteId(req);
                   if (!id) return ErrorPage(w, req, &ctx, absl::NotFoundError("Deze melding bestaat niet."));
                   return CasePage(w, req, ctx, id);
                 })});

  out.push_back({"POST", "/meldingen/:id(\\d+)/:step([a-z-]+)",
                 Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   Id id = RouteId(req);
                   auto step_it = req.route.find("step");
                   std::string slug = step_it == req.route.end() ? "" : step_it->second;
                   if (id && slug == kVikSignalSlug && w.s.track_cases) {
                     Form f = http::ParseForm(req.body);
                     if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok())
                       return ErrorPage(w, req, &ctx, st);
                     app::LmmSignal signal{.lmm_case_id = id, .summary = FormValue(f, "summary")};
                     if (auto subject = ParseInt(FormValue(f, "subject_id"))) signal.subject_person = *subject;
                     auto made = w.s.track_cases->HandOverFromLmm(ctx.actor, signal);
                     if (made.ok()) return Redirect(Cat("/meldingen/", id));
                     int status = http::HttpStatusOf(made.status());
                     if (status == 401) return Redirect("/inloggen");
                     if (status == 404 || status >= 500) return ErrorPage(w, req, &ctx, made.status());
                     return CasePage(w, req, ctx, id, status, slug, Msg(made.status()), &f);
                   }
                   auto action = ActionOfSlug(slug);
                   if (!id || !action)
                     return ErrorPage(w, req, &ctx, absl::NotFoundError("Deze stap bestaat niet."));
                   Form f = http::ParseForm(req.body);
                   if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok())
                     return ErrorPage(w, req, &ctx, st);
                   absl::Status st = ApplyStep(w, ctx, id, *action, f);
                   if (st.ok()) return Redirect(Cat("/meldingen/", id));
                   int status = http::HttpStatusOf(st);
                   if (status == 401) return Redirect("/inloggen");
                   if (status == 404 || status >= 500) return ErrorPage(w, req, &ctx, st);
                   return CasePage(w, req, ctx, id, status, slug, Msg(st), &f);
                 })});
}

}  // namespace waarborg::web
