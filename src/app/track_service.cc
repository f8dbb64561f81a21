#include "app/track_service.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "absl/strings/ascii.h"
#include "app/service_support.h"
#include "core/access/access.h"
#include "core/dashboard/case_fact.h"
#include "core/common/status.h"
#include "core/common/strings.h"

namespace waarborg::app {

namespace {

using workflow::FieldDef;
using workflow::FieldType;
using workflow::TrackDefinition;
using workflow::TransitionDef;

constexpr std::size_t kMaxFieldBytes = 20000;

// Case references per track; an unknown track gets its id in capitals.
std::string ReferencePrefix(std::string_view track) {
  if (track == "unwanted_behaviour") return "OOV";
  if (track == "complaints_committee") return "KC";
  if (track == "vik_triage") return "VIK";
  if (track == "investigation") return "ONZ";
  std::string out(track);
  for (auto& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

// Track cases share the audit trail with LMM cases, whose ids are plain
// numbers: "zaak-<id>" keeps them apart.
std::string AuditCaseId(Id id) { return Cat("zaak-", id); }

AuditEvent TrackAudit(const Actor& actor, Instant at, std::string action, Id id, std::string detail = "") {
  AuditEvent e = AuditFor(actor, false, at, std::move(action), 0, std::move(detail));
  e.case_id = AuditCaseId(id);
  return e;
}

std::set<std::string> RoleNamesOf(const Actor& a) {
  std::set<std::string> out;
  for (Role r : a.roles) out.emplace(RoleName(r));
  return out;
}

bool Blank(std::string_view s) { return absl::StripAsciiWhitespace(std::string(s)).empty(); }

std::string Trim(std::string_view s) { return std::string(absl::StripAsciiWhitespace(std::string(s))); }

std::optional<Id> ParseId(std::string_view s) {
  Id v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

std::string Value(const std::map<std::string, std::string>& f, const std::string& k) {
  auto it = f.find(k);
  return it == f.end() ? std::string() : it->second;
}

std::optional<Date> DateField(const std::map<std::string, std::string>& f, const std::string& k) {
  const std::string v = Value(f, k);
  if (v.empty()) return std::nullopt;
  return ParseDate(v);
}

bool HoldsAnyRole(const Actor& a, const std::vector<std::string>& roles) {
  const auto mine = RoleNamesOf(a);
  return std::any_of(roles.begin(), roles.end(), [&](const std::string& r) { return mine.count(r) > 0; });
}

bool ReadsWholeTrack(const Actor& a, const TrackDefinition& def) { return HoldsAnyRole(a, def.readers); }

bool MayRead(const Actor& a, const TrackDefinition& def, const TrackCase& c) {
  return (a.person_id != 0 && c.IsMember(a.person_id)) || ReadsWholeTrack(a, def);
}

// Whether `a` may record something on `c` that belongs to the people with
// `roles` on the track (a deadline their steps meet, a review moment they take
// part in): as for a step, someone on the case who holds one of those roles;
// and whoever reads the whole track, who oversees every case of it.
bool MayActFor(const Actor& a, const TrackDefinition& def, const TrackCase& c, const std::vector<std::string>& roles) {
  return MayRead(a, def, c) && (ReadsWholeTrack(a, def) || HoldsAnyRole(a, roles));
}

// The roles of the steps that meet `rule`: the people whose term it is.
std::vector<std::string> RolesMeeting(const TrackDefinition& def, const workflow::DeadlineRule& rule) {
  std::vector<std::string> out;
  for (const auto& t : def.transitions) {
    if (std::find(rule.met_by.begin(), rule.met_by.end(), t.action) == rule.met_by.end()) continue;
    for (const auto& r : t.roles)
      if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
  }
  return out;
}

// The eenheid (or higher) a person's team belongs to, for rules that compare
// units; 0 when unknown.
Id UnitOfPerson(StoreTx& tx, Id person) {
  auto p = tx.GetPerson(person);
  if (!p.ok() || p->team_id == 0) return 0;
  Id id = p->team_id;
  for (int guard = 0; guard < 10 && id != 0; ++guard) {
    auto u = tx.GetUnit(id);
    if (!u.ok()) return 0;
    if (u->kind == UnitKind::kUnit || u->kind == UnitKind::kCorps || !u->parent_id) return u->id;
    id = *u->parent_id;
  }
  return 0;
}

Id UnitOf(StoreTx& tx, Id unit) {
  Id id = unit;
  for (int guard = 0; guard < 10 && id != 0; ++guard) {
    auto u = tx.GetUnit(id);
    if (!u.ok()) return unit;
    if (u->kind == UnitKind::kUnit || u->kind == UnitKind::kCorps || !u->parent_id) return u->id;
    id = *u->parent_id;
  }
  return unit;
}

// Rank of the Dutch police, low to high; 0 when not recognised.
int RankLevel(std::string rank) {
  for (auto& ch : rank) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  static const std::pair<const char*, int> kRanks[] = {
      {"eerste hoofdcommissaris", 10}, {"hoofdcommissaris", 9}, {"commissaris", 8}, {"hoofdinspecteur", 7},
      {"inspecteur", 6},  {"brigadier", 5}, {"hoofdagent", 4}, {"agent", 3}, {"surveillant", 2}, {"aspirant", 1}};
  for (const auto& [name, level] : kRanks)
    if (rank.find(name) != std::string::npos) return level;
  return 0;
}

std::optional<Id> MemberWith(const TrackCase& c, std::string_view role) {
  for (const auto& m : c.members)
    if (m.role == role) return m.person_id;
  return std::nullopt;
}

std::vector<Id> MembersWith(const TrackCase& c, std::string_view role) {
  std::vector<Id> out;
  for (const auto& m : c.members)
    if (m.role == role) out.push_back(m.person_id);
  return out;
}

// Checks and normalises one posted value against its field definition.
absl::Status CheckFieldValue(StoreTx& tx, const FieldDef& f, std::string& v) {
  v = Trim(v);
  if (v.empty()) return absl::OkStatus();
  if (v.size() > kMaxFieldBytes) return Invalid(Cat(f.label, ": de tekst is te lang (maximaal 20.000 tekens)."));
  switch (f.type) {
    case FieldType::kText:
    case FieldType::kTextarea:
      return absl::OkStatus();
    case FieldType::kDate: {
      auto d = ParseDate(v);
      if (!d) return Invalid(Cat(f.label, ": vul de datum in als dd-mm-jjjj."));
      v = FormatDateNl(*d);
      return absl::OkStatus();
    }
    case FieldType::kYesNo:
      if (v != "ja" && v != "nee") return Invalid(Cat(f.label, ": kies ja of nee."));
      return absl::OkStatus();
    case FieldType::kChoice:
      for (const auto& o : f.options)
        if (o.key == v) return absl::OkStatus();
      return Invalid(Cat(f.label, ": kies een van de mogelijkheden."));
    case FieldType::kPerson: {
      auto id = ParseId(v);
      if (!id || !tx.GetPerson(*id).ok()) return Invalid(Cat(f.label, ": deze persoon bestaat niet."));
      v = std::to_string(*id);
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

std::vector<investigation::InvestigatorAssignment> Assignments(const TrackCase& c) {
  std::vector<investigation::InvestigatorAssignment> out;
  for (Id p : MembersWith(c, "investigator"))
    out.push_back({p, c.id, investigation::InvestigationKind::kDisciplinary, true});
  for (Id p : MembersWith(c, "criminal_investigator"))
    out.push_back({p, c.id, investigation::InvestigationKind::kCriminal, true});
  return out;
}

investigation::CaseParties PartiesOf(const TrackCase& c) {
  investigation::CaseParties p;
  p.subject = MemberWith(c, kSubjectParty).value_or(MemberWith(c, kAccusedParty).value_or(0));
  p.complainant = MemberWith(c, kComplainantParty);
  p.investigators = MembersWith(c, "investigator");
  for (Id x : MembersWith(c, "criminal_investigator")) p.investigators.push_back(x);
  p.commissioning_manager = c.created_by ? std::optional<Id>(c.created_by) : std::nullopt;
  return p;
}

// The guards of the track files (workflow::StandardGuards), bound to the
// rules in core/cases. `fields` are the case's fields with this step's values
// on top; `steps` the history before this step.
absl::Status Guard(StoreTx& tx, const std::string& guard, const Actor& actor, const TrackCase& c,
                   const std::map<std::string, std::string>& fields, const std::vector<TrackStep>& steps,
                   const std::string& action, const TrackDefinition& def) {
  const auto missing = [](std::string_view what) {
    return absl::FailedPreconditionError(Cat("Vul eerst in: ", what, "."));
  };
  if (guard == "reasons_recorded") {
    if (Blank(Value(fields, "return_reasons")) && Blank(Value(fields, "reasons"))) return missing("de redenen");
    return absl::OkStatus();
  }
  if (guard == "triage_criteria_recorded") {
    for (const auto& f : def.fields)
      if (f.id.rfind("criterion_", 0) == 0 && Blank(Value(fields, f.id)))
        return absl::FailedPreconditionError(Cat("Leg elk triagecriterium vast; nog niet: ", f.label, "."));
    return absl::OkStatus();
  }
  if (guard == "investigator_not_criminal_on_same_matter") {
    const auto assignments = Assignments(c);
    if (action == "turn_criminal") {
      auto proposed = ParseId(Value(fields, "criminal_investigator_id"));
      return investigation::CheckTurnsCriminal(assignments, proposed ? std::vector<Id>{*proposed} : std::vector<Id>{});
    }
    return investigation::CheckInvestigatorAssignment(assignments, actor.person_id,
                                                      investigation::InvestigationKind::kDisciplinary);
  }
  if (guard == "notice_not_before_day_off") {
    auto on = DateField(fields, "notice_date");
    if (!on) return missing("de datum van de aanzegging");
    return investigation::CheckNoticeDate(*on, Value(fields, "notice_reason"), {});
  }
  if (guard == "care_manager_not_conflicted") {
    const Id care = action == "record_care_contact" ? actor.person_id
                                                     : ParseId(Value(fields, "care_manager_id")).value_or(0);
    return investigation::CheckCareManager(care, PartiesOf(c));
  }
  if (guard == "preparation_time_respected") {
    auto given = DateField(fields, "description_given_on");
    if (!given) given = DateField(fields, "notice_date");
    auto hearing = DateField(fields, "hearing_date");
    if (!given || !hearing) return missing("de datum van de aanzegging en van het hoorgesprek");
    // The subject's minimum preparation time is the track's norm (a unit may
    // give more, never less).
    const workflow::NormDef* norm = def.FindNorm("preparation_time");
    if (!norm || norm->unit != "working_days")
      return absl::FailedPreconditionError("Het traject noemt geen voorbereidingstijd in werkdagen (norm 'preparation_time').");
    return investigation::CheckPreparationTime(*given, *hearing, norm->amount, {});
  }
  if (guard == "penalty_from_barp_list") {
    if (def.FindField("rank_category"))
      return investigation::CheckOutcome(Value(fields, "penalty"), Value(fields, "learning_measure"),
                                         Value(fields, "rank_category"));
    if (!investigation::IsBarpPenalty(Value(fields, "penalty")))
      return absl::FailedPreconditionError("Kies een straf van de lijst van het Barp.");
    return absl::OkStatus();
  }
  if (guard == "counsellor_not_outranked") {
    if (actor.Has(Role::kCentralCounsellor)) return absl::OkStatus();  // the CVP may take any case
    const bool offered = std::any_of(steps.begin(), steps.end(),
                                     [](const TrackStep& s) { return s.action == "offer_other_counsellor"; });
    if (offered) return absl::OkStatus();
    auto rank = [&](std::optional<Id> p) {
      if (!p) return 0;
      auto person = tx.GetPerson(*p);
      return person.ok() ? RankLevel(person->rank) : 0;
    };
    const auto accused = MemberWith(c, kAccusedParty);
    if (!accused) return absl::OkStatus();
    if (complaints::PowerDifference(rank(MemberWith(c, kComplainantParty)), rank(actor.person_id), rank(accused)))
      return absl::FailedPreconditionError(
          "De beklaagde staat hoger in rang dan de klager of dan u. Bied eerst een vertrouwenspersoon uit een ander "
          "district of een andere eenheid aan (stap 'Andere VP aanbieden'), of laat de CVP de zaak overnemen.");
    return absl::OkStatus();
  }
  if (guard == "complainant_consent") {
    const bool any = std::any_of(steps.begin(), steps.end(), [](const TrackStep& s) {
      return s.action == "record_consent" && Value(s.fields, "may_pass_on") == "ja";
    });
    if (!any)
      return absl::FailedPreconditionError(
          "De klager heeft nog voor niets toestemming gegeven om het door te geven. Leg eerst per onderdeel vast wat "
          "de klager wil.");
    return absl::OkStatus();
  }
  if (guard == "chair_from_other_unit") {
    return complaints::CheckCommitteeChair(UnitOfPerson(tx, actor.person_id), UnitOf(tx, c.unit_id));
  }
  if (guard == "complaint_admissible" || guard == "complaint_inadmissible") {
    const std::string v = Value(fields, "admissible");
    if (v.empty()) return missing("of de klacht ontvankelijk is");
    const bool want = guard == "complaint_admissible";
    if ((v == "ja") != want)
      return absl::FailedPreconditionError(want ? "De klacht is niet ontvankelijk verklaard."
                                                : "De klacht is ontvankelijk verklaard.");
    return absl::OkStatus();
  }
  if (guard == "both_sides_heard") {
    if (Value(fields, "complainant_heard") != "ja" || Value(fields, "accused_heard") != "ja")
      return absl::FailedPreconditionError("Hoor in besloten zitting beide partijen: de klager en de beklaagde.");
    return absl::OkStatus();
  }
  // A guard of the LMM, or one without code yet: refuse rather than pass.
  return absl::FailedPreconditionError(Cat("De voorwaarde '", guard, "' wordt op dit traject niet ondersteund."));
}

// The definition that applies to each case: the national track, or the
// tightened one of the nearest unit in the case's chain (workflows/units).
// Each unit's chain is read once per transaction.
class Definitions {
 public:
  Definitions(StoreTx& tx, const workflow::TrackCatalogue& catalogue) : tx_(tx), catalogue_(catalogue) {}
  const TrackDefinition* For(std::string_view track, Id unit) {
    if (catalogue_.unit_overrides.empty()) return catalogue_.Find(track);
    auto it = chains_.find(unit);
    if (it == chains_.end()) {
      std::vector<std::string> chain;
      std::optional<Id> u = unit;
      for (int depth = 0; u && depth < 32; ++depth) {  // a bad parent cycle ends the walk
        auto got = tx_.GetUnit(*u);
        if (!got.ok()) break;
        chain.push_back(workflow::UnitFolderName(got->name));
        u = got->parent_id;
      }
      it = chains_.emplace(unit, std::move(chain)).first;
    }
    return catalogue_.For(track, it->second);
  }

 private:
  StoreTx& tx_;
  const workflow::TrackCatalogue& catalogue_;
  std::map<Id, std::vector<std::string>> chains_;
};

Date StepDate(const TrackStep& s) { return DateInAmsterdam(s.at); }

absl::Status WriteFact(StoreTx& tx, const TrackCase& c, const TrackDefinition& def, Instant now);

// Opens the case a step hands over to (triage -> investigation): the same
// unit, summary and subject, received today, with `from`'s reference; the
// target track's readers (the VIK team chief) staff it. Returns its reference.
absl::StatusOr<std::string> OpenFollowUp(StoreTx& tx, const Actor& actor, const TrackCase& from,
                                         const TrackDefinition& target, Date today, Instant now) {
  TrackCase c;
  c.track = target.id;
  c.state = target.InitialState()->id;
  c.unit_id = from.unit_id;
  c.received_on = today;
  c.created_at = now;
  c.updated_at = now;
  c.created_by = actor.person_id;
  c.summary = from.summary;
  c.fields["source_reference"] = from.reference;
  for (const auto& m : from.members)
    if (m.role == kSubjectParty) c.members.push_back(m);
  ASSIGN_OR_RETURN(Id id, tx.InsertTrackCase(c, ReferencePrefix(target.id)));
  RETURN_IF_ERROR(WriteFact(tx, c, target, now));
  ASSIGN_OR_RETURN(TrackCase stored, tx.GetTrackCase(id));
  AuditEvent e = TrackAudit(actor, now, Cat("track.handover:", from.track), id, Cat(from.reference, " -> ", stored.reference));
  RETURN_IF_ERROR(tx.AppendAudit(e));
  return stored.reference;
}

// What the history says about one deadline: its recorded extensions and
// suspensions (reserved steps, see workflow::IsReservedAction).
struct DeadlineHistory {
  int extensions = 0;
  std::vector<TrackSuspension> suspensions;
};

DeadlineHistory HistoryOf(const std::string& deadline, const std::vector<TrackStep>& steps) {
  DeadlineHistory h;
  for (const auto& s : steps) {
    if (Value(s.fields, "deadline") != deadline) continue;
    if (s.action == workflow::kDeadlineExtendedAction) ++h.extensions;
    if (s.action == workflow::kDeadlineSuspendedAction) {
      auto from = DateField(s.fields, "from"), until = DateField(s.fields, "until");
      if (from && until) h.suspensions.push_back({*from, *until});
    }
  }
  return h;
}

// Every deadline of the track as it stands today. The due date is computed
// here each time from the file and the history (start event, extensions,
// suspensions), never stored, so a changed file or a late-recorded step is
// always reflected.
std::vector<TrackDeadlineView> DeadlinesOf(const TrackDefinition& def, const TrackCase& c,
                                           const std::vector<TrackStep>& steps, Date today) {
  std::vector<TrackDeadlineView> out;
  std::map<std::string, Date> unshifted_due;
  for (const auto& rule : def.deadlines) {
    TrackDeadlineView d;
    d.id = rule.id;
    d.label = rule.label;
    d.legal = rule.legal;
    d.max_extensions = std::max(0, rule.extension.max_count);
    d.extension_amount = std::max(0, rule.extension.amount);
    d.unit = rule.unit;
    d.suspension_allowed = rule.suspension_allowed;
    DeadlineHistory h = HistoryOf(rule.id, steps);
    // Only what DueDate counts: extensions up to max_count, suspensions where
    // the rule allows them.
    d.extensions = std::min(h.extensions, d.max_extensions);
    d.suspensions = std::move(h.suspensions);
    if (rule.suspension_allowed)
      for (const auto& sp : d.suspensions) d.suspended_days += sp.Days();
    std::optional<Date> start;
    std::size_t start_index = 0;
    if (rule.from == workflow::kReceivedEvent) {
      start = c.received_on;
    } else {
      for (std::size_t i = 0; i < steps.size(); ++i)
        if (steps[i].action == rule.from) {
          start = StepDate(steps[i]);
          start_index = i;
          break;
        }
      if (!start && !rule.otherwise_from_due_of.empty())
        if (auto it = unshifted_due.find(rule.otherwise_from_due_of); it != unshifted_due.end()) start = it->second;
    }
    if (start) {
      d.start = start;
      d.due = workflow::DueDate(rule, *start, d.suspended_days, d.extensions);
      workflow::DeadlineRule plain = rule;
      plain.algemene_termijnenwet = false;
      unshifted_due[rule.id] = workflow::DueDate(plain, *start, d.suspended_days, d.extensions);
      for (std::size_t i = start_index; i < steps.size(); ++i)
        if (std::find(rule.met_by.begin(), rule.met_by.end(), steps[i].action) != rule.met_by.end()) {
          d.met_on = StepDate(steps[i]);
          break;
        }
      d.overdue = !d.met_on && today > *d.due;
    }
    out.push_back(std::move(d));
  }
  return out;
}

bool InReview(const workflow::ReviewMoment& r, std::string_view state) {
  return std::find(r.states.begin(), r.states.end(), state) != r.states.end();
}

// The start of the case's current stretch in the review's states.
Date ReviewStretchStart(const workflow::ReviewMoment& r, const TrackCase& c, const std::vector<TrackStep>& steps) {
  Date since = c.received_on;
  for (const auto& s : steps)
    if (InReview(r, s.to_state) && !InReview(r, s.from_state)) since = StepDate(s);
  return since;
}

// The dates on which `r` was recorded as held since `since`.
std::vector<Date> HeldDates(const workflow::ReviewMoment& r, const std::vector<TrackStep>& steps, Date since) {
  std::vector<Date> out;
  for (const auto& s : steps)
    if (s.action == workflow::kReviewHeldAction && Value(s.fields, "review") == r.id)
      if (auto d = DateField(s.fields, "held_on"); d && *d >= since) out.push_back(*d);
  return out;
}

// Writes the case's dashboard fact (core/dashboard/case_fact.h) in the same
// transaction as the change, with its nearest open deadline.
absl::Status WriteFact(StoreTx& tx, const TrackCase& c, const TrackDefinition& def, Instant now) {
  const auto steps = tx.ListTrackSteps(c.id);
  std::optional<Date> next;
  for (const auto& d : DeadlinesOf(def, c, steps, DateInAmsterdam(now)))
    if (d.due && !d.met_on && (!next || *d.due < *next)) next = d.due;
  return tx.UpsertCaseFact(dashboard::FactOfTrackCase(c, steps, def, next, now));
}

// The next fixed review moments on or after `today` of the reviews that
// apply in the case's state, counted from the last time each was held in the
// current stretch, else from when the case entered its states.
std::vector<TrackReviewView> ReviewsOf(const TrackDefinition& def, const TrackCase& c,
                                       const std::vector<TrackStep>& steps, Date today) {
  std::vector<TrackReviewView> out;
  for (const auto& r : def.reviews) {
    if (!InReview(r, c.state)) continue;
    const Date since = ReviewStretchStart(r, c, steps);
    std::optional<Date> last_held;
    for (Date d : HeldDates(r, steps, since))
      if (!last_held || d > *last_held) last_held = d;
    Date next = workflow::NextReview(r, last_held.value_or(since));
    for (int guard = 0; guard < 1000 && next < today; ++guard) next = workflow::NextReview(r, next);
    out.push_back({r.id, r.label, next, last_held});
  }
  return out;
}

bool IsTerminalState(const TrackDefinition& def, std::string_view state) {
  const auto* s = def.FindState(state);
  return s && s->terminal;
}

// OK while deadline `d` of `c` can still be extended or suspended (`done`:
// "verlengd", "opgeschort"): the case runs and the term has started, is not
// met and has not passed. A term that has passed stays passed: extending it
// afterwards would hide the overrun the deadline is there to show.
absl::Status CheckDeadlineRunning(const TrackDefinition& def, const TrackCase& c, const TrackDeadlineView& d,
                                  Date today, std::string_view done) {
  if (IsTerminalState(def, c.state)) return Conflict("Deze zaak is afgesloten; de termijnen liggen vast.");
  if (!d.due) return Conflict(Cat("De termijn '", d.label, "' is nog niet begonnen en kan nog niet worden ", done, "."));
  if (d.met_on) return Conflict(Cat("De termijn '", d.label, "' is al gehaald op ", FormatDateNl(*d.met_on), "."));
  if (today > *d.due)
    return Conflict(Cat("De termijn '", d.label, "' is op ", FormatDateNl(*d.due),
                        " verlopen; een verlopen termijn kan niet meer worden ", done, "."));
  return absl::OkStatus();
}

// The reason or note of a reserved step: required unless `optional`.
absl::StatusOr<std::string> CheckedText(std::string_view text, std::string_view missing, bool optional = false) {
  std::string t = Trim(text);
  if (t.empty() && !optional) return Invalid(missing);
  if (t.size() > kMaxFieldBytes) return Invalid("De tekst is te lang (maximaal 20.000 tekens).");
  return t;
}

// A recorded date as dd-mm-jjjj (stored so already; kept as it is when not).
std::string DateText(const std::map<std::string, std::string>& f, const std::string& k) {
  auto d = DateField(f, k);
  return d ? FormatDateNl(*d) : Value(f, k);
}

// The history's Dutch line for a step: the transition's label, or what a
// reserved step did and to which deadline or review moment.
std::string StepLabel(const TrackDefinition& def, const TrackStep& s) {
  if (s.action == workflow::kDeadlineExtendedAction || s.action == workflow::kDeadlineSuspendedAction) {
    const std::string id = Value(s.fields, "deadline");
    const workflow::DeadlineRule* rule = def.FindDeadline(id);
    const std::string label = rule ? rule->label : id;
    if (s.action == workflow::kDeadlineSuspendedAction)
      return Cat("Termijn opgeschort van ", DateText(s.fields, "from"), " tot en met ", DateText(s.fields, "until"),
                 ": ", label);
    if (rule) return Cat("Termijn verlengd met ", workflow::AmountLabelNl(rule->extension.amount, rule->unit), ": ", label);
    return Cat("Termijn verlengd: ", label);
  }
  if (s.action == workflow::kReviewHeldAction) {
    const std::string id = Value(s.fields, "review");
    std::string label = id;
    for (const auto& r : def.reviews)
      if (r.id == id) label = r.label;
    return Cat("Evaluatiemoment gehouden op ", DateText(s.fields, "held_on"), ": ", label);
  }
  std::string label = s.action;
  for (const auto& t : def.transitions)
    if (t.action == s.action) label = t.DisplayLabel();
  return label;
}

// Earlier VIK triage cases that reached an approach, newest first: the
// approach chosen, the month it was chosen and the signal's source. Cases with
// the same source come first. Nothing that names or describes anyone.
std::vector<std::string> ComparableOutcomes(StoreTx& tx, const TrackDefinition& def, const TrackCase& current,
                                            std::size_t limit = 10) {
  static const char* const kMonths[] = {"januari", "februari", "maart",     "april",   "mei",      "juni",
                                        "juli",    "augustus", "september", "oktober", "november", "december"};
  const std::string source = Value(current.fields, "source");
  const FieldDef* source_field = def.FindField("source");
  struct Row {
    bool same_source;
    Instant at;
    std::string text;
  };
  std::vector<Row> rows;
  TrackCaseQuery q;
  q.all_of_tracks = {def.id};
  q.limit = 500;
  for (const auto& s : tx.ListTrackCases(q)) {
    if (s.id == current.id) continue;
    for (const auto& step : tx.ListTrackSteps(s.id)) {
      if (step.from_state != "triage" || step.to_state == "triage") continue;
      const auto* to = def.FindState(step.to_state);
      auto c = tx.GetTrackCase(s.id);
      const std::string their_source = c.ok() ? Value(c->fields, "source") : std::string();
      std::string source_label = their_source;
      if (source_field)
        for (const auto& o : source_field->options)
          if (o.key == their_source) source_label = o.label;
      const Date on = DateInAmsterdam(step.at);
      rows.push_back({their_source == source, step.at,
                      Cat(to ? to->label : step.to_state, " (", kMonths[static_cast<unsigned>(on.month()) - 1], " ",
                          static_cast<int>(on.year()), source_label.empty() ? "" : Cat(", bron: ", source_label),
                          ")")});
      break;
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.same_source != b.same_source) return a.same_source;
    return a.at > b.at;
  });
  std::vector<std::string> out;
  for (const auto& r : rows) {
    if (out.size() >= limit) break;
    out.push_back(r.text);
  }
  return out;
}

}  // namespace

std::string TrackRoleLabelNl(std::string_view role) {
  if (role == kSubjectParty) return "Betrokkene";
  if (role == kComplainantParty) return "Klager";
  if (role == kAccusedParty) return "Beklaagde";
  if (role == "criminal_investigator") return "Strafrechtelijk onderzoeker";
  if (role == "care_manager") return "Zorgverlenend leidinggevende";
  if (auto r = ParseRole(role)) return std::string(RoleLabelNl(*r));
  return std::string(role);
}

int TrackSuspension::Days() const {
  return static_cast<int>((std::chrono::sys_days(until) - std::chrono::sys_days(from)).count()) + 1;
}

TrackService::TrackService(Store& store, const Clock& clock, const workflow::TrackCatalogue& tracks)
    : store_(store), clock_(clock), tracks_(tracks) {}

Date TrackService::Today() const { return DateInAmsterdam(clock_.Now()); }

std::vector<const TrackDefinition*> TrackService::TracksToRegister(const Actor& actor) const {
  std::vector<const TrackDefinition*> out;
  const auto roles = RoleNamesOf(actor);
  for (const auto& def : tracks_.tracks) {
    if (def.id == "lmm") continue;  // the LMM has its own intake
    const auto* initial = def.InitialState();
    if (!initial) continue;
    bool may = false;
    for (const auto& t : def.transitions)
      if (std::find(t.from.begin(), t.from.end(), initial->id) != t.from.end())
        for (const auto& r : t.roles) may = may || roles.count(r) > 0;
    if (may) out.push_back(&def);
  }
  return out;
}

absl::StatusOr<Id> TrackService::Create(const Actor& actor, const NewTrackCase& n) {
  const TrackDefinition* def = tracks_.Find(n.track);
  if (!def || def->id == "lmm") return NotFound("Dit traject bestaat niet.");
  const auto allowed = TracksToRegister(actor);
  const Instant now = clock_.Now();
  if (std::find(allowed.begin(), allowed.end(), def) == allowed.end()) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, Cat("track.create_denied:", def->id), 0));
    return Forbidden(Cat("U kunt geen zaak openen op het traject ", def->name, "."));
  }
  if (Blank(n.summary)) return Invalid("Beschrijf kort waar de zaak over gaat.");
  if (n.summary.size() > kMaxFieldBytes) return Invalid("De omschrijving is te lang (maximaal 20.000 tekens).");
  const Date today = Today();
  const Date received = n.received_on.value_or(today);
  if (received > today) return Invalid("De datum van ontvangst ligt in de toekomst.");
  // The registrar's role on this case: the first of theirs the track's first
  // steps allow.
  std::string own_role;
  const auto roles = RoleNamesOf(actor);
  for (const auto& t : def->transitions)
    if (std::find(t.from.begin(), t.from.end(), def->InitialState()->id) != t.from.end())
      for (const auto& r : t.roles)
        if (own_role.empty() && roles.count(r)) own_role = r;
  Id id = 0;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    if (!tx.GetUnit(n.unit_id).ok()) return Invalid("Kies de eenheid waar de zaak speelt.");
    for (auto p : {n.subject_person, n.complainant_person})
      if (p && !tx.GetPerson(*p).ok()) return Invalid("Een gekozen persoon bestaat niet.");
    if (n.accused_team && !tx.GetUnit(*n.accused_team).ok()) return Invalid("Het gekozen team bestaat niet.");
    if (n.subject_person && n.complainant_person && *n.subject_person == *n.complainant_person)
      return Invalid("De klager en de betrokkene kunnen niet dezelfde persoon zijn.");
    TrackCase c;
    c.track = def->id;
    c.state = def->InitialState()->id;
    c.unit_id = n.unit_id;
    c.received_on = received;
    c.created_at = now;
    c.updated_at = now;
    c.created_by = actor.person_id;
    c.summary = Trim(n.summary);
    if (actor.person_id) c.members.push_back({actor.person_id, own_role});
    const bool complaint = def->id == "unwanted_behaviour" || def->id == "complaints_committee";
    if (n.subject_person) c.members.push_back({*n.subject_person, complaint ? kAccusedParty : kSubjectParty});
    if (n.complainant_person) c.members.push_back({*n.complainant_person, kComplainantParty});
    if (n.accused_team) c.fields["accused_team"] = std::to_string(*n.accused_team);
    ASSIGN_OR_RETURN(id, tx.InsertTrackCase(c, ReferencePrefix(def->id)));
    RETURN_IF_ERROR(WriteFact(tx, c, *def, now));
    AuditEvent e = TrackAudit(actor, now, Cat("track.create:", def->id), id, c.reference);
    return tx.AppendAudit(e);
  }));
  return id;
}

absl::StatusOr<TrackCaseView> TrackService::Open(const Actor& actor, Id id) {
  TrackCaseView v;
  const Instant now = clock_.Now();
  absl::Status denied;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(v.c, tx.GetTrackCase(id));
    v.def = Definitions(tx, tracks_).For(v.c.track, v.c.unit_id);
    if (!v.def) return absl::FailedPreconditionError(Cat("Het traject '", v.c.track, "' van deze zaak ontbreekt."));
    if (!MayRead(actor, *v.def, v.c)) {
      denied = NotFound("Deze zaak bestaat niet of u mag hem niet inzien.");
      return absl::OkStatus();
    }
    const auto* st = v.def->FindState(v.c.state);
    v.state_label = st ? st->label : v.c.state;
    if (auto u = tx.GetUnit(v.c.unit_id); u.ok()) v.unit_name = u->name;
    const auto steps = tx.ListTrackSteps(id);
    for (const auto& s : steps) {
      TrackStepView sv;
      sv.step = s;
      sv.label = StepLabel(*v.def, s);
      if (workflow::IsReservedAction(s.action)) sv.detail = Value(s.fields, s.fields.count("note") ? "note" : "reason");
      sv.by_name = PersonName(tx, s.by_person);
      v.steps.push_back(std::move(sv));
    }
    const Date today = Today();
    v.deadlines = DeadlinesOf(*v.def, v.c, steps, today);
    if (!IsTerminalState(*v.def, v.c.state)) v.reviews = ReviewsOf(*v.def, v.c, steps, today);
    // Which deadlines and review moments this viewer may record for, with
    // the same checks as ExtendDeadline, SuspendDeadline and RecordReviewHeld.
    for (auto& d : v.deadlines) {
      const workflow::DeadlineRule* rule = v.def->FindDeadline(d.id);
      if (!rule || !MayActFor(actor, *v.def, v.c, RolesMeeting(*v.def, *rule))) continue;
      if (!CheckDeadlineRunning(*v.def, v.c, d, today, "").ok()) continue;
      d.may_extend = workflow::CheckExtension(*rule, d.extensions).ok();
      d.may_suspend = rule->suspension_allowed;
    }
    for (auto& r : v.reviews)
      for (const auto& rule : v.def->reviews)
        if (rule.id == r.id) r.may_record = MayActFor(actor, *v.def, v.c, rule.roles);
    for (const auto& m : v.c.members)
      v.members.push_back({m.person_id, PersonName(tx, m.person_id), m.role, TrackRoleLabelNl(m.role)});
    // What this viewer may do now.
    const auto roles = RoleNamesOf(actor);
    std::set<std::string> seen;
    for (const auto& t : v.def->transitions) {
      if (seen.count(t.action)) continue;
      for (const auto& r : t.roles) {
        if (!roles.count(r)) continue;
        if (workflow::CheckTransition(*v.def, v.c.state, t.action, r).ok()) {
          v.actions.push_back(&t);
          seen.insert(t.action);
          break;
        }
      }
    }
    if (v.def->id == "vik_triage" && v.c.state == "triage") v.comparable_outcomes = ComparableOutcomes(tx, *v.def, v.c);
    v.may_add_members = ReadsWholeTrack(actor, *v.def);
    if (v.may_add_members)
      for (const auto& t : v.def->transitions)
        for (const auto& r : t.roles)
          if (std::find(v.member_roles.begin(), v.member_roles.end(), r) == v.member_roles.end())
            v.member_roles.push_back(r);
    // Investigation: care for the subject and delays.
    if (v.def->id == "investigation") {
      std::optional<Date> care_started, last_contact;
      for (const auto& s : steps) {
        if (s.action == "give_notice") care_started = StepDate(s);
        if (s.action == "record_care_contact")
          if (auto d = DateField(s.fields, "contact_on"); d && (!last_contact || *d > *last_contact)) last_contact = d;
        if (s.action == "register_delay") {
          int days = 0;
          const std::string text = Value(s.fields, "days");
          std::from_chars(text.data(), text.data() + text.size(), days);
          v.delay_days += std::max(days, 0);
        }
      }
      // Contact at least every N weeks: the track's care review moment.
      const workflow::ReviewMoment* care_review = nullptr;
      for (const auto& r : v.def->reviews)
        if (r.id == "care_contact" && r.unit == workflow::DeadlineUnit::kWeeks) care_review = &r;
      if (care_started && care_review && !IsTerminalState(*v.def, v.c.state))
        v.care = investigation::CareContact(*care_started, last_contact, care_review->every, Today());
    }
    AuditEvent e = TrackAudit(actor, now, "track.read", id);
    return tx.AppendAudit(e);
  }));
  if (!denied.ok()) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, Cat("track.read_denied:", AuditCaseId(id)), 0));
    return denied;
  }
  return v;
}

absl::StatusOr<std::vector<TrackListItem>> TrackService::List(const Actor& actor, bool open_only) {
  TrackCaseQuery q;
  std::set<std::string> terminal;
  for (const auto& def : tracks_.tracks) {
    if (def.id == "lmm") continue;
    if (ReadsWholeTrack(actor, def)) q.all_of_tracks.push_back(def.id);
    for (const auto& s : def.states)
      if (s.terminal) terminal.insert(s.id);
  }
  if (actor.person_id) q.member = actor.person_id;
  q.open_only = open_only;
  // A state id is terminal per track; filter exactly below, not in SQL.
  std::vector<TrackListItem> out;
  const Date today = Today();
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    Definitions defs(tx, tracks_);
    for (auto& s : tx.ListTrackCases(q)) {
      const TrackDefinition* def = defs.For(s.track, s.unit_id);
      if (!def) continue;
      if (open_only && IsTerminalState(*def, s.state)) continue;
      TrackListItem it;
      it.track_name = def->name;
      const auto* st = def->FindState(s.state);
      it.state_label = st ? st->label : s.state;
      if (auto u = tx.GetUnit(s.unit_id); u.ok()) it.unit_name = u->name;
      if (!def->deadlines.empty()) {
        auto c = tx.GetTrackCase(s.id);
        if (c.ok()) {
          for (auto& d : DeadlinesOf(*def, *c, tx.ListTrackSteps(s.id), today))
            if (d.due && !d.met_on && (!it.nearest || *d.due < *it.nearest->due)) it.nearest = d;
        }
      }
      it.summary = std::move(s);
      out.push_back(std::move(it));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::string> TrackService::Take(const Actor& actor, Id id, std::int64_t version,
                                               const std::string& action, std::map<std::string, std::string> posted,
                                               const std::vector<std::string>& checked) {
  // Extensions, suspensions and held review moments have their own checks;
  // as a step they would skip them.
  if (workflow::IsReservedAction(action))
    return NotFound(
        "Deze stap bestaat niet op dit traject. Een termijn verlengen of opschorten en een evaluatiemoment "
        "vastleggen gaan met hun eigen formulier.");
  const Instant now = clock_.Now();
  absl::Status denied;
  std::string next;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(TrackCase c, tx.GetTrackCase(id));
    const TrackDefinition* def = Definitions(tx, tracks_).For(c.track, c.unit_id);
    if (!def) return absl::FailedPreconditionError(Cat("Het traject '", c.track, "' van deze zaak ontbreekt."));
    if (!MayRead(actor, *def, c)) {
      denied = NotFound("Deze zaak bestaat niet of u mag hem niet inzien.");
      return absl::OkStatus();
    }
    if (c.version != version)
      return absl::AbortedError("Deze zaak is intussen door iemand anders gewijzigd. Laad de pagina opnieuw.");
    // The role this step is taken in: the first of the actor's that may.
    const auto roles = RoleNamesOf(actor);
    std::string role;
    absl::Status first_refusal = absl::PermissionDeniedError("U mag deze stap niet zetten.");
    bool tried = false;
    for (const auto& t : def->transitions) {
      if (t.action != action) continue;
      for (const auto& r : t.roles) {
        if (!roles.count(r) || !role.empty()) continue;
        absl::Status st = workflow::CheckTransition(*def, c.state, action, r);
        if (st.ok()) role = r;
        else if (!tried) first_refusal = st;
        tried = true;
      }
    }
    if (!def->HasAction(action)) return NotFound("Deze stap bestaat niet op dit traject.");
    if (role.empty()) {
      if (first_refusal.code() == absl::StatusCode::kPermissionDenied) {
        denied = first_refusal;
        return absl::OkStatus();
      }
      return first_refusal;
    }
    const TransitionDef* t = nullptr;
    for (const auto& x : def->transitions)
      if (x.action == action && std::find(x.from.begin(), x.from.end(), c.state) != x.from.end()) {
        t = &x;
        break;
      }
    if (!t) return absl::FailedPreconditionError("Deze stap kan nu niet.");
    // The values: only the fields this step asks for, each checked by its type.
    auto asked = [&](const std::string& k) {
      return std::find(t->required_fields.begin(), t->required_fields.end(), k) != t->required_fields.end() ||
             std::find(t->optional_fields.begin(), t->optional_fields.end(), k) != t->optional_fields.end();
    };
    std::map<std::string, std::string> step_fields;
    for (auto& [k, v] : posted) {
      const FieldDef* f = asked(k) ? def->FindField(k) : nullptr;
      if (!f) continue;
      RETURN_IF_ERROR(CheckFieldValue(tx, *f, v));
      if (!v.empty()) step_fields[k] = v;
    }
    std::vector<std::string> missing;
    for (const auto& k : t->required_fields)
      if (!step_fields.count(k)) {
        const FieldDef* f = def->FindField(k);
        missing.push_back(f ? f->label : k);
      }
    if (!missing.empty()) {
      std::string list;
      for (const auto& m : missing) list += Cat(list.empty() ? "" : "; ", m);
      return Invalid(Cat("Vul in: ", list, "."));
    }
    for (std::size_t i = 0; i < t->checklist.size(); ++i)
      if (std::find(checked.begin(), checked.end(), std::to_string(i)) == checked.end())
        return Invalid(Cat("Vink eerst af: ", t->checklist[i]));
    std::map<std::string, std::string> merged = c.fields;
    for (const auto& [k, v] : step_fields) merged[k] = v;
    const auto steps = tx.ListTrackSteps(id);
    auto to = workflow::NextState(*def, c.state, action, role, [&](const std::string& g) {
      return Guard(tx, g, actor, c, merged, steps, action, *def);
    });
    if (!to.ok()) return to.status();
    next = *to;
    // Who joins the case with this step.
    if (auto care = ParseId(Value(step_fields, "care_manager_id")))
      if (!c.HasMember(*care, "care_manager")) c.members.push_back({*care, "care_manager"});
    if (auto crim = ParseId(Value(step_fields, "criminal_investigator_id")))
      if (!c.HasMember(*crim, "criminal_investigator")) c.members.push_back({*crim, "criminal_investigator"});
    if (actor.person_id && !c.HasMember(actor.person_id, role)) c.members.push_back({actor.person_id, role});
    // A step that hands over opens the case on the other track in the same
    // transaction, and both carry each other's reference.
    for (const auto& x : def->transitions) {
      if (x.action != action || x.hands_over_to.empty() || (x.Stays() ? c.state : x.to) != next ||
          std::find(x.from.begin(), x.from.end(), c.state) == x.from.end())
        continue;
      const TrackDefinition* target = tracks_.Find(x.hands_over_to);
      if (!target) return absl::FailedPreconditionError(Cat("Het traject '", x.hands_over_to, "' ontbreekt."));
      ASSIGN_OR_RETURN(std::string opened, OpenFollowUp(tx, actor, c, *target, Today(), now));
      step_fields["handed_over_to"] = opened;
      merged["handed_over_to"] = opened;
      break;
    }
    TrackStep s{.case_id = id, .action = action, .from_state = c.state, .to_state = next, .at = now,
                .by_person = actor.person_id, .fields = step_fields};
    RETURN_IF_ERROR(tx.InsertTrackStep(s).status());
    c.fields = std::move(merged);
    c.state = next;
    c.updated_at = now;
    RETURN_IF_ERROR(tx.UpdateTrackCase(c, version));
    RETURN_IF_ERROR(WriteFact(tx, c, *def, now));
    AuditEvent e = TrackAudit(actor, now, Cat("track.", action), id, Cat(s.from_state, " -> ", next));
    return tx.AppendAudit(e);
  }));
  if (!denied.ok()) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, Cat("track.step_denied:", action, ":", AuditCaseId(id)), 0));
    return denied;
  }
  return next;
}

absl::Status TrackService::RecordReservedStep(const Actor& actor, Id id, std::int64_t version,
                                              std::string_view action, const ReservedCheck& check) {
  const Instant now = clock_.Now();
  absl::Status denied;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(TrackCase c, tx.GetTrackCase(id));
    const TrackDefinition* def = Definitions(tx, tracks_).For(c.track, c.unit_id);
    if (!def) return absl::FailedPreconditionError(Cat("Het traject '", c.track, "' van deze zaak ontbreekt."));
    if (!MayRead(actor, *def, c)) {
      denied = NotFound("Deze zaak bestaat niet of u mag hem niet inzien.");
      return absl::OkStatus();
    }
    if (c.version != version) return Stale("Deze zaak is intussen door iemand anders gewijzigd. Laad de pagina opnieuw.");
    const auto steps = tx.ListTrackSteps(id);
    auto rec = check(tx, c, *def, steps);
    if (!rec.ok()) {
      if (rec.status().code() != absl::StatusCode::kPermissionDenied) return rec.status();
      denied = rec.status();
      return absl::OkStatus();
    }
    // A step that stays: the history holds it beside the track's own steps.
    // Its fields stay with the step and do not go onto the case, where a
    // track field of the same name (such as 'reason') would be overwritten.
    TrackStep s{.case_id = id, .action = std::string(action), .from_state = c.state, .to_state = c.state, .at = now,
                .by_person = actor.person_id, .fields = std::move(rec->fields)};
    RETURN_IF_ERROR(tx.InsertTrackStep(s).status());
    // The version moves on as after any step, so a form from before it is stale.
    c.updated_at = now;
    RETURN_IF_ERROR(tx.UpdateTrackCase(c, version));
    RETURN_IF_ERROR(WriteFact(tx, c, *def, now));  // an extension or suspension moves the next due date
    AuditEvent e = TrackAudit(actor, now, Cat("track.", action), id, rec->audit_detail);
    return tx.AppendAudit(e);
  }));
  if (!denied.ok()) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, Cat("track.step_denied:", action, ":", AuditCaseId(id)), 0));
    return denied;
  }
  return absl::OkStatus();
}

absl::Status TrackService::ExtendDeadline(const Actor& actor, Id id, std::int64_t version,
                                          const std::string& deadline, const std::string& reason) {
  const Date today = Today();
  return RecordReservedStep(
      actor, id, version, workflow::kDeadlineExtendedAction,
      [&](StoreTx&, const TrackCase& c, const TrackDefinition& def,
          const std::vector<TrackStep>& steps) -> absl::StatusOr<ReservedStep> {
        const workflow::DeadlineRule* rule = def.FindDeadline(deadline);
        if (!rule) return NotFound("Deze termijn bestaat niet op dit traject.");
        if (!MayActFor(actor, def, c, RolesMeeting(def, *rule)))
          return Forbidden(Cat("Alleen wie aan de zaak werkt met een rol die de termijn '", rule->label,
                               "' haalt, of wie het hele traject overziet, mag hem verlengen."));
        if (rule->extension.max_count <= 0) return workflow::CheckExtension(*rule, 0);
        TrackDeadlineView d;
        for (auto& x : DeadlinesOf(def, c, steps, today))
          if (x.id == rule->id) d = std::move(x);
        RETURN_IF_ERROR(CheckDeadlineRunning(def, c, d, today, "verlengd"));
        RETURN_IF_ERROR(workflow::CheckExtension(*rule, d.extensions));
        ASSIGN_OR_RETURN(std::string why, CheckedText(reason, "Vul de reden van de verlenging in."));
        return ReservedStep{{{"deadline", rule->id}, {"reason", why}},
                            Cat(rule->id, " ", d.extensions + 1, "/", rule->extension.max_count)};
      });
}

absl::Status TrackService::SuspendDeadline(const Actor& actor, Id id, std::int64_t version,
                                           const std::string& deadline, Date from, Date until,
                                           const std::string& reason) {
  const Date today = Today();
  return RecordReservedStep(
      actor, id, version, workflow::kDeadlineSuspendedAction,
      [&](StoreTx&, const TrackCase& c, const TrackDefinition& def,
          const std::vector<TrackStep>& steps) -> absl::StatusOr<ReservedStep> {
        const workflow::DeadlineRule* rule = def.FindDeadline(deadline);
        if (!rule) return NotFound("Deze termijn bestaat niet op dit traject.");
        if (!MayActFor(actor, def, c, RolesMeeting(def, *rule)))
          return Forbidden(Cat("Alleen wie aan de zaak werkt met een rol die de termijn '", rule->label,
                               "' haalt, of wie het hele traject overziet, mag hem opschorten."));
        if (!rule->suspension_allowed)
          return Conflict(Cat("De termijn '", rule->label, "' kan niet worden opgeschort."));
        TrackDeadlineView d;
        for (auto& x : DeadlinesOf(def, c, steps, today))
          if (x.id == rule->id) d = std::move(x);
        RETURN_IF_ERROR(CheckDeadlineRunning(def, c, d, today, "opgeschort"));
        if (until < from) return Invalid("De opschorting eindigt voordat ze begint. Vul een einddatum in op of na de begindatum.");
        if (from > today)
          return Invalid(
              "De opschorting begint in de toekomst. Leg haar vast zodra ze is begonnen; de einddatum mag wel in de "
              "toekomst liggen.");
        if (d.start && from < *d.start)
          return Invalid(Cat("De opschorting begint voordat de termijn begon (", FormatDateNl(*d.start), ")."));
        for (const auto& sp : d.suspensions)
          if (!(until < sp.from || sp.until < from))
            return Conflict(Cat("Deze periode overlapt met de opschorting van ", FormatDateNl(sp.from),
                                " tot en met ", FormatDateNl(sp.until), ". Een dag kan maar één keer worden opgeschort."));
        ASSIGN_OR_RETURN(std::string why, CheckedText(reason, "Vul de reden van de opschorting in."));
        return ReservedStep{
            {{"deadline", rule->id}, {"from", FormatDateNl(from)}, {"until", FormatDateNl(until)}, {"reason", why}},
            Cat(rule->id, " ", FormatDateNl(from), " t/m ", FormatDateNl(until))};
      });
}

absl::Status TrackService::RecordReviewHeld(const Actor& actor, Id id, std::int64_t version, const std::string& review,
                                            Date held_on, const std::string& note) {
  const Date today = Today();
  return RecordReservedStep(
      actor, id, version, workflow::kReviewHeldAction,
      [&](StoreTx&, const TrackCase& c, const TrackDefinition& def,
          const std::vector<TrackStep>& steps) -> absl::StatusOr<ReservedStep> {
        const workflow::ReviewMoment* r = nullptr;
        for (const auto& x : def.reviews)
          if (x.id == review) r = &x;
        if (!r) return NotFound("Dit evaluatiemoment bestaat niet op dit traject.");
        if (!MayActFor(actor, def, c, r->roles))
          return Forbidden(Cat("Alleen wie aan de zaak werkt en deelneemt aan '", r->label,
                               "', of wie het hele traject overziet, legt vast dat het is gehouden."));
        if (IsTerminalState(def, c.state)) return Conflict("Deze zaak is afgesloten; er zijn geen evaluatiemomenten meer.");
        if (!InReview(*r, c.state))
          return Conflict(Cat("Het evaluatiemoment '", r->label, "' hoort niet bij de fase waarin de zaak nu is."));
        if (held_on > today) return Invalid("Deze datum ligt in de toekomst. Leg een evaluatiemoment vast als het is gehouden.");
        const Date since = ReviewStretchStart(*r, c, steps);
        if (held_on < since)
          return Invalid(since == c.received_on
                             ? Cat("Deze datum ligt voor de ontvangst van de zaak (", FormatDateNl(since), ").")
                             : Cat("Deze datum ligt voor ", FormatDateNl(since),
                                   ", toen de zaak in de fase van dit evaluatiemoment kwam."));
        for (Date d : HeldDates(*r, steps, since))
          if (d == held_on)
            return Conflict(Cat("Er is al vastgelegd dat '", r->label, "' op ", FormatDateNl(held_on), " is gehouden."));
        ASSIGN_OR_RETURN(std::string text, CheckedText(note, "", /*optional=*/true));
        ReservedStep out{{{"review", r->id}, {"held_on", FormatDateNl(held_on)}},
                         Cat(r->id, " ", FormatDateNl(held_on))};
        if (!text.empty()) out.fields["note"] = text;
        return out;
      });
}

absl::Status TrackService::AddMember(const Actor& actor, Id id, Id person, const std::string& role) {
  const Instant now = clock_.Now();
  absl::Status denied;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(TrackCase c, tx.GetTrackCase(id));
    const TrackDefinition* def = Definitions(tx, tracks_).For(c.track, c.unit_id);
    if (!def) return absl::FailedPreconditionError("Het traject van deze zaak ontbreekt.");
    // Whoever reads the whole track (the team chief, the CVP, the chair)
    // staffs its cases.
    if (!ReadsWholeTrack(actor, *def)) {
      denied = Forbidden("Alleen wie het hele traject overziet, wijst mensen toe aan een zaak.");
      return absl::OkStatus();
    }
    if (!tx.GetPerson(person).ok()) return Invalid("Deze persoon bestaat niet.");
    if (c.HasMember(person, role)) return Conflict("Deze persoon heeft deze rol al in de zaak.");
    if (role == "investigator")
      RETURN_IF_ERROR(investigation::CheckInvestigatorAssignment(Assignments(c), person,
                                                                 investigation::InvestigationKind::kDisciplinary));
    if (role == "criminal_investigator")
      RETURN_IF_ERROR(investigation::CheckInvestigatorAssignment(Assignments(c), person,
                                                                 investigation::InvestigationKind::kCriminal));
    const std::int64_t version = c.version;
    c.members.push_back({person, role});
    c.updated_at = now;
    RETURN_IF_ERROR(tx.UpdateTrackCase(c, version));
    AuditEvent e = TrackAudit(actor, now, "track.member_added", id, Cat(role, " ", person));
    return tx.AppendAudit(e);
  }));
  if (!denied.ok()) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, Cat("track.member_denied:", AuditCaseId(id)), 0));
    return denied;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<SignalView>> TrackService::Signals(const Actor& actor) {
  if (!actor.Has(Role::kCentralCounsellor)) return Forbidden("Alleen de centrale vertrouwenspersoon ziet signalen.");
  std::vector<SignalView> out;
  const Date today = Today();
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    TrackCaseQuery q;
    q.all_of_tracks = {"unwanted_behaviour"};
    q.limit = 100000;
    // Complaints grouped by the definition that applies in their unit, so a
    // unit that tightened the signal function's norms gets its own.
    Definitions defs(tx, tracks_);
    std::map<const TrackDefinition*, std::vector<complaints::ComplaintRef>> groups;
    for (const auto& s : tx.ListTrackCases(q)) {
      auto c = tx.GetTrackCase(s.id);
      if (!c.ok()) continue;
      const TrackDefinition* def = defs.For(c->track, c->unit_id);
      if (!def) continue;
      complaints::ComplaintRef r;
      r.complaint_id = c->id;
      r.complainant_person = MemberWith(*c, kComplainantParty).value_or(0);
      r.accused_person = MemberWith(*c, kAccusedParty);
      if (auto team = ParseId(Value(c->fields, "accused_team"))) r.accused_team = *team;
      r.received = c->received_on;
      if (r.complainant_person == 0) continue;  // an anonymous complaint cannot be told apart
      groups[def].push_back(r);
    }
    std::vector<complaints::Signal> signals;
    for (const auto& [def, refs] : groups) {
      const workflow::NormDef* period = def->FindNorm("signal_period");
      const workflow::NormDef* complainants = def->FindNorm("signal_complainants");
      if (!period || period->unit != "calendar_days" || !complainants) continue;  // no signal function here
      for (auto& sig : complaints::DetectSignals(refs, today, period->amount, complainants->amount))
        signals.push_back(std::move(sig));
    }
    for (const auto& sig : signals) {
      SignalView v;
      v.signal = sig;
      v.text = complaints::TextNl(sig, [&](complaints::SignalConcerns kind, Id who) {
        if (kind == complaints::SignalConcerns::kPerson) return PersonName(tx, who);
        auto u = tx.GetUnit(who);
        return u.ok() ? u->name : std::string();
      });
      out.push_back(std::move(v));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int> TrackService::WriteMissingFacts() {
  int n = 0;
  for (;;) {
    int batch = 0;
    RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
      Definitions defs(tx, tracks_);
      for (Id id : tx.CasesWithoutFacts("track", 1000)) {
        ASSIGN_OR_RETURN(TrackCase c, tx.GetTrackCase(id));
        const TrackDefinition* def = defs.For(c.track, c.unit_id);
        if (!def) return absl::FailedPreconditionError(Cat("Het traject '", c.track, "' ontbreekt."));
        RETURN_IF_ERROR(WriteFact(tx, c, *def, clock_.Now()));
        ++batch;
      }
      return absl::OkStatus();
    }));
    n += batch;
    if (batch == 0) return n;
  }
}

absl::StatusOr<TrackCase> TrackService::OpenTriageCaseIn(StoreTx& tx, const Actor& actor, const std::string& summary,
                                                         Id unit_id, const std::string& source,
                                                         const std::string& source_reference,
                                                         std::optional<Id> subject_person) {
  const TrackDefinition* def = tracks_.Find("vik_triage");
  if (!def) return NotFound("Het traject Triage VIK ontbreekt.");
  const Instant now = clock_.Now();
  TrackCase c;
  c.track = def->id;
  c.state = def->InitialState()->id;
  c.unit_id = unit_id;
  c.received_on = Today();
  c.created_at = now;
  c.updated_at = now;
  c.created_by = actor.person_id;  // not a member: the source's information stays apart
  c.summary = Trim(summary);
  c.fields["source"] = source;
  c.fields["source_reference"] = source_reference;
  if (subject_person) c.members.push_back({*subject_person, kSubjectParty});
  ASSIGN_OR_RETURN(Id id, tx.InsertTrackCase(c, ReferencePrefix(def->id)));
  RETURN_IF_ERROR(WriteFact(tx, c, *def, now));
  return tx.GetTrackCase(id);
}

absl::StatusOr<Id> TrackService::HandOverFromLmm(const Actor& actor, const LmmSignal& s) {
  const TrackDefinition* def = tracks_.Find("vik_triage");
  if (!def) return NotFound("Het traject Triage VIK ontbreekt.");
  const Instant now = clock_.Now();
  if (Blank(s.summary)) return Invalid("Beschrijf het signaal voor VIK.");
  if (s.summary.size() > kMaxFieldBytes) return Invalid("De omschrijving is te lang (maximaal 20.000 tekens).");
  absl::Status denied;
  Id id = 0;
  absl::Status result = store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(LmmCase report, tx.GetCase(s.lmm_case_id));
    // The coordinator keeps the overview of all reports and is the one who
    // signals; a VPI on the case is not (their role is the reporter's trust).
    if (!actor.Has(Role::kCoordinator)) {
      denied = Forbidden("Alleen de coördinator signaleert een melding aan VIK.");
      return denied;
    }
    if (auto st = access::CheckCase(actor, access::RelationOf(actor, report), report, access::CaseAction::kRead);
        !st.ok()) {
      denied = st;
      return st;
    }
    if (report.state == LmmState::kRegistered)
      return Conflict("Bemens de melding eerst; daarna kan een signaal naar VIK.");
    if (s.subject_person &&
        std::find(report.subject_person_ids.begin(), report.subject_person_ids.end(), *s.subject_person) ==
            report.subject_person_ids.end())
      return Invalid("Kies een betrokkene die in de melding genoemd is.");
    ASSIGN_OR_RETURN(TrackCase stored,
                     OpenTriageCaseIn(tx, actor, s.summary, report.unit_id, "lmm", report.reference, s.subject_person));
    id = stored.id;
    CaseEvent ev{.case_id = report.id, .at = now, .actor_person = actor.person_id, .kind = "vik_signal",
                 .visibility = "team", .text = Cat("Gesignaleerd aan VIK-triage als ", stored.reference, ".")};
    RETURN_IF_ERROR(tx.AppendCaseEvent(ev).status());
    AuditEvent e = TrackAudit(actor, now, "track.handover:lmm", id, Cat(report.reference, " -> ", stored.reference));
    RETURN_IF_ERROR(tx.AppendAudit(e));
    AuditEvent on_report = AuditFor(actor, false, now, "case.vik_signal", report.id, stored.reference);
    return tx.AppendAudit(on_report);
  });
  if (!denied.ok()) RETURN_IF_ERROR(AuditDenial(store_, actor, now, "case.vik_signal_denied", s.lmm_case_id));
  RETURN_IF_ERROR(result);
  return id;
}

}  // namespace waarborg::app
