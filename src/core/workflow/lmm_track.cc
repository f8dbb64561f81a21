#include "core/workflow/lmm_track.h"

#include <algorithm>
#include <set>

#include "core/common/status.h"
#include "core/common/strings.h"

namespace waarborg::workflow {

using access::CaseAction;

namespace {

constexpr std::string_view kWeighingEnd = "weighing_end";

bool IsRead(CaseAction a) {
  switch (a) {
    case CaseAction::kRead:
    case CaseAction::kReadIdentity:
    case CaseAction::kReadWeighing:
    case CaseAction::kReadOutcome:
    case CaseAction::kReadProtection:
    case CaseAction::kReadAccessLog:
      return true;
    default:
      return false;
  }
}

// The steps the LMM's use cases take (app/lmm_service); each needs a
// transition in the file.
constexpr CaseAction kSteps[] = {
    CaseAction::kStaff,  CaseAction::kRecordDefinitionTest, CaseAction::kRecordWeighing,
    CaseAction::kInviteReviewer, CaseAction::kReview,       CaseAction::kAdvise,
    CaseAction::kDecide, CaseAction::kAcknowledge,          CaseAction::kRecordFeedback,
    CaseAction::kRecordProtection, CaseAction::kClose};

constexpr LmmState kStates[] = {LmmState::kRegistered, LmmState::kStaffed,       LmmState::kWeighing,
                                LmmState::kAdvised,    LmmState::kInvestigation, LmmState::kClosed,
                                LmmState::kReferred};

std::optional<CaseAction> StepOf(std::string_view name) {
  for (CaseAction a : kSteps)
    if (access::CaseActionName(a) == name) return a;
  return std::nullopt;
}

// The date on which an event of the case happened, for the events the LMM
// records with a date; nullopt when it has not happened (yet).
std::optional<Date> EventDate(const LmmCase& c, std::string_view event) {
  if (event == kReceivedEvent) return c.received_on;
  if (event == "acknowledge") return c.acknowledged_on;
  if (event == "feedback") return c.feedback_given_on;
  if (event == "advise" && c.advice) return DateInAmsterdam(c.advice->at);
  if (event == "decide" && c.decision) return DateInAmsterdam(c.decision->at);
  return std::nullopt;
}

bool IsDatedEvent(std::string_view event) {
  return event == kReceivedEvent || event == "acknowledge" || event == "feedback" || event == "advise" ||
         event == "decide";
}

const std::set<std::string, std::less<>>& LmmGuards() {
  static const auto* const kGuards = new std::set<std::string, std::less<>>{
      "advisors_eligible",    "passes_definition_test", "fails_definition_test", "weighing_complete",
      "coordinator_reviewed", "other_vpi_reviewed",     "decision_investigate",  "decision_no_investigation",
      "not_acknowledged",     "acknowledged"};
  return *kGuards;
}

bool OtherVpiReviewed(const LmmCase& c) {
  for (const auto& r : c.reviews) {
    if (r.by_coordinator) continue;
    if (c.reporter_advisor_id && r.reviewer_person_id == *c.reporter_advisor_id) continue;
    if (c.weighing_advisor_id && r.reviewer_person_id == *c.weighing_advisor_id) continue;
    return true;
  }
  return false;
}

bool CoordinatorReviewed(const LmmCase& c) {
  return std::any_of(c.reviews.begin(), c.reviews.end(), [](const Review& r) { return r.by_coordinator; });
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

bool IsLmmInputGuard(std::string_view guard) {
  return guard == "advisors_eligible" || guard == "passes_definition_test" || guard == "fails_definition_test" ||
         guard == "decision_investigate" || guard == "decision_no_investigation";
}

absl::Status LmmGuard(std::string_view guard, const LmmCase& c, bool coordinator_is_advisor_on_case) {
  if (guard == "weighing_complete") {
    if (c.weighing && WeighingComplete(*c.weighing)) return absl::OkStatus();
    return Conflict(
        "Leg eerst alle vier criteria van de weging vast, elk met een onderbouwing, en de verwachte einddatum.");
  }
  if (guard == "coordinator_reviewed") {
    if (CoordinatorReviewed(c) || coordinator_is_advisor_on_case) return absl::OkStatus();
    return Conflict("De coördinator heeft de weging nog niet collegiaal getoetst.");
  }
  if (guard == "other_vpi_reviewed") {
    if (OtherVpiReviewed(c)) return absl::OkStatus();
    return Conflict("Nog geen collegiale toets door een andere VPI (niet de VPI van de melder).");
  }
  if (guard == "not_acknowledged") {
    if (!c.acknowledged_on) return absl::OkStatus();
    return Conflict("De ontvangst is al bevestigd.");
  }
  if (guard == "acknowledged") {
    if (c.acknowledged_on) return absl::OkStatus();
    return Conflict("Bevestig eerst de ontvangst aan de melder.");
  }
  if (guard == "passes_definition_test") {
    if (c.definition_test && PassesDefinitionTest(*c.definition_test)) return absl::OkStatus();
    return Conflict("De melding valt niet onder de definitie van een vermoeden van een misstand.");
  }
  if (guard == "fails_definition_test") {
    if (c.definition_test && !PassesDefinitionTest(*c.definition_test)) return absl::OkStatus();
    return Conflict("De melding valt onder de definitie en wordt niet doorverwezen.");
  }
  if (guard == "decision_investigate") {
    if (c.decision && c.decision->investigate) return absl::OkStatus();
    return Conflict("Het bevoegd gezag heeft niet tot onderzoek besloten.");
  }
  if (guard == "decision_no_investigation") {
    if (c.decision && !c.decision->investigate) return absl::OkStatus();
    return Conflict("Het bevoegd gezag heeft tot onderzoek besloten.");
  }
  if (guard == "advisors_eligible") {
    // What the case itself carries: two different VPIs, neither a subject.
    // Conflicts with the reporter and the chain of command need the vault and
    // the organisation; the staffing use case checks those first
    // (access::CheckAdvisorEligible).
    if (!c.reporter_advisor_id || !c.weighing_advisor_id)
      return Conflict("Kies zowel de VPI van de melder als de wegende VPI.");
    if (*c.reporter_advisor_id == *c.weighing_advisor_id)
      return Conflict("Een melding wordt bemenst met twee verschillende VPI's.");
    for (Id s : c.subject_person_ids)
      if (s == *c.reporter_advisor_id || s == *c.weighing_advisor_id)
        return Conflict("Een betrokkene kan geen VPI op de eigen melding zijn.");
    return absl::OkStatus();
  }
  return Conflict(Cat("De voorwaarde '", guard, "' wordt op het LMM-traject niet ondersteund."));
}

bool Deadline::OverdueOn(Date today) const {
  return !met_on && std::chrono::sys_days(today) > std::chrono::sys_days(due);
}

std::optional<Deadline> NearestOpenDeadline(const LmmCase& c) {
  if (IsTerminal(c.state)) return std::nullopt;
  std::vector<Deadline> open;
  if (!c.acknowledged_on) open.push_back({"acknowledgement", "", c.acknowledgement_due, std::nullopt});
  if (!c.feedback_given_on) open.push_back({"feedback", "", c.feedback_due, std::nullopt});
  if (c.weighing && c.weighing->expected_end && !c.advice)
    open.push_back({std::string(kWeighingEnd), "", *c.weighing->expected_end, std::nullopt});
  std::optional<Deadline> best;
  for (auto& d : open)
    if (!best || std::chrono::sys_days(d.due) < std::chrono::sys_days(best->due)) best = d;
  return best;
}

absl::StatusOr<LmmTrack> LmmTrack::Bind(TrackDefinition def, calendar::HolidayOptions holidays) {
  std::vector<std::string> problems;
  // "lmm.yaml:12: ...", as the loader reports a file's problems.
  auto at = [&](int line) { return line > 0 ? Cat(def.id, ".yaml:", line, ": ") : Cat(def.id, ".yaml: "); };
  for (LmmState s : kStates) {
    const StateDef* sd = def.FindState(LmmStateName(s));
    if (!sd) {
      problems.push_back(Cat(at(0), "de stap '", LmmStateName(s), "' ontbreekt"));
    } else if (sd->terminal != IsTerminal(s)) {
      problems.push_back(Cat(at(sd->line), "de stap '", sd->id, "' moet ", IsTerminal(s) ? "" : "niet ",
                             "als eindstap (terminal) zijn gemarkeerd"));
    }
  }
  if (!def.InitialState()) problems.push_back(Cat(at(0), "er is geen beginstap (initial)"));
  for (const auto& sd : def.states)
    if (!ParseLmmState(sd.id)) problems.push_back(Cat(at(sd.line), "onbekende stap '", sd.id, "' voor een melding"));
  for (CaseAction a : kSteps)
    if (!def.HasAction(access::CaseActionName(a)))
      problems.push_back(Cat(at(0), "de handeling '", access::CaseActionName(a), "' ontbreekt"));
  for (const auto& t : def.transitions) {
    if (!StepOf(t.action)) problems.push_back(Cat(at(t.line), "onbekende handeling '", t.action, "' voor een melding"));
    for (const auto& g : t.guards)
      if (!LmmGuards().count(g))
        problems.push_back(Cat(at(t.line), "de voorwaarde '", g, "' wordt op het LMM-traject niet ondersteund"));
  }
  for (std::string_view id : {"acknowledgement", "feedback"})
    if (!def.FindDeadline(id)) problems.push_back(Cat(at(0), "de termijn '", id, "' ontbreekt"));
  for (const auto& d : def.deadlines) {
    if (!IsDatedEvent(d.from))
      problems.push_back(Cat(at(d.line), "termijn '", d.id, "' telt vanaf '", d.from,
                             "', maar een melding legt daarvan geen datum vast"));
    for (const auto& m : d.met_by)
      if (!IsDatedEvent(m))
        problems.push_back(Cat(at(d.line), "termijn '", d.id, "' wordt gehaald door '", m,
                               "', maar een melding legt daarvan geen datum vast"));
  }
  if (!problems.empty()) {
    std::string msg = "Het LMM-traject past niet bij de meldingen:";
    for (const auto& p : problems) msg += Cat("\n", p);
    return absl::InvalidArgumentError(ToAbsl(msg));
  }
  return LmmTrack(std::move(def), holidays);
}

std::vector<const TransitionDef*> LmmTrack::From(LmmState state, CaseAction action) const {
  std::vector<const TransitionDef*> out;
  const auto name = access::CaseActionName(action);
  for (const auto& t : def_.transitions)
    if (t.action == name && Contains(t.from, LmmStateName(state))) out.push_back(&t);
  return out;
}

std::string LmmTrack::StepLabel(CaseAction action) const {
  const auto name = access::CaseActionName(action);
  for (const auto& t : def_.transitions)
    if (t.action == name) return t.DisplayLabel();
  return std::string(name);
}

std::string LmmTrack::DeadlineLabel(std::string_view kind) const {
  if (kind == kWeighingEnd) return "Verwachte einde wegingsonderzoek";
  if (const auto* d = def_.FindDeadline(kind)) return d->label;
  return std::string(kind);
}

absl::Status LmmTrack::CheckRole(const Actor& actor, CaseAction action) const {
  if (IsRead(action)) return absl::OkStatus();
  const auto name = access::CaseActionName(action);
  std::vector<std::string> labels;
  for (const auto& t : def_.transitions) {
    if (t.action != name) continue;
    for (const auto& r : t.roles) {
      auto role = ParseRole(r);
      if (!role) continue;
      if (actor.Has(*role)) return absl::OkStatus();
      std::string label(RoleLabelNl(*role));
      if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
    }
  }
  std::string who;
  for (std::size_t i = 0; i < labels.size(); ++i) who += Cat(i == 0 ? "" : (i + 1 == labels.size() ? " of " : ", "), labels[i]);
  return Forbidden(Cat("'", StepLabel(action), "' is niet aan uw rol", who.empty() ? "" : Cat("; dat doet de ", who), "."));
}

absl::Status LmmTrack::Holds(const TransitionDef& t, const LmmCase& before, const LmmCase* after,
                             bool coordinator_on_case) const {
  for (const auto& g : t.guards) {
    if (IsLmmInputGuard(g)) {
      if (!after) continue;  // judged once the step is filled in
      RETURN_IF_ERROR(LmmGuard(g, *after, coordinator_on_case));
    } else {
      RETURN_IF_ERROR(LmmGuard(g, before, coordinator_on_case));
    }
  }
  return absl::OkStatus();
}

absl::Status LmmTrack::CheckTransition(const LmmCase& c, CaseAction action, bool coordinator_on_case) const {
  if (IsRead(action)) return absl::OkStatus();
  auto candidates = From(c.state, action);
  if (candidates.empty()) {
    const auto name = access::CaseActionName(action);
    std::vector<std::string> where;
    for (const auto& t : def_.transitions) {
      if (t.action != name) continue;
      for (const auto& f : t.from)
        if (const auto* s = def_.FindState(f);
            s && std::find(where.begin(), where.end(), s->label) == where.end())
          where.push_back(s->label);
    }
    const auto* here = def_.FindState(LmmStateName(c.state));
    std::string list;
    for (std::size_t i = 0; i < where.size(); ++i) list += Cat(i == 0 ? "" : ", ", "'", where[i], "'");
    return Conflict(Cat("'", StepLabel(action), "' kan niet nu: de melding staat in de stap '",
                        here ? here->label : std::string(LmmStateName(c.state)), "'",
                        list.empty() ? "" : Cat("; dit kan alleen in ", list), "."));
  }
  absl::Status first;
  for (const auto* t : candidates) {
    absl::Status st = Holds(*t, c, nullptr, coordinator_on_case);
    if (st.ok()) return st;
    if (first.ok()) first = st;
  }
  return first;
}

absl::StatusOr<LmmState> LmmTrack::NextState(const LmmCase& before, const LmmCase& after, CaseAction action,
                                             bool coordinator_on_case) const {
  absl::Status first;
  for (const auto* t : From(before.state, action)) {
    absl::Status st = Holds(*t, before, &after, coordinator_on_case);
    if (!st.ok()) {
      if (first.ok()) first = st;
      continue;
    }
    if (t->Stays()) return before.state;
    auto to = ParseLmmState(t->to);
    if (!to) return absl::InternalError("onbekende doelstap");  // Bind refuses such a file
    return *to;
  }
  if (first.ok()) return CheckTransition(before, action, coordinator_on_case);
  return first;
}

Date LmmTrack::DueOf(const DeadlineRule& rule, Date start, bool shift) const {
  DeadlineRule r = rule;
  if (!shift) r.algemene_termijnenwet = false;
  return DueDate(r, start, 0, 0, holidays_);
}

std::optional<Date> LmmTrack::StartOf(const DeadlineRule& rule, const LmmCase& c) const {
  if (auto d = EventDate(c, rule.from)) return d;
  if (rule.otherwise_from_due_of.empty()) return std::nullopt;
  const DeadlineRule* other = def_.FindDeadline(rule.otherwise_from_due_of);
  if (!other) return std::nullopt;
  auto start = StartOf(*other, c);
  if (!start) return std::nullopt;
  return DueOf(*other, *start, /*shift=*/false);  // the end of its term, before any shift
}

Date LmmTrack::AcknowledgementDue(Date received) const {
  LmmCase c;
  c.received_on = received;
  return DueOf(*def_.FindDeadline("acknowledgement"), *StartOf(*def_.FindDeadline("acknowledgement"), c));
}

Date LmmTrack::FeedbackDue(Date received, std::optional<Date> acknowledged) const {
  LmmCase c;
  c.received_on = received;
  c.acknowledged_on = acknowledged;
  const DeadlineRule& rule = *def_.FindDeadline("feedback");
  auto start = StartOf(rule, c);
  return DueOf(rule, start.value_or(received));
}

std::vector<Deadline> LmmTrack::DeadlinesOf(const LmmCase& c) const {
  std::vector<Deadline> out;
  for (const auto& rule : def_.deadlines) {
    Deadline d{rule.id, rule.label, {}, std::nullopt};
    // The two statutory deadlines are kept on the case (lists, reminders);
    // any further deadline of the file is computed.
    if (rule.id == "acknowledgement") {
      d.due = c.acknowledgement_due;
    } else if (rule.id == "feedback") {
      d.due = c.feedback_due;
    } else if (auto start = StartOf(rule, c)) {
      d.due = DueOf(rule, *start);
    } else {
      continue;  // its event has not happened
    }
    for (const auto& m : rule.met_by)
      if (auto on = EventDate(c, m)) {
        d.met_on = on;
        break;
      }
    out.push_back(std::move(d));
  }
  if (c.weighing && c.weighing->expected_end) {
    std::optional<Date> done;
    if (c.advice) done = DateInAmsterdam(c.advice->at);
    out.push_back({std::string(kWeighingEnd), DeadlineLabel(kWeighingEnd), *c.weighing->expected_end, done});
  }
  return out;
}

std::vector<CaseAction> LmmTrack::PossibleSteps(const LmmCase& c) const {
  std::vector<CaseAction> steps;
  for (const auto& t : def_.transitions) {
    auto a = StepOf(t.action);
    if (!a || std::find(steps.begin(), steps.end(), *a) != steps.end()) continue;
    if (!Contains(t.from, LmmStateName(c.state))) continue;
    if (!t.Stays() || CheckTransition(c, *a).ok()) steps.push_back(*a);
  }
  return steps;
}

}  // namespace waarborg::workflow
