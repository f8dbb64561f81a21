// Who may see or do what. Every access decision in Waarborg is made here, from
// the actor's roles, the actor's relation to the case, and the case's state.
// Handlers and use cases ask; they never decide themselves.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/cases/lmm_case.h"
#include "core/org/org.h"

namespace waarborg::access {

// What an actor wants to do with one case.
enum class CaseAction {
  kRead,               // the case page: summary, timeline, deadlines
  kReadIdentity,       // the reporter's identity
  kReadWeighing,       // definition test, weighing, reviews, advice (internal)
  kReadOutcome,        // advice and decision once the authority has decided
  kReadProtection,     // contacts, adverse treatment, aftercare, satisfaction
  kReadAccessLog,      // who has looked at the case
  kStaff,              // assign the two VPIs
  kRecordDefinitionTest,
  kRecordWeighing,
  kInviteReviewer,
  kReview,
  kAdvise,
  kDecide,
  kAcknowledge,        // ontvangstbevestiging sent
  kRecordFeedback,     // terugkoppeling given
  kRecordProtection,   // contact, benadeling, nazorg, tevredenheid
  kClose,
};
std::string_view CaseActionName(CaseAction a);

// The actor's relation to one case, computed by the caller from the store.
struct CaseRelation {
  bool is_reporter = false;           // came back with this case's receipt
  bool is_reporter_advisor = false;   // VPI van de melder
  bool is_weighing_advisor = false;   // wegende VPI
  bool is_reviewer = false;           // invited for collegial review
  bool registered_it = false;         // the VPI who took the report in
};

// Computes the relation of `actor` to `c`. The server does not link a report
// to an account: a reporter is someone who came back with the receipt.
CaseRelation RelationOf(const Actor& actor, const LmmCase& c);

// OK when `actor` may take `action` on `c`; PermissionDenied with a Dutch
// reason otherwise. Does not check workflow state validity (core/workflow does).
absl::Status CheckCase(const Actor& actor, const CaseRelation& rel, const LmmCase& c,
                       CaseAction action);

// The rules that hold whatever the case's state (separation of duties): the
// reporter's VPI never takes part in the definition test, weighing, review or
// advice; the weighing VPI does not review the own weighing; the reporter
// takes no step on the own case. PermissionDenied when one applies.
absl::Status CheckSeparationOfDuties(const Actor& actor, const CaseRelation& rel, CaseAction action);

// True when check passes; convenience for building views.
bool Can(const Actor& actor, const CaseRelation& rel, const LmmCase& c, CaseAction action);

// Whether `actor` sees LMM cases in lists at all, and which: the store filters
// by these facts (coordinator: all; VPI: own; authority: advised and later).
// A reporter reaches the own report with the receipt, never through a list.
struct ListScope {
  bool all = false;
  bool as_member = false;        // cases where the actor is VPI, reviewer or registrar
  bool as_authority = false;     // cases with an advice
};
ListScope CaseListScope(const Actor& actor);

// Facts needed to decide whether a VPI may be assigned to a case.
struct AdvisorCandidate {
  Id person_id = 0;
  bool is_advisor = false;                 // holds the VPI or coordinator role
};
struct CaseParties {
  std::optional<Id> reporter_person_id;
  std::vector<Id> reporter_chain;          // managers above the reporter
  std::vector<Id> subject_ids;
  std::vector<std::vector<Id>> subject_chains;  // managers above each subject
};

// Separation of duties for staffing (DOMAIN §2): a VPI who is the reporter,
// is named in the report, or sits in the chain of command of the reporter or
// of a subject cannot be assigned. OK or PermissionDenied naming the reason.
absl::Status CheckAdvisorEligible(const AdvisorCandidate& candidate, const CaseParties& parties);

// Messages on a case (DOMAIN §2: the reporter's VPI is the reporter's
// contact). Visibility "reporter": the reporter, the reporter's VPI and the
// coordinator (and the VPI who registered it, until the case is staffed);
// "team": the case team (both VPIs, reviewers, coordinator); "personal": the
// author only.
bool MaySeeMessage(const Actor& actor, const CaseRelation& rel, const LmmCase& c, std::string_view visibility,
                   Id author_person);
// Whether `actor` may write a message with `visibility`; PermissionDenied
// with a Dutch reason otherwise (InvalidArgument for an unknown visibility).
absl::Status CheckPostMessage(const Actor& actor, const CaseRelation& rel, const LmmCase& c,
                              std::string_view visibility);

// Audit trail search is for auditors (and the coordinator for LMM cases).
absl::Status CheckAuditSearch(const Actor& actor);
// Managing accounts and the organisation is for admins.
absl::Status CheckAdmin(const Actor& actor);
// Registering a report on someone's behalf (conversation, mailbox) is for VPIs.
absl::Status CheckRegisterOnBehalf(const Actor& actor);
// Registering VPI activities (CVP meetings, information sessions).
absl::Status CheckRecordActivity(const Actor& actor);

}  // namespace waarborg::access
