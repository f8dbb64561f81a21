#include "adapters/crypto/sealing.h"

#include <sodium.h>

#include <cstdint>
#include <cstdlib>

#include "absl/status/status.h"
#include "adapters/crypto/sodium_init.h"

namespace waarborg::crypto {
namespace {

using internal::EnsureSodium;

constexpr unsigned char kVersion = 0x01;
constexpr std::size_t kKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr std::size_t kNonceBytes =
    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;

static_assert(kDataKeyBytes == kKeyBytes);
static_assert(kPublicKeyBytes == crypto_box_PUBLICKEYBYTES);
static_assert(kSecretKeyBytes == crypto_box_SECRETKEYBYTES);
static_assert(kReceiptSaltBytes == crypto_pwhash_SALTBYTES);

// Argon2id parameters for the passphrase lock and the receipt hash: the same
// as for login passwords (crypto.cc), ~0.1-0.2 s and 64 MiB per call.
constexpr std::uint32_t kPwOpsLimit = 3;
constexpr std::uint32_t kPwMemLimitKiB = 64 * 1024;

// Bounds for parameters read back from a locked value. A stored value is not
// trusted to name a limit that would let one unlock exhaust the server.
constexpr std::uint32_t kMaxOpsLimit = 16;
constexpr std::uint32_t kMaxMemLimitKiB = 1024 * 1024;  // 1 GiB

// Header of a passphrase lock: version, opslimit, memlimit (KiB), salt.
constexpr std::size_t kPassHeaderBytes = 1 + 4 + 4 + crypto_pwhash_SALTBYTES;

constexpr std::string_view kTokenContext = "waarborg-session-vault-v1";
static_assert(kTokenContext.size() >= crypto_generichash_KEYBYTES_MIN &&
              kTokenContext.size() <= crypto_generichash_KEYBYTES_MAX);

// Non-null byte pointers; libsodium dislikes NULL even for length 0.
const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.empty() ? "" : s.data());
}
const char* C(std::string_view s) { return s.empty() ? "" : s.data(); }
unsigned char* U(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

// Appends nonce(24) || ciphertext+tag for `plaintext` under `key` to `out`.
void AeadSealAppend(std::string& out, const unsigned char* key,
                    std::string_view plaintext, std::string_view ad) {
  const std::size_t start = out.size();
  out.resize(start + kNonceBytes + plaintext.size() + kTagBytes);
  unsigned char* nonce = U(out) + start;
  // Random 192-bit nonces cannot collide in practice, so no counter state is
  // needed across processes or restarts.
  randombytes_buf(nonce, kNonceBytes);
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + kNonceBytes, nullptr, U(plaintext), plaintext.size(), U(ad),
      ad.size(), nullptr, nonce, key);
}

// Opens nonce || ciphertext+tag; false when it does not authenticate.
// `nonce_ct` must hold at least kNonceBytes + kTagBytes.
bool AeadOpen(const unsigned char* key, std::string_view nonce_ct,
              std::string_view ad, std::string& plaintext) {
  const auto* nonce = U(nonce_ct);
  const std::size_t ct_len = nonce_ct.size() - kNonceBytes;
  plaintext.assign(ct_len - kTagBytes, '\0');
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          U(plaintext), nullptr, nullptr, nonce + kNonceBytes, ct_len, U(ad),
          ad.size(), nonce, key) != 0) {
    plaintext.clear();
    return false;
  }
  return true;
}

// True when `box` has the shape Encrypt produces (version, nonce, tag).
bool WellFormedBox(std::string_view box) {
  return box.size() >= 1 + kNonceBytes + kTagBytes &&
         static_cast<unsigned char>(box[0]) == kVersion;
}

void PutU32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}

std::uint32_t GetU32(std::string_view in) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

// Derives a kKeyBytes key from `passphrase` with Argon2id into `key`.
absl::Status DeriveFromPassphrase(unsigned char* key,
                                  std::string_view passphrase,
                                  const unsigned char* salt,
                                  std::uint32_t ops, std::uint32_t mem_kib) {
  if (crypto_pwhash(key, kKeyBytes, C(passphrase), passphrase.size(), salt,
                    ops, std::size_t{mem_kib} * 1024,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::ResourceExhaustedError(
        "wachtwoordzin kon niet worden verwerkt (onvoldoende geheugen)");
  }
  return absl::OkStatus();
}

void DeriveFromToken(unsigned char* key, std::string_view token) {
  crypto_generichash(key, kKeyBytes, U(token), token.size(), U(kTokenContext),
                     kTokenContext.size());
}

}  // namespace

std::string NewDataKey() {
  EnsureSodium();
  std::string key(kDataKeyBytes, '\0');
  crypto_aead_xchacha20poly1305_ietf_keygen(U(key));
  return key;
}

std::string Encrypt(std::string_view key, std::string_view plaintext,
                    std::string_view ad) {
  EnsureSodium();
  if (key.size() != kKeyBytes) std::abort();
  std::string out(1, static_cast<char>(kVersion));
  AeadSealAppend(out, U(key), plaintext, ad);
  return out;
}

absl::StatusOr<std::string> Decrypt(std::string_view key, std::string_view box,
                                    std::string_view ad) {
  EnsureSodium();
  if (key.size() != kKeyBytes)
    return absl::InvalidArgumentError("sleutel heeft een onjuiste lengte");
  std::string plaintext;
  if (!WellFormedBox(box) ||
      !AeadOpen(U(key), box.substr(1), ad, plaintext)) {
    return absl::DataLossError(
        "Versleutelde gegevens zijn beschadigd of horen bij een andere "
        "sleutel.");
  }
  return plaintext;
}

KeyPair NewKeyPair() {
  EnsureSodium();
  KeyPair kp{std::string(kPublicKeyBytes, '\0'),
             std::string(kSecretKeyBytes, '\0')};
  crypto_box_keypair(U(kp.public_key), U(kp.secret_key));
  return kp;
}

std::string SealTo(std::string_view public_key, std::string_view plaintext) {
  EnsureSodium();
  if (public_key.size() != kPublicKeyBytes) std::abort();
  std::string out(plaintext.size() + crypto_box_SEALBYTES, '\0');
  crypto_box_seal(U(out), U(plaintext), plaintext.size(), U(public_key));
  return out;
}

absl::StatusOr<std::string> OpenSealed(std::string_view public_key,
                                       std::string_view secret_key,
                                       std::string_view sealed) {
  EnsureSodium();
  if (public_key.size() != kPublicKeyBytes ||
      secret_key.size() != kSecretKeyBytes) {
    return absl::InvalidArgumentError("sleutelpaar heeft een onjuiste lengte");
  }
  std::string plaintext;
  if (sealed.size() >= crypto_box_SEALBYTES) {
    plaintext.assign(sealed.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(U(plaintext), U(sealed), sealed.size(),
                             U(public_key), U(secret_key)) == 0) {
      return plaintext;
    }
  }
  return absl::DataLossError(
      "Verzegelde gegevens zijn beschadigd of horen bij een andere sleutel.");
}

absl::StatusOr<std::string> LockWithPassphrase(std::string_view secret,
                                               std::string_view passphrase) {
  EnsureSodium();
  if (passphrase.empty())
    return absl::InvalidArgumentError("Wachtwoordzin mag niet leeg zijn.");
  std::string out(1, static_cast<char>(kVersion));
  PutU32(out, kPwOpsLimit);
  PutU32(out, kPwMemLimitKiB);
  out.resize(kPassHeaderBytes);
  unsigned char* salt = U(out) + kPassHeaderBytes - crypto_pwhash_SALTBYTES;
  randombytes_buf(salt, crypto_pwhash_SALTBYTES);

  unsigned char key[kKeyBytes];
  absl::Status derived = DeriveFromPassphrase(key, passphrase, salt,
                                              kPwOpsLimit, kPwMemLimitKiB);
  if (!derived.ok()) return derived;
  // The header is associated data: a changed parameter or salt fails to
  // authenticate instead of silently deriving another key.
  const std::string header = out;
  AeadSealAppend(out, key, secret, header);
  sodium_memzero(key, sizeof key);
  return out;
}

absl::StatusOr<std::string> UnlockWithPassphrase(std::string_view locked,
                                                 std::string_view passphrase) {
  EnsureSodium();
  const auto malformed = [] {
    return absl::DataLossError("Vergrendelde sleutel is beschadigd.");
  };
  if (locked.size() < kPassHeaderBytes + kNonceBytes + kTagBytes ||
      static_cast<unsigned char>(locked[0]) != kVersion) {
    return malformed();
  }
  const std::uint32_t ops = GetU32(locked.substr(1, 4));
  const std::uint32_t mem_kib = GetU32(locked.substr(5, 4));
  if (ops < crypto_pwhash_argon2id_OPSLIMIT_MIN || ops > kMaxOpsLimit ||
      std::size_t{mem_kib} * 1024 < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      mem_kib > kMaxMemLimitKiB) {
    return malformed();
  }
  const std::string_view header = locked.substr(0, kPassHeaderBytes);
  const auto* salt = U(header) + kPassHeaderBytes - crypto_pwhash_SALTBYTES;

  unsigned char key[kKeyBytes];
  absl::Status derived =
      DeriveFromPassphrase(key, passphrase, salt, ops, mem_kib);
  if (!derived.ok()) return derived;
  std::string secret;
  const bool opened =
      AeadOpen(key, locked.substr(kPassHeaderBytes), header, secret);
  sodium_memzero(key, sizeof key);
  if (!opened) return absl::PermissionDeniedError("Wachtwoordzin is onjuist.");
  return secret;
}

std::string LockWithToken(std::string_view secret, std::string_view token) {
  EnsureSodium();
  unsigned char key[kKeyBytes];
  DeriveFromToken(key, token);
  std::string out(1, static_cast<char>(kVersion));
  AeadSealAppend(out, key, secret, kTokenContext);
  sodium_memzero(key, sizeof key);
  return out;
}

absl::StatusOr<std::string> UnlockWithToken(std::string_view locked,
                                            std::string_view token) {
  EnsureSodium();
  if (!WellFormedBox(locked))
    return absl::DataLossError("Vergrendelde sleutel is beschadigd.");
  unsigned char key[kKeyBytes];
  DeriveFromToken(key, token);
  std::string secret;
  const bool opened = AeadOpen(key, locked.substr(1), kTokenContext, secret);
  sodium_memzero(key, sizeof key);
  if (!opened) {
    return absl::PermissionDeniedError(
        "Sleutel hoort niet bij deze sessie.");
  }
  return secret;
}

absl::StatusOr<std::string> ReceiptHash(std::string_view receipt,
                                        std::string_view installation_salt) {
  EnsureSodium();
  if (receipt.empty())
    return absl::InvalidArgumentError("Bonnummer mag niet leeg zijn.");
  if (installation_salt.size() != kReceiptSaltBytes) {
    return absl::InvalidArgumentError(
        "installatiezout heeft een onjuiste lengte");
  }
  // crypto_pwhash keeps all state in its own allocation, so concurrent calls
  // share nothing and need no lock.
  unsigned char digest[32];
  if (crypto_pwhash(digest, sizeof digest, C(receipt), receipt.size(),
                    U(installation_salt), kPwOpsLimit,
                    std::size_t{kPwMemLimitKiB} * 1024,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::ResourceExhaustedError(
        "bonnummer kon niet worden verwerkt (onvoldoende geheugen)");
  }
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, sizeof digest * 2);
}

std::string FormatReceipt(std::string_view digits) {
  std::string out;
  out.reserve(digits.size() + digits.size() / 4);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back(' ');
    out.push_back(digits[i]);
  }
  return out;
}

std::string NormaliseReceipt(std::string_view typed) {
  std::string out;
  out.reserve(typed.size());
  for (char c : typed) {
    if (c >= '0' && c <= '9') {
      out.push_back(c);
    } else if (c != '-' && c != ' ' && c != '\t' && c != '\n' && c != '\r' &&
               c != '\v' && c != '\f') {
      return "";
    }
  }
  return out;
}

}  // namespace waarborg::crypto
