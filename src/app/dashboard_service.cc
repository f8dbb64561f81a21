#include "app/dashboard_service.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <tuple>
#include <unordered_map>

#include "app/dashboard_tables.h"
#include "core/org/unit_tree.h"
#include "core/common/status.h"
#include "core/common/strings.h"

namespace waarborg::app {

using dashboard::CaseFact;
using dashboard::CaseKind;

namespace {

constexpr std::int32_t kNone = INT32_MIN;

std::int32_t Day(Date d) { return static_cast<std::int32_t>(std::chrono::sys_days(d).time_since_epoch().count()); }
std::int32_t Day(const std::optional<Date>& d) { return d ? Day(*d) : kNone; }
Date DateOfDay(std::int32_t day) { return Date{std::chrono::sys_days{std::chrono::days{day}}}; }
int YearOf(std::int32_t day) { return static_cast<int>(DateOfDay(day).year()); }
int MonthOf(std::int32_t day) { return static_cast<int>(static_cast<unsigned>(DateOfDay(day).month())); }

const char* const kMonthsNl[] = {"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"};

// Median and 90th percentile of a list of day counts (nearest rank).
std::pair<double, double> MedianAndP90(std::vector<std::uint16_t>& v) {
  auto rank = [&](double p) {
    const std::size_t k = std::min(v.size() - 1, static_cast<std::size_t>(std::ceil(p * v.size())) - 1);
    std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
    return static_cast<double>(v[k]);
  };
  return {rank(0.5), rank(0.9)};
}

}  // namespace

// ------------------------------------------------------------------ scope

absl::StatusOr<DashboardScope> ScopeOf(const Actor& actor, Store& store,
                                       const std::function<std::optional<Id>(Id team)>& unit_of_team) {
  DashboardScope s;
  if (actor.Has(Role::kCompetentAuthority)) {
    s.label = "Korpsleiding (alle trajecten)";
    s.tracks = {"lmm", "unwanted_behaviour", "complaints_committee", "vik_triage", "investigation"};
    return s;
  }
  if (actor.Has(Role::kCoordinator)) {
    s.label = "Coördinator LMM";
    s.tracks = {"lmm"};
    return s;
  }
  if (actor.Has(Role::kCentralCounsellor)) {
    s.label = "Centrale vertrouwenspersoon";
    s.tracks = {"unwanted_behaviour", "complaints_committee"};
    return s;
  }
  if (actor.Has(Role::kVikTeamChief)) {
    s.label = "VIK (centraal)";
    s.tracks = {"vik_triage", "investigation"};
    return s;
  }
  if (actor.Has(Role::kManager)) {
    std::optional<Id> team;
    (void)store.Read([&](StoreTx& tx) -> absl::Status {
      if (auto p = tx.GetPerson(actor.person_id); p.ok()) team = p->team_id;
      return absl::OkStatus();
    });
    std::optional<Id> unit;
    if (team) unit = unit_of_team(*team).value_or(*team);
    if (!unit) return Forbidden("Uw eenheid is niet bekend; vraag de beheerder uw plaats in de organisatie vast te leggen.");
    s.label = "Leiding van de eenheid";
    s.tracks = {"lmm", "unwanted_behaviour", "complaints_committee", "vik_triage", "investigation"};
    s.unit = unit;
    return s;
  }
  return Forbidden("Het dashboard is er voor de coördinator, de centrale vertrouwenspersoon, VIK, de leiding van een eenheid en de korpsleiding.");
}

// ------------------------------------------------------------------ index

struct DashboardService::Index {
  // Strings interned once: tracks, states, answer keys and values.
  std::vector<std::string> strings;
  std::unordered_map<std::string, std::uint16_t> ids;
  std::uint16_t Intern(const std::string& s) {
    auto it = ids.find(s);
    if (it != ids.end()) return it->second;
    const auto id = static_cast<std::uint16_t>(strings.size());
    strings.push_back(s);
    ids.emplace(s, id);
    return id;
  }
  std::optional<std::uint16_t> Find(const std::string& s) const {
    auto it = ids.find(s);
    if (it == ids.end()) return std::nullopt;
    return it->second;
  }

  struct Row {
    Id case_id = 0;
    bool lmm = false;
    bool open = true;
    bool live = true;  // false once its case is gone
    std::uint16_t track = 0;
    std::uint16_t state = 0;
    Id unit = 0;
    std::int32_t received = kNone, closed = kNone, state_since = kNone, next_due = kNone;
    std::vector<std::pair<std::uint16_t, std::uint16_t>> days;     // state, days
    std::vector<std::pair<std::uint16_t, std::uint16_t>> answers;  // key, value
    std::vector<std::pair<std::uint16_t, std::int32_t>> delays;    // kind, days
  };
  std::vector<Row> rows;
  std::unordered_map<std::uint64_t, std::size_t> where;  // (kind, case id) -> row

  // The organisation.
  std::map<Id, OrgUnit> units;
  std::map<Id, std::int64_t> staff_per_team, counsellors_per_team;

  static std::uint64_t Key(bool lmm, Id id) { return (static_cast<std::uint64_t>(lmm) << 63) | static_cast<std::uint64_t>(id); }

  // Whether `unit` is `root` or lies below it.
  bool Within(Id unit, Id root) const {
    return UnitWithin(units, unit, root);
  }
  // The nearest ancestor (or itself) of the given kind.
  std::optional<Id> Up(Id unit, UnitKind kind) const {
    return UnitUp(units, unit, kind);
  }
  std::string UnitName(Id id) const {
    auto it = units.find(id);
    return it == units.end() ? std::string("(onbekend)") : it->second.name;
  }
};

DashboardService::DashboardService(Store& store, const Clock& clock, const workflow::TrackCatalogue& tracks,
                                   DashboardPolicy policy)
    : store_(store), clock_(clock), tracks_(tracks), policy_(policy), index_(std::make_unique<Index>()) {}

DashboardService::~DashboardService() { Stop(); }

absl::Status DashboardService::LoadOrg() {
  std::map<Id, OrgUnit> units;
  std::map<Id, std::int64_t> staff, counsellors;
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    for (auto& u : tx.ListUnits()) units.emplace(u.id, u);
    staff = tx.CountPeopleByTeam(std::nullopt);
    counsellors = tx.CountPeopleByTeam(std::string(RoleName(Role::kCounsellor)));
    return absl::OkStatus();
  }));
  std::unique_lock lock(mu_);
  index_->units = std::move(units);
  index_->staff_per_team = std::move(staff);
  index_->counsellors_per_team = std::move(counsellors);
  return absl::OkStatus();
}

void DashboardService::Apply(CaseFact&& f) {
  Index& ix = *index_;
  Index::Row r;
  r.case_id = f.case_id;
  r.lmm = f.kind == CaseKind::kLmm;
  r.open = f.open;
  r.track = ix.Intern(f.track);
  r.state = ix.Intern(f.state);
  r.unit = f.unit_id;
  r.received = Day(f.received_on);
  r.closed = Day(f.closed_on);
  r.state_since = Day(f.state_since);
  r.next_due = Day(f.next_due);
  for (const auto& [state, days] : f.days_in_state)
    r.days.emplace_back(ix.Intern(state), static_cast<std::uint16_t>(std::clamp(days, 0, 65535)));
  for (const auto& [k, v] : f.answers) r.answers.emplace_back(ix.Intern(k), ix.Intern(v));
  for (const auto& [k, v] : f.delay_days) r.delays.emplace_back(ix.Intern(k), v);
  const auto key = Index::Key(r.lmm, r.case_id);
  if (auto it = ix.where.find(key); it != ix.where.end()) {
    ix.rows[it->second] = std::move(r);
  } else {
    ix.where.emplace(key, ix.rows.size());
    ix.rows.push_back(std::move(r));
  }
  if (f.updated_at > seen_until_) seen_until_ = f.updated_at;
}

absl::Status DashboardService::Load() {
  RETURN_IF_ERROR(LoadOrg());
  std::unique_lock lock(mu_);
  index_->rows.clear();
  index_->where.clear();
  seen_until_ = 0;
  seen_at_last_.clear();
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    return tx.ScanCaseFacts(0, [&](CaseFact&& f) {
      const auto key = Index::Key(f.kind == CaseKind::kLmm, f.case_id);
      if (f.updated_at > seen_until_) seen_at_last_.clear();
      seen_at_last_.insert(key);
      Apply(std::move(f));
    });
  }));
  version_.fetch_add(1);
  return absl::OkStatus();
}

absl::StatusOr<bool> DashboardService::Refresh() {
  std::vector<CaseFact> changed;
  Instant since;
  {
    std::shared_lock lock(mu_);
    since = seen_until_;
  }
  // updated_at is in milliseconds and two changes can share one: read from
  // the last millisecond seen (inclusive) and skip the facts already applied
  // at exactly that millisecond.
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    return tx.ScanCaseFacts(since, [&](CaseFact&& f) { changed.push_back(std::move(f)); });
  }));
  bool any = false;
  std::unique_lock lock(mu_);
  for (auto& f : changed) {
    const auto key = Index::Key(f.kind == CaseKind::kLmm, f.case_id);
    if (f.updated_at == since && seen_at_last_.count(key)) continue;
    Apply(std::move(f));
    any = true;
  }
  // Remember what was applied at the newest millisecond.
  seen_at_last_.clear();
  for (const auto& f : changed)
    if (f.updated_at == seen_until_) seen_at_last_.insert(Index::Key(f.kind == CaseKind::kLmm, f.case_id));
  if (any) version_.fetch_add(1);
  return any;
}

void DashboardService::StartFollowing(std::chrono::milliseconds every) {
  Stop();
  {
    std::lock_guard lock(follow_mu_);
    stopping_ = false;
  }
  follower_ = std::thread([this, every] {
    std::unique_lock lock(follow_mu_);
    int tick = 0;
    while (!stopping_) {
      follow_cv_.wait_for(lock, every, [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      (void)Refresh();
      // The organisation changes seldom: reread it about once a minute.
      if (++tick * every >= std::chrono::minutes(1)) {
        tick = 0;
        (void)LoadOrg();
      }
      lock.lock();
    }
  });
}

void DashboardService::Stop() {
  {
    std::lock_guard lock(follow_mu_);
    stopping_ = true;
  }
  follow_cv_.notify_all();
  if (follower_.joinable()) follower_.join();
}

std::size_t DashboardService::FactCount() const {
  std::shared_lock lock(mu_);
  return index_->rows.size();
}

// ------------------------------------------------------------------ figures

namespace {

std::string TrackName(const workflow::TrackCatalogue& tracks, const std::string& id) {
  if (const auto* t = tracks.Find(id)) return t->name;
  return id;
}

std::string OptionLabel(const workflow::TrackCatalogue& tracks, const std::string& field, const std::string& key) {
  for (const auto& t : tracks.tracks)
    if (const auto* f = t.FindField(field))
      for (const auto& o : f->options)
        if (o.key == key) return o.label;
  return key;
}

std::string DrillQuery(std::initializer_list<std::pair<const char*, std::string>> parts) {
  std::string q;
  for (const auto& [k, v] : parts)
    if (!v.empty()) q += Cat(q.empty() ? "" : "&", k, "=", v);
  return q;
}

}  // namespace

absl::StatusOr<DashboardView> DashboardService::For(const Actor& actor, const DashboardQuery& q) {
  std::shared_lock lock(mu_);
  const Index& ix = *index_;
  ASSIGN_OR_RETURN(DashboardScope scope,
                   ScopeOf(actor, store_, [&](Id team) { return ix.Up(team, UnitKind::kUnit); }));
  DashboardView v;
  v.scope = scope;
  v.today = DateInAmsterdam(clock_.Now());
  v.year = q.year > 0 ? q.year : static_cast<int>(v.today.year());
  v.version = version_.load();
  const std::int32_t today = Day(v.today);
  const int year = v.year;

  // Tracks in scope, in catalogue order, as interned ids.
  std::vector<std::string> track_ids;
  std::map<std::uint16_t, std::size_t> track_pos;
  for (const auto& t : tracks_.tracks) {
    if (std::find(scope.tracks.begin(), scope.tracks.end(), t.id) == scope.tracks.end()) continue;
    if (auto id = ix.Find(t.id)) track_pos.emplace(*id, track_ids.size());
    track_ids.push_back(t.id);  // a track without cases yet is shown with zeros
  }
  const std::size_t nt = track_ids.size();

  // The units a table breaks down by: the units (eenheden) of the corps,
  // or, for a manager, the districts of the own unit.
  std::vector<Id> unit_rows;
  const UnitKind row_kind = scope.unit ? UnitKind::kDistrict : UnitKind::kUnit;
  for (const auto& [id, u] : ix.units)
    if (u.kind == row_kind && (!scope.unit || ix.Within(id, *scope.unit))) unit_rows.push_back(id);
  std::map<Id, std::size_t> unit_pos;
  for (std::size_t i = 0; i < unit_rows.size(); ++i) unit_pos.emplace(unit_rows[i], i);
  // Cases and staff above that level (the corps' own staff, a unit's own
  // office) count under "Overig", so that every total is whole; the column
  // is dropped again when nothing lands there.
  const std::size_t other = unit_rows.size();
  unit_rows.push_back(0);
  auto unit_label = [&](Id id) { return id == 0 ? std::string("Overig (hoger in de organisatie)") : ix.UnitName(id); };
  // Team -> row, cached.
  std::unordered_map<Id, std::optional<std::size_t>> row_of_unit;
  auto unit_row = [&](Id unit) -> std::optional<std::size_t> {
    auto it = row_of_unit.find(unit);
    if (it != row_of_unit.end()) return it->second;
    std::optional<std::size_t> r;
    if (auto up = ix.Up(unit, row_kind))
      if (auto p = unit_pos.find(*up); p != unit_pos.end()) r = p->second;
    if (!r) r = other;
    row_of_unit.emplace(unit, r);
    return r;
  };
  auto in_scope_unit = [&](Id unit) { return !scope.unit || ix.Within(unit, *scope.unit); };

  // One pass over the facts.
  std::map<std::pair<std::size_t, std::uint16_t>, std::int64_t> open_by_state;  // (track, state)
  std::map<std::tuple<std::size_t, std::uint16_t, std::size_t>, std::int64_t> open_state_unit;
  std::vector<std::int64_t> due_week(nt, 0), overdue(nt, 0);
  std::vector<std::vector<std::int64_t>> received_by_month(nt, std::vector<std::int64_t>(12, 0));
  std::vector<std::int64_t> received_by_unit(unit_rows.size(), 0);
  std::map<std::pair<std::size_t, std::uint16_t>, std::vector<std::uint16_t>> days_in_state;  // left in year
  std::vector<std::vector<std::uint16_t>> turnaround(nt);  // closed in year: received -> closed
  std::map<std::uint16_t, std::pair<std::int64_t, std::int64_t>> delays;  // kind -> (cases, days)
  std::map<std::pair<std::uint16_t, std::uint16_t>, std::int64_t> penalties;  // (penalty, rank)
  const auto penalty_key = ix.Find("penalty"), rank_key = ix.Find("rank_category"),
             delay_field = ix.Find("delay_reason");
  (void)delay_field;
  for (const auto& r : ix.rows) {
    if (!r.live) continue;
    auto tp = track_pos.find(r.track);
    if (tp == track_pos.end()) continue;
    if (!in_scope_unit(r.unit)) continue;
    const std::size_t t = tp->second;
    const auto urow = unit_row(r.unit);
    if (r.open) {
      ++open_by_state[{t, r.state}];
      if (urow) ++open_state_unit[{t, r.state, *urow}];
      if (r.next_due != kNone) {
        if (r.next_due < today) ++overdue[t];
        else if (r.next_due <= today + 6) ++due_week[t];
      }
    }
    if (r.received != kNone && YearOf(r.received) == year) {
      ++received_by_month[t][MonthOf(r.received) - 1];
      if (urow) ++received_by_unit[*urow];
    }
    const bool closed_in_year = r.closed != kNone && YearOf(r.closed) == year;
    if (closed_in_year) {
      turnaround[t].push_back(static_cast<std::uint16_t>(std::clamp(r.closed - r.received, 0, 65535)));
      for (const auto& [state, days] : r.days) days_in_state[{t, state}].push_back(days);
      if (!r.delays.empty())
        for (const auto& [kind, d] : r.delays) {
          auto& acc = delays[kind];
          ++acc.first;
          acc.second += d;
        }
      if (penalty_key && rank_key) {
        std::optional<std::uint16_t> pen, rank;
        for (const auto& [k, val] : r.answers) {
          if (k == *penalty_key) pen = val;
          if (k == *rank_key) rank = val;
        }
        if (pen && rank) ++penalties[{*pen, *rank}];
      }
    }
  }

  // Drop "Overig" when nothing landed there.
  {
    bool used = received_by_unit[other] > 0;
    for (const auto& [key, n] : open_state_unit) used |= std::get<2>(key) == other && n > 0;
    for (const auto& [team, n] : ix.staff_per_team)
      if (in_scope_unit(team) && unit_row(team) == other) used |= n > 0;
    if (!used) unit_rows.pop_back();
  }
  const int th = policy_.threshold;

  // 1. Open cases by track and state (rows; states roll up into their
  // track) and by unit (columns; the row totals are the open cases per
  // state): one table, so that its margins are protected with it.
  {
    // Open cases per (track, state, unit row).
    std::map<std::tuple<std::size_t, std::uint16_t, std::size_t>, std::int64_t> per_unit;
    for (const auto& [key, n] : open_state_unit) per_unit[key] = n;
    HierTable h;
    for (Id u : unit_rows) h.cols.push_back(unit_label(u));
    if (h.cols.empty()) h.cols.push_back("Open zaken");
    for (std::size_t t = 0; t < nt; ++t) {
      const auto parent = h.AddRow(TrackName(tracks_, track_ids[t]), std::nullopt, DrillQuery({{"track", track_ids[t]}}));
      if (const auto* def = tracks_.Find(track_ids[t]))
        for (const auto& st : def->states) {
          if (st.terminal) continue;
          const auto row = h.AddRow(st.label, parent, DrillQuery({{"track", track_ids[t]}, {"state", st.id}}));
          const auto sid = ix.Find(st.id);
          for (std::size_t u = 0; u < std::max<std::size_t>(unit_rows.size(), 1); ++u) {
            std::int64_t n = 0;
            if (sid && !unit_rows.empty())
              if (auto it = per_unit.find({t, *sid, u}); it != per_unit.end()) n = it->second;
            if (sid && unit_rows.empty())
              if (auto it = open_by_state.find({t, *sid}); it != open_by_state.end()) n = it->second;
            h.Set(row, u, n);
            if (!unit_rows.empty() && unit_rows[u] != 0)
              h.SetDrill(row, u, DrillQuery({{"track", track_ids[t]}, {"state", st.id}, {"unit", std::to_string(unit_rows[u])}}));
          }
        }
    }
    v.tables.push_back(h.Publish("open_by_state",
                                 scope.unit ? "Open zaken per traject, stap en district" : "Open zaken per traject, stap en eenheid",
                                 th, {.total_row = true, .total_col = !unit_rows.empty()}));
  }
  // 3. Deadlines.
  {
    HierTable h;
    h.cols = {"Termijn deze week", "Termijn verlopen"};
    for (std::size_t t = 0; t < nt; ++t) {
      const auto row = h.AddRow(TrackName(tracks_, track_ids[t]), std::nullopt, "");
      h.Set(row, 0, due_week[t]);
      h.Set(row, 1, overdue[t]);
      h.SetDrill(row, 0, DrillQuery({{"track", track_ids[t]}, {"due", "week"}}));
      h.SetDrill(row, 1, DrillQuery({{"track", track_ids[t]}, {"due", "overdue"}}));
    }
    v.tables.push_back(h.Publish("deadlines", "Termijnen: deze week en verlopen", th, {.total_row = true}));
  }
  // 4. Turnaround per track and step, against the norm.
  {
    DashboardTable tab;
    tab.id = "turnaround";
    tab.title = Cat("Doorlooptijd in dagen van zaken afgesloten in ", year);
    tab.col_labels = {"Zaken", "Mediaan", "90e percentiel", "Norm"};
    tab.note = Cat("Alleen stappen met ten minste ", th, " afgesloten zaken krijgen een mediaan en percentiel.");
    auto add = [&](std::string label, std::vector<std::uint16_t> values, std::optional<double> norm_days) {
      std::vector<DashboardCell> row(4);
      const auto n = static_cast<std::int64_t>(values.size());
      if (n >= th || n == 0) row[0].value = static_cast<double>(n);
      if (n >= th) {
        auto [med, p90] = MedianAndP90(values);
        row[1].value = med;
        row[2].value = p90;
      }
      if (norm_days) row[3].value = *norm_days;
      tab.row_labels.push_back(std::move(label));
      tab.cells.push_back(std::move(row));
    };
    for (std::size_t t = 0; t < nt; ++t) {
      const auto* def = tracks_.Find(track_ids[t]);
      std::optional<double> norm;
      if (def)
        for (const auto& d : def->deadlines)
          if (d.from == workflow::kReceivedEvent && !norm) {
            const double per = d.unit == workflow::DeadlineUnit::kWeeks    ? 7.0
                               : d.unit == workflow::DeadlineUnit::kMonths ? 30.4
                               : d.unit == workflow::DeadlineUnit::kWorkingDays ? 1.4
                                                                                : 1.0;
            norm = std::round(d.amount * per);
          }
      add(Cat(TrackName(tracks_, track_ids[t]), ": ontvangst tot afsluiting"), turnaround[t], norm);
      if (def)
        for (const auto& st : def->states) {
          if (st.terminal) continue;
          auto sid = ix.Find(st.id);
          std::vector<std::uint16_t> vals;
          if (sid)
            if (auto it = days_in_state.find({t, *sid}); it != days_in_state.end()) vals = it->second;
          add(Cat("  ", st.label), std::move(vals), std::nullopt);
        }
    }
    v.tables.push_back(std::move(tab));
  }
  // 5. Delays and their days.
  if (!delays.empty()) {
    HierTable h;
    h.cols = {"Zaken"};
    std::vector<std::int64_t> days;
    for (const auto& [kind, acc] : delays) {
      const auto row = h.AddRow(OptionLabel(tracks_, "delay_reason", ix.strings[kind]), std::nullopt, "");
      h.Set(row, 0, acc.first);
      days.push_back(acc.second);
    }
    std::vector<int> asked;
    DashboardTable tab = h.Publish("delays", Cat("Vertragers in zaken afgesloten in ", year), th, {.total_row = true}, &asked);
    // The days of a kind are shown only where its number of cases is.
    tab.col_labels.push_back("Dagen");
    for (std::size_t i = 0; i < tab.cells.size(); ++i) {
      DashboardCell c;
      if (tab.cells[i][0].value) {
        if (asked[i] >= 0) {
          c.value = static_cast<double>(days[static_cast<std::size_t>(asked[i])]);
        } else if (tab.row_labels[i] == "Totaal") {
          double sum = 0;
          for (auto d : days) sum += static_cast<double>(d);
          c.value = sum;
        }
      }
      tab.cells[i].push_back(c);
    }
    v.tables.push_back(std::move(tab));
  }
  // 6. New cases per month.
  {
    HierTable h;
    for (const char* m : kMonthsNl) h.cols.push_back(m);
    for (std::size_t t = 0; t < nt; ++t) {
      const auto row = h.AddRow(TrackName(tracks_, track_ids[t]), std::nullopt, "");
      for (int m = 0; m < 12; ++m) h.Set(row, static_cast<std::size_t>(m), received_by_month[t][m]);
    }
    v.tables.push_back(h.Publish("trend", Cat("Nieuwe zaken per maand in ", year), th, {.total_row = true, .total_col = true}));
  }
  // 7. Per 1,000 staff, and staff per counsellor.
  if (!unit_rows.empty()) {
    std::vector<std::int64_t> staff(unit_rows.size(), 0), vps(unit_rows.size(), 0);
    for (const auto& [team, n] : ix.staff_per_team)
      if (auto r = unit_row(team); r && *r < unit_rows.size() && in_scope_unit(team)) staff[*r] += n;
    for (const auto& [team, n] : ix.counsellors_per_team)
      if (auto r = unit_row(team); r && *r < unit_rows.size() && in_scope_unit(team)) vps[*r] += n;
    HierTable h;
    h.cols = {"Nieuwe zaken"};
    for (std::size_t u = 0; u < unit_rows.size(); ++u) {
      const auto row = h.AddRow(unit_label(unit_rows[u]), std::nullopt, "");
      h.Set(row, 0, received_by_unit[u]);
    }
    std::vector<int> asked;
    DashboardTable tab = h.Publish("per_1000", Cat("Nieuwe zaken per 1.000 medewerkers in ", year), th, {.total_row = true},
                                   &asked);
    // Staff numbers are the organisation's size, not about anyone's case.
    tab.col_labels = {"Medewerkers", "Nieuwe zaken", "Per 1.000 medewerkers", "Vertrouwenspersonen",
                      "Medewerkers per vertrouwenspersoon"};
    std::int64_t staff_total = 0, vp_total = 0;
    for (std::size_t u = 0; u < unit_rows.size(); ++u) {
      staff_total += staff[u];
      vp_total += vps[u];
    }
    for (std::size_t i = 0; i < tab.cells.size(); ++i) {
      const bool total = tab.row_labels[i] == "Totaal";
      if (!total && asked[i] < 0) {  // merged by the protection: no staff figures of its own
        tab.cells[i].resize(5);
        continue;
      }
      const std::int64_t s = total ? staff_total : staff[static_cast<std::size_t>(asked[i])];
      const std::int64_t n = total ? vp_total : vps[static_cast<std::size_t>(asked[i])];
      const DashboardCell cases = tab.cells[i][0];
      DashboardCell per;
      if (cases.value && s > 0) per.value = std::round(*cases.value * 10000.0 / static_cast<double>(s)) / 10.0;
      DashboardCell per_vp;
      if (n > 0) per_vp.value = std::round(static_cast<double>(s) * 10.0 / static_cast<double>(n)) / 10.0;
      tab.cells[i] = {DashboardCell{static_cast<double>(s), ""}, cases, per, DashboardCell{static_cast<double>(n), ""},
                      per_vp};
    }
    tab.decimals = true;
    v.tables.push_back(std::move(tab));
  }
  // 8. Penalties by rank category (closed in the year).
  if (penalty_key && rank_key && !penalties.empty()) {
    std::vector<std::uint16_t> pens, ranks;
    for (const auto& [k, n] : penalties) {
      if (std::find(pens.begin(), pens.end(), k.first) == pens.end()) pens.push_back(k.first);
      if (std::find(ranks.begin(), ranks.end(), k.second) == ranks.end()) ranks.push_back(k.second);
    }
    HierTable h;
    for (auto r : ranks) h.cols.push_back(OptionLabel(tracks_, "rank_category", ix.strings[r]));
    for (auto p : pens) {
      const auto row = h.AddRow(OptionLabel(tracks_, "penalty", ix.strings[p]), std::nullopt, "");
      for (std::size_t c = 0; c < ranks.size(); ++c)
        if (auto it = penalties.find({p, ranks[c]}); it != penalties.end()) h.Set(row, c, it->second);
    }
    v.tables.push_back(h.Publish("penalties", Cat("Straffen naar rangcategorie, ", year), th, {.total_row = true, .total_col = true}));
  }
  return v;
}

absl::StatusOr<std::vector<CaseFact>> DashboardService::Drill(const Actor& actor,
                                                                const std::map<std::string, std::string>& q) {
  std::shared_lock lock(mu_);
  const Index& ix = *index_;
  ASSIGN_OR_RETURN(DashboardScope scope,
                   ScopeOf(actor, store_, [&](Id team) { return ix.Up(team, UnitKind::kUnit); }));
  auto get = [&](const char* k) {
    auto it = q.find(k);
    return it == q.end() ? std::string() : it->second;
  };
  const std::string track = get("track"), state = get("state"), due = get("due"), unit_text = get("unit");
  if (track.empty() || std::find(scope.tracks.begin(), scope.tracks.end(), track) == scope.tracks.end())
    return NotFound("Dit cijfer hoort niet bij uw dashboard.");
  std::optional<Id> unit;
  if (!unit_text.empty()) {
    char* end = nullptr;
    unit = std::strtoll(unit_text.c_str(), &end, 10);
    if (!end || *end) return Invalid("Onbekende eenheid.");
  }
  const std::int32_t today = Day(DateInAmsterdam(clock_.Now()));
  const auto tid = ix.Find(track);
  const auto sid = state.empty() ? std::nullopt : ix.Find(state);
  std::vector<CaseFact> out;
  if (!tid || (!state.empty() && !sid)) return out;
  for (const auto& r : ix.rows) {
    if (!r.live || !r.open || r.track != *tid) continue;
    if (sid && r.state != *sid) continue;
    if (scope.unit && !ix.Within(r.unit, *scope.unit)) continue;
    if (unit && !ix.Within(r.unit, *unit)) continue;
    if (due == "week" && !(r.next_due != kNone && r.next_due >= today && r.next_due <= today + 6)) continue;
    if (due == "overdue" && !(r.next_due != kNone && r.next_due < today)) continue;
    CaseFact f;
    f.kind = r.lmm ? CaseKind::kLmm : CaseKind::kTrack;
    f.case_id = r.case_id;
    f.track = ix.strings[r.track];
    f.state = ix.strings[r.state];
    f.unit_id = r.unit;
    f.received_on = DateOfDay(r.received);
    if (r.next_due != kNone) f.next_due = DateOfDay(r.next_due);
    out.push_back(std::move(f));
    if (out.size() >= 500) break;
  }
  return out;
}

void DashboardService::VisitFacts(const std::vector<std::string>& tracks,
                                  const std::function<void(const FactRef&)>& fn) const {
  std::shared_lock lock(mu_);
  const Index& ix = *index_;
  std::vector<bool> wanted(ix.strings.size(), tracks.empty());
  for (const auto& t : tracks)
    if (auto id = ix.Find(t)) wanted[*id] = true;
  std::vector<std::pair<std::string_view, std::string_view>> answers;
  FactRef f;
  for (const auto& r : ix.rows) {
    if (!r.live || !wanted[r.track]) continue;
    answers.clear();
    for (const auto& [k, v] : r.answers) answers.emplace_back(ix.strings[k], ix.strings[v]);
    f.kind = r.lmm ? CaseKind::kLmm : CaseKind::kTrack;
    f.case_id = r.case_id;
    f.track = ix.strings[r.track];
    f.state = ix.strings[r.state];
    f.open = r.open;
    f.unit_id = r.unit;
    f.received_on = DateOfDay(r.received);
    f.closed_on = r.closed == kNone ? std::nullopt : std::optional<Date>(DateOfDay(r.closed));
    f.answers = answers;
    fn(f);
  }
}

}  // namespace waarborg::app
