// Encryption for case data and the identity vault, on libsodium:
// per-case symmetric keys (XChaCha20-Poly1305), anonymous public-key sealing
// (crypto_box_seal), passphrase and session-token locks for a person's vault
// secret key, and the Argon2id receipt hash. All functions are thread-safe and
// initialise libsodium on first use.
//
// Every ciphertext starts with a version byte, so formats can change later
// without guessing what an old value was.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace waarborg::crypto {

// Sizes of raw keys, for callers that load keys from storage and want to
// reject a damaged value before passing it on.
inline constexpr std::size_t kDataKeyBytes = 32;
inline constexpr std::size_t kPublicKeyBytes = 32;
inline constexpr std::size_t kSecretKeyBytes = 32;
inline constexpr std::size_t kReceiptSaltBytes = 16;

// 32 random bytes: a per-case data key.
std::string NewDataKey();

// XChaCha20-Poly1305: returns 0x01 || nonce(24) || ciphertext+tag; `ad`
// authenticated, not encrypted. `key` must be kDataKeyBytes long; any other
// length is a programming error and aborts (returning something that can
// never be decrypted would lose the data silently).
std::string Encrypt(std::string_view key, std::string_view plaintext,
                    std::string_view ad);

// The plaintext of an Encrypt result. DataLossError on any tamper, wrong key,
// wrong `ad` or short input; InvalidArgumentError for a key of wrong length.
absl::StatusOr<std::string> Decrypt(std::string_view key, std::string_view box,
                                    std::string_view ad);

// Public-key sealing for the identity vault (crypto_box_seal, X25519).
struct KeyPair {
  std::string public_key;  // raw bytes, kPublicKeyBytes
  std::string secret_key;  // raw bytes, kSecretKeyBytes
};

KeyPair NewKeyPair();

// Encrypts `plaintext` so that only the holder of the matching secret key can
// read it; the sender stays anonymous and cannot decrypt it afterwards.
// Result is 48 bytes longer than `plaintext` (no version byte: the format is
// libsodium's). `public_key` must be kPublicKeyBytes long; anything else aborts.
std::string SealTo(std::string_view public_key, std::string_view plaintext);

// The plaintext of a SealTo result. DataLossError when `sealed` was altered
// or sealed to another key; InvalidArgumentError for keys of wrong length.
absl::StatusOr<std::string> OpenSealed(std::string_view public_key,
                                       std::string_view secret_key,
                                       std::string_view sealed);

// Protects a secret (a person's vault secret key) with a passphrase only that
// person knows: Argon2id (opslimit 3, memlimit 64 MiB) with a random 16-byte
// salt derives a key; XChaCha20-Poly1305 encrypts. Output is self-describing:
//   0x01 || opslimit (u32 BE) || memlimit in KiB (u32 BE) || salt(16)
//        || nonce(24) || ciphertext+tag
// The header is authenticated. Takes ~0.1-0.2 s and 64 MiB.
// InvalidArgumentError for an empty passphrase; ResourceExhaustedError when
// the memory is unavailable.
absl::StatusOr<std::string> LockWithPassphrase(std::string_view secret,
                                               std::string_view passphrase);

// The secret LockWithPassphrase locked. PermissionDeniedError on a wrong
// passphrase (indistinguishable from an altered ciphertext); DataLossError
// when `locked` is malformed or names parameters outside sane bounds.
absl::StatusOr<std::string> UnlockWithPassphrase(std::string_view locked,
                                                 std::string_view passphrase);

// Fast symmetric lock with a high-entropy token (e.g. a session cookie token):
// key = keyed BLAKE2b (crypto_generichash) of the token under the fixed
// context "waarborg-session-vault-v1"; then Encrypt. For holding a person's
// unlocked vault key only as long as their session lives. The token must be
// high-entropy (RandomToken); there is no stretching.
std::string LockWithToken(std::string_view secret, std::string_view token);

// The secret LockWithToken locked. PermissionDeniedError for another token
// (or an altered value); DataLossError when `locked` is malformed.
absl::StatusOr<std::string> UnlockWithToken(std::string_view locked,
                                            std::string_view token);

// Deterministic Argon2id hash of a receipt (bonnummer, as digits from
// NormaliseReceipt) with an installation-wide salt (kReceiptSaltBytes),
// opslimit 3, memlimit 64 MiB, 32-byte output as 64 lowercase hex chars, so
// the stored hash can be looked up by index. Thread-safe, takes no lock (two
// at once on two cores take as long as one). InvalidArgumentError for an
// empty receipt or a salt of wrong length; ResourceExhaustedError when the
// memory is unavailable.
absl::StatusOr<std::string> ReceiptHash(std::string_view receipt,
                                        std::string_view installation_salt);

// Formats digits in groups of four separated by spaces: 20 digits become
// "1234 5678 9012 3456 7890".
std::string FormatReceipt(std::string_view digits);

// Normalises typed input back to digits: drops spaces (any ASCII whitespace)
// and dashes; returns "" unless only digits remain (or nothing does).
std::string NormaliseReceipt(std::string_view typed);

}  // namespace waarborg::crypto
