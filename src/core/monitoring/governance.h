// Governance of Protective Monitoring (DOMAIN §6, issue 6 §2, §5, §6): what
// the engine's output becomes in Waarborg, and who may do what with it.
//
// - Mode. Trend mode (the prevention phase) shows only team and unit
//   aggregates; detection mode puts individual flags in the analyst's queue.
//   Individual detection needs a renewed decision with the works council, so
//   only an admin switches, and always with the decision's reference.
// - Review. An analyst marks an open flag explained (with the explanation),
//   a false positive, handled in a conversation, or hands it to VIK triage.
//   An explanation given once suppresses the same pattern later: the same
//   rule on the same subject by the same (pseudonymous) user.
// - Resolution. A flag names its user by pseudonym only. Resolving it to a
//   person needs a request with a reason and the approval of two different
//   people, neither of them the requester; every step is audited.
//
// The engine (src/monitor) knows none of this; these are the rules of the
// people around it. Plain data and pure checks; the use cases are in
// app/monitor_service.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "core/common/date.h"
#include "core/org/org.h"

namespace waarborg::monitoring {

enum class Mode { kTrend, kDetection };
// "trend" or "detectie" (stored).
std::string_view ModeName(Mode m);
std::optional<Mode> ParseMode(std::string_view name);
// Dutch label, e.g. "Trendmodus (preventie)".
std::string_view ModeLabelNl(Mode m);

// One switch of the mode, kept as history (the first row is the start in
// trend mode).
struct ModeChange {
  Mode mode = Mode::kTrend;
  std::string decision_reference;  // e.g. "OR-besluit 2026-17"
  Id by_account = 0;
  Instant at = 0;
};

// Only an admin switches; to another mode than the current one; with a
// decision reference of 3 to 100 characters.
absl::Status CheckModeSwitch(const Actor& actor, Mode current, Mode wanted, std::string_view decision_reference);

enum class FlagStatus { kOpen, kExplained, kFalsePositive, kConversation, kVikSignal };
std::string_view FlagStatusName(FlagStatus s);  // stored: "open", "verklaard", ...
std::optional<FlagStatus> ParseFlagStatus(std::string_view name);
std::string_view FlagStatusLabelNl(FlagStatus s);

// One line of evidence of a flag, as the engine gave it.
struct EvidenceLine {
  std::string rule;
  int points = 0;
  std::string subject;  // empty for rules about the user as a whole (volume, account)
  Instant time = 0;
  std::string text;    // plain Dutch
  std::string clears;  // plain Dutch: what would explain it
};

// A flag in the review queue. `user` is the pseudonym; nothing in a flag
// names a person.
struct Flag {
  Id id = 0;
  std::int64_t version = 1;
  std::int64_t day = 0;  // local day number (days since 1970-01-01, Europe/Amsterdam)
  std::string user;
  double score = 0;
  std::vector<EvidenceLine> evidence;
  FlagStatus status = FlagStatus::kOpen;
  std::string review_note;  // the explanation or the analyst's note
  Id reviewed_by = 0;       // account
  Instant reviewed_at = 0;
  Id vik_case_id = 0;  // the triage case it was handed to
  Instant created_at = 0;
};

// Checks a review: only an analyst; only an open flag; a reason for every
// outcome (the explanation itself for kExplained); kOpen is not an outcome.
absl::Status CheckReview(const Actor& actor, const Flag& flag, FlagStatus outcome, std::string_view note);

// A pattern explained once: the same rule on the same subject by the same
// user. Rules about the user as a whole have no subject and are never
// suppressed this way: an explained burst says nothing about the next one.
struct ExplainedPattern {
  std::string user, rule, subject;
  Id flag_id = 0;
};
// The patterns a flag explained as `outcome` leaves behind (only kExplained
// leaves any).
std::vector<ExplainedPattern> PatternsExplainedBy(const Flag& flag, FlagStatus outcome);
// Drops the evidence of `flag` that an earlier explanation covers
// (`explained(user, rule, subject)`), and lowers its score by their points.
// Returns false when nothing is left: the flag is suppressed.
bool SuppressExplained(Flag& flag,
                       const std::function<bool(std::string_view, std::string_view, std::string_view)>& explained);

// Number of distinct users with evidence of one rule in one unit or team on
// one day; below the threshold the count is suppressed (never stored).
struct TrendCell {
  std::int64_t day = 0;
  std::string level;  // "eenheid" or "team"
  std::string name;
  std::string rule;
  int users = 0;  // 0 when suppressed
  bool suppressed = false;
};

enum class ResolutionState { kRequested, kResolved, kRefused };
std::string_view ResolutionStateName(ResolutionState s);
std::optional<ResolutionState> ParseResolutionState(std::string_view name);

// A request to resolve a flag's pseudonym to a person.
struct Resolution {
  Id id = 0;
  std::int64_t version = 1;
  Id flag_id = 0;
  std::string pseudonym;
  Id requested_by = 0;  // account
  std::string reason;
  Instant requested_at = 0;
  std::vector<Id> approvers;  // accounts, in order; two resolve it
  ResolutionState state = ResolutionState::kRequested;
  Instant decided_at = 0;
  std::string refusal;  // why refused
};

inline constexpr int kApprovalsNeeded = 2;

// An analyst asks, with a reason of at least 10 characters.
absl::Status CheckResolutionRequest(const Actor& actor, std::string_view reason);
// An approver is a privacy officer or the VIK team chief, is not the
// requester and has not approved this request already; the request is open.
absl::Status CheckApproval(const Actor& actor, const Resolution& r);

}  // namespace waarborg::monitoring
