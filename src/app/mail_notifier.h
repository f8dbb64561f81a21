// E-mail notices from the outbox (issue 3 §3; issue 7 §4 adds staff
// notices). A use case queues a notice in its own transaction
// (StoreTx::EnqueueMail: kind and case, no address, no text); this sender
// looks the address up when it sends, builds a text without any case
// content, reference or name, and sends it through the Mailer port. A failed
// send is retried with backoff and shown to the admin (`waarborg mail
// problems`). The address never reaches a log or the audit trail.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "absl/status/statusor.h"
#include "core/ports/clock.h"
#include "core/ports/mailer.h"
#include "core/ports/store.h"

namespace waarborg::app {

// Kinds of queued mail.
inline constexpr std::string_view kMailReporterNewMessage = "reporter_new_message";

struct MailSettings {
  // Where people reach Waarborg, e.g. "https://waarborg.politie.example";
  // the links in the mails start with it.
  std::string public_url;
  int batch = 20;          // mails per run
  int max_attempts = 10;   // then given up (and still listed for the admin)
};

struct MailRun {
  int sent = 0;
  int failed = 0;
};

class MailNotifier {
 public:
  MailNotifier(Store& store, const Clock& clock, Mailer& mailer, MailSettings settings);
  ~MailNotifier();

  // Sends the mail that is due now, one transaction per mail to record it.
  absl::StatusOr<MailRun> RunOnce();
  // Runs RunOnce now and then every `interval` on a background thread until
  // Stop() or destruction.
  void Start(std::chrono::milliseconds interval);
  void Stop();

  // When to try again after the `failures`-th failed attempt: 1 min, 5 min,
  // 30 min, 2 h, then every 6 h; none once `max_attempts` is reached.
  static std::optional<std::int64_t> RetryDelayMs(int failures, int max_attempts);
  // The notice for a reporter: no case content, no reference, no name.
  static OutgoingMail ReporterNotice(std::string_view public_url, std::string to);

 private:
  Store& store_;
  const Clock& clock_;
  Mailer& mailer_;
  MailSettings settings_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace waarborg::app
