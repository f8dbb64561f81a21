// The LMM track (DOMAIN §2) as the engine runs it: the definition in
// workflows/tracks/lmm.yaml (states, steps, who takes them, guards,
// statutory deadlines of DOMAIN §8) bound to the LMM's richer case model
// (core/cases/lmm_case.h). Which step may follow which, where it leads and
// when it is due come from the file; this header binds the file's names to
// the case (LmmState, access::CaseAction) and the guard names to predicates
// on the case. Who may act on one particular case (the two VPIs, an invited
// reviewer, the coordinator's separation of duties) is a relation, not a
// role, and stays in core/access.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/access/access.h"
#include "core/calendar/dutch_calendar.h"
#include "core/cases/lmm_case.h"
#include "core/workflow/track.h"

namespace waarborg::workflow {

struct Deadline {
  std::string kind;   // deadline id from the file, or "weighing_end"
  std::string label;  // Dutch
  Date due;
  std::optional<Date> met_on;
  // Open and past its due date on `today`.
  bool OverdueOn(Date today) const;
};

// The earliest open deadline of a case from the due dates stored on it
// (acknowledgement, feedback, expected end of the weighing); none for a
// closed case. The store keeps it on the row for lists and reminders.
std::optional<Deadline> NearestOpenDeadline(const LmmCase& c);

// Guards whose outcome depends on what the step itself records (the
// definition test's answers, the decision, the chosen VPIs). They choose
// between the step's targets once the step is filled in; the others must
// hold before the step is taken.
bool IsLmmInputGuard(std::string_view guard);

// OK when `guard` holds for `c`; FailedPrecondition (409) with a Dutch
// reason otherwise, also for a guard name the LMM does not know.
// `coordinator_is_advisor_on_case`: the coordinator is one of the case's two
// VPIs (weighing VPI: the coordinator's part is in the weighing itself;
// reporter's VPI: the coordinator may not take part), so no separate
// coordinator review is required.
absl::Status LmmGuard(std::string_view guard, const LmmCase& c, bool coordinator_is_advisor_on_case);

class LmmTrack {
 public:
  // Binds a (validated) definition: it must have a state for every LmmState
  // with the same terminal flag, a step for every action the LMM's use cases
  // take, only targets the model knows, only LMM guards, and the
  // acknowledgement and feedback deadlines counted from events the case
  // records. InvalidArgument listing every problem (Dutch, with lines).
  static absl::StatusOr<LmmTrack> Bind(TrackDefinition def, calendar::HolidayOptions holidays = {});

  const TrackDefinition& definition() const { return def_; }

  // OK when one of the actor's roles may ever take `action` on this track
  // (the file's `roles`); PermissionDenied (Dutch) otherwise. Reads are the
  // case check's (core/access).
  absl::Status CheckRole(const Actor& actor, access::CaseAction action) const;

  // OK when `action` is a step of the file from the case's current state and
  // the guards that do not depend on the step's own input hold for one of
  // its transitions; FailedPrecondition (409) with a Dutch message otherwise.
  // Read actions are always valid.
  absl::Status CheckTransition(const LmmCase& c, access::CaseAction action,
                               bool coordinator_is_advisor_on_case = false) const;

  // Where `action` leads once its change is applied: the first transition of
  // the file from `before.state` whose guards hold, the input guards judged
  // on `after` (the case with the step's record) and the others on `before`.
  absl::StatusOr<LmmState> NextState(const LmmCase& before, const LmmCase& after, access::CaseAction action,
                                     bool coordinator_is_advisor_on_case = false) const;

  // The file's acknowledgement deadline (7 days after receipt, EU 2019/1937
  // art. 9, Wbk; moved to the next working day by the Algemene termijnenwet).
  Date AcknowledgementDue(Date received) const;
  // The file's feedback deadline (3 months after the acknowledgement; when
  // none was sent, after the end of the acknowledgement period).
  Date FeedbackDue(Date received, std::optional<Date> acknowledged) const;

  // The deadlines of a case, open or met, with the file's labels; the
  // expected end of the weighing (a date the weighing VPI sets) last.
  std::vector<Deadline> DeadlinesOf(const LmmCase& c) const;

  // The steps that could follow in the case's current state, in file order
  // (the caller filters by access): a step that moves the case is offered in
  // its state, so that the page can say what is still missing; a step that
  // leaves the case where it is only when its guards hold (acknowledge once).
  std::vector<access::CaseAction> PossibleSteps(const LmmCase& c) const;

  // The Dutch label of the step in the file.
  std::string StepLabel(access::CaseAction action) const;
  // The Dutch label of a deadline kind (see Deadline::kind).
  std::string DeadlineLabel(std::string_view kind) const;

 private:
  explicit LmmTrack(TrackDefinition def, calendar::HolidayOptions holidays)
      : def_(std::move(def)), holidays_(holidays) {}
  std::vector<const TransitionDef*> From(LmmState state, access::CaseAction action) const;
  absl::Status Holds(const TransitionDef& t, const LmmCase& before, const LmmCase* after,
                     bool coordinator_on_case) const;
  Date DueOf(const DeadlineRule& rule, Date start, bool shift = true) const;
  std::optional<Date> StartOf(const DeadlineRule& rule, const LmmCase& c) const;

  TrackDefinition def_;
  calendar::HolidayOptions holidays_;
};

}  // namespace waarborg::workflow
