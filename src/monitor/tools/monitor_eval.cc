// Evaluates the Protective Monitoring engine on the synthetic organisation:
// recall at flag budgets, per-scenario recall, precision, time to detect,
// explanation coverage and the share of innocent staff flagged.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <CLI/CLI.hpp>

#include "monitor/pseudonym.h"
#include "monitor/scoring.h"
#include "monitor/synthetic.h"

using namespace waarborg::monitor;

namespace {

struct Result {
  double budget = 0;
  int flags = 0;
  int true_flags = 0;
  std::map<std::string, std::pair<int, int>> per_scenario;  // detected, total
  int detected = 0;
  int labels = 0;
  std::vector<int> delays;
  double coverage = 0;
  int innocent_flagged = 0;
  int innocent = 0;
  double engine_s = 0;
  std::int64_t events = 0;
  // Which rules raised the flags on innocent staff, by set of rule ids.
  std::map<std::string, int> innocent_rule_sets;
};

Result Run(const SynthConfig& sc, double budget, int window_days) {
  auto pseud = Pseudonymizer::Create(std::string(32, 'e'));
  Synthetic synth(sc, *pseud);
  EngineConfig ec;
  ec.scoring.mode = Mode::kDetection;
  ec.scoring.flags_per_day = budget * sc.staff / 1000.0;
  std::unordered_map<std::string, std::vector<int>> flag_days;  // pseudonym -> 0-based days
  std::unordered_map<std::string, std::vector<std::string>> flag_rules;  // pseudonym -> rule sets
  int flags = 0;
  Engine engine(synth.context(), ec, [&](const DayReport& r) {
    for (const auto& f : r.flags) {
      flag_days[f.user].push_back(static_cast<int>(f.day - sc.first_day));
      std::set<std::string> rules;
      for (const auto& ev : f.evidence) rules.insert(ev.rule);
      std::string key;
      for (const auto& rule : rules) key += (key.empty() ? "" : " + ") + rule;
      flag_rules[f.user].push_back(std::move(key));
      ++flags;
    }
  });
  std::vector<LookupEvent> events;
  double engine_s = 0;
  for (int d = 0; d < sc.days; ++d) {
    synth.GenerateDay(d, events);
    auto t0 = std::chrono::steady_clock::now();
    for (auto& e : events) {
      pseud->Apply(e);
      engine.Process(e);
    }
    engine_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  engine.Flush();

  Result res;
  res.budget = budget;
  res.flags = flags;
  res.engine_s = engine_s;
  res.events = engine.events();
  res.coverage = engine.coverage().Share();
  std::unordered_set<std::string> scenario_users;
  std::map<std::string, std::set<int>> true_days;
  for (const auto& l : synth.labels()) {
    scenario_users.insert(l.pseudonym);
    ++res.labels;
    auto& ps = res.per_scenario[l.scenario];
    ++ps.second;
    int first = -1;
    for (int fd : flag_days[l.pseudonym]) {
      if (fd >= l.day && fd <= l.day + window_days) {
        true_days[l.pseudonym].insert(fd);
        if (first < 0 || fd < first) first = fd;
      }
    }
    if (first >= 0) {
      ++res.detected;
      ++ps.first;
      res.delays.push_back(first - l.day);
    }
  }
  for (const auto& [user, days] : true_days) res.true_flags += static_cast<int>(days.size());
  res.innocent = sc.staff - static_cast<int>(scenario_users.size());
  for (const auto& [user, days] : flag_days) {
    if (!days.empty() && !scenario_users.contains(user)) {
      ++res.innocent_flagged;
      for (const auto& key : flag_rules[user]) ++res.innocent_rule_sets[key];
    }
  }
  return res;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Evaluate the Protective Monitoring engine on synthetic data"};
  SynthConfig sc;
  int window = 14;
  std::vector<double> budgets = {0.25, 0.5, 1.0};
  bool why_innocent = false;
  app.add_option("--staff", sc.staff, "number of staff")->capture_default_str();
  app.add_option("--days", sc.days, "number of days")->capture_default_str();
  app.add_option("--seed", sc.seed, "random seed")->capture_default_str();
  app.add_option("--window", window, "days after a scenario starts in which a flag counts")->capture_default_str();
  app.add_option("--budgets", budgets, "flags per 1,000 staff per day")->capture_default_str();
  app.add_flag("--why-innocent", why_innocent, "list the rule combinations behind the flags on innocent staff");
  CLI11_PARSE(app, argc, argv);

  std::printf("staff %d, days %d, seed %llu, detection window %d days\n", sc.staff, sc.days,
              static_cast<unsigned long long>(sc.seed), window);
  for (double b : budgets) {
    Result r = Run(sc, b, window);
    std::sort(r.delays.begin(), r.delays.end());
    const double median_delay = r.delays.empty() ? NAN : r.delays[r.delays.size() / 2];
    const double share = r.innocent ? static_cast<double>(r.innocent_flagged) / r.innocent : 0;
    const double yearly = 1 - std::pow(1 - share, 365.0 / sc.days);
    std::printf("\nbudget %.2f flags/1000 staff/day: flags %d (%.3f /1000/day)\n", b, r.flags,
                r.flags * 1000.0 / sc.staff / sc.days);
    std::printf("  recall %.3f (%d/%d), precision %.3f, median days to detect %.0f\n",
                r.labels ? static_cast<double>(r.detected) / r.labels : 0.0, r.detected, r.labels,
                r.flags ? static_cast<double>(r.true_flags) / r.flags : 0.0, median_delay);
    std::printf("  explanation coverage %.4f; innocent staff flagged %.4f in %d days (%.4f a year if it continued)\n",
                r.coverage, share, sc.days, yearly);
    std::printf("  engine: %lld events in %.2f s (%.0f events/s incl. pseudonymising)\n",
                static_cast<long long>(r.events), r.engine_s, r.events / r.engine_s);
    for (const auto& [name, p] : r.per_scenario) {
      std::printf("    %-28s %d/%d = %.2f\n", name.c_str(), p.first, p.second,
                  p.second ? static_cast<double>(p.first) / p.second : 0.0);
    }
    if (why_innocent) {
      std::vector<std::pair<int, std::string>> sets;
      for (const auto& [k, n] : r.innocent_rule_sets) sets.push_back({n, k});
      std::sort(sets.rbegin(), sets.rend());
      std::printf("  flags on innocent staff by rules:\n");
      for (const auto& [n, k] : sets) std::printf("    %5d  %s\n", n, k.c_str());
    }
  }
  return 0;
}
