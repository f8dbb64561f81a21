// Retention (bewaartermijnen): each track keeps a closed case for a fixed
// time, then destroys it for real: rows, attachments, receipts, seals and the
// case key (SQLite secure_delete overwrites the freed pages). The audit trail
// keeps that the case existed and was destroyed; its events carry only ids
// and action names, never case content.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/status/statusor.h"
#include "core/ports/clock.h"
#include "core/ports/store.h"

namespace waarborg::app {

struct RetentionRule {
  std::string_view track;
  LmmState state;           // the terminal state it applies to
  int days_after_closure;   // kept this long after the last change
  std::string_view reason;  // Dutch, for the audit trail and the docs
};

// The rules per track (data, one place). A unit cannot shorten them below a
// legal minimum or keep a case longer than its rule.
const std::vector<RetentionRule>& RetentionRules();

class Retention {
 public:
  Retention(Store& store, const Clock& clock);
  ~Retention();

  // Destroys every case whose retention has passed; returns how many.
  absl::StatusOr<int> RunOnce();
  // Runs RunOnce now and then every 24 hours on a background thread until
  // destroyed.
  void StartDaily();

 private:
  Store& store_;
  const Clock& clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace waarborg::app
