// Domain rules of VIK internal investigations (DOMAIN §4, §8; issue 4 §5) as
// pure functions: no clock, no I/O, no storage. The track files in
// workflows/tracks/*.yaml name guards (StandardGuards() in
// core/workflow/track.cc); each check below says which guard it implements.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "core/calendar/dutch_calendar.h"
#include "core/common/date.h"
#include "core/org/org.h"

namespace waarborg::investigation {

// ---------------------------------------------------------------------------
// Separation of duties (functiescheiding), DOMAIN §4.

enum class InvestigationKind {
  kDisciplinary,  // disciplinair onderzoek
  kCriminal,      // strafrechtelijk onderzoek (Rijksrecherche, onder het OM)
};
// Stable name for the database and the API: "disciplinary", "criminal".
std::string_view InvestigationKindName(InvestigationKind k);
std::string_view InvestigationKindLabelNl(InvestigationKind k);
std::optional<InvestigationKind> ParseInvestigationKind(std::string_view s);

// One person investigating one matter (zaak) in one kind. Ended assignments
// stay in the list with active == false: having investigated a matter counts
// as much as investigating it now.
struct InvestigatorAssignment {
  Id person_id = 0;
  Id matter_id = 0;
  InvestigationKind kind = InvestigationKind::kDisciplinary;
  bool active = true;
};

// Guard `investigator_not_criminal_on_same_matter`. `matter_assignments` are
// all assignments (active and ended) of ONE matter. Refuses (FailedPrecondition)
// assigning `person` in `kind` when that person investigates or investigated
// the same matter in the other kind. Assignments of several matters in one list
// are refused as invalid input rather than checked half.
absl::Status CheckInvestigatorAssignment(const std::vector<InvestigatorAssignment>& matter_assignments,
                                         Id person, InvestigationKind kind);

// Guard `investigator_not_criminal_on_same_matter`, for the transition of a
// disciplinary case that turns criminal: the investigator must change. Refuses
// an empty proposal and any proposed criminal investigator who is or was a
// disciplinary investigator of the matter.
absl::Status CheckTurnsCriminal(const std::vector<InvestigatorAssignment>& matter_assignments,
                                const std::vector<Id>& proposed_criminal_investigators);

// ---------------------------------------------------------------------------
// Notice of investigation (aanzegging), DOMAIN §4: never just before a weekend
// or public holiday, when no support is available.

// Guard `notice_not_before_day_off`. Refuses (FailedPrecondition) a notice
// planned on the last working day before a weekend or public holiday unless a
// non-blank reason is recorded. A notice planned on a weekend day or public
// holiday itself is refused in the same way (no support that day either).
absl::Status CheckNoticeDate(Date planned, std::string_view recorded_reason,
                             const calendar::HolidayOptions& opts = {});

// ---------------------------------------------------------------------------
// Preparation time before the hearing (hoorgesprek), DOMAIN §4 rights.

// The preparation time: the number of working days d with
// description_given < d < hearing, i.e. strictly after the day the description
// of the alleged misconduct was given, up to and including the day before the
// hearing. Neither the day of giving nor the hearing day counts. 0 when the
// hearing is not after the description.
int PreparationWorkingDays(Date description_given, Date hearing,
                           const calendar::HolidayOptions& opts = {});

// The first day on which a hearing leaves `min_working_days` of preparation
// time: the day after the min-th working day after `description_given`.
Date EarliestHearing(Date description_given, int min_working_days,
                     const calendar::HolidayOptions& opts = {});

// Guard `preparation_time_respected`. Refuses (FailedPrecondition) when
// PreparationWorkingDays() < min_working_days, naming the earliest allowed
// hearing date; invalid input (bad dates, hearing not after the description,
// a negative minimum) is InvalidArgument.
absl::Status CheckPreparationTime(Date description_given, Date hearing, int min_working_days,
                                  const calendar::HolidayOptions& opts = {});

// ---------------------------------------------------------------------------
// Care (P-zorg), DOMAIN §4.

struct CareContactStatus {
  Date next_due;          // contact is due on or before this day
  bool overdue = false;   // today is after next_due
  int days_overdue = 0;   // calendar days after next_due; 0 when not overdue
};

// Contact with the subject at least every `every_weeks` weeks (values below 1
// count as 1). Counted in calendar days from the later of the care start and
// the last contact; the due date is not moved off weekends (an internal norm,
// not a statutory term).
CareContactStatus CareContact(Date care_started, std::optional<Date> last_contact, int every_weeks,
                              Date today);

// Everyone with a role in the case.
struct CaseParties {
  Id subject = 0;                            // betrokkene
  std::optional<Id> complainant;             // klager of melder, when known
  std::vector<Id> investigators;             // disciplinary and criminal
  std::optional<Id> commissioning_manager;   // opdrachtgever / bevoegd gezag
};

// Guard `care_manager_not_conflicted`. The care manager (zorgverlenende
// leidinggevende) may be none of the parties; refuses (FailedPrecondition)
// naming the role that conflicts. A missing care manager (id <= 0) is invalid.
absl::Status CheckCareManager(Id care_manager, const CaseParties& parties);

// ---------------------------------------------------------------------------
// Delay reasons (vertragers), DOMAIN §4: registered with their days.

struct DelayReason {
  std::string reason;
  Date from;  // first day of the delay
  Date to;    // last day of the delay (inclusive)
};

// Calendar days covered by the union of the periods, both ends inclusive;
// overlapping or repeated days count once. Entries that fail
// CheckDelayReason's date rules are skipped.
int DelayDays(const std::vector<DelayReason>& reasons);

// Non-blank reason, valid dates, to >= from.
absl::Status CheckDelayReason(const DelayReason& r);

// ---------------------------------------------------------------------------
// Outcome, DOMAIN §4 (equal treatment, learning) and §8 (BARP art. 76-77).

// Disciplinary penalties of the Besluit algemene rechtspositie politie as
// listed in DOMAIN §8, in statute order: written_reprimand, extra_duty,
// reduced_leave, fine, salary_withheld, lower_salary_step, suspension,
// dismissal.
std::vector<std::string_view> BarpPenaltyKeys();
bool IsBarpPenalty(std::string_view key);
// Dutch label; empty for an unknown key.
std::string_view BarpPenaltyLabelNl(std::string_view key);

// Rank categories so that sanctions can be compared across ranks (DOMAIN §4
// "no class justice"): executive (aspirant t/m brigadier), middle_management
// (inspecteur, hoofdinspecteur), senior_management (commissaris en hoger),
// civilian (niet-executief personeel).
std::vector<std::string_view> RankCategoryKeys();
bool IsRankCategory(std::string_view key);
// Dutch label; empty for an unknown key.
std::string_view RankCategoryLabelNl(std::string_view key);

// Guard `penalty_from_barp_list`. Exactly one of a BARP penalty (by key) or a
// learning measure (free text describing it), and a known rank category of the
// subject. Blank strings count as empty. Refusals are InvalidArgument.
absl::Status CheckOutcome(std::string_view penalty_or_empty, std::string_view learning_measure_or_empty,
                          std::string_view subject_rank_category);

}  // namespace waarborg::investigation
