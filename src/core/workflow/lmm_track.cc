#include "core/workflow/lmm_track.h"

#include <algorithm>

#include "core/common/status.h"

namespace waarborg::workflow {

using access::CaseAction;

namespace {

absl::Status NotNow(std::string_view msg) { return Conflict(msg); }

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
  return std::any_of(c.reviews.begin(), c.reviews.end(),
                     [](const Review& r) { return r.by_coordinator; });
}

}  // namespace

absl::Status CheckTransition(const LmmCase& c, CaseAction action,
                             bool coordinator_is_advisor_on_case) {
  const LmmState s = c.state;
  switch (action) {
    case CaseAction::kRead:
    case CaseAction::kReadIdentity:
    case CaseAction::kReadWeighing:
    case CaseAction::kReadOutcome:
    case CaseAction::kReadProtection:
    case CaseAction::kReadAccessLog:
      return absl::OkStatus();
    case CaseAction::kStaff:
      if (s != LmmState::kRegistered)
        return NotNow("Deze melding is al bemenst met twee VPI's.");
      return absl::OkStatus();
    case CaseAction::kRecordDefinitionTest:
      if (s == LmmState::kRegistered)
        return NotNow("Eerst moeten twee VPI's zijn toegewezen.");
      if (s != LmmState::kStaffed)
        return NotNow("De toets aan de definitie is al vastgelegd.");
      return absl::OkStatus();
    case CaseAction::kRecordWeighing:
    case CaseAction::kInviteReviewer:
    case CaseAction::kReview:
      if (s != LmmState::kWeighing)
        return NotNow("Dit kan alleen tijdens het wegingsonderzoek.");
      return absl::OkStatus();
    case CaseAction::kAdvise:
      if (s == LmmState::kRegistered)
        return NotNow("Een advies kan pas nadat twee VPI's zijn toegewezen en de weging is gedaan.");
      if (s != LmmState::kWeighing)
        return NotNow("Een advies kan alleen na het wegingsonderzoek worden uitgebracht.");
      if (!c.weighing || !WeighingComplete(*c.weighing))
        return NotNow("Leg eerst alle vier criteria van de weging vast, elk met een onderbouwing, en de verwachte einddatum.");
      if (!CoordinatorReviewed(c) && !coordinator_is_advisor_on_case)
        return NotNow("De coördinator heeft de weging nog niet collegiaal getoetst.");
      if (!OtherVpiReviewed(c))
        return NotNow("Nog geen collegiale toets door een andere VPI (niet de VPI van de melder).");
      return absl::OkStatus();
    case CaseAction::kDecide:
      if (s != LmmState::kAdvised)
        return NotNow("Het bevoegd gezag kan pas besluiten als er een advies ligt.");
      return absl::OkStatus();
    case CaseAction::kAcknowledge:
      if (c.acknowledged_on) return NotNow("De ontvangst is al bevestigd.");
      if (IsTerminal(s)) return NotNow("Deze melding is afgesloten.");
      return absl::OkStatus();
    case CaseAction::kRecordFeedback:
      if (!c.acknowledged_on) return NotNow("Bevestig eerst de ontvangst aan de melder.");
      return absl::OkStatus();
    case CaseAction::kRecordProtection:
      if (s == LmmState::kRegistered)
        return NotNow("Eerst moet een VPI van de melder zijn toegewezen.");
      return absl::OkStatus();
    case CaseAction::kClose:
      if (s != LmmState::kInvestigation)
        return NotNow("Alleen een melding in onderzoek kan hier worden afgesloten.");
      return absl::OkStatus();
  }
  return NotNow("Onbekende stap.");
}

Date AcknowledgementDue(Date received, const calendar::HolidayOptions& opts) {
  return calendar::StatutoryDeadline(calendar::AddDays(received, 7), opts);
}

Date FeedbackDue(Date received, std::optional<Date> acknowledged,
                 const calendar::HolidayOptions& opts) {
  Date base = acknowledged ? *acknowledged : calendar::AddDays(received, 7);
  return calendar::StatutoryDeadline(calendar::AddMonthsClamped(base, 3), opts);
}

bool Deadline::OverdueOn(Date today) const {
  return !met_on && std::chrono::sys_days(today) > std::chrono::sys_days(due);
}

std::vector<Deadline> DeadlinesOf(const LmmCase& c) {
  std::vector<Deadline> out;
  out.push_back({"acknowledgement", "Ontvangstbevestiging aan de melder (7 dagen)",
                 c.acknowledgement_due, c.acknowledged_on});
  out.push_back({"feedback", "Terugkoppeling over beoordeling en vervolg (3 maanden)",
                 c.feedback_due, c.feedback_given_on});
  if (c.weighing && c.weighing->expected_end) {
    std::optional<Date> done;
    if (c.advice) done = DateInAmsterdam(c.advice->at);
    out.push_back({"weighing_end", "Verwachte einde wegingsonderzoek", *c.weighing->expected_end,
                   done});
  }
  return out;
}

std::optional<Deadline> NearestOpenDeadline(const LmmCase& c) {
  if (IsTerminal(c.state)) return std::nullopt;
  std::optional<Deadline> best;
  for (auto& d : DeadlinesOf(c)) {
    if (d.met_on) continue;
    if (!best || std::chrono::sys_days(d.due) < std::chrono::sys_days(best->due)) best = d;
  }
  return best;
}

std::vector<CaseAction> PossibleSteps(const LmmCase& c) {
  std::vector<CaseAction> steps;
  for (CaseAction a : {CaseAction::kAcknowledge, CaseAction::kStaff,
                       CaseAction::kRecordDefinitionTest, CaseAction::kRecordWeighing,
                       CaseAction::kInviteReviewer, CaseAction::kReview, CaseAction::kAdvise,
                       CaseAction::kDecide, CaseAction::kRecordFeedback,
                       CaseAction::kRecordProtection, CaseAction::kClose}) {
    if (a == CaseAction::kAdvise) {
      if (c.state == LmmState::kWeighing) steps.push_back(a);
      continue;
    }
    if (CheckTransition(c, a).ok()) steps.push_back(a);
  }
  return steps;
}

}  // namespace waarborg::workflow
