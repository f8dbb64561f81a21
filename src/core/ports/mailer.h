// Mailer port: sends one e-mail. The SMTP adapter (adapters/mail) implements
// it; tests use a fake. A mail from Waarborg never carries case content or a
// name (issue 3 §3, issue 7 §4): only that something waits, and a link.
#pragma once

#include <string>

#include "absl/status/status.h"

namespace waarborg {

struct OutgoingMail {
  std::string to;       // one address; never logged or stored by the mailer
  std::string subject;  // UTF-8; the adapter encodes it for the header
  std::string body;     // UTF-8 plain text, lines separated by "\n"
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Sends `mail`; an error (Dutch message, without the address) when the
  // mail server could not be reached or refused it.
  virtual absl::Status Send(const OutgoingMail& mail) = 0;
};

}  // namespace waarborg
