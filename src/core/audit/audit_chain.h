// Hash-chained audit trail: each event carries the hash of its predecessor, so
// removing, reordering or editing an event breaks the chain. Independent of
// storage and of the hash algorithm (the adapter supplies SHA-256).
//
// Redactable (DOMAIN §8, retention): an event's hash covers its seq, case id,
// predecessor and a hash of its content (time, actor, session, action,
// detail and a random nonce). When a case is destroyed its events keep only
// seq, case id and hashes: the chain still verifies, the content is gone, and
// the nonce is gone with it, so the content hash confirms no guess. A
// redaction counts only for a case whose destruction is in the trail;
// anything else blanked is tampering. Events written before redaction existed
// (no content hash) verify as before and cannot be redacted.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "core/common/date.h"

namespace waarborg {

// One entry of the audit trail.
struct AuditEvent {
  std::int64_t seq = 0;   // 1, 2, 3, ... without gaps
  Instant at = 0;         // when it happened
  std::string actor;      // account id, or "system" / "anonymous"
  std::string session;    // session id (NOT the token), or empty
  std::string action;     // e.g. "case.read", "case.staff"
  std::string case_id;    // may be empty
  std::string detail;     // short, never secrets
  std::string prev_hash;  // `hash` of event seq - 1; kGenesisHash for seq 1
  std::string hash;       // ComputeEventHash of this event
  std::string nonce;         // random, set by the store; empty once redacted
  std::string content_hash;  // ComputeContentHash; empty for legacy events
  bool redacted = false;     // content removed when its case was destroyed
};

// The action that records a case's destruction (app/retention).
inline constexpr std::string_view kCaseDestroyedAction = "case.destroyed";

// Hashes its input and returns the digest as lowercase hex.
using HashFunction = std::function<std::string(std::string_view)>;

// prev_hash of the first event (seq 1): 64 zeros.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The bytes that are hashed: a version tag, then every field except `hash`
// (seq and prev_hash included) as "<length>:<bytes>;". Unambiguous for any
// field contents. Stable: changing it invalidates every stored chain.
std::string CanonicalForm(const AuditEvent& event);

// hash(CanonicalForm(event)). For an event with a content hash (v2), the
// canonical form holds seq, case id, content hash and prev_hash only.
std::string ComputeEventHash(const AuditEvent& event, const HashFunction& hash);

// The hash of an event's content: nonce, time, actor, session, action and
// detail, in the same unambiguous encoding.
std::string ComputeContentHash(const AuditEvent& event, const HashFunction& hash);

// `event` as kept after its case was destroyed: seq, case id and the hashes.
AuditEvent Redacted(const AuditEvent& event);

// Checks a chain one event at a time, in seq order, so verifying a million
// events needs no vector. Stops at the first broken link.
class ChainVerifier {
 public:
  // Verifies a chain from its first event on: if the first event fed has seq 1
  // its prev_hash must be kGenesisHash; if it starts later (a tail of the
  // chain), its prev_hash is taken on trust.
  explicit ChainVerifier(HashFunction hash);

  // Verifies the part of a chain after the already trusted event
  // `anchor_seq` whose hash is `anchor_hash`: the first event fed must be
  // anchor_seq + 1 and point to anchor_hash. (0, kGenesisHash) = from the
  // start.
  ChainVerifier(HashFunction hash, std::int64_t anchor_seq,
                std::string anchor_hash);

  // Feeds the next event in seq order. Returns false at the first broken link
  // and records why; once broken, every later call returns false and changes
  // nothing.
  bool Feed(const AuditEvent& event);

  // True while no broken link has been found (also when nothing was fed).
  bool ok() const { return reason_.empty(); }

  // The seq at which the chain broke (for a gap: the first missing seq);
  // 0 while ok().
  std::int64_t first_broken_seq() const { return first_broken_seq_; }

  // Short Dutch explanation of the break, e.g. "hash klopt niet (inhoud
  // gewijzigd)"; empty while ok().
  const std::string& reason() const { return reason_; }

  // Call after the last event: a redacted event must belong to a case whose
  // destruction was fed too. Returns ok() afterwards.
  bool Finish();

  // Events examined: the intact ones plus the broken one, if any. Events fed
  // after a break are not counted.
  std::int64_t events_checked() const { return events_checked_; }

  // seq and hash of the last intact event (0 and "" before any); lets a caller
  // store an anchor and later verify only the newer events.
  std::int64_t last_seq() const { return last_seq_; }
  const std::string& last_hash() const { return last_hash_; }

 private:
  bool Break(std::int64_t seq, std::string_view why);

  HashFunction hash_;
  bool anchored_;  // whether the first event's seq and prev_hash are known
  std::int64_t last_seq_;
  std::string last_hash_;
  std::int64_t first_broken_seq_ = 0;
  std::string reason_;
  std::int64_t events_checked_ = 0;
  // case id -> seq of its first redacted event; case ids destroyed.
  std::map<std::string, std::int64_t> redacted_cases_;
  std::set<std::string> destroyed_cases_;
};

}  // namespace waarborg
