// Rules on the unexplained remainder: relation, sensitive subject, time,
// volume against own baseline and peers, rare region and a taken-over account.
// Each hit is evidence: points, a plain-Dutch line and what would clear it.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "monitor/context.h"
#include "monitor/event.h"
#include "monitor/explainers.h"

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

// One rule hit.
struct Evidence {
  std::string rule;     // one of the kRule* identifiers
  int points = 0;
  std::string subject;  // the subject concerned, empty for user-level rules
  std::int64_t time = 0;
  std::string text;     // plain Dutch, for the analyst
  std::string clears;   // plain Dutch: what would explain it away
};

struct RuleConfig {
  std::int64_t utc_offset_s = 3600;  // local (Dutch winter) time for roster and night
  int night_start_hour = 0;          // night is [start, end) local time
  int night_end_hour = 6;
  std::int64_t roster_slack_s = 3600;  // before and after a shift still counts as on duty
  std::size_t near_home_prefix = 5;    // shared geohash characters (~5 km)
  std::size_t region_prefix = 3;       // geohash characters of a "region"
  // A region new to the user is evidence only from this many distinct
  // unexplained subjects there on one day: a single look-up elsewhere is
  // everyday work (a plate from another region), a series is the pattern.
  std::size_t rare_region_min_subjects = 2;
  int learning_days = 7;               // days of history before baseline rules fire
  int baseline_days = 28;
  double volume_z = 5.0;               // robust z above which volume is evidence
  int min_volume = 10;                 // unexplained look-ups needed for volume evidence
  std::size_t min_peer_group = 5;
  int burst_count = 20;                // look-ups from one new terminal ...
  std::int64_t burst_window_s = 900;   // ... within this window
  // Points per rule.
  int pts_same_surname = 3, pts_near_home = 3, pts_colleague = 3, pts_own_record = 4, pts_declared = 2;
  int pts_vip = 4, pts_shielded = 4, pts_under_investigation = 4;
  int pts_off_roster = 2, pts_on_leave = 3, pts_night = 1;
  int pts_rare_region = 2, pts_taken_over = 8, max_volume_points = 8;
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
  std::int64_t LocalDay(std::int64_t t) const { return (t + cfg_.utc_offset_s) / 86400; }

  // Evidence for look-up `e` given its verdict: the relation, sensitive-subject,
  // time and region rules for the unexplained subjects, and the taken-over
  // account rule for every look-up. Updates the user's state.
  std::vector<Evidence> OnEvent(const LookupEvent& e, const EventVerdict& verdict);

  // Volume evidence of `day` per user (pseudonym) against the user's own
  // baseline and against peers of the same role and unit; then rolls the
  // day's counts into the baselines.
  std::vector<std::pair<std::string, Evidence>> EndDay(std::int64_t day);

  // Number of users with state.
  std::size_t users() const { return users_.size(); }

 private:
  struct UserState {
    std::int64_t first_day = -1;
    std::int64_t today = -1;
    int count_today = 0;
    int unexplained_today = 0;
    std::deque<int> history;  // unexplained look-ups of past active days
    std::unordered_set<std::string> terminals;
    std::unordered_map<std::string, std::int64_t> regions;  // region -> first day seen
    // Today's unexplained subjects per region new to the user, and the
    // evidence held back until the series is long enough.
    struct NewRegionToday {
      std::vector<std::string> subjects;
      std::vector<Evidence> held;
    };
    std::unordered_map<std::string, NewRegionToday> new_regions_today;
    std::string new_terminal;                 // unknown terminal used today
    std::deque<std::int64_t> new_terminal_times;
    bool takeover_reported = false;
    std::vector<std::string> pending_terminals;  // learned at EndDay
    std::string role_unit;
  };

  // Time rules; `subject` is the first unexplained subject, so the same
  // subject at odd hours counts once a day but different subjects add up.
  void TimeRules(const LookupEvent& e, const StaffMember* staff, std::string_view subject,
                 std::vector<Evidence>& out) const;
  void SubjectRules(const LookupEvent& e, const StaffMember* staff, const SubjectVerdict& v, UserState& st,
                    bool established, std::vector<Evidence>& out) const;
  std::string Clears(const LookupEvent& e, std::string_view subject) const;

  const Context& ctx_;
  RuleConfig cfg_;
  std::unordered_map<std::string, UserState> users_;
};

}  // namespace waarborg::monitor
