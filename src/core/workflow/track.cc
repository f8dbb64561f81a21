#include "core/workflow/track.h"

#include <algorithm>
#include <deque>
#include <set>

#include "core/common/status.h"
#include "core/org/org.h"

namespace waarborg::workflow {

namespace {

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// snake_case: a lower-case letter, then lower-case letters, digits, '_'.
bool IsId(std::string_view s) {
  if (s.empty() || s.front() < 'a' || s.front() > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

Date Add(Date d, int n, DeadlineUnit u, const calendar::HolidayOptions& opts) {
  switch (u) {
    case DeadlineUnit::kCalendarDays: return calendar::AddDays(d, n);
    case DeadlineUnit::kWorkingDays: return calendar::AddWorkingDays(d, n, opts);
    case DeadlineUnit::kWeeks: return calendar::AddDays(d, 7 * n);
    case DeadlineUnit::kMonths: return calendar::AddMonthsClamped(d, n);
  }
  return d;
}

bool After(Date a, Date b) { return std::chrono::sys_days(a) > std::chrono::sys_days(b); }

// Breadth-first search over state-changing transitions, neighbours in file
// order. Returns the parent of each reached state ("" for the start).
std::map<std::string, std::string> Bfs(const TrackDefinition& def, const std::string& start) {
  std::map<std::string, std::string> parent;
  if (!def.FindState(start)) return parent;
  parent[start] = "";
  std::deque<std::string> queue{start};
  while (!queue.empty()) {
    std::string cur = queue.front();
    queue.pop_front();
    for (const auto& t : def.transitions) {
      if (t.Stays() || !Contains(t.from, cur) || !def.FindState(t.to)) continue;
      if (parent.count(t.to)) continue;
      parent[t.to] = cur;
      queue.push_back(t.to);
    }
  }
  return parent;
}

std::vector<std::string> PathTo(const std::map<std::string, std::string>& parent, const std::string& to) {
  std::vector<std::string> path;
  for (std::string cur = to; !cur.empty(); cur = parent.at(cur)) path.push_back(cur);
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace

std::string_view DeadlineUnitName(DeadlineUnit u) {
  switch (u) {
    case DeadlineUnit::kCalendarDays: return "calendar_days";
    case DeadlineUnit::kWorkingDays: return "working_days";
    case DeadlineUnit::kWeeks: return "weeks";
    case DeadlineUnit::kMonths: return "months";
  }
  return "calendar_days";
}

std::optional<DeadlineUnit> ParseDeadlineUnit(std::string_view s) {
  for (auto u : {DeadlineUnit::kCalendarDays, DeadlineUnit::kWorkingDays, DeadlineUnit::kWeeks,
                 DeadlineUnit::kMonths}) {
    if (DeadlineUnitName(u) == s) return u;
  }
  return std::nullopt;
}

std::string_view DeadlineUnitLabelNl(DeadlineUnit u) {
  switch (u) {
    case DeadlineUnit::kCalendarDays: return "kalenderdagen";
    case DeadlineUnit::kWorkingDays: return "werkdagen";
    case DeadlineUnit::kWeeks: return "weken";
    case DeadlineUnit::kMonths: return "maanden";
  }
  return "";
}

std::string AmountLabelNl(int n, DeadlineUnit u) {
  if (n != 1) return Cat(n, " ", DeadlineUnitLabelNl(u));
  switch (u) {
    case DeadlineUnit::kCalendarDays: return "1 kalenderdag";
    case DeadlineUnit::kWorkingDays: return "1 werkdag";
    case DeadlineUnit::kWeeks: return "1 week";
    case DeadlineUnit::kMonths: return "1 maand";
  }
  return Cat(n);
}

const StateDef* TrackDefinition::FindState(std::string_view id) const {
  for (const auto& s : states)
    if (s.id == id) return &s;
  return nullptr;
}

const FieldDef* TrackDefinition::FindField(std::string_view id) const {
  for (const auto& f : fields)
    if (f.id == id) return &f;
  return nullptr;
}

std::string_view FieldTypeName(FieldType t) {
  switch (t) {
    case FieldType::kText: return "text";
    case FieldType::kTextarea: return "textarea";
    case FieldType::kDate: return "date";
    case FieldType::kYesNo: return "yesno";
    case FieldType::kChoice: return "choice";
    case FieldType::kPerson: return "person";
  }
  return "text";
}

std::optional<FieldType> ParseFieldType(std::string_view s) {
  for (FieldType t : {FieldType::kText, FieldType::kTextarea, FieldType::kDate, FieldType::kYesNo,
                      FieldType::kChoice, FieldType::kPerson})
    if (FieldTypeName(t) == s) return t;
  return std::nullopt;
}

const DeadlineRule* TrackDefinition::FindDeadline(std::string_view id) const {
  for (const auto& d : deadlines)
    if (d.id == id) return &d;
  return nullptr;
}

const StateDef* TrackDefinition::InitialState() const {
  for (const auto& s : states)
    if (s.initial) return &s;
  return nullptr;
}

const NormDef* TrackDefinition::FindNorm(std::string_view id) const {
  for (const auto& n : norms)
    if (n.id == id) return &n;
  return nullptr;
}

std::optional<NormBound> ParseNormBound(std::string_view s) {
  if (s == "minimum") return NormBound::kMinimum;
  if (s == "maximum") return NormBound::kMaximum;
  return std::nullopt;
}

bool TrackDefinition::HasAction(std::string_view action) const {
  return std::any_of(transitions.begin(), transitions.end(),
                     [&](const TransitionDef& t) { return t.action == action; });
}

bool IsReservedAction(std::string_view action) {
  return action == kDeadlineExtendedAction || action == kDeadlineSuspendedAction || action == kReviewHeldAction;
}

const GuardRegistry& StandardGuards() {
  static const GuardRegistry* const kGuards = new GuardRegistry{{
      // LMM (core/workflow/lmm_track.cc, core/access/access.h)
      {"advisors_eligible", "Beide VPI's mogen volgens de functiescheiding op deze melding."},
      {"passes_definition_test", "De melding valt onder de definitie van een vermoeden van een misstand."},
      {"fails_definition_test", "De melding valt niet onder de definitie en wordt doorverwezen."},
      {"weighing_complete", "Alle vier criteria van de weging zijn onderbouwd vastgelegd, met de verwachte einddatum."},
      {"coordinator_reviewed", "De coördinator heeft de weging collegiaal getoetst, of is zelf een van de twee VPI's."},
      {"other_vpi_reviewed", "Een andere VPI dan de VPI van de melder heeft de weging collegiaal getoetst."},
      {"decision_investigate", "Het bevoegd gezag besluit tot onderzoek."},
      {"decision_no_investigation", "Het bevoegd gezag besluit geen onderzoek te laten doen."},
      {"not_acknowledged", "De ontvangst is nog niet bevestigd."},
      {"acknowledged", "De ontvangst is bevestigd."},
      // Vertrouwenswerk
      {"complainant_consent", "De klager heeft ingestemd met wat wordt doorgegeven."},
      {"counsellor_not_outranked", "Er is geen machtsverschil met de VP, of de klager heeft een andere VP aangeboden gekregen."},
      // Klachtencommissie
      {"chair_from_other_unit", "De voorzitter komt uit een andere eenheid dan de klacht."},
      {"complaint_admissible", "De klacht is ontvankelijk verklaard."},
      {"complaint_inadmissible", "De klacht is niet-ontvankelijk verklaard."},
      {"both_sides_heard", "Beide partijen zijn in besloten zitting gehoord."},
      // VIK
      {"triage_criteria_recorded", "Elk triagecriterium is vastgelegd."},
      {"reasons_recorded", "De redenen zijn vastgelegd."},
      {"investigator_not_criminal_on_same_matter", "De onderzoeker behandelt dezelfde zaak niet strafrechtelijk."},
      {"care_manager_not_conflicted", "De zorgverlenende leidinggevende heeft geen rol in de zaak."},
      {"notice_not_before_day_off", "De aanzegging valt niet op de laatste werkdag voor een weekend of feestdag, of de reden is vastgelegd."},
      {"preparation_time_respected", "De betrokkene had de minimale voorbereidingstijd voor het hoorgesprek."},
      {"penalty_from_barp_list", "De straf staat op de BARP-lijst, of het is een leermaatregel."},
  }};
  return *kGuards;
}

const std::vector<std::string>& KnownRoleNames() {
  static const std::vector<std::string>* const kRoles = [] {
    auto* v = new std::vector<std::string>;
    for (Role r : AllRoles()) v->emplace_back(RoleName(r));
    // DOMAIN §1 roles the later tracks use; not yet core Roles.
    for (const char* r : {"counsellor", "central_counsellor", "committee_member", "committee_chair",
                          "triage_officer", "investigator", "vik_team_chief", "manager",
                          "prevention_coordinator", "monitoring_analyst", "privacy_officer"}) {
      if (!Contains(*v, r)) v->emplace_back(r);
    }
    return v;
  }();
  return *kRoles;
}

// --- validation ---

std::vector<TrackError> ValidateTrack(const TrackDefinition& def, const GuardRegistry& guards) {
  std::vector<TrackError> errs;
  auto err = [&](int line, std::string msg) { errs.push_back({line, std::move(msg)}); };
  const auto& roles = KnownRoleNames();

  if (!IsId(def.id)) err(def.line, Cat("traject-id '", def.id, "' is leeg of geen snake_case"));
  if (Blank(def.name)) err(def.line, "traject heeft geen naam");
  if (Blank(def.description)) err(def.line, "traject heeft geen beschrijving voor melders");

  // States.
  std::set<std::string> seen;
  const StateDef* initial = nullptr;
  if (def.states.empty()) err(def.line, "traject heeft geen statussen");
  for (const auto& s : def.states) {
    if (!IsId(s.id)) err(s.line, Cat("status-id '", s.id, "' is leeg of geen snake_case"));
    if (!seen.insert(s.id).second) err(s.line, Cat("status '", s.id, "' komt twee keer voor"));
    if (Blank(s.label)) err(s.line, Cat("status '", s.id, "' heeft geen label"));
    if (Blank(s.reporter_text)) err(s.line, Cat("status '", s.id, "' heeft geen reporter_text voor de melder"));
    if (s.initial && s.terminal) err(s.line, Cat("status '", s.id, "' is zowel begin- als eindstatus"));
    if (s.initial) {
      if (initial)
        err(s.line, Cat("meer dan één beginstatus: '", initial->id, "' en '", s.id, "'"));
      else
        initial = &s;
    }
  }
  if (!def.states.empty() && !initial) err(def.line, "traject heeft geen beginstatus (initial: true)");
  if (!def.states.empty() &&
      std::none_of(def.states.begin(), def.states.end(), [](const StateDef& s) { return s.terminal; }))
    err(def.line, "traject heeft geen eindstatus (terminal: true)");

  // Fields and readers.
  std::set<std::string> field_ids;
  for (const auto& f : def.fields) {
    if (!IsId(f.id)) err(f.line, Cat("veld-id '", f.id, "' is leeg of geen snake_case"));
    if (!field_ids.insert(f.id).second) err(f.line, Cat("veld '", f.id, "' komt twee keer voor"));
    if (Blank(f.label)) err(f.line, Cat("veld '", f.id, "' heeft geen label"));
    if (f.type == FieldType::kChoice && f.options.empty())
      err(f.line, Cat("keuzeveld '", f.id, "' heeft geen opties"));
    if (f.type != FieldType::kChoice && !f.options.empty())
      err(f.line, Cat("veld '", f.id, "' heeft opties maar is geen keuzeveld"));
    std::set<std::string> keys;
    for (const auto& o : f.options) {
      if (!IsId(o.key) || Blank(o.label)) err(f.line, Cat("veld '", f.id, "': optie '", o.key, "' zonder geldige sleutel of label"));
      if (!keys.insert(o.key).second) err(f.line, Cat("veld '", f.id, "': optie '", o.key, "' staat er twee keer"));
    }
  }
  for (const auto& r : def.readers)
    if (!Contains(roles, r)) err(def.line, Cat("traject noemt onbekende lezersrol '", r, "'"));

  // Transitions.
  if (def.transitions.empty()) err(def.line, "traject heeft geen overgangen");
  for (const auto& t : def.transitions) {
    const std::string& a = t.action;
    if (!IsId(a)) err(t.line, Cat("actie-id '", a, "' is leeg of geen snake_case"));
    if (IsReservedAction(a))
      err(t.line, Cat("actie-id '", a, "' is voorbehouden aan Waarborg zelf (verlengen of opschorten van een ",
                      "termijn, een gehouden evaluatiemoment); kies een andere naam"));
    if (t.from.empty()) err(t.line, Cat("overgang '", a, "' heeft geen vanaf-status (from)"));
    for (const auto& f : t.from) {
      const StateDef* s = def.FindState(f);
      if (!s) {
        err(t.line, Cat("overgang '", a, "' vertrekt uit onbekende status '", f, "'"));
      } else if (s->terminal && !t.Stays() && t.to != f) {
        err(t.line, Cat("eindstatus '", f, "' heeft een uitgaande overgang '", a, "' naar '", t.to, "'"));
      }
    }
    if (!t.Stays() && !def.FindState(t.to))
      err(t.line, Cat("overgang '", a, "' gaat naar onbekende status '", t.to, "'"));
    if (t.roles.empty()) err(t.line, Cat("overgang '", a, "' noemt geen rollen die hem mogen zetten"));
    std::set<std::string> rs;
    for (const auto& r : t.roles) {
      if (!Contains(roles, r)) err(t.line, Cat("overgang '", a, "' noemt onbekende rol '", r, "'"));
      if (!rs.insert(r).second) err(t.line, Cat("overgang '", a, "' noemt rol '", r, "' twee keer"));
    }
    for (const auto& g : t.guards)
      if (!guards.Has(g)) err(t.line, Cat("overgang '", a, "' noemt onbekende voorwaarde (guard) '", g, "'"));
    std::set<std::string> fs;
    for (const auto& f : t.required_fields) {
      if (!IsId(f)) err(t.line, Cat("overgang '", a, "': verplicht veld '", f, "' is leeg of geen snake_case"));
      if (!fs.insert(f).second) err(t.line, Cat("overgang '", a, "': verplicht veld '", f, "' staat er twee keer"));
    }
    if (!def.fields.empty())
      for (const auto& f : t.required_fields)
        if (!def.FindField(f)) err(t.line, Cat("overgang '", a, "' vraagt onbekend veld '", f, "' (niet onder fields)"));
    for (const auto& f : t.optional_fields) {
      if (!def.FindField(f)) err(t.line, Cat("overgang '", a, "' noemt onbekend optioneel veld '", f, "' (niet onder fields)"));
      if (std::find(t.required_fields.begin(), t.required_fields.end(), f) != t.required_fields.end())
        err(t.line, Cat("overgang '", a, "': veld '", f, "' is zowel verplicht als optioneel"));
    }
    for (const auto& c : t.checklist)
      if (Blank(c)) err(t.line, Cat("overgang '", a, "' heeft een leeg checklistpunt"));
    std::set<std::string> froms;
    for (const auto& f : t.from)
      if (!froms.insert(f).second) err(t.line, Cat("overgang '", a, "' noemt status '", f, "' twee keer in from"));
  }
  // Duplicate and ambiguous transitions: same action from the same state.
  for (size_t i = 0; i < def.transitions.size(); ++i) {
    const auto& t = def.transitions[i];
    for (size_t j = 0; j < i; ++j) {
      const auto& u = def.transitions[j];
      if (u.action != t.action) continue;
      for (const auto& f : t.from) {
        if (!Contains(u.from, f)) continue;
        const std::string tt = t.Stays() ? f : t.to, ut = u.Stays() ? f : u.to;
        std::set<std::string> tg(t.guards.begin(), t.guards.end()), ug(u.guards.begin(), u.guards.end());
        if (tt == ut && tg == ug) {
          err(t.line, Cat("overgang '", t.action, "' vanuit '", f, "' naar '", tt, "' komt twee keer voor (ook op regel ", u.line, ")"));
        } else if (tt != ut && (tg.empty() || ug.empty() || tg == ug)) {
          err(t.line, Cat("overgang '", t.action, "' vanuit '", f, "' gaat naar '", ut, "' en naar '", tt,
                          "' zonder onderscheidende voorwaarden (guards)"));
        }
      }
    }
  }

  // Reachability and ways out.
  if (initial) {
    auto reached = Bfs(def, initial->id);
    for (const auto& s : def.states) {
      if (!reached.count(s.id)) {
        err(s.line, Cat("status '", s.id, "' is onbereikbaar vanuit beginstatus '", initial->id, "'"));
        continue;
      }
      if (s.terminal) continue;
      bool way_out = std::any_of(def.transitions.begin(), def.transitions.end(), [&](const TransitionDef& t) {
        return !t.Stays() && t.to != s.id && Contains(t.from, s.id);
      });
      if (!way_out) {
        err(s.line, Cat("status '", s.id, "' is geen eindstatus maar heeft geen uitgaande overgang"));
        continue;
      }
      auto onward = Bfs(def, s.id);
      bool ends = std::any_of(onward.begin(), onward.end(), [&](const auto& kv) {
        const StateDef* st = def.FindState(kv.first);
        return st && st->terminal;
      });
      if (!ends) err(s.line, Cat("vanuit status '", s.id, "' is geen eindstatus bereikbaar"));
    }
  }

  // Main path.
  if (!def.main_path.empty()) {
    const int line = def.main_path_line ? def.main_path_line : def.line;
    if (initial && def.main_path.front() != initial->id)
      err(line, Cat("main_path begint bij '", def.main_path.front(), "', niet bij beginstatus '", initial->id, "'"));
    std::set<std::string> onpath;
    for (size_t i = 0; i < def.main_path.size(); ++i) {
      const std::string& s = def.main_path[i];
      if (!def.FindState(s)) err(line, Cat("main_path noemt onbekende status '", s, "'"));
      if (!onpath.insert(s).second) err(line, Cat("main_path noemt status '", s, "' twee keer"));
      if (i == 0) continue;
      const std::string& prev = def.main_path[i - 1];
      bool linked = std::any_of(def.transitions.begin(), def.transitions.end(), [&](const TransitionDef& t) {
        return t.to == s && Contains(t.from, prev);
      });
      if (!linked) err(line, Cat("main_path: geen overgang van '", prev, "' naar '", s, "'"));
    }
    const StateDef* last = def.FindState(def.main_path.back());
    if (last && !last->terminal)
      err(line, Cat("main_path eindigt bij '", last->id, "', dat is geen eindstatus"));
  }

  // Deadlines.
  std::set<std::string> dl;
  for (const auto& d : def.deadlines) {
    if (!IsId(d.id)) err(d.line, Cat("termijn-id '", d.id, "' is leeg of geen snake_case"));
    if (!dl.insert(d.id).second) err(d.line, Cat("termijn '", d.id, "' komt twee keer voor"));
    if (Blank(d.label)) err(d.line, Cat("termijn '", d.id, "' heeft geen label"));
    if (d.from != kReceivedEvent && !def.HasAction(d.from))
      err(d.line, Cat("termijn '", d.id, "' telt vanaf onbekende gebeurtenis '", d.from,
                      "' (gebruik 'received' of een actie van een overgang)"));
    if (!d.otherwise_from_due_of.empty()) {
      if (d.otherwise_from_due_of == d.id)
        err(d.line, Cat("termijn '", d.id, "' telt terug naar zichzelf (otherwise_from_due_of)"));
      else if (!def.FindDeadline(d.otherwise_from_due_of))
        err(d.line, Cat("termijn '", d.id, "' verwijst naar onbekende termijn '", d.otherwise_from_due_of, "'"));
    }
    if (d.amount <= 0)
      err(d.line, Cat("termijn '", d.id, "' heeft een lengte van ", d.amount, "; die moet groter dan 0 zijn"));
    if (d.met_by.empty())
      err(d.line, Cat("termijn '", d.id, "' zegt niet met welke actie hij is gehaald (met_by)"));
    for (const auto& m : d.met_by)
      if (!def.HasAction(m)) err(d.line, Cat("termijn '", d.id, "' wordt gehaald met onbekende actie '", m, "'"));
    if (d.extension.amount < 0 || d.extension.max_count < 0)
      err(d.line, Cat("termijn '", d.id, "': verlenging met een negatief getal"));
    else if ((d.extension.amount > 0) != (d.extension.max_count > 0))
      err(d.line, Cat("termijn '", d.id, "': een verlenging heeft zowel een lengte als een maximum aantal nodig"));
    if (d.legal && Blank(d.basis))
      err(d.line, Cat("wettelijke termijn '", d.id, "' noemt zijn wettelijke grondslag niet (basis)"));
  }
  // A chain of fallbacks must end.
  for (const auto& d : def.deadlines) {
    const DeadlineRule* cur = &d;
    for (size_t steps = 0; cur && !cur->otherwise_from_due_of.empty(); ++steps) {
      if (steps > def.deadlines.size()) {
        err(d.line, Cat("termijn '", d.id, "': otherwise_from_due_of vormt een kring"));
        break;
      }
      cur = def.FindDeadline(cur->otherwise_from_due_of);
    }
  }

  // Review moments.
  std::set<std::string> rv;
  for (const auto& r : def.reviews) {
    if (!IsId(r.id)) err(r.line, Cat("evaluatiemoment-id '", r.id, "' is leeg of geen snake_case"));
    if (!rv.insert(r.id).second) err(r.line, Cat("evaluatiemoment '", r.id, "' komt twee keer voor"));
    if (Blank(r.label)) err(r.line, Cat("evaluatiemoment '", r.id, "' heeft geen label"));
    if (r.states.empty()) err(r.line, Cat("evaluatiemoment '", r.id, "' noemt geen statussen"));
    for (const auto& s : r.states)
      if (!def.FindState(s)) err(r.line, Cat("evaluatiemoment '", r.id, "' noemt onbekende status '", s, "'"));
    if (r.every <= 0)
      err(r.line, Cat("evaluatiemoment '", r.id, "' heeft een interval van ", r.every, "; dat moet groter dan 0 zijn"));
    for (const auto& ro : r.roles)
      if (!Contains(roles, ro)) err(r.line, Cat("evaluatiemoment '", r.id, "' noemt onbekende rol '", ro, "'"));
  }
  // Norms.
  std::set<std::string> nv;
  for (const auto& n : def.norms) {
    if (!IsId(n.id)) err(n.line, Cat("norm-id '", n.id, "' is leeg of geen snake_case"));
    if (!nv.insert(n.id).second) err(n.line, Cat("norm '", n.id, "' komt twee keer voor"));
    if (Blank(n.label)) err(n.line, Cat("norm '", n.id, "' heeft geen label"));
    if (n.amount <= 0) err(n.line, Cat("norm '", n.id, "' heeft waarde ", n.amount, "; die moet groter dan 0 zijn"));
    if (n.unit != kCountUnit && !ParseDeadlineUnit(n.unit))
      err(n.line, Cat("norm '", n.id, "' heeft onbekende eenheid '", n.unit,
                      "' (calendar_days, working_days, weeks, months of count)"));
    if (n.legal && Blank(n.basis)) err(n.line, Cat("wettelijke norm '", n.id, "' noemt geen grondslag (basis)"));
    if (n.legal && n.bound == NormBound::kNone)
      err(n.line, Cat("wettelijke norm '", n.id, "' zegt niet of hij een minimum of maximum is (bound)"));
  }
  return errs;
}

// --- deadlines ---

Date DueDate(const DeadlineRule& rule, Date start, int suspended_days, int extensions,
             const calendar::HolidayOptions& opts) {
  const int ext = std::clamp(extensions, 0, std::max(0, rule.extension.max_count));
  const int n = rule.amount + ext * std::max(0, rule.extension.amount);
  Date end = Add(start, n, rule.unit, opts);
  if (rule.suspension_allowed && suspended_days > 0) end = calendar::AddDays(end, suspended_days);
  if (rule.algemene_termijnenwet) end = calendar::StatutoryDeadline(end, opts);
  return end;
}

absl::Status CheckExtension(const DeadlineRule& rule, int extensions_so_far) {
  if (rule.extension.max_count <= 0)
    return Conflict(Cat("De termijn '", rule.label, "' kan niet worden verlengd."));
  if (extensions_so_far >= rule.extension.max_count)
    return Conflict(Cat("De termijn '", rule.label, "' is al het maximale aantal keren (",
                        rule.extension.max_count, ") verlengd."));
  return absl::OkStatus();
}

Date NextReview(const ReviewMoment& review, Date last, const calendar::HolidayOptions& opts) {
  return calendar::NextWorkingDayOnOrAfter(Add(last, std::max(1, review.every), review.unit, opts), opts);
}

// --- tightening ---

namespace {

// True when `o` ends later than `b` for some start date in three sample
// years, under either Liberation Day setting, without and with all
// extensions. Used when the two rules count in different units.
bool LaterSomewhere(const DeadlineRule& b, const DeadlineRule& o) {
  const auto first = std::chrono::sys_days(Date{std::chrono::year{2025}, std::chrono::January, std::chrono::day{1}});
  for (bool every_year : {true, false}) {
    calendar::HolidayOptions opts{.liberation_day_every_year = every_year};
    for (int i = 0; i < 3 * 366; ++i) {
      Date s{first + std::chrono::days{i}};
      if (After(DueDate(o, s, 0, 0, opts), DueDate(b, s, 0, 0, opts))) return true;
      if (After(DueDate(o, s, 0, o.extension.max_count, opts), DueDate(b, s, 0, b.extension.max_count, opts)))
        return true;
    }
  }
  return false;
}

std::string Length(int amount, DeadlineUnit u) { return Cat(amount, " ", DeadlineUnitLabelNl(u)); }

}  // namespace

// Legal norms: kept, kept legal, same unit and bound, and moved only the
// stricter way.
static void NormTighteningErrors(const TrackDefinition& base, const TrackDefinition& over, std::vector<TrackError>& errs) {
  for (const auto& b : base.norms) {
    if (!b.legal) continue;
    const NormDef* o = over.FindNorm(b.id);
    if (!o) {
      errs.push_back({over.line, Cat("wettelijke norm '", b.id, "' (", b.label, ") mag niet worden verwijderd")});
      continue;
    }
    auto err = [&](std::string msg) {
      errs.push_back({o->line, Cat("wettelijke norm '", b.id, "' mag niet worden versoepeld: ", msg)});
    };
    if (!o->legal) err("hij blijft wettelijk (legal: true)");
    if (o->unit != b.unit || o->bound != b.bound) err(Cat("dezelfde eenheid (", b.unit, ") en grens blijven"));
    else if (b.bound == NormBound::kMinimum && o->amount < b.amount)
      err(Cat("minimaal ", b.amount, " ", b.unit, ", niet ", o->amount));
    else if (b.bound == NormBound::kMaximum && o->amount > b.amount)
      err(Cat("hoogstens ", b.amount, " ", b.unit, ", niet ", o->amount));
  }
}

std::vector<TrackError> TighteningErrors(const TrackDefinition& base, const TrackDefinition& over) {
  std::vector<TrackError> errs;
  NormTighteningErrors(base, over, errs);
  for (const auto& b : base.deadlines) {
    if (!b.legal) continue;
    const DeadlineRule* o = over.FindDeadline(b.id);
    if (!o) {
      errs.push_back({over.line, Cat("wettelijke termijn '", b.id, "' (", b.label, ") mag niet worden verwijderd")});
      continue;
    }
    auto err = [&](std::string msg) {
      errs.push_back({o->line, Cat("wettelijke termijn '", b.id, "' mag niet worden versoepeld: ", msg)});
    };
    if (!o->legal) err("hij blijft wettelijk (legal: true)");
    if (o->from != b.from || o->otherwise_from_due_of != b.otherwise_from_due_of)
      err(Cat("hij telt vanaf '", b.from, "', niet vanaf '", o->from, "'"));
    if (std::set<std::string>(o->met_by.begin(), o->met_by.end()) !=
        std::set<std::string>(b.met_by.begin(), b.met_by.end()))
      err("hij wordt gehaald met dezelfde acties als in het landelijke traject (met_by)");
    if (o->suspension_allowed && !b.suspension_allowed) err("opschorten is niet toegestaan");
    if (o->extension.max_count > b.extension.max_count)
      err(Cat("hoogstens ", b.extension.max_count, " verlenging(en), niet ", o->extension.max_count));
    if (o->unit == b.unit) {
      if (o->amount > b.amount)
        err(Cat("langer dan ", Length(b.amount, b.unit), " (", Length(o->amount, o->unit), ")"));
      if (o->extension.max_count > 0 && o->extension.amount > b.extension.amount)
        err(Cat("verlenging langer dan ", Length(b.extension.amount, b.unit), " (",
                Length(o->extension.amount, o->unit), ")"));
      if (o->algemene_termijnenwet && !b.algemene_termijnenwet)
        err("verschuiven naar de volgende werkdag maakt hem langer");
    } else if (LaterSomewhere(b, *o)) {
      err(Cat(Length(o->amount, o->unit), " valt soms later dan ", Length(b.amount, b.unit)));
    }
  }
  return errs;
}

absl::Status CheckTightening(const TrackDefinition& base, const TrackDefinition& unit_override) {
  auto errs = TighteningErrors(base, unit_override);
  if (errs.empty()) return absl::OkStatus();
  std::string msg;
  for (const auto& e : errs) msg += Cat(msg.empty() ? "" : "; ", e.message);
  return Invalid(msg);
}

// --- steps ---

std::vector<std::string> AllowedActions(const TrackDefinition& def, std::string_view state,
                                        std::string_view role) {
  std::vector<std::string> out;
  for (const auto& t : def.transitions) {
    if (Contains(t.from, state) && Contains(t.roles, role) && !Contains(out, t.action)) out.push_back(t.action);
  }
  return out;
}

absl::Status CheckTransition(const TrackDefinition& def, std::string_view state, std::string_view action,
                             std::string_view role) {
  std::vector<const TransitionDef*> all, here;
  for (const auto& t : def.transitions) {
    if (t.action != action) continue;
    all.push_back(&t);
    if (Contains(t.from, state)) here.push_back(&t);
  }
  if (all.empty()) return Invalid(Cat("Onbekende stap '", action, "' in het traject ", def.name, "."));
  const StateDef* st = def.FindState(state);
  if (!st) return Invalid(Cat("Onbekende status '", state, "' in het traject ", def.name, "."));
  const std::string& label = all.front()->DisplayLabel();
  if (std::none_of(all.begin(), all.end(), [&](const TransitionDef* t) { return Contains(t->roles, role); }))
    return Forbidden(Cat("Met uw rol kunt u de stap '", label, "' niet zetten."));
  if (here.empty()) {
    std::vector<std::string> where;
    for (const auto* t : all)
      for (const auto& f : t->from)
        if (const StateDef* s = def.FindState(f); s && !Contains(where, s->label)) where.push_back(s->label);
    std::string list;
    for (const auto& w : where) list += Cat(list.empty() ? "" : ", ", w);
    return Conflict(Cat("De stap '", label, "' kan nu niet: de zaak staat op '", st->label,
                        "'. Dit kan alleen bij: ", list, "."));
  }
  if (std::none_of(here.begin(), here.end(), [&](const TransitionDef* t) { return Contains(t->roles, role); }))
    return Forbidden(Cat("Met uw rol kunt u de stap '", label, "' niet zetten als de zaak op '", st->label,
                         "' staat."));
  return absl::OkStatus();
}

absl::StatusOr<std::string> NextState(
    const TrackDefinition& def, std::string_view state, std::string_view action, std::string_view role,
    const std::function<absl::Status(const std::string& guard)>& guard) {
  RETURN_IF_ERROR(CheckTransition(def, state, action, role));
  absl::Status first_failure;
  for (const auto& t : def.transitions) {
    if (t.action != action || !Contains(t.from, state) || !Contains(t.roles, role)) continue;
    absl::Status holds;
    for (const auto& g : t.guards) {
      holds = guard ? guard(g) : Conflict(Cat("Voorwaarde '", g, "' is niet gecontroleerd."));
      if (!holds.ok()) break;
    }
    if (holds.ok()) return t.Stays() ? std::string(state) : t.to;
    if (first_failure.ok()) first_failure = holds;
  }
  return first_failure;
}

std::map<std::string, int> StateDepths(const TrackDefinition& def) {
  std::map<std::string, int> depth;
  const StateDef* init = def.InitialState();
  if (!init) return depth;
  auto parent = Bfs(def, init->id);
  for (const auto& s : def.states) {
    if (!parent.count(s.id)) continue;
    depth[s.id] = static_cast<int>(PathTo(parent, s.id).size()) - 1;
  }
  return depth;
}

std::vector<std::string> MainPath(const TrackDefinition& def) {
  if (!def.main_path.empty()) return def.main_path;
  std::vector<std::string> path;
  const StateDef* cur = def.InitialState();
  while (cur) {
    path.push_back(cur->id);
    if (cur->terminal) break;
    const StateDef* next = nullptr;
    for (const auto& t : def.transitions) {
      if (t.Stays() || !Contains(t.from, cur->id) || Contains(path, t.to)) continue;
      if ((next = def.FindState(t.to))) break;
    }
    cur = next;
  }
  return path;
}

std::vector<PlainStep> PlainSteps(const TrackDefinition& def, std::string_view current_state) {
  std::vector<PlainStep> out;
  const StateDef* current = def.FindState(current_state);
  const StateDef* init = def.InitialState();
  if (!current || !init) return out;
  const std::vector<std::string> main = MainPath(def);

  std::vector<std::string> route;
  size_t current_index = 0;
  auto at = std::find(main.begin(), main.end(), current->id);
  if (at != main.end()) {
    route = main;
    current_index = static_cast<size_t>(at - main.begin());
  } else {
    auto from_start = Bfs(def, init->id);
    route = from_start.count(current->id) ? PathTo(from_start, current->id)
                                          : std::vector<std::string>{current->id};
    current_index = route.size() - 1;
    if (!current->terminal) {
      // The shortest way back onto the main path, then along it; else to an end.
      auto onward = Bfs(def, current->id);
      std::vector<std::string> tail;
      for (size_t i = 0; i < main.size() && tail.empty(); ++i) {
        if (main[i] != current->id && onward.count(main[i])) {
          tail = PathTo(onward, main[i]);
          tail.insert(tail.end(), main.begin() + static_cast<long>(i) + 1, main.end());
        }
      }
      if (tail.empty()) {
        for (const auto& s : def.states)
          if (s.terminal && onward.count(s.id)) {
            tail = PathTo(onward, s.id);
            break;
          }
      }
      for (size_t i = 1; i < tail.size(); ++i)
        if (!Contains(route, tail[i])) route.push_back(tail[i]);
    }
  }
  for (size_t i = 0; i < route.size(); ++i) {
    const StateDef* s = def.FindState(route[i]);
    if (!s) continue;
    StepMark mark = i < current_index ? StepMark::kPast : i == current_index ? StepMark::kCurrent : StepMark::kFuture;
    out.push_back({s->id, s->label, s->reporter_text, mark});
  }
  return out;
}

}  // namespace waarborg::workflow
