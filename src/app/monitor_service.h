// Protective Monitoring in Waarborg (issue 6 §2, §5, §6, §10): the engine's
// day reports (src/monitor) become trend cells and, in detection mode only,
// flags in the analyst's review queue; the rules of who may do what are in
// core/monitoring/governance.h. This service holds the use cases:
//
// - Record a day: trend cells always (small counts suppressed again here),
//   flags only in detection mode, minus the evidence an earlier explanation
//   covers (a flag with nothing left is not stored). One transaction.
// - Switch the mode (an admin, with the decision's reference).
// - The review queue and a flag (analyst); a review; a hand-off to VIK
//   triage opens a triage case in the same transaction.
// - Resolve a pseudonym: an analyst asks with a reason, two different
//   approvers (privacy officer, VIK team chief) agree, then the requester
//   may see who it is. The pseudonym is found by hashing the staff directory
//   with the ingestion key: no table links pseudonyms to people.
//
// Every read of a flag, every review, switch and step of a resolution is
// audited; the audit detail holds ids, never a pseudonym or a name.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "app/track_service.h"
#include "core/monitoring/governance.h"
#include "core/ports/clock.h"
#include "core/ports/store.h"

namespace waarborg::app {

// One person in the police systems' user directory.
struct MonitorDirectoryEntry {
  std::string user_id;  // as the source systems log it
  std::string name;
  std::string unit;
};

struct MonitorPolicy {
  int threshold = 5;  // smallest trend count shown (issue 6 §6)
};

// The pseudonym of a user id under the ingestion key (monitor::Pseudonymizer).
using PseudonymOf = std::function<std::string(std::string_view user_id)>;

// What recording a day did.
struct DayRecorded {
  int flags_stored = 0;
  int flags_suppressed = 0;  // every line covered by an earlier explanation
  int flags_dropped = 0;     // trend mode: no individual flags
  int cells = 0;
};

struct FlagView {
  monitoring::Flag flag;
  std::string reviewer_name;
  std::string vik_reference;  // of the triage case it was handed to
  std::vector<monitoring::Resolution> resolutions;
  bool may_review = false;
  bool may_request_resolution = false;
};

struct ResolutionView {
  monitoring::Resolution r;
  std::string requester_name;
  std::vector<std::string> approver_names;
  bool may_approve = false;  // the actor may approve or refuse it
  bool may_reveal = false;   // the actor asked and it is resolved
};

// The person behind a pseudonym, for the requester of a resolved request.
struct RevealedIdentity {
  std::string user_id;
  std::string name;
  std::string unit;
};

// Where detection is off, the queue answers with this (409).
inline constexpr const char* kTrendModeMessage =
    "De monitoring staat in trendmodus (preventie): er zijn geen individuele signalen, alleen totalen per team en "
    "eenheid.";

class MonitorService {
 public:
  MonitorService(Store& store, const Clock& clock, TrackService& tracks, PseudonymOf pseudonym_of,
                 std::vector<MonitorDirectoryEntry> directory, MonitorPolicy policy = {});

  // The mode in force (for every screen) and its last switch, if any.
  monitoring::Mode CurrentMode();
  std::optional<monitoring::ModeChange> LastSwitch();
  // The history, for the admin and the monitoring roles.
  absl::StatusOr<std::vector<monitoring::ModeChange>> ModeHistory(const Actor& actor);
  absl::Status SwitchMode(const Actor& actor, monitoring::Mode wanted, const std::string& decision_reference);

  // Records the engine's report of `day` (the system does this, not a
  // person). `flags` have no id yet.
  absl::StatusOr<DayRecorded> RecordDay(std::int64_t day, std::vector<monitoring::Flag> flags,
                                        std::vector<monitoring::TrendCell> cells);

  // Whether `actor` may see the monitoring screens at all.
  static bool MaySeeMonitoring(const Actor& actor);

  // Trend cells of the days [from_day, to_day], for the monitoring roles.
  absl::StatusOr<std::vector<monitoring::TrendCell>> Trend(const Actor& actor, std::int64_t from_day,
                                                           std::int64_t to_day);
  // The review queue (analyst, detection mode): flags with `status`.
  absl::StatusOr<std::vector<monitoring::Flag>> Queue(const Actor& actor, monitoring::FlagStatus status);
  // One flag: the analyst, or an approver while a resolution of it is asked.
  absl::StatusOr<FlagView> OpenFlag(const Actor& actor, Id id);
  // Reviews an open flag. kVikSignal opens a VIK triage case; returns its id
  // then (0 otherwise).
  absl::StatusOr<Id> Review(const Actor& actor, Id id, std::int64_t version, monitoring::FlagStatus outcome,
                            const std::string& note);

  absl::StatusOr<Id> RequestResolution(const Actor& actor, Id flag_id, const std::string& reason);
  // Requests awaiting a decision, for the approvers (and the analysts, who see
  // their own).
  absl::StatusOr<std::vector<ResolutionView>> OpenResolutions(const Actor& actor);
  absl::StatusOr<ResolutionView> OpenResolution(const Actor& actor, Id id);
  // The second different approval resolves it.
  absl::Status Approve(const Actor& actor, Id id, std::int64_t version);
  absl::Status Refuse(const Actor& actor, Id id, std::int64_t version, const std::string& reason);
  // Who it is: only the requester, only when resolved; audited every time.
  absl::StatusOr<RevealedIdentity> Reveal(const Actor& actor, Id id);

 private:
  absl::StatusOr<ResolutionView> ViewOf(StoreTx& tx, const Actor& actor, monitoring::Resolution r);
  absl::Status Deny(const Actor& actor, const absl::Status& why, std::string action, Id id);
  Store& store_;
  const Clock& clock_;
  TrackService& tracks_;
  PseudonymOf pseudonym_of_;
  std::vector<MonitorDirectoryEntry> directory_;
  MonitorPolicy policy_;
};

}  // namespace waarborg::app
