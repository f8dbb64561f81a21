// Protective Monitoring in the server (issue 6): the ingestion key, the staff
// directory pseudonyms are resolved against, the bridge from the engine's day
// reports (src/monitor) to the MonitorService, and the demo's monitoring.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/monitor_service.h"
#include "core/monitoring/governance.h"
#include "core/ports/store.h"
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

// The demo's monitoring: a synthetic organisation (src/monitor/synthetic.h)
// of `staff` people whose look-ups of the `days` days before `now` run
// through the engine. The first two thirds are recorded in trend mode; then
// the demo admin switches to detection mode (decision "OR-besluit 2026-17
// (demo)") and the rest gives flags for the analyst. Only for a database
// that SeedDemo has just seeded.
struct DemoMonitoring {
  int staff = 400;
  int days = 21;
};
// The synthetic organisation's user directory (the same under the same key).
std::vector<app::MonitorDirectoryEntry> DemoMonitoringDirectory(const std::string& key, DemoMonitoring demo = {});
// Runs the days through the engine into `service`; returns the flags stored.
absl::StatusOr<int> SeedDemoMonitoring(Store& store, app::MonitorService& service, const std::string& key, Instant now,
                                       DemoMonitoring demo = {});

}  // namespace waarborg
