// waarborg: the server and its command-line tools.
//   waarborg serve --port N --data DIR [--demo] [--smtp-url URL --mail-from ADDR --public-url URL]
//   waarborg mail problems --data DIR
//   waarborg migrate --data DIR
//   waarborg audit verify --data DIR
//   waarborg tracks check [--workflows DIR]
//   waarborg demo-code --data DIR --user NAME   (demo databases only)
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "adapters/crypto/crypto.h"
#include "adapters/crypto/file_key_provider.h"
#include "adapters/crypto/totp.h"
#include "adapters/http/api_routes.h"
#include "adapters/http/server.h"
#include "adapters/http/services.h"
#include "adapters/mail/smtp_mailer.h"
#include "adapters/sqlite/sqlite_store.h"
#include "adapters/web/pages.h"
#include "adapters/workflow_files/track_loader.h"
#include "app/annual_report.h"
#include "app/audit_service.h"
#include "app/auth_service.h"
#include "app/identity_vault.h"
#include "app/learning_service.h"
#include "app/lmm_service.h"
#include "app/mail_notifier.h"
#include "app/org_service.h"
#include "app/reporter_channel.h"
#include "app/retention.h"
#include "app/track_service.h"
#include "core/common/strings.h"
#include "monitor/pseudonym.h"
#include "monitor/side_tables.h"
#include "server/demo_seed.h"
#include "server/monitor_setup.h"
#include "server/system_clock.h"

namespace fs = std::filesystem;
using namespace waarborg;

namespace {

std::string DefaultWebDir() {
  if (const char* env = std::getenv("WAARBORG_WEB_DIR")) return env;
  for (const char* p : {"web", "/usr/share/waarborg/web"}) {
    if (fs::exists(fs::path(p) / "templates")) return fs::absolute(p).string();
  }
  return std::string(WAARBORG_SOURCE_DIR) + "/web";
}

// The track definitions (workflows/tracks, workflows/units): beside web/ in
// the source tree and the package.
std::string DefaultWorkflowsDir() {
  if (const char* env = std::getenv("WAARBORG_WORKFLOWS_DIR")) return env;
  for (const char* p : {"workflows", "/usr/share/waarborg/workflows"}) {
    if (fs::exists(fs::path(p) / "tracks")) return fs::absolute(p).string();
  }
  return std::string(WAARBORG_SOURCE_DIR) + "/workflows";
}

// Reads and validates every track and every unit's tightened norms; all
// problems at once, each as "file:line: message".
absl::StatusOr<workflow::TrackCatalogue> LoadTracks(const std::string& dir) {
  const auto& guards = workflow::StandardGuards();
  auto tracks = workflow_files::LoadAllTracks((fs::path(dir) / "tracks").string(), guards);
  if (!tracks.ok()) return tracks.status();
  auto units = workflow_files::LoadUnitOverrides((fs::path(dir) / "units").string(), *tracks, guards);
  if (!units.ok()) return units.status();
  workflow::TrackCatalogue out;
  out.tracks = std::move(*tracks);
  for (auto& u : *units) out.unit_overrides.push_back({u.unit, std::move(u.track)});
  return out;
}

absl::Status InvalidTracks(const absl::Status& st) {
  return absl::Status(st.code(), Cat("De trajectdefinities kloppen niet; de server start niet.\n",
                                     std::string(FromAbsl(st.message()))));
}

// The master key that wraps every case key: a file with mode 0600 (created
// on first start), by default beside the database. Keep it on another disk
// than the backups of the database, or a copy of both reveals the cases.
absl::StatusOr<std::unique_ptr<SqliteStore>> OpenStore(const std::string& data_dir, std::string key_file) {
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) return absl::UnavailableError(Cat("Kan map ", data_dir, " niet maken: ", ec.message()));
  fs::permissions(data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (key_file.empty()) key_file = (fs::path(data_dir) / "master.key").string();
  auto keys = crypto::FileKeyProvider::Open(key_file, /*create_if_missing=*/true);
  if (!keys.ok()) return keys.status();
  return SqliteStore::Open((fs::path(data_dir) / "waarborg.db").string(), crypto::Sha256Hex,
                           std::shared_ptr<KeyProvider>(std::move(*keys)));
}

int Fail(const absl::Status& st) {
  std::cerr << "waarborg: " << st.message() << "\n";
  return 1;
}

void SetUpJsonLogs() {
  auto logger = spdlog::stdout_logger_mt("waarborg");
  // One JSON object per line; messages are already JSON fragments.
  logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","event":%v})", spdlog::pattern_time_type::utc);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Waarborg: integriteitsmeldingen, vertrouwenswerk en onderzoeken"};
  cli.require_subcommand(1);

  std::string data_dir = "data";
  std::uint16_t port = 8080;
  std::string address = "127.0.0.1";
  bool demo = false;
  std::size_t threads = 4;
  std::string web_dir;
  bool secure_cookies = false;
  std::string key_file;
  cli.add_option("--key-file", key_file, "Bestand met de hoofdsleutel (standaard DATAMAP/master.key, modus 0600)");
  auto* serve = cli.add_subcommand("serve", "Start de server");
  serve->add_option("--port", port, "TCP-poort (0 = kies een vrije)");
  serve->add_option("--address", address, "Adres om op te luisteren");
  serve->add_option("--data", data_dir, "Datamap (wordt aangemaakt en gemigreerd)");
  serve->add_flag("--demo", demo, "Vul een nieuwe database met de demo-organisatie");
  serve->add_option("--threads", threads, "Aantal werkthreads");
  serve->add_option("--web-dir", web_dir, "Map met templates en statische bestanden");
  serve->add_flag("--secure-cookies", secure_cookies, "Secure-cookies (achter een TLS-proxy)");
  std::string chromium = "/usr/bin/chromium";
  serve->add_option("--chromium", chromium, "Chromium dat een verslag als PDF afdrukt (standaard /usr/bin/chromium)");

  // E-mail notices (app/mail_notifier). Without --smtp-url the server sends
  // no mail and the reporter is not offered a notice by e-mail.
  std::string smtp_url, mail_from = "waarborg@localhost", public_url, smtp_user, starttls = "try";
  std::int64_t mail_interval_ms = 5000;
  serve->add_option("--smtp-url", smtp_url, "Mailserver voor e-mailberichten: smtp://host:poort of smtps://host:poort");
  serve->add_option("--mail-from", mail_from, "Afzender van e-mailberichten, bv. \"Waarborg <waarborg@example.nl>\"");
  serve->add_option("--public-url", public_url,
                    "Adres waarop mensen Waarborg bereiken (standaard http://localhost:POORT)");
  serve->add_option("--smtp-starttls", starttls, "STARTTLS bij smtp://: none, try of required")
      ->check(CLI::IsMember({"none", "try", "required"}));
  serve->add_option("--smtp-user", smtp_user,
                    "Gebruikersnaam bij de mailserver (wachtwoord in WAARBORG_SMTP_PASSWORD)");
  serve->add_option("--mail-interval-ms", mail_interval_ms, "Hoe vaak de uitgaande e-mail wordt verwerkt (ms)")
      ->check(CLI::Range(static_cast<std::int64_t>(50), static_cast<std::int64_t>(3'600'000)));

  // Learning cases (issue 5 §5): a unit with fewer staff is not named.
  int learning_min_staff = 50;
  std::string learning_period = "kwartaal";
  serve
      ->add_option("--learning-min-staff", learning_min_staff,
                   "Leercasussen: een eenheid met minder medewerkers wordt niet genoemd (standaard 50)")
      ->check(CLI::Range(2, 100000));
  serve->add_option("--learning-period", learning_period, "Leercasussen: datums worden kwartaal, seizoen of jaar")
      ->check(CLI::IsMember({"kwartaal", "seizoen", "jaar"}));

  // Protective Monitoring (issue 6): the user directory pseudonyms are
  // resolved against (default DATAMAP/monitor_staff.tsv).
  std::string monitor_staff, monitor_nats;
  bool demo_monitoring_on = true;
  serve->add_option("--demo-monitoring", demo_monitoring_on,
                    "Met --demo: ook drie weken monitoring van een fictieve organisatie (standaard aan)");
  serve->add_option("--monitor-nats", monitor_nats,
                    "Monitoring: lees gebeurtenissen uit NATS JetStream op HOST:POORT (stroom MONITOR_LOOKUPS, "
                    "onderwerp monitor.lookups)");
  serve->add_option("--monitor-staff", monitor_staff,
                    "Monitoring: gebruikerslijst van de bronsystemen (gebruikersnummer, tab, naam, tab, eenheid)");

  auto* migrate = cli.add_subcommand("migrate", "Maak of migreer de database");
  migrate->add_option("--data", data_dir, "Datamap");

  auto* audit = cli.add_subcommand("audit", "Audittrail");
  auto* verify = audit->add_subcommand("verify", "Controleer de hashketen van de audittrail");
  verify->add_option("--data", data_dir, "Datamap");
  audit->require_subcommand(1);

  auto* retention = cli.add_subcommand("retention", "Bewaartermijnen");
  auto* retention_run =
      retention->add_subcommand("run", "Vernietig nu de meldingen waarvan de bewaartermijn is verstreken");
  retention_run->add_option("--data", data_dir, "Datamap");
  retention->require_subcommand(1);

  auto* mail_cmd = cli.add_subcommand("mail", "Uitgaande e-mail");
  auto* mail_problems = mail_cmd->add_subcommand("problems", "Toon e-mails die niet verzonden konden worden");
  mail_problems->add_option("--data", data_dir, "Datamap");
  mail_cmd->require_subcommand(1);

  std::string workflows_dir;
  serve->add_option("--workflows", workflows_dir, "Map met de trajectdefinities (tracks/, units/)");
  auto* tracks_cmd = cli.add_subcommand("tracks", "Trajecten als data");
  auto* tracks_check = tracks_cmd->add_subcommand("check", "Lees en controleer alle trajectdefinities");
  tracks_check->add_option("--workflows", workflows_dir, "Map met de trajectdefinities (tracks/, units/)");
  tracks_cmd->require_subcommand(1);

  std::string user;
  auto* demo_code = cli.add_subcommand("demo-code", "Toon de huidige TOTP-code van een demo-account");
  demo_code->add_option("--data", data_dir, "Datamap");
  demo_code->add_option("--user", user, "Gebruikersnaam")->required();
  auto* demo_secret = cli.add_subcommand("demo-secret", "Toon de TOTP-sleutel (base32) van een demo-account");
  demo_secret->add_option("--data", data_dir, "Datamap");
  demo_secret->add_option("--user", user, "Gebruikersnaam")->required();

  CLI11_PARSE(cli, argc, argv);

  // Tracks first: an invalid definition stops the server before it opens
  // anything.
  if (workflows_dir.empty()) workflows_dir = DefaultWorkflowsDir();
  workflow::TrackCatalogue tracks;
  std::optional<workflow::LmmTrack> lmm_track;
  if (*tracks_check || *serve) {
    auto loaded = LoadTracks(workflows_dir);
    if (!loaded.ok()) return Fail(InvalidTracks(loaded.status()));
    tracks = std::move(*loaded);
    // The LMM's use cases run on its file: it must fit the case model.
    const auto* lmm_def = tracks.Find("lmm");
    if (!lmm_def) return Fail(InvalidTracks(absl::InvalidArgumentError("tracks/lmm.yaml ontbreekt.")));
    auto bound = workflow::LmmTrack::Bind(*lmm_def);
    if (!bound.ok()) return Fail(InvalidTracks(bound.status()));
    lmm_track.emplace(std::move(*bound));
  }
  if (*tracks_check) {
    for (const auto& t : tracks.tracks)
      std::cout << t.id << ": " << t.name << " - " << t.states.size() << " stappen, " << t.transitions.size()
                << " overgangen, " << t.deadlines.size() << " termijnen\n";
    for (const auto& u : tracks.unit_overrides)
      std::cout << "aangescherpt door " << u.unit << ": " << u.track.id << "\n";
    std::cout << "Alle trajectdefinities in " << workflows_dir << " zijn geldig.\n";
    return 0;
  }

  SystemClock clock;
  auto store_or = OpenStore(data_dir, key_file);
  if (!store_or.ok()) return Fail(store_or.status());
  auto& store = **store_or;

  if (*migrate) {
    std::cout << "Database gemigreerd naar schemaversie " << store.SchemaVersion() << ".\n";
    return 0;
  }
  if (*verify) {
    app::AuditService audit_service(store, clock, crypto::Sha256Hex);
    auto report = audit_service.Verify();
    if (!report.ok()) return Fail(report.status());
    if (report->ok) {
      std::cout << "Audittrail intact: " << report->events_checked << " gebeurtenissen gecontroleerd.\n";
      return 0;
    }
    std::cout << "Audittrail GEBROKEN bij gebeurtenis " << report->first_broken_seq << ": " << report->reason << " ("
              << report->events_checked << " gebeurtenissen gelezen).\n";
    return 2;
  }
  if (*demo_code || *demo_secret) {
    absl::StatusOr<Account> account = absl::NotFoundError("");
    bool is_demo = false;
    (void)store.Transact([&](StoreTx& tx) {
      is_demo = tx.GetSetting("demo").has_value();
      account = tx.FindAccountByUsername(user);
      return absl::OkStatus();
    });
    if (!is_demo) return Fail(absl::FailedPreconditionError("Alleen voor demo-databases."));
    if (!account.ok() || account->totp_secret.empty())
      return Fail(absl::NotFoundError("Geen demo-account met tweede factor met die naam."));
    if (*demo_secret) {
      std::cout << crypto::Base32Encode(account->totp_secret) << "\n";
    } else {
      std::cout << crypto::TotpCode(account->totp_secret, clock.Now() / 1000) << "\n";
    }
    return 0;
  }

  if (*retention_run) {
    app::Retention job(store, clock);
    auto n = job.RunOnce();
    if (!n.ok()) return Fail(n.status());
    std::cout << *n << " meldingen vernietigd.\n";
    return 0;
  }

  if (*mail_problems) {
    std::vector<OutboxMail> problems;
    auto st = store.Read([&](StoreTx& tx) {
      problems = tx.ListMailProblems(200);
      return absl::OkStatus();
    });
    if (!st.ok()) return Fail(st);
    if (problems.empty()) {
      std::cout << "Geen e-mails met problemen.\n";
      return 0;
    }
    // Ids, attempts and the error only: no address is stored, none is shown.
    std::cout << problems.size() << " e-mail(s) niet verzonden:\n";
    for (const auto& m : problems) {
      std::cout << "  e-mail " << m.id << "  melding " << m.case_id << "  " << m.kind << "  pogingen " << m.attempts
                << "  "
                << (m.next_attempt_at ? Cat("volgende poging ", FormatInstantNl(*m.next_attempt_at))
                                      : std::string("opgegeven"))
                << "\n      laatste fout: " << m.last_error << "\n";
    }
    return 0;
  }

  // serve
  SetUpJsonLogs();
  std::unique_ptr<mail::SmtpMailer> mailer;
  if (!smtp_url.empty()) {
    if (!public_url.empty() && public_url.rfind("http://", 0) != 0 && public_url.rfind("https://", 0) != 0)
      return Fail(absl::InvalidArgumentError("--public-url moet beginnen met http:// of https://."));
    mail::SmtpOptions smtp;
    smtp.url = smtp_url;
    smtp.from = mail_from;
    smtp.starttls = starttls == "none"       ? mail::StartTls::kNone
                    : starttls == "required" ? mail::StartTls::kRequired
                                             : mail::StartTls::kTry;
    smtp.username = smtp_user;
    if (const char* pw = std::getenv("WAARBORG_SMTP_PASSWORD")) smtp.password = pw;
    auto m = mail::SmtpMailer::Create(std::move(smtp));
    if (!m.ok()) return Fail(m.status());
    mailer = std::move(*m);
  }
  app::ReporterChannelPolicy channel_policy;
  channel_policy.email_notices = mailer != nullptr;
  app::AuthService auth(store, clock);
  app::LmmService lmm(store, clock, *lmm_track);
  app::AuditService audit_service(store, clock, crypto::Sha256Hex);
  app::ReporterChannel channel(store, clock, lmm, channel_policy);
  app::IdentityVault vault(store, clock);
  std::string demo_receipt;
  if (demo) {
    auto seeded = SeedDemo(store, lmm, channel);
    if (!seeded.ok()) return Fail(seeded.status());
    demo_receipt = *seeded;
  }
  if (auto st = vault.SealLegacyIdentities(); !st.ok()) return Fail(st);
  app::Retention retention_job(store, clock);
  retention_job.StartDaily();
  app::OrgService org(store, clock);
  app::TrackService track_service(store, clock, tracks);
  if (demo && !demo_receipt.empty())
    if (auto st = SeedDemoTracks(store, track_service); !st.ok()) return Fail(st);
  // The dashboards: facts for cases from before they existed, then all of
  // them in memory, following changes five times a second.
  if (auto n = lmm.WriteMissingFacts(); !n.ok()) return Fail(n.status());
  if (auto n = track_service.WriteMissingFacts(); !n.ok()) return Fail(n.status());
  app::DashboardService dashboard(store, clock, tracks);
  {
    const auto started = std::chrono::steady_clock::now();
    if (auto st = dashboard.Load(); !st.ok()) return Fail(st);
    spdlog::info(
        R"({{"msg":"dashboard loaded","facts":{},"ms":{}}})", dashboard.FactCount(),
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
  }
  dashboard.StartFollowing(std::chrono::milliseconds(200));
  learning::Policy learning_policy;
  learning_policy.min_staff = learning_min_staff;
  learning_policy.period = learning_period == "jaar"      ? learning::PeriodGranularity::kYear
                           : learning_period == "seizoen" ? learning::PeriodGranularity::kSeason
                                                          : learning::PeriodGranularity::kQuarter;
  app::LearningService learning_service(store, clock, tracks, learning_policy);
  if (demo && !demo_receipt.empty())
    if (auto st = SeedDemoLearning(store, track_service); !st.ok()) return Fail(st);
  http::Services services{store,
                          clock,
                          auth,
                          lmm,
                          audit_service,
                          org,
                          channel,
                          vault,
                          web_dir.empty() ? DefaultWebDir() : web_dir,
                          &tracks,
                          &track_service,
                          &dashboard,
                          &learning_service};
  // The annual and management reports, from the dashboard's facts (issue 5 §4).
  app::AnnualReportService reports(store, clock, tracks, dashboard);
  services.reports = &reports;
  // Protective Monitoring (issue 6): the key that makes pseudonyms lives
  // beside the database, never in it; the directory resolves them.
  auto monitor_key = LoadOrCreateMonitorKey((std::filesystem::path(data_dir) / "monitor.key").string());
  if (!monitor_key.ok()) return Fail(monitor_key.status());
  auto pseudonyms = monitor::Pseudonymizer::Create(*monitor_key);
  if (!pseudonyms.ok()) return Fail(pseudonyms.status());
  if (monitor_staff.empty()) monitor_staff = (std::filesystem::path(data_dir) / "monitor_staff.tsv").string();
  const std::filesystem::path side_tables = std::filesystem::path(data_dir) / "monitor";
  std::optional<DemoMonitoringData> demo_monitoring;
  if (demo && demo_monitoring_on && !demo_receipt.empty()) {
    auto made = MakeDemoMonitoring(*monitor_key, clock.Now(), side_tables);
    if (!made.ok()) return Fail(made.status());
    if (auto st = WriteMonitorDirectory(monitor_staff, made->directory); !st.ok()) return Fail(st);
    demo_monitoring = std::move(*made);
  }
  auto monitor_directory = LoadMonitorDirectory(monitor_staff);
  if (!monitor_directory.ok()) return Fail(monitor_directory.status());
  app::MonitorService monitor_service(
      store, clock, track_service, [p = *pseudonyms](std::string_view id) { return p.Of(id); },
      std::move(*monitor_directory));
  // The engine over the side tables of DATA/monitor/ (staff, subjects, cases,
  // dispatches as the source systems deliver them), fed by the batch endpoint.
  monitor::Context monitor_context;
  const monitor::SideTableStats side = monitor::LoadSideTables(side_tables, *pseudonyms, monitor_context);
  spdlog::info(R"({{"msg":"monitor side tables","staff":{},"subjects":{},"cases":{},"dispatches":{},"malformed":{}}})",
               side.staff, side.subjects, side.cases, side.dispatches, side.malformed);
  MonitorFeed monitor_feed(std::move(monitor_context), *pseudonyms, monitor_service);
  if (demo_monitoring) {
    auto flags = ReplayDemoMonitoring(store, monitor_service, monitor_feed, std::move(*demo_monitoring));
    if (!flags.ok()) return Fail(flags.status());
    spdlog::info(R"({{"msg":"demo monitoring seeded","open_flags":{}}})", *flags);
  }
  auto source_token = LoadOrCreateSourceToken((std::filesystem::path(data_dir) / "monitor_source.token").string());
  if (!source_token.ok()) return Fail(source_token.status());
  services.monitor = &monitor_service;
  services.chromium = chromium;
  std::vector<http::Route> routes = http::ApiRoutes(services);
  for (auto& r : http::ReporterApiRoutes(services)) routes.push_back(std::move(r));
  for (auto& r : web::PageRoutes(services)) routes.push_back(std::move(r));
  routes.push_back(MonitorFeedRoute(monitor_feed, *source_token));
  std::unique_ptr<NatsFeedReader> nats_reader;
  if (!monitor_nats.empty()) {
    auto reader = NatsFeedReader::Start(monitor_feed, monitor_nats);
    if (!reader.ok()) return Fail(reader.status());
    nats_reader = std::move(*reader);
  }
  http::Handler not_found = [](const http::HttpRequest& req) {
    if (req.path.rfind("/api/", 0) == 0) return http::JsonError(absl::NotFoundError("Onbekende route."));
    return http::HttpResponse{404, "text/html; charset=utf-8",
                              "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Niet gevonden - "
                              "Waarborg</title></head><body><main><h1>Pagina niet gevonden</h1><p>Deze pagina bestaat "
                              "niet. <a href=\"/\">Naar de startpagina</a></p></main></body></html>"};
  };

  // Started once the port is known (--port 0 picks one), for the default link.
  std::unique_ptr<app::MailNotifier> notifier;

  http::ServerOptions opts;
  opts.address = address;
  opts.port = port;
  opts.threads = threads;
  opts.tls_terminated_upstream = secure_cookies;
  // The banner goes to stderr, so stdout carries only JSON lines.
  auto st = http::Serve(opts, std::move(routes), not_found, [&](std::uint16_t p) {
    spdlog::info(R"({{"msg":"listening","address":"{}","port":{}}})", address, p);
    if (mailer && !notifier) {
      app::MailSettings mail_settings;
      mail_settings.public_url = public_url.empty() ? Cat("http://localhost:", p) : public_url;
      notifier = std::make_unique<app::MailNotifier>(store, clock, *mailer, mail_settings);
      notifier->Start(std::chrono::milliseconds(mail_interval_ms));
      spdlog::info(R"({{"msg":"mail notices on","interval_ms":{}}})", mail_interval_ms);
    }
    std::cerr << "Waarborg luistert op http://" << (address == "127.0.0.1" ? "localhost" : address) << ":" << p
              << std::endl;
    if (demo) {
      std::cerr << "\nDemo-inloggegevens (wachtwoord voor allen: " << kDemoPassword << "):\n";
      for (const auto& l : DemoLogins(store)) {
        std::cerr << "  " << l.username << "  (" << l.role_label << ")";
        if (!l.totp_secret_base32.empty())
          std::cerr << "\n      TOTP-sleutel: " << l.totp_secret_base32 << "  (huidige code: " << argv[0]
                    << " demo-code --data " << data_dir << " --user " << l.username << ")";
        std::cerr << "\n";
      }
      if (!demo_receipt.empty())
        std::cerr << "\nFictieve demo-melding: log als melder in op /melden/terug met bonnummer " << demo_receipt
                  << "\n";
      std::cerr << std::endl;
    }
  });
  if (nats_reader) nats_reader->Stop();
  if (!st.ok()) return Fail(st);
  return 0;
}
