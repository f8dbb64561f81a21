#include "server/demo_seed.h"

#include "adapters/crypto/crypto.h"
#include "app/identity_vault.h"
#include "adapters/crypto/totp.h"
#include "app/auth_service.h"
#include "core/common/status.h"

namespace waarborg {
namespace {

const char* const kUnits[] = {"Noord-Nederland", "Oost-Nederland",   "Midden-Nederland",
                              "Noord-Holland",   "Amsterdam",        "Den Haag",
                              "Rotterdam",       "Zeeland-West-Brabant", "Oost-Brabant",
                              "Limburg",         "Landelijke Eenheid", "Politiediensten­centrum (PDC)",
                              "Politieacademie"};
const char* const kFirst[] = {"Anouk", "Bram", "Charlotte", "Daan", "Eva", "Finn", "Gijs", "Hanna",
                              "Iris", "Jasper", "Kim", "Lars", "Marloes", "Niels", "Olga", "Pieter",
                              "Quinten", "Roos", "Sven", "Tessa", "Umut", "Vera", "Willem", "Yara",
                              "Zeynep", "Mohamed", "Fatima", "Jeroen", "Saskia", "Ruben"};
const char* const kLast[] = {"de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
                             "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
                             "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
                             "Yilmaz", "El Amrani", "Kok", "Jacobs", "Vermeulen", "van Dijk", "Schouten"};

struct DemoAccount {
  const char* username;
  std::set<Role> roles;
  const char* name;
  const char* position;
};

}  // namespace

absl::StatusOr<std::string> SeedDemo(Store& store, app::LmmService& lmm, app::ReporterChannel& channel) {
  bool seeded = false;
  RETURN_IF_ERROR(store.Transact([&](StoreTx& tx) {
    seeded = tx.GetSetting("demo").has_value() || tx.CountPeople() > 0;
    return absl::OkStatus();
  }));
  if (seeded) return std::string();

  // Hash the shared demo password once; Argon2id is slow by design.
  ASSIGN_OR_RETURN(std::string pw_hash, crypto::HashPassword(kDemoPassword));
  struct Ids {
    std::vector<Id> units, unit_chiefs, teams, team_members;
    Id korps = 0, korpschef = 0;
  } ids;
  std::map<std::string, std::pair<Id, Id>> accounts;  // username -> (account, person)

  RETURN_IF_ERROR(store.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(ids.korps, tx.InsertUnit({0, "Politie Nederland", UnitKind::kCorps, std::nullopt}));
    int n = 0;
    auto next_name = [&] {
      std::string s = Cat(kFirst[(n * 7) % std::size(kFirst)], " ", kLast[(n * 11 + n / 3) % std::size(kLast)]);
      ++n;
      return s;
    };
    ASSIGN_OR_RETURN(Id staff_team, tx.InsertUnit({0, "Korpsstaf", UnitKind::kTeam, ids.korps}));
    ASSIGN_OR_RETURN(ids.korpschef, tx.InsertPerson({0, "Henk van Dalen", "Korpschef", "Eerste hoofdcommissaris",
                                                     staff_team, std::nullopt}));
    for (const char* unit_name : kUnits) {
      ASSIGN_OR_RETURN(Id unit, tx.InsertUnit({0, Cat("Eenheid ", unit_name), UnitKind::kUnit, ids.korps}));
      ids.units.push_back(unit);
      ASSIGN_OR_RETURN(Id chief, tx.InsertPerson({0, next_name(), "Politiechef", "Hoofdcommissaris", unit,
                                                  ids.korpschef}));
      ids.unit_chiefs.push_back(chief);
      for (int d = 1; d <= 2; ++d) {
        ASSIGN_OR_RETURN(Id district, tx.InsertUnit({0, Cat(unit_name, " district ", d), UnitKind::kDistrict, unit}));
        ASSIGN_OR_RETURN(Id dchief, tx.InsertPerson({0, next_name(), "Districtchef", "Commissaris", district, chief}));
        for (int t = 1; t <= 2; ++t) {
          ASSIGN_OR_RETURN(Id team, tx.InsertUnit({0, Cat(unit_name, " team ", d, ".", t), UnitKind::kTeam, district}));
          ids.teams.push_back(team);
          ASSIGN_OR_RETURN(Id tchief, tx.InsertPerson({0, next_name(), "Teamchef", "Inspecteur (schaal 10)", team, dchief}));
          for (int m = 0; m < 2; ++m) {
            ASSIGN_OR_RETURN(Id member, tx.InsertPerson({0, next_name(), m == 0 ? "Hoofdagent" : "Brigadier",
                                                         m == 0 ? "Hoofdagent (schaal 7)" : "Brigadier (schaal 8)",
                                                         team, tchief}));
            ids.team_members.push_back(member);
          }
        }
      }
    }
    // Demo accounts: people placed in teams of different units, so the
    // chain-of-command rule has something to bite on.
    const DemoAccount demo[] = {
        {"employee", {Role::kEmployee}, "Sanne Kuipers", "Hoofdagent"},
        {"vpi1", {Role::kEmployee, Role::kIntegrityAdvisor}, "Ayşe Demir", "Vertrouwenspersoon Integriteit"},
        {"vpi2", {Role::kEmployee, Role::kIntegrityAdvisor}, "Johan Post", "Vertrouwenspersoon Integriteit"},
        {"vpi3", {Role::kEmployee, Role::kIntegrityAdvisor}, "Mirjam Hoekstra", "Vertrouwenspersoon Integriteit"},
        {"coordinator", {Role::kEmployee, Role::kCoordinator, Role::kIntegrityAdvisor}, "Karel Wolters",
         "Coördinator LMM"},
        {"authority", {Role::kEmployee, Role::kCompetentAuthority}, "Henk van Dalen", "Korpschef"},
        {"admin", {Role::kAdmin}, "Ingrid Beheer", "Functioneel beheerder"},
        {"auditor", {Role::kAuditor}, "Tom Controle", "Auditor"},
        // The other tracks (issue 4).
        {"vp", {Role::kEmployee, Role::kCounsellor}, "Fatima El Amrani", "Vertrouwenspersoon"},
        {"cvp", {Role::kEmployee, Role::kCentralCounsellor}, "Peter Bos", "Centrale vertrouwenspersoon"},
        {"voorzitter-kc", {Role::kEmployee, Role::kCommitteeChair}, "Marleen Kok", "Voorzitter klachtencommissie"},
        {"triagist", {Role::kEmployee, Role::kTriageOfficer}, "Ruud Vermeulen", "Triagist VIK"},
        {"onderzoeker", {Role::kEmployee, Role::kInvestigator}, "Noor Yilmaz", "Onderzoeker VIK"},
        {"teamchef-vik", {Role::kEmployee, Role::kVikTeamChief}, "Erik Dijkstra", "Teamchef VIK"},
        {"leidinggevende", {Role::kEmployee, Role::kManager}, "Linda Mulder", "Teamchef"},
        // Protective Monitoring (issue 6): the analyst, and the privacy
        // officer who with the VIK team chief approves a resolution.
        {"analist", {Role::kEmployee, Role::kMonitoringAnalyst}, "Bram Smit", "Monitoringanalist"},
        {"privacy", {Role::kEmployee, Role::kPrivacyOfficer}, "Yvonne de Haan", "Privacyfunctionaris"},
    };
    const Id teams_for[] = {ids.teams[16], ids.teams[4],  ids.teams[24], ids.teams[32], ids.teams[40], 0,
                            ids.teams[44], ids.teams[48], ids.teams[17], ids.teams[18], ids.teams[45],
                            ids.teams[20], ids.teams[28], ids.teams[29], ids.teams[5],  ids.teams[30], ids.teams[31]};
    int i = 0;
    for (const auto& d : demo) {
      Id person = 0;
      if (std::string(d.username) == "authority") {
        person = ids.korpschef;
      } else {
        Id team = teams_for[i];
        // The team chief is the first person inserted for the team: find via members' managers.
        std::optional<Id> manager;
        for (Id m : ids.team_members) {
          auto p = tx.GetPerson(m);
          if (p.ok() && p->team_id == team) { manager = p->manager_id; break; }
        }
        ASSIGN_OR_RETURN(person, tx.InsertPerson({0, d.name, d.position, "Schaal 9", team, manager}));
      }
      Account a;
      a.person_id = person;
      a.username = d.username;
      a.password_hash = pw_hash;
      a.roles = d.roles;
      if (app::NeedsSecondFactor(d.roles)) a.totp_secret = crypto::NewTotpSecret();
      ASSIGN_OR_RETURN(Id acc, tx.InsertAccount(a));
      accounts[d.username] = {acc, person};
      ++i;
    }
    // Adopted units (eenheden) per VPI.
    auto adopt = [&](const char* user, std::initializer_list<int> unit_idx) -> absl::Status {
      for (int u : unit_idx) RETURN_IF_ERROR(tx.AdoptUnit(accounts[user].second, ids.units[u]));
      return absl::OkStatus();
    };
    RETURN_IF_ERROR(adopt("vpi1", {3, 4, 0}));    // Noord-Holland, Amsterdam, Noord-Nederland
    RETURN_IF_ERROR(adopt("vpi2", {5, 6, 7}));    // Den Haag, Rotterdam, Zeeland-West-Brabant
    RETURN_IF_ERROR(adopt("vpi3", {1, 2, 8, 9})); // Oost, Midden, Oost-Brabant, Limburg
    RETURN_IF_ERROR(adopt("coordinator", {10, 11, 12}));
    // Identity-vault keys, locked with the demo password (a real account gets
    // its key at its first log-in, locked with the password only its owner knows).
    for (const auto& [user, ids_of] : accounts) RETURN_IF_ERROR(app::EnsurePersonKey(tx, ids_of.second, kDemoPassword));
    return tx.SetSetting("demo", "1");
  }));

  auto actor = [&](const char* user) {
    auto [acc, person] = accounts[user];
    std::set<Role> roles;
    (void)store.Transact([&](StoreTx& tx) {
      auto a = tx.GetAccount(acc);
      if (a.ok()) roles = a->roles;
      return absl::OkStatus();
    });
    return Actor{acc, person, roles, "demo-seed", user};
  };
  const Actor vpi1 = actor("vpi1"), vpi2 = actor("vpi2"), vpi3 = actor("vpi3");
  Actor coordinator = actor("coordinator");
  // The coordinator staffs with an open vault (to check conflicts with the reporter).
  RETURN_IF_ERROR(store.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(coordinator.vault_secret, app::UnlockPersonKey(tx, coordinator.person_id, kDemoPassword));
    return absl::OkStatus();
  }));
  auto version = [&](Id id) {
    std::int64_t v = 0;
    (void)store.Transact([&](StoreTx& tx) {
      auto c = tx.GetCase(id);
      if (c.ok()) v = c->version;
      return absl::OkStatus();
    });
    return v;
  };
  const Date today = lmm.Today();
  auto report = [&](const Actor& by, const char* channel, const char* summary, const char* text, Id unit,
                    std::vector<Id> subjects, const char* name) -> absl::StatusOr<Id> {
    app::NewReport r;
    r.channel = channel;
    r.reporter_category = "employee";
    r.summary = summary;
    r.description = text;
    r.unit_id = unit;
    r.subject_person_ids = std::move(subjects);
    r.reporter_name = name;
    r.reporter_contact = "06-12345678";
    if (std::string(channel) != "online") r.received_on = calendar::AddDays(today, -2);
    return lmm.Register(by, r);
  };
  const Id amsterdam = ids.units[4], rotterdam = ids.units[6], limburg = ids.units[9];
  // 1. Registered, waiting for staffing: filed anonymously online, with a receipt.
  app::NewReport online;
  online.reporter_category = "employee";
  online.summary = "Vermoeden van gesjoemel met declaraties";
  online.description = "Op het bureau worden al maanden overuren gedeclareerd die niet gewerkt zijn.";
  online.unit_id = amsterdam;
  online.subject_person_ids = {ids.team_members[40]};
  ASSIGN_OR_RETURN(app::IntakeResult c1, channel.Submit(online));
  // 2. Staffed, definition test pending.
  ASSIGN_OR_RETURN(Id c2, report(vpi2, "conversation", "Wegkijken bij onveilige opslag van wapens",
                                 "Wapens worden structureel onbeheerd in een onafgesloten ruimte bewaard.",
                                 rotterdam, {ids.team_members[50]}, "Melder via gesprek"));
  RETURN_IF_ERROR(lmm.Acknowledge(vpi2, c2, version(c2), std::nullopt));
  RETURN_IF_ERROR(lmm.Staff(coordinator, c2, version(c2), vpi2.person_id, vpi1.person_id));
  // 3. In weighing.
  ASSIGN_OR_RETURN(Id c3, report(vpi3, "mailbox", "Mogelijke lekken van informatie naar derden",
                                 "Informatie uit lopende onderzoeken lijkt bij een lokale ondernemer terecht te komen.",
                                 limburg, {ids.team_members[80]}, "Anonieme afzender mailbox"));
  RETURN_IF_ERROR(lmm.Acknowledge(vpi3, c3, version(c3), std::nullopt));
  RETURN_IF_ERROR(lmm.Staff(coordinator, c3, version(c3), vpi3.person_id, vpi1.person_id));
  DefinitionTest pass;
  pass.reasonable_grounds = true;
  pass.public_interest = true;
  pass.harms = {"statutory_violation", "proper_functioning"};
  RETURN_IF_ERROR(lmm.RecordDefinitionTest(vpi1, c3, version(c3), pass));
  Weighing w;
  w.expected_end = calendar::AddWorkingDays(today, 15);
  w.findings["concrete"] = {true, "Data, plaats en betrokkenen zijn genoemd."};
  RETURN_IF_ERROR(lmm.RecordWeighing(vpi1, c3, version(c3), w));
  // 4. Advice with the authority.
  ASSIGN_OR_RETURN(Id c4, report(vpi1, "conversation", "Misbruik van dienstvoertuigen voor privéritten",
                                 "Dienstauto's worden in het weekend privé gebruikt, met tankpas.",
                                 rotterdam, {ids.team_members[52]}, "Melder via gesprek"));
  RETURN_IF_ERROR(lmm.Acknowledge(vpi1, c4, version(c4), std::nullopt));
  RETURN_IF_ERROR(lmm.Staff(coordinator, c4, version(c4), vpi1.person_id, vpi2.person_id));
  RETURN_IF_ERROR(lmm.RecordDefinitionTest(vpi2, c4, version(c4), pass));
  Weighing full;
  full.expected_end = calendar::AddWorkingDays(today, 5);
  for (auto k : kWeighingCriteria) full.findings[std::string(k)] = {true, "Onderbouwd met stukken van de melder."};
  RETURN_IF_ERROR(lmm.RecordWeighing(vpi2, c4, version(c4), full));
  RETURN_IF_ERROR(lmm.InviteReviewer(vpi2, c4, version(c4), vpi3.person_id));
  RETURN_IF_ERROR(lmm.AddReview(coordinator, c4, version(c4), true, "Weging is zorgvuldig."));
  RETURN_IF_ERROR(lmm.AddReview(vpi3, c4, version(c4), true, "Eens met de weging."));
  RETURN_IF_ERROR(lmm.Advise(vpi2, c4, version(c4),
                             {.is_suspected_wrongdoing = true, .investigate_now = true,
                              .reasoning = "Alle vier criteria zijn voldoende onderbouwd."}));
  // 5. Referred: not a suspected wrongdoing (labour dispute).
  ASSIGN_OR_RETURN(Id c5, report(vpi1, "conversation", "Onvrede over beoordeling",
                                 "Melder is het niet eens met de jaarlijkse beoordeling.", amsterdam, {},
                                 "Melder via gesprek"));
  RETURN_IF_ERROR(lmm.Acknowledge(vpi1, c5, version(c5), std::nullopt));
  RETURN_IF_ERROR(lmm.Staff(coordinator, c5, version(c5), vpi1.person_id, vpi3.person_id));
  DefinitionTest excluded;
  excluded.exclusions = {"labour_dispute"};
  excluded.referral = "hrm";
  RETURN_IF_ERROR(lmm.RecordDefinitionTest(vpi3, c5, version(c5), excluded));
  return c1.receipt;
}

absl::Status SeedDemoTracks(Store& store, app::TrackService& tracks) {
  Actor triagist, chief, investigator, manager, counsellor;
  Id unit = 0, person_a = 0, person_b = 0;
  RETURN_IF_ERROR(store.Transact([&](StoreTx& tx) -> absl::Status {
    auto actor = [&](const char* user, Actor& out) -> absl::Status {
      ASSIGN_OR_RETURN(Account a, tx.FindAccountByUsername(user));
      out = Actor{a.id, a.person_id, a.roles, "demo-seed", user};
      return absl::OkStatus();
    };
    RETURN_IF_ERROR(actor("triagist", triagist));
    RETURN_IF_ERROR(actor("teamchef-vik", chief));
    RETURN_IF_ERROR(actor("onderzoeker", investigator));
    RETURN_IF_ERROR(actor("leidinggevende", manager));
    RETURN_IF_ERROR(actor("vp", counsellor));
    for (const auto& u : tx.ListUnits())
      if (u.name == "Eenheid Midden-Nederland") unit = u.id;
    for (const auto& p : tx.FindPeople("", 400)) {
      if (p.position == "Hoofdagent" && !person_a) person_a = p.id;
      else if (p.position == "Hoofdagent" && !person_b) person_b = p.id;
    }
    return absl::OkStatus();
  }));
  if (!unit || !person_a || !person_b) return absl::OkStatus();
  // A signal from Protective Monitoring, in triage.
  app::NewTrackCase signal{.track = "vik_triage", .unit_id = unit,
                           .summary = "Opvallend veel raadplegingen van een buurtbewoner in BVH (signaal PM)"};
  signal.subject_person = person_a;
  ASSIGN_OR_RETURN(Id triage, tracks.Create(triagist, signal));
  RETURN_IF_ERROR(tracks.Take(triagist, triage, 1, "start_triage", {{"source", "protective_monitoring"}}, {}).status());
  // An investigation commissioned by the VIK team chief, notice not yet given.
  app::NewTrackCase inv{.track = "investigation", .unit_id = unit,
                        .summary = "Disciplinair onderzoek naar het delen van politie-informatie"};
  inv.subject_person = person_b;
  ASSIGN_OR_RETURN(Id investigation, tracks.Create(chief, inv));
  RETURN_IF_ERROR(tracks.AddMember(chief, investigation, investigator.person_id, "investigator"));
  // A complaint about unwanted behaviour with the counsellor.
  app::NewTrackCase complaint{.track = "unwanted_behaviour", .unit_id = unit,
                              .summary = "Herhaalde kleinerende opmerkingen tijdens briefings"};
  complaint.complainant_person = person_a;
  ASSIGN_OR_RETURN(Id complaint_id, tracks.Create(counsellor, complaint));
  (void)complaint_id;
  return absl::OkStatus();
}

absl::Status SeedDemoLearning(Store& store, app::TrackService& tracks) {
  Actor counsellor;
  Id team = 0, complainant = 0;
  RETURN_IF_ERROR(store.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Account a, tx.FindAccountByUsername("vp"));
    counsellor = Actor{a.id, a.person_id, a.roles, "demo-seed", "vp"};
    for (const auto& u : tx.ListUnits())
      if (u.name == "Midden-Nederland team 1.2") team = u.id;
    for (const auto& p : tx.FindPeople("", 400))
      if (p.team_id == team && p.position == "Brigadier" && !complainant) complainant = p.id;
    return absl::OkStatus();
  }));
  if (!team || !complainant) return absl::OkStatus();
  app::NewTrackCase n{.track = "unwanted_behaviour", .unit_id = team,
                      .summary = "Kleinerende opmerkingen over afkomst tijdens de briefing"};
  n.complainant_person = complainant;
  n.received_on = DateInAmsterdam(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count() -
      61LL * 24 * 3'600'000);
  ASSIGN_OR_RETURN(Id id, tracks.Create(counsellor, n));
  RETURN_IF_ERROR(tracks.Take(counsellor, id, 1, "start_with_counsellor", {}, {"0", "1", "2"}).status());
  RETURN_IF_ERROR(tracks.Take(counsellor, id, 2, "close_satisfied", {}, {}).status());
  return absl::OkStatus();
}

std::vector<DemoLogin> DemoLogins(Store& store) {
  std::vector<DemoLogin> out;
  (void)store.Transact([&](StoreTx& tx) {
    for (const char* u : {"employee", "vpi1", "vpi2", "vpi3", "coordinator", "authority", "admin", "auditor", "vp",
                          "cvp", "voorzitter-kc", "triagist", "onderzoeker", "teamchef-vik", "leidinggevende", "analist",
                          "privacy"}) {
      auto a = tx.FindAccountByUsername(u);
      if (!a.ok()) continue;
      std::string label;
      for (Role r : AllRoles()) {
        if (r == Role::kEmployee && a->roles.size() > 1) continue;
        if (r == Role::kIntegrityAdvisor && a->roles.count(Role::kCoordinator)) continue;
        if (a->roles.count(r)) label += (label.empty() ? "" : ", ") + std::string(RoleLabelNl(r));
      }
      out.push_back({u, label, a->totp_secret.empty() ? "" : crypto::Base32Encode(a->totp_secret)});
    }
    return absl::OkStatus();
  });
  return out;
}

}  // namespace waarborg
