// SqliteStore against a real database file in a temporary directory.
#include "adapters/sqlite/sqlite_store.h"

#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/crypto/crypto.h"
#include "adapters/crypto/file_key_provider.h"
#include "core/audit/audit_chain.h"
#include "core/common/strings.h"
#include "core/ports/clock.h"
#include "adapters/workflow_files/shipped_tracks.h"
#include "core/workflow/lmm_track.h"
#include "core/ports/fake_clock.h"

namespace waarborg {
namespace {

Date Ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

// A clock standing still at a fixed instant, advanced by hand.
constexpr Instant kMon23Nov2026 = 1'795'427'200'000;  // 2026-11-23T09:46:40Z

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "waarborg-store-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = (std::filesystem::path(dir_) / "waarborg.db").string();
    OpenStore();
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  void OpenStore() {
    store_.reset();
    auto s = SqliteStore::Open(path_, crypto::Sha256Hex, std::shared_ptr<KeyProvider>(*crypto::FileKeyProvider::Open(path_ + ".key", true)));
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
  }

  // Runs `fn` in a transaction and expects it to commit.
  void Tx(const std::function<void(StoreTx&)>& fn) {
    auto st = store_->Transact([&](StoreTx& tx) {
      fn(tx);
      return absl::OkStatus();
    });
    ASSERT_TRUE(st.ok()) << st;
  }

  Id AddUnit(const std::string& name = "Eenheid Den Haag") {
    Id id = 0;
    Tx([&](StoreTx& tx) {
      auto r = tx.InsertUnit(OrgUnit{.id = 0, .name = name, .kind = UnitKind::kUnit, .parent_id = std::nullopt});
      ASSERT_TRUE(r.ok()) << r.status();
      id = *r;
    });
    return id;
  }

  // A registered case received on `received`, with the statutory deadlines.
  LmmCase NewCase(const std::string& summary, Date received) {
    LmmCase c;
    static int n = 0;
    c.reference = "LMM-2026-" + std::to_string(1000 + ++n);
    c.state = LmmState::kRegistered;
    c.received_at = clock_.Now();
    c.updated_at = clock_.Now();
    c.channel = "online";
    c.reporter_category = "employee";
    c.pseudonym = "Melder ABC123";
    c.summary = summary;
    c.description = "Omschrijving van " + summary;
    c.unit_id = unit_;
    c.acknowledgement_due = workflow_files::ShippedLmmTrack().AcknowledgementDue(received);
    c.feedback_due = workflow_files::ShippedLmmTrack().FeedbackDue(received, std::nullopt);
    return c;
  }

  Id Insert(LmmCase& c) {
    Id id = 0;
    Tx([&](StoreTx& tx) {
      auto r = tx.InsertCase(c);
      ASSERT_TRUE(r.ok()) << r.status();
      id = *r;
    });
    return id;
  }

  LmmCase Get(Id id) {
    LmmCase c;
    Tx([&](StoreTx& tx) {
      auto r = tx.GetCase(id);
      ASSERT_TRUE(r.ok()) << r.status();
      c = *r;
    });
    return c;
  }

  std::vector<CaseSummary> List(const CaseListQuery& q) {
    std::vector<CaseSummary> out;
    Tx([&](StoreTx& tx) { out = tx.ListCases(q); });
    return out;
  }

  static std::vector<std::string> Summaries(const std::vector<CaseSummary>& v) {
    std::vector<std::string> out;
    for (const auto& s : v) out.push_back(s.summary);
    return out;
  }

  void AppendAudit(const std::string& action, const std::string& detail) {
    Tx([&](StoreTx& tx) {
      AuditEvent e;
      e.at = clock_.Now();
      e.actor = "coordinator";
      e.session = "sess-1";
      e.action = action;
      e.case_id = "1";
      e.detail = detail;
      ASSERT_TRUE(tx.AppendAudit(e).ok());
    });
    clock_.Advance(1000);
  }

  ChainVerifier VerifyChain() {
    ChainVerifier v(crypto::Sha256Hex);
    Tx([&](StoreTx& tx) {
      ASSERT_TRUE(tx.ScanAudit([&](const AuditEvent& e) { return v.Feed(e); }).ok());
    });
    return v;
  }

  // Raw SQL on the database file through a second connection.
  void RawExec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string msg = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << msg;
  }

  // All columns of the rows returned by `sql`, as text.
  std::vector<std::vector<std::string>> RawQuery(const std::string& sql) {
    std::vector<std::vector<std::string>> rows;
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    while (s && sqlite3_step(s) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(s); ++i) {
        auto p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        row.push_back(p ? p : "");
      }
      rows.push_back(row);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return rows;
  }

  std::string dir_, path_;
  std::unique_ptr<SqliteStore> store_;
  FakeClock clock_{kMon23Nov2026};
  Id unit_ = 0;
};

TEST_F(SqliteStoreTest, MigratingTwiceIsIdempotent) {
  const int version = store_->SchemaVersion();
  EXPECT_GE(version, 1);
  unit_ = AddUnit("Eenheid Utrecht");
  LmmCase c = NewCase("Fraude bij aanbesteding", Ymd(2026, 11, 23));
  Id id = Insert(c);

  OpenStore();  // migrates again on open
  EXPECT_EQ(store_->SchemaVersion(), version);
  OpenStore();
  EXPECT_EQ(store_->SchemaVersion(), version);
  EXPECT_TRUE(store_->Ready());
  // Data survives, and nothing was created twice.
  EXPECT_EQ(Get(id).summary, "Fraude bij aanbesteding");
  Tx([&](StoreTx& tx) { EXPECT_EQ(tx.ListUnits().size(), 1u); });
}

TEST_F(SqliteStoreTest, CaseRoundTripsWithItsDeadlines) {
  unit_ = AddUnit();
  LmmCase c = NewCase("Onveilige situatie", Ymd(2026, 12, 19));
  c.subject_person_ids = {70, 71};
  Id id = Insert(c);
  LmmCase got = Get(id);
  EXPECT_EQ(got.version, 1);
  EXPECT_EQ(got.reference, c.reference);
  EXPECT_EQ(got.state, LmmState::kRegistered);
  EXPECT_EQ(got.acknowledgement_due, Ymd(2026, 12, 28));
  EXPECT_EQ(got.feedback_due, c.feedback_due);
  EXPECT_EQ(got.subject_person_ids, (std::vector<Id>{70, 71}));
}

TEST_F(SqliteStoreTest, UpdateWithStaleVersionIsRefusedAndLeavesTheRow) {
  unit_ = AddUnit();
  LmmCase c = NewCase("Oorspronkelijk", Ymd(2026, 11, 23));
  Id id = Insert(c);

  // Two people load version 1.
  LmmCase first = Get(id);
  LmmCase second = Get(id);

  first.summary = "Eerste wijziging";
  first.state = LmmState::kStaffed;
  first.reporter_advisor_id = 11;
  first.weighing_advisor_id = 12;
  Tx([&](StoreTx& tx) { ASSERT_TRUE(tx.UpdateCase(first, 1).ok()); });
  EXPECT_EQ(first.version, 2);

  second.summary = "Tweede wijziging";
  absl::Status st;
  st = store_->Transact([&](StoreTx& tx) { return tx.UpdateCase(second, 1); });
  EXPECT_EQ(st.code(), absl::StatusCode::kAborted);
  EXPECT_FALSE(st.message().empty());

  LmmCase now = Get(id);
  EXPECT_EQ(now.version, 2);
  EXPECT_EQ(now.summary, "Eerste wijziging");
  EXPECT_EQ(now.state, LmmState::kStaffed);
  EXPECT_EQ(now.reporter_advisor_id, 11);

  // With the current version it goes through.
  now.summary = "Derde wijziging";
  Tx([&](StoreTx& tx) { ASSERT_TRUE(tx.UpdateCase(now, 2).ok()); });
  EXPECT_EQ(Get(id).version, 3);
  EXPECT_EQ(Get(id).summary, "Derde wijziging");
}

TEST_F(SqliteStoreTest, FailedTransactionLeavesNothingWritten) {
  unit_ = AddUnit();
  LmmCase c = NewCase("Half werk", Ymd(2026, 11, 23));
  absl::Status st = store_->Transact([&](StoreTx& tx) -> absl::Status {
    tx.NextCaseNumber(2026);
    auto id = tx.InsertCase(c);
    if (!id.ok()) return id.status();
    Message m{.case_id = *id, .at = 1, .author_person = 0, .visibility = "reporter", .body = "Piet Geheim"};
    if (auto s = tx.InsertMessage(m); !s.ok()) return s.status();
    AuditEvent e;
    e.at = clock_.Now();
    e.actor = "vpi1";
    e.action = "case.create";
    e.case_id = std::to_string(*id);
    if (auto s = tx.AppendAudit(e); !s.ok()) return s;
    return absl::InvalidArgumentError("validatie mislukt");  // something after the writes fails
  });
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(), "validatie mislukt");

  CaseListQuery all;
  all.all = true;
  EXPECT_TRUE(List(all).empty());
  EXPECT_TRUE(RawQuery("SELECT * FROM lmm_cases").empty());
  EXPECT_TRUE(RawQuery("SELECT * FROM messages").empty());
  EXPECT_TRUE(RawQuery("SELECT * FROM case_keys").empty());
  EXPECT_TRUE(RawQuery("SELECT * FROM audit_events").empty());
  // The case number was not used up either.
  Tx([&](StoreTx& tx) { EXPECT_EQ(tx.NextCaseNumber(2026), 1); });
  // And the next audit event still starts the chain.
  AppendAudit("case.read", "");
  auto rows = RawQuery("SELECT seq FROM audit_events");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "1");
}

TEST_F(SqliteStoreTest, AuditChainVerifiesAndTamperingIsLocated) {
  for (int i = 1; i <= 5; ++i) AppendAudit(i % 2 ? "case.read" : "case.staff", "stap " + std::to_string(i));
  {
    ChainVerifier v = VerifyChain();
    EXPECT_TRUE(v.ok()) << v.reason();
    EXPECT_EQ(v.events_checked(), 5);
    EXPECT_EQ(v.last_seq(), 5);
  }
  // The first event points at the genesis hash, each next one at its predecessor.
  auto rows = RawQuery("SELECT seq, prev_hash, hash FROM audit_events ORDER BY seq");
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0][1], kGenesisHash);
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(rows[i][1], rows[i - 1][2]);

  RawExec("UPDATE audit_events SET detail='x' WHERE seq=3");
  ChainVerifier v = VerifyChain();
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.first_broken_seq(), 3);
  EXPECT_FALSE(v.reason().empty());
}

TEST_F(SqliteStoreTest, DeletedAuditEventIsDetected) {
  for (int i = 1; i <= 4; ++i) AppendAudit("case.read", "");
  RawExec("DELETE FROM audit_events WHERE seq=2");
  ChainVerifier v = VerifyChain();
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.first_broken_seq(), 2);
}

TEST_F(SqliteStoreTest, ListCasesMemberScopeOnlyReturnsOwnCases) {
  unit_ = AddUnit();
  const Date d = Ymd(2026, 11, 23);
  LmmCase as_reporter_advisor = NewCase("A: VPI van de melder", d);
  as_reporter_advisor.state = LmmState::kStaffed;
  as_reporter_advisor.reporter_advisor_id = 11;
  as_reporter_advisor.weighing_advisor_id = 12;
  LmmCase as_weigher = NewCase("B: wegende VPI", d);
  as_weigher.state = LmmState::kStaffed;
  as_weigher.reporter_advisor_id = 13;
  as_weigher.weighing_advisor_id = 11;
  LmmCase as_reviewer = NewCase("C: collegiale toets", d);
  as_reviewer.state = LmmState::kWeighing;
  as_reviewer.reporter_advisor_id = 12;
  as_reviewer.weighing_advisor_id = 13;
  as_reviewer.reviewer_ids = {11};
  LmmCase as_registrar = NewCase("D: geregistreerd", d);
  as_registrar.registered_by_person = 11;
  LmmCase not_mine = NewCase("E: niet van mij", d);
  not_mine.state = LmmState::kStaffed;
  not_mine.reporter_advisor_id = 12;
  not_mine.weighing_advisor_id = 13;
  not_mine.registered_by_person = 12;
  for (LmmCase* c : {&as_reporter_advisor, &as_weigher, &as_reviewer, &as_registrar, &not_mine})
    Insert(*c);

  CaseListQuery q;
  q.member_person = 11;
  auto mine = Summaries(List(q));
  std::sort(mine.begin(), mine.end());
  EXPECT_EQ(mine, (std::vector<std::string>{"A: VPI van de melder", "B: wegende VPI",
                                            "C: collegiale toets", "D: geregistreerd"}));

  // Removing person 11 from a case removes it from the list.
  LmmCase b = Get(as_weigher.id);
  b.weighing_advisor_id = 14;
  Tx([&](StoreTx& tx) { ASSERT_TRUE(tx.UpdateCase(b, b.version).ok()); });
  mine = Summaries(List(q));
  EXPECT_EQ(std::count(mine.begin(), mine.end(), "B: wegende VPI"), 0);
  EXPECT_EQ(mine.size(), 3u);

  // No scope at all: nothing.
  EXPECT_TRUE(List(CaseListQuery{}).empty());
}

TEST_F(SqliteStoreTest, ListCasesReporterAndAuthorityScopes) {
  unit_ = AddUnit();
  const Date d = Ymd(2026, 11, 23);
  LmmCase filed = NewCase("Eigen melding", d);
  LmmCase other = NewCase("Andermans melding", d);
  LmmCase advised = NewCase("Met advies", d);
  advised.state = LmmState::kAdvised;
  advised.advice = Advice{.is_suspected_wrongdoing = true, .investigate_now = true, .reasoning = "r", .at = 1};
  Insert(filed);
  Insert(other);
  Insert(advised);
  CaseListQuery authority;
  authority.with_advice = true;
  EXPECT_EQ(Summaries(List(authority)), (std::vector<std::string>{"Met advies"}));
}

TEST_F(SqliteStoreTest, ListCasesOrderedByNearestDeadline) {
  unit_ = AddUnit();
  // Received dates chosen so the acknowledgement deadlines differ.
  LmmCase late = NewCase("ontvangst 30-11", Ymd(2026, 11, 30));   // ack due 7 Dec
  LmmCase early = NewCase("ontvangst 16-11", Ymd(2026, 11, 16));  // ack due 23 Nov
  LmmCase mid = NewCase("ontvangst 23-11", Ymd(2026, 11, 23));    // ack due 30 Nov
  // Acknowledged: its nearest open deadline is now the feedback in 2027.
  LmmCase acked = NewCase("bevestigd", Ymd(2026, 11, 9));
  acked.acknowledged_on = Ymd(2026, 11, 10);
  acked.feedback_due = workflow_files::ShippedLmmTrack().FeedbackDue(Ymd(2026, 11, 9), acked.acknowledged_on);
  // Closed: no open deadline, listed last.
  LmmCase closed = NewCase("afgesloten", Ymd(2026, 11, 2));
  closed.state = LmmState::kClosed;
  for (LmmCase* c : {&late, &closed, &early, &acked, &mid}) Insert(*c);

  CaseListQuery q;
  q.all = true;
  EXPECT_EQ(Summaries(List(q)), (std::vector<std::string>{"ontvangst 16-11", "ontvangst 23-11",
                                                           "ontvangst 30-11", "bevestigd",
                                                           "afgesloten"}));
  // The order follows an update: acknowledging "ontvangst 16-11" pushes it back.
  LmmCase e = Get(early.id);
  e.acknowledged_on = Ymd(2026, 11, 17);
  e.feedback_due = workflow_files::ShippedLmmTrack().FeedbackDue(Ymd(2026, 11, 16), e.acknowledged_on);  // 17 Feb 2027
  Tx([&](StoreTx& tx) { ASSERT_TRUE(tx.UpdateCase(e, e.version).ok()); });
  EXPECT_EQ(Summaries(List(q)), (std::vector<std::string>{"ontvangst 23-11", "ontvangst 30-11",
                                                           "bevestigd", "ontvangst 16-11",
                                                           "afgesloten"}));
  // Overdue filter: open cases whose nearest deadline lies before 1 Dec.
  q.due_before = Ymd(2026, 12, 1);
  q.open_only = true;
  EXPECT_EQ(Summaries(List(q)), (std::vector<std::string>{"ontvangst 23-11"}));
}

// Encryption at rest (issue 3): every case text is encrypted with the case's
// own key, wrapped by the master key; the database file holds no plaintext.
TEST_F(SqliteStoreTest, CaseContentIsEncryptedAtRestWithAPerCaseKey) {
  unit_ = AddUnit();
  LmmCase c = NewCase("Zwijgzaam-samenvatting", Ymd(2026, 11, 23));
  c.description = "Beschrijving met het woord Kroonjuweel-42";
  Id id = Insert(c);
  Tx([&](StoreTx& tx) {
    ASSERT_TRUE(tx.AppendCaseEvent({.case_id = id, .at = 1, .kind = "contact", .text = "Tijdlijn-Vlinderslag"}).ok());
    ASSERT_TRUE(tx.InsertMessage({.case_id = id, .at = 2, .author_person = 0, .visibility = "reporter",
                                  .body = "Bericht-Zeemeeuw"}).ok());
    Attachment a;
    a.case_id = id;
    a.filename = "Bijlage-Kameleon.txt";
    a.media_type = "text/plain";
    a.data = "Inhoud-Pinguin";
    a.size = 14;
    ASSERT_TRUE(tx.InsertAttachment(a).ok());
    ASSERT_TRUE(tx.SetReporterEmail(id, "melder-egel@example.nl").ok());
  });
  // Through the port everything comes back.
  Tx([&](StoreTx& tx) {
    auto got = tx.GetCase(id);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(got->summary, "Zwijgzaam-samenvatting");
    EXPECT_EQ(got->description, "Beschrijving met het woord Kroonjuweel-42");
    EXPECT_EQ(tx.ListCaseEvents(id).at(0).text, "Tijdlijn-Vlinderslag");
    EXPECT_EQ(tx.ListMessages(id).at(0).body, "Bericht-Zeemeeuw");
    auto att = tx.GetAttachment(tx.ListAttachments(id).at(0).id);
    ASSERT_TRUE(att.ok());
    EXPECT_EQ(att->data, "Inhoud-Pinguin");
    EXPECT_EQ(tx.GetReporterEmail(id), "melder-egel@example.nl");
  });
  store_.reset();  // checkpoint and close, so the file is complete
  // The raw bytes of the database (and any WAL) hold none of it.
  std::string raw;
  for (const std::string& f : {path_, path_ + "-wal"}) {
    std::ifstream in(f, std::ios::binary);
    raw.append(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_GT(raw.size(), 4096u);
  for (const char* secret : {"Zwijgzaam", "Kroonjuweel", "Vlinderslag", "Zeemeeuw", "Kameleon", "Pinguin",
                             "melder-egel"}) {
    EXPECT_EQ(raw.find(secret), std::string::npos) << secret << " staat leesbaar in het databasebestand";
  }
  // With another master key the case does not open.
  auto other = SqliteStore::Open(path_, crypto::Sha256Hex,
                                 std::shared_ptr<KeyProvider>(*crypto::FileKeyProvider::Open(dir_ + "/other.key", true)));
  ASSERT_TRUE(other.ok());
  absl::Status st = (*other)->Transact([&](StoreTx& tx) { return tx.GetCase(id).status(); });
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss);
}

TEST_F(SqliteStoreTest, DestroyCaseRemovesRowsAndKey) {
  unit_ = AddUnit();
  LmmCase doomed = NewCase("Te vernietigen", Ymd(2026, 11, 23));
  LmmCase kept = NewCase("Blijft", Ymd(2026, 11, 23));
  Id id = Insert(doomed);
  Id keep = Insert(kept);
  Tx([&](StoreTx& tx) {
    ASSERT_TRUE(tx.InsertMessage({.case_id = id, .at = 2, .visibility = "reporter", .body = "weg"}).ok());
    ASSERT_TRUE(tx.InsertReceipt({"hash-1", id, false, 1}).ok());
    ASSERT_TRUE(tx.DestroyCase(id).ok());
  });
  for (const char* table : {"lmm_cases", "case_keys", "messages", "receipts", "case_events", "case_members"}) {
    auto rows = RawQuery(waarborg::Cat("SELECT count(*) FROM ", table, " WHERE ",
                             std::string(table) == "lmm_cases" ? "id=" : "case_id=", id));
    EXPECT_EQ(rows.at(0).at(0), "0") << table;
  }
  Tx([&](StoreTx& tx) { EXPECT_TRUE(tx.GetCase(keep).ok()); });
}

TEST_F(SqliteStoreTest, CaseReferencesAnExistingUnit) {
  LmmCase c = NewCase("Zonder eenheid", Ymd(2026, 11, 23));
  c.unit_id = 12345;  // no such unit: foreign keys are on
  absl::Status st = store_->Transact([&](StoreTx& tx) { return tx.InsertCase(c).status(); });
  EXPECT_FALSE(st.ok());
  EXPECT_TRUE(RawQuery("SELECT * FROM lmm_cases").empty());
}

TEST_F(SqliteStoreTest, CaseNumbersCountPerYear) {
  Tx([&](StoreTx& tx) {
    EXPECT_EQ(tx.NextCaseNumber(2026), 1);
    EXPECT_EQ(tx.NextCaseNumber(2026), 2);
    EXPECT_EQ(tx.NextCaseNumber(2027), 1);
    EXPECT_EQ(tx.NextCaseNumber(2026), 3);
  });
}

}  // namespace
}  // namespace waarborg
