// Cases on the tracks defined as data (issue 4): unwanted behaviour, the
// complaints committee, VIK triage and investigations. The track file says
// which step may follow which, who may take it, what it must record and its
// deadlines; this service enforces that, binds the guard names of the files
// to the rules in core/cases (investigation_rules, complaint_rules), keeps the
// history, and audits every step.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/cases/complaint_rules.h"
#include "core/cases/investigation_rules.h"
#include "core/cases/track_case.h"
#include "core/ports/clock.h"
#include "core/ports/store.h"
#include "core/workflow/track_catalogue.h"

namespace waarborg::app {

struct NewTrackCase {
  std::string track;
  Id unit_id = 0;
  std::string summary;
  std::optional<Date> received_on;      // today when empty; never in the future
  std::optional<Id> subject_person;     // betrokkene / the accused
  std::optional<Id> complainant_person; // klager, when known
  std::optional<Id> accused_team;       // unwanted behaviour: a team complained about
};

// A suspension (opschorting) of a deadline: both days count, so 01-12 up to
// and including 10-12 suspends it for 10 calendar days.
struct TrackSuspension {
  Date from{};
  Date until{};  // inclusive
  int Days() const;
};

// A deadline as it stands: due is recomputed from the track file and the
// case's history (its starting event, the extensions and suspensions
// recorded as steps), never stored.
struct TrackDeadlineView {
  std::string id;
  std::string label;
  bool legal = false;
  std::optional<Date> start;    // the date it counts from; empty: not started
  std::optional<Date> due;      // empty while its starting event has not happened
  std::optional<Date> met_on;
  bool overdue = false;
  int extensions = 0;           // recorded extensions (verlengingen)
  int max_extensions = 0;       // the file's max_count; 0: cannot be extended
  int extension_amount = 0;     // per extension, in `unit`
  workflow::DeadlineUnit unit = workflow::DeadlineUnit::kCalendarDays;
  bool suspension_allowed = false;
  std::vector<TrackSuspension> suspensions;
  int suspended_days = 0;       // calendar days, all suspensions together
  // Whether this viewer may record an extension or a suspension now (Open
  // only; List leaves them false).
  bool may_extend = false;
  bool may_suspend = false;
};

// A fixed review moment (vast evaluatiemoment) while the case is in one of
// its states: the next one on or after today, counted from the day the case
// entered those states or, once one was held, from the last held date.
struct TrackReviewView {
  std::string id;
  std::string label;
  Date next{};
  std::optional<Date> last_held;
  bool may_record = false;  // this viewer may record that it was held
};

struct TrackStepView {
  TrackStep step;
  std::string label;    // the transition's Dutch label, or what a reserved step did
  std::string by_name;
  std::string detail;   // a reserved step's reason or note, as typed
};

struct TrackMemberView {
  Id person_id = 0;
  std::string name;
  std::string role;        // as stored
  std::string role_label;  // Dutch
};

struct TrackCaseView {
  TrackCase c;
  const workflow::TrackDefinition* def = nullptr;
  std::string unit_name;
  std::string state_label;
  std::vector<TrackStepView> steps;
  std::vector<TrackDeadlineView> deadlines;
  std::vector<TrackReviewView> reviews;
  std::vector<TrackMemberView> members;
  // The steps this viewer may take now, in file order.
  std::vector<const workflow::TransitionDef*> actions;
  // Whether this viewer staffs the case (reads the whole track), and the
  // roles the track's steps use, to add someone in.
  bool may_add_members = false;
  std::vector<std::string> member_roles;
  // VIK triage, while the approach is being chosen: what was chosen in
  // earlier triage cases (anonymised: the approach, the month, the source;
  // no names, no texts, no references), as a consistency aid.
  std::vector<std::string> comparable_outcomes;
  // Investigation: contact with the subject (P-zorg) and registered delays.
  std::optional<investigation::CareContactStatus> care;
  int delay_days = 0;
};

struct TrackListItem {
  TrackCaseSummary summary;
  std::string track_name;
  std::string state_label;
  std::string unit_name;
  std::optional<TrackDeadlineView> nearest;  // the nearest open deadline
};

// A signal for the CVP (signal function, DOMAIN §3): names who it is about,
// never who complained.
struct SignalView {
  complaints::Signal signal;
  std::string text;  // Dutch
};

// Dutch label of a track role or party ("investigator", "subject", ...).
std::string TrackRoleLabelNl(std::string_view role);

// A report on the LMM handed to VIK triage as a signal (DOMAIN §4: signals
// come from managers, the LMM and Protective Monitoring). The coordinator
// writes the signal for VIK: nothing of the report is copied, so nothing
// that could identify the reporter travels with it; only the report's
// reference, its unit and, when chosen, one of its named subjects.
struct LmmSignal {
  Id lmm_case_id = 0;
  std::string summary;
  std::optional<Id> subject_person;  // one of the report's subjects
};

class TrackService {
 public:
  // The norms the rules count with (preparation time, care contact, the
  // signal function) come from the track files, a unit's tightening
  // included (workflows/units): see DefinitionFor.
  TrackService(Store& store, const Clock& clock, const workflow::TrackCatalogue& tracks);

  // The tracks `actor` may open a case on: those with a step from the
  // initial state that one of the actor's roles may take.
  std::vector<const workflow::TrackDefinition*> TracksToRegister(const Actor& actor) const;

  absl::StatusOr<Id> Create(const Actor& actor, const NewTrackCase& n);
  absl::StatusOr<TrackCaseView> Open(const Actor& actor, Id id);
  absl::StatusOr<std::vector<TrackListItem>> List(const Actor& actor, bool open_only);

  // Takes step `action` on case `id` (at `version`): the actor must hold a
  // role the step allows and work on the case (or read the whole track);
  // only the step's own (required and optional) fields are kept; every
  // required field must be filled in; every checklist item ticked
  // (`checked` holds their indexes, as text); every guard must hold. The
  // fields go on the case and with the step. Returns the new state.
  absl::StatusOr<std::string> Take(const Actor& actor, Id id, std::int64_t version, const std::string& action,
                                   std::map<std::string, std::string> fields, const std::vector<std::string>& checked);

  // Deadlines and review moments (workflow::IsReservedAction): each is
  // recorded as a step that leaves the case where it is, with the fields
  // named below, so the due dates are recomputed from the file and the
  // history. Who may: whoever works on the case with a role of a step that
  // meets the deadline (met_by), or with a role of the review moment, and
  // whoever reads the whole track. Someone who may not see the case gets
  // NotFound, as for Take; someone on the case without such a role
  // PermissionDenied (both audited as denials). A stale `version` is
  // Aborted. Nothing is written when refused.
  //
  // Extends `deadline` by the rule's extension amount (fields: deadline,
  // reason). FailedPrecondition when the rule has no extension, max_count is
  // reached, the deadline has not started, is met or has already passed (an
  // expired term cannot be extended afterwards: the AVG asks for notice within
  // the term, and a norm extended afterwards would hide an overrun), or the
  // case is closed; InvalidArgument without a reason.
  absl::Status ExtendDeadline(const Actor& actor, Id id, std::int64_t version, const std::string& deadline,
                              const std::string& reason);

  // Suspends `deadline` from `from` up to and including `until` (fields:
  // deadline, from, until, reason); the due date moves by that many calendar
  // days. FailedPrecondition when the rule allows no suspension, the deadline
  // has not started, is met or has passed, the case is closed, or the period
  // overlaps an earlier suspension of the same deadline; InvalidArgument
  // without a reason, when `until` is before `from`, when `from` is in the
  // future (a suspension is recorded once it has begun; its end may lie
  // ahead) or before the deadline started.
  absl::Status SuspendDeadline(const Actor& actor, Id id, std::int64_t version, const std::string& deadline,
                               Date from, Date until, const std::string& reason);

  // Records that review moment `review` was held on `held_on` (fields:
  // review, held_on, note); the next moment counts from the last held date.
  // FailedPrecondition when the review does not apply in the case's state or
  // was already recorded for that day; InvalidArgument when `held_on` is in
  // the future or before the case entered the review's states. `note` may be
  // empty.
  absl::Status RecordReviewHeld(const Actor& actor, Id id, std::int64_t version, const std::string& review,
                                Date held_on, const std::string& note);

  // Adds a person with a track role to the case (e.g. an investigator); the
  // separation of duties is checked for investigators.
  absl::Status AddMember(const Actor& actor, Id id, Id person, const std::string& role);

  // Hands an LMM report to VIK triage (coordinator only, once the report is
  // staffed): a new case on vik_triage with source "lmm" and the report's
  // reference, for the VIK team chief to assign; the report's history says
  // which VIK case it became. One transaction; audited on both.
  absl::StatusOr<Id> HandOverFromLmm(const Actor& actor, const LmmSignal& s);

  // The new VIK triage case of a hand-off from another part of Waarborg (the
  // LMM, Protective Monitoring), inside the caller's transaction `tx`, so
  // the hand-off and its source change together. `source` names where it
  // came from ("lmm", "monitor"), `source_reference` what (a reference, never
  // content); `unit_id` the unit the case is registered under; `subject_person` joins as the
  // subject when given. The caller audits. Returns the new
  // case with its reference.
  absl::StatusOr<TrackCase> OpenTriageCaseIn(StoreTx& tx, const Actor& actor, const std::string& summary,
                                             Id unit_id, const std::string& source,
                                             const std::string& source_reference,
                                             std::optional<Id> subject_person = std::nullopt);

  // Signal function: persons and teams with complaints from two or more
  // different complainants in the window. For the central counsellor.
  absl::StatusOr<std::vector<SignalView>> Signals(const Actor& actor);

  // Writes the dashboard fact of every case that has none (a database from
  // before the facts existed); returns how many.
  absl::StatusOr<int> WriteMissingFacts();

  Date Today() const;
  const workflow::TrackCatalogue& tracks() const { return tracks_; }

 private:
  // What a reserved step records: its fields and the audit detail (no free
  // text: the audit trail names what happened, the case holds the why).
  struct ReservedStep {
    std::map<std::string, std::string> fields;
    std::string audit_detail;
  };
  // Checks a reserved step against the case (loaded, readable by the actor,
  // at the expected version) and its history; PermissionDenied is audited as
  // a denial.
  using ReservedCheck = std::function<absl::StatusOr<ReservedStep>(
      StoreTx& tx, const TrackCase& c, const workflow::TrackDefinition& def, const std::vector<TrackStep>& steps)>;
  // One transaction: load, may the actor see the case, version, `check`,
  // the step, the case's version, the audit event.
  absl::Status RecordReservedStep(const Actor& actor, Id id, std::int64_t version, std::string_view action,
                                  const ReservedCheck& check);

  Store& store_;
  const Clock& clock_;
  const workflow::TrackCatalogue& tracks_;
};

}  // namespace waarborg::app
