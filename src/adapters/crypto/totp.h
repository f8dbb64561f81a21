// Time-based one-time passwords (RFC 6238, HMAC-SHA1, 6 digits, 30 s steps),
// the variant every authenticator app supports, plus the Base32 and otpauth://
// encodings used to enrol a secret. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace waarborg::crypto {

// Seconds per TOTP time step.
inline constexpr int kTotpStepSeconds = 30;
// Digits per TOTP code.
inline constexpr int kTotpDigits = 6;

// RFC 4648 Base32 (A-Z, 2-7) of `bytes`, without '=' padding.
std::string Base32Encode(std::string_view bytes);

// Decodes RFC 4648 Base32, case-insensitive, ignoring spaces and accepting
// optional trailing '=' padding; nullopt for any other character or an
// impossible length.
std::optional<std::string> Base32Decode(std::string_view text);

// A new random 20-byte (160-bit) TOTP secret, raw bytes.
std::string NewTotpSecret();

// The 6-digit code for `secret_raw` at `unix_seconds`; empty when liboath
// fails (e.g. empty secret or a time before 1970).
std::string TotpCode(std::string_view secret_raw, std::int64_t unix_seconds);

// The time step (unix_seconds / 30) whose code equals `code` (6 digits; spaces
// are ignored), looking up to `window_steps` steps before and after
// `unix_seconds`; nullopt when none matches. The caller must reject a step
// <= the last step it accepted for this secret, so a code is used only once.
std::optional<std::int64_t> MatchTotp(std::string_view secret_raw,
                                      std::string_view code,
                                      std::int64_t unix_seconds,
                                      int window_steps = 1);

// otpauth://totp/ URI for a QR code, e.g. "otpauth://totp/Waarborg:jan?secret=
// ...&issuer=Waarborg&algorithm=SHA1&digits=6&period=30"; issuer and account
// are percent-encoded.
std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_raw);

}  // namespace waarborg::crypto
