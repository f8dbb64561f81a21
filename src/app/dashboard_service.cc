#include "app/dashboard_service.h"

#include <malloc.h>

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

const char* const kMonthsNl[] = {"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"};

// A multiset of day counts (0..65535) as a histogram, with its median and
// 90th percentile by nearest rank: the same values as sorting the list.
class DayCounts {
 public:
  void Add(int days) {
    const auto d = static_cast<std::size_t>(days);
    if (d >= counts_.size()) counts_.resize(std::max<std::size_t>(d + 1, counts_.size() * 2), 0);
    ++counts_[d];
    ++n_;
  }
  std::size_t size() const { return n_; }
  std::pair<double, double> MedianAndP90() const {
    auto rank = [&](double p) { return std::min(n_ - 1, static_cast<std::size_t>(std::ceil(p * static_cast<double>(n_))) - 1); };
    const std::size_t k50 = rank(0.5), k90 = rank(0.9);
    double med = 0, p90 = 0;
    std::size_t seen = 0;
    bool have_med = false;
    for (std::size_t d = 0; d < counts_.size(); ++d) {
      seen += counts_[d];
      if (!have_med && seen > k50) {
        med = static_cast<double>(d);
        have_med = true;
      }
      if (seen > k90) {
        p90 = static_cast<double>(d);
        break;
      }
    }
    return {med, p90};
  }

 private:
  std::vector<std::uint32_t> counts_;
  std::size_t n_ = 0;
};

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

// The facts in memory, laid out for one pass per dashboard (For) over a
// million of them: a row of 32 bytes per fact with everything the pass
// tests (track, state, open, the unit as a dense number, the days as day
// numbers), and the fact's lists (days per state, answers, delays) packed
// into one shared array of 32-bit words, read only for the cases closed in
// the year asked. Strings and unit ids are interned.
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

  // Unit ids of the facts, interned to dense numbers, so that a pass looks
  // a unit's row and scope up in a flat array.
  std::vector<Id> unit_ids;
  std::unordered_map<Id, std::uint32_t> unit_index;
  std::uint32_t InternUnit(Id id) {
    auto it = unit_index.find(id);
    if (it != unit_index.end()) return it->second;
    const auto n = static_cast<std::uint32_t>(unit_ids.size());
    unit_ids.push_back(id);
    unit_index.emplace(id, n);
    return n;
  }

  static constexpr std::uint8_t kOpen = 1, kLive = 2, kLmm = 4;
  struct Row {
    std::int32_t received = kNone, closed = kNone, state_since = kNone, next_due = kNone;
    std::uint32_t unit = 0;   // index into unit_ids
    std::uint32_t extra = 0;  // offset of the fact's lists in `extras` (0: none)
    std::uint16_t track = 0, state = 0;
    std::uint8_t flags = kLive;
    bool open() const { return flags & kOpen; }
    bool live() const { return flags & kLive; }
    bool lmm() const { return flags & kLmm; }
  };
  static_assert(sizeof(Row) == 32);
  std::vector<Row> rows;
  std::vector<Id> case_ids;  // parallel to rows
  // The lists of a fact at `extra`: the number of stretches, the number of
  // answers and of delays (16 bits each), then one word per stretch
  // (state << 16 | days), one per answer (key << 16 | value) and two per
  // delay (kind, days). Word 0 is unused, so 0 means none. A changed fact
  // gets new words at the end; the old ones are dropped when more than half
  // are stale.
  std::vector<std::uint32_t> extras{0};
  std::size_t stale_words = 0;

  // (kind, case id) -> row + 1: dense per kind for the usual case ids, a map
  // for unusually large ones.
  static constexpr Id kDenseIds = Id{1} << 26;
  std::vector<std::uint32_t> slot_of[2];
  std::unordered_map<std::uint64_t, std::uint32_t> sparse_slot;
  static std::uint64_t Key(bool lmm, Id id) { return (static_cast<std::uint64_t>(lmm) << 63) | static_cast<std::uint64_t>(id); }
  std::uint32_t* Slot(bool lmm, Id id, bool create) {
    if (id >= 0 && id < kDenseIds) {
      auto& v = slot_of[lmm ? 1 : 0];
      if (static_cast<std::size_t>(id) >= v.size()) {
        if (!create) return nullptr;
        v.resize(std::max<std::size_t>(static_cast<std::size_t>(id) + 1, v.size() + v.size() / 2), 0);
      }
      return &v[static_cast<std::size_t>(id)];
    }
    if (!create) {
      auto it = sparse_slot.find(Key(lmm, id));
      return it == sparse_slot.end() ? nullptr : &it->second;
    }
    return &sparse_slot[Key(lmm, id)];
  }
  void ClearFacts() {
    rows.clear();
    case_ids.clear();
    extras.assign(1, 0);
    stale_words = 0;
    slot_of[0].clear();
    slot_of[1].clear();
    sparse_slot.clear();
  }

  // A row's lists.
  std::uint32_t DaysCount(const Row& r) const { return r.extra ? extras[r.extra] : 0; }
  std::uint32_t AnswerCount(const Row& r) const { return r.extra ? extras[r.extra + 1] & 0xffff : 0; }
  std::uint32_t DelayCount(const Row& r) const { return r.extra ? extras[r.extra + 1] >> 16 : 0; }
  const std::uint32_t* Days(const Row& r) const { return extras.data() + r.extra + 2; }
  const std::uint32_t* Answers(const Row& r) const { return Days(r) + DaysCount(r); }
  const std::uint32_t* Delays(const Row& r) const { return Answers(r) + AnswerCount(r); }
  std::size_t ExtraWords(const Row& r) const {
    return r.extra ? 2 + DaysCount(r) + AnswerCount(r) + 2u * DelayCount(r) : 0;
  }
  // Rewrites `extras` without the stale words.
  void Compact() {
    std::vector<std::uint32_t> fresh;
    fresh.reserve(extras.size() - stale_words);
    fresh.push_back(0);
    for (auto& r : rows) {
      if (!r.extra) continue;
      const std::size_t n = ExtraWords(r);
      const auto at = static_cast<std::uint32_t>(fresh.size());
      fresh.insert(fresh.end(), extras.begin() + r.extra, extras.begin() + r.extra + static_cast<long>(n));
      r.extra = at;
    }
    extras = std::move(fresh);
    stale_words = 0;
  }

  // The organisation.
  std::map<Id, OrgUnit> units;
  std::map<Id, std::int64_t> staff_per_team, counsellors_per_team;

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
  const bool lmm = f.kind == CaseKind::kLmm;
  r.flags = static_cast<std::uint8_t>(Index::kLive | (f.open ? Index::kOpen : 0) | (lmm ? Index::kLmm : 0));
  r.track = ix.Intern(f.track);
  r.state = ix.Intern(f.state);
  r.unit = ix.InternUnit(f.unit_id);
  r.received = Day(f.received_on);
  r.closed = Day(f.closed_on);
  r.state_since = Day(f.state_since);
  r.next_due = Day(f.next_due);
  std::uint32_t* slot = ix.Slot(lmm, f.case_id, true);
  if (*slot) {  // a change: its old lists become stale
    ix.stale_words += ix.ExtraWords(ix.rows[*slot - 1]);
  }
  if (!f.days_in_state.empty() || !f.answers.empty() || !f.delay_days.empty()) {
    auto& e = ix.extras;
    r.extra = static_cast<std::uint32_t>(e.size());
    e.push_back(static_cast<std::uint32_t>(f.days_in_state.size()));
    e.push_back(static_cast<std::uint32_t>(f.answers.size()) | static_cast<std::uint32_t>(f.delay_days.size()) << 16);
    for (const auto& [state, days] : f.days_in_state)
      e.push_back(static_cast<std::uint32_t>(ix.Intern(state)) << 16 | static_cast<std::uint32_t>(std::clamp(days, 0, 65535)));
    for (const auto& [k, v] : f.answers)
      e.push_back(static_cast<std::uint32_t>(ix.Intern(k)) << 16 | ix.Intern(v));
    for (const auto& [k, v] : f.delay_days) {
      e.push_back(ix.Intern(k));
      e.push_back(static_cast<std::uint32_t>(v));
    }
  }
  if (*slot) {
    ix.rows[*slot - 1] = r;
  } else {
    ix.rows.push_back(r);
    ix.case_ids.push_back(f.case_id);
    *slot = static_cast<std::uint32_t>(ix.rows.size());
  }
  if (ix.stale_words > 4096 && ix.stale_words * 2 > ix.extras.size()) ix.Compact();
  if (f.updated_at > seen_until_) seen_until_ = f.updated_at;
}

absl::Status DashboardService::Load() {
  RETURN_IF_ERROR(LoadOrg());
  std::unique_lock lock(mu_);
  Index& ix = *index_;
  ix.ClearFacts();
  seen_until_ = 0;
  seen_at_last_.clear();
  // The whole table in storage order (ScanCaseFacts(0): one sequential
  // pass, where walking the updated_at index reads the rows in random
  // order); what was changed at the newest millisecond is remembered for
  // the next Refresh.
  std::vector<std::pair<Instant, std::uint32_t>> order;  // (updated_at, row)
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    return tx.ScanCaseFacts(0, [&](CaseFact&& f) {
      const auto key = Index::Key(f.kind == CaseKind::kLmm, f.case_id);
      if (f.updated_at > seen_until_) seen_at_last_.clear();
      if (f.updated_at >= seen_until_) seen_at_last_.insert(key);
      const std::size_t before = ix.rows.size();
      const Instant at = f.updated_at;
      Apply(std::move(f));
      if (ix.rows.size() > before) order.emplace_back(at, static_cast<std::uint32_t>(before));
    });
  }));
  // The rows in the order of their last change (then as stored), as a walk
  // of the updated_at index gives them: the order the drill-down lists
  // cases in. Their lists are rewritten in that order too.
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  if (order.size() == ix.rows.size()) {
    std::vector<Index::Row> rows(ix.rows.size());
    std::vector<Id> ids(ix.rows.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      rows[i] = ix.rows[order[i].second];
      ids[i] = ix.case_ids[order[i].second];
      *ix.Slot(rows[i].lmm(), ids[i], true) = static_cast<std::uint32_t>(i + 1);
    }
    ix.rows = std::move(rows);
    ix.case_ids = std::move(ids);
  }
  ix.Compact();
  ix.rows.shrink_to_fit();
  ix.case_ids.shrink_to_fit();
#ifdef __GLIBC__
  malloc_trim(0);  // give back what the load's temporaries held
#endif
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

// Sorts option keys of a choice field as the track file lists them (the
// first track with the field, as OptionLabel reads it); keys no file lists
// come last, alphabetically. So the rows of a table of answers keep one
// order, whatever order the facts were read in.
void SortAsOptions(const workflow::TrackCatalogue& tracks, const std::string& field,
                   const std::vector<std::string>& strings, std::vector<std::uint16_t>& keys) {
  const workflow::FieldDef* def = nullptr;
  for (const auto& t : tracks.tracks)
    if ((def = t.FindField(field))) break;
  auto position = [&](std::uint16_t k) {
    if (def)
      for (std::size_t i = 0; i < def->options.size(); ++i)
        if (def->options[i].key == strings[k]) return i;
    return def ? def->options.size() : std::size_t{0};
  };
  std::sort(keys.begin(), keys.end(), [&](std::uint16_t a, std::uint16_t b) {
    return std::pair(position(a), std::string_view(strings[a])) < std::pair(position(b), std::string_view(strings[b]));
  });
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

  // Everything the pass looks up, as flat arrays: the track of an interned
  // string, a state's place among the tracks' states, and per unit of the
  // facts its row (-1: out of scope).
  const std::size_t n_strings = ix.strings.size();
  std::vector<std::int8_t> track_of(n_strings, -1);
  for (const auto& [id, pos] : track_pos) track_of[id] = static_cast<std::int8_t>(pos);
  std::vector<std::int16_t> state_of(nt * n_strings, -1);  // [track][string] -> state slot
  std::vector<std::pair<std::size_t, std::uint16_t>> slot_state;  // slot -> (track, state id)
  for (std::size_t t = 0; t < nt; ++t)
    if (const auto* def = tracks_.Find(track_ids[t]))
      for (const auto& st : def->states)
        if (!st.terminal)
          if (auto sid = ix.Find(st.id); sid && state_of[t * n_strings + *sid] < 0) {
            state_of[t * n_strings + *sid] = static_cast<std::int16_t>(slot_state.size());
            slot_state.emplace_back(t, *sid);
          }
  auto slot_of = [&](std::size_t t, std::uint16_t sid) -> int {
    return sid < n_strings ? state_of[t * n_strings + sid] : -1;
  };
  std::vector<std::int32_t> row_of_fact_unit(ix.unit_ids.size(), -1);
  for (std::size_t u = 0; u < ix.unit_ids.size(); ++u)
    if (in_scope_unit(ix.unit_ids[u])) row_of_fact_unit[u] = static_cast<std::int32_t>(*unit_row(ix.unit_ids[u]));
  // The year as day numbers, and the month of each of its days.
  std::int32_t y0 = 0, y1 = 0;
  std::vector<std::uint8_t> month_of;
  if (year > 0 && year < 32767) {
    using namespace std::chrono;
    y0 = Day(Date{std::chrono::year{year}, January, std::chrono::day{1}});
    y1 = Day(Date{std::chrono::year{year + 1}, January, std::chrono::day{1}});
    month_of.resize(static_cast<std::size_t>(y1 - y0));
    for (unsigned m = 1; m <= 12; ++m) {
      const std::int32_t from = Day(Date{std::chrono::year{year}, std::chrono::month{m}, std::chrono::day{1}});
      const std::int32_t to = m == 12 ? y1 : Day(Date{std::chrono::year{year}, std::chrono::month{m + 1}, std::chrono::day{1}});
      std::fill(month_of.begin() + (from - y0), month_of.begin() + (to - y0), static_cast<std::uint8_t>(m - 1));
    }
  }

  // One pass over the facts.
  const std::size_t nu = unit_rows.size(), ns = slot_state.size();
  std::vector<std::int64_t> open_by_slot(ns, 0), open_by_slot_unit(ns * nu, 0);
  bool open_in_other = false;
  std::vector<std::int64_t> due_week(nt, 0), overdue(nt, 0);
  std::vector<std::int64_t> received_by_month(nt * 12, 0);
  std::vector<std::int64_t> received_by_unit(nu, 0);
  std::vector<DayCounts> turnaround(nt), days_in_state(ns);  // closed in the year
  std::vector<std::pair<std::int64_t, std::int64_t>> delays(n_strings);  // kind -> (cases, days)
  std::vector<std::uint32_t> penalties;  // penalty << 16 | rank, one per case
  const auto penalty_key = ix.Find("penalty"), rank_key = ix.Find("rank_category");
  const bool count_penalties = penalty_key && rank_key;
  for (const auto& r : ix.rows) {
    if (!r.live()) continue;
    const int t = track_of[r.track];
    if (t < 0) continue;
    const std::int32_t u = row_of_fact_unit[r.unit];
    if (u < 0) continue;
    if (r.open()) {
      if (const int sl = slot_of(static_cast<std::size_t>(t), r.state); sl >= 0) {
        ++open_by_slot[static_cast<std::size_t>(sl)];
        ++open_by_slot_unit[static_cast<std::size_t>(sl) * nu + static_cast<std::size_t>(u)];
      }
      open_in_other |= static_cast<std::size_t>(u) == other;
      if (r.next_due != kNone) {
        if (r.next_due < today) ++overdue[static_cast<std::size_t>(t)];
        else if (r.next_due <= today + 6) ++due_week[static_cast<std::size_t>(t)];
      }
    }
    if (r.received >= y0 && r.received < y1) {
      ++received_by_month[static_cast<std::size_t>(t) * 12 + month_of[static_cast<std::size_t>(r.received - y0)]];
      ++received_by_unit[static_cast<std::size_t>(u)];
    }
    if (r.closed >= y0 && r.closed < y1) {
      turnaround[static_cast<std::size_t>(t)].Add(std::clamp(r.closed - r.received, 0, 65535));
      if (!r.extra) continue;
      const std::uint32_t* w = ix.Days(r);
      for (std::uint32_t i = 0, n = ix.DaysCount(r); i < n; ++i)
        if (const int sl = slot_of(static_cast<std::size_t>(t), static_cast<std::uint16_t>(w[i] >> 16)); sl >= 0)
          days_in_state[static_cast<std::size_t>(sl)].Add(static_cast<int>(w[i] & 0xffff));
      const std::uint32_t* d = ix.Delays(r);
      for (std::uint32_t i = 0, n = ix.DelayCount(r); i < n; ++i) {
        auto& acc = delays[d[2 * i]];
        ++acc.first;
        acc.second += static_cast<std::int32_t>(d[2 * i + 1]);
      }
      if (count_penalties) {
        std::optional<std::uint16_t> pen, rank;
        const std::uint32_t* a = ix.Answers(r);
        for (std::uint32_t i = 0, n = ix.AnswerCount(r); i < n; ++i) {
          const auto k = static_cast<std::uint16_t>(a[i] >> 16), val = static_cast<std::uint16_t>(a[i] & 0xffff);
          if (k == *penalty_key) pen = val;
          if (k == *rank_key) rank = val;
        }
        if (pen && rank) penalties.push_back(static_cast<std::uint32_t>(*pen) << 16 | *rank);
      }
    }
  }

  // Drop "Overig" when nothing landed there.
  {
    bool used = received_by_unit[other] > 0 || open_in_other;
    for (const auto& [team, n] : ix.staff_per_team)
      if (in_scope_unit(team) && unit_row(team) == other) used |= n > 0;
    if (!used) unit_rows.pop_back();
  }
  const int th = policy_.threshold;

  // 1. Open cases by track and state (rows; states roll up into their
  // track) and by unit (columns; the row totals are the open cases per
  // state): one table, so that its margins are protected with it.
  {
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
          const int sl = sid ? slot_of(t, *sid) : -1;
          for (std::size_t u = 0; u < std::max<std::size_t>(unit_rows.size(), 1); ++u) {
            std::int64_t n = 0;
            if (sl >= 0)
              n = unit_rows.empty() ? open_by_slot[static_cast<std::size_t>(sl)]
                                    : open_by_slot_unit[static_cast<std::size_t>(sl) * nu + u];
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
    auto add = [&](std::string label, const DayCounts& values, std::optional<double> norm_days) {
      std::vector<DashboardCell> row(4);
      const auto n = static_cast<std::int64_t>(values.size());
      if (n >= th || n == 0) row[0].value = static_cast<double>(n);
      if (n >= th) {
        auto [med, p90] = values.MedianAndP90();
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
          const auto sid = ix.Find(st.id);
          const int sl = sid ? slot_of(t, *sid) : -1;
          add(Cat("  ", st.label), sl >= 0 ? days_in_state[static_cast<std::size_t>(sl)] : DayCounts(), std::nullopt);
        }
    }
    v.tables.push_back(std::move(tab));
  }
  // 5. Delays and their days.
  if (std::any_of(delays.begin(), delays.end(), [](const auto& acc) { return acc.first > 0; })) {
    HierTable h;
    h.cols = {"Zaken"};
    std::vector<std::int64_t> days;
    std::vector<std::uint16_t> kinds;
    for (std::size_t kind = 0; kind < delays.size(); ++kind)
      if (delays[kind].first > 0) kinds.push_back(static_cast<std::uint16_t>(kind));
    SortAsOptions(tracks_, "delay_reason", ix.strings, kinds);
    for (const std::uint16_t kind : kinds) {
      const auto& acc = delays[kind];
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
      for (std::size_t m = 0; m < 12; ++m) h.Set(row, m, received_by_month[t * 12 + m]);
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
  if (count_penalties && !penalties.empty()) {
    // (penalty, rank) -> cases.
    std::sort(penalties.begin(), penalties.end());
    std::map<std::pair<std::uint16_t, std::uint16_t>, std::int64_t> counts;
    for (std::size_t i = 0; i < penalties.size();) {
      std::size_t j = i;
      while (j < penalties.size() && penalties[j] == penalties[i]) ++j;
      counts.emplace(std::pair{static_cast<std::uint16_t>(penalties[i] >> 16), static_cast<std::uint16_t>(penalties[i] & 0xffff)},
                     static_cast<std::int64_t>(j - i));
      i = j;
    }
    std::vector<std::uint16_t> pens, ranks;
    for (const auto& [k, n] : counts) {
      if (std::find(pens.begin(), pens.end(), k.first) == pens.end()) pens.push_back(k.first);
      if (std::find(ranks.begin(), ranks.end(), k.second) == ranks.end()) ranks.push_back(k.second);
    }
    SortAsOptions(tracks_, "penalty", ix.strings, pens);
    SortAsOptions(tracks_, "rank_category", ix.strings, ranks);
    HierTable h;
    for (auto r : ranks) h.cols.push_back(OptionLabel(tracks_, "rank_category", ix.strings[r]));
    for (auto p : pens) {
      const auto row = h.AddRow(OptionLabel(tracks_, "penalty", ix.strings[p]), std::nullopt, "");
      for (std::size_t c = 0; c < ranks.size(); ++c)
        if (auto it = counts.find({p, ranks[c]}); it != counts.end()) h.Set(row, c, it->second);
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
  // Per unit of the facts: within the scope and the unit asked.
  std::vector<std::uint8_t> unit_ok(ix.unit_ids.size(), 0);
  for (std::size_t u = 0; u < ix.unit_ids.size(); ++u)
    unit_ok[u] = (!scope.unit || ix.Within(ix.unit_ids[u], *scope.unit)) && (!unit || ix.Within(ix.unit_ids[u], *unit));
  for (std::size_t i = 0; i < ix.rows.size(); ++i) {
    const auto& r = ix.rows[i];
    if (!r.live() || !r.open() || r.track != *tid) continue;
    if (sid && r.state != *sid) continue;
    if (!unit_ok[r.unit]) continue;
    if (due == "week" && !(r.next_due != kNone && r.next_due >= today && r.next_due <= today + 6)) continue;
    if (due == "overdue" && !(r.next_due != kNone && r.next_due < today)) continue;
    CaseFact f;
    f.kind = r.lmm() ? CaseKind::kLmm : CaseKind::kTrack;
    f.case_id = ix.case_ids[i];
    f.track = ix.strings[r.track];
    f.state = ix.strings[r.state];
    f.unit_id = ix.unit_ids[r.unit];
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
  for (std::size_t i = 0; i < ix.rows.size(); ++i) {
    const auto& r = ix.rows[i];
    if (!r.live() || !wanted[r.track]) continue;
    answers.clear();
    const std::uint32_t* a = ix.Answers(r);
    for (std::uint32_t j = 0, n = ix.AnswerCount(r); j < n; ++j)
      answers.emplace_back(ix.strings[a[j] >> 16], ix.strings[a[j] & 0xffff]);
    f.kind = r.lmm() ? CaseKind::kLmm : CaseKind::kTrack;
    f.case_id = ix.case_ids[i];
    f.track = ix.strings[r.track];
    f.state = ix.strings[r.state];
    f.open = r.open();
    f.unit_id = ix.unit_ids[r.unit];
    f.received_on = DateOfDay(r.received);
    f.closed_on = r.closed == kNone ? std::nullopt : std::optional<Date>(DateOfDay(r.closed));
    f.answers = answers;
    fn(f);
  }
}

}  // namespace waarborg::app
