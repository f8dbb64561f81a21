// Rules on the unexplained remainder: relation, sensitive subject, time,
// volume against own baseline and peers, rare region and a taken-over account.
// Each hit is evidence: points, a plain-Dutch line and what would clear it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "monitor/context.h"
#include "monitor/event.h"
#include "monitor/explainers.h"
#include "monitor/ingest.h"
#include "monitor/intern.h"
#include "monitor/local_time.h"

namespace waarborg::monitor {

// Rule identifiers; stable, used in aggregates and reports.
inline constexpr std::string_view kRuleSameSurname = "relatie.achternaam";
inline constexpr std::string_view kRuleNearHome = "relatie.woonomgeving";
inline constexpr std::string_view kRuleColleague = "relatie.collega";
inline constexpr std::string_view kRuleOwnRecord = "relatie.eigen_registratie";
inline constexpr std::string_view kRuleDeclared = "relatie.gemelde_relatie";
inline constexpr std::string_view kRuleVip = "gevoelig.vip";
inline constexpr std::string_view kRuleShielded = "gevoelig.afgeschermd";
inline constexpr std::string_view kRuleUnderInvestigation = "gevoelig.in_onderzoek";
inline constexpr std::string_view kRuleOffRoster = "tijd.buiten_rooster";
inline constexpr std::string_view kRuleOnLeave = "tijd.verlof";
inline constexpr std::string_view kRuleNight = "tijd.nacht";
inline constexpr std::string_view kRuleVolumeOwn = "volume.eigen_patroon";
inline constexpr std::string_view kRuleVolumePeers = "volume.collega_groep";
inline constexpr std::string_view kRuleRareRegion = "regio.eerste_keer";
inline constexpr std::string_view kRuleTakenOver = "account.overgenomen";
inline constexpr std::string_view kRuleNewKind = "soort.eerste_keer";
inline constexpr std::string_view kRuleEnumeration = "reeks.opeenvolgend";

// One rule hit.
struct Evidence {
  std::string rule;  // one of the kRule* identifiers
  int points = 0;
  std::string subject;  // the subject concerned, empty for user-level rules
  std::int64_t time = 0;
  std::string text;    // plain Dutch, for the analyst
  std::string clears;  // plain Dutch: what would explain it away
};

struct RuleConfig {
  // Hours and days are local: Europe/Amsterdam, summer time included (local_time.h).
  int night_start_hour = 0;  // night is [start, end) local time
  int night_end_hour = 6;
  std::int64_t roster_slack_s = 3600;  // before and after a shift still counts as on duty
  std::size_t near_home_prefix = 5;    // shared geohash characters (~5 km)
  std::size_t region_prefix = 3;       // geohash characters of a "region" (at most 7)
  // A region new to the user is evidence only from this many distinct
  // unexplained subjects there on one day: a single look-up elsewhere is
  // everyday work (a plate from another region), a series is the pattern.
  std::size_t rare_region_min_subjects = 2;
  int learning_days = 7;  // days of history before baseline rules fire
  int baseline_days = 28;
  double volume_z = 5.0;  // robust z above which volume is evidence
  int min_volume = 10;    // unexplained look-ups needed for volume evidence
  std::size_t min_peer_group = 5;
  int burst_count = 20;               // look-ups from one new terminal ...
  std::int64_t burst_window_s = 900;  // ... within this window
  // Points per rule.
  int pts_same_surname = 3, pts_near_home = 3, pts_colleague = 3, pts_own_record = 4, pts_declared = 2;
  int pts_vip = 4, pts_shielded = 4, pts_under_investigation = 4;
  int pts_off_roster = 2, pts_on_leave = 3, pts_night = 1;
  int pts_rare_region = 2, pts_taken_over = 8, max_volume_points = 8;
  int pts_new_kind = 2, pts_enumeration = 4;
  // Sequential enumeration: this many unexplained subjects in a row whose
  // numbers differ by at most `enumeration_step`, each within
  // `enumeration_gap_s` of the one before.
  int enumeration_run = 5;
  std::int64_t enumeration_step = 2;
  std::int64_t enumeration_gap_s = 600;
};

// Median and scaled median absolute deviation (1.4826 * MAD) of `v`; {0, 0}
// for an empty input.
struct RobustStats {
  double median = 0;
  double mad = 0;
};
RobustStats MedianMad(std::vector<double> v);

// Evaluates the rules. Keeps a small per-user state (known terminals, regions,
// a 28-day history of daily counts). Feed events in time order; call EndDay
// after the last event of each local day.
class Rules {
 public:
  explicit Rules(const Context& context, RuleConfig config = {}) : ctx_(context), cfg_(config) {}

  // The local day number (days since the epoch in local time) of `t`.
  std::int64_t LocalDay(std::int64_t t) const { return AmsterdamDay(t); }

  // Evidence for look-up `e` given its verdict: the relation, sensitive-subject,
  // time and region rules for the unexplained subjects, and the taken-over
  // account rule for every look-up. Updates the user's state.
  std::vector<Evidence> OnEvent(const Event& e, const EventVerdict& verdict);

  // Volume evidence of `day` per user (Context user id) against the user's
  // own baseline and against peers of the same role and unit; then rolls the
  // day's counts into the baselines.
  std::vector<std::pair<std::uint32_t, Evidence>> EndDay(std::int64_t day);

  // Starts loading the state that OnEvent(e) will read (see Engine::Prefetch).
  void Prefetch(const Event& e) const {
    if (e.user < users_.size()) {
      // The state record spans a few cache lines; OnEvent reads them all.
      const char* p = reinterpret_cast<const char*>(&users_[e.user]);
      for (std::size_t off = 0; off < sizeof(UserState); off += 64) __builtin_prefetch(p + off);
    }
    for (std::uint32_t s : e.subjects) {
      if (s < region_of_.size()) __builtin_prefetch(&region_of_[s]);
    }
  }

  // Number of users with state.
  std::size_t users() const { return active_users_; }
  // Bytes of per-user state: the state records of the users with state plus
  // the heap their containers hold (capacity, not size).
  std::size_t StateBytes() const;

 private:
  // Today's unexplained subjects in one region new to the user, and the
  // evidence held back until the series is long enough.
  struct NewRegionToday {
    std::uint64_t region = 0;
    std::vector<std::uint32_t> subjects;
    std::vector<Evidence> held;
  };
  // Per user; small vectors rather than hash sets, since a user has a few
  // terminals and regions, and the 4 KB per user budget counts.
  struct UserState {
    std::int64_t first_day = -1;
    std::int64_t today = -1;
    int count_today = 0;
    int unexplained_today = 0;
    std::uint32_t group = kNoId;         // peer group: role and unit
    std::uint32_t new_terminal = kNoId;  // unknown terminal used today
    bool takeover_reported = false;
    // The kinds of look-up (action x query type) this user has made, as bits.
    std::uint32_t kinds = 0;
    // The current run of sequential subject numbers.
    std::int64_t run_last_number = -1, run_last_time = 0, run_first_number = -1;
    int run_length = 0;
    std::vector<int> history;  // unexplained look-ups of past active days, oldest first
    std::vector<std::uint32_t> terminals;
    std::vector<std::uint32_t> pending_terminals;                 // learned at EndDay
    std::vector<std::pair<std::uint64_t, std::int64_t>> regions;  // region key -> first day seen
    std::vector<NewRegionToday> new_regions_today;
    std::vector<std::int64_t> new_terminal_times;
  };

  // The first region_prefix characters of a geohash as one integer.
  std::uint64_t RegionKey(std::string_view geohash) const;
  // The region key of `subject`, 0 when it has none (no row or a short
  // geohash). Cached by subject id: every look-up learns its region, and the
  // cache spares a visit to the subject row.
  std::uint64_t RegionOf(std::uint32_t subject);
  // Time rules; `subject` is the first unexplained subject, so the same
  // subject at odd hours counts once a day but different subjects add up.
  void TimeRules(const Event& e, const StaffMember* staff, std::string_view subject, std::vector<Evidence>& out) const;
  void SubjectRules(const Event& e, const StaffMember* staff, const SubjectVerdict& v, UserState& st, bool established,
                    std::vector<Evidence>& out);
  std::string Clears(const Event& e, std::string_view subject) const;
  // A kind of look-up (action and query type) the established user never
  // made; an unexplained subject whose number continues a sequence.
  void KindRule(const Event& e, UserState& st, bool established, std::string_view subject, std::vector<Evidence>& out);
  void EnumerationRule(const Event& e, UserState& st, std::uint32_t subject, std::vector<Evidence>& out);

  const Context& ctx_;
  RuleConfig cfg_;
  std::vector<UserState> users_;  // by Context user id
  std::size_t active_users_ = 0;
  Interner groups_;                       // "role|unit"
  std::vector<std::uint64_t> region_of_;  // by subject id; 0 = not known yet
};

}  // namespace waarborg::monitor
