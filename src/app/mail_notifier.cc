#include "app/mail_notifier.h"

#include <spdlog/spdlog.h>

#include <utility>
#include <vector>

#include "core/common/status.h"

namespace waarborg::app {
namespace {

constexpr std::int64_t kMinute = 60'000;

// A status message with the recipient taken out: it goes to the outbox, the
// audit trail and the log, none of which may hold the address.
std::string Scrubbed(absl::string_view message, const std::string& to) {
  std::string text(FromAbsl(message));
  if (!to.empty()) {
    for (std::size_t p; (p = text.find(to)) != std::string::npos;) text.replace(p, to.size(), "<ontvanger>");
  }
  if (text.size() > 500) text.resize(500);
  return text;
}

}  // namespace

MailNotifier::MailNotifier(Store& store, const Clock& clock, Mailer& mailer, MailSettings settings)
    : store_(store), clock_(clock), mailer_(mailer), settings_(std::move(settings)) {
  while (!settings_.public_url.empty() && settings_.public_url.back() == '/') settings_.public_url.pop_back();
  settings_.batch = std::max(settings_.batch, 1);
  settings_.max_attempts = std::max(settings_.max_attempts, 1);
}

MailNotifier::~MailNotifier() { Stop(); }

std::optional<std::int64_t> MailNotifier::RetryDelayMs(int failures, int max_attempts) {
  if (failures >= max_attempts) return std::nullopt;
  switch (failures) {
    case 1: return 1 * kMinute;
    case 2: return 5 * kMinute;
    case 3: return 30 * kMinute;
    case 4: return 120 * kMinute;
    default: return 360 * kMinute;
  }
}

OutgoingMail MailNotifier::ReporterNotice(std::string_view public_url, std::string to) {
  OutgoingMail m;
  m.to = std::move(to);
  m.subject = "Nieuw bericht in Waarborg";
  m.body = Cat("Goedendag,\n"
               "\n"
               "Er staat een nieuw bericht voor u klaar bij uw melding.\n"
               "\n"
               "U leest het op ", public_url, "/melden/terug\n"
               "U heeft daarvoor uw bonnummer nodig (het ontvangstbewijs dat u bij uw melding kreeg).\n"
               "\n"
               "Dit is een automatisch bericht; een antwoord op deze e-mail wordt niet gelezen.\n"
               "Wilt u deze berichten niet meer ontvangen? Verwijder dan uw e-mailadres nadat u met uw\n"
               "bonnummer bent ingelogd.\n");
  return m;
}

absl::StatusOr<MailRun> MailNotifier::RunOnce() {
  struct Due {
    OutboxMail mail;
    std::string to;
  };
  const Instant now = clock_.Now();
  std::vector<Due> due;
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) {
    for (OutboxMail& m : tx.DueMail(now, settings_.batch)) {
      std::string to = m.kind == kMailReporterNewMessage ? tx.GetReporterEmail(m.case_id) : std::string();
      due.push_back({std::move(m), std::move(to)});
    }
    return absl::OkStatus();
  }));

  MailRun run;
  for (Due& d : due) {
    // Sent outside any transaction: the mail server may be slow, and the
    // store has one writer.
    absl::Status st;
    bool give_up = false;
    if (d.mail.kind != kMailReporterNewMessage) {
      st = absl::InternalError(ToAbsl(Cat("Onbekende soort e-mail '", d.mail.kind, "'.")));
      give_up = true;
    } else if (d.to.empty()) {
      st = absl::FailedPreconditionError("Bij deze melding staat geen e-mailadres (meer).");
      give_up = true;
    } else {
      st = mailer_.Send(ReporterNotice(settings_.public_url, d.to));
    }
    const Instant at = clock_.Now();
    const int attempt = d.mail.attempts + 1;
    const std::string error = st.ok() ? "" : Scrubbed(st.message(), d.to);
    std::optional<Instant> next;
    if (!st.ok() && !give_up) {
      if (auto delay = RetryDelayMs(attempt, settings_.max_attempts)) next = at + *delay;
    }
    d.to.assign(d.to.size(), '\0');
    d.to.clear();
    absl::Status recorded = store_.Transact([&](StoreTx& tx) -> absl::Status {
      absl::Status marked = st.ok() ? tx.MarkMailSent(d.mail.id, at) : tx.MarkMailFailed(d.mail.id, error, next);
      // No longer waiting: its case was destroyed or its address removed
      // meanwhile. Nothing is recorded about a case that is gone.
      if (absl::IsNotFound(marked)) return absl::OkStatus();
      RETURN_IF_ERROR(marked);
      std::string detail = Cat(d.mail.kind, ", poging ", attempt);
      if (!st.ok()) {
        detail += Cat(": ", error);
        if (!next) detail += " (opgegeven)";
      }
      AuditEvent e{.at = at, .actor = "system", .action = st.ok() ? "mail.sent" : "mail.failed",
                   .case_id = std::to_string(d.mail.case_id), .detail = detail};
      return tx.AppendAudit(e);
    });
    if (!recorded.ok()) return recorded;
    if (st.ok()) {
      ++run.sent;
      spdlog::info(R"({{"msg":"mail sent","outbox_id":{},"kind":"{}"}})", d.mail.id, d.mail.kind);
    } else {
      ++run.failed;
      spdlog::warn(R"({{"msg":"mail failed","outbox_id":{},"kind":"{}","attempt":{},"gave_up":{},"code":"{}"}})",
                   d.mail.id, d.mail.kind, attempt, !next.has_value(), absl::StatusCodeToString(st.code()));
    }
  }
  return run;
}

void MailNotifier::Start(std::chrono::milliseconds interval) {
  if (thread_.joinable()) return;
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      auto run = RunOnce();
      if (!run.ok()) {
        spdlog::error(R"({{"msg":"mail run failed","code":"{}"}})", absl::StatusCodeToString(run.status().code()));
      }
      lock.lock();
      cv_.wait_for(lock, interval, [this] { return stop_; });
    }
  });
}

void MailNotifier::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace waarborg::app
