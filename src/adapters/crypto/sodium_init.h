// Internal to adapters/crypto: one-time libsodium initialisation shared by the
// files that call libsodium directly. Not for use outside this directory.
#pragma once

#include <sodium.h>

#include <cstdlib>

namespace waarborg::crypto::internal {

// Initialises libsodium exactly once per process; aborts if it cannot (there
// is no safe fallback). Thread-safe through the static local's guard.
inline void EnsureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) std::abort();
    return true;
  }();
  (void)ready;
}

}  // namespace waarborg::crypto::internal
