// A crash at any moment leaves the database consistent: the server is killed
// with SIGKILL while several users write, and then the database must pass its
// integrity check, the audit chain must verify, no case may be half written,
// and the server must start again on the same data.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <thread>
#include <vector>

#include "harness.h"

namespace waarborg::testing {
namespace {

std::int64_t QueryInt(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
  std::int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
  sqlite3_finalize(s);
  return v;
}

std::string QueryText(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
  std::string v = sqlite3_step(s) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(s, 0)) : "";
  sqlite3_finalize(s);
  return v;
}

pid_t StartServer(const std::string& dir, int port) {
  pid_t pid = fork();
  if (pid == 0) {
    FILE* f = freopen((dir + ".log").c_str(), "a", stdout);
    (void)f;
    dup2(fileno(stdout), STDERR_FILENO);  // the banner goes to stderr
    std::string p = std::to_string(port);
    execl(WAARBORG_BINARY, WAARBORG_BINARY, "serve", "--port", p.c_str(), "--data", dir.c_str(), "--demo",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 300; ++i) {
    if (Http(port, "GET", "/healthz").status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pid;
}

TEST(CrashConsistency, KillDuringWritesLeavesNoHalfWrittenCase) {
  Server server;  // seeds the demo data, then we take over its directory
  const std::string dir = server.dir().string();
  const int port = server.port();
  Client employee(server, "employee");
  Client coordinator(server, "coordinator");
  ASSERT_TRUE(employee.ok() && coordinator.ok());
  std::int64_t unit = 0;
  {
    const json units = coordinator.Get("/api/v1/units").Json()["units"];
    for (const auto& u : units)
      if (u["name"] == "Eenheid Utrecht" || u["name"] == "Eenheid Midden-Nederland") unit = u["id"].get<std::int64_t>();
  }
  ASSERT_NE(unit, 0);

  // Writers: reports and acknowledgements, as fast as they go.
  std::atomic<bool> stop{false};
  std::atomic<int> created{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) {
    writers.emplace_back([&, t] {
      while (!stop) {
        auto r = employee.Post("/api/v1/cases", {{"channel", "online"}, {"reporter_category", "employee"},
                                                 {"summary", "Crashtest " + std::to_string(t)},
                                                 {"description", "Schrijven tijdens een crash."},
                                                 {"unit_id", unit}});
        if (r.status != 201) continue;
        ++created;
        const auto id = r.Json()["id"].get<std::int64_t>();
        coordinator.Post("/api/v1/cases/" + std::to_string(id) + "/acknowledgement", {{"version", 1}});
      }
    });
  }
  // Kill mid-stream once some cases exist (each online report hashes its
  // receipt with Argon2id, so a busy machine needs longer than an idle one).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (created.load() < 8 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  server.Kill();  // SIGKILL: no chance to finish anything
  stop = true;
  for (auto& w : writers) w.join();
  ASSERT_GT(created.load(), 5) << "the writers should have created some cases before the crash";

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir + "/waarborg.db").c_str(), &db), SQLITE_OK);
  EXPECT_EQ(QueryText(db, "PRAGMA integrity_check"), "ok");
  // Every case has its key, its receipt, its first timeline entry and its audit event.
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM lmm_cases c WHERE NOT EXISTS "
                         "(SELECT 1 FROM case_keys k WHERE k.case_id=c.id)"), 0);
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM lmm_cases c WHERE c.channel='online' AND NOT EXISTS "
                         "(SELECT 1 FROM receipts r WHERE r.case_id=c.id)"), 0);
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM lmm_cases c WHERE NOT EXISTS "
                         "(SELECT 1 FROM case_events e WHERE e.case_id=c.id AND e.kind='registered')"), 0);
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM lmm_cases c WHERE NOT EXISTS (SELECT 1 FROM audit_events a "
                         "WHERE a.case_id=CAST(c.id AS TEXT) AND a.action='case.create')"), 0);
  // An acknowledged case has its audit event too.
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM lmm_cases c WHERE c.ack_on IS NOT NULL AND NOT EXISTS "
                         "(SELECT 1 FROM audit_events a WHERE a.case_id=CAST(c.id AS TEXT) "
                         "AND a.action='case.acknowledge')"), 0);
  sqlite3_close(db);

  int code = -1;
  std::string out = RunCapture(std::string(WAARBORG_BINARY) + " audit verify --data " + dir, &code);
  EXPECT_EQ(code, 0) << out;

  // The server starts again on the same data and answers.
  pid_t again = StartServer(dir, port);
  EXPECT_EQ(Http(port, "GET", "/readyz").status, 200);
  kill(again, SIGTERM);
  int st = 0;
  waitpid(again, &st, 0);
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

}  // namespace
}  // namespace waarborg::testing
