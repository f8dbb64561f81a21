#include "adapters/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <unordered_map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "adapters/crypto/crypto.h"
#include "adapters/crypto/sealing.h"
#include "adapters/json/case_json.h"
#include "fmt/format.h"
#include "core/common/status.h"
#include "core/dashboard/case_fact.h"
#include "core/workflow/lmm_track.h"

namespace waarborg {
namespace {

// Schema migrations, applied in order; each runs in its own transaction.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE units(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
  parent_id INTEGER REFERENCES units(id));
CREATE TABLE people(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, position TEXT NOT NULL, rank TEXT NOT NULL,
  team_id INTEGER NOT NULL REFERENCES units(id), manager_id INTEGER REFERENCES people(id));
CREATE INDEX people_name ON people(name);
CREATE TABLE accounts(
  id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL UNIQUE REFERENCES people(id),
  username TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL, totp_secret BLOB,
  totp_last_step INTEGER NOT NULL DEFAULT 0, disabled INTEGER NOT NULL DEFAULT 0);
CREATE TABLE account_roles(
  account_id INTEGER NOT NULL REFERENCES accounts(id), role TEXT NOT NULL,
  PRIMARY KEY(account_id, role));
CREATE TABLE adopted_units(
  advisor_person INTEGER NOT NULL REFERENCES people(id), unit_id INTEGER NOT NULL REFERENCES units(id),
  PRIMARY KEY(advisor_person, unit_id));
CREATE TABLE sessions(
  id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, account_id INTEGER NOT NULL REFERENCES accounts(id),
  csrf_token TEXT NOT NULL, second_factor_done INTEGER NOT NULL,
  created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL);
CREATE TABLE login_failures(key TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX login_failures_key ON login_failures(key, at);
CREATE TABLE case_counters(year INTEGER PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE lmm_cases(
  id INTEGER PRIMARY KEY, reference TEXT NOT NULL UNIQUE, version INTEGER NOT NULL,
  state TEXT NOT NULL, received_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  channel TEXT NOT NULL, reporter_category TEXT NOT NULL, pseudonym TEXT NOT NULL,
  summary TEXT NOT NULL, description TEXT NOT NULL, unit_id INTEGER NOT NULL REFERENCES units(id),
  registered_by_person INTEGER NOT NULL, reporter_advisor_id INTEGER, weighing_advisor_id INTEGER,
  ack_due TEXT NOT NULL, ack_on TEXT, feedback_due TEXT NOT NULL, feedback_on TEXT,
  weighing_end TEXT, has_advice INTEGER NOT NULL DEFAULT 0,
  next_due TEXT,  -- nearest open deadline (ISO), NULL when none: sorts "Mijn zaken"
  received_on TEXT NOT NULL,  -- the day the report reached the LMM; deadlines count from it
  body TEXT NOT NULL);  -- last: large, often on overflow pages
CREATE INDEX lmm_cases_state ON lmm_cases(state, next_due);
-- The case lists sort by nearest open deadline; without these SQLite sorts
-- every matching row to return 50 (docs/performance.md).
CREATE INDEX lmm_cases_open_by_due ON lmm_cases(next_due IS NULL, next_due, id DESC)
  WHERE state NOT IN ('closed','referred');
CREATE INDEX lmm_cases_by_due ON lmm_cases(next_due IS NULL, next_due, id DESC);
-- Who works on a case (VPIs, reviewers, registrar), with the case's sort key
-- copied in, so "Mijn zaken" walks one index in deadline order and stops at 50.
CREATE TABLE case_members(
  case_id INTEGER NOT NULL REFERENCES lmm_cases(id), person_id INTEGER NOT NULL,
  is_open INTEGER NOT NULL, sort_due TEXT NOT NULL,
  PRIMARY KEY(case_id, person_id));
CREATE INDEX case_members_person_due ON case_members(person_id, is_open, sort_due, case_id DESC);
CREATE TABLE reporter_identities(
  case_id INTEGER PRIMARY KEY REFERENCES lmm_cases(id), person_id INTEGER, account_id INTEGER,
  name TEXT NOT NULL, contact TEXT NOT NULL);
CREATE INDEX reporter_identities_account ON reporter_identities(account_id);
CREATE TABLE case_events(
  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES lmm_cases(id), at INTEGER NOT NULL,
  actor_person INTEGER NOT NULL, kind TEXT NOT NULL, visibility TEXT NOT NULL, text TEXT NOT NULL,
  on_date TEXT);
CREATE INDEX case_events_case ON case_events(case_id, id);
CREATE TABLE activities(
  id INTEGER PRIMARY KEY, advisor_person INTEGER NOT NULL REFERENCES people(id), kind TEXT NOT NULL,
  on_date TEXT NOT NULL, unit_id INTEGER, notes TEXT NOT NULL);
CREATE TABLE audit_events(
  seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, session TEXT NOT NULL,
  action TEXT NOT NULL, case_id TEXT NOT NULL, detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX audit_events_case ON audit_events(case_id, seq) WHERE case_id <> '';
CREATE INDEX audit_events_actor ON audit_events(actor, seq);
CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql",
    // 2: the reporter's channel and the identity vault (issue 3). Case text
    // columns now hold ciphertext (BLOB) under a per-case key; rows written
    // before this migration are encrypted by EncryptLegacyRows in the same
    // transaction (SqliteStore::Migrate).
    R"sql(
CREATE TABLE case_keys(
  case_id INTEGER PRIMARY KEY REFERENCES lmm_cases(id), key_id TEXT NOT NULL, wrapped BLOB NOT NULL);
CREATE TABLE receipts(
  hash TEXT PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES lmm_cases(id),
  must_replace INTEGER NOT NULL, created_at INTEGER NOT NULL);
CREATE INDEX receipts_case ON receipts(case_id);
CREATE TABLE reporter_sessions(
  id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, case_id INTEGER NOT NULL REFERENCES lmm_cases(id),
  csrf_token TEXT NOT NULL, must_replace INTEGER NOT NULL, created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL);
CREATE TABLE messages(
  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES lmm_cases(id), at INTEGER NOT NULL,
  author_person INTEGER NOT NULL, visibility TEXT NOT NULL, body BLOB NOT NULL);
CREATE INDEX messages_case ON messages(case_id, id);
CREATE TABLE message_reads(
  case_id INTEGER NOT NULL REFERENCES lmm_cases(id), reader INTEGER NOT NULL, last_read INTEGER NOT NULL,
  PRIMARY KEY(case_id, reader));
CREATE TABLE attachments(
  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES lmm_cases(id), message_id INTEGER,
  at INTEGER NOT NULL, uploaded_by INTEGER NOT NULL, visibility TEXT NOT NULL, filename BLOB NOT NULL,
  media_type TEXT NOT NULL, size INTEGER NOT NULL, data BLOB NOT NULL);
CREATE INDEX attachments_case ON attachments(case_id, id);
CREATE TABLE reporter_contacts(case_id INTEGER PRIMARY KEY REFERENCES lmm_cases(id), email BLOB NOT NULL);
CREATE TABLE person_keys(
  person_id INTEGER PRIMARY KEY REFERENCES people(id), public_key BLOB NOT NULL, locked_secret_key BLOB NOT NULL);
ALTER TABLE sessions ADD COLUMN vault_key BLOB;
CREATE TABLE identity_seals(
  case_id INTEGER NOT NULL REFERENCES lmm_cases(id), person_id INTEGER NOT NULL REFERENCES people(id),
  sealed BLOB NOT NULL, granted_at INTEGER NOT NULL, basis TEXT NOT NULL, PRIMARY KEY(case_id, person_id));
CREATE TABLE identity_requests(
  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES lmm_cases(id), requested_by INTEGER NOT NULL,
  recipient INTEGER NOT NULL, reason BLOB NOT NULL, legal_duty INTEGER NOT NULL, legal_reasons BLOB NOT NULL,
  state TEXT NOT NULL, consent TEXT NOT NULL, consent_attachment INTEGER, created_at INTEGER NOT NULL,
  consent_at INTEGER NOT NULL, notified_at INTEGER NOT NULL, decided_by INTEGER NOT NULL,
  decided_at INTEGER NOT NULL);
CREATE INDEX identity_requests_case ON identity_requests(case_id, id);
CREATE INDEX lmm_cases_terminal ON lmm_cases(updated_at) WHERE state IN ('closed','referred');
)sql",
    // 3: a redactable audit trail (DOMAIN §8 retention): each event's hash
    // covers a hash of its content with a random nonce, so the content of a
    // destroyed case's events can be removed while the chain still verifies.
    R"sql(
ALTER TABLE audit_events ADD COLUMN nonce TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_events ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_events ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0;
)sql",
    // 4: cases on the tracks defined as data (issue 4): state ids of the
    // track's file, fields and steps encrypted with the case's own key.
    R"sql(
CREATE TABLE track_cases(
  id INTEGER PRIMARY KEY, track TEXT NOT NULL, reference TEXT NOT NULL UNIQUE, state TEXT NOT NULL,
  unit_id INTEGER NOT NULL REFERENCES units(id), received_on TEXT NOT NULL, created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL, created_by INTEGER NOT NULL, version INTEGER NOT NULL,
  summary BLOB NOT NULL, fields BLOB NOT NULL);
CREATE INDEX track_cases_track ON track_cases(track, state);
CREATE TABLE track_case_keys(
  case_id INTEGER PRIMARY KEY REFERENCES track_cases(id), key_id TEXT NOT NULL, wrapped BLOB NOT NULL);
CREATE TABLE track_members(
  case_id INTEGER NOT NULL REFERENCES track_cases(id), person_id INTEGER NOT NULL REFERENCES people(id),
  role TEXT NOT NULL, PRIMARY KEY(case_id, person_id, role));
CREATE INDEX track_members_person ON track_members(person_id);
CREATE TABLE track_steps(
  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES track_cases(id), action TEXT NOT NULL,
  from_state TEXT NOT NULL, to_state TEXT NOT NULL, at INTEGER NOT NULL, by_person INTEGER NOT NULL,
  fields BLOB NOT NULL);
CREATE INDEX track_steps_case ON track_steps(case_id, id);
CREATE TABLE track_counters(prefix TEXT NOT NULL, year INTEGER NOT NULL, last INTEGER NOT NULL,
  PRIMARY KEY(prefix, year));
)sql",
    // 5: the mail outbox (issue 3 §3, issue 7 §4). No address and no text:
    // the sender looks the address up when it sends (the reporter's is
    // encrypted with the case), so destroying a case leaves nothing here.
    // next_attempt_at NULL: given up. At most one row per kind and case waits
    // to be sent (coalescing).
    R"sql(
CREATE TABLE mail_outbox(
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, case_id INTEGER NOT NULL REFERENCES lmm_cases(id),
  created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER,
  last_error TEXT NOT NULL DEFAULT '', sent_at INTEGER);
CREATE UNIQUE INDEX mail_outbox_waiting ON mail_outbox(kind, case_id)
  WHERE sent_at IS NULL AND next_attempt_at IS NOT NULL;
CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX mail_outbox_case ON mail_outbox(case_id);
)sql",
    // 6: what the dashboards and reports count (issue 5): one row per case,
    // written with every change of the case, with nothing that names or
    // describes anyone (core/dashboard/case_fact.h). Ordered by updated_at
    // so the dashboards follow changes by polling.
    R"sql(
CREATE TABLE case_facts(
  kind TEXT NOT NULL, case_id INTEGER NOT NULL, track TEXT NOT NULL, state TEXT NOT NULL,
  is_open INTEGER NOT NULL, unit_id INTEGER NOT NULL, received_on TEXT NOT NULL, closed_on TEXT,
  state_since TEXT NOT NULL, days_in_state TEXT NOT NULL, next_due TEXT, answers TEXT NOT NULL,
  delay_days TEXT NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY(kind, case_id));
CREATE INDEX case_facts_updated ON case_facts(updated_at);
)sql",
    // 7: learning cases (issue 5 §5): the texts encrypted with each learning
    // case's own key; the link back to the source case in a table of its
    // own, read only for the author and the approvers (app/learning_service).
    R"sql(
CREATE TABLE learning_cases(
  id INTEGER PRIMARY KEY, state TEXT NOT NULL, version INTEGER NOT NULL, track TEXT NOT NULL,
  place TEXT NOT NULL, period TEXT NOT NULL, duration TEXT NOT NULL,
  author INTEGER NOT NULL REFERENCES people(id), approver INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, submitted_at INTEGER NOT NULL DEFAULT 0,
  published_at INTEGER NOT NULL DEFAULT 0, texts BLOB NOT NULL, return_reason BLOB NOT NULL);
CREATE INDEX learning_cases_state ON learning_cases(state, track, updated_at);
CREATE INDEX learning_cases_author ON learning_cases(author, updated_at);
CREATE TABLE learning_case_keys(
  case_id INTEGER PRIMARY KEY REFERENCES learning_cases(id), key_id TEXT NOT NULL, wrapped BLOB NOT NULL);
CREATE TABLE learning_sources(
  learning_case_id INTEGER PRIMARY KEY REFERENCES learning_cases(id), kind TEXT NOT NULL,
  case_id INTEGER NOT NULL);
CREATE INDEX learning_sources_case ON learning_sources(kind, case_id);
)sql",
    // 8: the LMM facts gained answers for the annual report (issue 5 §4:
    // acknowledgement and feedback in time, kind of wrongdoing, outcome).
    // Dropped here; the server writes every missing fact again at start
    // (LmmService::WriteMissingFacts), so they are rebuilt from the cases.
    R"sql(
DELETE FROM case_facts WHERE kind='lmm';
)sql",
    // 9: Protective Monitoring governance (issue 6 §2, §5, §6;
    // core/monitoring): the mode history, flags with their review (evidence
    // and notes encrypted with each flag's own key), patterns explained once,
    // the trend cells (never below the threshold) and pseudonym resolutions.
    R"sql(
CREATE TABLE monitor_modes(
  seq INTEGER PRIMARY KEY, mode TEXT NOT NULL, decision_reference TEXT NOT NULL,
  by_account INTEGER NOT NULL, at INTEGER NOT NULL);
CREATE TABLE monitor_flags(
  id INTEGER PRIMARY KEY, version INTEGER NOT NULL, day INTEGER NOT NULL, user TEXT NOT NULL,
  score REAL NOT NULL, status TEXT NOT NULL, evidence BLOB NOT NULL, review_note BLOB NOT NULL,
  reviewed_by INTEGER NOT NULL DEFAULT 0, reviewed_at INTEGER NOT NULL DEFAULT 0,
  vik_case_id INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);
CREATE INDEX monitor_flags_status ON monitor_flags(status, day);
CREATE TABLE monitor_flag_keys(
  flag_id INTEGER PRIMARY KEY REFERENCES monitor_flags(id), key_id TEXT NOT NULL, wrapped BLOB NOT NULL);
CREATE TABLE monitor_explained(
  user TEXT NOT NULL, rule TEXT NOT NULL, subject TEXT NOT NULL, flag_id INTEGER NOT NULL,
  PRIMARY KEY(user, rule, subject));
CREATE TABLE monitor_trend(
  day INTEGER NOT NULL, level TEXT NOT NULL, name TEXT NOT NULL, rule TEXT NOT NULL,
  users INTEGER NOT NULL, suppressed INTEGER NOT NULL, PRIMARY KEY(day, level, name, rule));
CREATE TABLE monitor_resolutions(
  id INTEGER PRIMARY KEY, version INTEGER NOT NULL, flag_id INTEGER NOT NULL REFERENCES monitor_flags(id),
  pseudonym TEXT NOT NULL, requested_by INTEGER NOT NULL, reason BLOB NOT NULL, requested_at INTEGER NOT NULL,
  approvers TEXT NOT NULL, state TEXT NOT NULL, decided_at INTEGER NOT NULL DEFAULT 0, refusal TEXT NOT NULL);
CREATE INDEX monitor_resolutions_flag ON monitor_resolutions(flag_id);
CREATE INDEX monitor_resolutions_state ON monitor_resolutions(state);
)sql",
};

std::optional<std::string> DateCol(const std::optional<Date>& d) {
  if (!d) return std::nullopt;
  return FormatDateIso(*d);
}

}  // namespace

// A prepared statement from the connection's cache, reset on destruction.
class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  ~Stmt() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Stmt& Bind(int i, std::int64_t v) { sqlite3_bind_int64(s_, i, v); return *this; }
  Stmt& Bind(int i, int v) { sqlite3_bind_int64(s_, i, v); return *this; }
  Stmt& Bind(int i, bool v) { sqlite3_bind_int64(s_, i, v ? 1 : 0); return *this; }
  Stmt& Bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& BindBlob(int i, std::string_view v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  template <typename T>
  Stmt& Bind(int i, const std::optional<T>& v) {
    if (!v) { sqlite3_bind_null(s_, i); return *this; }
    return Bind(i, *v);
  }
  // Steps once: true when a row is available.
  bool Step() {
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) last_error_ = sqlite3_errmsg(db_);
    return false;
  }
  absl::Status Exec() {
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) return absl::OkStatus();
    if (rc == SQLITE_CONSTRAINT) return Conflict(Cat("Gegevens botsen: ", sqlite3_errmsg(db_)));
    return absl::InternalError(sqlite3_errmsg(db_));
  }
  std::int64_t Int(int c) { return sqlite3_column_int64(s_, c); }
  bool IsNull(int c) { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
  std::optional<std::int64_t> OptInt(int c) { return IsNull(c) ? std::nullopt : std::optional(Int(c)); }
  std::string Text(int c) {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(s_, c));
    return p ? std::string(p, sqlite3_column_bytes(s_, c)) : std::string();
  }
  std::string Blob(int c) {
    auto p = static_cast<const char*>(sqlite3_column_blob(s_, c));
    return p ? std::string(p, sqlite3_column_bytes(s_, c)) : std::string();
  }
  std::optional<Date> OptDate(int c) { return IsNull(c) ? std::nullopt : ParseDate(Text(c)); }
  Date DateAt(int c) { return ParseDate(Text(c)).value_or(Date{}); }
  const std::string& last_error() const { return last_error_; }
  sqlite3_stmt* raw() { return s_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_;
  std::string last_error_;
};

class SqliteStore::Tx final : public StoreTx {
 public:
  Tx(sqlite3* db, HashFunction* hash, KeyProvider* keys) : db_(db), hash_(hash), keys_(keys) {}
  ~Tx() override {
    ForgetKeys();
    for (auto& [k, s] : cache_) sqlite3_finalize(s);
  }

  // --- encryption at rest ---
  // Every case text (summary, description, body, timeline, messages,
  // attachments, requests) is encrypted with the case's own data key; the key
  // is stored only wrapped by the key provider's master key. Unwrapped keys
  // live for one transaction.
  // An LMM case and a case on a track defined as data each have their own key
  // table and associated data ("case:<id>", "track:<id>"), so no key or
  // ciphertext can move between the two kinds.
  struct KeyTable {
    const char* select;
    const char* insert;
    const char* context;
    const char* missing;
  };
  static constexpr KeyTable kCaseKeys{"SELECT wrapped FROM case_keys WHERE case_id=?",
                                      "INSERT INTO case_keys(case_id, key_id, wrapped) VALUES(?,?,?)", "case:",
                                      "Sleutel van melding "};
  static constexpr KeyTable kTrackKeys{"SELECT wrapped FROM track_case_keys WHERE case_id=?",
                                       "INSERT INTO track_case_keys(case_id, key_id, wrapped) VALUES(?,?,?)", "track:",
                                       "Sleutel van zaak "};
  absl::StatusOr<std::string> DataKey(const KeyTable& table, std::unordered_map<Id, std::string>& cache, Id case_id,
                                      bool create) {
    if (auto it = cache.find(case_id); it != cache.end()) return it->second;
    const std::string context = Cat(table.context, case_id);
    std::string key;
    auto s = Q(table.select);
    s.Bind(1, case_id);
    if (s.Step()) {
      ASSIGN_OR_RETURN(key, keys_->UnwrapKey(s.Blob(0), context));
    } else if (create) {
      key = crypto::NewDataKey();
      ASSIGN_OR_RETURN(std::string wrapped, keys_->WrapKey(key, context));
      auto ins = Q(table.insert);
      ins.Bind(1, case_id).Bind(2, keys_->KeyId()).BindBlob(3, wrapped);
      RETURN_IF_ERROR(ins.Exec());
    } else {
      return absl::DataLossError(Cat(table.missing, case_id, " ontbreekt."));
    }
    return cache.emplace(case_id, std::move(key)).first->second;
  }
  static constexpr KeyTable kFlagKeys{"SELECT wrapped FROM monitor_flag_keys WHERE flag_id=?",
                                      "INSERT INTO monitor_flag_keys(flag_id, key_id, wrapped) VALUES(?,?,?)",
                                      "monitor_flag:", "Sleutel van signaal "};
  absl::StatusOr<std::string> SealFlag(Id id, std::string_view field, std::string_view plain) {
    ASSIGN_OR_RETURN(std::string key, DataKey(kFlagKeys, flag_key_cache_, id, true));
    return crypto::Encrypt(key, plain, Cat("monitor_flag:", id, ":", field));
  }
  absl::StatusOr<std::string> UnsealFlag(Stmt& s, int col, Id id, std::string_view field) {
    ASSIGN_OR_RETURN(std::string key, DataKey(kFlagKeys, flag_key_cache_, id, false));
    return crypto::Decrypt(key, s.Blob(col), Cat("monitor_flag:", id, ":", field));
  }
  static constexpr KeyTable kLearningKeys{"SELECT wrapped FROM learning_case_keys WHERE case_id=?",
                                          "INSERT INTO learning_case_keys(case_id, key_id, wrapped) VALUES(?,?,?)",
                                          "learning:", "Sleutel van leercasus "};
  absl::StatusOr<std::string> SealLearning(Id id, std::string_view field, std::string_view plain) {
    ASSIGN_OR_RETURN(std::string key, DataKey(kLearningKeys, learning_key_cache_, id, true));
    return crypto::Encrypt(key, plain, Cat("learning:", id, ":", field));
  }
  absl::StatusOr<std::string> UnsealLearning(Stmt& s, int col, Id id, std::string_view field) {
    ASSIGN_OR_RETURN(std::string key, DataKey(kLearningKeys, learning_key_cache_, id, false));
    return crypto::Decrypt(key, s.Blob(col), Cat("learning:", id, ":", field));
  }
  absl::StatusOr<std::string> CaseKey(Id case_id, bool create) {
    return DataKey(kCaseKeys, key_cache_, case_id, create);
  }
  absl::StatusOr<std::string> TrackKey(Id case_id, bool create) {
    return DataKey(kTrackKeys, track_key_cache_, case_id, create);
  }
  absl::StatusOr<std::string> SealTrack(Id case_id, std::string_view field, std::string_view plain) {
    ASSIGN_OR_RETURN(std::string key, TrackKey(case_id, true));
    return crypto::Encrypt(key, plain, Cat("track:", case_id, ":", field));
  }
  absl::StatusOr<std::string> UnsealTrack(Stmt& s, int col, Id case_id, std::string_view field) {
    ASSIGN_OR_RETURN(std::string key, TrackKey(case_id, false));
    return crypto::Decrypt(key, s.Blob(col), Cat("track:", case_id, ":", field));
  }
  absl::StatusOr<std::string> Seal(Id case_id, std::string_view field, std::string_view plain) {
    ASSIGN_OR_RETURN(std::string key, CaseKey(case_id, true));
    return crypto::Encrypt(key, plain, Cat("case:", case_id, ":", field));
  }
  // Column `col` of `s` decrypted. A plain TEXT value can only be one written
  // before migration 2, read by EncryptLegacyRows while it rewrites it.
  absl::StatusOr<std::string> Unseal(Stmt& s, int col, Id case_id, std::string_view field) {
    if (sqlite3_column_type(s.raw(), col) == SQLITE_TEXT) return s.Text(col);
    ASSIGN_OR_RETURN(std::string key, CaseKey(case_id, false));
    return crypto::Decrypt(key, s.Blob(col), Cat("case:", case_id, ":", field));
  }
  std::string UnsealOr(Stmt& s, int col, Id case_id, std::string_view field) {
    auto v = Unseal(s, col, case_id, field);
    return v.ok() ? *std::move(v) : std::string("[niet te ontsleutelen]");
  }
  void ForgetKeys() {
    for (auto& [id, k] : key_cache_) crypto::Wipe(k);
    key_cache_.clear();
    for (auto& [id, k] : track_key_cache_) crypto::Wipe(k);
    track_key_cache_.clear();
    for (auto& [id, k] : learning_key_cache_) crypto::Wipe(k);
    learning_key_cache_.clear();
    for (auto& [id, k] : flag_key_cache_) crypto::Wipe(k);
    flag_key_cache_.clear();
  }

  // A cached prepared statement for `sql` (literal or built per query; the
  // number of distinct texts is small and bounded).
  Stmt Q(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      sqlite3_stmt* s = nullptr;
      if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
        // A programming error in a query: fail loudly in tests.
        fprintf(stderr, "sqlite prepare failed: %s\n%s\n", sqlite3_errmsg(db_), sql.c_str());
        std::abort();
      }
      it = cache_.emplace(sql, s).first;
    }
    return Stmt(db_, it->second);
  }
  absl::Status Exec(const char* sql) { return Q(sql).Exec(); }

  // --- organisation ---
  absl::StatusOr<Id> InsertUnit(const OrgUnit& u) override {
    auto s = Q("INSERT INTO units(name, kind, parent_id) VALUES(?,?,?)");
    s.Bind(1, u.name).Bind(2, UnitKindName(u.kind)).Bind(3, u.parent_id);
    RETURN_IF_ERROR(s.Exec());
    return sqlite3_last_insert_rowid(db_);
  }
  absl::StatusOr<Id> InsertPerson(const Person& p) override {
    auto s = Q("INSERT INTO people(name, position, rank, team_id, manager_id) VALUES(?,?,?,?,?)");
    s.Bind(1, p.name).Bind(2, p.position).Bind(3, p.rank).Bind(4, p.team_id).Bind(5, p.manager_id);
    RETURN_IF_ERROR(s.Exec());
    return sqlite3_last_insert_rowid(db_);
  }
  absl::Status SetManager(Id person, std::optional<Id> manager) override {
    auto s = Q("UPDATE people SET manager_id=? WHERE id=?");
    s.Bind(1, manager).Bind(2, person);
    return s.Exec();
  }
  static Person ReadPerson(Stmt& s) {
    Person p;
    p.id = s.Int(0); p.name = s.Text(1); p.position = s.Text(2); p.rank = s.Text(3);
    p.team_id = s.Int(4); p.manager_id = s.OptInt(5);
    return p;
  }
  absl::StatusOr<Person> GetPerson(Id id) override {
    auto s = Q("SELECT id, name, position, rank, team_id, manager_id FROM people WHERE id=?");
    s.Bind(1, id);
    if (!s.Step()) return NotFound("Persoon niet gevonden.");
    return ReadPerson(s);
  }
  std::optional<Id> ManagerOf(Id person) override {
    auto s = Q("SELECT manager_id FROM people WHERE id=?");
    s.Bind(1, person);
    if (!s.Step()) return std::nullopt;
    return s.OptInt(0);
  }
  std::vector<OrgUnit> ListUnits() override {
    auto s = Q("SELECT id, name, kind, parent_id FROM units ORDER BY id");
    std::vector<OrgUnit> out;
    while (s.Step()) {
      out.push_back({s.Int(0), s.Text(1), ParseUnitKind(s.Text(2)).value_or(UnitKind::kTeam), s.OptInt(3)});
    }
    return out;
  }
  absl::StatusOr<OrgUnit> GetUnit(Id id) override {
    auto s = Q("SELECT id, name, kind, parent_id FROM units WHERE id=?");
    s.Bind(1, id);
    if (!s.Step()) return NotFound("Eenheid niet gevonden.");
    return OrgUnit{s.Int(0), s.Text(1), ParseUnitKind(s.Text(2)).value_or(UnitKind::kTeam), s.OptInt(3)};
  }
  std::vector<Person> FindPeople(std::string_view text, int limit) override {
    auto s = Q("SELECT id, name, position, rank, team_id, manager_id FROM people "
               "WHERE name LIKE '%' || ? || '%' ORDER BY name LIMIT ?");
    s.Bind(1, text).Bind(2, limit);
    std::vector<Person> out;
    while (s.Step()) out.push_back(ReadPerson(s));
    return out;
  }
  std::map<Id, std::int64_t> CountPeopleByTeam(const std::optional<std::string>& role) override {
    std::map<Id, std::int64_t> out;
    if (role) {
      auto s = Q("SELECT p.team_id, COUNT(DISTINCT p.id) FROM people p JOIN accounts a ON a.person_id=p.id "
                 "JOIN account_roles r ON r.account_id=a.id WHERE r.role=?1 GROUP BY p.team_id");
      s.Bind(1, *role);
      while (s.Step()) out[s.Int(0)] = s.Int(1);
    } else {
      auto s = Q("SELECT team_id, COUNT(*) FROM people GROUP BY team_id");
      while (s.Step()) out[s.Int(0)] = s.Int(1);
    }
    return out;
  }
  std::int64_t CountPeople() override {
    auto s = Q("SELECT count(*) FROM people");
    return s.Step() ? s.Int(0) : 0;
  }
  absl::Status AdoptUnit(Id advisor, Id unit) override {
    auto s = Q("INSERT OR IGNORE INTO adopted_units(advisor_person, unit_id) VALUES(?,?)");
    s.Bind(1, advisor).Bind(2, unit);
    return s.Exec();
  }
  std::vector<Id> AdoptedUnits(Id advisor) override {
    auto s = Q("SELECT unit_id FROM adopted_units WHERE advisor_person=? ORDER BY unit_id");
    s.Bind(1, advisor);
    std::vector<Id> out;
    while (s.Step()) out.push_back(s.Int(0));
    return out;
  }
  std::vector<Person> ListAdvisors() override {
    auto s = Q("SELECT DISTINCT p.id, p.name, p.position, p.rank, p.team_id, p.manager_id FROM people p "
               "JOIN accounts a ON a.person_id=p.id JOIN account_roles r ON r.account_id=a.id "
               "WHERE r.role IN ('vpi','coordinator') AND a.disabled=0 ORDER BY p.name");
    std::vector<Person> out;
    while (s.Step()) out.push_back(ReadPerson(s));
    return out;
  }

  // --- accounts ---
  absl::StatusOr<Id> InsertAccount(const Account& a) override {
    auto s = Q("INSERT INTO accounts(person_id, username, password_hash, totp_secret, totp_last_step, disabled) "
               "VALUES(?,?,?,?,?,?)");
    s.Bind(1, a.person_id).Bind(2, a.username).Bind(3, a.password_hash).BindBlob(4, a.totp_secret)
        .Bind(5, a.totp_last_step).Bind(6, a.disabled);
    RETURN_IF_ERROR(s.Exec());
    Id id = sqlite3_last_insert_rowid(db_);
    for (Role r : a.roles) {
      auto rs = Q("INSERT INTO account_roles(account_id, role) VALUES(?,?)");
      rs.Bind(1, id).Bind(2, RoleName(r));
      RETURN_IF_ERROR(rs.Exec());
    }
    return id;
  }
  absl::StatusOr<Account> ReadAccount(Stmt& s) {
    Account a;
    a.id = s.Int(0); a.person_id = s.Int(1); a.username = s.Text(2); a.password_hash = s.Text(3);
    a.totp_secret = s.Blob(4); a.totp_last_step = s.Int(5); a.disabled = s.Int(6) != 0;
    auto rs = Q("SELECT role FROM account_roles WHERE account_id=?");
    rs.Bind(1, a.id);
    while (rs.Step()) {
      if (auto r = ParseRole(rs.Text(0))) a.roles.insert(*r);
    }
    return a;
  }
  absl::StatusOr<Account> FindAccountByUsername(std::string_view username) override {
    auto s = Q("SELECT id, person_id, username, password_hash, totp_secret, totp_last_step, disabled "
               "FROM accounts WHERE username=?");
    s.Bind(1, username);
    if (!s.Step()) return NotFound("Account niet gevonden.");
    return ReadAccount(s);
  }
  absl::StatusOr<Account> GetAccount(Id id) override {
    auto s = Q("SELECT id, person_id, username, password_hash, totp_secret, totp_last_step, disabled "
               "FROM accounts WHERE id=?");
    s.Bind(1, id);
    if (!s.Step()) return NotFound("Account niet gevonden.");
    return ReadAccount(s);
  }
  std::optional<Id> AccountOfPerson(Id person) override {
    auto s = Q("SELECT id FROM accounts WHERE person_id=?");
    s.Bind(1, person);
    if (!s.Step()) return std::nullopt;
    return s.Int(0);
  }
  absl::Status UpdateTotp(Id account, std::string_view secret, std::int64_t last_step) override {
    auto s = Q("UPDATE accounts SET totp_secret=?, totp_last_step=? WHERE id=?");
    s.BindBlob(1, secret).Bind(2, last_step).Bind(3, account);
    return s.Exec();
  }
  absl::Status InsertSession(const Session& x) override {
    auto s = Q("INSERT INTO sessions(id, token_hash, account_id, csrf_token, second_factor_done, created_at, "
               "last_seen_at, vault_key) VALUES(?,?,?,?,?,?,?,?)");
    s.Bind(1, x.id).Bind(2, x.token_hash).Bind(3, x.account_id).Bind(4, x.csrf_token)
        .Bind(5, x.second_factor_done).Bind(6, x.created_at).Bind(7, x.last_seen_at).BindBlob(8, x.vault_key);
    return s.Exec();
  }
  absl::StatusOr<Session> FindSessionByTokenHash(std::string_view token_hash) override {
    auto s = Q("SELECT id, token_hash, account_id, csrf_token, second_factor_done, created_at, last_seen_at, "
               "vault_key FROM sessions WHERE token_hash=?");
    s.Bind(1, token_hash);
    if (!s.Step()) return Unauthenticated("Sessie onbekend of verlopen.");
    Session x;
    x.id = s.Text(0); x.token_hash = s.Text(1); x.account_id = s.Int(2); x.csrf_token = s.Text(3);
    x.second_factor_done = s.Int(4) != 0; x.created_at = s.Int(5); x.last_seen_at = s.Int(6);
    x.vault_key = s.Blob(7);
    return x;
  }
  absl::Status TouchSession(std::string_view id, Instant at) override {
    auto s = Q("UPDATE sessions SET last_seen_at=? WHERE id=?");
    s.Bind(1, at).Bind(2, id);
    return s.Exec();
  }
  absl::Status MarkSecondFactorDone(std::string_view id, std::string_view new_token_hash) override {
    auto s = Q("UPDATE sessions SET second_factor_done=1, token_hash=? WHERE id=?");
    s.Bind(1, new_token_hash).Bind(2, id);
    return s.Exec();
  }
  absl::Status DeleteSession(std::string_view id) override {
    auto s = Q("DELETE FROM sessions WHERE id=?");
    s.Bind(1, id);
    return s.Exec();
  }
  absl::Status DeleteSessionsOlderThan(Instant created_before, Instant seen_before) override {
    auto s = Q("DELETE FROM sessions WHERE created_at<? OR last_seen_at<?");
    s.Bind(1, created_before).Bind(2, seen_before);
    return s.Exec();
  }
  absl::Status RecordLoginFailure(std::string_view key, Instant at) override {
    auto s = Q("INSERT INTO login_failures(key, at) VALUES(?,?)");
    s.Bind(1, key).Bind(2, at);
    return s.Exec();
  }
  int CountLoginFailures(std::string_view key, Instant since) override {
    auto s = Q("SELECT count(*) FROM login_failures WHERE key=? AND at>=?");
    s.Bind(1, key).Bind(2, since);
    return s.Step() ? static_cast<int>(s.Int(0)) : 0;
  }
  absl::Status DeleteLoginFailuresBefore(Instant before) override {
    auto s = Q("DELETE FROM login_failures WHERE at<?");
    s.Bind(1, before);
    return s.Exec();
  }
  absl::Status ClearLoginFailures(std::string_view key) override {
    auto s = Q("DELETE FROM login_failures WHERE key=?");
    s.Bind(1, key);
    return s.Exec();
  }

  // --- cases ---
  static std::optional<std::string> NextDue(const LmmCase& c) {
    auto d = workflow::NearestOpenDeadline(c);
    if (!d) return std::nullopt;
    return FormatDateIso(d->due);
  }
  absl::Status WriteMembers(const LmmCase& c) {
    auto del = Q("DELETE FROM case_members WHERE case_id=?");
    del.Bind(1, c.id);
    RETURN_IF_ERROR(del.Exec());
    std::set<Id> people(c.reviewer_ids.begin(), c.reviewer_ids.end());
    for (auto p : {c.reporter_advisor_id, c.weighing_advisor_id, std::optional<Id>(c.registered_by_person)}) {
      if (p && *p != 0) people.insert(*p);
    }
    const std::string sort_due = NextDue(c).value_or("9999-12-31");
    for (Id p : people) {
      auto s = Q("INSERT INTO case_members(case_id, person_id, is_open, sort_due) VALUES(?,?,?,?)");
      s.Bind(1, c.id).Bind(2, p).Bind(3, !IsTerminal(c.state)).Bind(4, sort_due);
      RETURN_IF_ERROR(s.Exec());
    }
    return absl::OkStatus();
  }
  absl::StatusOr<Id> InsertCase(LmmCase& c) override {
    c.version = 1;
    // The row first (its id names the key), then the encrypted texts.
    auto s = Q("INSERT INTO lmm_cases(reference, version, state, received_at, updated_at, channel, "
               "reporter_category, pseudonym, summary, description, unit_id, registered_by_person, "
               "reporter_advisor_id, weighing_advisor_id, ack_due, ack_on, feedback_due, feedback_on, "
               "weighing_end, has_advice, next_due, body, received_on) "
               "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,X'',X'',?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,X'',?25)");
    BindCase(s, c);
    RETURN_IF_ERROR(s.Exec());
    c.id = sqlite3_last_insert_rowid(db_);
    RETURN_IF_ERROR(WriteTexts(c));
    RETURN_IF_ERROR(WriteMembers(c));
    return c.id;
  }
  absl::Status WriteTexts(const LmmCase& c) {
    ASSIGN_OR_RETURN(std::string summary, Seal(c.id, "summary", c.summary));
    ASSIGN_OR_RETURN(std::string description, Seal(c.id, "description", c.description));
    ASSIGN_OR_RETURN(std::string body, Seal(c.id, "body", json::CaseBodyToJson(c).dump()));
    auto s = Q("UPDATE lmm_cases SET summary=?, description=?, body=? WHERE id=?");
    s.BindBlob(1, summary).BindBlob(2, description).BindBlob(3, body).Bind(4, c.id);
    return s.Exec();
  }
  // Binds every column but the encrypted texts (9, 10, 22).
  void BindCase(Stmt& s, const LmmCase& c) {
    s.Bind(1, c.reference).Bind(2, c.version).Bind(3, LmmStateName(c.state)).Bind(4, c.received_at)
        .Bind(5, c.updated_at).Bind(6, c.channel).Bind(7, c.reporter_category).Bind(8, c.pseudonym)
        .Bind(11, c.unit_id).Bind(12, c.registered_by_person)
        .Bind(13, c.reporter_advisor_id).Bind(14, c.weighing_advisor_id)
        .Bind(15, FormatDateIso(c.acknowledgement_due)).Bind(16, DateCol(c.acknowledged_on))
        .Bind(17, FormatDateIso(c.feedback_due)).Bind(18, DateCol(c.feedback_given_on))
        .Bind(19, c.weighing ? DateCol(c.weighing->expected_end) : std::nullopt)
        .Bind(20, c.advice.has_value()).Bind(21, NextDue(c)).Bind(25, FormatDateIso(c.received_on));
  }
  absl::Status UpdateCase(LmmCase& c, std::int64_t expected_version) override {
    auto check = Q("SELECT version FROM lmm_cases WHERE id=?");
    check.Bind(1, c.id);
    if (!check.Step()) return NotFound("Melding niet gevonden.");
    if (check.Int(0) != expected_version)
      return Stale("Deze melding is intussen door iemand anders gewijzigd. Laad de pagina opnieuw en probeer het nog eens.");
    c.version = expected_version + 1;
    auto s = Q("UPDATE lmm_cases SET reference=?1, version=?2, state=?3, received_at=?4, updated_at=?5, channel=?6, "
               "reporter_category=?7, pseudonym=?8, unit_id=?11, registered_by_person=?12, "
               "reporter_advisor_id=?13, weighing_advisor_id=?14, ack_due=?15, ack_on=?16, feedback_due=?17, "
               "feedback_on=?18, weighing_end=?19, has_advice=?20, next_due=?21, received_on=?25 "
               "WHERE id=?23 AND version=?24");
    BindCase(s, c);
    s.Bind(23, c.id).Bind(24, expected_version);
    RETURN_IF_ERROR(s.Exec());
    if (sqlite3_changes(db_) != 1) return Stale("Deze melding is intussen gewijzigd.");
    RETURN_IF_ERROR(WriteTexts(c));
    return WriteMembers(c);
  }
  absl::StatusOr<LmmCase> GetCase(Id id) override {
    auto s = Q("SELECT id, reference, version, state, received_at, updated_at, channel, reporter_category, "
               "pseudonym, summary, description, unit_id, registered_by_person, reporter_advisor_id, "
               "weighing_advisor_id, ack_due, ack_on, feedback_due, feedback_on, body, received_on FROM lmm_cases WHERE id=?");
    s.Bind(1, id);
    if (!s.Step()) return NotFound("Melding niet gevonden.");
    LmmCase c;
    c.id = s.Int(0); c.reference = s.Text(1); c.version = s.Int(2);
    c.state = ParseLmmState(s.Text(3)).value_or(LmmState::kRegistered);
    c.received_at = s.Int(4); c.updated_at = s.Int(5); c.channel = s.Text(6);
    c.reporter_category = s.Text(7); c.pseudonym = s.Text(8);
    ASSIGN_OR_RETURN(c.summary, Unseal(s, 9, c.id, "summary"));
    ASSIGN_OR_RETURN(c.description, Unseal(s, 10, c.id, "description"));
    c.unit_id = s.Int(11); c.registered_by_person = s.Int(12);
    c.reporter_advisor_id = s.OptInt(13); c.weighing_advisor_id = s.OptInt(14);
    c.acknowledgement_due = s.DateAt(15); c.acknowledged_on = s.OptDate(16);
    c.feedback_due = s.DateAt(17); c.feedback_given_on = s.OptDate(18);
    c.received_on = s.DateAt(20);
    ASSIGN_OR_RETURN(std::string body_text, Unseal(s, 19, c.id, "body"));
    auto body = nlohmann::json::parse(body_text, nullptr, false);
    if (body.is_discarded()) return absl::DataLossError("case body is not JSON");
    RETURN_IF_ERROR(json::CaseBodyFromJson(body, c));
    return c;
  }
  std::vector<CaseSummary> ListCases(const CaseListQuery& q) override {
    const std::string columns =
        "SELECT c.id, c.reference, c.state, c.summary, c.unit_id, c.received_at, c.ack_due, c.ack_on, "
        "c.feedback_due, c.feedback_on, c.weighing_end, c.has_advice, c.reporter_advisor_id, "
        "c.weighing_advisor_id, c.received_on ";
    std::string sql;
    if (!q.all && !q.with_advice && q.member_person) {
      // Start from the person's own cases (CROSS JOIN fixes the loop order)
      // rather than walk every case in deadline order looking for them. For
      // open cases the member index is already in deadline order, so only
      // the first limit+offset of them are needed.
      std::vector<std::string> own;
      if (q.member_person && q.open_only && !q.state && !q.due_before) {
        own.push_back(
            "SELECT case_id FROM (SELECT case_id FROM case_members WHERE person_id=:member AND is_open=1 "
            "ORDER BY sort_due, case_id DESC LIMIT :limit + :offset)");
      } else if (q.member_person) {
        own.push_back("SELECT case_id FROM case_members WHERE person_id=:member");
      }
      sql = columns + "FROM (" + absl::StrJoin(own, " UNION ") +
            ") own CROSS JOIN lmm_cases c ON c.id=own.case_id WHERE 1";
    } else {
      std::vector<std::string> scope;
      if (q.all) scope.push_back("1");
      if (q.member_person) scope.push_back("c.id IN (SELECT case_id FROM case_members WHERE person_id=:member)");
      if (q.with_advice) scope.push_back("c.has_advice=1");
      if (scope.empty()) scope.push_back("0");
      sql = columns + "FROM lmm_cases c WHERE (" + absl::StrJoin(scope, " OR ") + ")";
    }
    if (q.state) sql += " AND c.state=:state";
    if (q.open_only) sql += " AND c.state NOT IN ('closed','referred')";
    if (q.due_before) sql += " AND c.next_due IS NOT NULL AND c.next_due<:due_before";
    sql += " ORDER BY c.next_due IS NULL, c.next_due, c.id DESC LIMIT :limit OFFSET :offset";
    std::vector<CaseSummary> out;
    Stmt s = Q(sql);
    auto bind = [&](const char* name, auto v) {
      int i = sqlite3_bind_parameter_index(s.raw(), name);
      if (i == 0) return;
      if constexpr (std::is_same_v<decltype(v), std::string>) {
        sqlite3_bind_text(s.raw(), i, v.c_str(), -1, SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_int64(s.raw(), i, v);
      }
    };
    if (q.member_person) bind(":member", *q.member_person);
    if (q.state) bind(":state", std::string(LmmStateName(*q.state)));
    if (q.due_before) bind(":due_before", FormatDateIso(*q.due_before));
    bind(":limit", static_cast<std::int64_t>(q.limit));
    bind(":offset", static_cast<std::int64_t>(q.offset));
    while (s.Step()) {
      CaseSummary c;
      c.id = s.Int(0); c.reference = s.Text(1);
      c.state = ParseLmmState(s.Text(2)).value_or(LmmState::kRegistered);
      c.summary = UnsealOr(s, 3, c.id, "summary"); c.unit_id = s.Int(4); c.received_at = s.Int(5);
      c.acknowledgement_due = s.DateAt(6); c.acknowledged_on = s.OptDate(7);
      c.feedback_due = s.DateAt(8); c.feedback_given_on = s.OptDate(9); c.weighing_end = s.OptDate(10);
      c.has_advice = s.Int(11) != 0; c.reporter_advisor_id = s.OptInt(12); c.weighing_advisor_id = s.OptInt(13);
      c.received_on = s.DateAt(14);
      out.push_back(c);
    }
    return out;
  }
  std::int64_t NextCaseNumber(int year) override {
    auto s = Q("INSERT INTO case_counters(year, last) VALUES(?, 1) "
               "ON CONFLICT(year) DO UPDATE SET last=last+1 RETURNING last");
    s.Bind(1, year);
    return s.Step() ? s.Int(0) : 0;
  }
  std::vector<ReporterIdentity> ListLegacyIdentities() override {
    auto s = Q("SELECT case_id, person_id, account_id, name, contact FROM reporter_identities ORDER BY case_id");
    std::vector<ReporterIdentity> out;
    while (s.Step()) out.push_back({s.Int(0), s.OptInt(1), s.OptInt(2), s.Text(3), s.Text(4)});
    return out;
  }
  absl::Status DeleteLegacyIdentity(Id case_id) override {
    auto s = Q("DELETE FROM reporter_identities WHERE case_id=?");
    s.Bind(1, case_id);
    return s.Exec();
  }
  absl::StatusOr<Id> AppendCaseEvent(const CaseEvent& e) override {
    ASSIGN_OR_RETURN(std::string text, Seal(e.case_id, "event", e.text));
    auto s = Q("INSERT INTO case_events(case_id, at, actor_person, kind, visibility, text, on_date) VALUES(?,?,?,?,?,?,?)");
    s.Bind(1, e.case_id).Bind(2, e.at).Bind(3, e.actor_person).Bind(4, e.kind).Bind(5, e.visibility)
        .BindBlob(6, text).Bind(7, DateCol(e.on));
    RETURN_IF_ERROR(s.Exec());
    return sqlite3_last_insert_rowid(db_);
  }
  std::vector<CaseEvent> ListCaseEvents(Id case_id) override {
    auto s = Q("SELECT id, case_id, at, actor_person, kind, visibility, text, on_date FROM case_events "
               "WHERE case_id=? ORDER BY id");
    s.Bind(1, case_id);
    std::vector<CaseEvent> out;
    while (s.Step()) {
      out.push_back({s.Int(0), s.Int(1), s.Int(2), s.Int(3), s.Text(4), s.Text(5),
                     UnsealOr(s, 6, case_id, "event"), s.OptDate(7)});
    }
    return out;
  }

  // --- the reporter's channel ---
  absl::Status InsertReceipt(const Receipt& r) override {
    auto s = Q("INSERT INTO receipts(hash, case_id, must_replace, created_at) VALUES(?,?,?,?)");
    s.Bind(1, r.hash).Bind(2, r.case_id).Bind(3, r.must_replace).Bind(4, r.created_at);
    return s.Exec();
  }
  std::optional<Receipt> FindReceipt(std::string_view hash) override {
    auto s = Q("SELECT hash, case_id, must_replace, created_at FROM receipts WHERE hash=?");
    s.Bind(1, hash);
    if (!s.Step()) return std::nullopt;
    return Receipt{s.Text(0), s.Int(1), s.Int(2) != 0, s.Int(3)};
  }
  absl::Status DeleteReceiptsOfCase(Id case_id) override {
    auto s = Q("DELETE FROM receipts WHERE case_id=?");
    s.Bind(1, case_id);
    return s.Exec();
  }
  absl::Status InsertReporterSession(const ReporterSession& x) override {
    auto s = Q("INSERT INTO reporter_sessions(id, token_hash, case_id, csrf_token, must_replace, created_at, "
               "last_seen_at) VALUES(?,?,?,?,?,?,?)");
    s.Bind(1, x.id).Bind(2, x.token_hash).Bind(3, x.case_id).Bind(4, x.csrf_token)
        .Bind(5, x.must_replace_receipt).Bind(6, x.created_at).Bind(7, x.last_seen_at);
    return s.Exec();
  }
  absl::StatusOr<ReporterSession> FindReporterSession(std::string_view token_hash) override {
    auto s = Q("SELECT id, token_hash, case_id, csrf_token, must_replace, created_at, last_seen_at "
               "FROM reporter_sessions WHERE token_hash=?");
    s.Bind(1, token_hash);
    if (!s.Step()) return Unauthenticated("Sessie onbekend of verlopen.");
    return ReporterSession{s.Text(0), s.Text(1), s.Int(2), s.Text(3), s.Int(4) != 0, s.Int(5), s.Int(6)};
  }
  absl::Status UpdateReporterSession(const ReporterSession& x) override {
    auto s = Q("UPDATE reporter_sessions SET token_hash=?, csrf_token=?, must_replace=?, last_seen_at=? WHERE id=?");
    s.Bind(1, x.token_hash).Bind(2, x.csrf_token).Bind(3, x.must_replace_receipt).Bind(4, x.last_seen_at)
        .Bind(5, x.id);
    return s.Exec();
  }
  absl::Status DeleteReporterSession(std::string_view id) override {
    auto s = Q("DELETE FROM reporter_sessions WHERE id=?");
    s.Bind(1, id);
    return s.Exec();
  }
  absl::Status DeleteReporterSessionsBefore(Instant created_before, Instant seen_before) override {
    auto s = Q("DELETE FROM reporter_sessions WHERE created_at<? OR last_seen_at<?");
    s.Bind(1, created_before).Bind(2, seen_before);
    return s.Exec();
  }
  absl::StatusOr<Id> InsertMessage(const Message& m) override {
    ASSIGN_OR_RETURN(std::string body, Seal(m.case_id, "message", m.body));
    auto s = Q("INSERT INTO messages(case_id, at, author_person, visibility, body) VALUES(?,?,?,?,?)");
    s.Bind(1, m.case_id).Bind(2, m.at).Bind(3, m.author_person).Bind(4, m.visibility).BindBlob(5, body);
    RETURN_IF_ERROR(s.Exec());
    return sqlite3_last_insert_rowid(db_);
  }
  std::vector<Message> ListMessages(Id case_id) override {
    auto s = Q("SELECT id, case_id, at, author_person, visibility, body FROM messages WHERE case_id=? ORDER BY id");
    s.Bind(1, case_id);
    std::vector<Message> out;
    while (s.Step())
      out.push_back({s.Int(0), s.Int(1), s.Int(2), s.Int(3), s.Text(4), UnsealOr(s, 5, case_id, "message")});
    return out;
  }
  absl::Status MarkMessagesRead(Id case_id, Id reader, Id up_to) override {
    auto s = Q("INSERT INTO message_reads(case_id, reader, last_read) VALUES(?,?,?) "
               "ON CONFLICT(case_id, reader) DO UPDATE SET last_read=max(last_read, excluded.last_read)");
    s.Bind(1, case_id).Bind(2, reader).Bind(3, up_to);
    return s.Exec();
  }
  Id LastReadMessage(Id case_id, Id reader) override {
    auto s = Q("SELECT last_read FROM message_reads WHERE case_id=? AND reader=?");
    s.Bind(1, case_id).Bind(2, reader);
    return s.Step() ? s.Int(0) : 0;
  }
  std::vector<UnreadMessages> UnreadReporterMessages(Id person, bool all_cases) override {
    auto s = Q("SELECT m.case_id, c.reference, count(*) FROM messages m JOIN lmm_cases c ON c.id=m.case_id "
               "LEFT JOIN message_reads r ON r.case_id=m.case_id AND r.reader=?1 "
               "WHERE m.author_person=0 AND m.id>coalesce(r.last_read, 0) "
               "AND c.state NOT IN ('closed','referred') "
               "AND (?2 OR m.case_id IN (SELECT case_id FROM case_members WHERE person_id=?1)) "
               "GROUP BY m.case_id ORDER BY max(m.id) DESC LIMIT 50");
    s.Bind(1, person).Bind(2, all_cases);
    std::vector<UnreadMessages> out;
    while (s.Step()) out.push_back({s.Int(0), s.Text(1), static_cast<int>(s.Int(2))});
    return out;
  }
  absl::StatusOr<Id> InsertAttachment(const Attachment& a) override {
    ASSIGN_OR_RETURN(std::string name, Seal(a.case_id, "attachment.name", a.filename));
    ASSIGN_OR_RETURN(std::string data, Seal(a.case_id, "attachment.data", a.data));
    auto s = Q("INSERT INTO attachments(case_id, message_id, at, uploaded_by, visibility, filename, media_type, "
               "size, data) VALUES(?,?,?,?,?,?,?,?,?)");
    s.Bind(1, a.case_id).Bind(2, a.message_id).Bind(3, a.at).Bind(4, a.uploaded_by).Bind(5, a.visibility)
        .BindBlob(6, name).Bind(7, a.media_type).Bind(8, a.size).BindBlob(9, data);
    RETURN_IF_ERROR(s.Exec());
    return sqlite3_last_insert_rowid(db_);
  }
  std::vector<Attachment> ListAttachments(Id case_id) override {
    auto s = Q("SELECT id, case_id, message_id, at, uploaded_by, visibility, filename, media_type, size "
               "FROM attachments WHERE case_id=? ORDER BY id");
    s.Bind(1, case_id);
    std::vector<Attachment> out;
    while (s.Step()) {
      Attachment a;
      a.id = s.Int(0); a.case_id = s.Int(1); a.message_id = s.OptInt(2); a.at = s.Int(3);
      a.uploaded_by = s.Int(4); a.visibility = s.Text(5); a.filename = UnsealOr(s, 6, case_id, "attachment.name");
      a.media_type = s.Text(7); a.size = s.Int(8);
      out.push_back(std::move(a));
    }
    return out;
  }
  absl::StatusOr<Attachment> GetAttachment(Id id) override {
    auto s = Q("SELECT id, case_id, message_id, at, uploaded_by, visibility, filename, media_type, size, data "
               "FROM attachments WHERE id=?");
    s.Bind(1, id);
    if (!s.Step()) return NotFound("Bijlage niet gevonden.");
    Attachment a;
    a.id = s.Int(0); a.case_id = s.Int(1); a.message_id = s.OptInt(2); a.at = s.Int(3);
    a.uploaded_by = s.Int(4); a.visibility = s.Text(5);
    ASSIGN_OR_RETURN(a.filename, Unseal(s, 6, a.case_id, "attachment.name"));
    a.media_type = s.Text(7); a.size = s.Int(8);
    ASSIGN_OR_RETURN(a.data, Unseal(s, 9, a.case_id, "attachment.data"));
    return a;
  }
  absl::Status SetReporterEmail(Id case_id, std::string_view email) override {
    if (email.empty()) {
      auto d = Q("DELETE FROM reporter_contacts WHERE case_id=?");
      d.Bind(1, case_id);
      RETURN_IF_ERROR(d.Exec());
      // No address, nothing to send: unsent notices go too.
      auto m = Q("DELETE FROM mail_outbox WHERE case_id=? AND sent_at IS NULL");
      m.Bind(1, case_id);
      return m.Exec();
    }
    ASSIGN_OR_RETURN(std::string sealed, Seal(case_id, "reporter.email", email));
    auto s = Q("INSERT INTO reporter_contacts(case_id, email) VALUES(?,?) "
               "ON CONFLICT(case_id) DO UPDATE SET email=excluded.email");
    s.Bind(1, case_id).BindBlob(2, sealed);
    return s.Exec();
  }
  std::string GetReporterEmail(Id case_id) override {
    auto s = Q("SELECT email FROM reporter_contacts WHERE case_id=?");
    s.Bind(1, case_id);
    if (!s.Step()) return "";
    auto v = Unseal(s, 0, case_id, "reporter.email");
    return v.ok() ? *v : "";
  }

  // --- the mail outbox ---
  static constexpr const char* kOutboxColumns =
      "SELECT id, kind, case_id, created_at, attempts, next_attempt_at, last_error, sent_at FROM mail_outbox ";
  static OutboxMail ReadOutbox(Stmt& s) {
    OutboxMail m;
    m.id = s.Int(0); m.kind = s.Text(1); m.case_id = s.Int(2); m.created_at = s.Int(3);
    m.attempts = static_cast<int>(s.Int(4)); m.next_attempt_at = s.OptInt(5); m.last_error = s.Text(6);
    m.sent_at = s.OptInt(7);
    return m;
  }
  absl::Status EnqueueMail(std::string_view kind, Id case_id, Instant at) override {
    // The partial unique index (kind, case_id) over waiting rows coalesces.
    auto s = Q("INSERT INTO mail_outbox(kind, case_id, created_at, attempts, next_attempt_at) VALUES(?,?,?,0,?) "
               "ON CONFLICT DO NOTHING");
    s.Bind(1, kind).Bind(2, case_id).Bind(3, at).Bind(4, at);
    return s.Exec();
  }
  std::vector<OutboxMail> DueMail(Instant now, int limit) override {
    auto s = Q(Cat(kOutboxColumns, "WHERE sent_at IS NULL AND next_attempt_at IS NOT NULL AND next_attempt_at<=? "
                                   "ORDER BY next_attempt_at, id LIMIT ?"));
    s.Bind(1, now).Bind(2, limit);
    std::vector<OutboxMail> out;
    while (s.Step()) out.push_back(ReadOutbox(s));
    return out;
  }
  absl::Status MarkMailSent(Id id, Instant at) override {
    auto s = Q("UPDATE mail_outbox SET sent_at=?, attempts=attempts+1, last_error='' WHERE id=? AND sent_at IS NULL");
    s.Bind(1, at).Bind(2, id);
    RETURN_IF_ERROR(s.Exec());
    if (sqlite3_changes(db_) == 0) return NotFound("Dit bericht wacht niet meer op verzending.");
    return absl::OkStatus();
  }
  absl::Status MarkMailFailed(Id id, std::string_view error, std::optional<Instant> next_attempt_at) override {
    auto s = Q("UPDATE mail_outbox SET attempts=attempts+1, last_error=?, next_attempt_at=? WHERE id=? "
               "AND sent_at IS NULL");
    s.Bind(1, error).Bind(2, next_attempt_at).Bind(3, id);
    RETURN_IF_ERROR(s.Exec());
    if (sqlite3_changes(db_) == 0) return NotFound("Dit bericht wacht niet meer op verzending.");
    return absl::OkStatus();
  }
  std::vector<OutboxMail> ListMailProblems(int limit) override {
    auto s = Q(Cat(kOutboxColumns, "WHERE sent_at IS NULL AND attempts>0 ORDER BY id DESC LIMIT ?"));
    s.Bind(1, limit);
    std::vector<OutboxMail> out;
    while (s.Step()) out.push_back(ReadOutbox(s));
    return out;
  }

  // --- identity vault ---
  std::optional<PersonKey> GetPersonKey(Id person) override {
    auto s = Q("SELECT person_id, public_key, locked_secret_key FROM person_keys WHERE person_id=?");
    s.Bind(1, person);
    if (!s.Step()) return std::nullopt;
    return PersonKey{s.Int(0), s.Blob(1), s.Blob(2)};
  }
  absl::Status PutPersonKey(const PersonKey& k) override {
    auto s = Q("INSERT INTO person_keys(person_id, public_key, locked_secret_key) VALUES(?,?,?) "
               "ON CONFLICT(person_id) DO UPDATE SET public_key=excluded.public_key, "
               "locked_secret_key=excluded.locked_secret_key");
    s.Bind(1, k.person_id).BindBlob(2, k.public_key).BindBlob(3, k.locked_secret_key);
    return s.Exec();
  }
  absl::Status SetSessionVaultKey(std::string_view session_id, std::string_view locked) override {
    auto s = Q("UPDATE sessions SET vault_key=? WHERE id=?");
    s.BindBlob(1, locked).Bind(2, session_id);
    return s.Exec();
  }
  absl::Status PutIdentitySeal(const IdentitySeal& x) override {
    auto s = Q("INSERT INTO identity_seals(case_id, person_id, sealed, granted_at, basis) VALUES(?,?,?,?,?) "
               "ON CONFLICT(case_id, person_id) DO UPDATE SET sealed=excluded.sealed, "
               "granted_at=excluded.granted_at, basis=excluded.basis");
    s.Bind(1, x.case_id).Bind(2, x.person_id).BindBlob(3, x.sealed).Bind(4, x.granted_at).Bind(5, x.basis);
    return s.Exec();
  }
  std::optional<IdentitySeal> GetIdentitySeal(Id case_id, Id person) override {
    auto s = Q("SELECT case_id, person_id, sealed, granted_at, basis FROM identity_seals WHERE case_id=? AND person_id=?");
    s.Bind(1, case_id).Bind(2, person);
    if (!s.Step()) return std::nullopt;
    return IdentitySeal{s.Int(0), s.Int(1), s.Blob(2), s.Int(3), s.Text(4)};
  }
  std::vector<IdentitySeal> ListIdentitySeals(Id case_id) override {
    auto s = Q("SELECT case_id, person_id, sealed, granted_at, basis FROM identity_seals WHERE case_id=? "
               "ORDER BY granted_at, person_id");
    s.Bind(1, case_id);
    std::vector<IdentitySeal> out;
    while (s.Step()) out.push_back({s.Int(0), s.Int(1), s.Blob(2), s.Int(3), s.Text(4)});
    return out;
  }
  absl::Status DeleteIdentitySeal(Id case_id, Id person) override {
    auto s = Q("DELETE FROM identity_seals WHERE case_id=? AND person_id=?");
    s.Bind(1, case_id).Bind(2, person);
    return s.Exec();
  }
  absl::Status BindRequest(Stmt& s, const IdentityRequest& r) {
    ASSIGN_OR_RETURN(std::string reason, Seal(r.case_id, "request.reason", r.reason));
    ASSIGN_OR_RETURN(std::string legal, Seal(r.case_id, "request.legal", r.legal_reasons));
    s.Bind(1, r.case_id).Bind(2, r.requested_by).Bind(3, r.recipient).BindBlob(4, reason).Bind(5, r.legal_duty)
        .BindBlob(6, legal).Bind(7, r.state).Bind(8, r.consent).Bind(9, r.consent_attachment).Bind(10, r.created_at)
        .Bind(11, r.consent_at).Bind(12, r.notified_at).Bind(13, r.decided_by).Bind(14, r.decided_at);
    return absl::OkStatus();
  }
  absl::StatusOr<Id> InsertIdentityRequest(const IdentityRequest& r) override {
    auto s = Q("INSERT INTO identity_requests(case_id, requested_by, recipient, reason, legal_duty, legal_reasons, "
               "state, consent, consent_attachment, created_at, consent_at, notified_at, decided_by, decided_at) "
               "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    RETURN_IF_ERROR(BindRequest(s, r));
    RETURN_IF_ERROR(s.Exec());
    return sqlite3_last_insert_rowid(db_);
  }
  absl::Status UpdateIdentityRequest(const IdentityRequest& r) override {
    auto s = Q("UPDATE identity_requests SET case_id=?1, requested_by=?2, recipient=?3, reason=?4, legal_duty=?5, "
               "legal_reasons=?6, state=?7, consent=?8, consent_attachment=?9, created_at=?10, consent_at=?11, "
               "notified_at=?12, decided_by=?13, decided_at=?14 WHERE id=?15");
    RETURN_IF_ERROR(BindRequest(s, r));
    s.Bind(15, r.id);
    return s.Exec();
  }
  absl::StatusOr<IdentityRequest> ReadRequest(Stmt& s) {
    IdentityRequest r;
    r.id = s.Int(0); r.case_id = s.Int(1); r.requested_by = s.Int(2); r.recipient = s.Int(3);
    ASSIGN_OR_RETURN(r.reason, Unseal(s, 4, r.case_id, "request.reason"));
    r.legal_duty = s.Int(5) != 0;
    ASSIGN_OR_RETURN(r.legal_reasons, Unseal(s, 6, r.case_id, "request.legal"));
    r.state = s.Text(7); r.consent = s.Text(8); r.consent_attachment = s.OptInt(9); r.created_at = s.Int(10);
    r.consent_at = s.Int(11); r.notified_at = s.Int(12); r.decided_by = s.Int(13); r.decided_at = s.Int(14);
    return r;
  }
  static constexpr const char* kRequestColumns =
      "SELECT id, case_id, requested_by, recipient, reason, legal_duty, legal_reasons, state, consent, "
      "consent_attachment, created_at, consent_at, notified_at, decided_by, decided_at FROM identity_requests ";
  absl::StatusOr<IdentityRequest> GetIdentityRequest(Id id) override {
    auto s = Q(Cat(kRequestColumns, "WHERE id=?"));
    s.Bind(1, id);
    if (!s.Step()) return NotFound("Verzoek niet gevonden.");
    return ReadRequest(s);
  }
  std::vector<IdentityRequest> ListIdentityRequests(Id case_id) override {
    auto s = Q(Cat(kRequestColumns, "WHERE case_id=? ORDER BY id"));
    s.Bind(1, case_id);
    std::vector<IdentityRequest> out;
    while (s.Step()) {
      if (auto r = ReadRequest(s); r.ok()) out.push_back(*std::move(r));
    }
    return out;
  }

  // --- retention ---
  std::vector<Id> TerminalCasesBefore(LmmState state, Instant before, int limit) override {
    auto s = Q("SELECT id FROM lmm_cases WHERE state IN ('closed','referred') AND state=? AND updated_at<? "
               "ORDER BY updated_at LIMIT ?");
    s.Bind(1, LmmStateName(state)).Bind(2, before).Bind(3, limit);
    std::vector<Id> out;
    while (s.Step()) out.push_back(s.Int(0));
    return out;
  }
  absl::Status DestroyCase(Id case_id) override {
    // Children first (foreign keys); the key last but one, so nothing left
    // behind could be decrypted even if a row escaped.
    for (const char* sql :
         {"DELETE FROM message_reads WHERE case_id=?", "DELETE FROM messages WHERE case_id=?",
          "DELETE FROM attachments WHERE case_id=?", "DELETE FROM receipts WHERE case_id=?",
          "DELETE FROM reporter_sessions WHERE case_id=?", "DELETE FROM reporter_contacts WHERE case_id=?",
          "DELETE FROM mail_outbox WHERE case_id=?",
          "DELETE FROM identity_seals WHERE case_id=?", "DELETE FROM identity_requests WHERE case_id=?",
          "DELETE FROM case_events WHERE case_id=?", "DELETE FROM case_members WHERE case_id=?",
          "DELETE FROM reporter_identities WHERE case_id=?", "DELETE FROM case_keys WHERE case_id=?",
          "DELETE FROM case_facts WHERE kind='lmm' AND case_id=?", "DELETE FROM lmm_cases WHERE id=?"}) {
      auto s = Q(sql);
      s.Bind(1, case_id);
      RETURN_IF_ERROR(s.Exec());
    }
    if (auto it = key_cache_.find(case_id); it != key_cache_.end()) {
      crypto::Wipe(it->second);
      key_cache_.erase(it);
    }
    return absl::OkStatus();
  }

  // Encrypts case texts written before migration 2 (plain TEXT values).
  absl::Status EncryptLegacyRows() {
    std::vector<Id> cases;
    {
      auto s = Q("SELECT id FROM lmm_cases WHERE typeof(summary)='text' OR typeof(body)='text'");
      while (s.Step()) cases.push_back(s.Int(0));
    }
    for (Id id : cases) {
      ASSIGN_OR_RETURN(LmmCase c, GetCase(id));
      RETURN_IF_ERROR(WriteTexts(c));
    }
    std::vector<std::pair<Id, Id>> events;
    {
      auto s = Q("SELECT id, case_id FROM case_events WHERE typeof(text)='text'");
      while (s.Step()) events.emplace_back(s.Int(0), s.Int(1));
    }
    for (auto [id, case_id] : events) {
      auto r = Q("SELECT text FROM case_events WHERE id=?");
      r.Bind(1, id);
      if (!r.Step()) continue;
      ASSIGN_OR_RETURN(std::string sealed, Seal(case_id, "event", r.Text(0)));
      auto u = Q("UPDATE case_events SET text=? WHERE id=?");
      u.BindBlob(1, sealed).Bind(2, id);
      RETURN_IF_ERROR(u.Exec());
    }
    return absl::OkStatus();
  }
  absl::StatusOr<Id> InsertActivity(const Activity& a) override {
    auto s = Q("INSERT INTO activities(advisor_person, kind, on_date, unit_id, notes) VALUES(?,?,?,?,?)");
    s.Bind(1, a.advisor_person).Bind(2, a.kind).Bind(3, FormatDateIso(a.on)).Bind(4, a.unit_id).Bind(5, a.notes);
    RETURN_IF_ERROR(s.Exec());
    return sqlite3_last_insert_rowid(db_);
  }
  std::vector<Activity> ListActivities(std::optional<Id> advisor) override {
    auto s = Q("SELECT id, advisor_person, kind, on_date, unit_id, notes FROM activities "
               "WHERE ?1 IS NULL OR advisor_person=?1 ORDER BY on_date DESC, id DESC LIMIT 200");
    s.Bind(1, advisor);
    std::vector<Activity> out;
    while (s.Step()) out.push_back({s.Int(0), s.Int(1), s.Text(2), s.DateAt(3), s.OptInt(4), s.Text(5)});
    return out;
  }

  std::optional<std::string> GetSetting(std::string_view key) override {
    auto s = Q("SELECT value FROM settings WHERE key=?");
    s.Bind(1, key);
    if (!s.Step()) return std::nullopt;
    return s.Text(0);
  }
  absl::Status SetSetting(std::string_view key, std::string_view value) override {
    auto s = Q("INSERT INTO settings(key, value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value");
    s.Bind(1, key).Bind(2, value);
    return s.Exec();
  }

  // --- cases on the tracks defined as data ---
  static std::string FieldsToJson(const std::map<std::string, std::string>& f) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : f) j[k] = v;
    return j.dump();
  }
  static absl::StatusOr<std::map<std::string, std::string>> FieldsFromJson(const std::string& text) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return absl::DataLossError("Velden van de zaak zijn beschadigd.");
    std::map<std::string, std::string> out;
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.value().is_string()) out[it.key()] = it.value().get<std::string>();
    return out;
  }
  absl::Status WriteTrackTexts(const TrackCase& c) {
    ASSIGN_OR_RETURN(std::string summary, SealTrack(c.id, "summary", c.summary));
    ASSIGN_OR_RETURN(std::string fields, SealTrack(c.id, "fields", FieldsToJson(c.fields)));
    auto s = Q("UPDATE track_cases SET summary=?1, fields=?2 WHERE id=?3");
    s.BindBlob(1, summary).BindBlob(2, fields).Bind(3, c.id);
    RETURN_IF_ERROR(s.Exec());
    RETURN_IF_ERROR(Exec("DELETE FROM track_members WHERE case_id=?1", c.id));
    for (const auto& m : c.members) {
      auto ins = Q("INSERT OR IGNORE INTO track_members(case_id, person_id, role) VALUES(?1,?2,?3)");
      ins.Bind(1, c.id).Bind(2, m.person_id).Bind(3, m.role);
      RETURN_IF_ERROR(ins.Exec());
    }
    return absl::OkStatus();
  }
  absl::Status Exec(const char* sql, Id id) {
    auto s = Q(sql);
    s.Bind(1, id);
    return s.Exec();
  }
  absl::StatusOr<Id> InsertTrackCase(TrackCase& c, std::string_view prefix) override {
    const int year = static_cast<int>(c.received_on.year());
    std::int64_t number = 0;
    {
      auto n = Q("INSERT INTO track_counters(prefix, year, last) VALUES(?1, ?2, 1) "
                 "ON CONFLICT(prefix, year) DO UPDATE SET last=last+1 RETURNING last");
      n.Bind(1, prefix).Bind(2, year);
      if (!n.Step()) return absl::InternalError(Cat("Zaaknummer niet te maken: ", n.last_error()));
      number = n.Int(0);
      while (n.Step()) {}
    }
    c.reference = fmt::format("{}-{}-{:04d}", prefix, year, number);
    c.version = 1;
    auto s = Q("INSERT INTO track_cases(track, reference, state, unit_id, received_on, created_at, updated_at, "
               "created_by, version, summary, fields) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,1,X'',X'')");
    s.Bind(1, c.track).Bind(2, c.reference).Bind(3, c.state).Bind(4, c.unit_id)
        .Bind(5, FormatDateIso(c.received_on)).Bind(6, c.created_at).Bind(7, c.updated_at).Bind(8, c.created_by);
    RETURN_IF_ERROR(s.Exec());
    c.id = sqlite3_last_insert_rowid(db_);
    RETURN_IF_ERROR(WriteTrackTexts(c));
    return c.id;
  }
  absl::Status UpdateTrackCase(const TrackCase& c, std::int64_t expected_version) override {
    auto s = Q("UPDATE track_cases SET state=?1, updated_at=?2, version=version+1 WHERE id=?3 AND version=?4");
    s.Bind(1, c.state).Bind(2, c.updated_at).Bind(3, c.id).Bind(4, expected_version);
    RETURN_IF_ERROR(s.Exec());
    if (sqlite3_changes(db_) != 1)
      return absl::AbortedError("Deze zaak is intussen door iemand anders gewijzigd. Laad de pagina opnieuw.");
    return WriteTrackTexts(c);
  }
  absl::StatusOr<TrackCase> GetTrackCase(Id id) override {
    auto s = Q("SELECT id, track, reference, state, unit_id, received_on, created_at, updated_at, created_by, "
               "version, summary, fields FROM track_cases WHERE id=?1");
    s.Bind(1, id);
    if (!s.Step()) return NotFound("Deze zaak bestaat niet.");
    TrackCase c;
    c.id = s.Int(0); c.track = s.Text(1); c.reference = s.Text(2); c.state = s.Text(3); c.unit_id = s.Int(4);
    c.received_on = s.DateAt(5); c.created_at = s.Int(6); c.updated_at = s.Int(7); c.created_by = s.Int(8);
    c.version = s.Int(9);
    ASSIGN_OR_RETURN(c.summary, UnsealTrack(s, 10, c.id, "summary"));
    ASSIGN_OR_RETURN(std::string fields, UnsealTrack(s, 11, c.id, "fields"));
    ASSIGN_OR_RETURN(c.fields, FieldsFromJson(fields));
    auto m = Q("SELECT person_id, role FROM track_members WHERE case_id=?1 ORDER BY rowid");
    m.Bind(1, id);
    while (m.Step()) c.members.push_back({m.Int(0), m.Text(1)});
    return c;
  }
  std::vector<TrackCaseSummary> ListTrackCases(const TrackCaseQuery& q) override {
    std::string sql = "SELECT id, track, reference, state, unit_id, received_on, summary FROM track_cases c WHERE (0";
    for (size_t i = 0; i < q.all_of_tracks.size(); ++i) sql += Cat(" OR track=:t", i);
    if (q.member) sql += " OR EXISTS (SELECT 1 FROM track_members m WHERE m.case_id=c.id AND m.person_id=:member)";
    sql += ")";
    if (q.track) sql += " AND track=:track";
    if (q.open_only)
      for (size_t i = 0; i < q.terminal_states.size(); ++i) sql += Cat(" AND state<>:x", i);
    sql += " ORDER BY received_on DESC, id DESC LIMIT :limit";
    Stmt s = Q(sql);
    auto bt = [&](const std::string& n, const std::string& v) {
      if (int i = sqlite3_bind_parameter_index(s.raw(), n.c_str())) sqlite3_bind_text(s.raw(), i, v.c_str(), -1, SQLITE_TRANSIENT);
    };
    for (size_t i = 0; i < q.all_of_tracks.size(); ++i) bt(Cat(":t", i), q.all_of_tracks[i]);
    if (q.member) sqlite3_bind_int64(s.raw(), sqlite3_bind_parameter_index(s.raw(), ":member"), *q.member);
    if (q.track) bt(":track", *q.track);
    if (q.open_only)
      for (size_t i = 0; i < q.terminal_states.size(); ++i) bt(Cat(":x", i), q.terminal_states[i]);
    sqlite3_bind_int64(s.raw(), sqlite3_bind_parameter_index(s.raw(), ":limit"), q.limit);
    std::vector<TrackCaseSummary> out;
    while (s.Step()) {
      TrackCaseSummary t;
      t.id = s.Int(0); t.track = s.Text(1); t.reference = s.Text(2); t.state = s.Text(3); t.unit_id = s.Int(4);
      t.received_on = s.DateAt(5);
      auto summary = UnsealTrack(s, 6, t.id, "summary");
      t.summary = summary.ok() ? *summary : std::string("[niet te ontsleutelen]");
      out.push_back(std::move(t));
    }
    return out;
  }
  absl::StatusOr<Id> InsertTrackStep(const TrackStep& st) override {
    ASSIGN_OR_RETURN(std::string fields, SealTrack(st.case_id, "step", FieldsToJson(st.fields)));
    auto s = Q("INSERT INTO track_steps(case_id, action, from_state, to_state, at, by_person, fields) "
               "VALUES(?1,?2,?3,?4,?5,?6,?7)");
    s.Bind(1, st.case_id).Bind(2, st.action).Bind(3, st.from_state).Bind(4, st.to_state).Bind(5, st.at)
        .Bind(6, st.by_person).BindBlob(7, fields);
    RETURN_IF_ERROR(s.Exec());
    return sqlite3_last_insert_rowid(db_);
  }
  absl::Status UpsertCaseFact(const dashboard::CaseFact& f) override {
    std::map<std::string, std::string> delays;
    for (const auto& [k, v] : f.delay_days) delays[k] = std::to_string(v);
    auto s = Q("INSERT INTO case_facts(kind, case_id, track, state, is_open, unit_id, received_on, closed_on, "
               "state_since, days_in_state, next_due, answers, delay_days, updated_at) "
               "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14) "
               "ON CONFLICT(kind, case_id) DO UPDATE SET track=excluded.track, state=excluded.state, "
               "is_open=excluded.is_open, unit_id=excluded.unit_id, received_on=excluded.received_on, "
               "closed_on=excluded.closed_on, state_since=excluded.state_since, "
               "days_in_state=excluded.days_in_state, next_due=excluded.next_due, answers=excluded.answers, "
               "delay_days=excluded.delay_days, updated_at=excluded.updated_at");
    s.Bind(1, dashboard::CaseKindName(f.kind)).Bind(2, f.case_id).Bind(3, f.track).Bind(4, f.state)
        .Bind(5, f.open).Bind(6, f.unit_id).Bind(7, FormatDateIso(f.received_on)).Bind(8, DateCol(f.closed_on))
        .Bind(9, FormatDateIso(f.state_since)).Bind(10, dashboard::EncodeDaysInState(f.days_in_state))
        .Bind(11, DateCol(f.next_due)).Bind(12, dashboard::EncodePairs(f.answers))
        .Bind(13, dashboard::EncodePairs(delays)).Bind(14, f.updated_at);
    return s.Exec();
  }
  std::vector<Id> CasesWithoutFacts(std::string_view kind, int limit) override {
    auto s = Q(kind == "lmm"
                   ? "SELECT id FROM lmm_cases WHERE id NOT IN (SELECT case_id FROM case_facts WHERE kind='lmm') "
                     "ORDER BY id LIMIT ?1"
                   : "SELECT id FROM track_cases WHERE id NOT IN (SELECT case_id FROM case_facts WHERE kind='track') "
                     "ORDER BY id LIMIT ?1");
    s.Bind(1, limit);
    std::vector<Id> out;
    while (s.Step()) out.push_back(s.Int(0));
    return out;
  }
  absl::Status ScanCaseFacts(Instant since, const std::function<void(dashboard::CaseFact&&)>& fn) override {
    // Everything (since 0): the table in storage order, one sequential pass;
    // walking the updated_at index instead would visit the rows in random
    // order (seconds at a million facts, docs/performance.md).
    auto s = Q(since <= 0 ? "SELECT kind, case_id, track, state, is_open, unit_id, received_on, closed_on, state_since, "
                            "days_in_state, next_due, answers, delay_days, updated_at FROM case_facts"
                          : "SELECT kind, case_id, track, state, is_open, unit_id, received_on, closed_on, state_since, "
                            "days_in_state, next_due, answers, delay_days, updated_at FROM case_facts "
                            "WHERE updated_at >= ?1 ORDER BY updated_at");
    if (since > 0) s.Bind(1, since);
    while (s.Step()) {
      dashboard::CaseFact f;
      f.kind = dashboard::ParseCaseKind(s.Text(0)).value_or(dashboard::CaseKind::kTrack);
      f.case_id = s.Int(1);
      f.track = s.Text(2);
      f.state = s.Text(3);
      f.open = s.Int(4) != 0;
      f.unit_id = s.Int(5);
      f.received_on = s.DateAt(6);
      f.closed_on = s.OptDate(7);
      f.state_since = s.DateAt(8);
      f.days_in_state = dashboard::DecodeDaysInState(s.Text(9));
      f.next_due = s.OptDate(10);
      f.answers = dashboard::DecodePairs(s.Text(11));
      for (const auto& [k, v] : dashboard::DecodePairs(s.Text(12))) f.delay_days[k] = std::atoi(v.c_str());
      f.updated_at = s.Int(13);
      fn(std::move(f));
    }
    if (!s.last_error().empty()) return absl::InternalError(s.last_error());
    return absl::OkStatus();
  }
  std::vector<TrackStep> ListTrackSteps(Id case_id) override {
    auto s = Q("SELECT id, action, from_state, to_state, at, by_person, fields FROM track_steps "
               "WHERE case_id=?1 ORDER BY id");
    s.Bind(1, case_id);
    std::vector<TrackStep> out;
    while (s.Step()) {
      TrackStep st;
      st.id = s.Int(0); st.case_id = case_id; st.action = s.Text(1); st.from_state = s.Text(2);
      st.to_state = s.Text(3); st.at = s.Int(4); st.by_person = s.Int(5);
      if (auto f = UnsealTrack(s, 6, case_id, "step"); f.ok()) {
        if (auto m = FieldsFromJson(*f); m.ok()) st.fields = std::move(*m);
      }
      out.push_back(std::move(st));
    }
    return out;
  }

  // --- Protective Monitoring governance ---
  std::vector<monitoring::ModeChange> ListModeChanges() override {
    auto s = Q("SELECT mode, decision_reference, by_account, at FROM monitor_modes ORDER BY seq");
    std::vector<monitoring::ModeChange> out;
    while (s.Step())
      out.push_back({monitoring::ParseMode(s.Text(0)).value_or(monitoring::Mode::kTrend), s.Text(1), s.Int(2), s.Int(3)});
    return out;
  }
  absl::Status AppendModeChange(const monitoring::ModeChange& c) override {
    auto s = Q("INSERT INTO monitor_modes(mode, decision_reference, by_account, at) VALUES(?1,?2,?3,?4)");
    s.Bind(1, monitoring::ModeName(c.mode)).Bind(2, c.decision_reference).Bind(3, c.by_account).Bind(4, c.at);
    return s.Exec();
  }
  static std::string EvidenceToJson(const std::vector<monitoring::EvidenceLine>& ev) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& e : ev)
      a.push_back({{"rule", e.rule}, {"points", e.points}, {"subject", e.subject}, {"time", e.time},
                   {"text", e.text}, {"clears", e.clears}});
    return a.dump();
  }
  static absl::StatusOr<std::vector<monitoring::EvidenceLine>> EvidenceFromJson(const std::string& text) {
    auto a = nlohmann::json::parse(text, nullptr, false);
    if (a.is_discarded() || !a.is_array()) return absl::DataLossError("De bewijsregels van het signaal zijn beschadigd.");
    std::vector<monitoring::EvidenceLine> out;
    for (const auto& j : a) {
      monitoring::EvidenceLine e;
      e.rule = j.value("rule", "");
      e.points = j.value("points", 0);
      e.subject = j.value("subject", "");
      e.time = j.value("time", std::int64_t{0});
      e.text = j.value("text", "");
      e.clears = j.value("clears", "");
      out.push_back(std::move(e));
    }
    return out;
  }
  absl::StatusOr<Id> InsertFlag(monitoring::Flag& f) override {
    f.version = 1;
    auto s = Q("INSERT INTO monitor_flags(version, day, user, score, status, evidence, review_note, reviewed_by, "
               "reviewed_at, vik_case_id, created_at) VALUES(1,?1,?2,?3,?4,X'',X'',?5,?6,?7,?8)");
    s.Bind(1, f.day).Bind(2, f.user).Bind(4, monitoring::FlagStatusName(f.status)).Bind(5, f.reviewed_by)
        .Bind(6, f.reviewed_at).Bind(7, f.vik_case_id).Bind(8, f.created_at);
    sqlite3_bind_double(s.raw(), 3, f.score);
    RETURN_IF_ERROR(s.Exec());
    f.id = sqlite3_last_insert_rowid(db_);
    RETURN_IF_ERROR(WriteFlagTexts(f));
    return f.id;
  }
  absl::Status WriteFlagTexts(const monitoring::Flag& f) {
    ASSIGN_OR_RETURN(std::string ev, SealFlag(f.id, "evidence", EvidenceToJson(f.evidence)));
    ASSIGN_OR_RETURN(std::string note, SealFlag(f.id, "review_note", f.review_note));
    auto s = Q("UPDATE monitor_flags SET evidence=?1, review_note=?2 WHERE id=?3");
    s.BindBlob(1, ev).BindBlob(2, note).Bind(3, f.id);
    return s.Exec();
  }
  absl::StatusOr<monitoring::Flag> ReadFlag(Stmt& s) {
    monitoring::Flag f;
    f.id = s.Int(0);
    f.version = s.Int(1);
    f.day = s.Int(2);
    f.user = s.Text(3);
    f.score = sqlite3_column_double(s.raw(), 4);
    f.status = monitoring::ParseFlagStatus(s.Text(5)).value_or(monitoring::FlagStatus::kOpen);
    ASSIGN_OR_RETURN(std::string ev, UnsealFlag(s, 6, f.id, "evidence"));
    ASSIGN_OR_RETURN(f.evidence, EvidenceFromJson(ev));
    ASSIGN_OR_RETURN(f.review_note, UnsealFlag(s, 7, f.id, "review_note"));
    f.reviewed_by = s.Int(8);
    f.reviewed_at = s.Int(9);
    f.vik_case_id = s.Int(10);
    f.created_at = s.Int(11);
    return f;
  }
  static constexpr const char* kFlagColumns =
      "id, version, day, user, score, status, evidence, review_note, reviewed_by, reviewed_at, vik_case_id, created_at";
  absl::StatusOr<monitoring::Flag> GetFlag(Id id) override {
    auto s = Q(Cat("SELECT ", kFlagColumns, " FROM monitor_flags WHERE id=?1"));
    s.Bind(1, id);
    if (!s.Step()) return NotFound("Dit signaal bestaat niet.");
    return ReadFlag(s);
  }
  absl::Status UpdateFlag(const monitoring::Flag& f, std::int64_t expected_version) override {
    auto s = Q("UPDATE monitor_flags SET status=?1, reviewed_by=?2, reviewed_at=?3, vik_case_id=?4, "
               "version=version+1 WHERE id=?5 AND version=?6");
    s.Bind(1, monitoring::FlagStatusName(f.status)).Bind(2, f.reviewed_by).Bind(3, f.reviewed_at)
        .Bind(4, f.vik_case_id).Bind(5, f.id).Bind(6, expected_version);
    RETURN_IF_ERROR(s.Exec());
    if (sqlite3_changes(db_) != 1)
      return absl::AbortedError("Dit signaal is intussen door iemand anders beoordeeld. Laad de pagina opnieuw.");
    return WriteFlagTexts(f);
  }
  std::vector<monitoring::Flag> ListFlags(std::optional<monitoring::FlagStatus> status, int limit) override {
    auto s = Q(Cat("SELECT ", kFlagColumns, " FROM monitor_flags WHERE ?1 = '' OR status = ?1 ",
                   "ORDER BY day DESC, score DESC, id DESC LIMIT ?2"));
    s.Bind(1, status ? monitoring::FlagStatusName(*status) : std::string_view()).Bind(2, limit);
    std::vector<monitoring::Flag> out;
    while (s.Step())
      if (auto f = ReadFlag(s); f.ok()) out.push_back(std::move(*f));
    return out;
  }
  absl::Status InsertExplainedPattern(const monitoring::ExplainedPattern& p) override {
    auto s = Q("INSERT OR IGNORE INTO monitor_explained(user, rule, subject, flag_id) VALUES(?1,?2,?3,?4)");
    s.Bind(1, p.user).Bind(2, p.rule).Bind(3, p.subject).Bind(4, p.flag_id);
    return s.Exec();
  }
  bool IsPatternExplained(std::string_view user, std::string_view rule, std::string_view subject) override {
    auto s = Q("SELECT 1 FROM monitor_explained WHERE user=?1 AND rule=?2 AND subject=?3");
    s.Bind(1, user).Bind(2, rule).Bind(3, subject);
    return s.Step();
  }
  absl::Status ReplaceTrendCells(std::int64_t day, const std::vector<monitoring::TrendCell>& cells) override {
    auto del = Q("DELETE FROM monitor_trend WHERE day=?1");
    del.Bind(1, day);
    RETURN_IF_ERROR(del.Exec());
    for (const auto& c : cells) {
      auto s = Q("INSERT OR REPLACE INTO monitor_trend(day, level, name, rule, users, suppressed) "
                 "VALUES(?1,?2,?3,?4,?5,?6)");
      s.Bind(1, day).Bind(2, c.level).Bind(3, c.name).Bind(4, c.rule).Bind(5, c.suppressed ? 0 : c.users)
          .Bind(6, c.suppressed ? 1 : 0);
      RETURN_IF_ERROR(s.Exec());
    }
    return absl::OkStatus();
  }
  std::vector<monitoring::TrendCell> ListTrendCells(std::int64_t from_day, std::int64_t to_day) override {
    auto s = Q("SELECT day, level, name, rule, users, suppressed FROM monitor_trend WHERE day BETWEEN ?1 AND ?2 "
               "ORDER BY day, level, name, rule");
    s.Bind(1, from_day).Bind(2, to_day);
    std::vector<monitoring::TrendCell> out;
    while (s.Step()) out.push_back({s.Int(0), s.Text(1), s.Text(2), s.Text(3), static_cast<int>(s.Int(4)), s.Int(5) != 0});
    return out;
  }
  static std::string IdsToText(const std::vector<Id>& ids) {
    std::string out;
    for (Id id : ids) out += Cat(out.empty() ? "" : ",", id);
    return out;
  }
  static std::vector<Id> IdsFromText(const std::string& text) {
    std::vector<Id> out;
    for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
      Id id = 0;
      if (absl::SimpleAtoi(part, &id)) out.push_back(id);
    }
    return out;
  }
  absl::StatusOr<Id> InsertResolution(monitoring::Resolution& r) override {
    r.version = 1;
    auto s = Q("INSERT INTO monitor_resolutions(version, flag_id, pseudonym, requested_by, reason, requested_at, "
               "approvers, state, decided_at, refusal) VALUES(1,?1,?2,?3,X'',?4,?5,?6,?7,?8)");
    s.Bind(1, r.flag_id).Bind(2, r.pseudonym).Bind(3, r.requested_by).Bind(4, r.requested_at)
        .Bind(5, IdsToText(r.approvers)).Bind(6, monitoring::ResolutionStateName(r.state)).Bind(7, r.decided_at)
        .Bind(8, r.refusal);
    RETURN_IF_ERROR(s.Exec());
    r.id = sqlite3_last_insert_rowid(db_);
    // The reason may say why someone is suspected: sealed with the flag's key.
    ASSIGN_OR_RETURN(std::string reason, SealFlag(r.flag_id, Cat("resolution:", r.id), r.reason));
    auto u = Q("UPDATE monitor_resolutions SET reason=?1 WHERE id=?2");
    u.BindBlob(1, reason).Bind(2, r.id);
    RETURN_IF_ERROR(u.Exec());
    return r.id;
  }
  absl::StatusOr<monitoring::Resolution> ReadResolution(Stmt& s) {
    monitoring::Resolution r;
    r.id = s.Int(0);
    r.version = s.Int(1);
    r.flag_id = s.Int(2);
    r.pseudonym = s.Text(3);
    r.requested_by = s.Int(4);
    ASSIGN_OR_RETURN(r.reason, UnsealFlag(s, 5, r.flag_id, Cat("resolution:", r.id)));
    r.requested_at = s.Int(6);
    r.approvers = IdsFromText(s.Text(7));
    r.state = monitoring::ParseResolutionState(s.Text(8)).value_or(monitoring::ResolutionState::kRequested);
    r.decided_at = s.Int(9);
    r.refusal = s.Text(10);
    return r;
  }
  static constexpr const char* kResolutionColumns =
      "id, version, flag_id, pseudonym, requested_by, reason, requested_at, approvers, state, decided_at, refusal";
  absl::StatusOr<monitoring::Resolution> GetResolution(Id id) override {
    auto s = Q(Cat("SELECT ", kResolutionColumns, " FROM monitor_resolutions WHERE id=?1"));
    s.Bind(1, id);
    if (!s.Step()) return NotFound("Deze aanvraag tot herleiding bestaat niet.");
    return ReadResolution(s);
  }
  absl::Status UpdateResolution(const monitoring::Resolution& r, std::int64_t expected_version) override {
    auto s = Q("UPDATE monitor_resolutions SET approvers=?1, state=?2, decided_at=?3, refusal=?4, version=version+1 "
               "WHERE id=?5 AND version=?6");
    s.Bind(1, IdsToText(r.approvers)).Bind(2, monitoring::ResolutionStateName(r.state)).Bind(3, r.decided_at)
        .Bind(4, r.refusal).Bind(5, r.id).Bind(6, expected_version);
    RETURN_IF_ERROR(s.Exec());
    if (sqlite3_changes(db_) != 1)
      return absl::AbortedError("Over deze herleiding is intussen door iemand anders besloten. Laad de pagina opnieuw.");
    return absl::OkStatus();
  }
  std::vector<monitoring::Resolution> ListResolutions(Id flag_id) override {
    auto s = Q(Cat("SELECT ", kResolutionColumns, " FROM monitor_resolutions WHERE ",
                   flag_id > 0 ? "flag_id=?1" : "state='aangevraagd' AND ?1=0", " ORDER BY id DESC"));
    s.Bind(1, flag_id);
    std::vector<monitoring::Resolution> out;
    while (s.Step())
      if (auto r = ReadResolution(s); r.ok()) out.push_back(std::move(*r));
    return out;
  }

  // --- learning cases ---
  static std::string LearningTextsToJson(const learning::LearningTexts& t) {
    nlohmann::json j = nlohmann::json::object();
    for (learning::TextField f : learning::AllTextFields())
      j[std::string(learning::TextFieldId(f))] = learning::TextOf(t, f);
    return j.dump();
  }
  static absl::StatusOr<learning::LearningTexts> LearningTextsFromJson(const std::string& text) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return absl::DataLossError("Teksten van de leercasus zijn beschadigd.");
    learning::LearningTexts t;
    for (learning::TextField f : learning::AllTextFields()) {
      auto it = j.find(std::string(learning::TextFieldId(f)));
      if (it != j.end() && it->is_string()) learning::TextOf(t, f) = it->get<std::string>();
    }
    return t;
  }
  absl::Status WriteLearningTexts(const learning::LearningCase& lc) {
    ASSIGN_OR_RETURN(std::string texts, SealLearning(lc.id, "texts", LearningTextsToJson(lc.texts)));
    ASSIGN_OR_RETURN(std::string reason, SealLearning(lc.id, "return_reason", lc.return_reason));
    auto s = Q("UPDATE learning_cases SET texts=?1, return_reason=?2 WHERE id=?3");
    s.BindBlob(1, texts).BindBlob(2, reason).Bind(3, lc.id);
    return s.Exec();
  }
  absl::StatusOr<Id> InsertLearningCase(learning::LearningCase& lc, const learning::LearningSource& src) override {
    lc.version = 1;
    auto s = Q("INSERT INTO learning_cases(state, version, track, place, period, duration, author, approver, "
               "created_at, updated_at, submitted_at, published_at, texts, return_reason) "
               "VALUES(?1,1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,X'',X'')");
    s.Bind(1, learning::LearningStateName(lc.state)).Bind(2, lc.track).Bind(3, lc.place).Bind(4, lc.period)
        .Bind(5, lc.duration).Bind(6, lc.author).Bind(7, lc.approver).Bind(8, lc.created_at).Bind(9, lc.updated_at)
        .Bind(10, lc.submitted_at).Bind(11, lc.published_at);
    RETURN_IF_ERROR(s.Exec());
    lc.id = sqlite3_last_insert_rowid(db_);
    RETURN_IF_ERROR(WriteLearningTexts(lc));
    auto link = Q("INSERT INTO learning_sources(learning_case_id, kind, case_id) VALUES(?1,?2,?3)");
    link.Bind(1, lc.id).Bind(2, src.kind).Bind(3, src.case_id);
    RETURN_IF_ERROR(link.Exec());
    return lc.id;
  }
  absl::Status UpdateLearningCase(const learning::LearningCase& lc, std::int64_t expected_version) override {
    auto s = Q("UPDATE learning_cases SET state=?1, approver=?2, updated_at=?3, submitted_at=?4, published_at=?5, "
               "version=version+1 WHERE id=?6 AND version=?7");
    s.Bind(1, learning::LearningStateName(lc.state)).Bind(2, lc.approver).Bind(3, lc.updated_at)
        .Bind(4, lc.submitted_at).Bind(5, lc.published_at).Bind(6, lc.id).Bind(7, expected_version);
    RETURN_IF_ERROR(s.Exec());
    if (sqlite3_changes(db_) != 1)
      return absl::AbortedError("Deze leercasus is intussen door iemand anders gewijzigd. Laad de pagina opnieuw.");
    return WriteLearningTexts(lc);
  }
  absl::StatusOr<learning::LearningCase> GetLearningCase(Id id) override {
    auto s = Q("SELECT id, state, version, track, place, period, duration, author, approver, created_at, updated_at, "
               "submitted_at, published_at, texts, return_reason FROM learning_cases WHERE id=?1");
    s.Bind(1, id);
    if (!s.Step()) return NotFound("Deze leercasus bestaat niet.");
    learning::LearningCase lc;
    lc.id = s.Int(0);
    lc.state = learning::ParseLearningState(s.Text(1)).value_or(learning::LearningState::kDraft);
    lc.version = s.Int(2); lc.track = s.Text(3); lc.place = s.Text(4); lc.period = s.Text(5);
    lc.duration = s.Text(6); lc.author = s.Int(7); lc.approver = s.Int(8); lc.created_at = s.Int(9);
    lc.updated_at = s.Int(10); lc.submitted_at = s.Int(11); lc.published_at = s.Int(12);
    ASSIGN_OR_RETURN(std::string texts, UnsealLearning(s, 13, lc.id, "texts"));
    ASSIGN_OR_RETURN(lc.texts, LearningTextsFromJson(texts));
    ASSIGN_OR_RETURN(lc.return_reason, UnsealLearning(s, 14, lc.id, "return_reason"));
    return lc;
  }
  std::vector<learning::LearningCaseSummary> ListLearningCases(const learning::LearningCaseQuery& q) override {
    std::string sql = "SELECT id, state, track, place, period, author, updated_at, published_at, texts "
                      "FROM learning_cases WHERE 1";
    if (!q.states.empty()) {
      sql += " AND state IN (";
      for (size_t i = 0; i < q.states.size(); ++i) sql += Cat(i ? "," : "", ":s", i);
      sql += ")";
    }
    if (q.author) sql += " AND author=:author";
    if (!q.tracks.empty()) {
      sql += " AND track IN (";
      for (size_t i = 0; i < q.tracks.size(); ++i) sql += Cat(i ? "," : "", ":t", i);
      sql += ")";
    }
    sql += " ORDER BY updated_at DESC, id DESC LIMIT :limit";
    Stmt s = Q(sql);
    auto bt = [&](const std::string& n, std::string_view v) {
      if (int i = sqlite3_bind_parameter_index(s.raw(), n.c_str()))
        sqlite3_bind_text(s.raw(), i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    };
    for (size_t i = 0; i < q.states.size(); ++i) bt(Cat(":s", i), learning::LearningStateName(q.states[i]));
    for (size_t i = 0; i < q.tracks.size(); ++i) bt(Cat(":t", i), q.tracks[i]);
    if (q.author) sqlite3_bind_int64(s.raw(), sqlite3_bind_parameter_index(s.raw(), ":author"), *q.author);
    sqlite3_bind_int64(s.raw(), sqlite3_bind_parameter_index(s.raw(), ":limit"), q.limit);
    std::vector<learning::LearningCaseSummary> out;
    while (s.Step()) {
      learning::LearningCaseSummary x;
      x.id = s.Int(0);
      x.state = learning::ParseLearningState(s.Text(1)).value_or(learning::LearningState::kDraft);
      x.track = s.Text(2); x.place = s.Text(3); x.period = s.Text(4); x.author = s.Int(5);
      x.updated_at = s.Int(6); x.published_at = s.Int(7);
      auto texts = UnsealLearning(s, 8, x.id, "texts");
      if (texts.ok())
        if (auto t = LearningTextsFromJson(*texts); t.ok()) x.title = t->title;
      if (x.title.empty()) x.title = texts.ok() ? "(zonder titel)" : "[niet te ontsleutelen]";
      out.push_back(std::move(x));
    }
    return out;
  }
  absl::StatusOr<learning::LearningSource> GetLearningSource(Id learning_case_id) override {
    auto s = Q("SELECT learning_case_id, kind, case_id FROM learning_sources WHERE learning_case_id=?1");
    s.Bind(1, learning_case_id);
    if (!s.Step()) return NotFound("De herkomst van deze leercasus is onbekend.");
    return learning::LearningSource{s.Int(0), s.Text(1), s.Int(2)};
  }
  std::vector<Id> LearningCasesFrom(std::string_view kind, Id case_id) override {
    auto s = Q("SELECT learning_case_id FROM learning_sources WHERE kind=?1 AND case_id=?2 ORDER BY learning_case_id");
    s.Bind(1, kind).Bind(2, case_id);
    std::vector<Id> out;
    while (s.Step()) out.push_back(s.Int(0));
    return out;
  }
  std::vector<std::string> ListPersonNames() override {
    auto s = Q("SELECT name FROM people");
    std::vector<std::string> out;
    while (s.Step()) out.push_back(s.Text(0));
    return out;
  }

  // --- audit ---
  absl::Status AppendAudit(AuditEvent& e) override {
    auto last = Q("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1");
    if (last.Step()) {
      e.seq = last.Int(0) + 1;
      e.prev_hash = last.Text(1);
    } else {
      e.seq = 1;
      e.prev_hash = std::string(kGenesisHash);
    }
    e.nonce = crypto::RandomToken(16);
    e.redacted = false;
    e.content_hash = ComputeContentHash(e, *hash_);
    e.hash = ComputeEventHash(e, *hash_);
    auto s = Q("INSERT INTO audit_events(seq, at, actor, session, action, case_id, detail, prev_hash, hash, nonce, "
               "content_hash, redacted) VALUES(?,?,?,?,?,?,?,?,?,?,?,0)");
    s.Bind(1, e.seq).Bind(2, e.at).Bind(3, e.actor).Bind(4, e.session).Bind(5, e.action)
        .Bind(6, e.case_id).Bind(7, e.detail).Bind(8, e.prev_hash).Bind(9, e.hash).Bind(10, e.nonce)
        .Bind(11, e.content_hash);
    return s.Exec();
  }
  absl::StatusOr<int> RedactAuditOfCase(Id case_id) override {
    // Events from before migration 3 have no content hash: redacting them
    // would break the chain, so they stay (counted by the caller).
    auto s = Q("UPDATE audit_events SET at=0, actor='', session='', action='', detail='', nonce='', redacted=1 "
               "WHERE case_id=?1 AND content_hash<>'' AND redacted=0 AND action<>?2");
    s.Bind(1, std::to_string(case_id)).Bind(2, kCaseDestroyedAction);
    RETURN_IF_ERROR(s.Exec());
    auto left = Q("SELECT COUNT(*) FROM audit_events WHERE case_id=?1 AND content_hash=''");
    left.Bind(1, std::to_string(case_id));
    return left.Step() ? static_cast<int>(left.Int(0)) : 0;
  }
  static AuditEvent ReadAudit(Stmt& s) {
    AuditEvent e;
    e.seq = s.Int(0); e.at = s.Int(1); e.actor = s.Text(2); e.session = s.Text(3); e.action = s.Text(4);
    e.case_id = s.Text(5); e.detail = s.Text(6); e.prev_hash = s.Text(7); e.hash = s.Text(8);
    e.nonce = s.Text(9); e.content_hash = s.Text(10); e.redacted = s.Int(11) != 0;
    return e;
  }
  std::vector<AuditEvent> SearchAudit(const AuditQuery& q) override {
    std::string sql = "SELECT seq, at, actor, session, action, case_id, detail, prev_hash, hash, nonce, content_hash, redacted FROM audit_events WHERE 1";
    if (q.case_id) sql += " AND case_id=:case AND case_id<>''";
    if (q.actor) sql += " AND actor=:actor";
    if (q.action) sql += " AND action LIKE :action || '%'";
    if (q.from) sql += " AND at>=:from";
    if (q.to) sql += " AND at<:to";
    sql += " ORDER BY seq DESC LIMIT :limit";
    std::vector<AuditEvent> out;
    Stmt s = Q(sql);
    auto bt = [&](const char* n, const std::string& v) {
      if (int i = sqlite3_bind_parameter_index(s.raw(), n)) sqlite3_bind_text(s.raw(), i, v.c_str(), -1, SQLITE_TRANSIENT);
    };
    auto bi = [&](const char* n, std::int64_t v) {
      if (int i = sqlite3_bind_parameter_index(s.raw(), n)) sqlite3_bind_int64(s.raw(), i, v);
    };
    if (q.case_id) bt(":case", std::to_string(*q.case_id));
    if (q.actor) bt(":actor", *q.actor);
    if (q.action) bt(":action", *q.action);
    if (q.from) bi(":from", *q.from);
    if (q.to) bi(":to", *q.to);
    bi(":limit", q.limit);
    while (s.Step()) out.push_back(ReadAudit(s));
    return out;
  }
  absl::Status ScanAudit(const std::function<bool(const AuditEvent&)>& fn) override {
    auto s = Q("SELECT seq, at, actor, session, action, case_id, detail, prev_hash, hash, nonce, content_hash, redacted FROM audit_events ORDER BY seq");
    while (s.Step()) {
      if (!fn(ReadAudit(s))) break;
    }
    if (!s.last_error().empty()) return absl::InternalError(s.last_error());
    return absl::OkStatus();
  }

 private:
  sqlite3* db_;
  HashFunction* hash_;
  KeyProvider* keys_;
  std::unordered_map<Id, std::string> key_cache_;
  std::unordered_map<Id, std::string> track_key_cache_;
  std::unordered_map<Id, std::string> learning_key_cache_;
  std::unordered_map<Id, std::string> flag_key_cache_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

namespace {
absl::Status ExecSql(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "sqlite error";
    sqlite3_free(err);
    return absl::InternalError(msg);
  }
  return absl::OkStatus();
}
}  // namespace

struct SqliteStore::Reader {
  sqlite3* db = nullptr;
  std::unique_ptr<Tx> tx;
  ~Reader() {
    tx.reset();
    sqlite3_close_v2(db);
  }
};

SqliteStore::SqliteStore(sqlite3* db, HashFunction hash, std::shared_ptr<KeyProvider> keys)
    : db_(db), hash_(std::move(hash)), keys_(std::move(keys)), tx_(std::make_unique<Tx>(db, &hash_, keys_.get())) {}

SqliteStore::~SqliteStore() {
  readers_.clear();
  tx_.reset();
  sqlite3_close_v2(db_);
}

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, HashFunction hash,
                                                                std::shared_ptr<KeyProvider> keys,
                                                                int read_connections) {
  if (!keys) return absl::FailedPreconditionError("Geen sleutelbeheer opgegeven: zaakinhoud wordt altijd versleuteld.");
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "cannot open";
    sqlite3_close_v2(db);
    return absl::UnavailableError(Cat("Kan database ", path, " niet openen: ", msg));
  }
  // WAL for concurrent readers and crash safety; NORMAL sync is durable at
  // checkpoints and never corrupts; foreign keys on; deleted content is
  // overwritten with zeros (retention destroys for real).
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA secure_delete=ON",
                             "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000",
                             "PRAGMA cache_size=-65536", "PRAGMA temp_store=MEMORY"}) {
    if (auto st = ExecSql(db, pragma); !st.ok()) {
      sqlite3_close_v2(db);
      return st;
    }
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, std::move(hash), std::move(keys)));
  RETURN_IF_ERROR(store->Migrate());
  for (int i = 0; i < read_connections; ++i) {
    auto r = std::make_unique<Reader>();
    if (sqlite3_open_v2(path.c_str(), &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
      return absl::UnavailableError(Cat("Kan leesverbinding met ", path, " niet openen."));
    for (const char* pragma : {"PRAGMA busy_timeout=5000", "PRAGMA cache_size=-32768", "PRAGMA temp_store=MEMORY"})
      RETURN_IF_ERROR(ExecSql(r->db, pragma));
    r->tx = std::make_unique<Tx>(r->db, &store->hash_, store->keys_.get());
    store->free_readers_.push_back(r.get());
    store->readers_.push_back(std::move(r));
  }
  return store;
}

int SqliteStore::SchemaVersion() {
  std::lock_guard lock(mu_);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db_, "PRAGMA user_version", -1, &s, nullptr);
  int v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
  sqlite3_finalize(s);
  return v;
}

absl::Status SqliteStore::Migrate() {
  int current = SchemaVersion();
  const int target = static_cast<int>(std::size(kMigrations));
  std::lock_guard lock(mu_);
  for (int v = current; v < target; ++v) {
    RETURN_IF_ERROR(ExecSql(db_, "BEGIN IMMEDIATE"));
    absl::Status st = ExecSql(db_, kMigrations[v]);
    // Texts written before migration 2 were plain: encrypted in the same
    // transaction, so a crash leaves either the old or the new form.
    if (st.ok() && v + 1 == 2) {
      st = tx_->EncryptLegacyRows();
      tx_->ForgetKeys();
    }
    if (st.ok()) st = ExecSql(db_, Cat("PRAGMA user_version=", v + 1).c_str());
    if (!st.ok()) {
      (void)ExecSql(db_, "ROLLBACK");
      return absl::InternalError(Cat("migratie ", v + 1, " mislukt: ", st.message()));
    }
    RETURN_IF_ERROR(ExecSql(db_, "COMMIT"));
  }
  return absl::OkStatus();
}

namespace {
// Runs `fn` between `begin` and COMMIT on `tx`, rolling back on any error.
absl::Status RunInTransaction(SqliteStore::Tx& tx, const char* begin,
                              const std::function<absl::Status(StoreTx&)>& fn);
}  // namespace

absl::Status SqliteStore::Transact(const std::function<absl::Status(StoreTx&)>& fn) {
  std::lock_guard lock(mu_);
  return RunInTransaction(*tx_, "BEGIN IMMEDIATE", fn);
}

absl::Status SqliteStore::Read(const std::function<absl::Status(StoreTx&)>& fn) {
  if (readers_.empty()) return Transact(fn);
  Reader* r = nullptr;
  {
    std::unique_lock lock(pool_mu_);
    pool_cv_.wait(lock, [&] { return !free_readers_.empty(); });
    r = free_readers_.back();
    free_readers_.pop_back();
  }
  absl::Status st = RunInTransaction(*r->tx, "BEGIN", fn);
  {
    std::lock_guard lock(pool_mu_);
    free_readers_.push_back(r);
  }
  pool_cv_.notify_one();
  return st;
}

namespace {
absl::Status RunInTransaction(SqliteStore::Tx& tx, const char* begin,
                              const std::function<absl::Status(StoreTx&)>& fn) {
  RETURN_IF_ERROR(tx.Exec(begin));
  absl::Status st;
  try {
    st = fn(tx);
  } catch (const std::exception& e) {
    st = absl::InternalError(e.what());
  }
  tx.ForgetKeys();
  if (!st.ok()) {
    (void)tx.Exec("ROLLBACK");
    return st;
  }
  if (auto c = tx.Exec("COMMIT"); !c.ok()) {
    (void)tx.Exec("ROLLBACK");
    return c;
  }
  return absl::OkStatus();
}
}  // namespace

bool SqliteStore::Ready() {
  std::lock_guard lock(mu_);
  return ExecSql(db_, "SELECT 1").ok();
}

}  // namespace waarborg
