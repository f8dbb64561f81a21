#include "server/monitor_setup.h"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "adapters/crypto/sealing.h"
#include "adapters/http/api_routes.h"
#include "core/common/status.h"
#include "core/common/strings.h"
#include "monitor/pseudonym.h"
#include "monitor/side_tables.h"
#include "monitor/sources/nats_jetstream.h"
#include "monitor/synthetic.h"
#include "spdlog/spdlog.h"

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

MonitorFeed::MonitorFeed(monitor::Context context, monitor::Pseudonymizer pseudonyms, app::MonitorService& service,
                         monitor::EngineConfig config)
    : context_(std::move(context)),
      pseudonyms_(std::move(pseudonyms)),
      service_(service),
      engine_(context_, config, [this](const monitor::DayReport& r) {
        GovernedDay g = ToGoverned(r);
        auto recorded = service_.RecordDay(g.day, std::move(g.flags), std::move(g.cells));
        if (recorded.ok()) {
          ++days_recorded_;
        } else if (record_status_.ok()) {
          record_status_ = recorded.status();
        }
      }) {}

monitor::EngineConfig MonitorFeed::DefaultEngineConfig() {
  monitor::EngineConfig ec;
  ec.scoring.mode = monitor::Mode::kDetection;
  ec.scoring.top_k = 3;
  return ec;
}

MonitorFeed::Batch MonitorFeed::Ingest(std::string_view json_lines) {
  std::lock_guard lock(mu_);
  days_recorded_ = 0;
  record_status_ = absl::OkStatus();
  std::istringstream in{std::string(json_lines)};
  Batch b;
  b.stats = parser_.ParseStream(in, [&](monitor::LookupEvent& e) {
    pseudonyms_.Apply(e);
    engine_.Process(e);
  });
  b.days_recorded = days_recorded_;
  b.recorded = record_status_;
  return b;
}

absl::Status MonitorFeed::Flush() {
  std::lock_guard lock(mu_);
  record_status_ = absl::OkStatus();
  engine_.Flush();
  return record_status_;
}

absl::StatusOr<std::string> LoadOrCreateSourceToken(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  if (in && std::getline(in, token) && token.size() >= 32) return token;
  static constexpr char kHex[] = "0123456789abcdef";
  token.clear();
  for (unsigned char c : crypto::NewDataKey()) {
    token.push_back(kHex[c >> 4]);
    token.push_back(kHex[c & 15]);
  }
  std::ofstream out(path, std::ios::trunc);
  ::chmod(path.c_str(), 0600);
  out << token << '\n';
  out.flush();
  if (!out) return absl::InternalError(Cat("Kan ", path, " niet schrijven."));
  return token;
}

http::Route MonitorFeedRoute(MonitorFeed& feed, std::string token) {
  http::Route r;
  r.method = "POST";
  r.pattern = "/api/monitoring/gebeurtenissen";
  r.max_body_bytes = 32u << 20;
  r.handler = [&feed, token = std::move(token)](const http::HttpRequest& req) {
    const std::string presented = req.Header("authorization");
    const std::string expected = "Bearer " + token;
    if (presented.size() != expected.size() || sodium_memcmp(presented.data(), expected.data(), expected.size()) != 0)
      return http::JsonError(
          Unauthenticated("Onbekende bron: stuur het token van de bron mee (Authorization: Bearer)."));
    MonitorFeed::Batch b = feed.Ingest(req.body);
    nlohmann::json set_aside = nlohmann::json::array();
    for (const auto& m : b.stats.set_aside) set_aside.push_back({{"line", m.line_no}, {"reason", m.reason}});
    if (!b.recorded.ok()) return http::JsonError(b.recorded);
    http::HttpResponse resp;
    resp.status = 200;
    resp.content_type = "application/json";
    resp.body = nlohmann::json{{"lines", b.stats.lines},
                               {"parsed", b.stats.parsed},
                               {"malformed", b.stats.malformed},
                               {"set_aside", set_aside},
                               {"days_recorded", b.days_recorded}}
                    .dump();
    return resp;
  };
  return r;
}

absl::StatusOr<std::unique_ptr<NatsFeedReader>> NatsFeedReader::Start(MonitorFeed& feed, const std::string& address) {
  monitor::NatsJetStreamOptions options;
  const std::size_t colon = address.rfind(':');
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &options.port) || options.port <= 0 ||
      options.port > 65535)
    return absl::InvalidArgumentError(Cat("--monitor-nats verwacht HOST:POORT, niet '", address, "'."));
  options.host = address.substr(0, colon);
  std::unique_ptr<NatsFeedReader> reader(new NatsFeedReader(feed));
  reader->thread_ = std::thread([r = reader.get(), options] {
    auto keep_going = [r] { return !r->stop_.load(); };
    while (keep_going()) {
      auto source = monitor::NatsJetStreamSource::Open(options);
      if (!source.ok()) {
        spdlog::warn(R"({{"msg":"monitor nats unavailable","error":"{}"}})",
                     std::string(FromAbsl(source.status().message())));
        for (int i = 0; i < 20 && keep_going(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        continue;
      }
      auto st = (*source)->Run(
          [r](const monitor::StreamMessage& m) {
            MonitorFeed::Batch b = r->feed_.Ingest(m.payload);
            if (b.stats.malformed > 0)
              spdlog::warn(R"({{"msg":"monitor event set aside","stream_seq":{},"reason":{}}})", m.stream_seq,
                           nlohmann::json(b.stats.set_aside.empty() ? "" : b.stats.set_aside[0].reason).dump());
            if (!b.recorded.ok())
              spdlog::error(R"({{"msg":"monitor day not recorded","error":{}}})",
                            nlohmann::json(std::string(FromAbsl(b.recorded.message()))).dump());
          },
          keep_going);
      if (!st.ok())
        spdlog::warn(R"({{"msg":"monitor nats stopped","error":{}}})",
                     nlohmann::json(std::string(FromAbsl(st.message()))).dump());
    }
  });
  return reader;
}

NatsFeedReader::~NatsFeedReader() { Stop(); }

void NatsFeedReader::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

namespace {

std::vector<app::MonitorDirectoryEntry> DirectoryOf(const monitor::Synthetic& synth, const monitor::Pseudonymizer& p,
                                                    int staff) {
  std::vector<app::MonitorDirectoryEntry> out;
  static const char kInitials[] = "ABCDEFGHIJKLMNOPRSTW";
  for (int i = 0; i < staff; ++i) {
    const std::string id = Cat("medewerker-", i);
    const monitor::StaffMember* m = synth.context().FindStaff(p.Of(id));
    if (!m) continue;
    out.push_back({id, Cat(kInitials[i % 20], ". ", Capitalised(ReadableSurname(m->surname))), m->unit});
  }
  return out;
}

}  // namespace

absl::StatusOr<DemoMonitoringData> MakeDemoMonitoring(const std::string& key, Instant now,
                                                      const std::filesystem::path& side_tables_dir,
                                                      DemoMonitoring demo) {
  ASSIGN_OR_RETURN(monitor::Pseudonymizer pseud, monitor::Pseudonymizer::Create(key));
  const std::int64_t today = std::chrono::sys_days(DateInAmsterdam(now)).time_since_epoch().count();
  monitor::Synthetic synth(DemoConfig(demo, today - demo.days), pseud);
  DemoMonitoringData data;
  data.directory = DirectoryOf(synth, pseud, demo.staff);
  data.trend_days = demo.days * 2 / 3;
  std::vector<monitor::LookupEvent> events;
  for (int d = 0; d < demo.days; ++d) {
    synth.GenerateDay(d, events);
    std::string lines;
    for (const auto& e : events) lines += monitor::ToJsonLine(e) + "\n";
    data.days.push_back(std::move(lines));
  }
  // The tables as complete as the generator made them: then the real ids.
  std::unordered_map<std::string, std::string> user_of;
  for (const auto& e : data.directory) user_of.emplace(pseud.Of(e.user_id), e.user_id);
  RETURN_IF_ERROR(monitor::WriteSideTables(synth.context(), side_tables_dir, [&](std::string_view p) {
    auto it = user_of.find(std::string(p));
    return it == user_of.end() ? std::string(p) : it->second;
  }));
  return data;
}

absl::StatusOr<int> ReplayDemoMonitoring(Store& store, app::MonitorService& service, MonitorFeed& feed,
                                         DemoMonitoringData data) {
  Actor admin;
  RETURN_IF_ERROR(store.Read([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Account a, tx.FindAccountByUsername("admin"));
    admin.account_id = a.id;
    admin.person_id = a.person_id;
    admin.roles = a.roles;
    admin.username = a.username;
    return absl::OkStatus();
  }));
  for (std::size_t d = 0; d < data.days.size(); ++d) {
    if (static_cast<int>(d) == data.trend_days) {
      RETURN_IF_ERROR(feed.Flush());
      RETURN_IF_ERROR(service.SwitchMode(admin, monitoring::Mode::kDetection, "OR-besluit 2026-17 (demo)"));
    }
    auto batch = feed.Ingest(data.days[d]);
    RETURN_IF_ERROR(batch.recorded);
    if (batch.stats.malformed) return absl::InternalError("De demo maakte onleesbare gebeurtenissen.");
    std::string().swap(data.days[d]);
  }
  RETURN_IF_ERROR(feed.Flush());
  int open = 0;
  RETURN_IF_ERROR(store.Read([&](StoreTx& tx) -> absl::Status {
    open = static_cast<int>(tx.ListFlags(monitoring::FlagStatus::kOpen, 1000).size());
    return absl::OkStatus();
  }));
  return open;
}

}  // namespace waarborg
