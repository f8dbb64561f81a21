// bench_seed: creates a fresh Waarborg data directory for the case benchmark.
//
//   bench_seed --data DIR [--cases 100000] [--audit 1000000] [--vpi1-every 33]
//
// 1. Seeds the demo organisation (waarborg::SeedDemo: units, ~200 people,
//    demo accounts with TOTP, five demo cases), so `waarborg demo-code` and
//    the demo log-ins work against the result.
// 2. Adds a pool of extra VPIs (people only; they never log in) so that
//    staffing is spread realistically instead of over the four demo advisors.
// 3. Bulk-inserts N LMM cases over all units, states and advisors through
//    the Store port (StoreTx::InsertCase / InsertIdentity / AppendCaseEvent),
//    in transactions of --batch rows. The demo account vpi1 is VPI of the
//    reporter or weighing VPI on every --vpi1-every-th case (~3,000 of 100,000).
// 4. Appends hash-chained audit events (StoreTx::AppendAudit, SHA-256) until
//    the trail holds --audit events in total.
//
// Refuses to touch a directory that already holds a database (use a fresh
// one; bench/run_case_bench.sh makes its own).
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>

#include "adapters/crypto/crypto.h"
#include "adapters/crypto/file_key_provider.h"
#include "adapters/sqlite/sqlite_store.h"
#include "adapters/workflow_files/shipped_tracks.h"
#include "app/lmm_service.h"
#include "core/calendar/dutch_calendar.h"
#include "core/common/status.h"
#include "core/workflow/lmm_track.h"
#include "server/system_clock.h"

// demo_seed.cc is part of the server executable, not of a library: compile it
// in here so the benchmark database has exactly the demo organisation.
#include "../src/server/demo_seed.cc"

namespace fs = std::filesystem;
using namespace waarborg;

namespace {

using Clock_ = std::chrono::steady_clock;

// The master key beside the benchmark database, as `waarborg serve` does.
std::shared_ptr<KeyProvider> BenchKeys(const fs::path& db_path) {
  auto k = crypto::FileKeyProvider::Open((db_path.parent_path() / "master.key").string(), true);
  if (!k.ok()) {
    std::cerr << k.status().message() << "\n";
    std::exit(1);
  }
  return std::shared_ptr<KeyProvider>(std::move(*k));
}

double Seconds(Clock_::time_point since) {
  return std::chrono::duration<double>(Clock_::now() - since).count();
}

int Fail(const absl::Status& st) {
  std::cerr << "bench_seed: " << st << "\n";
  return 1;
}

Instant InstantOf(Date d, int hour) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::sys_days(d).time_since_epoch()).count() +
         hour * 3600LL * 1000LL;
}

const char* const kSummaries[] = {
    "Vermoeden van fraude met declaraties", "Onveilige opslag van wapens en munitie",
    "Lekken van vertrouwelijke informatie", "Privégebruik van dienstvoertuigen",
    "Belangenverstrengeling bij aanbesteding", "Onrechtmatig raadplegen van politiesystemen",
    "Intimidatie door leidinggevende", "Wegkijken bij geweldsincident",
    "Manipulatie van registraties", "Aannemen van giften van ondernemer"};

// ~600 bytes, close to what a VPI writes down at intake.
const char* kDescription =
    "De melder beschrijft dat op de werkplek gedurende een langere periode handelingen plaatsvinden die "
    "in strijd lijken met wet- en regelgeving en met de interne gedragscode. Meerdere collega's zouden "
    "hiervan op de hoogte zijn, maar niemand heeft tot nu toe melding gemaakt uit angst voor de gevolgen. "
    "De melder noemt data, plaatsen en betrokkenen en geeft aan dat er stukken beschikbaar zijn die het "
    "vermoeden onderbouwen. De melder wil anoniem blijven richting de eigen leidinggevende en vraagt om "
    "een gesprek met een vertrouwenspersoon integriteit over de mogelijke vervolgstappen.";

struct StateMix {
  LmmState state;
  int weight;  // per 100
};
const StateMix kMix[] = {
    {LmmState::kRegistered, 8}, {LmmState::kStaffed, 12},      {LmmState::kWeighing, 15},
    {LmmState::kAdvised, 8},    {LmmState::kInvestigation, 7}, {LmmState::kClosed, 38},
    {LmmState::kReferred, 12},
};

LmmState PickState(std::mt19937_64& rng) {
  int r = static_cast<int>(rng() % 100);
  for (const auto& m : kMix) {
    if (r < m.weight) return m.state;
    r -= m.weight;
  }
  return LmmState::kClosed;
}

int Rank(LmmState s) {
  switch (s) {
    case LmmState::kRegistered: return 0;
    case LmmState::kStaffed: return 1;
    case LmmState::kWeighing: return 2;
    case LmmState::kAdvised: return 3;
    case LmmState::kInvestigation: return 4;
    case LmmState::kClosed: return 5;
    case LmmState::kReferred: return 2;  // referred right after the definition test
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Maakt een benchmarkdatabase: demo-organisatie, N meldingen, M auditgebeurtenissen"};
  std::string data_dir;
  int n_cases = 100000;
  std::int64_t n_audit = 1000000;
  int batch = 5000;
  int vpi1_every = 33;
  int extra_advisors = 60;
  std::uint64_t seed = 20261123;
  cli.add_option("--data", data_dir, "Nieuwe datamap")->required();
  cli.add_option("--cases", n_cases, "Aantal meldingen");
  cli.add_option("--audit", n_audit, "Totaal aantal auditgebeurtenissen");
  cli.add_option("--batch", batch, "Rijen per transactie");
  cli.add_option("--vpi1-every", vpi1_every, "vpi1 is lid van elke N-de melding");
  cli.add_option("--extra-advisors", extra_advisors, "Extra VPI's (personen) om zaken over te verdelen");
  cli.add_option("--seed", seed, "Seed voor de random generator");
  CLI11_PARSE(cli, argc, argv);
  if (batch < 1 || vpi1_every < 1 || n_cases < 0) return Fail(absl::InvalidArgumentError("ongeldige parameters"));

  const auto t_all = Clock_::now();
  const fs::path db_path = fs::path(data_dir) / "waarborg.db";
  if (fs::exists(db_path)) return Fail(absl::AlreadyExistsError(Cat(db_path.string(), " bestaat al; kies een lege map")));
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) return Fail(absl::UnavailableError(ec.message()));
  fs::permissions(data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);

  auto store_or = SqliteStore::Open(db_path.string(), crypto::Sha256Hex, BenchKeys(db_path));
  if (!store_or.ok()) return Fail(store_or.status());
  SqliteStore& store = **store_or;
  SystemClock clock;
  app::LmmService lmm(store, clock, workflow_files::ShippedLmmTrack());

  // --- 1. demo organisation ---
  auto t = Clock_::now();
  app::ReporterChannel channel(store, clock, lmm);
  if (auto st = SeedDemo(store, lmm, channel); !st.ok()) return Fail(st.status());
  std::printf("demo organisation seeded          %8.2f s\n", Seconds(t));

  // --- 2. who is who ---
  std::vector<Id> units;     // every unit except the corps itself
  std::vector<Id> people;    // subjects named in reports
  std::vector<Id> advisors;  // demo advisors + extra VPI pool
  Id vpi1 = 0, coordinator = 0;
  std::vector<std::string> actors;  // usernames for audit events
  t = Clock_::now();
  auto st = store.Transact([&](StoreTx& tx) -> absl::Status {
    for (const auto& u : tx.ListUnits())
      if (u.parent_id) units.push_back(u.id);
    const std::int64_t n_people = tx.CountPeople();
    for (Id id = 1; id <= n_people; ++id)
      if (tx.GetPerson(id).ok()) people.push_back(id);
    ASSIGN_OR_RETURN(Account a1, tx.FindAccountByUsername("vpi1"));
    ASSIGN_OR_RETURN(Account ac, tx.FindAccountByUsername("coordinator"));
    vpi1 = a1.person_id;
    coordinator = ac.person_id;
    for (const auto& p : tx.ListAdvisors())
      if (p.id != vpi1) advisors.push_back(p.id);
    // The VPI pool: people in a "Bureau Integriteit" team of the corps staff.
    ASSIGN_OR_RETURN(Id bureau, tx.InsertUnit({0, "Bureau Vertrouwenspersonen", UnitKind::kTeam, units.front()}));
    for (int i = 0; i < extra_advisors; ++i) {
      ASSIGN_OR_RETURN(Id p, tx.InsertPerson({0, Cat("VPI ", kFirst[i % std::size(kFirst)], " ",
                                                       kLast[(i * 7) % std::size(kLast)]),
                                              "Vertrouwenspersoon Integriteit", "Schaal 9", bureau, std::nullopt}));
      advisors.push_back(p);
    }
    for (const char* u : {"vpi1", "vpi2", "vpi3", "coordinator", "authority", "auditor", "employee"}) actors.push_back(u);
    return absl::OkStatus();
  });
  if (!st.ok()) return Fail(st);

  // --- 3. cases ---
  std::mt19937_64 rng(seed);
  const Date today = lmm.Today();
  const calendar::HolidayOptions holidays;
  std::int64_t vpi1_cases = 0, vpi1_open = 0;
  int inserted = 0;
  std::vector<Id> case_ids;
  case_ids.reserve(n_cases);
  t = Clock_::now();
  while (inserted < n_cases) {
    const int end = std::min(n_cases, inserted + batch);
    st = store.Transact([&](StoreTx& tx) -> absl::Status {
      for (int i = inserted; i < end; ++i) {
        LmmCase c;
        const int age_days = static_cast<int>(rng() % (5 * 365));  // received in the last five years
        // Open cases are mostly recent; old ones are mostly closed.
        LmmState state = PickState(rng);
        if (age_days > 365 && !IsTerminal(state) && rng() % 4 != 0) state = LmmState::kClosed;
        const Date received = calendar::AddDays(today, -age_days);
        c.reference = Cat("LMM-", static_cast<int>(received.year()), "-", fmt::format("{:06d}", i + 1));
        c.state = state;
        c.received_at = InstantOf(received, 9);
        c.updated_at = c.received_at + 86400000LL * std::min(age_days, 30);
        c.channel = kIntakeChannels[rng() % kIntakeChannels.size()];
        c.reporter_category = kReporterCategories[rng() % 3];
        c.pseudonym = Cat("Melder ", fmt::format("{:06d}", i + 1));
        c.summary = kSummaries[rng() % std::size(kSummaries)];
        c.description = kDescription;
        c.unit_id = units[rng() % units.size()];
        c.subject_person_ids = {people[rng() % people.size()]};
        const bool with_vpi1 = i % vpi1_every == 0;
        const int rank = Rank(state);
        if (rank >= 1 || with_vpi1) {
          Id a = advisors[rng() % advisors.size()];
          Id b = advisors[rng() % advisors.size()];
          if (b == a) b = advisors[(std::find(advisors.begin(), advisors.end(), a) - advisors.begin() + 1) % advisors.size()];
          if (with_vpi1) (rng() % 2 ? a : b) = vpi1;
          c.reporter_advisor_id = a;
          c.weighing_advisor_id = b;
          if (state == LmmState::kRegistered) c.state = state = LmmState::kStaffed;
        }
        c.registered_by_person = c.channel == "online" ? 0 : c.reporter_advisor_id.value_or(coordinator);
        c.acknowledgement_due = workflow_files::ShippedLmmTrack().AcknowledgementDue(received);
        if (Rank(state) >= 1) c.acknowledged_on = calendar::AddDays(received, 2);
        c.feedback_due = workflow_files::ShippedLmmTrack().FeedbackDue(received, c.acknowledged_on);
        if (Rank(state) >= 2) {
          DefinitionTest dt;
          dt.reasonable_grounds = true;
          dt.public_interest = state != LmmState::kReferred;
          if (state == LmmState::kReferred) {
            dt.exclusions = {"labour_dispute"};
            dt.referral = "hrm";
          } else {
            dt.harms = {"statutory_violation", "proper_functioning"};
          }
          c.definition_test = dt;
        }
        if (Rank(state) >= 2 && state != LmmState::kReferred) {
          Weighing w;
          w.expected_end = calendar::AddWorkingDays(received, 40, holidays);
          for (auto k : kWeighingCriteria)
            w.findings[std::string(k)] = {true, "Onderbouwd met stukken en een gesprek met de melder."};
          c.weighing = w;
        }
        if (Rank(state) >= 3 && state != LmmState::kReferred) {
          c.reviews.push_back({coordinator, true, true, "Weging is zorgvuldig.", c.received_at + 30 * 86400000LL});
          c.advice = Advice{true, rng() % 2 == 0, "Alle vier criteria zijn voldoende onderbouwd.",
                            c.received_at + 35 * 86400000LL};
        }
        if (Rank(state) >= 4 && state != LmmState::kReferred) {
          c.decision = AuthorityDecision{true, "", state == LmmState::kInvestigation, "", c.received_at + 40 * 86400000LL};
        }
        if (IsTerminal(state)) c.feedback_given_on = calendar::AddDays(received, 60);

        ASSIGN_OR_RETURN(Id id, tx.InsertCase(c));
        case_ids.push_back(id);
        if (c.reporter_advisor_id == vpi1 || c.weighing_advisor_id == vpi1) {
          ++vpi1_cases;
          if (!IsTerminal(state)) ++vpi1_open;
        }
        CaseEvent ev{.case_id = id, .at = c.received_at, .actor_person = c.registered_by_person,
                     .kind = "registered",
                     .text = Cat("Melding geregistreerd (", IntakeChannelLabelNl(c.channel), "), ontvangen op ",
                                 FormatDateNl(received), "."),
                     .on = std::nullopt};
        RETURN_IF_ERROR(tx.AppendCaseEvent(ev).status());
        if (c.reporter_advisor_id) {
          CaseEvent staffed{.case_id = id, .at = c.received_at + 86400000LL, .actor_person = coordinator,
                            .kind = "staffed", .text = "Twee vertrouwenspersonen toegewezen.",
                            .on = std::nullopt};
          RETURN_IF_ERROR(tx.AppendCaseEvent(staffed).status());
        }
      }
      return absl::OkStatus();
    });
    if (!st.ok()) return Fail(st);
    inserted = end;
  }
  const double case_s = Seconds(t);
  std::printf("cases inserted       %9d    %8.2f s  (%.0f/s)\n", inserted, case_s,
              case_s > 0 ? inserted / case_s : 0.0);
  std::printf("  vpi1 member of     %9lld    (%lld open)\n", static_cast<long long>(vpi1_cases),
              static_cast<long long>(vpi1_open));

  // --- 4. audit trail up to n_audit events ---
  std::int64_t have = 0;
  st = store.Transact([&](StoreTx& tx) {
    AuditQuery q;
    q.limit = 1;
    auto last = tx.SearchAudit(q);
    have = last.empty() ? 0 : last.front().seq;
    return absl::OkStatus();
  });
  if (!st.ok()) return Fail(st);
  const char* const kActions[] = {"case.read", "case.read", "case.read", "case.list", "case.staff",
                                  "case.definition_test", "case.weighing", "auth.login"};
  const Instant now = clock.Now();
  const Instant span = 5LL * 365 * 86400000LL;
  std::int64_t appended = 0;
  t = Clock_::now();
  while (have < n_audit) {
    const std::int64_t end = std::min<std::int64_t>(n_audit, have + batch * 4);
    st = store.Transact([&](StoreTx& tx) -> absl::Status {
      for (std::int64_t k = have; k < end; ++k) {
        AuditEvent e;
        // Chronological: the trail is appended in time order.
        e.at = now - span + (span * k) / std::max<std::int64_t>(n_audit, 1);
        e.actor = actors[rng() % actors.size()];
        e.session = Cat("bench-", rng() % 100000);
        e.action = kActions[rng() % std::size(kActions)];
        if (e.action != "case.list" && e.action != "auth.login" && !case_ids.empty()) {
          e.case_id = std::to_string(case_ids[k < static_cast<std::int64_t>(case_ids.size())
                                                  ? k  // every case gets its case.create-like first event
                                                  : rng() % case_ids.size()]);
        } else if (e.action == "case.list") {
          e.detail = "50 meldingen";
        }
        RETURN_IF_ERROR(tx.AppendAudit(e));
        ++appended;
      }
      return absl::OkStatus();
    });
    if (!st.ok()) return Fail(st);
    have = end;
  }
  const double audit_s = Seconds(t);
  std::printf("audit events appended%9lld    %8.2f s  (%.0f/s), trail now %lld\n", static_cast<long long>(appended),
              audit_s, audit_s > 0 ? appended / audit_s : 0.0, static_cast<long long>(have));

  // Checkpoint so the benchmark starts from a compact WAL.
  t = Clock_::now();
  (void)store.Transact([&](StoreTx&) { return absl::OkStatus(); });
  store_or->reset();
  {
    auto again = SqliteStore::Open(db_path.string(), crypto::Sha256Hex, BenchKeys(db_path));  // reopen: WAL checkpointed on close
    if (!again.ok()) return Fail(again.status());
  }
  std::printf("closed + checkpointed             %8.2f s\n", Seconds(t));
  std::error_code sz_ec;
  auto size = fs::file_size(db_path, sz_ec);
  std::printf("database %s: %.1f MB\n", db_path.c_str(), sz_ec ? 0.0 : size / 1e6);
  std::printf("total                             %8.2f s\n", Seconds(t_all));
  return 0;
}
