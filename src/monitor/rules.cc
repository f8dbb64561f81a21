#include "monitor/rules.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/common/strings.h"

namespace waarborg::monitor {
namespace {

bool AnyContains(const std::vector<Interval>& v, std::int64_t t, std::int64_t slack) {
  for (const auto& i : v) {
    if (t >= i.start - slack && t < i.end + slack) return true;
  }
  return false;
}

bool SharePrefix(std::string_view a, std::string_view b, std::size_t n) {
  return a.size() >= n && b.size() >= n && a.substr(0, n) == b.substr(0, n);
}

}  // namespace

RobustStats MedianMad(std::vector<double> v) {
  if (v.empty()) return {};
  auto median = [](std::vector<double>& x) {
    const std::size_t mid = x.size() / 2;
    std::nth_element(x.begin(), x.begin() + mid, x.end());
    double m = x[mid];
    if (x.size() % 2 == 0) m = (m + *std::max_element(x.begin(), x.begin() + mid)) / 2;
    return m;
  };
  RobustStats r;
  r.median = median(v);
  for (auto& x : v) x = std::abs(x - r.median);
  r.mad = 1.4826 * median(v);
  return r;
}

std::uint64_t Rules::RegionKey(std::string_view geohash) const {
  // A leading 1 bit keeps every region, even the empty prefix, apart from 0.
  std::uint64_t key = 1;
  for (std::size_t i = 0; i < cfg_.region_prefix && i < 7; ++i) key = key << 8 | static_cast<unsigned char>(geohash[i]);
  return key;
}

std::uint64_t Rules::RegionOf(std::uint32_t subject) {
  if (subject >= region_of_.size()) region_of_.resize(subject + 1, 0);
  if (region_of_[subject] == 0) {
    // Not cached when there is no row yet: the row may still be added.
    const Subject* s = ctx_.SubjectOf(subject);
    if (s && s->geohash.size() >= cfg_.region_prefix) region_of_[subject] = RegionKey(s->geohash);
  }
  return region_of_[subject];
}

std::string Rules::Clears(const Event& e, std::string_view subject) const {
  if (!e.case_ref_text.empty()) {
    return Cat("verklaard als ", subject, " gekoppeld is aan zaak ", e.case_ref_text,
               " (of als de medewerker daarvoor is ingezet)");
  }
  return Cat("verklaard als gekoppeld aan een zaak of melding waarin ", subject,
             " voorkomt en waaraan de medewerker of het team werkt");
}

void Rules::TimeRules(const Event& e, const StaffMember* staff, std::string_view subject,
                      std::vector<Evidence>& out) const {
  const std::int64_t local = e.time + AmsterdamUtcOffset(e.time);
  const int hour = static_cast<int>((local % 86400) / 3600);
  const std::string when = FormatUtcTime(local).substr(0, 16);
  const std::string clears = "verklaard als er voor dit moment een dienst, oproep of zaak is vastgelegd";
  // On leave only when no shift was rostered at that moment: a night shift
  // that runs into the first day of leave is work, not leave.
  bool on_leave = false;
  if (staff && AnyContains(staff->leave, e.time, 0) && !AnyContains(staff->roster, e.time, 0)) {
    on_leave = true;
    out.push_back({std::string(kRuleOnLeave), cfg_.pts_on_leave, std::string(subject), e.time,
                   Cat("Opvraging tijdens verlof (", when, ") zonder werkrelatie."), clears});
  }
  if (!on_leave && staff && !staff->roster.empty() && !AnyContains(staff->roster, e.time, cfg_.roster_slack_s)) {
    out.push_back({std::string(kRuleOffRoster), cfg_.pts_off_roster, std::string(subject), e.time,
                   Cat("Opvraging buiten het rooster (", when, ") zonder werkrelatie."), clears});
  }
  const bool night = cfg_.night_start_hour <= cfg_.night_end_hour
                         ? hour >= cfg_.night_start_hour && hour < cfg_.night_end_hour
                         : hour >= cfg_.night_start_hour || hour < cfg_.night_end_hour;
  if (night && !(staff && AnyContains(staff->roster, e.time, 0))) {
    out.push_back({std::string(kRuleNight), cfg_.pts_night, std::string(subject), e.time,
                   Cat("Opvraging 's nachts (", when, ") buiten een nachtdienst."), clears});
  }
}

void Rules::SubjectRules(const Event& e, const StaffMember* staff, const SubjectVerdict& v, UserState& st,
                         bool established, std::vector<Evidence>& out) {
  const Subject* s = ctx_.SubjectOf(v.subject);
  if (!s) return;
  const std::string& subject = ctx_.SubjectName(v.subject);
  const std::string& user = ctx_.UserName(e.user);
  const std::string clears = Clears(e, subject);
  auto add = [&](std::string_view rule, int pts, std::string text) {
    out.push_back({std::string(rule), pts, subject, e.time, std::move(text), clears});
  };
  if (staff) {
    if (!s->colleague.empty() && s->colleague == user) {
      add(kRuleOwnRecord, cfg_.pts_own_record, Cat("Medewerker bekeek de eigen registratie (", subject, ")."));
    } else if (!s->colleague.empty()) {
      add(kRuleColleague, cfg_.pts_colleague,
          Cat("Opvraging van een collega (", subject, ") zonder zaak, melding of inzet."));
    }
    if (!staff->surname.empty() && s->surname == staff->surname && s->colleague != user) {
      add(kRuleSameSurname, cfg_.pts_same_surname,
          Cat("Opvraging van ", subject, " met dezelfde achternaam als de medewerker, zonder werkrelatie."));
    }
    if (SharePrefix(s->geohash, staff->home_geohash, cfg_.near_home_prefix) && s->colleague != user) {
      add(kRuleNearHome, cfg_.pts_near_home,
          Cat("Opvraging van ", subject,
              " die in de woonomgeving van de medewerker staat ingeschreven, zonder werkrelatie."));
    }
    if (std::find(staff->declared_relations.begin(), staff->declared_relations.end(), subject) !=
        staff->declared_relations.end()) {
      add(kRuleDeclared, cfg_.pts_declared,
          Cat("Opvraging van ", subject, ", een door de medewerker gemelde relatie, zonder werkrelatie."));
    }
  }
  if (s->vip) add(kRuleVip, cfg_.pts_vip, Cat("Opvraging van een bekend persoon (", subject, ") zonder werkrelatie."));
  if (s->shielded) {
    add(kRuleShielded, cfg_.pts_shielded,
        Cat("Opvraging van een afgeschermde registratie (", subject, ") zonder werkrelatie."));
  }
  if (s->under_investigation) {
    add(kRuleUnderInvestigation, cfg_.pts_under_investigation,
        Cat("Opvraging van ", subject, ", die in een lopend onderzoek staat, zonder werkrelatie."));
  }
  if (s->geohash.size() >= cfg_.region_prefix) {
    const std::uint64_t region = RegionOf(v.subject);
    const bool home_region = staff && SharePrefix(s->geohash, staff->home_geohash, cfg_.region_prefix);
    auto seen = std::find_if(st.regions.begin(), st.regions.end(), [&](const auto& r) { return r.first == region; });
    const bool new_today = seen == st.regions.end() || seen->second == st.today;
    if (established && !home_region && new_today) {
      auto today = std::find_if(st.new_regions_today.begin(), st.new_regions_today.end(),
                                [&](const NewRegionToday& r) { return r.region == region; });
      if (today == st.new_regions_today.end()) {
        st.new_regions_today.push_back({region, {}, {}});
        today = st.new_regions_today.end() - 1;
      }
      if (std::find(today->subjects.begin(), today->subjects.end(), v.subject) != today->subjects.end()) return;
      today->subjects.push_back(v.subject);
      Evidence ev{
          std::string(kRuleRareRegion),
          cfg_.pts_rare_region,
          subject,
          e.time,
          Cat("Opvraging van ", subject, " in regio ", std::string_view(s->geohash).substr(0, cfg_.region_prefix),
              ", waar de medewerker niet eerder opvroeg, als deel van een reeks van ", today->subjects.size(),
              " op één dag, zonder werkrelatie."),
          clears};
      if (today->subjects.size() < cfg_.rare_region_min_subjects) {
        today->held.push_back(std::move(ev));
      } else {
        for (auto& held : today->held) out.push_back(std::move(held));
        today->held.clear();
        out.push_back(std::move(ev));
      }
    }
  }
}

namespace {
std::string_view ActionNl(Action a) {
  switch (a) {
    case Action::kSearch:
      return "zoekvraag";
    case Action::kView:
      return "inzage";
    case Action::kPrint:
      return "afdruk";
    case Action::kExport:
      return "export";
    case Action::kEdit:
      return "wijziging";
  }
  return "opvraging";
}
std::string_view QueryTypeNl(QueryType q) {
  switch (q) {
    case QueryType::kName:
      return "naam";
    case QueryType::kCitizenNumber:
      return "BSN";
    case QueryType::kPlate:
      return "kenteken";
    case QueryType::kAddress:
      return "adres";
    case QueryType::kFreeText:
      return "vrije tekst";
  }
  return "onbekend";
}
}  // namespace

void Rules::KindRule(const Event& e, UserState& st, bool established, std::string_view subject,
                     std::vector<Evidence>& out) {
  const std::uint32_t bit = 1u << (static_cast<unsigned>(e.action) * 5 + static_cast<unsigned>(e.query_type));
  const bool new_kind = (st.kinds & bit) == 0;
  st.kinds |= bit;
  if (!new_kind || !established) return;
  out.push_back({std::string(kRuleNewKind), cfg_.pts_new_kind, std::string(subject), e.time,
                 Cat("Voor het eerst een ", ActionNl(e.action), " na zoeken op ", QueryTypeNl(e.query_type),
                     ", zonder werkrelatie: dat deed deze medewerker in de eerdere dagen niet."),
                 "verklaard als de medewerker een nieuwe taak heeft waarbij dit hoort"});
}

namespace {
// The number at the end of a subject id ("S1207" -> 1207), -1 when none.
std::int64_t TrailingNumber(std::string_view id) {
  std::size_t i = id.size();
  while (i > 0 && id[i - 1] >= '0' && id[i - 1] <= '9') --i;
  if (i == id.size() || id.size() - i > 15) return -1;
  std::int64_t n = 0;
  for (std::size_t k = i; k < id.size(); ++k) n = n * 10 + (id[k] - '0');
  return n;
}
}  // namespace

void Rules::EnumerationRule(const Event& e, UserState& st, std::uint32_t subject, std::vector<Evidence>& out) {
  const std::string& name = ctx_.SubjectName(subject);
  const std::int64_t n = TrailingNumber(name);
  if (n < 0) return;
  const std::int64_t step = n - st.run_last_number;
  const bool continues = st.run_last_number >= 0 && step != 0 && step >= -cfg_.enumeration_step &&
                         step <= cfg_.enumeration_step && e.time - st.run_last_time <= cfg_.enumeration_gap_s;
  if (!continues) {
    st.run_length = 0;
    st.run_first_number = n;
  }
  ++st.run_length;
  st.run_last_number = n;
  st.run_last_time = e.time;
  if (st.run_length == cfg_.enumeration_run) {
    out.push_back(
        {std::string(kRuleEnumeration), cfg_.pts_enumeration, name, e.time,
         Cat(cfg_.enumeration_run, " opeenvolgende nummers opgevraagd zonder werkrelatie (", st.run_first_number,
             " tot en met ", n, "), elk binnen ", cfg_.enumeration_gap_s / 60, " minuten na de vorige."),
         "verklaard als de reeks bij een zaak of een opdracht hoort (bijvoorbeeld een kentekenonderzoek)"});
  }
}

std::vector<Evidence> Rules::OnEvent(const Event& e, const EventVerdict& verdict) {
  std::vector<Evidence> out;
  if (e.user >= users_.size()) users_.resize(e.user + 1);
  UserState& st = users_[e.user];
  // A late event (from a day already closed) counts into the current day.
  const std::int64_t day = std::max(LocalDay(e.time), st.today);
  if (st.first_day < 0) {
    st.first_day = day;
    ++active_users_;
  }
  if (st.today != day) {
    st.today = day;
    st.count_today = 0;
    st.unexplained_today = 0;
    st.new_terminal = kNoId;
    st.new_terminal_times.clear();
    st.takeover_reported = false;
    st.new_regions_today.clear();
  }
  const StaffMember* staff = ctx_.StaffOf(e.user);
  if (st.group == kNoId) {
    st.group = groups_.Intern(Cat(staff ? staff->role : e.role, "|", staff ? staff->unit : e.unit));
  }
  const bool established = day - st.first_day >= cfg_.learning_days;
  ++st.count_today;

  if (!verdict.explained) {
    ++st.unexplained_today;
    std::string_view first_unexplained;
    for (const auto& v : verdict.subjects) {
      if (v.explanation == Explanation::kNone) {
        first_unexplained = ctx_.SubjectName(v.subject);
        break;
      }
    }
    TimeRules(e, staff, first_unexplained, out);
    KindRule(e, st, established, first_unexplained, out);
    for (const auto& v : verdict.subjects) {
      if (v.explanation == Explanation::kNone) {
        SubjectRules(e, staff, v, st, established, out);
        EnumerationRule(e, st, v.subject, out);
      }
    }
  } else {
    // Explained look-ups teach the kinds of work this user does.
    st.kinds |= 1u << (static_cast<unsigned>(e.action) * 5 + static_cast<unsigned>(e.query_type));
  }
  // Regions learned from every look-up (explained ones too).
  for (const auto& v : verdict.subjects) {
    const std::uint64_t region = RegionOf(v.subject);
    if (region != 0 &&
        std::none_of(st.regions.begin(), st.regions.end(), [&](const auto& r) { return r.first == region; })) {
      st.regions.emplace_back(region, day);
    }
  }

  // Taken-over account: a terminal never seen for this user, with a burst.
  if (e.terminal != kNoId && std::find(st.terminals.begin(), st.terminals.end(), e.terminal) == st.terminals.end()) {
    if (!established) {
      st.pending_terminals.push_back(e.terminal);
    } else {
      if (st.new_terminal != e.terminal) {
        st.new_terminal = e.terminal;
        st.new_terminal_times.clear();
      }
      st.new_terminal_times.push_back(e.time);
      const auto recent = std::find_if(st.new_terminal_times.begin(), st.new_terminal_times.end(),
                                       [&](std::int64_t t) { return e.time - t <= cfg_.burst_window_s; });
      st.new_terminal_times.erase(st.new_terminal_times.begin(), recent);
      if (!st.takeover_reported && static_cast<int>(st.new_terminal_times.size()) >= cfg_.burst_count) {
        st.takeover_reported = true;
        out.push_back({std::string(kRuleTakenOver), cfg_.pts_taken_over, "", e.time,
                       Cat("Vanaf een voor deze medewerker nieuwe werkplek (", ctx_.TerminalName(e.terminal), ") ",
                           st.new_terminal_times.size(), " opvragingen binnen ", cfg_.burst_window_s / 60, " minuten."),
                       "verklaard als de medewerker bevestigt deze werkplek zelf te hebben gebruikt"});
      }
      st.pending_terminals.push_back(e.terminal);
    }
  }
  return out;
}

std::vector<std::pair<std::uint32_t, Evidence>> Rules::EndDay(std::int64_t day) {
  std::vector<std::pair<std::uint32_t, Evidence>> out;
  // Peer groups (role and unit), normalised for workload: busier officers
  // look up more, so peers are compared by unexplained look-ups per unit of
  // work, the work being the day's explained look-ups (+1, so that a day
  // without explained work still compares).
  auto per_work = [](const UserState& st) {
    return st.unexplained_today / (static_cast<double>(st.count_today - st.unexplained_today) + 1.0);
  };
  std::vector<std::vector<double>> groups(groups_.size());
  for (const UserState& st : users_) {
    if (st.today == day) groups[st.group].push_back(per_work(st));
  }
  std::vector<std::optional<RobustStats>> group_stats(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].size() >= cfg_.min_peer_group) group_stats[g] = MedianMad(std::move(groups[g]));
  }
  const std::int64_t end_of_day = AmsterdamMidnight(day + 1) - 1;
  for (std::uint32_t user = 0; user < users_.size(); ++user) {
    UserState& st = users_[user];
    if (st.today != day) continue;
    const int x = st.unexplained_today;
    if (x >= cfg_.min_volume) {
      if (static_cast<int>(st.history.size()) >= cfg_.learning_days) {
        RobustStats own = MedianMad(std::vector<double>(st.history.begin(), st.history.end()));
        const double z = (x - own.median) / (own.mad + std::max(1.0, 0.1 * own.median));
        if (z >= cfg_.volume_z) {
          const int pts = std::min(cfg_.max_volume_points, static_cast<int>(z / cfg_.volume_z) + 2);
          out.push_back({user,
                         {std::string(kRuleVolumeOwn), pts, "", end_of_day,
                          Cat(x, " onverklaarde opvragingen op één dag; gewoonlijk ", own.median, " (afwijking ",
                              static_cast<int>(z), "x de normale spreiding)."),
                          "verklaard als de opvragingen bij een zaak, melding of opdracht horen"}});
        }
      }
      if (const auto& group = group_stats[st.group]) {
        // What peers would have left unexplained with this user's work.
        const double work = static_cast<double>(st.count_today - x) + 1.0;
        const double expected = group->median * work;
        const double z = (x - expected) / (group->mad * work + std::max(1.0, 0.1 * expected));
        if (z >= cfg_.volume_z) {
          const int pts = std::min(cfg_.max_volume_points, static_cast<int>(z / cfg_.volume_z) + 1);
          out.push_back({user,
                         {std::string(kRuleVolumePeers), pts, "", end_of_day,
                          Cat(x, " onverklaarde opvragingen op één dag naast ", st.count_today - x,
                              " verklaarde; collega's met dezelfde rol en eenheid komen bij zoveel werk op ongeveer ",
                              static_cast<int>(expected + 0.5), "."),
                          "verklaard als de medewerker die dag een bijzondere opdracht had"}});
        }
      }
    }
    st.history.push_back(x);
    if (static_cast<int>(st.history.size()) > cfg_.baseline_days) {
      st.history.erase(st.history.begin(), st.history.end() - cfg_.baseline_days);
    }
    for (std::uint32_t t : st.pending_terminals) {
      if (std::find(st.terminals.begin(), st.terminals.end(), t) == st.terminals.end()) st.terminals.push_back(t);
    }
    st.pending_terminals.clear();
  }
  return out;
}

std::size_t Rules::StateBytes() const {
  std::size_t bytes = 0;
  for (const UserState& st : users_) {
    if (st.first_day < 0) continue;
    // Inline storage is in sizeof(UserState); count the heap only when spilled.
    const std::size_t terminals_heap = st.terminals.size() > 4 ? st.terminals.capacity() * sizeof(std::uint32_t) : 0;
    const std::size_t regions_heap = st.regions.size() > 8 ? st.regions.capacity() * sizeof(st.regions[0]) : 0;
    bytes += sizeof(UserState) + st.history.capacity() * sizeof(int) + terminals_heap + regions_heap +
             st.pending_terminals.capacity() * sizeof(std::uint32_t) +
             st.new_terminal_times.capacity() * sizeof(std::int64_t) +
             st.new_regions_today.capacity() * sizeof(NewRegionToday);
    for (const auto& r : st.new_regions_today) {
      bytes += r.subjects.capacity() * sizeof(std::uint32_t) + r.held.capacity() * sizeof(Evidence);
    }
  }
  return bytes;
}

}  // namespace waarborg::monitor
