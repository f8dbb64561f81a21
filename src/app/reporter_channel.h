// The reporter's channel (DOMAIN §2, §8): anonymous intake with a receipt,
// the reporter's return with that receipt, and two-way messages between the
// reporter and the case team. The server stores no account, address or
// browser data of a reporter; the receipt only as an Argon2id hash.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "app/lmm_service.h"
#include "core/ports/clock.h"
#include "core/ports/store.h"

namespace waarborg::app {

struct ReporterChannelPolicy {
  int receipt_digits = 20;                                // at least 16
  std::int64_t idle_timeout_ms = 20 * 60 * 1000;
  std::int64_t absolute_timeout_ms = 2 * 60 * 60 * 1000;
  // Failed receipt log-ins: per address (kept in memory, keyed by a hash with
  // a per-process secret, never stored) and for the whole server. Both only
  // within the window, so the genuine reporter is never locked out for good.
  int max_failures_per_address = 10;
  int max_failures_global = 300;
  std::int64_t failure_window_ms = 15 * 60 * 1000;
  // A notice by e-mail to an address the reporter leaves (app/mail_notifier).
  // On only when the server sends mail (`serve --smtp-url`): otherwise the
  // pages do not offer what would never be sent, the services refuse an
  // address, and nothing is queued.
  bool email_notices = false;
};

struct IntakeResult {
  Id case_id = 0;
  std::string reference;
  std::string receipt;  // formatted; shown once, never stored or logged
};

struct ReporterLogin {
  std::string token;  // cookie; never logged
  std::string csrf_token;
  bool must_replace_receipt = false;
};

struct ReporterContext {
  Actor actor;  // reporter_case set; no account, no person
  ReporterSession session;
};

struct MessageView {
  Message message;
  std::string author;  // "U" / "Melder" / a staff member's name
  bool from_reporter = false;
  bool unread = false;
  std::string visibility_label;  // Dutch
};

class ReporterChannel {
 public:
  ReporterChannel(Store& store, const Clock& clock, LmmService& lmm, ReporterChannelPolicy policy = {});

  // Public intake: files the report on the LMM track and returns a new receipt.
  absl::StatusOr<IntakeResult> Submit(NewReport report);
  // A VPI registers a report taken by phone or in person; the receipt handed
  // over must be replaced by the reporter on first use.
  absl::StatusOr<IntakeResult> RegisterOnBehalf(const Actor& actor, NewReport report);

  // The reporter returns with the receipt. Unauthenticated for an unknown
  // receipt, ResourceExhausted (429) while throttled.
  absl::StatusOr<ReporterLogin> LogIn(std::string_view typed_receipt, std::string_view address);
  absl::StatusOr<ReporterContext> Authenticate(std::string_view token);
  absl::Status LogOut(std::string_view token);
  // Replaces the receipt (required after a VPI handed one over). Returns the
  // new receipt, formatted, and rotates the session token into `new_token`.
  absl::StatusOr<std::string> ReplaceReceipt(const ReporterContext& ctx, std::string* new_token);
  absl::Status SetNotifyEmail(const ReporterContext& ctx, std::string_view email);

  // Messages, for the reporter and for staff alike; reading marks them read.
  absl::StatusOr<std::vector<MessageView>> Messages(const Actor& actor, Id case_id);
  absl::StatusOr<Id> PostMessage(const Actor& actor, Id case_id, std::string visibility, const std::string& body,
                                 std::vector<Attachment> attachments = {});
  absl::StatusOr<std::vector<Attachment>> Attachments(const Actor& actor, Id case_id);
  absl::StatusOr<Attachment> Download(const Actor& actor, Id attachment_id);
  // New reporter messages on the staff member's cases.
  absl::StatusOr<std::vector<UnreadMessages>> Notifications(const Actor& actor);

  const ReporterChannelPolicy& policy() const { return policy_; }

 private:
  absl::StatusOr<std::string> InstallationSalt();
  absl::StatusOr<IntakeResult> File(const Actor& actor, NewReport report, bool must_replace);
  bool AddressThrottled(const std::string& key, Instant now);
  void RecordAddressFailure(const std::string& key, Instant now);

  Store& store_;
  const Clock& clock_;
  LmmService& lmm_;
  ReporterChannelPolicy policy_;
  std::string address_secret_;  // per process, for keying addresses in memory
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<Instant>> address_failures_;
  std::string salt_;  // cached installation salt
};

std::string_view MessageVisibilityLabelNl(std::string_view visibility);

}  // namespace waarborg::app
