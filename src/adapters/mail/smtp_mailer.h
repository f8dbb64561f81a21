// The Mailer port over SMTP with libcurl: smtp:// (optionally upgraded with
// STARTTLS) or smtps://, MAIL FROM, one RCPT TO, and an RFC 5322 message in
// UTF-8 plain text. One connection per mail: Waarborg sends few of them.
// Nothing is logged here, least of all the recipient or the body.
#pragma once

#include <cstdint>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/ports/mailer.h"

namespace waarborg::mail {

enum class StartTls {
  kNone,      // never (loopback relay, tests)
  kTry,       // when the server offers it (CURLUSESSL_TRY)
  kRequired,  // refuse to send without it (CURLUSESSL_ALL)
};

struct SmtpOptions {
  std::string url;   // smtp://host:port or smtps://host:port
  std::string from;  // "waarborg@example.nl" or "Waarborg <waarborg@example.nl>"
  StartTls starttls = StartTls::kTry;  // smtp:// only; smtps:// is TLS from the start
  std::string username;  // optional SMTP AUTH
  std::string password;
  std::int64_t connect_timeout_ms = 10'000;
  std::int64_t timeout_ms = 30'000;  // the whole exchange
};

class SmtpMailer final : public Mailer {
 public:
  // Checks the options (scheme, sender address); InvalidArgument in Dutch.
  static absl::StatusOr<std::unique_ptr<SmtpMailer>> Create(SmtpOptions options);

  absl::Status Send(const OutgoingMail& mail) override;

 private:
  explicit SmtpMailer(SmtpOptions options, std::string from_address);
  SmtpOptions options_;
  std::string from_address_;  // the bare address of `from`, for MAIL FROM
};

// --- exposed for tests ---

// The address inside "Name <address>", or `from` itself; "" when invalid.
std::string MailAddressOf(std::string_view from);
// `text` as a header value: unchanged when printable ASCII, otherwise RFC 2047
// encoded-words (UTF-8, base64), each at most 75 characters, split between
// whole characters.
std::string EncodeHeaderText(std::string_view text);
// An RFC 5322 date in UTC: "Mon, 23 Nov 2026 09:46:40 +0000".
std::string Rfc5322Date(std::time_t t);
// The whole message: headers, a blank line and the body, with CRLF line ends.
std::string FormatMessage(std::string_view from, const OutgoingMail& mail, std::time_t now,
                          std::string_view message_id);

}  // namespace waarborg::mail
