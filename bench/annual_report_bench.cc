// annual_report_bench: how long the annual report for one year takes to
// build with 1,000,000 cases (issue 5 §4, §6: at most 2 s).
//
//   build/annual_report_bench [--facts=1000000] [--benchmark_filter=...]
//
// The facts: 1,000,000 synthetic cases (a fixed seed) over five years
// (2021-2025) and five tracks (LMM 20%, unwanted behaviour 40%, complaints
// committee 5%, VIK triage 20%, investigations 15%), in an organisation of
// korps > 10 eenheden > 5 districten > 6 teams (361 units), with the answers
// the facts carry (channel, reporter category, terms, outcome, category,
// route, evaluation form). They are written to a temporary SQLite database
// and loaded into the DashboardService, as the server holds them; the
// report reads them from there (DashboardService::VisitFacts).
//
// Benchmarks (wall time per report, the figures made anew every iteration):
//   Publish/<kind>        counting one year's cases of the kind among all
//                         1,000,000 facts and protecting every table (core/stats):
//                         what the first report on a closed year costs
//   FirstReport/<kind>    the same plus storing the publication (JSON) and
//                         reading it back, and the report's view for the korps
//   View/<kind>           a later report: the view of the stored publication
//   Xlsx/<kind>           the XLSX of a report (libxlsxwriter)
//   PublishFromVector/lmm the count and protection over a plain vector of the
//                         same facts (no DashboardService), for comparison
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstring>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>

#include "adapters/crypto/crypto.h"
#include "adapters/crypto/file_key_provider.h"
#include "adapters/report/xlsx.h"
#include "adapters/sqlite/sqlite_store.h"
#include "adapters/workflow_files/shipped_tracks.h"
#include "app/annual_report.h"
#include "app/dashboard_service.h"
#include "core/common/status.h"
#include "core/dashboard/case_fact.h"
#include "core/ports/fake_clock.h"

namespace {

using namespace waarborg;

long long g_facts = 1'000'000;

Date Ymd(int y, int m, int d) {
  return Date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
              std::chrono::day{static_cast<unsigned>(d)}};
}

struct World {
  std::string dir;
  std::unique_ptr<SqliteStore> store;
  std::unique_ptr<FakeClock> clock;
  std::unique_ptr<app::DashboardService> dash;
  std::vector<OrgUnit> units;
  std::vector<Id> teams;
  std::vector<dashboard::CaseFact> facts;  // for PublishFromVector
  std::shared_ptr<const app::Publication> lmm, counsellors;
};

World* g_world = nullptr;

dashboard::CaseFact MakeFact(std::mt19937& rng, Id id, const std::vector<Id>& teams) {
  dashboard::CaseFact f;
  f.case_id = id;
  f.unit_id = teams[rng() % teams.size()];
  const int year = 2021 + static_cast<int>(rng() % 5);
  f.received_on = Ymd(year, 1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28));
  f.state_since = f.received_on;
  f.updated_at = id;
  const unsigned track = rng() % 100;
  auto close = [&](int max_days) {
    f.open = false;
    f.closed_on =
        Date{std::chrono::sys_days(f.received_on) + std::chrono::days{1 + static_cast<int>(rng() % max_days)}};
  };
  const bool old = year < 2025 || rng() % 3 == 0;
  if (track < 20) {
    static const char* channels[] = {"online", "conversation", "mailbox"};
    static const char* terms[] = {"in_time", "in_time", "in_time", "late", "not_sent"};
    static const char* harms[] = {"statutory_violation", "public_health",      "safety_of_persons",
                                  "environment",         "proper_functioning", "multiple"};
    f.kind = dashboard::CaseKind::kLmm;
    f.track = "lmm";
    f.answers = {{"channel", channels[rng() % 3]},
                 {"reporter_category", rng() % 10 ? "employee" : "former_employee"},
                 {"acknowledgement", terms[rng() % 5]},
                 {"feedback", terms[rng() % 5]}};
    switch (old ? rng() % 4 : rng() % 6) {
      case 0:
        f.state = "referred";
        f.answers["outcome"] = "referred";
        f.answers["referral"] = "hrm";
        close(60);
        break;
      case 1:
        f.state = "closed";
        f.answers["outcome"] = "no_investigation";
        f.answers["misconduct"] = harms[rng() % 6];
        close(200);
        break;
      case 2:
        f.state = "closed";
        f.answers["outcome"] = "investigation";
        f.answers["misconduct"] = harms[rng() % 6];
        close(400);
        break;
      case 3:
        f.state = "investigation";
        f.answers["outcome"] = "investigation";
        f.answers["misconduct"] = harms[rng() % 6];
        break;
      case 4:
        f.state = "weighing";
        f.answers["misconduct"] = harms[rng() % 6];
        break;
      default:
        f.state = "staffed";
        break;
    }
    return f;
  }
  f.kind = dashboard::CaseKind::kTrack;
  if (track < 60) {
    static const char* categories[] = {"verbal_aggression",   "physical_aggression", "psychological_aggression",
                                       "sexual_intimidation", "discrimination",      "vandalism",
                                       "criminality"};
    static const char* routes[] = {"conversation",    "conversation", "mediation",   "formal_complaint",
                                   "criminal_report", "line_manager", "disciplinary"};
    static const char* consequences[] = {"none",     "none",          "warning",
                                         "transfer", "order_measure", "disciplinary_measure"};
    static const char* open_states[] = {"received", "with_counsellor", "mediation", "fact_finding", "evaluation"};
    f.track = "unwanted_behaviour";
    f.answers = {{"category", categories[rng() % 7]}};
    if (old && rng() % 5) {
      f.state = "closed";
      close(300);
      const char* route = routes[rng() % 7];
      f.answers["procedure_chosen"] = route;
      f.answers["consequences_accused"] = consequences[rng() % 6];
      f.answers["consequences_complainant"] = consequences[rng() % 6];
      f.answers["committee_advice"] =
          std::strcmp(route, "formal_complaint") ? "none" : (rng() % 2 ? "founded" : "unfounded");
      f.answers["decision_as_advised"] = rng() % 4 ? "ja" : "nee";
    } else {
      f.state = open_states[rng() % 5];
    }
    return f;
  }
  f.track = track < 65 ? "complaints_committee" : track < 85 ? "vik_triage" : "investigation";
  f.state = old ? "closed" : "received";
  if (old) close(500);
  return f;
}

World* Setup() {
  auto* w = new World;
  std::string tmpl = (std::filesystem::temp_directory_path() / "waarborg-report-bench-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) std::abort();
  w->dir = tmpl;
  auto s =
      SqliteStore::Open(w->dir + "/w.db", crypto::Sha256Hex,
                        std::shared_ptr<KeyProvider>(*crypto::FileKeyProvider::Open(w->dir + "/master.key", true)));
  if (!s.ok()) std::abort();
  w->store = std::move(*s);
  w->clock = std::make_unique<FakeClock>(1'767'225'600'000 + 10 * 86'400'000LL);  // 11 January 2026
  const auto started = std::chrono::steady_clock::now();
  std::mt19937 rng(2026);
  // The organisation.
  auto st = w->store->Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Id korps, tx.InsertUnit({0, "Politie", UnitKind::kCorps, std::nullopt}));
    for (int u = 1; u <= 10; ++u) {
      ASSIGN_OR_RETURN(Id unit, tx.InsertUnit({0, Cat("Eenheid ", u), UnitKind::kUnit, korps}));
      for (int d = 1; d <= 5; ++d) {
        ASSIGN_OR_RETURN(Id district, tx.InsertUnit({0, Cat("District ", u, ".", d), UnitKind::kDistrict, unit}));
        for (int t = 1; t <= 6; ++t) {
          ASSIGN_OR_RETURN(Id team, tx.InsertUnit({0, Cat("Team ", u, ".", d, ".", t), UnitKind::kTeam, district}));
          w->teams.push_back(team);
        }
      }
    }
    w->units = tx.ListUnits();
    return absl::OkStatus();
  });
  if (!st.ok()) std::abort();
  // The facts, in transactions of 50,000.
  w->facts.reserve(static_cast<std::size_t>(g_facts));
  for (long long done = 0; done < g_facts;) {
    st = w->store->Transact([&](StoreTx& tx) -> absl::Status {
      for (int i = 0; i < 50'000 && done < g_facts; ++i, ++done) {
        w->facts.push_back(MakeFact(rng, static_cast<Id>(done + 1), w->teams));
        RETURN_IF_ERROR(tx.UpsertCaseFact(w->facts.back()));
      }
      return absl::OkStatus();
    });
    if (!st.ok()) {
      std::cerr << st << "\n";
      std::abort();
    }
  }
  const auto seeded = std::chrono::steady_clock::now();
  w->dash = std::make_unique<app::DashboardService>(*w->store, *w->clock, workflow_files::ShippedTracks());
  if (!w->dash->Load().ok()) std::abort();
  const auto loaded = std::chrono::steady_clock::now();
  std::cerr << "annual_report_bench: " << w->dash->FactCount() << " facts; written to SQLite in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(seeded - started).count() << " ms, loaded in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(loaded - seeded).count() << " ms\n";
  return w;
}

app::PublicationInput Input(app::ReportKind kind) {
  app::PublicationInput in;
  in.kind = kind;
  in.year = 2025;
  in.through_month = 12;
  in.made_on = Ymd(2026, 1, 11);
  in.units = g_world->units;
  in.tracks = &workflow_files::ShippedTracks();
  const std::vector<std::string> tracks = app::ReportTracks(kind);
  in.visit = [tracks](const std::function<void(const app::FactRef&)>& fn) { g_world->dash->VisitFacts(tracks, fn); };
  return in;
}

app::ReportRequest Whole(app::ReportKind kind) {
  app::ReportRequest r;
  r.kind = kind;
  r.year = 2025;
  return r;
}

void Label(benchmark::State& state, const app::Publication& p) {
  std::int64_t cases = 0;
  if (const auto* g = p.Grid("per_kwartaal")) cases = g->At(0, 0).value_or(-1);
  state.SetLabel(Cat(app::ReportKindName(p.kind), ": ", cases, " cases in 2025, rows per ",
                     p.level == 2   ? "district"
                     : p.level == 1 ? "eenheid"
                                    : "korps"));
}

void Publish(benchmark::State& state, app::ReportKind kind) {
  const app::PublicationInput in = Input(kind);
  app::Publication p;
  for (auto _ : state) {
    p = app::Publish(in);
    benchmark::DoNotOptimize(p.by_unit.size());
  }
  Label(state, p);
}
BENCHMARK_CAPTURE(Publish, lmm, app::ReportKind::kLmm)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(Publish, vertrouwenswerk, app::ReportKind::kCounsellors)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void FirstReport(benchmark::State& state, app::ReportKind kind) {
  const app::PublicationInput in = Input(kind);
  for (auto _ : state) {
    const std::string stored = app::EncodePublication(app::Publish(in));
    auto p = app::DecodePublication(stored);
    const app::AnnualReport a = app::ViewOf(*p, Whole(kind), g_world->units);
    benchmark::DoNotOptimize(a.sections.size());
    state.counters["stored_kb"] = static_cast<double>(stored.size()) / 1024.0;
  }
}
BENCHMARK_CAPTURE(FirstReport, lmm, app::ReportKind::kLmm)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(FirstReport, vertrouwenswerk, app::ReportKind::kCounsellors)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void View(benchmark::State& state, app::ReportKind kind) {
  const app::Publication p = app::Publish(Input(kind));
  for (auto _ : state) {
    const app::AnnualReport a = app::ViewOf(p, Whole(kind), g_world->units);
    benchmark::DoNotOptimize(a.sections.size());
  }
}
BENCHMARK_CAPTURE(View, lmm, app::ReportKind::kLmm)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(View, vertrouwenswerk, app::ReportKind::kCounsellors)->Unit(benchmark::kMillisecond)->UseRealTime();

void Xlsx(benchmark::State& state, app::ReportKind kind) {
  const app::Publication p = app::Publish(Input(kind));
  const app::AnnualReport a = app::ViewOf(p, Whole(kind), g_world->units);
  for (auto _ : state) {
    auto x = report::XlsxOf(a);
    benchmark::DoNotOptimize(x->size());
  }
}
BENCHMARK_CAPTURE(Xlsx, lmm, app::ReportKind::kLmm)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(Xlsx, vertrouwenswerk, app::ReportKind::kCounsellors)->Unit(benchmark::kMillisecond)->UseRealTime();

void PublishFromVector(benchmark::State& state) {
  app::PublicationInput in = Input(app::ReportKind::kLmm);
  in.visit = [](const std::function<void(const app::FactRef&)>& fn) {
    std::vector<std::pair<std::string_view, std::string_view>> answers;
    app::FactRef r;
    for (const auto& f : g_world->facts) {
      if (f.track != "lmm") continue;
      answers.clear();
      for (const auto& [k, v] : f.answers) answers.emplace_back(k, v);
      r.kind = f.kind;
      r.case_id = f.case_id;
      r.track = f.track;
      r.state = f.state;
      r.open = f.open;
      r.unit_id = f.unit_id;
      r.received_on = f.received_on;
      r.closed_on = f.closed_on;
      r.answers = answers;
      fn(r);
    }
  };
  for (auto _ : state) {
    auto p = app::Publish(in);
    benchmark::DoNotOptimize(p.by_unit.size());
  }
}
BENCHMARK(PublishFromVector)->Name("PublishFromVector/lmm")->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  // Our own flag first, then Google Benchmark's.
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--facts=", 8) == 0)
      g_facts = std::atoll(argv[i] + 8);
    else
      args.push_back(argv[i]);
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  g_world = Setup();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  const std::string dir = g_world->dir;
  delete g_world;
  std::filesystem::remove_all(dir, ec);
  return 0;
}
