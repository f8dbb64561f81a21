// A seeded generator of a police organisation with daily look-ups and
// labelled injected misuse scenarios, for evaluation and benchmarks. The
// side tables it builds are keyed by pseudonyms; its events carry the real
// (synthetic) user ids, as a source system would, so ingestion must
// pseudonymise them with the same Pseudonymizer.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "monitor/context.h"
#include "monitor/event.h"
#include "monitor/pseudonym.h"

namespace waarborg::monitor {

// The injected scenarios, in the order they are assigned round-robin.
inline constexpr std::string_view kScenarios[] = {"buurman",
                                                  "ex-partner",
                                                  "bekende_nederlander",
                                                  "collega",
                                                  "familielid",
                                                  "bulk_voor_lek",
                                                  "nieuwsgierig_buiten_dienst",
                                                  "zaak_buiten_regio",
                                                  "overgenomen_account"};
inline constexpr int kScenarioCount = 9;

struct SynthConfig {
  int staff = 1000;
  int days = 30;
  std::uint64_t seed = 42;
  std::int64_t first_day = 20689;  // local day number of day 0 (2026-08-25)
  int units = 10;
  int team_size = 20;
  int subjects_per_unit = 20000;
  double scenarios_per_1000_staff_per_day = 0.1;  // 10,000 staff x 90 days: 90 scenarios
  int learning_days = 14;                         // no scenario before this day
};

// A labelled scenario: which user, what, and from which day.
struct ScenarioLabel {
  std::string user;       // the real (synthetic) user id
  std::string pseudonym;  // under the generator's Pseudonymizer
  std::string scenario;   // one of kScenarios
  int day = 0;            // 0-based day of the first injected look-up
};

// Generates the organisation at construction and the look-ups day by day.
class Synthetic {
 public:
  // `pseudonyms` keys the side tables; it must be the one used at ingestion.
  Synthetic(SynthConfig config, Pseudonymizer pseudonyms);

  // The side tables (indexed). Dispatches and record authors of a day are
  // added by GenerateDay, so generate a day before explaining its events.
  const Context& context() const { return ctx_; }
  // The injected scenarios, fixed at construction.
  const std::vector<ScenarioLabel>& labels() const { return labels_; }
  // The configuration in force.
  const SynthConfig& config() const { return cfg_; }

  // The look-ups of 0-based day `d`, in time order, replacing `out`.
  void GenerateDay(int d, std::vector<LookupEvent>& out);

 private:
  struct Person {
    std::string id;  // real synthetic id
    std::string pseudonym;
    int unit = 0;
    int team = 0;
    double workload = 20;
    int shift_offset = 0;
    std::vector<std::string> active_cases;  // refreshed per day
    std::vector<std::string> authored;
    std::vector<std::string> terminals;
  };

  std::string Geohash(int region);
  std::string NewSubject(int region, std::string surname = "", std::string geohash = "");
  std::string RandomSubject(int region);
  std::string Surname();
  Interval Shift(const Person& p, int d) const;
  bool OnLeave(const Person& p, std::int64_t t) const;
  void Inject(const ScenarioLabel& label, int d, std::vector<LookupEvent>& out);
  LookupEvent Base(const Person& p, std::int64_t t);

  SynthConfig cfg_;
  Pseudonymizer pseudonyms_;
  std::mt19937_64 rng_;
  Context ctx_;
  std::vector<Person> people_;
  std::vector<std::vector<std::string>> unit_subjects_;
  std::vector<std::string> vips_;
  std::vector<std::string> surnames_;
  std::discrete_distribution<int> surname_dist_;
  std::vector<std::vector<std::string>> team_cases_;  // per team, case ids
  std::vector<ScenarioLabel> labels_;
  std::unordered_map<std::string, std::pair<std::string, std::string>> partners_;  // ex-partner scenario
  std::int64_t next_subject_ = 0;
};

}  // namespace waarborg::monitor
