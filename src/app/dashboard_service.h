// Real-time monitoring (issue 5 §1, §2): the figures each role steers by,
// from the dashboard facts (core/dashboard/case_fact.h) held in memory and
// kept up to date by following the store's changes (polling
// Store::ScanCaseFacts on updated_at), so a change shows within a second,
// from this process or another one on the same database.
//
// Every figure that leaves this service passes core/stats: counts below the
// threshold are suppressed with complementary suppression, and a figure is
// only ever a cell or margin of one of the fixed tables below (units roll up
// into districts and units, months into the year), never an independent
// query, so two overlapping questions cannot be subtracted.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <span>
#include <string_view>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "core/dashboard/case_fact.h"
#include "core/org/org.h"
#include "core/ports/clock.h"
#include "core/ports/store.h"
#include "core/workflow/track_catalogue.h"

namespace waarborg::app {

struct DashboardPolicy {
  int threshold = 5;  // smallest count published (issue 5 §3)
};

// Whose figures: which tracks, which part of the organisation.
struct DashboardScope {
  std::string label;                 // Dutch, e.g. "Coördinator LMM"
  std::vector<std::string> tracks;   // the tracks this role steers
  std::optional<Id> unit;            // only this unit and below; none: everything
};

// The scope of a role (coordinator: the LMM; central counsellor: unwanted
// behaviour and the complaints committee; VIK team chief: triage and
// investigations; manager: every track of the own unit; authority
// (korpschef): every track). PermissionDenied for other roles.
// A manager's unit is the unit (eenheid) the own team belongs to, found in
// the store by `unit_of_team`; asked only for a manager.
absl::StatusOr<DashboardScope> ScopeOf(const Actor& actor, Store& store,
                                       const std::function<std::optional<Id>(Id team)>& unit_of_team);

struct DashboardQuery {
  int year = 0;  // calendar year of the period; 0: the current one
};

// One published number: a count (or a figure derived from counts that were
// all published), or suppressed. `drill` names the cases behind it for the
// drill-down page (empty when there is nothing to open).
struct DashboardCell {
  std::optional<double> value;  // nullopt: suppressed (shown as "x")
  std::string drill;            // query string for /dashboard/zaken, or empty
};

struct DashboardTable {
  std::string id;     // stable, for tests and anchors
  std::string title;  // Dutch
  std::string note;   // Dutch: e.g. why a table shows districts instead of teams
  std::vector<std::string> row_labels;
  std::vector<std::string> col_labels;
  std::vector<std::vector<DashboardCell>> cells;  // [row][col]
  bool decimals = false;                          // figures with one decimal (ratios)
};

struct DashboardView {
  DashboardScope scope;
  int year = 0;
  Date today{};
  std::int64_t version = 0;  // changes whenever a fact in the index changes
  std::vector<DashboardTable> tables;
};

// The cases behind a figure that the viewer may open.
struct DrillCase {
  std::string kind;  // "lmm" or "track"
  Id case_id = 0;
  std::string href;
};

// One fact as the annual report reads it (issue 5 §4, app/annual_report):
// a view into the facts the service holds, valid only during the
// VisitFacts callback that hands it out.
struct FactRef {
  dashboard::CaseKind kind = dashboard::CaseKind::kTrack;
  Id case_id = 0;
  std::string_view track, state;
  bool open = true;
  Id unit_id = 0;
  Date received_on{};
  std::optional<Date> closed_on;
  // The case's choice answers (key, option key).
  std::span<const std::pair<std::string_view, std::string_view>> answers;
  // The answer to `key`, or "".
  std::string_view Answer(std::string_view key) const {
    for (const auto& [k, v] : answers)
      if (k == key) return v;
    return {};
  }
};

class DashboardService {
 public:
  DashboardService(Store& store, const Clock& clock, const workflow::TrackCatalogue& tracks,
                   DashboardPolicy policy = {});
  ~DashboardService();

  // Reads every fact and the organisation (units, staff and counsellors per
  // team). Call once before use.
  absl::Status Load();
  // Applies the facts changed since the last look; returns whether any did.
  absl::StatusOr<bool> Refresh();
  // Refreshes every `every` on a thread of its own until Stop().
  void StartFollowing(std::chrono::milliseconds every);
  void Stop();

  // Increases with every applied change; the pages poll it to reload.
  std::int64_t Version() const { return version_.load(); }
  std::size_t FactCount() const;

  absl::StatusOr<DashboardView> For(const Actor& actor, const DashboardQuery& q);

  // The facts behind a drill-down query (track, state, unit, due=week|overdue,
  // year) within the actor's scope; the caller still opens each case
  // through its own service, which checks access again.
  absl::StatusOr<std::vector<dashboard::CaseFact>> Drill(const Actor& actor, const std::map<std::string, std::string>& q);

  // Calls `fn` for every fact on one of `tracks` (every fact when empty),
  // under the shared lock: the annual report reads the facts held here
  // rather than a copy of its own. `fn` must not call back into this
  // service. No access check: the caller publishes only through core/stats.
  void VisitFacts(const std::vector<std::string>& tracks, const std::function<void(const FactRef&)>& fn) const;

 private:
  struct Index;
  absl::Status LoadOrg();
  void Apply(dashboard::CaseFact&& f);

  Store& store_;
  const Clock& clock_;
  const workflow::TrackCatalogue& tracks_;
  DashboardPolicy policy_;
  std::unique_ptr<Index> index_;
  mutable std::shared_mutex mu_;
  std::atomic<std::int64_t> version_{0};
  Instant seen_until_ = 0;
  std::set<std::uint64_t> seen_at_last_;  // facts applied at seen_until_
  std::mutex follow_mu_;
  std::condition_variable follow_cv_;
  bool stopping_ = false;
  std::thread follower_;
};

}  // namespace waarborg::app
