#include "monitor/pseudonym.h"

#include <sodium.h>

#include "core/common/strings.h"
#include "monitor/event.h"

namespace waarborg::monitor {

absl::StatusOr<Pseudonymizer> Pseudonymizer::Create(std::string key) {
  if (key.size() < crypto_generichash_KEYBYTES_MIN || key.size() > crypto_generichash_KEYBYTES_MAX) {
    return absl::InvalidArgumentError("pseudonym key must be 16 to 64 bytes");
  }
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  return Pseudonymizer(std::move(key));
}

std::string Pseudonymizer::Of(std::string_view user_id) const {
  unsigned char hash[crypto_generichash_BYTES_MIN];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(user_id.data()), user_id.size(),
                     reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "u";
  for (int i = 0; i < 8; ++i) {
    out.push_back(kHex[hash[i] >> 4]);
    out.push_back(kHex[hash[i] & 15]);
  }
  return out;
}

void Pseudonymizer::Apply(LookupEvent& event) const { event.user = Of(event.user); }

}  // namespace waarborg::monitor
