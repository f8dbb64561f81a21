#include "app/reporter_channel.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "adapters/crypto/crypto.h"
#include "adapters/crypto/sealing.h"
#include "app/mail_notifier.h"
#include "app/service_support.h"
#include "core/access/access.h"
#include "core/common/status.h"

namespace waarborg::app {
namespace {

constexpr std::string_view kGlobalFailureKey = "receipt:all";
constexpr std::size_t kMaxMessageBytes = 20000;

// A reporter's audit event: "melder", never an account, session or address
// (DOMAIN §8).
AuditEvent ReporterAudit(Instant at, std::string action, Id case_id, std::string detail = "") {
  return AuditFor(Actor{}, /*as_reporter=*/true, at, std::move(action), case_id, std::move(detail));
}

bool ValidEmail(std::string_view e) {
  const auto at = e.find('@');
  return e.size() <= 200 && at != std::string_view::npos && at > 0 && e.find('.', at) != std::string_view::npos &&
         e.find_first_of(" \t\r\n<>\"") == std::string_view::npos;
}

absl::Status EmailNoticesOff() {
  return absl::FailedPreconditionError(
      "Deze server stuurt geen e-mail. Kom terug met uw bonnummer om nieuwe berichten te lezen.");
}

}  // namespace

std::string_view MessageVisibilityLabelNl(std::string_view v) {
  if (v == "reporter") return "Met de melder";
  if (v == "team") return "Intern (behandelteam)";
  if (v == "personal") return "Persoonlijke notitie";
  return v;
}

ReporterChannel::ReporterChannel(Store& store, const Clock& clock, LmmService& lmm, ReporterChannelPolicy policy)
    : store_(store), clock_(clock), lmm_(lmm), policy_(policy), address_secret_(crypto::RandomBytes(32)) {
  policy_.receipt_digits = std::max(policy_.receipt_digits, 16);
}

absl::StatusOr<std::string> ReporterChannel::InstallationSalt() {
  {
    std::lock_guard lock(mu_);
    if (!salt_.empty()) return salt_;
  }
  std::string salt;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    if (auto s = tx.GetSetting("receipt_salt")) {
      salt = *s;
      return absl::OkStatus();
    }
    // 12 random bytes as 16 URL-safe characters: the 16-byte salt, storable as text.
    salt = crypto::RandomToken(12);
    static_assert(crypto::kReceiptSaltBytes == 16);
    return tx.SetSetting("receipt_salt", salt);
  }));
  std::lock_guard lock(mu_);
  salt_ = salt;
  return salt_;
}

absl::StatusOr<IntakeResult> ReporterChannel::File(const Actor& actor, NewReport report, bool must_replace) {
  ASSIGN_OR_RETURN(std::string salt, InstallationSalt());
  IntakeResult out;
  out.receipt = crypto::RandomDigits(policy_.receipt_digits);
  // Hashing takes ~0.2 s and 64 MiB, outside any lock.
  ASSIGN_OR_RETURN(report.receipt_hash, crypto::ReceiptHash(out.receipt, salt));
  report.receipt_must_replace = must_replace;
  if (!report.notify_email.empty() && !policy_.email_notices) return EmailNoticesOff();
  if (!report.notify_email.empty() && !ValidEmail(report.notify_email))
    return Invalid("Het e-mailadres voor meldingen is niet geldig.");
  ASSIGN_OR_RETURN(out.case_id, lmm_.Register(actor, report));
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(out.case_id));
    out.reference = c.reference;
    return absl::OkStatus();
  }));
  out.receipt = crypto::FormatReceipt(out.receipt);
  return out;
}

absl::StatusOr<IntakeResult> ReporterChannel::Submit(NewReport report) {
  report.channel = "online";
  report.reporter_person_id.reset();
  report.received_on.reset();
  return File(Actor{}, std::move(report), false);
}

absl::StatusOr<IntakeResult> ReporterChannel::RegisterOnBehalf(const Actor& actor, NewReport report) {
  if (report.channel == "online") return Invalid("Kies hoe de melding binnenkwam (gesprek of postbus).");
  return File(actor, std::move(report), true);
}

bool ReporterChannel::AddressThrottled(const std::string& key, Instant now) {
  std::lock_guard lock(mu_);
  auto it = address_failures_.find(key);
  if (it == address_failures_.end()) return false;
  auto& q = it->second;
  while (!q.empty() && q.front() < now - policy_.failure_window_ms) q.pop_front();
  if (q.empty()) {
    address_failures_.erase(it);
    return false;
  }
  return static_cast<int>(q.size()) >= policy_.max_failures_per_address;
}

void ReporterChannel::RecordAddressFailure(const std::string& key, Instant now) {
  std::lock_guard lock(mu_);
  if (address_failures_.size() > 100000) address_failures_.clear();  // bounded memory under attack
  address_failures_[key].push_back(now);
}

absl::StatusOr<ReporterLogin> ReporterChannel::LogIn(std::string_view typed_receipt, std::string_view address) {
  const Instant now = clock_.Now();
  // The address is keyed with a per-process secret and kept in memory only.
  const std::string address_key = crypto::Sha256Hex(Cat(address_secret_, "|", address));
  const absl::Status throttled = absl::ResourceExhaustedError(
      "Te veel onjuiste bonnummers. Wacht een kwartier en probeer het dan opnieuw; uw melding blijft bewaard.");
  if (AddressThrottled(address_key, now)) return throttled;
  int global = 0;
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) {
    global = tx.CountLoginFailures(kGlobalFailureKey, now - policy_.failure_window_ms);
    return absl::OkStatus();
  }));
  if (global >= policy_.max_failures_global) return throttled;

  const std::string digits = crypto::NormaliseReceipt(typed_receipt);
  const absl::Status unknown = Unauthenticated("Dit bonnummer kennen wij niet. Controleer het en probeer het opnieuw.");
  std::string hash;
  if (digits.size() >= 16 && digits.size() <= 32) {
    ASSIGN_OR_RETURN(std::string salt, InstallationSalt());
    ASSIGN_OR_RETURN(hash, crypto::ReceiptHash(digits, salt));
  }
  ReporterLogin out;
  bool found = false;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    std::optional<Receipt> r = hash.empty() ? std::nullopt : tx.FindReceipt(hash);
    if (!r) {
      RETURN_IF_ERROR(tx.RecordLoginFailure(kGlobalFailureKey, now));
      AuditEvent e = ReporterAudit(now, "reporter.login_failed", 0);
      return tx.AppendAudit(e);
    }
    found = true;
    RETURN_IF_ERROR(tx.DeleteReporterSessionsBefore(now - policy_.absolute_timeout_ms,
                                                    now - policy_.idle_timeout_ms));
    out.token = crypto::RandomToken();
    out.csrf_token = crypto::RandomToken();
    out.must_replace_receipt = r->must_replace;
    ReporterSession s{.id = crypto::RandomToken(12), .token_hash = crypto::Sha256Hex(out.token),
                      .case_id = r->case_id, .csrf_token = out.csrf_token,
                      .must_replace_receipt = r->must_replace, .created_at = now, .last_seen_at = now};
    RETURN_IF_ERROR(tx.InsertReporterSession(s));
    AuditEvent e = ReporterAudit(now, "reporter.login", r->case_id);
    return tx.AppendAudit(e);
  }));
  if (!found) {
    RecordAddressFailure(address_key, now);
    return unknown;
  }
  return out;
}

absl::StatusOr<ReporterContext> ReporterChannel::Authenticate(std::string_view token) {
  const Instant now = clock_.Now();
  ReporterContext ctx;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(ctx.session, tx.FindReporterSession(crypto::Sha256Hex(token)));
    if (ctx.session.last_seen_at < now - policy_.idle_timeout_ms ||
        ctx.session.created_at < now - policy_.absolute_timeout_ms) {
      RETURN_IF_ERROR(tx.DeleteReporterSession(ctx.session.id));
      return Unauthenticated("Uw sessie is verlopen. Log opnieuw in met uw bonnummer.");
    }
    ctx.session.last_seen_at = now;
    return tx.UpdateReporterSession(ctx.session);
  }));
  ctx.actor.reporter_case = ctx.session.case_id;
  ctx.actor.username = "melder";
  return ctx;
}

absl::Status ReporterChannel::LogOut(std::string_view token) {
  return store_.Transact([&](StoreTx& tx) -> absl::Status {
    auto s = tx.FindReporterSession(crypto::Sha256Hex(token));
    if (!s.ok()) return absl::OkStatus();
    return tx.DeleteReporterSession(s->id);
  });
}

absl::StatusOr<std::string> ReporterChannel::ReplaceReceipt(const ReporterContext& ctx, std::string* new_token) {
  ASSIGN_OR_RETURN(std::string salt, InstallationSalt());
  std::string receipt = crypto::RandomDigits(policy_.receipt_digits);
  ASSIGN_OR_RETURN(std::string hash, crypto::ReceiptHash(receipt, salt));
  const Instant now = clock_.Now();
  std::string token = crypto::RandomToken();
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    const Id case_id = ctx.session.case_id;
    RETURN_IF_ERROR(tx.DeleteReceiptsOfCase(case_id));
    RETURN_IF_ERROR(tx.InsertReceipt({hash, case_id, false, now}));
    ReporterSession s = ctx.session;
    s.must_replace_receipt = false;
    s.token_hash = crypto::Sha256Hex(token);
    s.last_seen_at = now;
    RETURN_IF_ERROR(tx.UpdateReporterSession(s));
    AuditEvent e = ReporterAudit(now, "reporter.receipt_replaced", case_id);
    return tx.AppendAudit(e);
  }));
  if (new_token) *new_token = token;
  return crypto::FormatReceipt(receipt);
}

absl::Status ReporterChannel::SetNotifyEmail(const ReporterContext& ctx, std::string_view email) {
  const std::string e(absl::StripAsciiWhitespace(std::string(email)));
  if (!e.empty() && !policy_.email_notices) return EmailNoticesOff();
  if (!e.empty() && !ValidEmail(e)) return Invalid("Dit e-mailadres is niet geldig.");
  const Instant now = clock_.Now();
  return store_.Transact([&](StoreTx& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.SetReporterEmail(ctx.session.case_id, e));
    AuditEvent a = ReporterAudit(now, e.empty() ? "reporter.email_removed" : "reporter.email_set",
                                 ctx.session.case_id);
    return tx.AppendAudit(a);
  });
}

absl::StatusOr<std::vector<MessageView>> ReporterChannel::Messages(const Actor& actor, Id case_id) {
  const Instant now = clock_.Now();
  std::vector<MessageView> out;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(case_id));
    const auto rel = access::RelationOf(actor, c);
    RETURN_IF_ERROR(access::CheckCase(actor, rel, c, access::CaseAction::kRead));
    const Id reader = rel.is_reporter ? 0 : actor.person_id;
    const Id last_read = tx.LastReadMessage(case_id, reader);
    std::map<Id, std::string> names;
    Id newest = 0;
    for (auto& m : tx.ListMessages(case_id)) {
      if (!access::MaySeeMessage(actor, rel, c, m.visibility, m.author_person)) continue;
      MessageView v;
      v.from_reporter = m.author_person == 0;
      if (v.from_reporter) {
        v.author = rel.is_reporter ? "U" : "Melder";
      } else if (rel.is_reporter) {
        v.author = m.author_person == c.reporter_advisor_id ? Cat("Uw VPI, ", PersonName(tx, m.author_person))
                                                            : PersonName(tx, m.author_person);
      } else {
        auto it = names.find(m.author_person);
        if (it == names.end()) it = names.emplace(m.author_person, PersonName(tx, m.author_person)).first;
        v.author = it->second;
      }
      v.unread = m.id > last_read && (m.author_person != actor.person_id || rel.is_reporter) &&
                 !(rel.is_reporter && v.from_reporter);
      v.visibility_label = std::string(MessageVisibilityLabelNl(m.visibility));
      newest = std::max(newest, m.id);
      v.message = std::move(m);
      out.push_back(std::move(v));
    }
    if (newest > last_read) RETURN_IF_ERROR(tx.MarkMessagesRead(case_id, reader, newest));
    AuditEvent e = AuditAs(actor, now, "message.read", case_id);
    return tx.AppendAudit(e);
  }));
  return out;
}

absl::StatusOr<Id> ReporterChannel::PostMessage(const Actor& actor, Id case_id, std::string visibility,
                                                const std::string& body, std::vector<Attachment> attachments) {
  if (absl::StripAsciiWhitespace(body).empty() && attachments.empty()) return Invalid("Schrijf een bericht.");
  if (body.size() > kMaxMessageBytes) return Invalid("Het bericht is te lang (maximaal 20.000 tekens).");
  const Instant now = clock_.Now();
  Id id = 0;
  absl::Status denied;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(case_id));
    const auto rel = access::RelationOf(actor, c);
    if (rel.is_reporter) visibility = "reporter";
    if (auto st = access::CheckCase(actor, rel, c, access::CaseAction::kRead); !st.ok()) {
      denied = st;
      return absl::OkStatus();
    }
    if (auto st = access::CheckPostMessage(actor, rel, c, visibility); !st.ok()) {
      if (st.code() == absl::StatusCode::kInvalidArgument) return st;
      denied = st;
      return absl::OkStatus();
    }
    if (rel.is_reporter && IsTerminal(c.state) && !attachments.empty())
      return Conflict("Deze melding is afgesloten; u kunt nog een bericht sturen, maar geen bestanden.");
    Message m{.case_id = case_id, .at = now, .author_person = rel.is_reporter ? 0 : actor.person_id,
              .visibility = visibility, .body = body};
    ASSIGN_OR_RETURN(id, tx.InsertMessage(m));
    for (Attachment a : attachments) {
      a.case_id = case_id;
      a.message_id = id;
      a.at = now;
      a.uploaded_by = m.author_person;
      a.visibility = visibility;
      RETURN_IF_ERROR(tx.InsertAttachment(a).status());
    }
    // The author has read what they wrote.
    RETURN_IF_ERROR(tx.MarkMessagesRead(case_id, m.author_person, id));
    // Staff wrote to a reporter who left an address: a notice (without
    // content) goes out from the outbox, after this transaction commits.
    if (!rel.is_reporter && visibility == "reporter" && policy_.email_notices &&
        !tx.GetReporterEmail(case_id).empty())
      RETURN_IF_ERROR(tx.EnqueueMail(kMailReporterNewMessage, case_id, now));
    AuditEvent e = AuditAs(actor, now, "message.post", case_id, Cat(visibility, ", ", attachments.size(), " bijlagen"));
    return tx.AppendAudit(e);
  }));
  if (!denied.ok()) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, "message.post_denied", case_id));
    return denied;
  }
  return id;
}

absl::StatusOr<std::vector<Attachment>> ReporterChannel::Attachments(const Actor& actor, Id case_id) {
  std::vector<Attachment> out;
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(case_id));
    const auto rel = access::RelationOf(actor, c);
    RETURN_IF_ERROR(access::CheckCase(actor, rel, c, access::CaseAction::kRead));
    for (auto& a : tx.ListAttachments(case_id)) {
      if (access::MaySeeMessage(actor, rel, c, a.visibility, a.uploaded_by)) out.push_back(std::move(a));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Attachment> ReporterChannel::Download(const Actor& actor, Id attachment_id) {
  const Instant now = clock_.Now();
  Attachment out;
  absl::Status denied;
  Id case_id = 0;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(out, tx.GetAttachment(attachment_id));
    case_id = out.case_id;
    ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(out.case_id));
    const auto rel = access::RelationOf(actor, c);
    if (!access::CheckCase(actor, rel, c, access::CaseAction::kRead).ok() ||
        !access::MaySeeMessage(actor, rel, c, out.visibility, out.uploaded_by)) {
      denied = Forbidden("U heeft geen toegang tot deze bijlage.");
      out = Attachment{};
      return absl::OkStatus();
    }
    AuditEvent e = AuditAs(actor, now, "attachment.read", out.case_id, Cat("bijlage ", attachment_id));
    return tx.AppendAudit(e);
  }));
  if (!denied.ok()) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, "attachment.read_denied", case_id));
    return denied;
  }
  return out;
}

absl::StatusOr<std::vector<UnreadMessages>> ReporterChannel::Notifications(const Actor& actor) {
  std::vector<UnreadMessages> out;
  if (!actor.IsAdvisor()) return out;
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    for (auto& u : tx.UnreadReporterMessages(actor.person_id, actor.Has(Role::kCoordinator))) {
      auto c = tx.GetCase(u.case_id);
      if (!c.ok()) continue;
      const auto rel = access::RelationOf(actor, *c);
      if (access::MaySeeMessage(actor, rel, *c, "reporter", 0)) out.push_back(std::move(u));
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace waarborg::app
