// Use cases of the LMM track (DOMAIN §2). Each runs as one transaction:
// authorise (core/access) -> check the step (core/workflow) -> change ->
// store -> audit. A failure leaves nothing behind.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/access/access.h"
#include "core/cases/lmm_case.h"
#include "core/ports/clock.h"
#include "core/ports/store.h"
#include "core/workflow/lmm_track.h"

namespace waarborg::app {

struct NewReport {
  std::string channel;            // online (by the reporter), conversation, mailbox (by a VPI)
  std::string reporter_category;
  std::string summary;
  std::string description;
  Id unit_id = 0;
  std::vector<Id> subject_person_ids;
  // Identity; for online intake by an employee it is the actor's own.
  std::optional<Id> reporter_person_id;
  std::string reporter_name;
  std::string reporter_contact;
  std::optional<Date> received_on;  // for mailbox/conversation; default today
  // Stored in the same transaction as the case, so a failed intake leaves
  // nothing behind: the receipt's Argon2id hash (never the receipt), cleaned
  // attachments, and an e-mail address the reporter chose to leave.
  std::string receipt_hash;
  bool receipt_must_replace = false;
  std::vector<Attachment> attachments;
  std::string notify_email;
};

// A person as a viewer may see them on a case.
struct PartyView {
  Id person_id = 0;
  std::string name;
  std::string role;  // Dutch label
};

struct TimelineEntry {
  Instant at = 0;
  std::string kind;
  std::string text;
  std::string actor_name;
  std::optional<Date> on;
};

struct AccessLogEntry {
  Instant at = 0;
  std::string actor;
  std::string action;
};

// What one viewer may see of one case. Absent parts are not theirs to see.
struct CaseView {
  LmmCase c;                               // with confidential parts cleared
  std::string reporter_display;            // identity or pseudonym
  bool identity_visible = false;
  std::optional<ReporterIdentity> identity;
  bool weighing_visible = false;           // definition test, weighing, reviews
  bool outcome_visible = false;            // advice and decision
  bool is_reporter_view = false;           // the reporter's own, plain view
  std::string unit_name;
  std::vector<PartyView> parties;
  std::vector<workflow::Deadline> deadlines;
  std::vector<TimelineEntry> timeline;
  std::vector<access::CaseAction> next_steps;  // steps this viewer can take now
  std::vector<AccessLogEntry> access_log;       // only for coordinator/auditor
  std::string status_for_reporter;             // plain Dutch for the reporter
};

struct AdvisorSuggestion {
  Person person;
  bool adopted_unit = false;  // adopted the report's unit: suggested first
  bool eligible = true;
  std::string reason;         // why not eligible
};

struct CaseListItem {
  CaseSummary summary;
  std::string unit_name;
  std::optional<workflow::Deadline> nearest;
  bool overdue = false;
};

class LmmService {
 public:
  // `track`: the LMM track from workflows/tracks/lmm.yaml (the steps, who
  // takes them, guards and statutory deadlines), bound to the case model.
  LmmService(Store& store, const Clock& clock, const workflow::LmmTrack& track);

  absl::StatusOr<Id> Register(const Actor& actor, const NewReport& r);
  // Opens a case: access check and an audit event "case.read" in one
  // transaction. `with_access_log`: also load who has looked at it (for the
  // coordinator and the auditor; costs a query, so only when shown).
  absl::StatusOr<CaseView> Open(const Actor& actor, Id case_id, bool with_access_log = false);
  absl::StatusOr<std::vector<CaseListItem>> List(const Actor& actor, CaseListQuery q);
  // Open cases whose nearest deadline has passed (coordinator: all).
  absl::StatusOr<std::vector<CaseListItem>> Overdue(const Actor& actor);

  absl::StatusOr<std::vector<AdvisorSuggestion>> SuggestAdvisors(const Actor& actor, Id case_id);
  absl::Status Staff(const Actor& actor, Id case_id, std::int64_t version, Id reporter_advisor,
                     Id weighing_advisor);
  absl::Status RecordDefinitionTest(const Actor& actor, Id case_id, std::int64_t version,
                                    const DefinitionTest& t);
  absl::Status RecordWeighing(const Actor& actor, Id case_id, std::int64_t version, const Weighing& w);
  absl::Status InviteReviewer(const Actor& actor, Id case_id, std::int64_t version, Id reviewer);
  absl::Status AddReview(const Actor& actor, Id case_id, std::int64_t version, bool agrees,
                         const std::string& opinion);
  absl::Status Advise(const Actor& actor, Id case_id, std::int64_t version, const Advice& a);
  absl::Status Decide(const Actor& actor, Id case_id, std::int64_t version, const AuthorityDecision& d);
  absl::Status Acknowledge(const Actor& actor, Id case_id, std::int64_t version, std::optional<Date> on);
  absl::Status RecordFeedback(const Actor& actor, Id case_id, std::int64_t version,
                              std::optional<Date> on, const std::string& text);
  // kind: contact, adverse_treatment, aftercare, satisfaction, psychosocial_referral
  absl::Status RecordProtection(const Actor& actor, Id case_id, const std::string& kind,
                                std::optional<Date> on, const std::string& text);
  absl::Status Close(const Actor& actor, Id case_id, std::int64_t version, const std::string& reason);

  absl::StatusOr<Id> RecordActivity(const Actor& actor, const Activity& a);
  absl::StatusOr<std::vector<Activity>> ListActivities(const Actor& actor);

  // Writes the dashboard fact of every report that has none (a database
  // from before the facts existed); returns how many.
  absl::StatusOr<int> WriteMissingFacts();

  Date Today() const;

 private:
  // Loads the case, checks access and the step, applies `change`, stores with
  // the version check, writes the timeline entry and the audit event.
  absl::Status Mutate(const Actor& actor, Id case_id, std::int64_t version, access::CaseAction action,
                      const std::function<absl::Status(StoreTx&, LmmCase&, std::string& timeline)>& change);

  Store& store_;
  const Clock& clock_;
  const workflow::LmmTrack& track_;
};

extern const std::vector<std::string_view> kProtectionKinds;
std::string_view ProtectionKindLabelNl(std::string_view kind);
extern const std::vector<std::string_view> kActivityKinds;
std::string_view ActivityKindLabelNl(std::string_view kind);
std::string_view CaseActionLabelNl(access::CaseAction a);

}  // namespace waarborg::app
