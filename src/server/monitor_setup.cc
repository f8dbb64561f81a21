#include "server/monitor_setup.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_split.h"
#include "adapters/crypto/sealing.h"
#include "core/common/status.h"
#include "core/common/strings.h"
#include "monitor/pseudonym.h"
#include "monitor/synthetic.h"

namespace waarborg {

absl::StatusOr<std::string> LoadOrCreateMonitorKey(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (key.size() != 32) return absl::DataLossError(Cat("De pseudoniemsleutel ", path, " is beschadigd."));
    return key;
  }
  std::string key = crypto::NewDataKey();
  const std::string tmp = path + ".nieuw";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return absl::InternalError(Cat("Kan ", tmp, " niet schrijven."));
    ::chmod(tmp.c_str(), 0600);
    out.write(key.data(), static_cast<std::streamsize>(key.size()));
    out.flush();
    if (!out) return absl::InternalError(Cat("Kan ", tmp, " niet schrijven."));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return absl::InternalError(Cat("Kan ", path, " niet aanmaken."));
  return key;
}

absl::StatusOr<std::vector<app::MonitorDirectoryEntry>> LoadMonitorDirectory(const std::string& path) {
  std::vector<app::MonitorDirectoryEntry> out;
  std::ifstream in(path);
  if (!in) return out;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> parts = absl::StrSplit(line, '\t');
    if (parts.size() < 2 || parts[0].empty())
      return absl::InvalidArgumentError(Cat(path, ", regel ", n, ": verwacht gebruikersnummer, tab, naam"));
    out.push_back({parts[0], parts[1], parts.size() > 2 ? parts[2] : std::string()});
  }
  return out;
}

absl::Status WriteMonitorDirectory(const std::string& path, const std::vector<app::MonitorDirectoryEntry>& entries) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) return absl::InternalError(Cat("Kan ", path, " niet schrijven."));
  ::chmod(path.c_str(), 0600);
  out << "# gebruikersnummer\tnaam\teenheid\n";
  for (const auto& e : entries) out << e.user_id << '\t' << e.name << '\t' << e.unit << '\n';
  out.flush();
  return out ? absl::OkStatus() : absl::InternalError(Cat("Kan ", path, " niet schrijven."));
}

GovernedDay ToGoverned(const monitor::DayReport& report) {
  GovernedDay g;
  g.day = report.day;
  for (const auto& f : report.flags) {
    monitoring::Flag flag;
    flag.day = f.day;
    flag.user = f.user;
    flag.score = f.score;
    for (const auto& e : f.evidence) flag.evidence.push_back({e.rule, e.points, e.subject, e.time, e.text, e.clears});
    g.flags.push_back(std::move(flag));
  }
  for (const auto& a : report.aggregates)
    g.cells.push_back({report.day, a.level, a.name, a.rule, a.users, a.suppressed});
  return g;
}

namespace {

monitor::SynthConfig DemoConfig(const DemoMonitoring& demo, std::int64_t first_day) {
  monitor::SynthConfig sc;
  sc.staff = demo.staff;
  sc.days = demo.days;
  sc.seed = 2026;
  sc.first_day = first_day;
  sc.subjects_per_unit = 2000;
  sc.scenarios_per_1000_staff_per_day = 2.0;  // a few a day, so the analyst has work
  sc.learning_days = 7;
  return sc;
}

// A readable Dutch surname for a synthetic one ("achternaam750"): the
// generator only needs surnames to be equal or not; people read names.
std::string ReadableSurname(const std::string& synthetic) {
  static const char* const kNames[] = {
      "Visser",   "Smit",     "Meijer",         "de Boer", "Mulder",   "de Groot", "Bos",
      "Vos",      "Peters",   "Hendriks",       "Dekker",  "Brouwer",  "de Wit",   "Dijkstra",
      "Smits",    "de Graaf", "van der Meer",   "Kok",     "Jacobs",   "de Haan",  "Vermeulen",
      "van Dijk", "Schouten", "van der Linden", "Willems", "Hoekstra", "Maas",     "Verhoeven",
      "Koster",   "Prins",    "Post",           "Kuiper",  "Huisman",  "Veenstra", "Evers"};
  if (synthetic.rfind("achternaam", 0) != 0) return synthetic;
  return kNames[std::hash<std::string>{}(synthetic) % std::size(kNames)];
}

// "de jong" -> "de Jong": Dutch surnames keep their prefixes in lower case.
std::string Capitalised(std::string s) {
  const std::size_t last = s.rfind(' ');
  const std::size_t at = last == std::string::npos ? 0 : last + 1;
  if (at < s.size()) s[at] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[at])));
  return s;
}

}  // namespace

std::vector<app::MonitorDirectoryEntry> DemoMonitoringDirectory(const std::string& key, DemoMonitoring demo) {
  auto pseud = monitor::Pseudonymizer::Create(key);
  if (!pseud.ok()) return {};
  monitor::Synthetic synth(DemoConfig(demo, 0), *pseud);
  std::vector<app::MonitorDirectoryEntry> out;
  static const char kInitials[] = "ABCDEFGHIJKLMNOPRSTW";
  for (int i = 0; i < demo.staff; ++i) {
    const std::string id = Cat("medewerker-", i);
    const monitor::StaffMember* m = synth.context().FindStaff(pseud->Of(id));
    if (!m) continue;
    out.push_back({id, Cat(kInitials[i % 20], ". ", Capitalised(ReadableSurname(m->surname))), m->unit});
  }
  return out;
}

absl::StatusOr<int> SeedDemoMonitoring(Store& store, app::MonitorService& service, const std::string& key, Instant now,
                                       DemoMonitoring demo) {
  ASSIGN_OR_RETURN(monitor::Pseudonymizer pseud, monitor::Pseudonymizer::Create(key));
  const std::int64_t today = std::chrono::sys_days(DateInAmsterdam(now)).time_since_epoch().count();
  monitor::Synthetic synth(DemoConfig(demo, today - demo.days), pseud);
  monitor::EngineConfig ec;
  ec.scoring.mode = monitor::Mode::kDetection;  // the service keeps flags only in detection mode
  ec.scoring.top_k = 3;
  std::vector<GovernedDay> reports;
  monitor::Engine engine(synth.context(), ec, [&](const monitor::DayReport& r) { reports.push_back(ToGoverned(r)); });
  std::vector<monitor::LookupEvent> events;
  for (int d = 0; d < demo.days; ++d) {
    synth.GenerateDay(d, events);
    for (auto& e : events) {
      pseud.Apply(e);
      engine.Process(e);
    }
  }
  engine.Flush();

  // The admin who switches to detection mode two thirds in.
  Actor admin;
  RETURN_IF_ERROR(store.Read([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Account a, tx.FindAccountByUsername("admin"));
    admin.account_id = a.id;
    admin.person_id = a.person_id;
    admin.roles = a.roles;
    admin.username = a.username;
    return absl::OkStatus();
  }));
  const std::int64_t switch_day = today - demo.days / 3;
  int flags = 0;
  bool switched = false;
  for (auto& r : reports) {
    if (!switched && r.day >= switch_day) {
      RETURN_IF_ERROR(service.SwitchMode(admin, monitoring::Mode::kDetection, "OR-besluit 2026-17 (demo)"));
      switched = true;
    }
    ASSIGN_OR_RETURN(app::DayRecorded rec, service.RecordDay(r.day, std::move(r.flags), std::move(r.cells)));
    flags += rec.flags_stored;
  }
  return flags;
}

}  // namespace waarborg
