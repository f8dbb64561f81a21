#include "monitor/synthetic.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "core/common/strings.h"
#include "monitor/local_time.h"

namespace waarborg::monitor {
namespace {

constexpr char kBase32[] = "0123456789bcdefghjkmnpqrstuvwxyz";
constexpr const char* kRoles[] = {"agent", "rechercheur", "intake"};

}  // namespace

Synthetic::Synthetic(SynthConfig config, Pseudonymizer pseudonyms)
    : cfg_(config), pseudonyms_(std::move(pseudonyms)), rng_(config.seed) {
  cfg_.units = std::clamp(cfg_.units, 1, 32);
  // Surnames: a heavy-tailed distribution, the commonest ~0.3% as in NL.
  std::vector<double> weights;
  for (int i = 0; i < 20000; ++i) {
    surnames_.push_back(
        i < 5 ? std::string(std::array<const char*, 5>{"de jong", "jansen", "de vries", "van den berg", "bakker"}[i])
              : Cat("achternaam", i));
    weights.push_back(1.0 / (i + 50));
  }
  surname_dist_ = std::discrete_distribution<int>(weights.begin(), weights.end());

  unit_subjects_.resize(cfg_.units);
  std::uniform_real_distribution<double> u01(0, 1);
  for (int r = 0; r < cfg_.units; ++r) {
    for (int i = 0; i < cfg_.subjects_per_unit; ++i) {
      std::string id = NewSubject(r);
      Subject& s = ctx_.subjects[id];
      const double x = u01(rng_);
      if (x < 0.0005) {
        s.vip = true;
        vips_.push_back(id);
      } else if (x < 0.0007) {
        s.shielded = true;
      } else if (x < 0.0017) {
        s.under_investigation = true;
      }
      unit_subjects_[r].push_back(std::move(id));
    }
  }

  const int teams_per_unit = std::max(1, cfg_.staff / cfg_.units / cfg_.team_size);
  team_cases_.resize(static_cast<std::size_t>(teams_per_unit * cfg_.units));
  std::vector<std::vector<int>> team_members(team_cases_.size());
  for (int i = 0; i < cfg_.staff; ++i) {
    Person p;
    p.id = Cat("medewerker-", i);
    p.pseudonym = pseudonyms_.Of(p.id);
    p.unit = i % cfg_.units;
    p.team = p.unit * teams_per_unit + (i / cfg_.units) % teams_per_unit;
    const int role = static_cast<int>(u01(rng_) < 0.6 ? 0 : u01(rng_) < 0.6 ? 1 : 2);
    const double mean = role == 0 ? 15 : role == 1 ? 25 : 35;
    p.workload = mean * std::exp(std::normal_distribution<double>(0, 0.4)(rng_) - 0.08);
    p.shift_offset = static_cast<int>(rng_() % 21);
    p.terminals = {Cat("T", p.unit, "-", rng_() % 100000), Cat("T", p.unit, "-", rng_() % 100000)};
    StaffMember m;
    m.pseudonym = p.pseudonym;
    m.unit = Cat("Eenheid ", p.unit);
    m.team = Cat("Team ", p.team);
    m.role = kRoles[role];
    m.surname = Surname();
    m.home_geohash = Geohash(u01(rng_) < 0.9 ? p.unit : static_cast<int>(rng_() % cfg_.units));
    if (u01(rng_) < 0.1) {
      const int start = static_cast<int>(rng_() % std::max(1, cfg_.days));
      const std::int64_t t0 = AmsterdamMidnight(cfg_.first_day + start);
      m.leave.push_back({t0, t0 + (7 + static_cast<std::int64_t>(rng_() % 8)) * 86400});
    }
    m.own_subject = NewSubject(p.unit, m.surname, m.home_geohash);
    ctx_.subjects[m.own_subject].colleague = p.pseudonym;
    people_.push_back(p);
    ctx_.AddStaff(m);
    team_members[p.team].push_back(i);
  }
  // Rosters (need role, so after StaffMember exists).
  for (auto& p : people_) {
    StaffMember& m = ctx_.staff[p.pseudonym];
    for (int d = 0; d < cfg_.days; ++d) {
      Interval s = Shift(p, d);
      if (s.end > s.start && !OnLeave(p, s.start)) m.roster.push_back(s);
    }
  }
  // Cases: each team opens some every day, for 5 to 30 days.
  std::int64_t case_no = 0;
  for (std::size_t t = 0; t < team_cases_.size(); ++t) {
    const auto& members = team_members[t];
    if (members.empty()) continue;
    const int unit = people_[members[0]].unit;
    const double per_day = 0.15 * members.size();
    std::poisson_distribution<int> n_new(per_day);
    for (int d = -30; d < cfg_.days; ++d) {
      for (int k = n_new(rng_); k > 0; --k) {
        CaseFile c;
        c.id = Cat("Z-", ++case_no);
        c.team = Cat("Team ", t);
        const std::int64_t start = AmsterdamMidnight(cfg_.first_day + d);
        c.active = {start, start + (5 + static_cast<std::int64_t>(rng_() % 26)) * 86400};
        for (int j = 2 + static_cast<int>(rng_() % 5); j > 0; --j) c.subjects.push_back(RandomSubject(unit));
        for (int j = 1 + static_cast<int>(rng_() % 3); j > 0; --j) {
          c.assigned.push_back(people_[members[rng_() % members.size()]].pseudonym);
        }
        team_cases_[t].push_back(c.id);
        ctx_.AddCase(std::move(c));
      }
    }
  }
  ctx_.Index();

  // Scenarios.
  const int n = static_cast<int>(std::lround(cfg_.staff * cfg_.days * cfg_.scenarios_per_1000_staff_per_day / 1000.0));
  std::unordered_set<int> used;
  const int span = std::max(1, cfg_.days - 3 - cfg_.learning_days);
  for (int k = 0; k < n && static_cast<int>(used.size()) < cfg_.staff; ++k) {
    int who;
    do who = static_cast<int>(rng_() % cfg_.staff);
    while (used.contains(who));
    used.insert(who);
    const std::string scenario(kScenarios[k % kScenarioCount]);
    int day = cfg_.learning_days + static_cast<int>(rng_() % span);
    const bool needs_shift = scenario != "nieuwsgierig_buiten_dienst" && scenario != "overgenomen_account";
    if (needs_shift) {
      while (day < cfg_.days - 1 &&
             (Shift(people_[who], day).end == 0 || OnLeave(people_[who], Shift(people_[who], day).start))) {
        ++day;
      }
    }
    labels_.push_back({people_[who].id, people_[who].pseudonym, scenario, day});
  }
}

std::string Synthetic::Surname() { return surnames_[surname_dist_(rng_)]; }

std::string Synthetic::Geohash(int region) {
  std::string g = "u1";
  g.push_back(kBase32[region % 32]);
  for (int i = 0; i < 3; ++i) g.push_back(kBase32[rng_() % 32]);
  return g;
}

std::string Synthetic::NewSubject(int region, std::string surname, std::string geohash) {
  Subject s;
  s.id = Cat("S", ++next_subject_);
  s.surname = surname.empty() ? Surname() : std::move(surname);
  s.geohash = geohash.empty() ? Geohash(region) : std::move(geohash);
  std::string id = s.id;
  ctx_.AddSubject(std::move(s));
  return id;
}

std::string Synthetic::RandomSubject(int region) {
  const auto& pool = unit_subjects_[region];
  return pool[rng_() % pool.size()];
}

Interval Synthetic::Shift(const Person& p, int d) const {
  if ((d + p.shift_offset) % 7 >= 5) return {};
  const StaffMember* m = ctx_.FindStaff(p.pseudonym);
  int start_hour = 8, hours = 9;
  if (m && m->role == "agent") {
    start_hour = std::array<int, 3>{7, 15, 23}[((d + p.shift_offset) / 7) % 3];
    hours = 8;
  }
  const std::int64_t start = AmsterdamMidnight(cfg_.first_day + d) + start_hour * 3600;
  return {start, start + hours * 3600};
}

bool Synthetic::OnLeave(const Person& p, std::int64_t t) const {
  const StaffMember* m = ctx_.FindStaff(p.pseudonym);
  if (!m) return false;
  for (const auto& l : m->leave) {
    if (l.Contains(t)) return true;
  }
  return false;
}

LookupEvent Synthetic::Base(const Person& p, std::int64_t t) {
  LookupEvent e;
  e.time = t;
  e.system = "BVH";
  e.user = p.id;
  const StaffMember* m = ctx_.FindStaff(p.pseudonym);
  e.role = m->role;
  e.unit = m->unit;
  e.session = Cat("s-", p.id, "-", AmsterdamDay(t));
  e.terminal = p.terminals[rng_() % p.terminals.size()];
  e.action = Action::kView;
  e.query_type = QueryType::kName;
  return e;
}

void Synthetic::GenerateDay(int d, std::vector<LookupEvent>& out) {
  out.clear();
  std::uniform_real_distribution<double> u01(0, 1);
  // Active assigned cases per person today.
  const std::int64_t noon = AmsterdamMidnight(cfg_.first_day + d) + 12 * 3600;
  std::unordered_map<std::string, std::vector<const CaseFile*>> mine;
  std::vector<std::vector<const CaseFile*>> team_active(team_cases_.size());
  for (std::size_t t = 0; t < team_cases_.size(); ++t) {
    for (const auto& id : team_cases_[t]) {
      const CaseFile* c = ctx_.FindCase(id);
      if (!c->active.Contains(noon)) continue;
      team_active[t].push_back(c);
      for (const auto& u : c->assigned) mine[u].push_back(c);
    }
  }
  for (auto& p : people_) {
    const Interval shift = Shift(p, d);
    if (shift.end == 0 || OnLeave(p, shift.start)) continue;
    const int n = std::poisson_distribution<int>(p.workload)(rng_);
    const auto& cases = mine[p.pseudonym];
    const auto& team = team_active[p.team];
    const auto& unit_teams_begin = static_cast<std::size_t>(p.unit) * (team_cases_.size() / cfg_.units);
    for (int k = 0; k < n; ++k) {
      std::int64_t t = shift.start + static_cast<std::int64_t>(u01(rng_) * (shift.end - shift.start));
      if (u01(rng_) < 0.005) t = shift.end + static_cast<std::int64_t>(u01(rng_) * 7200);  // overtime
      LookupEvent e = Base(p, t);
      std::string subject;
      const double r = u01(rng_);
      if (r < 0.58 && !cases.empty()) {
        const CaseFile* c = cases[rng_() % cases.size()];
        subject = c->subjects[rng_() % c->subjects.size()];
        if (u01(rng_) < 0.2) e.case_ref = c->id;
      } else if (r < 0.70 || (r < 0.58 && cases.empty())) {
        subject = RandomSubject(p.unit);
        ctx_.AddDispatchIndexed({p.pseudonym, subject, t - static_cast<std::int64_t>(u01(rng_) * 3600)});
        if (u01(rng_) < 0.5) {
          ctx_.subjects[subject].authors.push_back(p.pseudonym);
          p.authored.push_back(subject);
        }
        e.query_type = QueryType::kAddress;
      } else if (r < 0.80 && !team.empty()) {
        const CaseFile* c = team[rng_() % team.size()];
        subject = c->subjects[rng_() % c->subjects.size()];
      } else if (r < 0.85 && !p.authored.empty()) {
        subject = p.authored[rng_() % p.authored.size()];
      } else if (r < 0.90) {
        const auto& other = team_active[unit_teams_begin + rng_() % (team_cases_.size() / cfg_.units)];
        if (!other.empty()) {
          const CaseFile* c = other[rng_() % other.size()];
          subject = c->subjects[rng_() % c->subjects.size()];
          e.case_ref = c->id;
        }
      } else if (r < 0.94) {
        e.action = Action::kSearch;
        e.query_type = QueryType::kPlate;  // nothing found
      } else {
        // Innocent but unexplained: a question from the public, a colleague's
        // request, a check that no system records.
        subject = RandomSubject(u01(rng_) < 0.95 ? p.unit : static_cast<int>(rng_() % cfg_.units));
        e.query_type = QueryType::kFreeText;
      }
      if (!subject.empty()) {
        e.subjects_returned.push_back(subject);
        e.subjects_opened.push_back(subject);
      }
      out.push_back(std::move(e));
    }
  }
  for (const auto& label : labels_) Inject(label, d, out);
  std::stable_sort(out.begin(), out.end(), [](const LookupEvent& a, const LookupEvent& b) { return a.time < b.time; });
}

void Synthetic::Inject(const ScenarioLabel& label, int d, std::vector<LookupEvent>& out) {
  const bool ex_partner = label.scenario == "ex-partner";
  if (d != label.day && !(ex_partner && (d == label.day + 2 || d == label.day + 5))) return;
  std::uniform_real_distribution<double> u01(0, 1);
  int index = 0;
  while (people_[index].id != label.user) ++index;
  Person& p = people_[index];
  const StaffMember& m = ctx_.staff[p.pseudonym];
  const Interval shift = Shift(p, d);
  const std::int64_t day_start = AmsterdamMidnight(cfg_.first_day + d);
  auto in_shift = [&] {
    if (shift.end == 0) return day_start + 10 * 3600 + static_cast<std::int64_t>(u01(rng_) * 6 * 3600);
    return shift.start + static_cast<std::int64_t>(u01(rng_) * (shift.end - shift.start));
  };
  auto view = [&](std::int64_t t, const std::string& subject, QueryType q = QueryType::kName) {
    LookupEvent e = Base(p, t);
    e.query_type = q;
    e.subjects_returned = {subject};
    e.subjects_opened = {subject};
    out.push_back(std::move(e));
  };
  const std::string& s = label.scenario;
  if (s == "buurman") {
    for (int i = 0; i < 2; ++i) {
      std::string g = m.home_geohash.substr(0, 5);
      g.push_back(kBase32[rng_() % 32]);
      view(in_shift(), NewSubject(p.unit, "", g), QueryType::kAddress);
    }
  } else if (ex_partner) {
    auto [it, fresh] = partners_.try_emplace(label.user);
    if (fresh) it->second = {NewSubject(p.unit), NewSubject(p.unit)};
    // In the evening, outside the shift when there is one.
    const std::int64_t t = (shift.end != 0 && shift.end <= day_start + 22 * 3600)
                               ? shift.end + 2 * 3600 + static_cast<std::int64_t>(u01(rng_) * 3600)
                               : day_start + 20 * 3600 + static_cast<std::int64_t>(u01(rng_) * 3600);
    view(t, it->second.first);
    view(t + 120, it->second.second, QueryType::kAddress);
  } else if (s == "bekende_nederlander") {
    for (int i = 0; i < 2 && !vips_.empty(); ++i) view(in_shift(), vips_[rng_() % vips_.size()]);
  } else if (s == "collega") {
    for (int i = 0; i < 2; ++i) {
      const Person& other = people_[(index + cfg_.units * (1 + static_cast<int>(rng_() % 20))) % people_.size()];
      view(in_shift(), ctx_.staff[other.pseudonym].own_subject);
    }
  } else if (s == "familielid") {
    std::string g = m.home_geohash.substr(0, 5);
    g.push_back(kBase32[rng_() % 32]);
    view(in_shift(), NewSubject(p.unit, m.surname, g));
    view(in_shift(), NewSubject(p.unit, m.surname));
  } else if (s == "bulk_voor_lek") {
    const int n = 120 + static_cast<int>(rng_() % 180);
    for (int i = 0; i < n; ++i) {
      LookupEvent e = Base(p, in_shift());
      e.action = u01(rng_) < 0.5 ? Action::kExport : Action::kView;
      e.query_type = QueryType::kFreeText;
      std::string subject = RandomSubject(p.unit);
      e.subjects_returned = {subject};
      e.subjects_opened = {subject};
      out.push_back(std::move(e));
    }
  } else if (s == "nieuwsgierig_buiten_dienst") {
    // On a day off (or at night after the shift): curiosity from home.
    const std::int64_t t0 = day_start + 21 * 3600 + static_cast<std::int64_t>(u01(rng_) * 3 * 3600);
    const std::int64_t t =
        (shift.end != 0 && t0 < shift.end + 3600 && t0 >= shift.start - 3600) ? shift.end + 4 * 3600 : t0;
    const int n = 3 + static_cast<int>(rng_() % 3);
    for (int i = 0; i < n; ++i) view(t + i * 240, RandomSubject(p.unit));
  } else if (s == "zaak_buiten_regio") {
    int region = static_cast<int>(rng_() % cfg_.units);
    if (cfg_.units > 1) {
      while (region == p.unit || m.home_geohash.substr(0, 3) == Cat("u1", kBase32[region])) {
        region = static_cast<int>(rng_() % cfg_.units);
      }
    }
    const std::int64_t t = in_shift();
    for (int i = 0; i < 4; ++i) view(t + i * 300, RandomSubject(region));
  } else if (s == "overgenomen_account") {
    const std::string terminal = Cat("T-X-", rng_() % 100000);
    const std::int64_t t = day_start + 2 * 3600 + static_cast<std::int64_t>(u01(rng_) * 2 * 3600);
    for (int i = 0; i < 40; ++i) {
      LookupEvent e = Base(p, t + i * 12);
      e.terminal = terminal;
      e.action = Action::kSearch;
      e.query_type = QueryType::kCitizenNumber;
      std::string subject = RandomSubject(static_cast<int>(rng_() % cfg_.units));
      e.subjects_returned = {subject};
      e.subjects_opened = {subject};
      out.push_back(std::move(e));
    }
  }
}

}  // namespace waarborg::monitor
