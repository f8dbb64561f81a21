// Scores, flags and governance. Evidence points are summed per user and day,
// carried over with exponential decay, and the day's top K users become flags
// in detection mode. Trend mode never produces an individual flag: only unit
// and team aggregates, with small counts suppressed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "monitor/context.h"
#include "monitor/event.h"
#include "monitor/explainers.h"
#include "monitor/rules.h"

namespace waarborg::monitor {

// Governance mode. Trend is the prevention phase; detection needs a decision
// (works council) and is switched by an admin (later slice).
enum class Mode : std::uint8_t { kTrend, kDetection };

struct ScoringConfig {
  Mode mode = Mode::kTrend;
  double half_life_days = 3.0;  // decay of carried-over points
  double min_score = 6.0;       // below this no flag
  int top_k = 5;                // flags per day at most
  // When > 0, replaces top_k by a budget in flags per day that may be
  // fractional (0.25 per 1,000 staff); the unused remainder carries over.
  double flags_per_day = 0;
  int reflag_days = 14;    // a flagged user is not flagged again within this
  int suppress_below = 5;  // aggregates under this count are suppressed
};

// One flag: a user (pseudonym) whose score reached the day's top K.
struct Flag {
  std::string user;
  std::int64_t day = 0;  // local day number
  double score = 0;
  std::vector<Evidence> evidence;  // the day's evidence, deduplicated
};

// Number of distinct users with evidence of one rule in one unit or team.
struct Aggregate {
  std::string level;  // "eenheid" or "team"
  std::string name;
  std::string rule;
  int users = 0;            // 0 when suppressed
  bool suppressed = false;  // true when fewer than suppress_below users
};

// What one day produced. In trend mode `flags` is always empty.
struct DayReport {
  std::int64_t day = 0;
  Mode mode = Mode::kTrend;
  std::vector<Flag> flags;
  std::vector<Aggregate> aggregates;
};

// Accumulates evidence per user and day and closes days into reports.
class Scorer {
 public:
  Scorer(const Context& context, ScoringConfig config) : ctx_(context), cfg_(config) {}

  // Adds `ev` for `user` on `day`. The same rule on the same subject counts
  // once per user and day. Returns true when, in detection mode, this
  // evidence lifts the user's running score (the carried-over score decayed
  // to `day` plus today's points so far) to min_score for the first time
  // today, outside the reflag window: the moment a streaming reader can raise
  // a provisional flag (see Engine::OnProvisionalFlag).
  bool Add(const std::string& user, std::int64_t day, Evidence ev);

  // The provisional flag of `user` on `day`: the running score and today's
  // evidence so far.
  Flag Provisional(const std::string& user, std::int64_t day) const;

  // Decays, ranks and reports `day`; clears the day's evidence.
  DayReport CloseDay(std::int64_t day);

  // The decayed score of `user` as of its last update (0 if unknown).
  double Score(const std::string& user) const;

  // The configuration in force.
  const ScoringConfig& config() const { return cfg_; }

 private:
  struct UserScore {
    double score = 0;
    std::int64_t day = -1;
    std::int64_t last_flag_day = -1000000;
  };
  struct Today {
    std::vector<Evidence> evidence;
    double points = 0;
    bool provisional = false;  // a provisional flag was raised today
  };
  // The score carried over from before `day`, decayed to `day`.
  double Carried(const std::string& user, std::int64_t day) const;

  const Context& ctx_;
  ScoringConfig cfg_;
  std::unordered_map<std::string, UserScore> scores_;
  std::unordered_map<std::string, Today> today_;
  std::unordered_set<std::string> seen_today_;  // user|rule|subject
  double budget_carry_ = 0;
};

struct EngineConfig {
  ExplainerConfig explainers;
  RuleConfig rules;
  ScoringConfig scoring;
};

// The whole pipeline for pseudonymised events in time order: explain, rules,
// score. Closes a day when the first event of a later day arrives (or on
// Flush) and hands the report to the sink.
//
// Streaming: the day's flags are ranked at its close, since the daily budget
// compares users with each other. A reader that cannot wait for the close can
// ask for provisional flags: the moment evidence lifts a user's running score
// to the flag threshold (detection mode only, outside the reflag window), the
// engine hands that user's flag as it stands. It is a heads-up, not a flag of
// the day: the close still ranks and budgets as before, and may leave it out.
// Volume evidence exists only at the close, so a flag that rests on volume
// alone comes with the day report.
class Engine {
 public:
  Engine(const Context& context, EngineConfig config, std::function<void(const DayReport&)> sink);

  // Receives provisional flags (see above); none without this.
  void OnProvisionalFlag(std::function<void(const Flag&)> sink) { provisional_ = std::move(sink); }

  // Processes one interned event (ingest.h). Events should come in time
  // order; an event of a day already closed counts into the current day.
  void Process(const Event& e);
  // Starts loading what Process(e) will read: the explainer index entries and
  // the user's rule state. A reader that has the next event before it
  // processes the current one calls this for the next: the cache misses of
  // the two events then overlap (about a third faster with 10,000 staff,
  // whose indexes are far larger than the cache).
  void Prefetch(const Event& e) const {
    for (std::uint32_t s : e.subjects) ctx_.Prefetch(e.user, s);
    rules_.Prefetch(e);
  }
  // The same for a pseudonymised LookupEvent, interned first.
  void Process(const LookupEvent& e);
  // Closes the current day, if any.
  void Flush();

  // Explanation coverage so far.
  const Coverage& coverage() const { return explainers_.coverage(); }
  // Events processed so far.
  std::int64_t events() const { return events_; }
  // Users with rule state, and the bytes of that state (Rules::StateBytes).
  std::size_t users() const { return rules_.users(); }
  std::size_t StateBytes() const { return rules_.StateBytes(); }

 private:
  // Volume rules, scoring and the report of day_, handed to the sink.
  void CloseDay();
  const Context& ctx_;
  Explainers explainers_;
  Rules rules_;
  Scorer scorer_;
  std::function<void(const DayReport&)> sink_;
  std::function<void(const Flag&)> provisional_;
  std::int64_t day_ = -1;
  std::int64_t events_ = 0;
  Event interned_;        // reused by Process(const LookupEvent&)
  EventVerdict verdict_;  // reused by Process
};

}  // namespace waarborg::monitor
