// Protective Monitoring in the server (issue 6): the ingestion key, the staff
// directory pseudonyms are resolved against, the bridge from the engine's day
// reports (src/monitor) to the MonitorService, and the demo's monitoring.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/http/http_types.h"
#include "app/monitor_service.h"
#include "core/monitoring/governance.h"
#include "core/ports/store.h"
#include "monitor/event.h"
#include "monitor/pseudonym.h"
#include "monitor/scoring.h"

namespace waarborg {

// The key that pseudonymises user ids at ingestion: `path` holds 32 random
// bytes (mode 0600), made on first start. Losing it makes every pseudonym
// unresolvable, which is the point of keeping it apart from the database.
absl::StatusOr<std::string> LoadOrCreateMonitorKey(const std::string& path);

// The user directory of the police systems: one line per person, "user
// id<TAB>name<TAB>unit". A missing file is an empty directory.
absl::StatusOr<std::vector<app::MonitorDirectoryEntry>> LoadMonitorDirectory(const std::string& path);
absl::Status WriteMonitorDirectory(const std::string& path, const std::vector<app::MonitorDirectoryEntry>& entries);

// The engine's report of a day as the MonitorService records it.
struct GovernedDay {
  std::int64_t day = 0;
  std::vector<monitoring::Flag> flags;
  std::vector<monitoring::TrendCell> cells;
};
GovernedDay ToGoverned(const monitor::DayReport& report);

// Events from the source systems, through the engine, into the
// MonitorService: one engine per process over the side tables, fed in time
// order (the HTTP batch endpoint, the demo). The engine closes a day when the
// first event of a later day arrives (or on Flush), and the day's report is
// recorded then. Thread-safe: batches are processed one at a time.
class MonitorFeed {
 public:
  MonitorFeed(monitor::Context context, monitor::Pseudonymizer pseudonyms, app::MonitorService& service,
              monitor::EngineConfig config = DefaultEngineConfig());
  // The engine always scores as in detection mode: whether a flag is kept is
  // the MonitorService's decision (it drops them in trend mode).
  static monitor::EngineConfig DefaultEngineConfig();

  struct Batch {
    monitor::StreamStats stats;  // lines, parsed, malformed with their reasons
    int days_recorded = 0;
    absl::Status recorded;  // the first failure to record a day, if any
  };
  // JSON lines, one event each, with real user ids (pseudonymised here).
  Batch Ingest(std::string_view json_lines);
  // Closes the current day, if any.
  absl::Status Flush();

 private:
  std::mutex mu_;
  monitor::Context context_;  // before engine_, which reads it
  monitor::Pseudonymizer pseudonyms_;
  app::MonitorService& service_;
  monitor::EventParser parser_;
  int days_recorded_ = 0;
  absl::Status record_status_;
  monitor::Engine engine_;
};

// POST /api/monitoring/gebeurtenissen: a batch of events (JSON lines, at most
// 32 MiB) from a source system that presents `token` as a bearer token.
// Answers {"lines", "parsed", "malformed", "set_aside": [{"line", "reason"}],
// "days_recorded"}; 401 without the right token.
http::Route MonitorFeedRoute(MonitorFeed& feed, std::string token);
// The source systems' token: `path` (made on first start, 0600).
absl::StatusOr<std::string> LoadOrCreateSourceToken(const std::string& path);

// Reads the NATS JetStream subject (monitor/sources/nats_jetstream.h) on a
// thread of its own and feeds every message to `feed`; a lost connection is
// reopened. `address` is HOST:PORT. Stop() (or destruction) ends it within
// about a second.
class NatsFeedReader {
 public:
  static absl::StatusOr<std::unique_ptr<NatsFeedReader>> Start(MonitorFeed& feed, const std::string& address);
  ~NatsFeedReader();
  void Stop();

 private:
  explicit NatsFeedReader(MonitorFeed& feed) : feed_(feed) {}
  MonitorFeed& feed_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The demo's monitoring: a synthetic organisation (src/monitor/synthetic.h)
// of `staff` people and their look-ups of the `days` days before now, as the
// source systems would deliver them. The first two thirds are recorded in
// trend mode; then the demo admin switches to detection mode (decision
// "OR-besluit 2026-17 (demo)") and the rest gives flags for the analyst.
struct DemoMonitoring {
  int staff = 400;
  int days = 21;
};
struct DemoMonitoringData {
  std::vector<app::MonitorDirectoryEntry> directory;
  std::vector<std::string> days;  // per day, its events as JSON lines (real user ids)
  int trend_days = 0;             // recorded before the admin switches
};
// Generates the organisation and its days; writes its side tables (real user
// ids) to `side_tables_dir`.
absl::StatusOr<DemoMonitoringData> MakeDemoMonitoring(const std::string& key, Instant now,
                                                      const std::filesystem::path& side_tables_dir,
                                                      DemoMonitoring demo = {});
// Feeds the days through `feed`, switching to detection mode as the admin
// would; returns the flags now in the queue. Only for a database SeedDemo has
// just seeded.
absl::StatusOr<int> ReplayDemoMonitoring(Store& store, app::MonitorService& service, MonitorFeed& feed,
                                         DemoMonitoringData data);

}  // namespace waarborg
