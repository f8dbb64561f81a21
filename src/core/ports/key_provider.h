// KeyProvider port: wraps and unwraps per-case data keys with a master key
// that never leaves the provider (a key file now; an HSM later). Core stores
// only wrapped keys, so a copy of the database alone does not reveal any case.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace waarborg {

// Wraps and unwraps per-case data keys with a master key that never leaves
// the provider (a key file now; an HSM later).
class KeyProvider {
 public:
  virtual ~KeyProvider() = default;

  // Encrypts a 32-byte data key; `context` (e.g. "case:17") is bound as
  // associated data, so a wrapped key moved to another case does not unwrap.
  virtual absl::StatusOr<std::string> WrapKey(std::string_view data_key,
                                              std::string_view context) = 0;

  // The data key that WrapKey wrapped under the same `context`. DataLossError
  // when `wrapped` was altered, belongs to another context or was wrapped
  // with another master key.
  virtual absl::StatusOr<std::string> UnwrapKey(std::string_view wrapped,
                                                std::string_view context) = 0;

  // Short public id of the master key (for rotation), safe to store.
  virtual std::string KeyId() const = 0;
};

}  // namespace waarborg
