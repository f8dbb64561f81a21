// SQLite implementation of the Store port: one database file in WAL mode,
// migrated on open. One connection serialised by a mutex: SQLite has one
// writer at a time anyway, and every case read also writes an audit event.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "core/audit/audit_chain.h"
#include "core/ports/store.h"

struct sqlite3;

namespace waarborg {

class SqliteStore final : public Store {
 public:
  // Opens (creating when new) and migrates the database at `path`. `hash`
  // chains the audit trail (SHA-256 in production).
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path, HashFunction hash);
  ~SqliteStore() override;

  absl::Status Transact(const std::function<absl::Status(StoreTx&)>& fn) override;
  bool Ready() override;

  // The schema version after migration.
  int SchemaVersion();

 private:
  class Tx;
  SqliteStore(sqlite3* db, HashFunction hash);
  absl::Status Migrate();

  sqlite3* db_;
  HashFunction hash_;
  std::mutex mu_;
  std::unique_ptr<Tx> tx_;
};

}  // namespace waarborg
