#include "monitor/scoring.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "core/common/strings.h"

namespace waarborg::monitor {

bool Scorer::Add(const std::string& user, std::int64_t day, Evidence ev) {
  std::string key = Cat(user, "|", ev.rule, "|", ev.subject);
  if (!seen_today_.insert(std::move(key)).second) return false;
  Today& today = today_[user];
  today.points += ev.points;
  today.evidence.push_back(std::move(ev));
  if (cfg_.mode != Mode::kDetection || today.provisional) return false;
  auto it = scores_.find(user);
  const std::int64_t last_flag_day = it == scores_.end() ? UserScore{}.last_flag_day : it->second.last_flag_day;
  if (Carried(user, day) + today.points < cfg_.min_score || day - last_flag_day < cfg_.reflag_days) return false;
  today.provisional = true;
  return true;
}

double Scorer::Carried(const std::string& user, std::int64_t day) const {
  auto it = scores_.find(user);
  if (it == scores_.end() || it->second.day < 0) return 0.0;
  const double lambda = std::log(2.0) / cfg_.half_life_days;
  return it->second.score * std::exp(-lambda * static_cast<double>(day - it->second.day));
}

Flag Scorer::Provisional(const std::string& user, std::int64_t day) const {
  auto it = today_.find(user);
  if (it == today_.end()) return {user, day, Carried(user, day), {}};
  return {user, day, Carried(user, day) + it->second.points, it->second.evidence};
}

double Scorer::Score(const std::string& user) const {
  auto it = scores_.find(user);
  return it == scores_.end() ? 0.0 : it->second.score;
}

DayReport Scorer::CloseDay(std::int64_t day) {
  DayReport report;
  report.day = day;
  report.mode = cfg_.mode;
  const double lambda = std::log(2.0) / cfg_.half_life_days;
  struct Candidate {
    std::string user;
    double score;
  };
  std::vector<Candidate> candidates;
  for (auto& [user, today] : today_) {
    const auto& evidence = today.evidence;
    UserScore& us = scores_[user];
    const double carried = us.day < 0 ? 0.0 : us.score * std::exp(-lambda * static_cast<double>(day - us.day));
    double points = 0;
    for (const auto& ev : evidence) points += ev.points;
    us.score = carried + points;
    us.day = day;
    if (us.score >= cfg_.min_score && day - us.last_flag_day >= cfg_.reflag_days) {
      candidates.push_back({user, us.score});
    }
  }
  if (cfg_.mode == Mode::kDetection) {
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      return a.score != b.score ? a.score > b.score : a.user < b.user;
    });
    int k = cfg_.top_k;
    if (cfg_.flags_per_day > 0) {
      budget_carry_ += cfg_.flags_per_day;
      k = static_cast<int>(budget_carry_);
      budget_carry_ -= k;
    }
    if (static_cast<int>(candidates.size()) > k) candidates.resize(std::max(0, k));
    for (auto& c : candidates) {
      scores_[c.user].last_flag_day = day;
      report.flags.push_back({c.user, day, c.score, today_[c.user].evidence});
    }
  }
  // Aggregates in both modes: distinct users per (level, name, rule).
  std::map<std::tuple<std::string, std::string, std::string>, int> counts;
  for (auto& [user, today] : today_) {
    const auto& evidence = today.evidence;
    const StaffMember* s = ctx_.FindStaff(user);
    std::unordered_set<std::string> rules;
    for (const auto& ev : evidence) rules.insert(ev.rule);
    for (const auto& rule : rules) {
      ++counts[{"eenheid", s ? s->unit : "onbekend", rule}];
      ++counts[{"team", s ? s->team : "onbekend", rule}];
    }
  }
  for (auto& [key, n] : counts) {
    Aggregate a{std::get<0>(key), std::get<1>(key), std::get<2>(key), n, false};
    if (n < cfg_.suppress_below) {
      a.users = 0;
      a.suppressed = true;
    }
    report.aggregates.push_back(std::move(a));
  }
  today_.clear();
  seen_today_.clear();
  return report;
}

Engine::Engine(const Context& context, EngineConfig config, std::function<void(const DayReport&)> sink)
    : ctx_(context),
      explainers_(context, config.explainers),
      rules_(context, config.rules),
      scorer_(context, config.scoring),
      sink_(std::move(sink)) {}

void Engine::Process(const Event& e) {
  // Late events (slightly out of order) count into the current day.
  const std::int64_t day = std::max(rules_.LocalDay(e.time), day_);
  if (day_ >= 0 && day > day_) CloseDay();
  day_ = day;
  ++events_;
  explainers_.Explain(e, verdict_);
  for (auto& ev : rules_.OnEvent(e, verdict_)) {
    const std::string& user = ctx_.UserName(e.user);
    if (scorer_.Add(user, day, std::move(ev)) && provisional_) provisional_(scorer_.Provisional(user, day));
  }
}

void Engine::Process(const LookupEvent& e) {
  Intern(ctx_, e, interned_);
  Process(interned_);
}

void Engine::CloseDay() {
  for (auto& [user, ev] : rules_.EndDay(day_)) scorer_.Add(ctx_.UserName(user), day_, std::move(ev));
  DayReport report = scorer_.CloseDay(day_);
  if (sink_) sink_(report);
}

void Engine::Flush() {
  if (day_ >= 0) CloseDay();
  day_ = -1;
}

}  // namespace waarborg::monitor
