// E-mail notices from the outbox (issue 3 §3): what is queued when, what the
// mail says (and does not say), retries with backoff, the admin's list, and
// nothing left behind when a case is destroyed. A real SQLite file, a fake
// clock and a fake Mailer.
#include "app/mail_notifier.h"

#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <mutex>

#include <gtest/gtest.h>

#include "adapters/crypto/crypto.h"
#include "adapters/crypto/file_key_provider.h"
#include "adapters/crypto/sealing.h"
#include "adapters/sqlite/sqlite_store.h"
#include "adapters/workflow_files/shipped_tracks.h"
#include "app/lmm_service.h"
#include "app/reporter_channel.h"
#include "core/common/status.h"
#include "core/ports/fake_clock.h"

namespace waarborg::app {
namespace {

// Monday 23 November 2026, 09:46:40 UTC.
constexpr Instant kMon23Nov2026 = 1'795'427'200'000;
constexpr Instant kMinute = 60'000;
constexpr const char* kAddress = "melder.kolibrie@example.nl";
constexpr const char* kPublicUrl = "https://waarborg.example.nl";

// Records what it is asked to send; fails (naming the recipient, as a mail
// server's reply may) while told to.
class FakeMailer final : public Mailer {
 public:
  absl::Status Send(const OutgoingMail& m) override {
    std::lock_guard lock(mu_);
    ++attempts_;
    if (fail_) return absl::UnavailableError(ToAbsl(Cat("De mailserver is niet bereikbaar (451 <", m.to, "> later).")));
    sent_.push_back(m);
    return absl::OkStatus();
  }
  void SetFailing(bool f) {
    std::lock_guard lock(mu_);
    fail_ = f;
  }
  std::vector<OutgoingMail> sent() {
    std::lock_guard lock(mu_);
    return sent_;
  }
  int attempts() {
    std::lock_guard lock(mu_);
    return attempts_;
  }

 private:
  std::mutex mu_;
  bool fail_ = false;
  int attempts_ = 0;
  std::vector<OutgoingMail> sent_;
};

class MailNotifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "waarborg-mail-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto s = SqliteStore::Open(DbPath(), crypto::Sha256Hex,
                               std::shared_ptr<KeyProvider>(*crypto::FileKeyProvider::Open(dir_ + "/master.key", true)));
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
    lmm_ = std::make_unique<LmmService>(*store_, clock_, workflow_files::ShippedLmmTrack());
    ReporterChannelPolicy policy;
    policy.email_notices = true;  // as `serve --smtp-url` sets it
    channel_ = std::make_unique<ReporterChannel>(*store_, clock_, *lmm_, policy);
    notifier_ = std::make_unique<MailNotifier>(*store_, clock_, mailer_, MailSettings{.public_url = kPublicUrl});

    ASSERT_TRUE(store_->Transact([&](StoreTx& tx) -> absl::Status {
      ASSIGN_OR_RETURN(unit_, tx.InsertUnit({0, "Eenheid Utrecht", UnitKind::kUnit, std::nullopt}));
      ASSIGN_OR_RETURN(team_, tx.InsertUnit({0, "Team Zuid", UnitKind::kTeam, unit_}));
      coordinator_ = Make(tx, "coordinator", "Coördinator Bakker", {Role::kCoordinator});
      reporter_vpi_ = Make(tx, "vpi-melder", "VPI Jansen-Wielewaal", {Role::kIntegrityAdvisor});
      weighing_vpi_ = Make(tx, "vpi-weging", "VPI de Boer", {Role::kIntegrityAdvisor});
      return absl::OkStatus();
    }).ok());
  }
  void TearDown() override {
    notifier_.reset();
    channel_.reset();
    lmm_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string DbPath() const { return (std::filesystem::path(dir_) / "w.db").string(); }

  Actor Make(StoreTx& tx, const std::string& username, const std::string& name, std::set<Role> roles) {
    Actor a;
    a.person_id = *tx.InsertPerson({0, name, "Functie", "Schaal 9", team_, std::nullopt});
    Account acc;
    acc.person_id = a.person_id;
    acc.username = username;
    acc.password_hash = "x";
    acc.roles = roles;
    a.account_id = *tx.InsertAccount(acc);
    a.roles = roles;
    a.username = username;
    a.session_id = "sess-" + username;
    crypto::KeyPair kp = crypto::NewKeyPair();
    EXPECT_TRUE(tx.PutPersonKey({a.person_id, kp.public_key, "locked-by-password"}).ok());
    a.vault_secret = kp.secret_key;
    return a;
  }

  static Actor ReporterOf(Id case_id) {
    Actor a;
    a.reporter_case = case_id;
    a.username = "melder";
    return a;
  }

  // Files a report online (with an address for notices, or none) and staffs
  // it: the reporter's VPI writes to the reporter.
  IntakeResult FileAndStaff(const std::string& summary, const std::string& email) {
    NewReport r;
    r.channel = "online";
    r.reporter_category = "employee";
    r.summary = summary;
    r.description = "Beschrijving-Ijsvogel van " + summary;
    r.unit_id = unit_;
    r.notify_email = email;
    auto filed = channel_->Submit(r);
    EXPECT_TRUE(filed.ok()) << filed.status();
    if (!filed.ok()) return {};
    std::int64_t version = 0;
    EXPECT_TRUE(store_->Read([&](StoreTx& tx) -> absl::Status {
      ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(filed->case_id));
      version = c.version;
      return absl::OkStatus();
    }).ok());
    EXPECT_TRUE(lmm_->Staff(coordinator_, filed->case_id, version, reporter_vpi_.person_id, weighing_vpi_.person_id).ok());
    return *filed;
  }

  void WriteToReporter(Id case_id, const std::string& text) {
    auto posted = channel_->PostMessage(reporter_vpi_, case_id, "reporter", text);
    ASSERT_TRUE(posted.ok()) << posted.status();
  }

  MailRun Run() {
    auto run = notifier_->RunOnce();
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *run : MailRun{};
  }

  std::vector<OutboxMail> Due(Instant at) {
    std::vector<OutboxMail> out;
    EXPECT_TRUE(store_->Read([&](StoreTx& tx) {
      out = tx.DueMail(at, 100);
      return absl::OkStatus();
    }).ok());
    return out;
  }
  std::vector<OutboxMail> Problems() {
    std::vector<OutboxMail> out;
    EXPECT_TRUE(store_->Read([&](StoreTx& tx) {
      out = tx.ListMailProblems(100);
      return absl::OkStatus();
    }).ok());
    return out;
  }
  std::vector<AuditEvent> Audit(Id case_id, const std::string& action) {
    std::vector<AuditEvent> out;
    EXPECT_TRUE(store_->Read([&](StoreTx& tx) {
      out = tx.SearchAudit({.case_id = case_id, .action = action});
      return absl::OkStatus();
    }).ok());
    return out;
  }
  // The whole audit trail as text.
  std::string AuditText() {
    std::string all;
    EXPECT_TRUE(store_->Read([&](StoreTx& tx) {
      return tx.ScanAudit([&](const AuditEvent& e) {
        all += Cat(e.actor, "|", e.action, "|", e.case_id, "|", e.detail, "\n");
        return true;
      });
    }).ok());
    return all;
  }
  // Rows of the outbox in the database file itself, for `case_id`.
  int OutboxRowsOnDisk(Id case_id) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(DbPath().c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM mail_outbox WHERE case_id=?", -1, &s, nullptr), SQLITE_OK);
    sqlite3_bind_int64(s, 1, case_id);
    int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
    sqlite3_finalize(s);
    sqlite3_close_v2(db);
    return n;
  }

  std::string dir_;
  FakeClock clock_{kMon23Nov2026};
  FakeMailer mailer_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<LmmService> lmm_;
  std::unique_ptr<ReporterChannel> channel_;
  std::unique_ptr<MailNotifier> notifier_;
  Id unit_ = 0, team_ = 0;
  Actor coordinator_, reporter_vpi_, weighing_vpi_;
};

TEST_F(MailNotifierTest, ReporterGetsANoticeWithoutCaseContent) {
  const IntakeResult filed = FileAndStaff("Samenvatting-Kolibrie", kAddress);
  WriteToReporter(filed.case_id, "Bericht-Pelikaan: kunt u de datum noemen?");
  WriteToReporter(filed.case_id, "Nog een bericht-Reiger.");  // coalesced with the first

  const MailRun run = Run();
  EXPECT_EQ(run.sent, 1);
  EXPECT_EQ(run.failed, 0);
  const auto sent = mailer_.sent();
  ASSERT_EQ(sent.size(), 1u) << "two messages before the run give one notice";
  const OutgoingMail& m = sent[0];
  EXPECT_EQ(m.to, kAddress);
  EXPECT_EQ(m.subject, "Nieuw bericht in Waarborg");
  EXPECT_NE(m.body.find("Er staat een nieuw bericht voor u klaar bij uw melding."), std::string::npos) << m.body;
  EXPECT_NE(m.body.find(std::string(kPublicUrl) + "/melden/terug"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("bonnummer"), std::string::npos) << m.body;
  const std::string mail = m.subject + "\n" + m.body;
  for (const std::string& secret : {std::string("Pelikaan"), std::string("Reiger"), std::string("Kolibrie"),
                                    std::string("Ijsvogel"), filed.reference, std::string("Jansen-Wielewaal"),
                                    std::string("LMM-"), filed.receipt}) {
    EXPECT_EQ(mail.find(secret), std::string::npos) << secret;
  }

  // Sent once: the next run has nothing to do.
  EXPECT_EQ(Run().sent, 0);
  EXPECT_EQ(mailer_.sent().size(), 1u);
  EXPECT_TRUE(Problems().empty());
  // Audited with the case, never with the address.
  EXPECT_EQ(Audit(filed.case_id, "mail.sent").size(), 1u);
  EXPECT_EQ(AuditText().find("kolibrie@"), std::string::npos);

  // A later message gives a new notice.
  clock_.Advance(kMinute);
  WriteToReporter(filed.case_id, "Derde bericht.");
  EXPECT_EQ(Run().sent, 1);
  EXPECT_EQ(mailer_.sent().size(), 2u);
}

TEST_F(MailNotifierTest, FailedSendIsRetriedWithBackoffAndVisibleToTheAdmin) {
  const IntakeResult filed = FileAndStaff("Terugvalproef", kAddress);
  mailer_.SetFailing(true);
  WriteToReporter(filed.case_id, "Hallo.");
  const Instant first = clock_.Now();
  EXPECT_EQ(Run().failed, 1);

  auto problems = Problems();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].case_id, filed.case_id);
  EXPECT_EQ(problems[0].attempts, 1);
  EXPECT_EQ(problems[0].next_attempt_at, first + kMinute);
  EXPECT_NE(problems[0].last_error.find("niet bereikbaar"), std::string::npos) << problems[0].last_error;
  EXPECT_EQ(problems[0].last_error.find("kolibrie@"), std::string::npos) << "the address is kept out of the outbox";

  // Not before its time.
  clock_.Advance(kMinute - 1);
  EXPECT_EQ(Run().failed, 0);
  EXPECT_EQ(mailer_.attempts(), 1);
  // 1 minute, then 5, 30, 120 and every 360 minutes.
  const std::vector<Instant> delays = {kMinute, 5 * kMinute, 30 * kMinute, 120 * kMinute, 360 * kMinute};
  clock_.Advance(1);
  for (int i = 1; i < 5; ++i) {
    EXPECT_EQ(Run().failed, 1);
    problems = Problems();
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].attempts, i + 1);
    EXPECT_EQ(problems[0].next_attempt_at, clock_.Now() + delays[i]) << "after attempt " << i + 1;
    clock_.Advance(delays[i]);
  }
  // The mail server is back: sent, and off the admin's list.
  mailer_.SetFailing(false);
  EXPECT_EQ(Run().sent, 1);
  EXPECT_TRUE(Problems().empty());
  EXPECT_EQ(Audit(filed.case_id, "mail.failed").size(), 5u);
  EXPECT_EQ(Audit(filed.case_id, "mail.sent").size(), 1u);
  EXPECT_EQ(AuditText().find("kolibrie@"), std::string::npos);

  // A mail that keeps failing is given up after ten attempts and stays on the
  // admin's list; a new message queues a fresh notice.
  mailer_.SetFailing(true);
  WriteToReporter(filed.case_id, "Nog een.");
  for (int i = 0; i < 12; ++i) {
    (void)Run();
    clock_.Advance(360 * kMinute);
  }
  EXPECT_EQ(mailer_.attempts(), 6 + 10);
  problems = Problems();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].attempts, 10);
  EXPECT_FALSE(problems[0].next_attempt_at.has_value());
  EXPECT_TRUE(Due(clock_.Now() + 1000 * kMinute).empty());
  int given_up = 0;
  for (const AuditEvent& e : Audit(filed.case_id, "mail.failed")) given_up += e.detail.find("opgegeven") != std::string::npos;
  EXPECT_EQ(given_up, 1);
  WriteToReporter(filed.case_id, "En weer een.");
  EXPECT_EQ(Due(clock_.Now()).size(), 1u);
}

TEST_F(MailNotifierTest, NoNoticeWithoutAnAddressOrForTeamMessages) {
  const IntakeResult without = FileAndStaff("Zonder adres", "");
  WriteToReporter(without.case_id, "Aan de melder.");
  const IntakeResult with = FileAndStaff("Met adres", kAddress);
  for (const char* visibility : {"team", "personal"}) {
    auto posted = channel_->PostMessage(reporter_vpi_, with.case_id, visibility, "Intern.");
    ASSERT_TRUE(posted.ok()) << posted.status();
  }
  // The reporter's own message is for staff, who see it in Waarborg.
  ASSERT_TRUE(channel_->PostMessage(ReporterOf(with.case_id), with.case_id, "reporter", "Van de melder.").ok());
  EXPECT_TRUE(Due(clock_.Now()).empty());
  EXPECT_EQ(Run().sent, 0);
  EXPECT_TRUE(mailer_.sent().empty());

  // An address removed by the reporter takes its waiting notice with it.
  WriteToReporter(with.case_id, "Aan de melder.");
  ASSERT_EQ(Due(clock_.Now()).size(), 1u);
  auto ctx = channel_->LogIn(with.receipt, "192.0.2.1");
  ASSERT_TRUE(ctx.ok()) << ctx.status();
  auto session = channel_->Authenticate(ctx->token);
  ASSERT_TRUE(session.ok()) << session.status();
  ASSERT_TRUE(channel_->SetNotifyEmail(*session, "").ok());
  EXPECT_TRUE(Due(clock_.Now()).empty());
  EXPECT_EQ(Run().sent, 0);

  // Without a mail transport nothing is queued at all.
  ReporterChannel no_mail(*store_, clock_, *lmm_, ReporterChannelPolicy{});
  const IntakeResult another = FileAndStaff("Nog een met adres", kAddress);
  ASSERT_TRUE(no_mail.PostMessage(reporter_vpi_, another.case_id, "reporter", "Aan de melder.").ok());
  EXPECT_TRUE(Due(clock_.Now()).empty());
}

TEST_F(MailNotifierTest, DestroyedCaseLeavesNothingInTheOutbox) {
  const IntakeResult filed = FileAndStaff("Vernietigingsproef", kAddress);
  WriteToReporter(filed.case_id, "Eerste.");
  ASSERT_EQ(Run().sent, 1);  // a sent row
  clock_.Advance(kMinute);
  mailer_.SetFailing(true);
  WriteToReporter(filed.case_id, "Tweede.");
  ASSERT_EQ(Run().failed, 1);  // a failed row, waiting for its retry
  ASSERT_EQ(OutboxRowsOnDisk(filed.case_id), 2);

  ASSERT_TRUE(store_->Transact([&](StoreTx& tx) { return tx.DestroyCase(filed.case_id); }).ok());
  EXPECT_EQ(OutboxRowsOnDisk(filed.case_id), 0);
  EXPECT_TRUE(Problems().empty());
  EXPECT_TRUE(Due(clock_.Now() + 1000 * kMinute).empty());
  mailer_.SetFailing(false);
  clock_.Advance(10 * kMinute);
  EXPECT_EQ(Run().sent, 0);
  EXPECT_EQ(mailer_.sent().size(), 1u);
}

TEST(MailNotifierBackoff, OneFiveThirtyMinutesTwoHoursThenSixHoursUpToTenAttempts) {
  EXPECT_EQ(MailNotifier::RetryDelayMs(1, 10), kMinute);
  EXPECT_EQ(MailNotifier::RetryDelayMs(2, 10), 5 * kMinute);
  EXPECT_EQ(MailNotifier::RetryDelayMs(3, 10), 30 * kMinute);
  EXPECT_EQ(MailNotifier::RetryDelayMs(4, 10), 120 * kMinute);
  EXPECT_EQ(MailNotifier::RetryDelayMs(5, 10), 360 * kMinute);
  EXPECT_EQ(MailNotifier::RetryDelayMs(9, 10), 360 * kMinute);
  EXPECT_FALSE(MailNotifier::RetryDelayMs(10, 10).has_value());
}

}  // namespace
}  // namespace waarborg::app
