// Reads look-up events as JSON lines from a file or standard input,
// pseudonymises the users and reports counts, malformed lines (with their
// reasons) and the parse rate. Side-table loaders come later, so this does
// not yet explain or score.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "monitor/event.h"
#include "monitor/pseudonym.h"

using namespace waarborg::monitor;

int main(int argc, char** argv) {
  CLI::App app{"Parse and pseudonymise look-up events (JSON lines)"};
  std::string in_path = "-";
  std::string key = std::string(32, 'e');
  app.add_option("input", in_path, "events file, - for standard input")->capture_default_str();
  app.add_option("--key", key, "pseudonym key (16-64 bytes); the default is for tests only");
  CLI11_PARSE(app, argc, argv);
  auto pseud = Pseudonymizer::Create(key);
  if (!pseud.ok()) {
    std::fprintf(stderr, "%s\n", std::string(pseud.status().message()).c_str());
    return 2;
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (in_path != "-") {
    file.open(in_path);
    if (!file) {
      std::fprintf(stderr, "cannot read %s\n", in_path.c_str());
      return 1;
    }
    in = &file;
  }
  EventParser parser;
  long long subjects = 0;
  auto t0 = std::chrono::steady_clock::now();
  StreamStats st = parser.ParseStream(*in, [&](LookupEvent& e) {
    pseud->Apply(e);
    subjects += static_cast<long long>(e.subjects_opened.size());
  });
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("lines %lld, parsed %lld, malformed %lld, opened subjects %lld, %.2f s, %.0f lines/s\n",
              static_cast<long long>(st.lines), static_cast<long long>(st.parsed),
              static_cast<long long>(st.malformed), subjects, s, st.lines / s);
  for (const auto& m : st.set_aside) std::printf("  line %lld: %s\n", static_cast<long long>(m.line_no), m.reason.c_str());
  return st.malformed > 0 ? 3 : 0;
}
