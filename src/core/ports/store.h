// Store port: everything Waarborg keeps. One implementation per database
// (adapters/sqlite now; adapters/postgres later), one contract for both.
// All work happens inside a transaction: Store::Transact runs a function
// against a StoreTx and commits when it returns OK, rolls back otherwise, so a
// failed request leaves nothing half-written.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/audit/audit_chain.h"
#include "core/cases/lmm_case.h"
#include "core/cases/track_case.h"
#include "core/learning/learning_case.h"
#include "core/monitoring/governance.h"
#include "core/org/org.h"

namespace waarborg {
namespace dashboard {
struct CaseFact;
}  // namespace dashboard


struct Account {
  Id id = 0;
  Id person_id = 0;
  std::string username;
  std::string password_hash;   // Argon2id
  std::string totp_secret;     // raw bytes; empty when not enrolled
  std::int64_t totp_last_step = 0;  // replay guard
  std::set<Role> roles;
  bool disabled = false;
};

struct Session {
  std::string id;            // public id, safe to log and audit
  std::string token_hash;    // SHA-256 of the cookie token; the token itself is never stored
  Id account_id = 0;
  std::string csrf_token;
  bool second_factor_done = false;
  Instant created_at = 0;
  Instant last_seen_at = 0;
  // The person's identity-vault secret key, locked with the session's cookie
  // token (crypto::LockWithToken): only a request carrying the cookie can
  // unlock it, so the database alone opens no identity. Empty when the person
  // has no vault key.
  std::string vault_key;
};

// --- the reporter's channel (DOMAIN §2, §8) ---

// A receipt (bonnummer) as stored: only its Argon2id hash.
struct Receipt {
  std::string hash;
  Id case_id = 0;
  bool must_replace = false;  // handed over by a VPI: the reporter replaces it on first use
  Instant created_at = 0;
};

// A reporter who came back with a receipt. No account, no address, no agent.
struct ReporterSession {
  std::string id;
  std::string token_hash;
  Id case_id = 0;
  std::string csrf_token;
  bool must_replace_receipt = false;
  Instant created_at = 0;
  Instant last_seen_at = 0;
};

// A message on a case. Visibility: "reporter" (the reporter and the case
// team), "team" (internal to the case team), "personal" (its author only).
struct Message {
  Id id = 0;
  Id case_id = 0;
  Instant at = 0;
  Id author_person = 0;  // 0: the reporter
  std::string visibility;
  std::string body;
};

struct Attachment {
  Id id = 0;
  Id case_id = 0;
  std::optional<Id> message_id;
  Instant at = 0;
  Id uploaded_by = 0;  // 0: the reporter
  std::string visibility = "reporter";  // as Message
  std::string filename;
  std::string media_type;
  std::int64_t size = 0;
  std::string data;  // empty in lists
};

// Unread reporter messages on one case, for a staff member's notifications.
struct UnreadMessages {
  Id case_id = 0;
  std::string reference;
  int count = 0;
};

// A person's identity-vault key pair: the secret key is locked with a
// passphrase only that person knows (crypto::LockWithPassphrase).
struct PersonKey {
  Id person_id = 0;
  std::string public_key;
  std::string locked_secret_key;
};

// The reporter's identity sealed to one holder's public key.
struct IdentitySeal {
  Id case_id = 0;
  Id person_id = 0;
  std::string sealed;
  Instant granted_at = 0;
  std::string basis;  // "intake", "staffing", "request"
};

// A request to disclose the identity to someone outside the holders.
struct IdentityRequest {
  Id id = 0;
  Id case_id = 0;
  Id requested_by = 0;
  Id recipient = 0;
  std::string reason;
  bool legal_duty = false;
  std::string legal_reasons;   // written reasons told to the reporter first
  std::string state = "awaiting_consent";  // awaiting_consent, awaiting_approval, granted, refused, withdrawn
  std::string consent;         // "", "channel", "written", "refused"
  std::optional<Id> consent_attachment;
  Instant created_at = 0;
  Instant consent_at = 0;
  Instant notified_at = 0;     // legal duty: when the reporter was told
  Id decided_by = 0;
  Instant decided_at = 0;
};

// A dated entry in a case's timeline.
struct CaseEvent {
  Id id = 0;
  Id case_id = 0;
  Instant at = 0;
  Id actor_person = 0;  // 0 for the system
  std::string kind;     // "registered", "staffed", "contact", "adverse_treatment", ...
  // Who may see the entry: "case" (everyone who may read the case),
  // "weighing" (weighing team), "protection" (reporter's VPI + coordinator).
  std::string visibility = "case";
  std::string text;     // Dutch, shown on the timeline
  std::optional<Date> on;  // the date the entry is about (e.g. the adverse event)
};

// A VPI activity (CVP meeting, information session, contact with a unit chief).
struct Activity {
  Id id = 0;
  Id advisor_person = 0;
  std::string kind;
  Date on;
  std::optional<Id> unit_id;
  std::string notes;
};

// A notice waiting in the outbox (issue 3 §3, issue 7 §4). It holds no
// address and no text: the sender looks up the address when it sends (the
// reporter's, encrypted with the case), so destroying a case leaves nothing.
struct OutboxMail {
  Id id = 0;
  std::string kind;  // "reporter_new_message"
  Id case_id = 0;
  Instant created_at = 0;
  int attempts = 0;
  std::optional<Instant> next_attempt_at;  // none: given up after too many attempts
  std::string last_error;                  // Dutch, without the address
  std::optional<Instant> sent_at;
};

struct CaseListQuery {
  // Scope: the store returns the union of the enabled parts.
  bool all = false;
  std::optional<Id> member_person;     // VPI, reviewer or registrar on the case
  bool with_advice = false;            // authority: cases that have an advice
  // Filters.
  std::optional<LmmState> state;
  bool open_only = false;
  std::optional<Date> due_before;      // nearest open deadline before this date (overdue)
  int limit = 50;
  int offset = 0;
};

struct CaseSummary {
  Id id = 0;
  std::string reference;
  LmmState state = LmmState::kRegistered;
  std::string summary;
  Id unit_id = 0;
  Instant received_at = 0;
  Date received_on;
  Date acknowledgement_due;
  std::optional<Date> acknowledged_on;
  Date feedback_due;
  std::optional<Date> feedback_given_on;
  std::optional<Date> weighing_end;
  bool has_advice = false;
  std::optional<Id> reporter_advisor_id;
  std::optional<Id> weighing_advisor_id;
};

struct AuditQuery {
  std::optional<Id> case_id;
  std::optional<std::string> actor;
  std::optional<std::string> action;
  std::optional<Instant> from, to;
  int limit = 100;
};

class StoreTx {
 public:
  virtual ~StoreTx() = default;

  // --- organisation ---
  virtual absl::StatusOr<Id> InsertUnit(const OrgUnit& u) = 0;
  virtual absl::StatusOr<Id> InsertPerson(const Person& p) = 0;
  virtual absl::Status SetManager(Id person, std::optional<Id> manager) = 0;
  virtual absl::StatusOr<Person> GetPerson(Id id) = 0;
  virtual std::optional<Id> ManagerOf(Id person) = 0;
  virtual std::vector<OrgUnit> ListUnits() = 0;
  virtual absl::StatusOr<OrgUnit> GetUnit(Id id) = 0;
  // People whose name contains `text` (case-insensitive), at most `limit`.
  virtual std::vector<Person> FindPeople(std::string_view text, int limit) = 0;
  virtual std::int64_t CountPeople() = 0;
  // People per team (their unit), for figures per 1,000 staff; with a role
  // name, only the people whose account holds that role.
  virtual std::map<Id, std::int64_t> CountPeopleByTeam(const std::optional<std::string>& role) = 0;
  virtual absl::Status AdoptUnit(Id advisor_person, Id unit) = 0;
  virtual std::vector<Id> AdoptedUnits(Id advisor_person) = 0;
  // People who hold the VPI or coordinator role.
  virtual std::vector<Person> ListAdvisors() = 0;

  // --- accounts and sessions ---
  virtual absl::StatusOr<Id> InsertAccount(const Account& a) = 0;
  virtual absl::StatusOr<Account> FindAccountByUsername(std::string_view username) = 0;
  virtual absl::StatusOr<Account> GetAccount(Id id) = 0;
  virtual std::optional<Id> AccountOfPerson(Id person) = 0;
  virtual absl::Status UpdateTotp(Id account, std::string_view secret, std::int64_t last_step) = 0;
  virtual absl::Status InsertSession(const Session& s) = 0;
  virtual absl::StatusOr<Session> FindSessionByTokenHash(std::string_view token_hash) = 0;
  virtual absl::Status TouchSession(std::string_view id, Instant at) = 0;
  // Marks the second factor done and replaces the token hash (a new cookie
  // after the step up, so a token seen before it is worthless).
  virtual absl::Status MarkSecondFactorDone(std::string_view id, std::string_view new_token_hash) = 0;
  virtual absl::Status DeleteSession(std::string_view id) = 0;
  virtual absl::Status DeleteSessionsOlderThan(Instant created_before, Instant seen_before) = 0;

  // --- log-in throttling (keyed per account and per address) ---
  virtual absl::Status RecordLoginFailure(std::string_view key, Instant at) = 0;
  virtual int CountLoginFailures(std::string_view key, Instant since) = 0;
  virtual absl::Status ClearLoginFailures(std::string_view key) = 0;
  // Forgets failures older than `before` (they no longer count anyway).
  virtual absl::Status DeleteLoginFailuresBefore(Instant before) = 0;

  // --- LMM cases ---
  // Inserts `c` (id and version assigned) and returns its id.
  virtual absl::StatusOr<Id> InsertCase(LmmCase& c) = 0;
  // Writes `c` when the stored version equals `expected_version`, bumping
  // c.version; Aborted (stale, HTTP 409) otherwise.
  virtual absl::Status UpdateCase(LmmCase& c, std::int64_t expected_version) = 0;
  virtual absl::StatusOr<LmmCase> GetCase(Id id) = 0;
  virtual std::vector<CaseSummary> ListCases(const CaseListQuery& q) = 0;
  virtual std::int64_t NextCaseNumber(int year) = 0;
  // Identities kept in plain text before the vault (migration 2); the vault
  // seals them at start-up and deletes them.
  virtual std::vector<ReporterIdentity> ListLegacyIdentities() = 0;
  virtual absl::Status DeleteLegacyIdentity(Id case_id) = 0;
  virtual absl::StatusOr<Id> AppendCaseEvent(const CaseEvent& e) = 0;
  virtual std::vector<CaseEvent> ListCaseEvents(Id case_id) = 0;
  virtual absl::StatusOr<Id> InsertActivity(const Activity& a) = 0;
  virtual std::vector<Activity> ListActivities(std::optional<Id> advisor_person) = 0;

  // --- the reporter's channel ---
  virtual absl::Status InsertReceipt(const Receipt& r) = 0;
  virtual std::optional<Receipt> FindReceipt(std::string_view hash) = 0;
  virtual absl::Status DeleteReceiptsOfCase(Id case_id) = 0;
  virtual absl::Status InsertReporterSession(const ReporterSession& s) = 0;
  virtual absl::StatusOr<ReporterSession> FindReporterSession(std::string_view token_hash) = 0;
  virtual absl::Status UpdateReporterSession(const ReporterSession& s) = 0;
  virtual absl::Status DeleteReporterSession(std::string_view id) = 0;
  virtual absl::Status DeleteReporterSessionsBefore(Instant created_before, Instant seen_before) = 0;
  virtual absl::StatusOr<Id> InsertMessage(const Message& m) = 0;
  virtual std::vector<Message> ListMessages(Id case_id) = 0;
  // Read markers: reader 0 is the reporter.
  virtual absl::Status MarkMessagesRead(Id case_id, Id reader, Id up_to) = 0;
  virtual Id LastReadMessage(Id case_id, Id reader) = 0;
  // Reporter messages `person` has not read, on open cases they work on
  // (all open cases when `all_cases`, for the coordinator).
  virtual std::vector<UnreadMessages> UnreadReporterMessages(Id person, bool all_cases) = 0;
  virtual absl::StatusOr<Id> InsertAttachment(const Attachment& a) = 0;
  virtual std::vector<Attachment> ListAttachments(Id case_id) = 0;  // without data
  virtual absl::StatusOr<Attachment> GetAttachment(Id id) = 0;      // with data
  // An e-mail address the reporter chose to leave for notifications ("" to remove).
  virtual absl::Status SetReporterEmail(Id case_id, std::string_view email) = 0;
  virtual std::string GetReporterEmail(Id case_id) = 0;

  // --- the mail outbox ---
  // Queues a notice of `kind` about `case_id`, due at `at`. Coalesces: while
  // one of the same kind for the same case waits to be sent, no second one.
  virtual absl::Status EnqueueMail(std::string_view kind, Id case_id, Instant at) = 0;
  // Unsent mail due at `now` (not given up), oldest due first.
  virtual std::vector<OutboxMail> DueMail(Instant now, int limit) = 0;
  // NotFound when the mail no longer waits (its case destroyed, its address
  // removed): the caller then records nothing about it.
  virtual absl::Status MarkMailSent(Id id, Instant at) = 0;
  // Counts a failed attempt; `next_attempt_at` none gives up. NotFound as above.
  virtual absl::Status MarkMailFailed(Id id, std::string_view error, std::optional<Instant> next_attempt_at) = 0;
  // Unsent mail with at least one failed attempt, newest first (for the admin).
  virtual std::vector<OutboxMail> ListMailProblems(int limit) = 0;

  // --- identity vault ---
  virtual std::optional<PersonKey> GetPersonKey(Id person) = 0;
  virtual absl::Status PutPersonKey(const PersonKey& k) = 0;
  virtual absl::Status SetSessionVaultKey(std::string_view session_id, std::string_view locked) = 0;
  virtual absl::Status PutIdentitySeal(const IdentitySeal& s) = 0;
  virtual std::optional<IdentitySeal> GetIdentitySeal(Id case_id, Id person) = 0;
  virtual std::vector<IdentitySeal> ListIdentitySeals(Id case_id) = 0;
  virtual absl::Status DeleteIdentitySeal(Id case_id, Id person) = 0;
  virtual absl::StatusOr<Id> InsertIdentityRequest(const IdentityRequest& r) = 0;
  virtual absl::Status UpdateIdentityRequest(const IdentityRequest& r) = 0;
  virtual absl::StatusOr<IdentityRequest> GetIdentityRequest(Id id) = 0;
  virtual std::vector<IdentityRequest> ListIdentityRequests(Id case_id) = 0;

  // --- retention ---
  // Cases in terminal `state` last changed before `before`, oldest first.
  virtual std::vector<Id> TerminalCasesBefore(LmmState state, Instant before, int limit) = 0;
  // Destroys a case for good: its rows, attachments, receipts, sessions,
  // seals, queued mail and its key. The audit trail keeps its events (ids
  // and actions only).
  virtual absl::Status DestroyCase(Id case_id) = 0;

  // --- settings (key/value, e.g. "demo" for a demo database) ---
  virtual std::optional<std::string> GetSetting(std::string_view key) = 0;
  virtual absl::Status SetSetting(std::string_view key, std::string_view value) = 0;

  // --- cases on the tracks defined as data (issue 4) ---
  // Inserts `c` with a new reference "<prefix>-<year>-<nnnn>", filling id,
  // reference and version 1. Summary and fields are encrypted with the case's
  // own key.
  virtual absl::StatusOr<Id> InsertTrackCase(TrackCase& c, std::string_view reference_prefix) = 0;
  // Writes state, fields, summary, members and updated_at when the stored
  // version is `expected_version`, and sets it one higher; Aborted otherwise.
  virtual absl::Status UpdateTrackCase(const TrackCase& c, std::int64_t expected_version) = 0;
  virtual absl::StatusOr<TrackCase> GetTrackCase(Id id) = 0;
  virtual std::vector<TrackCaseSummary> ListTrackCases(const TrackCaseQuery& q) = 0;
  virtual absl::StatusOr<Id> InsertTrackStep(const TrackStep& s) = 0;
  virtual std::vector<TrackStep> ListTrackSteps(Id case_id) = 0;

  // --- dashboard facts (issue 5; core/dashboard/case_fact.h) ---
  // Writes the fact of a case, replacing the previous one.
  virtual absl::Status UpsertCaseFact(const dashboard::CaseFact& f) = 0;
  // Calls `fn` for every fact updated at or after `since` (ms), oldest
  // change first; the dashboards load all (since 0) and then follow changes.
  // With since 0 the order is unspecified (all facts, as stored: a table
  // scan rather than a walk in updated_at order).
  virtual absl::Status ScanCaseFacts(Instant since, const std::function<void(dashboard::CaseFact&&)>& fn) = 0;
  // Cases of a kind ("lmm" or "track") without a fact yet (databases from
  // before the facts existed), at most `limit`.
  virtual std::vector<Id> CasesWithoutFacts(std::string_view kind, int limit) = 0;

  // --- learning cases (issue 5 §5; core/learning) ---
  // Inserts `lc` (id assigned, version 1) and, in a table of its own, the
  // link to its source. Texts and the return reason are encrypted with the
  // learning case's own key.
  virtual absl::StatusOr<Id> InsertLearningCase(learning::LearningCase& lc, const learning::LearningSource& source) = 0;
  // Writes state, texts, approver, return reason and times when the stored
  // version is `expected_version`, and sets it one higher; Aborted otherwise.
  virtual absl::Status UpdateLearningCase(const learning::LearningCase& lc, std::int64_t expected_version) = 0;
  virtual absl::StatusOr<learning::LearningCase> GetLearningCase(Id id) = 0;
  // Newest change first.
  virtual std::vector<learning::LearningCaseSummary> ListLearningCases(const learning::LearningCaseQuery& q) = 0;
  // Where a learning case came from. Only for its author and its approvers:
  // the service asks, nothing else does (a published learning case must not
  // reveal its source).
  virtual absl::StatusOr<learning::LearningSource> GetLearningSource(Id learning_case_id) = 0;
  // The learning cases made from case `case_id` of `kind` ("track").
  virtual std::vector<Id> LearningCasesFrom(std::string_view kind, Id case_id) = 0;
  // The name of every person in the organisation (for the learning-case
  // checker).
  virtual std::vector<std::string> ListPersonNames() = 0;

  // --- Protective Monitoring governance (issue 6; core/monitoring) ---
  // The mode switches, oldest first (empty: never switched, trend mode).
  virtual std::vector<monitoring::ModeChange> ListModeChanges() = 0;
  virtual absl::Status AppendModeChange(const monitoring::ModeChange& c) = 0;
  // Inserts `f` (id assigned, version 1). Evidence is encrypted at rest.
  virtual absl::StatusOr<Id> InsertFlag(monitoring::Flag& f) = 0;
  virtual absl::StatusOr<monitoring::Flag> GetFlag(Id id) = 0;
  // Writes status, note, reviewer, review time and VIK case when the stored
  // version is `expected_version`, and sets it one higher; Aborted otherwise.
  virtual absl::Status UpdateFlag(const monitoring::Flag& f, std::int64_t expected_version) = 0;
  // Flags with `status` (all when nullopt), newest day first, at most `limit`.
  virtual std::vector<monitoring::Flag> ListFlags(std::optional<monitoring::FlagStatus> status, int limit) = 0;
  virtual absl::Status InsertExplainedPattern(const monitoring::ExplainedPattern& p) = 0;
  virtual bool IsPatternExplained(std::string_view user, std::string_view rule, std::string_view subject) = 0;
  // Replaces the trend cells of `day` by `cells`.
  virtual absl::Status ReplaceTrendCells(std::int64_t day, const std::vector<monitoring::TrendCell>& cells) = 0;
  // Cells of days in [from_day, to_day].
  virtual std::vector<monitoring::TrendCell> ListTrendCells(std::int64_t from_day, std::int64_t to_day) = 0;
  virtual absl::StatusOr<Id> InsertResolution(monitoring::Resolution& r) = 0;
  virtual absl::StatusOr<monitoring::Resolution> GetResolution(Id id) = 0;
  // Writes approvers, state, decision time and refusal when the stored
  // version is `expected_version`, and sets it one higher; Aborted otherwise.
  virtual absl::Status UpdateResolution(const monitoring::Resolution& r, std::int64_t expected_version) = 0;
  // Requests of a flag (flag_id > 0) or every request still open (flag_id 0).
  virtual std::vector<monitoring::Resolution> ListResolutions(Id flag_id) = 0;

  // --- audit trail ---
  // Appends `e`, filling seq, prev_hash and hash (chained to the last event).
  virtual absl::Status AppendAudit(AuditEvent& e) = 0;
  // Removes the content (time, actor, session, action, detail, nonce) of a
  // destroyed case's audit events, keeping seq, case id and hashes, so the
  // chain still verifies. Returns how many older events (written before the
  // trail was redactable) could not be redacted.
  virtual absl::StatusOr<int> RedactAuditOfCase(Id case_id) = 0;
  virtual std::vector<AuditEvent> SearchAudit(const AuditQuery& q) = 0;
  // Streams every event in seq order; stops early when `fn` returns false.
  virtual absl::Status ScanAudit(const std::function<bool(const AuditEvent&)>& fn) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs `fn` in one transaction. Commits when it returns OK; rolls back
  // otherwise and returns its status.
  virtual absl::Status Transact(const std::function<absl::Status(StoreTx&)>& fn) = 0;
  // Runs `fn` on a consistent read-only snapshot, in parallel with other
  // reads and with the writer. Any write inside fails. For look-ups that
  // need no audit event of their own (sessions, lists before their audit).
  virtual absl::Status Read(const std::function<absl::Status(StoreTx&)>& fn) = 0;
  // True when the store answers (for /readyz).
  virtual bool Ready() = 0;
};

}  // namespace waarborg
