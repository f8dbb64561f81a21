// Keyed pseudonyms of user identities, made at ingestion so that the engine
// never holds a real user id. Without the key a pseudonym cannot be linked to
// a person; resolving one back (two approvers, audited) is a later slice.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace waarborg::monitor {

struct LookupEvent;

// Maps user ids to pseudonyms with a keyed BLAKE2b hash (libsodium
// crypto_generichash). Thread-safe after construction.
class Pseudonymizer {
 public:
  // Pseudonyms under `key`, which must be 16 to 64 bytes (32 recommended);
  // InvalidArgument otherwise.
  static absl::StatusOr<Pseudonymizer> Create(std::string key);

  // "u" followed by 16 lowercase hex characters (64 bits of the keyed hash);
  // the same id under the same key always gives the same pseudonym.
  std::string Of(std::string_view user_id) const;

  // Replaces `event.user` by its pseudonym.
  void Apply(LookupEvent& event) const;

 private:
  explicit Pseudonymizer(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace waarborg::monitor
