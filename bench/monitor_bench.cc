// monitor_bench: the speed of the Protective Monitoring engine (issue 6 §9,
// docs/performance.md). Targets: at least 1,000,000 events per second on one
// core from a JSON-lines file through parsing, explaining and scoring; at most
// 4 KB of state per active user; in streaming mode at most 1 s from event to
// flag (p99).
//
//   build/monitor_bench [--staff 10000] [--days 40] [--seed 42]
//                       [--events FILE] [--export DIR] [--rate 20000] [--stream-days 3]
//
// 1. Builds the synthetic organisation and generates all days, so that the
//    side tables (dispatches and record authors grow day by day) are complete,
//    and writes the events as JSON lines to FILE unless FILE exists (then it is
//    read as it is: it must come from the same --staff/--days/--seed).
// 2. On one thread, median of 3 runs, reading FILE in 16 MB chunks: (a) parse
//    only, (b) parse + pseudonymise + intern, (c) the whole pipeline, in
//    detection mode with a budget of 0.5 flags per 1,000 staff per day.
// 3. State per active user after (c): the engine's own count (Rules::StateBytes,
//    container capacities) and the malloc heap growth (mallinfo2) over the run.
// 4. Streaming: a writer thread sends the last --stream-days days' lines into a
//    pipe at --rate lines per second; the engine (warmed with the earlier days)
//    reads, processes and raises provisional flags; the latency of a flag is
//    the time from its event's write into the pipe to the flag.
// --export DIR writes the side tables and the flags of (c) for the pandas
// version (bench/monitor_pandas.py).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <malloc.h>
#include <simdjson.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "monitor/ingest.h"
#include "monitor/pseudonym.h"
#include "monitor/scoring.h"
#include "monitor/synthetic.h"

using namespace waarborg::monitor;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kKey(32, 'e');  // the generator's test key, as monitor_eval

double Seconds(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// CPU seconds of this thread: on a shared machine the wall time also counts
// the time other processes had the core, so both are reported.
double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Calls `line` for every non-empty line read from `fd` (until end of file),
// in chunks; a line split across chunks is carried over.
template <typename F>
void ForEachLine(int fd, F&& line) {
  std::vector<char> buf(16 << 20);
  std::size_t have = 0;
  for (;;) {
    const ssize_t n = read(fd, buf.data() + have, buf.size() - have);
    if (n <= 0) break;
    have += static_cast<std::size_t>(n);
    std::size_t start = 0;
    for (;;) {
      const char* nl = static_cast<const char*>(std::memchr(buf.data() + start, '\n', have - start));
      if (!nl) break;
      const std::size_t end = static_cast<std::size_t>(nl - buf.data());
      if (end > start) line(std::string_view(buf.data() + start, end - start));
      start = end + 1;
    }
    std::memmove(buf.data(), buf.data() + start, have - start);
    have -= start;
    if (have == buf.size()) buf.resize(buf.size() * 2);
  }
  if (have > 0) line(std::string_view(buf.data(), have));
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

EngineConfig BenchConfig(const SynthConfig& sc) {
  EngineConfig ec;
  ec.scoring.mode = Mode::kDetection;
  ec.scoring.flags_per_day = 0.5 * sc.staff / 1000.0;
  return ec;
}

void ExportTables(const Context& ctx, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  auto intervals = [](const std::vector<Interval>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& i : v) a.push_back({i.start, i.end});
    return a;
  };
  std::ofstream staff(dir / "staff.jsonl");
  for (const auto& [p, s] : ctx.staff) {
    staff << nlohmann::json{{"pseudonym", s.pseudonym},
                            {"unit", s.unit},
                            {"team", s.team},
                            {"role", s.role},
                            {"surname", s.surname},
                            {"home_geohash", s.home_geohash},
                            {"roster", intervals(s.roster)},
                            {"leave", intervals(s.leave)},
                            {"declared_relations", s.declared_relations},
                            {"own_subject", s.own_subject}}
                 .dump()
          << '\n';
  }
  std::ofstream subjects(dir / "subjects.jsonl");
  for (const auto& [id, s] : ctx.subjects) {
    subjects << nlohmann::json{{"id", s.id},
                               {"surname", s.surname},
                               {"geohash", s.geohash},
                               {"vip", s.vip},
                               {"shielded", s.shielded},
                               {"under_investigation", s.under_investigation},
                               {"colleague", s.colleague},
                               {"authors", s.authors}}
                    .dump()
             << '\n';
  }
  std::ofstream cases(dir / "cases.jsonl");
  for (const auto& [id, c] : ctx.cases) {
    cases << nlohmann::json{{"id", c.id},          {"team", c.team},         {"start", c.active.start},
                            {"end", c.active.end}, {"assigned", c.assigned}, {"subjects", c.subjects}}
                 .dump()
          << '\n';
  }
  std::ofstream dispatches(dir / "dispatches.csv");
  dispatches << "user,subject,time\n";
  for (const auto& d : ctx.dispatches) dispatches << d.user << ',' << d.subject << ',' << d.time << '\n';
}

struct StageResult {
  double seconds = 0;
  std::int64_t events = 0;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Protective Monitoring speed bench (issue 6 §9)"};
  SynthConfig sc;
  sc.staff = 10000;
  sc.days = 40;
  std::string events_path = "/tmp/waarborg-monitor-bench/events.jsonl";
  std::string export_dir;
  double rate = 20000;
  int stream_days = 3;
  int runs = 3;
  app.add_option("--staff", sc.staff, "number of staff")->capture_default_str();
  app.add_option("--days", sc.days, "number of days")->capture_default_str();
  app.add_option("--seed", sc.seed, "random seed")->capture_default_str();
  app.add_option("--events", events_path, "JSON-lines file; written when missing")->capture_default_str();
  app.add_option("--export", export_dir, "write side tables and flags here for the pandas version");
  app.add_option("--rate", rate, "streaming: lines per second")->capture_default_str();
  app.add_option("--stream-days", stream_days, "streaming: the last this many days are streamed")
      ->capture_default_str();
  app.add_option("--runs", runs, "runs per stage (the median is reported)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  auto pseud = Pseudonymizer::Create(kKey);
  const auto t_gen = Clock::now();
  Synthetic synth(sc, *pseud);
  const bool write_file = !std::filesystem::exists(events_path);
  std::ofstream out;
  if (write_file) {
    std::filesystem::create_directories(std::filesystem::path(events_path).parent_path());
    out.open(events_path);
  }
  // The first line of each streamed day, counted from the end.
  std::vector<std::int64_t> day_starts;
  std::int64_t lines = 0;
  std::vector<LookupEvent> day;
  for (int d = 0; d < sc.days; ++d) {
    synth.GenerateDay(d, day);
    day_starts.push_back(lines);
    lines += static_cast<std::int64_t>(day.size());
    if (write_file) {
      for (const auto& e : day) out << ToJsonLine(e) << '\n';
    }
  }
  out.close();
  const Context& ctx = synth.context();
  std::printf("organisation: %d staff, %d days, seed %llu; %lld events, file %s (%s, %.0f MB), %.1f s\n", sc.staff,
              sc.days, static_cast<unsigned long long>(sc.seed), static_cast<long long>(lines), events_path.c_str(),
              write_file ? "written" : "reused", std::filesystem::file_size(events_path) / 1e6, Seconds(t_gen));

  auto open_events = [&] {
    const int fd = open(events_path.c_str(), O_RDONLY);
    if (fd < 0) {
      std::perror(events_path.c_str());
      std::exit(1);
    }
    return fd;
  };
  EventParser parser;
  EventView view;
  Event event;
  std::int64_t malformed = 0;
  auto stage = [&](const char* name, auto&& per_line) {
    std::vector<double> rates, cpu_rates;
    std::int64_t n = 0;
    for (int r = 0; r < runs; ++r) {
      n = 0;
      const int fd = open_events();
      const auto t0 = Clock::now();
      const double cpu0 = ThreadCpuSeconds();
      ForEachLine(fd, [&](std::string_view line) {
        if (parser.ParseView(line, view).ok()) {
          per_line();
          ++n;
        } else {
          ++malformed;
        }
      });
      const double s = Seconds(t0);
      const double cpu = ThreadCpuSeconds() - cpu0;
      close(fd);
      rates.push_back(static_cast<double>(n) / s);
      cpu_rates.push_back(static_cast<double>(n) / cpu);
      std::printf("  %s run %d: %lld events in %.2f s = %.0f events/s (%.2f s CPU = %.0f events per CPU second)\n",
                  name, r + 1, static_cast<long long>(n), s, rates.back(), cpu, cpu_rates.back());
    }
    std::printf("%s: median %.0f events/s, %.0f events per CPU second\n", name, Median(rates), Median(cpu_rates));
    return Median(rates);
  };

  std::printf("\nsimdjson kernel: %s\n", simdjson::get_active_implementation()->name().c_str());
  const double parse_rate = stage("(a) parse", [] {});
  Ingestor ingestor(ctx, *pseud);
  const double ingest_rate = stage("(b) parse + pseudonymise + intern", [&] {
    ingestor.Ingest(view, event);
    benchmark::DoNotOptimize(event);
  });

  std::vector<Flag> flags;
  std::size_t state_bytes = 0, users = 0, heap_growth = 0;
  const double full_rate = [&] {
    std::vector<double> rates, cpu_rates;
    for (int r = 0; r < runs; ++r) {
      // Fresh engine and ingestor per run; the Context's id tables are warm
      // after the first run (terminals), which is what a running system sees.
      const std::size_t heap0 = mallinfo2().uordblks;
      Ingestor in(ctx, *pseud);
      std::vector<Flag> run_flags;
      Engine engine(ctx, BenchConfig(sc), [&](const DayReport& rep) {
        run_flags.insert(run_flags.end(), rep.flags.begin(), rep.flags.end());
      });
      const int fd = open_events();
      std::int64_t n = 0;
      // One event of look-ahead: the next event's index entries load while
      // the current one is processed (Engine::Prefetch).
      Event ahead[2];
      Event* current = &ahead[0];
      Event* next = &ahead[1];
      bool have_current = false;
      const auto t0 = Clock::now();
      const double cpu0 = ThreadCpuSeconds();
      ForEachLine(fd, [&](std::string_view line) {
        if (!parser.ParseView(line, view).ok()) return;
        in.Ingest(view, *next);
        engine.Prefetch(*next);
        if (have_current) engine.Process(*current);
        std::swap(current, next);
        have_current = true;
        ++n;
      });
      if (have_current) engine.Process(*current);
      engine.Flush();
      const double s = Seconds(t0);
      const double cpu = ThreadCpuSeconds() - cpu0;
      close(fd);
      rates.push_back(static_cast<double>(n) / s);
      cpu_rates.push_back(static_cast<double>(n) / cpu);
      std::printf(
          "  (c) run %d: %lld events in %.2f s = %.0f events/s (%.2f s CPU = %.0f events per CPU second), %zu flags, "
          "explanation coverage %.4f\n",
          r + 1, static_cast<long long>(n), s, rates.back(), cpu, cpu_rates.back(), run_flags.size(),
          engine.coverage().Share());
      state_bytes = engine.StateBytes();
      users = engine.users();
      heap_growth = mallinfo2().uordblks - heap0;
      flags = std::move(run_flags);
    }
    std::printf(
        "(c) parse + pseudonymise + explain + rules + score: median %.0f events/s, %.0f events per CPU second\n",
        Median(rates), Median(cpu_rates));
    return Median(rates);
  }();
  std::printf(
      "\nstate: %zu active users; rules state %zu bytes = %.0f bytes/user (container capacities); "
      "malloc heap growth over a whole run %zu bytes = %.0f bytes/user (mallinfo2: engine, ingestion cache, "
      "new terminal ids, scorer)\n",
      users, state_bytes, static_cast<double>(state_bytes) / static_cast<double>(users), heap_growth,
      static_cast<double>(heap_growth) / static_cast<double>(users));
  std::printf("shared side-table indexes (not per-user state): %.1f MB\n", ctx.IndexHeapBytes() / 1e6);

  if (!export_dir.empty()) {
    ExportTables(ctx, export_dir);
    std::ofstream f(std::filesystem::path(export_dir) / "flags_cpp.csv");
    f << "day,user,score,rules\n";
    for (const auto& fl : flags) {
      std::set<std::string> rules;
      for (const auto& ev : fl.evidence) rules.insert(ev.rule);
      std::string joined;
      for (const auto& r : rules) joined += (joined.empty() ? "" : " ") + r;
      char score[32];
      std::snprintf(score, sizeof score, "%.4f", fl.score);
      f << fl.day << ',' << fl.user << ',' << score << ',' << joined << '\n';
    }
    std::printf("exported side tables and %zu flags to %s\n", flags.size(), export_dir.c_str());
  }

  // Streaming.
  const int first_streamed_day = std::max(0, sc.days - stream_days);
  const std::int64_t first_streamed = day_starts[first_streamed_day];
  std::vector<std::string> streamed;
  std::vector<double> flag_latency_ms, event_latency_us;
  int provisional = 0;
  {
    Ingestor in(ctx, *pseud);
    Engine engine(ctx, BenchConfig(sc), nullptr);
    std::int64_t index = 0;
    const int fd = open_events();
    ForEachLine(fd, [&](std::string_view line) {
      if (index++ < first_streamed) {
        if (parser.ParseView(line, view).ok()) {
          in.Ingest(view, event);
          engine.Process(event);
        }
      } else {
        streamed.emplace_back(line);
      }
    });
    close(fd);
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) {
      std::perror("pipe");
      return 1;
    }
    const std::size_t n = streamed.size();
    std::vector<std::atomic<std::int64_t>> sent_ns(n);
    auto now_ns = [] {
      return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
    };
    std::int64_t current = 0;  // index of the streamed line being processed
    engine.OnProvisionalFlag([&](const Flag&) {
      ++provisional;
      flag_latency_ms.push_back((now_ns() - sent_ns[current].load(std::memory_order_acquire)) / 1e6);
    });
    std::thread writer([&] {
      const auto t0 = Clock::now();
      std::string buf;
      for (std::size_t i = 0; i < n; ++i) {
        std::this_thread::sleep_until(t0 + std::chrono::nanoseconds(static_cast<std::int64_t>(i * 1e9 / rate)));
        buf.assign(streamed[i]);
        buf.push_back('\n');
        sent_ns[i].store(now_ns(), std::memory_order_release);
        for (std::size_t off = 0; off < buf.size();) {
          const ssize_t w = write(pipe_fds[1], buf.data() + off, buf.size() - off);
          if (w <= 0) return;
          off += static_cast<std::size_t>(w);
        }
      }
      close(pipe_fds[1]);
    });
    const auto t0 = Clock::now();
    ForEachLine(pipe_fds[0], [&](std::string_view line) {
      if (parser.ParseView(line, view).ok()) {
        in.Ingest(view, event);
        engine.Process(event);
      }
      if (current % 100 == 0) event_latency_us.push_back((now_ns() - sent_ns[current].load()) / 1e3);
      ++current;
    });
    writer.join();
    close(pipe_fds[0]);
    engine.Flush();
    std::printf("\nstreaming: %zu events (days %d-%d) at %.0f/s through a pipe in %.1f s\n", n, first_streamed_day,
                sc.days - 1, rate, Seconds(t0));
    std::printf("  every 100th event, write to processed: p50 %.0f us, p99 %.0f us, max %.0f us\n",
                Percentile(event_latency_us, 0.5), Percentile(event_latency_us, 0.99),
                Percentile(event_latency_us, 1.0));
    std::printf("  provisional flags %d, event to flag: p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", provisional,
                Percentile(flag_latency_ms, 0.5), Percentile(flag_latency_ms, 0.99), Percentile(flag_latency_ms, 1.0));
  }
  std::printf(
      "\nsummary: parse %.0f/s, +pseudonymise %.0f/s, whole pipeline %.0f/s; %.0f bytes/user (rules), "
      "%.0f bytes/user (heap); flag latency p99 %.3f ms (%d flags)%s\n",
      parse_rate, ingest_rate, full_rate, static_cast<double>(state_bytes) / static_cast<double>(users),
      static_cast<double>(heap_growth) / static_cast<double>(users), Percentile(flag_latency_ms, 0.99), provisional,
      malformed ? " (malformed lines seen!)" : "");
  return 0;
}
