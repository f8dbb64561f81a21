// stats_bench: how long core/stats takes to protect a dashboard table
// (issue 5 §3). Target: a few hundred rows × ~20 columns well under 10 ms.
//
//   build/stats_bench [--benchmark_filter=...]
//
// The organisation: korps > 10 eenheden > 4 districten > 6 teams (291 rows);
// the columns: CalendarYear (jaar > 4 kwartalen > 12 maanden, 17 columns).
// Counts per team and month are Poisson with the mean in the benchmark's
// name (a fixed seed): mean 6 leaves about a quarter of the non-zero cells
// sensitive, mean 2 about three quarters (the engine's worst case: every
// one needs a witness), mean 0.3 is the realistic integrity dashboard, which
// falls back to districts.
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "core/stats/protect.h"
#include "core/stats/table.h"

namespace {

using namespace waarborg::stats;

Dimension Organisation() {
  Dimension d("Korps");
  d.SetLevelNames({"korps", "eenheid", "district", "team"});
  for (int u = 0; u < 10; ++u) {
    const int un = d.Add(0, "Eenheid " + std::to_string(u + 1));
    for (int k = 0; k < 4; ++k) {
      const int dn = d.Add(un, "District " + std::to_string(u + 1) + "." + std::to_string(k + 1));
      for (int t = 0; t < 6; ++t) d.Add(dn, "Team " + std::to_string(t + 1));
    }
  }
  return d;
}

Table TeamsByMonth(double mean, unsigned seed = 2026) {
  std::mt19937 rng(seed);
  std::poisson_distribution<int> count(mean);
  Table t(Organisation(), CalendarYear(2026));
  for (int r : t.rows().Leaves())
    for (int c : t.cols().Leaves()) (void)t.Set(r, c, count(rng));
  return t;
}

Table TeamsByCategory(const Table& by_month, unsigned seed = 7) {
  std::mt19937 rng(seed);
  Dimension cats("Totaal");
  for (int k = 0; k < 8; ++k) cats.Add(0, "Categorie " + std::to_string(k + 1));
  Table t(by_month.rows(), cats);
  const std::vector<int> leaves = t.cols().Leaves();
  std::uniform_int_distribution<int> pick(0, static_cast<int>(leaves.size()) - 1);
  for (int r : t.rows().Leaves())
    for (std::int64_t n = by_month.Value(r, 0); n > 0; --n) (void)t.Add(r, leaves[pick(rng)], 1);
  return t;
}

// rows × cols published, how many cells suppressed, how many of the asked
// table were sensitive (0 < n < 5, margins included), and the Detail.
void Report(benchmark::State& state, const Table& asked, const PublishedTable& p) {
  int sensitive = 0;
  for (std::int64_t n : asked.AllValues()) sensitive += n > 0 && n < 5;
  state.counters["sensitive"] = sensitive;
  state.counters["rows"] = p.rows().size();
  state.counters["cols"] = p.cols().size();
  state.counters["suppressed"] = p.suppressed_count();
  state.counters["detail"] = static_cast<int>(p.detail());
}

void BM_ProtectAsIs(benchmark::State& state) {
  const Table t = TeamsByMonth(state.range(0) / 10.0);
  PublishedTable p = ProtectAsIs(t);
  for (auto _ : state) {
    p = ProtectAsIs(t);
    benchmark::DoNotOptimize(p);
  }
  Report(state, t, p);
}
// Mean 6, 2 and 0.3 reports per team per month (the argument is 10 × the mean).
BENCHMARK(BM_ProtectAsIs)->Arg(60)->Arg(20)->Arg(3)->Unit(benchmark::kMillisecond);

void BM_ProtectWithDistrictFallback(benchmark::State& state) {
  const Table t = TeamsByMonth(state.range(0) / 10.0);
  Policy policy;
  policy.district_depth = 2;
  PublishedTable p = Protect(t, policy);
  for (auto _ : state) {
    p = Protect(t, policy);
    benchmark::DoNotOptimize(p);
  }
  Report(state, t, p);
}
BENCHMARK(BM_ProtectWithDistrictFallback)->Arg(60)->Arg(20)->Arg(3)->Unit(benchmark::kMillisecond);

void BM_ProtectTogetherMonthAndCategory(benchmark::State& state) {
  const Table by_month = TeamsByMonth(state.range(0) / 10.0);
  const std::vector<Table> both = {by_month, TeamsByCategory(by_month)};
  for (auto _ : state) {
    auto p = ProtectTogether(both, Policy{}, /*fallback=*/false);
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_ProtectTogetherMonthAndCategory)->Arg(60)->Arg(20)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
