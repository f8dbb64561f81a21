// Case tracks as data (issue 4 §1): a track's states, transitions, deadlines
// and review moments as plain structs, filled from a file by
// adapters/workflow_files. This header holds the rules about a definition
// (validation, tightening by a unit), the generic deadline calculator, and the
// questions a use case or a page asks of a track (which steps now, may this
// role take this step, where does the reporter stand). No I/O.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/calendar/dutch_calendar.h"
#include "core/common/date.h"

namespace waarborg::workflow {

// A step in a track (status). `line` is the line in the source file (0 when
// the definition was not read from a file); validation errors carry it.
struct StateDef {
  std::string id;             // snake_case, e.g. "weighing"
  std::string label;          // Dutch, e.g. "Wegingsonderzoek"
  std::string reporter_text;  // plain Dutch for the reporter or complainant
  bool initial = false;
  bool terminal = false;
  int line = 0;
};

// A step someone takes (overgang). An empty `to` means the step leaves the
// case where it is (for example "ontvangst bevestigen"): it may then also be
// taken in a terminal state.
struct TransitionDef {
  std::string action;                        // snake_case, e.g. "advise"
  std::string label;                         // Dutch; the action id when empty
  std::vector<std::string> from;             // state ids
  std::string to;                            // state id, or empty: stays
  std::vector<std::string> roles;            // role names, e.g. "coordinator"
  std::vector<std::string> required_fields;  // must be filled in first
  std::vector<std::string> checklist;        // Dutch items to tick off
  std::vector<std::string> guards;           // names of code predicates
  int line = 0;
  // May be filled in (e.g. a reason that lifts a guard). Last, so that
  // positional initialisation in tests keeps working.
  std::vector<std::string> optional_fields;
  // Taking this step opens a case on another track (e.g. triage chooses a
  // disciplinary investigation): its id, or empty.
  std::string hands_over_to;

  bool Stays() const { return to.empty(); }
  const std::string& DisplayLabel() const { return label.empty() ? action : label; }
};

enum class DeadlineUnit { kCalendarDays, kWorkingDays, kWeeks, kMonths };
// "calendar_days", "working_days", "weeks", "months".
std::string_view DeadlineUnitName(DeadlineUnit u);
std::optional<DeadlineUnit> ParseDeadlineUnit(std::string_view s);
// Dutch, for labels: "kalenderdagen", "werkdagen", "weken", "maanden".
std::string_view DeadlineUnitLabelNl(DeadlineUnit u);
// An amount in a unit, in Dutch: "2 maanden", "1 week", "10 werkdagen".
std::string AmountLabelNl(int n, DeadlineUnit u);

// Extension (verlenging): each extension adds `amount` in the deadline's unit,
// at most `max_count` times. Both 0: no extension.
struct ExtensionRule {
  int amount = 0;
  int max_count = 0;
};

// A term (termijn). Counted from `from`: "received" (the date the report or
// complaint came in) or the action id of a transition. When that event has
// not happened and `otherwise_from_due_of` names another deadline, it counts
// from the end of that deadline's term instead, before any shift by the
// Algemene termijnenwet (feedback: 3 months after the acknowledgement, or
// after the 7-day period when none was sent). The caller finds the start
// date; DueDate computes from it.
struct DeadlineRule {
  std::string id;
  std::string label;  // Dutch
  std::string from = "received";
  std::string otherwise_from_due_of;  // deadline id, optional
  int amount = 0;
  DeadlineUnit unit = DeadlineUnit::kCalendarDays;
  std::vector<std::string> met_by;  // action ids; any one of them meets it
  bool legal = false;  // wettelijke termijn: a unit may only tighten it
  std::string basis;   // legal source, required when legal
  bool suspension_allowed = false;  // opschorting
  ExtensionRule extension;
  bool algemene_termijnenwet = false;  // ends on a day off -> next working day
  int line = 0;
};

// A fixed moment (vast evaluatiemoment), e.g. every 6 weeks with the
// commissioning authority while the investigation runs.
struct ReviewMoment {
  std::string id;
  std::string label;  // Dutch
  std::vector<std::string> states;  // while the case is in one of these
  int every = 0;
  DeadlineUnit unit = DeadlineUnit::kWeeks;
  std::vector<std::string> roles;  // who takes part (optional)
  int line = 0;
};

// A norm the rules of a track count with (DOMAIN §4: "a configurable
// minimum"), e.g. the preparation time before a hearing or the period of the
// signal function. `unit`: "calendar_days", "working_days", "weeks",
// "months" or "count". `bound` says which way is stricter: a minimum may be
// raised, a maximum lowered. A legal norm (a right of the subject, a term of
// law) a unit may only tighten; the others are the unit's to set.
enum class NormBound { kNone, kMinimum, kMaximum };
// "minimum", "maximum"; kNone has no name.
std::optional<NormBound> ParseNormBound(std::string_view s);
inline constexpr std::string_view kCountUnit = "count";

struct NormDef {
  std::string id;
  std::string label;  // Dutch
  int amount = 0;
  std::string unit;
  NormBound bound = NormBound::kNone;
  bool legal = false;
  std::string basis;  // required when legal
  int line = 0;
};

// A field a step asks for (required_fields name them). The generic case
// pages draw the form from it.
enum class FieldType { kText, kTextarea, kDate, kYesNo, kChoice, kPerson };
// "text", "textarea", "date", "yesno", "choice", "person".
std::string_view FieldTypeName(FieldType t);
std::optional<FieldType> ParseFieldType(std::string_view s);

struct FieldOption {
  std::string key;
  std::string label;  // Dutch
};

struct FieldDef {
  std::string id;
  std::string label;  // Dutch
  FieldType type = FieldType::kText;
  std::vector<FieldOption> options;  // choice only
  std::string help;                  // Dutch, optional
  int line = 0;
};

struct TrackDefinition {
  std::string id;           // "lmm", equal to the file name
  std::string name;         // Dutch
  std::string description;  // plain Dutch, for reporters
  // The usual route for the reporter's page; empty: derived (see MainPath).
  std::vector<std::string> main_path;
  int main_path_line = 0;
  std::vector<StateDef> states;
  std::vector<TransitionDef> transitions;
  std::vector<DeadlineRule> deadlines;
  std::vector<ReviewMoment> reviews;
  // The fields its steps ask for; when present, every required field must be
  // one of them. (The LMM has its own pages and declares none.)
  std::vector<FieldDef> fields;
  // Roles that may open every case of the track; everyone else only the
  // cases they work on (members).
  std::vector<std::string> readers;
  int line = 0;
  std::vector<NormDef> norms;

  const NormDef* FindNorm(std::string_view id) const;

  const FieldDef* FindField(std::string_view id) const;

  const StateDef* FindState(std::string_view id) const;
  const DeadlineRule* FindDeadline(std::string_view id) const;
  const StateDef* InitialState() const;  // the first one flagged initial
  bool HasAction(std::string_view action) const;
};

// The guard names a track may use, each bound to a predicate in code; the
// value is a Dutch description of what must hold.
struct GuardRegistry {
  std::map<std::string, std::string, std::less<>> guards;
  bool Has(std::string_view name) const { return guards.find(name) != guards.end(); }
};

// The guards the shipped tracks use (workflows/tracks). The LMM ones match
// the checks in core/workflow/lmm_track.cc.
const GuardRegistry& StandardGuards();

// Role names a track may give a step to: RoleName() of every core Role, plus
// the DOMAIN §1 roles the later tracks need (counsellor, central_counsellor,
// committee_member, committee_chair, triage_officer, investigator,
// vik_team_chief, manager, ...).
const std::vector<std::string>& KnownRoleNames();

// The event every track may count from: the day the matter came in.
inline constexpr std::string_view kReceivedEvent = "received";

// Steps the engine records beside a track's own transitions: a deadline
// extended (verlengd) or suspended (opgeschort), a review moment held. They
// go into the case's history like any step (from_state == to_state), so the
// history stays in one place and a due date can always be recomputed from the
// file and the history. A track may not use these names for its own actions,
// or a transition could pass itself off as one of them (ValidateTrack).
inline constexpr std::string_view kDeadlineExtendedAction = "deadline_extended";
inline constexpr std::string_view kDeadlineSuspendedAction = "deadline_suspended";
inline constexpr std::string_view kReviewHeldAction = "review_held";
bool IsReservedAction(std::string_view action);

// A problem in a definition, with the line of the offending element.
struct TrackError {
  int line = 0;
  std::string message;  // Dutch
};

// Every problem in `def`, in file order of discovery (empty when valid):
// duplicate or malformed ids; missing labels or reporter texts; not exactly
// one initial state; unknown states in from/to; unreachable states;
// non-terminal states with no way out; terminal states with steps that lead
// elsewhere; ambiguous transitions (same action and state, different target,
// no distinguishing guards); unknown roles and guards; transitions without
// roles; deadlines counted from or met by unknown events, non-positive
// amounts, inconsistent extensions, legal deadlines without a basis; review
// moments in unknown states or with non-positive intervals; a main_path that
// does not start at the initial state, skips a step or does not end in a
// terminal state; a transition using a reserved action name (IsReservedAction).
std::vector<TrackError> ValidateTrack(const TrackDefinition& def, const GuardRegistry& guards);

// The due date of `rule` counted from `start` (the date of its event):
// amount plus `extensions` (clamped to 0..max_count) times the extension
// amount, in the rule's unit; plus `suspended_days` calendar days when the
// rule allows suspension (ignored otherwise); then moved to the next working
// day when the Algemene termijnenwet applies. Working days count from the day
// after `start`, skipping weekends and public holidays.
Date DueDate(const DeadlineRule& rule, Date start, int suspended_days, int extensions,
             const calendar::HolidayOptions& opts = {});

// OK when one more extension of `rule` is allowed after `extensions_so_far`;
// FailedPrecondition with a Dutch message otherwise.
absl::Status CheckExtension(const DeadlineRule& rule, int extensions_so_far);

// Next fixed moment of `review` after `last` (the previous moment, or the day
// the case entered the state).
Date NextReview(const ReviewMoment& review, Date last, const calendar::HolidayOptions& opts = {});

// A unit may also tighten a legal norm in the direction of its bound (raise
// a minimum, lower a maximum), in the same unit, and keep it legal.
// A unit may tighten a deadline (shorter, fewer or shorter extensions, no
// suspension, no shift to the next working day) but never loosen a legal one:
// a legal deadline of `base` must stay in `unit_override`, stay legal, count
// from and be met by the same events, and not become later for any start
// date, not allow more or longer extensions, nor allow suspension or the shift
// when the base does not. Other (non-legal) norms are the unit's to set.
// InvalidArgument naming each offending deadline; OK otherwise.
absl::Status CheckTightening(const TrackDefinition& base, const TrackDefinition& unit_override);
// The same problems one by one, with the line in the override.
std::vector<TrackError> TighteningErrors(const TrackDefinition& base,
                                         const TrackDefinition& unit_override);

// The actions `role` may take in `state`, in file order, without duplicates.
std::vector<std::string> AllowedActions(const TrackDefinition& def, std::string_view state,
                                        std::string_view role);

// OK when `role` may take `action` in `state`. InvalidArgument for an action
// the track does not know; PermissionDenied (Dutch) when the role may never
// take it, or not in this state; FailedPrecondition (Dutch) when the step
// cannot be taken in this state. Guards are the caller's (see NextState).
absl::Status CheckTransition(const TrackDefinition& def, std::string_view state,
                             std::string_view action, std::string_view role);

// Where `action` by `role` leads from `state`: CheckTransition, then the
// first matching transition whose guards all hold (`guard` returns OK or a
// FailedPrecondition with a Dutch reason). Returns `state` itself for a step
// that stays. When no candidate's guards hold, the first failing reason.
absl::StatusOr<std::string> NextState(
    const TrackDefinition& def, std::string_view state, std::string_view action,
    std::string_view role, const std::function<absl::Status(const std::string& guard)>& guard);

// The usual route from the initial state to a terminal state: `main_path`
// when given, else from the initial state always the first listed transition
// to a state not yet on the route.
std::vector<std::string> MainPath(const TrackDefinition& def);

enum class StepMark { kPast, kCurrent, kFuture };
struct PlainStep {
  std::string state;
  std::string label;
  std::string reporter_text;
  StepMark mark = StepMark::kFuture;
};

// The steps a reporter sees on the own case: the main path with the steps
// before `current_state` past and those after it future. When the case left
// the main path (e.g. referred), the shortest route there and, unless it is
// final, the shortest way back onto the main path and on. Empty when
// `current_state` is unknown.
std::vector<PlainStep> PlainSteps(const TrackDefinition& def, std::string_view current_state);

// Breadth-first distance of each state from the initial state over
// state-changing transitions; unreachable states are absent.
std::map<std::string, int> StateDepths(const TrackDefinition& def);

}  // namespace waarborg::workflow
