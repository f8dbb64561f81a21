// Helpers shared by the use-case tests in src/app (test code only): a
// temporary SQLite store and the people who act in the tests.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "adapters/crypto/crypto.h"
#include "adapters/crypto/file_key_provider.h"
#include "adapters/sqlite/sqlite_store.h"
#include "core/ports/store.h"

namespace waarborg::app::test_support {

// A fresh directory under the system's temporary directory, removed with
// everything in it when the object goes.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "waarborg-test") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (mkdtemp(tmpl.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A new store in `dir` (w.db) under a new master key (master.key).
inline std::unique_ptr<SqliteStore> OpenTestStore(const std::string& dir) {
  auto keys = crypto::FileKeyProvider::Open((std::filesystem::path(dir) / "master.key").string(), true);
  EXPECT_TRUE(keys.ok()) << keys.status();
  auto s = SqliteStore::Open((std::filesystem::path(dir) / "w.db").string(), crypto::Sha256Hex,
                             std::shared_ptr<KeyProvider>(std::move(*keys)));
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? std::move(*s) : nullptr;
}

// A person in `team` with an account holding `roles`, as a log-in would
// present them to the use cases (session "sess-<username>").
struct NewActor {
  std::string username;
  Id team = 0;
  std::set<Role> roles;
  std::string name;  // the username when empty
  std::string rank = "Inspecteur";
};
inline Actor AddActor(StoreTx& tx, const NewActor& n) {
  Actor a;
  a.person_id = *tx.InsertPerson({0, n.name.empty() ? n.username : n.name, "Functie", n.rank, n.team, std::nullopt});
  Account acc;
  acc.person_id = a.person_id;
  acc.username = n.username;
  acc.password_hash = "x";
  acc.roles = n.roles;
  a.account_id = *tx.InsertAccount(acc);
  a.roles = n.roles;
  a.username = n.username;
  a.session_id = "sess-" + n.username;
  return a;
}

}  // namespace waarborg::app::test_support
