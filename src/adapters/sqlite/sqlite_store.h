// SQLite implementation of the Store port: one database file in WAL mode,
// migrated on open. One write connection serialised by a mutex (SQLite has
// one writer at a time anyway, and every case read also writes an audit
// event), plus a small pool of read-only connections for Read().
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/audit/audit_chain.h"
#include "core/ports/key_provider.h"
#include "core/ports/store.h"

struct sqlite3;

namespace waarborg {

class SqliteStore final : public Store {
 public:
  // Opens (creating when new) and migrates the database at `path`. `hash`
  // chains the audit trail (SHA-256 in production); `keys` wraps the per-case
  // keys that encrypt every case text.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path, HashFunction hash,
                                                          std::shared_ptr<KeyProvider> keys,
                                                          int read_connections = 4);
  ~SqliteStore() override;

  absl::Status Transact(const std::function<absl::Status(StoreTx&)>& fn) override;
  absl::Status Read(const std::function<absl::Status(StoreTx&)>& fn) override;
  bool Ready() override;

  // The schema version after migration.
  int SchemaVersion();

  class Tx;  // the StoreTx on one connection (defined in the .cc)

 private:
  SqliteStore(sqlite3* db, HashFunction hash, std::shared_ptr<KeyProvider> keys);
  absl::Status Migrate();

  sqlite3* db_;
  HashFunction hash_;
  std::shared_ptr<KeyProvider> keys_;
  std::mutex mu_;
  std::unique_ptr<Tx> tx_;
  // Read-only connections, each with its own statement cache.
  struct Reader;
  std::vector<std::unique_ptr<Reader>> readers_;
  std::vector<Reader*> free_readers_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
};

}  // namespace waarborg
