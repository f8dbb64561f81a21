// dashboard_seed: creates the database for the dashboard benchmark (issue 5 §6).
//
//   dashboard_seed [--data /tmp/waarborg-dashboard-bench] [--cases 1000000] [--events 20000000]
//                  [--staff 60000] [--years 5] [--batch 1000] [--seed 20261207]
//
// Everything goes through the real SqliteStore (schema, per-case encryption,
// references, members) and the real fact functions, so the case_facts rows
// are exactly what the use cases write:
//
// 1. The demo organisation and accounts (waarborg::SeedDemo, compiled in from
//    src/server/demo_seed.cc), scaled up: every unit (eenheid) gets 3 to 8
//    districts of 4 to 9 teams, sized by a weight per unit (Oost-Nederland,
//    where the demo manager "leidinggevende" works, is the largest), and about
//    --staff people with chains of command; one counsellor (vertrouwenspersoon,
//    an account with that role) per ~150 staff.
// 2. --cases cases, received over the last --years years (ids in order of
//    receipt), over the five tracks: LMM 8%, unwanted behaviour 40%,
//    complaints committee 4%, VIK triage 33%, investigations 15%. A case's
//    unit is that of a random member of staff, so cases follow headcount.
//    Each case walks its track's own transitions (workflows/tracks/*.yaml):
//    a dwell time per state (exponential, with a mean per track and state)
//    until it reaches a final state or today, so old cases are closed and
//    recent ones open, some past their deadlines. Steps record the fields
//    their transition requires (choice fields with an option, yes/no, dates,
//    short texts); investigations register delays (register_delay).
// 3. Steps that stay in a state (consent, updates, care contacts, review
//    moments, feedback, protection, ...) are added at random moments of the
//    case's life, so that --events case events are written in total:
//    StoreTx::AppendCaseEvent (LMM timeline) and StoreTx::InsertTrackStep
//    (track history), both encrypted with the case's key.
// 4. Per case its dashboard fact: dashboard::FactOfLmmCase / FactOfTrackCase
//    from the case and its history, with the nearest open deadline as the use
//    cases compute it, written with StoreTx::UpsertCaseFact in the same
//    transaction (updated_at: the moment of its last step).
//
// Deterministic for a given --seed and date. Refuses a directory that
// already holds a database. Prints progress; ~1M cases take tens of minutes
// and about 7 GB.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

#include "adapters/crypto/crypto.h"
#include "adapters/crypto/file_key_provider.h"
#include "adapters/sqlite/sqlite_store.h"
#include "adapters/workflow_files/shipped_tracks.h"
#include "app/lmm_service.h"
#include "core/calendar/dutch_calendar.h"
#include "core/common/status.h"
#include "core/dashboard/case_fact.h"
#include "core/workflow/lmm_track.h"
#include "server/system_clock.h"

// demo_seed.cc is part of the server executable, not of a library: compile it
// in here so the benchmark database has the demo organisation and log-ins.
#include "../src/server/demo_seed.cc"

namespace fs = std::filesystem;
using namespace waarborg;

namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr Instant kDayMs = 86400000LL;

double Seconds(SteadyClock::time_point since) { return std::chrono::duration<double>(SteadyClock::now() - since).count(); }

int Fail(const absl::Status& st) {
  std::cerr << "dashboard_seed: " << st << "\n";
  return 1;
}

std::shared_ptr<KeyProvider> BenchKeys(const fs::path& db_path) {
  auto k = crypto::FileKeyProvider::Open((db_path.parent_path() / "master.key").string(), true);
  if (!k.ok()) {
    std::cerr << k.status().message() << "\n";
    std::exit(1);
  }
  return std::shared_ptr<KeyProvider>(std::move(*k));
}

std::int32_t DayNumber(Date d) { return static_cast<std::int32_t>(std::chrono::sys_days(d).time_since_epoch().count()); }
Date DateOfDay(std::int32_t day) { return Date{std::chrono::sys_days{std::chrono::days{day}}}; }
Instant MidnightUtc(std::int32_t day) { return static_cast<Instant>(day) * kDayMs; }

// ------------------------------------------------------------ randomness

struct Rng {
  std::mt19937_64 g;
  explicit Rng(std::uint64_t seed) : g(seed) {}
  double Uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(g); }
  std::uint64_t Below(std::uint64_t n) { return n == 0 ? 0 : g() % n; }
  bool Chance(double p) { return Uniform() < p; }
  double Exp(double mean) { return -mean * std::log(1.0 - Uniform()); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[Below(v.size())]; }
};

// An instant on working hours (08:00-17:00 in Amsterdam) of the given day.
Instant WorkingMoment(std::int32_t day, Rng& rng) {
  return MidnightUtc(day) + (7 * 60 + static_cast<Instant>(rng.Below(9 * 60))) * 60000LL;
}

const char* const kShortTexts[] = {
    "Besproken met betrokkene; afspraken vastgelegd.", "Stukken ontvangen en aan het dossier toegevoegd.",
    "Telefonisch contact gehad, volgende stap afgesproken.", "Gesprek gepland met de leidinggevende.",
    "Situatie is stabiel; geen nieuwe feiten.", "Verslag van het gesprek opgenomen in het dossier.",
    "Navraag gedaan bij het team; wacht op reactie.", "Advies gevraagd aan de jurist."};
const char* const kLongTexts[] = {
    "Na het gesprek met beide partijen is vastgesteld welke gedragingen hebben plaatsgevonden en in welke "
    "periode. De bevindingen zijn getoetst aan de gedragscode en de relevante regelgeving.",
    "De betrokkene heeft zijn kant van het verhaal kunnen geven in aanwezigheid van een belangenbehartiger. "
    "Het verslag is ter correctie voorgelegd en met kleine wijzigingen vastgesteld.",
    "Uit de stukken en de gesprekken blijkt onvoldoende om het verwijt te onderbouwen; de lijn wordt "
    "geadviseerd het gesprek over de samenwerking te voeren en na drie maanden te evalueren."};
const char* const kSummaries[] = {"Ongewenst gedrag in de ploeg", "Signaal over declaraties", "Klacht over bejegening",
                                  "Vermoeden van lekken van informatie", "Conflict met leidinggevende",
                                  "Onrechtmatig raadplegen van systemen", "Intimidatie tijdens dienst",
                                  "Discriminerende opmerkingen", "Privégebruik van dienstmiddelen"};

// ------------------------------------------------------------ organisation

// Relative size per unit (eenheid), in the order SeedDemo creates them.
const double kUnitWeight[] = {5.0, 9.0, 5.5, 4.0, 7.0, 6.0, 7.0, 5.0, 4.0, 3.5, 5.5, 4.0, 1.5};
const char* const kPositions[][2] = {{"Agent", "Agent (schaal 6)"},          {"Hoofdagent", "Hoofdagent (schaal 7)"},
                                     {"Hoofdagent", "Hoofdagent (schaal 7)"}, {"Brigadier", "Brigadier (schaal 8)"},
                                     {"Wijkagent", "Hoofdagent (schaal 7)"},  {"Rechercheur", "Brigadier (schaal 8)"},
                                     {"Medewerker bedrijfsvoering", "Schaal 7"}, {"Operationeel expert", "Schaal 9"}};

struct Org {
  std::vector<Id> people;         // everyone: the pool for case units, subjects and actors
  std::vector<Id> unit_of_person;  // parallel: the person's team (or higher unit)
  std::vector<Id> counsellors;
  Id coordinator = 0;
  std::int64_t staff = 0;
};

absl::StatusOr<Org> ScaleOrganisation(SqliteStore& store, int target_staff, Rng& rng) {
  Org org;
  ASSIGN_OR_RETURN(std::string pw_hash, crypto::HashPassword(kDemoPassword));
  RETURN_IF_ERROR(store.Transact([&](StoreTx& tx) -> absl::Status {
    const auto units = tx.ListUnits();
    std::vector<OrgUnit> eenheden;
    std::map<Id, std::vector<Id>> districts_of, teams_of;
    for (const auto& u : units) {
      if (u.kind == UnitKind::kUnit) eenheden.push_back(u);
      if (u.kind == UnitKind::kDistrict && u.parent_id) districts_of[*u.parent_id].push_back(u.id);
      if (u.kind == UnitKind::kTeam && u.parent_id) teams_of[*u.parent_id].push_back(u.id);
    }
    double total_weight = 0;
    for (std::size_t i = 0; i < eenheden.size(); ++i) total_weight += kUnitWeight[i % std::size(kUnitWeight)];
    const std::int64_t existing = tx.CountPeople();
    int name_n = 0;
    auto next_name = [&] {
      ++name_n;
      return Cat(kFirst[(name_n * 7 + name_n / 29) % std::size(kFirst)], " ",
                 kLast[(name_n * 11 + name_n / 13) % std::size(kLast)]);
    };
    for (std::size_t i = 0; i < eenheden.size(); ++i) {
      const OrgUnit& unit = eenheden[i];
      const int staff = static_cast<int>(target_staff * kUnitWeight[i % std::size(kUnitWeight)] / total_weight);
      const int n_districts = std::clamp(staff / 1000, 3, 8);
      const int teams_per_district = std::clamp(staff / n_districts / 170, 4, 9);
      std::string base = unit.name.rfind("Eenheid ", 0) == 0 ? unit.name.substr(8) : unit.name;
      auto& districts = districts_of[unit.id];
      while (static_cast<int>(districts.size()) < n_districts) {
        ASSIGN_OR_RETURN(Id d, tx.InsertUnit({0, Cat(base, " district ", districts.size() + 1), UnitKind::kDistrict, unit.id}));
        districts.push_back(d);
      }
      std::vector<Id> teams;
      for (std::size_t di = 0; di < districts.size(); ++di) {
        const Id d = districts[di];
        auto& ts = teams_of[d];
        while (static_cast<int>(ts.size()) < teams_per_district) {
          ASSIGN_OR_RETURN(Id t, tx.InsertUnit({0, Cat(base, " team ", di + 1, ".", ts.size() + 1), UnitKind::kTeam, d}));
          ts.push_back(t);
        }
        teams.insert(teams.end(), ts.begin(), ts.end());
      }
      // Staff of the unit's own office (eenheidsstaf): 3%, at unit level.
      const int unit_staff = staff * 3 / 100;
      for (int p = 0; p < unit_staff; ++p) {
        ASSIGN_OR_RETURN(Id id, tx.InsertPerson({0, next_name(), "Stafmedewerker", "Schaal 9", unit.id, std::nullopt}));
        org.people.push_back(id);
        org.unit_of_person.push_back(unit.id);
      }
      const int per_team = (staff - unit_staff) / static_cast<int>(teams.size());
      for (Id t : teams) {
        ASSIGN_OR_RETURN(Id chief, tx.InsertPerson({0, next_name(), "Teamchef", "Inspecteur (schaal 10)", t, std::nullopt}));
        org.people.push_back(chief);
        org.unit_of_person.push_back(t);
        for (int p = 1; p < per_team; ++p) {
          const auto& pos = kPositions[rng.Below(std::size(kPositions))];
          ASSIGN_OR_RETURN(Id id, tx.InsertPerson({0, next_name(), pos[0], pos[1], t, chief}));
          org.people.push_back(id);
          org.unit_of_person.push_back(t);
          // One counsellor per ~150 staff: an account with the role.
          if (rng.Below(150) == 0) {
            Account a;
            a.person_id = id;
            a.username = Cat("vp-bench-", id);
            a.password_hash = pw_hash;
            a.roles = {Role::kEmployee, Role::kCounsellor};
            if (app::NeedsSecondFactor(a.roles)) a.totp_secret = crypto::NewTotpSecret();
            RETURN_IF_ERROR(tx.InsertAccount(a).status());
            org.counsellors.push_back(id);
          }
        }
      }
    }
    ASSIGN_OR_RETURN(Account ac, tx.FindAccountByUsername("coordinator"));
    org.coordinator = ac.person_id;
    org.staff = tx.CountPeople();
    (void)existing;
    return absl::OkStatus();
  }));
  return org;
}

// ------------------------------------------------------------ track cases

// Mean days in a state before the next step, per track and state.
double MeanDwell(const std::string& track, const std::string& state) {
  static const std::map<std::string, double> kMeans = {
      {"unwanted_behaviour:received", 3},        {"unwanted_behaviour:with_counsellor", 30},
      {"unwanted_behaviour:mediation", 40},      {"unwanted_behaviour:formal_complaint", 90},
      {"unwanted_behaviour:criminal_report", 120}, {"unwanted_behaviour:fact_finding", 30},
      {"unwanted_behaviour:management_inquiry", 60}, {"unwanted_behaviour:disciplinary", 90},
      {"unwanted_behaviour:rehabilitation", 60}, {"unwanted_behaviour:prosecution", 150},
      {"unwanted_behaviour:evaluation", 14},     {"complaints_committee:received", 2},
      {"complaints_committee:acknowledged", 5},  {"complaints_committee:admissible", 10},
      {"complaints_committee:hearing_scheduled", 14}, {"complaints_committee:heard", 14},
      {"complaints_committee:advised", 14},      {"vik_triage:received", 3},
      {"vik_triage:triage", 10},                 {"vik_triage:line_inquiry", 45},
      {"vik_triage:exploratory", 60},            {"investigation:commissioned", 10},
      {"investigation:notice_given", 25},        {"investigation:hearing_scheduled", 14},
      {"investigation:heard", 30},               {"investigation:reported", 20},
      {"investigation:outcome_decided", 10},     {"investigation:outcome_communicated", 60},
  };
  auto it = kMeans.find(Cat(track, ":", state));
  return it == kMeans.end() ? 20.0 : it->second;
}

// Weight of a transition (action>to) in the random walk; 1 when not listed.
double TransitionWeight(const std::string& track, const workflow::TransitionDef& t) {
  static const std::map<std::string, double> kWeights = {
      {"unwanted_behaviour:start_with_counsellor>with_counsellor", 8},
      {"unwanted_behaviour:close_satisfied>evaluation", 5},
      {"unwanted_behaviour:close_not_satisfied>evaluation", 2},
      {"unwanted_behaviour:start_mediation>mediation", 1.5},
      {"unwanted_behaviour:file_formal_complaint>formal_complaint", 0.6},
      {"unwanted_behaviour:file_criminal_report>criminal_report", 0.3},
      {"unwanted_behaviour:refer_to_manager>fact_finding", 1.0},
      {"unwanted_behaviour:mediation_succeeded>evaluation", 3},
      {"unwanted_behaviour:no_action>evaluation", 1.5},
      {"unwanted_behaviour:internal_measure>evaluation", 2},
      {"unwanted_behaviour:start_management_inquiry>management_inquiry", 1},
      {"unwanted_behaviour:start_disciplinary>disciplinary", 1},
      {"unwanted_behaviour:report_to_prosecutor>prosecution", 0.3},
      {"unwanted_behaviour:disciplinary_unfounded>rehabilitation", 0.5},
      {"complaints_committee:decide_admissibility>admissible", 4},
      {"vik_triage:start_triage>triage", 12},
      {"vik_triage:return_to_manager>returned_to_manager", 1},
      {"vik_triage:choose_back_to_line>back_to_line", 4},
      {"vik_triage:choose_line_inquiry>line_inquiry", 3},
      {"vik_triage:choose_exploratory>exploratory", 1.5},
      {"vik_triage:choose_disciplinary>disciplinary", 1.5},
      {"vik_triage:choose_criminal>criminal", 0.4},
      {"vik_triage:choose_central_team>central_team", 0.3},
      {"vik_triage:escalate>triage", 0.1},
      {"investigation:turn_criminal>referred_criminal", 0.02},
      {"investigation:decide_penalty>outcome_decided", 3},
      {"investigation:decide_learning_measure>outcome_decided", 2},
      {"investigation:decide_unfounded>outcome_decided", 2},
  };
  auto it = kWeights.find(Cat(track, ":", t.action, ">", t.to));
  return it == kWeights.end() ? 1.0 : it->second;
}

// Weight of a step that stays in its state.
double StayWeight(const std::string& action) {
  if (action == "register_delay") return 0.12;
  if (action == "turn_criminal") return 0;
  return 1.0;
}

struct TrackModel {
  const workflow::TrackDefinition* def = nullptr;
  std::map<std::string, std::vector<const workflow::TransitionDef*>> moves;  // state -> transitions that leave it
  std::map<std::string, std::vector<std::string>> stays;                      // state -> actions that stay
  std::map<std::string, std::vector<std::string>> reviews;                    // state -> review moments
};

TrackModel ModelOf(const workflow::TrackDefinition& def) {
  TrackModel m;
  m.def = &def;
  for (const auto& t : def.transitions)
    for (const auto& from : t.from) {
      if (t.Stays()) {
        if (StayWeight(t.action) > 0) m.stays[from].push_back(t.action);
      } else {
        m.moves[from].push_back(&t);
      }
    }
  for (const auto& r : def.reviews)
    for (const auto& s : r.states) m.reviews[s].push_back(r.id);
  return m;
}

std::string FieldValue(const workflow::FieldDef& f, Date on, const std::string& to_state, const Org& org, Rng& rng) {
  switch (f.type) {
    case workflow::FieldType::kChoice: {
      if (f.options.empty()) return "";
      // Milder options are more common (penalties: reprimand before dismissal).
      const std::size_t n = f.options.size();
      std::size_t k = static_cast<std::size_t>(std::min<double>(n - 1, rng.Exp(n / 3.0)));
      return f.options[k].key;
    }
    case workflow::FieldType::kYesNo:
      if (f.id == "admissible") return to_state == "inadmissible" ? "nee" : "ja";
      return rng.Chance(0.7) ? "ja" : "nee";
    case workflow::FieldType::kDate:
      return FormatDateNl(on);
    case workflow::FieldType::kPerson:
      return std::to_string(rng.Pick(org.people));
    case workflow::FieldType::kText:
      if (f.id == "days" || f.id == "turnaround_days") return std::to_string(1 + rng.Below(30));
      return kShortTexts[rng.Below(std::size(kShortTexts))];
    case workflow::FieldType::kTextarea:
      return rng.Chance(0.3) ? kLongTexts[rng.Below(std::size(kLongTexts))] : kShortTexts[rng.Below(std::size(kShortTexts))];
  }
  return "";
}

std::map<std::string, std::string> StepFields(const workflow::TrackDefinition& def, const std::vector<std::string>& ids,
                                              Date on, const std::string& to_state, const Org& org, Rng& rng) {
  std::map<std::string, std::string> out;
  for (const auto& id : ids)
    if (const auto* f = def.FindField(id)) out[id] = FieldValue(*f, on, to_state, org, rng);
  return out;
}

// The nearest open deadline, as TrackService computes it (no extensions or
// suspensions are seeded).
std::optional<Date> NextDue(const workflow::TrackDefinition& def, const TrackCase& c, const std::vector<TrackStep>& steps) {
  std::optional<Date> next;
  for (const auto& rule : def.deadlines) {
    std::optional<Date> start;
    std::size_t start_index = 0;
    if (rule.from == workflow::kReceivedEvent) {
      start = c.received_on;
    } else {
      for (std::size_t i = 0; i < steps.size(); ++i)
        if (steps[i].action == rule.from) {
          start = DateInAmsterdam(steps[i].at);
          start_index = i;
          break;
        }
    }
    if (!start) continue;
    bool met = false;
    for (std::size_t i = start_index; i < steps.size(); ++i)
      if (std::find(rule.met_by.begin(), rule.met_by.end(), steps[i].action) != rule.met_by.end()) met = true;
    if (met) continue;
    const Date due = workflow::DueDate(rule, *start, 0, 0);
    if (!next || due < *next) next = due;
  }
  return next;
}

struct Stretch {
  Instant from;
  std::string state;
};

// The case's life: the moves along its track, then `extra` steps that stay.
struct TrackLife {
  TrackCase c;
  std::vector<TrackStep> steps;
};

TrackLife LiveTrackCase(const TrackModel& m, std::int32_t received_day, Id unit, Instant now, int extra, const Org& org,
                        Rng& rng) {
  const auto& def = *m.def;
  TrackLife life;
  TrackCase& c = life.c;
  c.track = def.id;
  c.unit_id = unit;
  c.received_on = DateOfDay(received_day);
  c.created_at = WorkingMoment(received_day, rng);
  c.created_by = rng.Pick(org.people);
  c.summary = kSummaries[rng.Below(std::size(kSummaries))];
  if (def.id == "unwanted_behaviour") {
    if (const auto* f = def.FindField("category")) c.fields["category"] = FieldValue(*f, c.received_on, "", org, rng);
  }
  std::string state = def.InitialState()->id;
  std::vector<Stretch> stretches{{c.created_at, state}};
  Instant t = c.created_at;
  bool ended = false;
  for (int guard = 0; guard < 40; ++guard) {
    const auto* st = def.FindState(state);
    if (st && st->terminal) {
      ended = true;
      break;
    }
    auto it = m.moves.find(state);
    if (it == m.moves.end() || it->second.empty()) break;
    const Instant next = t + static_cast<Instant>(rng.Exp(MeanDwell(def.id, state)) * kDayMs) + 3600000LL;
    if (next >= now) break;  // still here today
    double total = 0;
    for (const auto* tr : it->second) total += TransitionWeight(def.id, *tr);
    double r = rng.Uniform() * total;
    const workflow::TransitionDef* chosen = it->second.back();
    for (const auto* tr : it->second) {
      r -= TransitionWeight(def.id, *tr);
      if (r <= 0) {
        chosen = tr;
        break;
      }
    }
    TrackStep s;
    s.action = chosen->action;
    s.from_state = state;
    s.to_state = chosen->to;
    s.at = next;
    s.by_person = rng.Pick(org.people);
    s.fields = StepFields(def, chosen->required_fields, DateInAmsterdam(next), chosen->to, org, rng);
    for (const auto& [k, v] : s.fields) c.fields[k] = v;
    life.steps.push_back(std::move(s));
    state = chosen->to;
    t = next;
    stretches.push_back({t, state});
  }
  // Steps that stay, at random moments of its life.
  const Instant end = ended ? t : now - 60000;
  std::vector<TrackStep> stays;
  for (int k = 0, tries = 0; k < extra && tries < extra * 3; ++tries) {
    const Instant at = c.created_at + static_cast<Instant>(rng.Uniform() * static_cast<double>(std::max<Instant>(end - c.created_at, 1)));
    // The state at that moment.
    auto pos = std::upper_bound(stretches.begin(), stretches.end(), at, [](Instant x, const Stretch& s) { return x < s.from; });
    if (pos == stretches.begin()) continue;
    const std::string& in = std::prev(pos)->state;
    const auto* st = def.FindState(in);
    if (st && st->terminal) continue;
    std::vector<std::string> options;
    std::vector<double> weights;
    if (auto s = m.stays.find(in); s != m.stays.end())
      for (const auto& a : s->second) {
        options.push_back(a);
        weights.push_back(StayWeight(a));
      }
    if (auto r = m.reviews.find(in); r != m.reviews.end())
      for (const auto& id : r->second) {
        options.push_back(Cat("review:", id));
        weights.push_back(1.0);
      }
    if (options.empty()) continue;
    double total = 0;
    for (double w : weights) total += w;
    double r = rng.Uniform() * total;
    std::size_t pick = options.size() - 1;
    for (std::size_t i = 0; i < options.size(); ++i) {
      r -= weights[i];
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    TrackStep s;
    s.from_state = s.to_state = in;
    s.at = at;
    s.by_person = rng.Pick(org.people);
    const Date on = DateInAmsterdam(at);
    if (options[pick].rfind("review:", 0) == 0) {
      s.action = std::string(workflow::kReviewHeldAction);
      s.fields = {{"review", options[pick].substr(7)}, {"held_on", FormatDateNl(on)}};
    } else {
      s.action = options[pick];
      for (const auto& tr : def.transitions)
        if (tr.action == s.action && tr.Stays()) {
          s.fields = StepFields(def, tr.required_fields, on, in, org, rng);
          break;
        }
    }
    stays.push_back(std::move(s));
    ++k;
  }
  for (auto& s : stays) {
    // Delays and consents are part of the case's fields too (latest value).
    for (const auto& [k, v] : s.fields)
      if (def.FindField(k)) c.fields[k] = v;
    life.steps.push_back(std::move(s));
  }
  std::stable_sort(life.steps.begin(), life.steps.end(), [](const TrackStep& a, const TrackStep& b) { return a.at < b.at; });
  c.state = state;
  c.updated_at = life.steps.empty() ? c.created_at : life.steps.back().at;
  // Who works on it, and the party it is about.
  const char* worker = def.id == "unwanted_behaviour"     ? "counsellor"
                       : def.id == "complaints_committee" ? "committee_chair"
                       : def.id == "vik_triage"           ? "triage_officer"
                                                          : "investigator";
  c.members.push_back({org.counsellors.empty() ? rng.Pick(org.people) : rng.Pick(org.counsellors), worker});
  c.members.push_back({rng.Pick(org.people), def.id == "investigation" ? kSubjectParty : kAccusedParty});
  return life;
}

// ------------------------------------------------------------ LMM cases

const char* const kLmmFillerKinds[] = {"feedback", "weighing", "protection", "review", "invite_reviewer"};

struct LmmLife {
  LmmCase c;
  std::vector<CaseEvent> events;
};

LmmLife LiveLmmCase(std::int32_t received_day, Id unit, Instant now, int extra, const Org& org, Rng& rng) {
  const auto& track = workflow_files::ShippedLmmTrack();
  LmmLife life;
  LmmCase& c = life.c;
  c.received_on = DateOfDay(received_day);
  c.received_at = WorkingMoment(received_day, rng);
  c.channel = std::string(kIntakeChannels[rng.Below(kIntakeChannels.size())]);
  c.reporter_category = std::string(kReporterCategories[rng.Below(kReporterCategories.size())]);
  c.pseudonym = Cat("Melder ", received_day, "-", rng.Below(100000));
  c.summary = kSummaries[rng.Below(std::size(kSummaries))];
  c.description = kLongTexts[rng.Below(std::size(kLongTexts))];
  c.unit_id = unit;
  c.subject_person_ids = {rng.Pick(org.people)};
  c.registered_by_person = c.channel == "online" ? 0 : org.coordinator;
  c.acknowledgement_due = track.AcknowledgementDue(c.received_on);
  auto& ev = life.events;
  auto add = [&](Instant at, std::string kind, std::string visibility, std::string text) {
    ev.push_back(CaseEvent{.case_id = 0, .at = at, .actor_person = rng.Pick(org.people), .kind = std::move(kind),
                           .visibility = std::move(visibility), .text = std::move(text), .on = std::nullopt});
  };
  add(c.received_at, "registered", "case",
      Cat("Melding geregistreerd (", IntakeChannelLabelNl(c.channel), "), ontvangen op ", FormatDateNl(c.received_on), "."));
  std::vector<Stretch> stretches{{c.received_at, "registered"}};
  Instant t = c.received_at;
  LmmState state = LmmState::kRegistered;
  auto step = [&](double mean_days) -> std::optional<Instant> {
    const Instant next = t + static_cast<Instant>(rng.Exp(mean_days) * kDayMs) + 3600000LL;
    if (next >= now) return std::nullopt;
    t = next;
    return next;
  };
  // Acknowledged within a week, usually.
  if (const Instant ack = c.received_at + static_cast<Instant>(rng.Exp(3.0) * kDayMs); ack < now) {
    c.acknowledged_on = DateInAmsterdam(ack);
    ev.push_back(CaseEvent{.case_id = 0, .at = ack, .actor_person = org.coordinator, .kind = "acknowledge",
                           .visibility = "case", .text = "Ontvangst bevestigd aan de melder.", .on = c.acknowledged_on});
  }
  c.feedback_due = track.FeedbackDue(c.received_on, c.acknowledged_on);
  if (auto at = step(3)) {
    state = LmmState::kStaffed;
    c.reporter_advisor_id = rng.Pick(org.people);
    c.weighing_advisor_id = rng.Pick(org.people);
    add(*at, "staff", "team", "Twee vertrouwenspersonen toegewezen.");
    stretches.push_back({*at, "staffed"});
    if (auto at2 = step(10)) {
      DefinitionTest dt;
      dt.reasonable_grounds = true;
      const bool referred = rng.Chance(0.15);
      dt.public_interest = !referred;
      if (referred) {
        dt.exclusions = {"labour_dispute"};
        dt.referral = "hrm";
        state = LmmState::kReferred;
      } else {
        dt.harms = {"statutory_violation", "proper_functioning"};
        state = LmmState::kWeighing;
        Weighing w;
        w.expected_end = calendar::AddWorkingDays(DateInAmsterdam(*at2), 40);
        c.weighing = w;
      }
      c.definition_test = dt;
      add(*at2, "definition_test", "weighing", referred ? "Geen misstand: doorverwezen naar HRM." : "Toets: vermoeden van een misstand.");
      stretches.push_back({*at2, std::string(LmmStateName(state))});
      if (!referred)
        if (auto at3 = step(55)) {
          for (auto k : kWeighingCriteria) c.weighing->findings[std::string(k)] = {true, "Onderbouwd met stukken."};
          c.advice = Advice{true, rng.Chance(0.4), "Alle vier criteria zijn voldoende onderbouwd.", *at3};
          state = LmmState::kAdvised;
          add(*at3, "advise", "weighing", "Advies aan het bevoegd gezag uitgebracht.");
          stretches.push_back({*at3, "advised"});
          if (auto at4 = step(14)) {
            const bool investigate = rng.Chance(0.45);
            c.decision = AuthorityDecision{true, "", investigate, "", *at4};
            state = investigate ? LmmState::kInvestigation : LmmState::kClosed;
            add(*at4, "decide", "team", investigate ? "Besluit: onderzoek door een ad-hoccommissie." : "Besluit: geen onderzoek.");
            stretches.push_back({*at4, std::string(LmmStateName(state))});
            if (investigate)
              if (auto at5 = step(150)) {
                state = LmmState::kClosed;
                add(*at5, "close", "team", "Onderzoek afgerond; melding gesloten.");
                stretches.push_back({*at5, "closed"});
              }
          }
        }
    }
  }
  c.state = state;
  // Feedback to the reporter within three months for most.
  if (IsTerminal(state) || rng.Chance(0.5)) {
    const Instant fb = std::min(now - 60000, c.received_at + static_cast<Instant>(rng.Exp(60) * kDayMs));
    c.feedback_given_on = DateInAmsterdam(fb);
    add(fb, "feedback", "case", "Terugkoppeling aan de melder gegeven.");
  }
  const Instant end = IsTerminal(state) ? t : now - 60000;
  for (int k = 0; k < extra; ++k) {
    const Instant at = c.received_at + static_cast<Instant>(rng.Uniform() * static_cast<double>(std::max<Instant>(end - c.received_at, 1)));
    auto pos = std::upper_bound(stretches.begin(), stretches.end(), at, [](Instant x, const Stretch& s) { return x < s.from; });
    const std::string in = pos == stretches.begin() ? "registered" : std::prev(pos)->state;
    std::string kind = kLmmFillerKinds[rng.Below(std::size(kLmmFillerKinds))];
    if (kind != "feedback" && in != "weighing") kind = in == "registered" ? "feedback" : (rng.Chance(0.3) ? "protection" : "feedback");
    const char* vis = kind == "protection" ? "protection" : kind == "feedback" ? "case" : "weighing";
    add(at, kind, vis, kShortTexts[rng.Below(std::size(kShortTexts))]);
  }
  std::stable_sort(ev.begin(), ev.end(), [](const CaseEvent& a, const CaseEvent& b) { return a.at < b.at; });
  c.updated_at = ev.back().at;
  return life;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Maakt de database voor de dashboardbenchmark (issue 5 §6)"};
  std::string data_dir = "/tmp/waarborg-dashboard-bench";
  std::int64_t n_cases = 1000000, n_events = 20000000;
  int staff = 60000, years = 5, batch = 1000;
  std::uint64_t seed = 20261207;
  cli.add_option("--data", data_dir, "Nieuwe datamap (waarborg.db en master.key)");
  cli.add_option("--cases", n_cases, "Aantal zaken");
  cli.add_option("--events", n_events, "Aantal zaakgebeurtenissen in totaal (tijdlijn LMM + stappen)");
  cli.add_option("--staff", staff, "Medewerkers in de organisatie");
  cli.add_option("--years", years, "Zaken ontvangen in de laatste N jaar");
  cli.add_option("--batch", batch, "Zaken per transactie");
  cli.add_option("--seed", seed, "Seed van de random generator");
  CLI11_PARSE(cli, argc, argv);
  if (n_cases < 1 || batch < 1 || years < 1 || staff < 1000) return Fail(absl::InvalidArgumentError("ongeldige parameters"));

  const auto t_all = SteadyClock::now();
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
  app::ReporterChannel channel(store, clock, lmm);
  app::TrackService track_service(store, clock, workflow_files::ShippedTracks());

  // --- 1. organisation ---
  auto t = SteadyClock::now();
  if (auto st = SeedDemo(store, lmm, channel); !st.ok()) return Fail(st.status());
  if (auto st = SeedDemoTracks(store, track_service); !st.ok()) return Fail(st);
  Rng rng(seed);
  auto org_or = ScaleOrganisation(store, staff, rng);
  if (!org_or.ok()) return Fail(org_or.status());
  const Org& org = *org_or;
  std::printf("organisation: %lld people, %zu counsellors   %8.1f s\n", static_cast<long long>(org.staff),
              org.counsellors.size(), Seconds(t));
  std::fflush(stdout);

  // --- 2. cases ---
  const auto& catalogue = workflow_files::ShippedTracks();
  struct TrackMix {
    const char* id;
    double share;
    double events_weight;  // relative length of its history
  };
  const TrackMix kMix[] = {{"lmm", 0.08, 1.3},          {"unwanted_behaviour", 0.40, 1.0},
                           {"complaints_committee", 0.04, 0.5}, {"vik_triage", 0.33, 0.6},
                           {"investigation", 0.15, 2.2}};
  std::map<std::string, TrackModel> models;
  for (const auto& m : kMix)
    if (std::string(m.id) != "lmm") models.emplace(m.id, ModelOf(*catalogue.Find(m.id)));
  double mean_weight = 0;
  for (const auto& m : kMix) mean_weight += m.share * m.events_weight;

  const Instant now = clock.Now();
  const std::int32_t today = DayNumber(DateInAmsterdam(now));
  // Receipt days first, in order, so that case ids follow time as they do in use.
  std::vector<std::int32_t> received(static_cast<std::size_t>(n_cases));
  for (auto& d : received) d = today - static_cast<std::int32_t>(rng.Below(static_cast<std::uint64_t>(years) * 365));
  std::sort(received.begin(), received.end());

  std::int64_t cases_done = 0, events_done = 0, open_cases = 0;
  std::map<std::string, std::int64_t> per_track;
  t = SteadyClock::now();
  auto last_report = t;
  while (cases_done < n_cases) {
    const std::int64_t end = std::min(n_cases, cases_done + batch);
    auto st = store.Transact([&](StoreTx& tx) -> absl::Status {
      for (std::int64_t i = cases_done; i < end; ++i) {
        // Which track.
        double r = rng.Uniform();
        const TrackMix* mix = &kMix[std::size(kMix) - 1];
        for (const auto& m : kMix) {
          if (r < m.share) {
            mix = &m;
            break;
          }
          r -= m.share;
        }
        const std::size_t who = rng.Below(org.people.size());
        const Id unit = org.unit_of_person[who];
        // How many events: what is left spread over the cases left, by the
        // track's weight, with spread.
        const double left = static_cast<double>(n_events - events_done) / static_cast<double>(n_cases - i);
        const double want = std::max(1.0, left * mix->events_weight / mean_weight * (0.4 + 1.2 * rng.Uniform()));
        const std::string track_id = mix->id;
        if (track_id == "lmm") {
          const int base = 6;
          LmmLife life = LiveLmmCase(received[static_cast<std::size_t>(i)], unit, now,
                                     std::max(0, static_cast<int>(std::lround(want)) - base), org, rng);
          life.c.reference = fmt::format("LMM-{}-{:07d}", static_cast<int>(life.c.received_on.year()), i + 1);
          ASSIGN_OR_RETURN(Id id, tx.InsertCase(life.c));
          for (auto& e : life.events) {
            e.case_id = id;
            RETURN_IF_ERROR(tx.AppendCaseEvent(e).status());
          }
          std::optional<Date> next;
          if (auto d = workflow::NearestOpenDeadline(life.c)) next = d->due;
          RETURN_IF_ERROR(tx.UpsertCaseFact(dashboard::FactOfLmmCase(life.c, life.events, next, life.c.updated_at)));
          events_done += static_cast<std::int64_t>(life.events.size());
          if (!IsTerminal(life.c.state)) ++open_cases;
        } else {
          const TrackModel& model = models.at(track_id);
          const int path = 5;
          TrackLife life = LiveTrackCase(model, received[static_cast<std::size_t>(i)], unit, now,
                                         std::max(0, static_cast<int>(std::lround(want)) - path), org, rng);
          ASSIGN_OR_RETURN(Id id, tx.InsertTrackCase(life.c, track_id == "unwanted_behaviour"     ? "OOV"
                                                             : track_id == "complaints_committee" ? "KC"
                                                             : track_id == "vik_triage"           ? "VIK"
                                                                                                  : "ONZ"));
          for (auto& s : life.steps) {
            s.case_id = id;
            ASSIGN_OR_RETURN(s.id, tx.InsertTrackStep(s));
          }
          const auto* def = model.def;
          const std::optional<Date> next = NextDue(*def, life.c, life.steps);
          RETURN_IF_ERROR(tx.UpsertCaseFact(dashboard::FactOfTrackCase(life.c, life.steps, *def, next, life.c.updated_at)));
          events_done += static_cast<std::int64_t>(life.steps.size());
          const auto* st = def->FindState(life.c.state);
          if (!(st && st->terminal)) ++open_cases;
        }
        ++per_track[track_id];
      }
      return absl::OkStatus();
    });
    if (!st.ok()) return Fail(st);
    cases_done = end;
    if (Seconds(last_report) >= 10 || cases_done == n_cases) {
      last_report = SteadyClock::now();
      const double s = Seconds(t);
      const double eta = s / static_cast<double>(cases_done) * static_cast<double>(n_cases - cases_done);
      std::printf("cases %9lld / %lld (%5.1f%%)  events %11lld  open %8lld  %7.0f s  %6.0f cases/s  ETA %6.0f s\n",
                  static_cast<long long>(cases_done), static_cast<long long>(n_cases),
                  100.0 * static_cast<double>(cases_done) / static_cast<double>(n_cases), static_cast<long long>(events_done),
                  static_cast<long long>(open_cases), s, static_cast<double>(cases_done) / s, eta);
      std::fflush(stdout);
    }
  }
  for (const auto& [k, n] : per_track) std::printf("  %-22s %9lld\n", k.c_str(), static_cast<long long>(n));

  // Checkpoint so that the benchmark starts from a compact WAL.
  t = SteadyClock::now();
  store_or->reset();
  {
    auto again = SqliteStore::Open(db_path.string(), crypto::Sha256Hex, BenchKeys(db_path));
    if (!again.ok()) return Fail(again.status());
  }
  std::printf("closed + checkpointed %8.1f s\n", Seconds(t));
  std::error_code sz_ec;
  const auto size = fs::file_size(db_path, sz_ec);
  std::printf("database %s: %.2f GB, %lld cases (%lld open), %lld case events\n", db_path.c_str(),
              sz_ec ? 0.0 : static_cast<double>(size) / 1e9, static_cast<long long>(cases_done),
              static_cast<long long>(open_cases), static_cast<long long>(events_done));
  std::printf("total %8.1f s\n", Seconds(t_all));
  std::ofstream(fs::path(data_dir) / ".waarborg-dashboard-bench")
      << "cases=" << n_cases << " events=" << n_events << " staff=" << staff << " seed=" << seed
      << " seeded_on=" << FormatDateIso(DateInAmsterdam(now)) << "\n";
  return 0;
}
