#include "adapters/crypto/crypto.h"

#include <sodium.h>

#include <cstdlib>

#include "absl/status/status.h"

namespace waarborg::crypto {
namespace {

constexpr unsigned long long kPwOpsLimit = 3;
constexpr std::size_t kPwMemLimit = std::size_t{64} * 1024 * 1024;

// A non-null pointer to `s`'s bytes; libsodium dislikes NULL even for length 0.
const char* Bytes(std::string_view s) { return s.empty() ? "" : s.data(); }

// Initialises libsodium exactly once; aborts if it cannot (no safe fallback).
void EnsureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) std::abort();
    return true;
  }();
  (void)ready;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  EnsureSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(
      digest, reinterpret_cast<const unsigned char*>(Bytes(data)), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

void Wipe(std::string& s) {
  if (!s.empty()) sodium_memzero(s.data(), s.size());
  s.clear();
}

std::string RandomBytes(std::size_t n) {
  EnsureSodium();
  std::string out(n, '\0');
  if (n > 0) randombytes_buf(out.data(), n);
  return out;
}

std::string RandomToken(std::size_t bytes) {
  std::string raw = RandomBytes(bytes);
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(),
                    reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), kVariant);
  sodium_memzero(raw.data(), raw.size());
  out.resize(out.size() - 1);  // drop the terminating NUL
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  EnsureSodium();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

absl::StatusOr<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, Bytes(password), password.size(), kPwOpsLimit,
                            kPwMemLimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::ResourceExhaustedError(
        "wachtwoord kon niet worden versleuteld (onvoldoende geheugen)");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view stored_hash, std::string_view password) {
  EnsureSodium();
  // libsodium wants a NUL-terminated string that fits in STRBYTES.
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES)
    return false;
  std::string hash(stored_hash);
  return crypto_pwhash_str_verify(hash.c_str(), Bytes(password),
                                  password.size()) == 0;
}

bool PasswordNeedsRehash(std::string_view stored_hash) {
  EnsureSodium();
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES)
    return true;
  std::string hash(stored_hash);
  return crypto_pwhash_str_needs_rehash(hash.c_str(), kPwOpsLimit,
                                        kPwMemLimit) != 0;
}

std::string RandomDigits(int n) {
  if (n <= 0) return "";
  EnsureSodium();
  std::string out(static_cast<std::size_t>(n), '0');
  for (char& c : out) c = static_cast<char>('0' + randombytes_uniform(10));
  return out;
}

}  // namespace waarborg::crypto
