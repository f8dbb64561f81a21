// Tests of the synthetic organisation generator.
#include "monitor/synthetic.h"

#include <gtest/gtest.h>

#include <set>

#include "monitor/pseudonym.h"
#include "monitor/scoring.h"

namespace waarborg::monitor {
namespace {

SynthConfig Small() {
  SynthConfig c;
  c.staff = 200;
  c.days = 30;
  c.subjects_per_unit = 300;
  c.scenarios_per_1000_staff_per_day = 1.5;  // 9 scenarios, one of each
  return c;
}

Pseudonymizer Key() { return *Pseudonymizer::Create(std::string(32, 'e')); }

TEST(MonitorSynthetic, SameSeedGivesSameLookupsAndEveryScenarioIsLabelled) {
  Synthetic a(Small(), Key());
  Synthetic b(Small(), Key());
  std::vector<LookupEvent> ea, eb;
  a.GenerateDay(0, ea);
  b.GenerateDay(0, eb);
  ASSERT_FALSE(ea.empty());
  ASSERT_EQ(ea.size(), eb.size());
  EXPECT_EQ(ToJsonLine(ea.back()), ToJsonLine(eb.back()));
  std::set<std::string> kinds;
  for (const auto& l : a.labels()) kinds.insert(l.scenario);
  EXPECT_EQ(kinds.size(), static_cast<std::size_t>(kScenarioCount));
}

TEST(MonitorSynthetic, EventsCarryRealIdsAndTablesOnlyPseudonyms) {
  Synthetic s(Small(), Key());
  std::vector<LookupEvent> events;
  s.GenerateDay(0, events);
  EXPECT_EQ(events[0].user.rfind("medewerker-", 0), 0u);
  for (const auto& [key, staff] : s.context().staff) EXPECT_EQ(key.find("medewerker"), std::string::npos);
}

TEST(MonitorSynthetic, MostOrdinaryLookupsAreExplained) {
  Synthetic s(Small(), Key());
  Pseudonymizer p = Key();
  Engine engine(s.context(), EngineConfig{}, nullptr);
  std::vector<LookupEvent> events;
  for (int d = 0; d < 3; ++d) {
    s.GenerateDay(d, events);
    for (auto& e : events) {
      p.Apply(e);
      engine.Process(e);
    }
  }
  engine.Flush();
  EXPECT_GT(engine.coverage().Share(), 0.85);
  EXPECT_LT(engine.coverage().Share(), 0.99);
}

}  // namespace
}  // namespace waarborg::monitor
