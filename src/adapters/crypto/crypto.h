// Cryptographic primitives on libsodium: hashing, random tokens, constant-time
// comparison and Argon2id password hashes. All functions are thread-safe and
// initialise libsodium on first use.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace waarborg::crypto {

// SHA-256 of `data` as 64 lowercase hex characters.
std::string Sha256Hex(std::string_view data);

// `n` bytes from the OS CSPRNG.
std::string RandomBytes(std::size_t n);

// `bytes` random bytes as URL-safe base64 without padding (43 chars for 32),
// for session ids, CSRF tokens and report access codes.
std::string RandomToken(std::size_t bytes = 32);

// True when `a` and `b` are equal; the time taken depends only on the length,
// not on where the contents differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Argon2id hash of `password` (opslimit 3, memlimit 64 MiB) in libsodium's
// self-describing "$argon2id$..." form. Takes ~0.1 s and 64 MiB; fails only
// when that memory is unavailable.
absl::StatusOr<std::string> HashPassword(std::string_view password);

// True when `password` matches `stored_hash` from HashPassword. False for a
// wrong password and for a malformed hash.
bool VerifyPassword(std::string_view stored_hash, std::string_view password);

// True when `stored_hash` was made with other parameters than HashPassword
// uses now (or is malformed), so it should be replaced after a good login.
bool PasswordNeedsRehash(std::string_view stored_hash);

// Overwrites `s`'s bytes with zeros (not optimised away) and empties it.
void Wipe(std::string& s);

// `n` uniformly random decimal digits (empty for n <= 0).
std::string RandomDigits(int n);

}  // namespace waarborg::crypto
