#include "adapters/crypto/totp.h"

#include <liboath/oath.h>

#include <cstdlib>
#include <ctime>

#include "adapters/crypto/crypto.h"

namespace waarborg::crypto {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr int kSecretBytes = 20;

// Initialises liboath exactly once; aborts if it cannot.
void EnsureOath() {
  static const bool ready = [] {
    if (oath_init() != OATH_OK) std::abort();
    return true;
  }();
  (void)ready;
}

// The value (0-31) of a Base32 character, or -1.
int Base32Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

// The code for an exact time step, or "" on failure.
std::string CodeForStep(std::string_view secret_raw, std::int64_t step) {
  if (secret_raw.empty() || step < 0) return "";
  EnsureOath();
  char out[kTotpDigits + 1] = {};
  int rc = oath_totp_generate(secret_raw.data(), secret_raw.size(),
                              static_cast<time_t>(step * kTotpStepSeconds),
                              kTotpStepSeconds, OATH_TOTP_DEFAULT_START_TIME,
                              kTotpDigits, out);
  if (rc != OATH_OK) return "";
  return std::string(out, kTotpDigits);
}

// Floor division of a time by the step length (also for negative times).
std::int64_t StepOf(std::int64_t unix_seconds) {
  std::int64_t q = unix_seconds / kTotpStepSeconds;
  if (unix_seconds % kTotpStepSeconds < 0) --q;
  return q;
}

// RFC 3986 percent-encoding of everything but the unreserved characters.
std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char ch : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(ch);
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += kBase32Alphabet[(buffer >> bits) & 0x1F];
    }
  }
  if (bits > 0) out += kBase32Alphabet[(buffer << (5 - bits)) & 0x1F];
  return out;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  // Drop trailing padding (and spaces around it).
  while (!text.empty() && (text.back() == '=' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t chars = 0;
  for (char c : text) {
    if (c == ' ') continue;
    int v = Base32Value(c);
    if (v < 0) return std::nullopt;
    ++chars;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  // A final group of 1, 3 or 6 characters cannot come from whole bytes.
  switch (chars % 8) {
    case 1:
    case 3:
    case 6:
      return std::nullopt;
    default:
      return out;
  }
}

std::string NewTotpSecret() { return RandomBytes(kSecretBytes); }

std::string TotpCode(std::string_view secret_raw, std::int64_t unix_seconds) {
  return CodeForStep(secret_raw, StepOf(unix_seconds));
}

std::optional<std::int64_t> MatchTotp(std::string_view secret_raw,
                                      std::string_view code,
                                      std::int64_t unix_seconds,
                                      int window_steps) {
  std::string digits;
  for (char c : code) {
    if (c == ' ') continue;
    if (c < '0' || c > '9') return std::nullopt;
    digits += c;
  }
  if (digits.size() != kTotpDigits) return std::nullopt;
  if (window_steps < 0) window_steps = 0;
  const std::int64_t now = StepOf(unix_seconds);
  // Try the current step first, then ever further away: -1, +1, -2, +2, ...
  for (int distance = 0; distance <= window_steps; ++distance) {
    for (int sign : {-1, 1}) {
      if (distance == 0 && sign == 1) continue;
      std::int64_t step = now + std::int64_t{sign} * distance;
      std::string expected = CodeForStep(secret_raw, step);
      if (!expected.empty() && ConstantTimeEquals(expected, digits))
        return step;
    }
  }
  return std::nullopt;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_raw) {
  std::string enc_issuer = PercentEncode(issuer);
  return "otpauth://totp/" + enc_issuer + ":" + PercentEncode(account) +
         "?secret=" + Base32Encode(secret_raw) + "&issuer=" + enc_issuer +
         "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpStepSeconds);
}

}  // namespace waarborg::crypto
