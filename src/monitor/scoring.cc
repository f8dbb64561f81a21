#include "monitor/scoring.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "core/common/strings.h"

namespace waarborg::monitor {

void Scorer::Add(const std::string& user, std::int64_t day, Evidence ev) {
  std::string key = Cat(user, "|", ev.rule, "|", ev.subject);
  if (!seen_today_.insert(std::move(key)).second) return;
  today_[user].push_back(std::move(ev));
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
  for (auto& [user, evidence] : today_) {
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
      report.flags.push_back({c.user, day, c.score, today_[c.user]});
    }
  }
  // Aggregates in both modes: distinct users per (level, name, rule).
  std::map<std::tuple<std::string, std::string, std::string>, int> counts;
  for (auto& [user, evidence] : today_) {
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
    : explainers_(context, config.explainers),
      rules_(context, config.rules),
      scorer_(context, config.scoring),
      sink_(std::move(sink)) {}

void Engine::Process(const LookupEvent& e) {
  // Late events (slightly out of order) count into the current day.
  const std::int64_t day = std::max(rules_.LocalDay(e.time), day_);
  if (day_ >= 0 && day > day_) CloseDay();
  day_ = day;
  ++events_;
  EventVerdict verdict = explainers_.Explain(e);
  for (auto& ev : rules_.OnEvent(e, verdict)) scorer_.Add(e.user, day, std::move(ev));
}

void Engine::CloseDay() {
  for (auto& [user, ev] : rules_.EndDay(day_)) scorer_.Add(user, day_, std::move(ev));
  DayReport report = scorer_.CloseDay(day_);
  if (sink_) sink_(report);
}

void Engine::Flush() {
  if (day_ >= 0) CloseDay();
  day_ = -1;
}

}  // namespace waarborg::monitor
