#include "app/retention.h"

#include <spdlog/spdlog.h>

#include "core/common/status.h"

namespace waarborg::app {

const std::vector<RetentionRule>& RetentionRules() {
  static const std::vector<RetentionRule> kRules = {
      {"lmm", LmmState::kClosed, 5 * 365, "LMM-melding: vijf jaar na afsluiting"},
      {"lmm", LmmState::kReferred, 365, "Doorverwezen melding (geen misstand): een jaar na doorverwijzing"},
  };
  return kRules;
}

Retention::Retention(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

Retention::~Retention() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<int> Retention::RunOnce() {
  constexpr Instant kDay = 24LL * 3600 * 1000;
  const Instant now = clock_.Now();
  int destroyed = 0;
  for (const RetentionRule& rule : RetentionRules()) {
    const Instant before = now - rule.days_after_closure * kDay;
    for (;;) {
      std::vector<Id> batch;
      RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) {
        batch = tx.TerminalCasesBefore(rule.state, before, 100);
        return absl::OkStatus();
      }));
      int in_batch = 0;
      for (Id id : batch) {
        // One transaction per case: a crash destroys a case wholly or not at all.
        RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
          ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(id));
          const std::string reference = c.reference;
          RETURN_IF_ERROR(tx.DestroyCase(id));
          // The trail keeps only that the case existed and was destroyed.
          ASSIGN_OR_RETURN(int legacy, tx.RedactAuditOfCase(id));
          std::string detail = Cat(reference, ": ", rule.reason);
          if (legacy > 0) detail += Cat(" (", legacy, " oudere auditregels niet te schrappen)");
          AuditEvent e{.at = now, .actor = "system", .action = std::string(kCaseDestroyedAction),
                       .case_id = std::to_string(id), .detail = detail};
          return tx.AppendAudit(e);
        }));
        ++in_batch;
      }
      destroyed += in_batch;
      if (batch.size() < 100) break;
    }
  }
  return destroyed;
}

void Retention::StartDaily() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      auto n = RunOnce();
      if (n.ok()) {
        spdlog::info(R"({{"msg":"retention","destroyed":{}}})", *n);
      } else {
        spdlog::error(R"({{"msg":"retention failed","code":"{}"}})", absl::StatusCodeToString(n.status().code()));
      }
      lock.lock();
      cv_.wait_for(lock, std::chrono::hours(24), [this] { return stop_; });
    }
  });
}

}  // namespace waarborg::app
