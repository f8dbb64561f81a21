// The LMM track (DOMAIN §2): which step may follow which, what must be filled
// in first, and the statutory deadlines (DOMAIN §8).
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/access/access.h"
#include "core/calendar/dutch_calendar.h"
#include "core/cases/lmm_case.h"

namespace waarborg::workflow {

// OK when `action` is a valid next step for `c` in its current state and the
// step's preconditions hold; FailedPrecondition (HTTP 409) with a Dutch
// message otherwise. Read actions are always valid.
// `coordinator_is_advisor_on_case`: the coordinator is one of the case's two
// VPIs (weighing: the coordinator's part is in the weighing itself; reporter's
// VPI: the coordinator may not take part), so no separate coordinator review
// is required.
absl::Status CheckTransition(const LmmCase& c, access::CaseAction action,
                             bool coordinator_is_advisor_on_case = false);

// Acknowledgement of receipt: within 7 days of receipt (EU 2019/1937 art. 9,
// Wbk), moved to the next working day by the Algemene termijnenwet.
Date AcknowledgementDue(Date received, const calendar::HolidayOptions& opts = {});

// Feedback on assessment and follow-up: at most 3 months after the
// acknowledgement; when none was sent, 3 months after the 7-day period ends.
Date FeedbackDue(Date received, std::optional<Date> acknowledged,
                 const calendar::HolidayOptions& opts = {});

struct Deadline {
  std::string kind;   // "acknowledgement", "feedback", "weighing_end"
  std::string label;  // Dutch
  Date due;
  std::optional<Date> met_on;
  // Open and past its due date on `today`.
  bool OverdueOn(Date today) const;
};

// The deadlines of a case, open or met.
std::vector<Deadline> DeadlinesOf(const LmmCase& c);

// The nearest open deadline, if any.
std::optional<Deadline> NearestOpenDeadline(const LmmCase& c);

// The steps that could follow in the case's current state, in workflow
// order (the caller filters by access).
std::vector<access::CaseAction> PossibleSteps(const LmmCase& c);

}  // namespace waarborg::workflow
