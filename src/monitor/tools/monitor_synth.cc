// Writes the synthetic organisation's look-ups as JSON lines (real synthetic
// user ids, as a source system would send them) and the scenario labels.
#include <cstdio>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "monitor/pseudonym.h"
#include "monitor/synthetic.h"

using namespace waarborg::monitor;

int main(int argc, char** argv) {
  CLI::App app{"Generate synthetic look-up events as JSON lines"};
  SynthConfig sc;
  std::string out_path = "-";
  std::string labels_path;
  app.add_option("--staff", sc.staff, "number of staff")->capture_default_str();
  app.add_option("--days", sc.days, "number of days")->capture_default_str();
  app.add_option("--seed", sc.seed, "random seed")->capture_default_str();
  app.add_option("--out", out_path, "events file, - for standard output")->capture_default_str();
  app.add_option("--labels", labels_path, "CSV of injected scenarios (user,scenario,day)");
  CLI11_PARSE(app, argc, argv);

  auto pseud = Pseudonymizer::Create(std::string(32, 'e'));
  Synthetic synth(sc, *pseud);
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (out_path != "-") {
    file.open(out_path);
    if (!file) {
      std::fprintf(stderr, "cannot write %s\n", out_path.c_str());
      return 1;
    }
    out = &file;
  }
  std::vector<LookupEvent> events;
  long long n = 0;
  for (int d = 0; d < sc.days; ++d) {
    synth.GenerateDay(d, events);
    for (const auto& e : events) *out << ToJsonLine(e) << '\n';
    n += static_cast<long long>(events.size());
  }
  if (!labels_path.empty()) {
    std::ofstream labels(labels_path);
    labels << "user,scenario,day\n";
    for (const auto& l : synth.labels()) labels << l.user << ',' << l.scenario << ',' << l.day << '\n';
  }
  std::fprintf(stderr, "%lld events, %zu scenarios\n", n, synth.labels().size());
  return 0;
}
