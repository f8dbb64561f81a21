// Learning cases (issue 5 §5): a case of a track turned into an anonymised
// story for learning circles. Who may do what:
//
// - Start a draft: whoever may open the case and handles it (a reader of its
//   track, or on its case team: a member with a role, not a party), once its
//   outcome is known (core/learning/draft.h CheckAdvancedEnough). When the
//   case has a complainant, the author confirms the complainant agrees
//   (DOMAIN §3: the complainant decides what may be passed on).
// - Edit and submit: the author, while it is a draft. Submitting needs a
//   title, the situation and the lessons, and no findings of the checker.
// - Approve or send back (with a reason): an approver, never the author. The
//   approvers of a learning case are the readers of its source track (the
//   central counsellor for unwanted behaviour, the committee chair for the
//   complaints committee, the VIK team chief for triage and investigations):
//   they oversee every case of that track, so they can hold the story against
//   the case without being given access they did not have. The checker runs
//   again before publishing.
// - Read: a published learning case, all staff (learning circles); a draft or
//   a submitted one, only its author and its approvers (others get NotFound).
// - The source (the link back to the case) only for the author and the
//   approvers; a published learning case shows no source, no author, no
//   approver.
//
// Every step is one transaction with a version check (Aborted on a stale
// one, 409) and an audit event that holds no text of the learning case.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/cases/track_case.h"
#include "core/learning/checker.h"
#include "core/learning/generalise.h"
#include "core/learning/learning_case.h"
#include "core/ports/clock.h"
#include "core/ports/store.h"
#include "core/workflow/track_catalogue.h"

namespace waarborg::app {

struct LearningCaseView {
  learning::LearningCase lc;  // for a reader of a published case: author, approver and reason cleared
  std::string track_name;     // the kind of case, in Dutch
  std::string state_label;
  bool is_author = false;
  bool is_approver = false;  // may approve or send back learning cases of this kind
  bool may_edit = false;     // the author, while a draft
  bool may_decide = false;   // an approver other than the author, while submitted
  // For the author and the approvers only.
  std::string source_reference;  // e.g. "ONZ-2025-0042"
  Id source_case_id = 0;
  std::string author_name;
  std::string approver_name;
  std::vector<learning::Finding> findings;  // while not published
};

struct LearningListItem {
  learning::LearningCaseSummary summary;
  std::string track_name;
  std::string state_label;
};

struct LearningLists {
  std::vector<LearningListItem> published;  // for all staff
  std::vector<LearningListItem> mine;       // the actor's drafts and submitted ones
  std::vector<LearningListItem> awaiting;   // submitted by others, for the actor to approve
};

// What the case page offers about learning cases.
struct LearningOffer {
  bool may_start = false;
  std::string not_yet;         // why not yet (Dutch), when the viewer handles the case but it is not advanced enough
  bool needs_consent = false;  // the case has a complainant
  std::vector<Id> existing;    // learning cases from this case the viewer may open
};

// Refused for findings: InvalidArgument (422) with this message; the
// findings themselves come back through the out parameter.
inline constexpr const char* kFindingsMessage =
    "De leercasus bevat nog gegevens waarmee personen of de zaak te herkennen zijn. Pas de gemarkeerde tekst aan.";

class LearningService {
 public:
  LearningService(Store& store, const Clock& clock, const workflow::TrackCatalogue& tracks,
                  learning::Policy policy = {});

  // For the case page.
  absl::StatusOr<LearningOffer> Offer(const Actor& actor, const TrackCase& c);

  // A new draft from track case `track_case_id`; returns its id.
  absl::StatusOr<Id> StartDraft(const Actor& actor, Id track_case_id, bool complainant_consents);

  absl::StatusOr<LearningCaseView> Open(const Actor& actor, Id id);
  absl::StatusOr<LearningLists> List(const Actor& actor);

  // Saves the texts of a draft (the author). Findings do not stop saving;
  // they are returned, and they stop submitting.
  absl::StatusOr<std::vector<learning::Finding>> Edit(const Actor& actor, Id id, std::int64_t version,
                                                      const learning::LearningTexts& texts);

  // Submits a draft for approval (the author), with `texts` saved first when
  // given, in the same transaction. InvalidArgument (kFindingsMessage) with
  // `findings` filled when the checker finds anything; nothing is saved then.
  absl::Status Submit(const Actor& actor, Id id, std::int64_t version,
                      const std::optional<learning::LearningTexts>& texts,
                      std::vector<learning::Finding>* findings = nullptr);

  // Publishes a submitted learning case (an approver, not the author).
  absl::Status Approve(const Actor& actor, Id id, std::int64_t version,
                       std::vector<learning::Finding>* findings = nullptr);

  // Sends a submitted learning case back to its author as a draft, with a
  // reason (an approver, not the author).
  absl::Status Return(const Actor& actor, Id id, std::int64_t version, const std::string& reason);

  const learning::Policy& policy() const { return policy_; }

 private:
  Store& store_;
  const Clock& clock_;
  const workflow::TrackCatalogue& tracks_;
  learning::Policy policy_;
};

}  // namespace waarborg::app
