#include "app/annual_report.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "app/service_support.h"
#include "core/common/status.h"
#include "core/common/strings.h"
#include "core/org/unit_tree.h"
#include "core/stats/protect.h"
#include "core/stats/table.h"

namespace waarborg::app {

namespace {

using Json = nlohmann::json;

const char* const kMonthShort[] = {"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"};
const char* const kMonthLong[] = {"januari", "februari", "maart",     "april",   "mei",      "juni",
                                  "juli",    "augustus", "september", "oktober", "november", "december"};

Date Ymd(int y, int m, int d) {
  return Date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
              std::chrono::day{static_cast<unsigned>(d)}};
}
Date LastDayOf(int y, int m) {
  return Date{std::chrono::year_month_day_last{
      std::chrono::year{y}, std::chrono::month_day_last{std::chrono::month{static_cast<unsigned>(m)}}}};
}
int YearOf(Date d) { return static_cast<int>(d.year()); }
int MonthOf(Date d) { return static_cast<int>(static_cast<unsigned>(d.month())); }
int DayOf(Date d) { return static_cast<int>(static_cast<unsigned>(d.day())); }
int DaysBetween(Date a, Date b) {
  return static_cast<int>((std::chrono::sys_days(b) - std::chrono::sys_days(a)).count());
}

// "1 januari t/m 31 december 2025"
std::string PeriodLabel(int year, int from, int to) {
  return Cat("1 ", kMonthLong[from - 1], " t/m ", DayOf(LastDayOf(year, to)), " ", kMonthLong[to - 1], " ", year);
}
// "2025", "januari t/m juni 2025"
std::string SpanLabel(int year, int from, int to) {
  if (from == 1 && to == 12) return Cat(year);
  if (from == to) return Cat(kMonthLong[from - 1], " ", year);
  return Cat(kMonthLong[from - 1], " t/m ", kMonthLong[to - 1], " ", year);
}

// ------------------------------------------------------------------ table definitions

// A column of a table: a node of its column tree (parents before their
// children). Counts go to leaves. An optional column is kept only when a
// case lands in it.
struct ColDef {
  std::string key;
  std::string label;
  int parent = -1;  // index into the definition; -1: under the root ("Totaal")
  bool optional = false;
};

struct TableDef {
  std::string id;
  std::vector<ColDef> cols;
  int Index(std::string_view key) const {
    for (std::size_t i = 0; i < cols.size(); ++i)
      if (cols[i].key == key) return static_cast<int>(i);
    return -1;
  }
};

// A breakdown published for the korps only, of the cases in one node of a
// by-unit table (its population).
struct ListDef {
  TableDef def;
  int parent_table = 0;    // index into the by-unit tables
  std::string parent_key;  // the node whose cases it breaks down
};

struct KindSpec {
  std::vector<TableDef> by_unit;  // [0] is always the calendar (per_kwartaal)
  std::vector<ListDef> lists;     // the kind's own, then the months per quarter
  std::size_t kind_lists = 0;
  // The leaves of the "verloop" table whose cases are closed, or its node.
  std::string verloop_id = "verloop";
  std::vector<std::string> closed_keys;
};

// The calendar of every by-unit table: the year and its quarters. Months
// are published for the korps only, as a list per quarter (MonthLists).
TableDef CalendarDef() {
  TableDef t{"per_kwartaal", {}};
  for (int q = 1; q <= 4; ++q) t.cols.push_back({Cat("q", q), Cat("K", q), -1, false});
  return t;
}

// The months of quarter q, for the korps: a list whose total is the korps'
// published quarter.
void AddMonthLists(KindSpec& s) {
  for (int q = 1; q <= 4; ++q) {
    ListDef l{{Cat("per_maand_k", q), {}}, 0, Cat("q", q)};
    for (int m = 3 * q - 2; m <= 3 * q; ++m) l.def.cols.push_back({Cat("m", m), kMonthLong[m - 1], -1, false});
    s.lists.push_back(std::move(l));
  }
}

// The label of a choice option in the track file, or `fallback`.
std::string OptionLabel(const workflow::TrackCatalogue* tracks, std::string_view track, std::string_view field,
                        std::string_view key, std::string_view fallback) {
  if (tracks)
    if (const auto* t = tracks->Find(track))
      if (const auto* f = t->FindField(field))
        for (const auto& o : f->options)
          if (o.key == key) return o.label;
  return std::string(fallback);
}

KindSpec LmmSpec() {
  KindSpec s;
  s.by_unit.push_back(CalendarDef());
  s.by_unit.push_back({"kanaal",
                       {{"online", "Online door de melder"},
                        {"conversation", "Gesprek met een VPI"},
                        {"mailbox", "LMM-mailbox"},
                        {"unknown", "Onbekend", -1, true}}});
  s.by_unit.push_back({"melder",
                       {{"employee", "Medewerker"},
                        {"former_employee", "Voormalig medewerker"},
                        {"other", "Anders (zzp, inhuur, uitzendkracht, stagiair, vrijwilliger, gedetacheerd)"}}});
  s.by_unit.push_back({"verloop",
                       {{"untested", "Nog niet getoetst"},
                        {"referred", "Geen misstand: doorverwezen"},
                        {"misstand", "Vermoeden van een misstand"},
                        {"weighing", "Weging en advies", 2},
                        {"no_investigation", "Besluit: geen onderzoek", 2},
                        {"investigation_open", "Onderzoek loopt", 2},
                        {"investigation_closed", "Onderzoek afgerond", 2},
                        {"closed_other", "Afgesloten zonder besluit", -1, true}}});
  s.by_unit.push_back({"ontvangstbevestiging",
                       {{"in_time", "Binnen 7 dagen"}, {"late", "Na 7 dagen"}, {"not_sent", "Niet verstuurd"}}});
  s.by_unit.push_back(
      {"terugkoppeling",
       {{"in_time", "Binnen de termijn"}, {"late", "Na de termijn"}, {"not_sent", "Nog niet gegeven"}}});
  s.lists.push_back({{"soort",
                      {{"statutory_violation", "Schending van een wettelijk voorschrift"},
                       {"public_health", "Gevaar voor de volksgezondheid"},
                       {"safety_of_persons", "Gevaar voor de veiligheid van personen"},
                       {"environment", "Gevaar voor het milieu"},
                       {"proper_functioning", "Gevaar voor het goed functioneren van de openbare dienst"},
                       {"multiple", "Meer dan één soort"},
                       {"unknown", "Niet vastgelegd", -1, true}}},
                     3,
                     "misstand"});
  s.closed_keys = {"referred", "no_investigation", "investigation_closed", "closed_other"};
  return s;
}

KindSpec CounsellorSpec(const workflow::TrackCatalogue* tracks) {
  auto label = [&](std::string_view field, std::string_view key, std::string_view fallback) {
    return OptionLabel(tracks, "unwanted_behaviour", field, key, fallback);
  };
  KindSpec s;
  s.by_unit.push_back(CalendarDef());
  TableDef cat{"categorie", {}};
  for (auto [k, l] : std::initializer_list<std::pair<const char*, const char*>>{
           {"verbal_aggression", "Verbale agressie"},
           {"physical_aggression", "Fysieke agressie"},
           {"psychological_aggression", "Psychische agressie en intimidatie"},
           {"sexual_intimidation", "Seksuele intimidatie"},
           {"discrimination", "Discriminatie"},
           {"vandalism", "Vandalisme"},
           {"criminality", "Criminaliteit"}})
    cat.cols.push_back({k, label("category", k, l)});
  cat.cols.push_back({"not_recorded", "Niet vastgelegd"});
  s.by_unit.push_back(std::move(cat));
  s.by_unit.push_back({"verloop",
                       {{"open", "In behandeling"},
                        {"received", "Ontvangen, nog geen route", 0},
                        {"with_counsellor", "Bij de vertrouwenspersoon", 0},
                        {"with_manager", "Bij de leidinggevende", 0},
                        {"evaluation", "Evaluatie", 0},
                        {"other_open", "Andere stap", 0, true},
                        {"closed", "Afgesloten"},
                        {"conversation", "Alleen gesprek(ken) met de VP", 6},
                        {"mediation", "Bemiddeling", 6},
                        {"formal_complaint", "Formele klacht", 6},
                        {"criminal_report", "Aangifte", 6},
                        {"line_manager", "Via de leidinggevende", 6},
                        {"route_unknown", "Route niet vastgelegd", 6, true}}});
  auto consequences = [&](std::string id, std::string field) {
    TableDef t{std::move(id), {}};
    for (auto [k, l] : std::initializer_list<std::pair<const char*, const char*>>{
             {"none", "Geen"},
             {"warning", "Waarschuwing"},
             {"transfer", "Overplaatsing"},
             {"order_measure", "Ordemaatregel"},
             {"disciplinary_measure", "Disciplinaire maatregel"}})
      t.cols.push_back({k, label(field, k, l)});
    t.cols.push_back({"not_recorded", "Niet vastgelegd", -1, true});
    return t;
  };
  s.lists.push_back({consequences("gevolgen_aangeklaagde", "consequences_accused"), 2, "closed"});
  s.lists.push_back({consequences("gevolgen_klager", "consequences_complainant"), 2, "closed"});
  s.lists.push_back({{"advies_commissie",
                      {{"founded", label("committee_advice", "founded", "Gegrond")},
                       {"unfounded", label("committee_advice", "unfounded", "Ongegrond")},
                       {"inadmissible", label("committee_advice", "inadmissible", "Niet-ontvankelijk")},
                       {"no_advice", "Geen advies vastgelegd", -1, true}}},
                     2,
                     "formal_complaint"});
  s.lists.push_back({{"besluit_conform",
                      {{"as_advised", "Conform het advies"},
                       {"otherwise", "Anders dan het advies"},
                       {"not_recorded", "Niet vastgelegd", -1, true}}},
                     2,
                     "formal_complaint"});
  s.closed_keys = {"closed"};
  return s;
}

KindSpec SpecFor(ReportKind k, const workflow::TrackCatalogue* tracks) {
  KindSpec s = k == ReportKind::kLmm ? LmmSpec() : CounsellorSpec(tracks);
  s.kind_lists = s.lists.size();
  AddMonthLists(s);
  return s;
}

// Where a case goes in each table of its kind: the key of a leaf, or "" for
// a list whose population it is not in.
struct Placement {
  std::vector<std::string_view> by_unit;
  std::vector<std::string_view> lists;
};

bool In(std::string_view v, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

void PlaceLmm(const FactRef& f, Placement& p) {
  p.by_unit[0] = "";  // the month, set by the caller
  const auto ch = f.Answer("channel");
  p.by_unit[1] = In(ch, {"online", "conversation", "mailbox"}) ? ch : std::string_view("unknown");
  const auto rc = f.Answer("reporter_category");
  p.by_unit[2] = In(rc, {"employee", "former_employee"}) ? rc : std::string_view("other");
  const auto outcome = f.Answer("outcome");
  std::string_view verloop;
  if (outcome == "referred")
    verloop = "referred";
  else if (outcome == "no_investigation")
    verloop = "no_investigation";
  else if (outcome == "investigation")
    verloop = f.open ? "investigation_open" : "investigation_closed";
  else if (!f.open)
    verloop = "closed_other";
  else if (In(f.state, {"weighing", "advised"}) || !f.Answer("misconduct").empty())
    verloop = "weighing";
  else
    verloop = "untested";
  p.by_unit[3] = verloop;
  const auto ack = f.Answer("acknowledgement");
  p.by_unit[4] = In(ack, {"in_time", "late"}) ? ack : std::string_view("not_sent");
  const auto fb = f.Answer("feedback");
  p.by_unit[5] = In(fb, {"in_time", "late"}) ? fb : std::string_view("not_sent");
  // The kind of wrongdoing, within "vermoeden van een misstand".
  if (In(verloop, {"weighing", "no_investigation", "investigation_open", "investigation_closed"})) {
    const auto m = f.Answer("misconduct");
    p.lists[0] = In(m, {"statutory_violation", "public_health", "safety_of_persons", "environment",
                        "proper_functioning", "multiple"})
                     ? m
                     : std::string_view("unknown");
  } else {
    p.lists[0] = "";
  }
}

void PlaceCounsellors(const FactRef& f, Placement& p) {
  p.by_unit[0] = "";
  const auto cat = f.Answer("category");
  p.by_unit[1] = In(cat, {"verbal_aggression", "physical_aggression", "psychological_aggression", "sexual_intimidation",
                          "discrimination", "vandalism", "criminality"})
                     ? cat
                     : std::string_view("not_recorded");
  std::string_view verloop;
  if (f.open) {
    if (f.state == "received")
      verloop = "received";
    else if (In(f.state, {"with_counsellor", "mediation", "formal_complaint", "criminal_report"}))
      verloop = "with_counsellor";
    else if (In(f.state, {"fact_finding", "management_inquiry", "disciplinary", "rehabilitation", "prosecution"}))
      verloop = "with_manager";
    else if (f.state == "evaluation")
      verloop = "evaluation";
    else
      verloop = "other_open";
  } else {
    const auto pc = f.Answer("procedure_chosen");
    if (In(pc, {"conversation", "mediation", "formal_complaint", "criminal_report"}))
      verloop = pc;
    else if (In(pc, {"line_manager", "management_inquiry", "disciplinary", "prosecution"}))
      verloop = "line_manager";
    else
      verloop = "route_unknown";
  }
  p.by_unit[2] = verloop;
  std::fill(p.lists.begin(), p.lists.end(), std::string_view());
  if (!f.open) {
    auto consequence = [&](std::string_view field) {
      const auto v = f.Answer(field);
      return In(v, {"none", "warning", "transfer", "order_measure", "disciplinary_measure"})
                 ? v
                 : std::string_view("not_recorded");
    };
    p.lists[0] = consequence("consequences_accused");
    p.lists[1] = consequence("consequences_complainant");
    if (verloop == "formal_complaint") {
      const auto a = f.Answer("committee_advice");
      p.lists[2] = In(a, {"founded", "unfounded", "inadmissible"}) ? a : std::string_view("no_advice");
      const auto d = f.Answer("decision_as_advised");
      p.lists[3] = d == "ja"    ? std::string_view("as_advised")
                   : d == "nee" ? std::string_view("otherwise")
                                : std::string_view("not_recorded");
    }
  }
}

// ------------------------------------------------------------------ organisation rows

// The rows of every by-unit table: korps > eenheid > district. Teams count
// under their district; cases registered above the district level count
// under an "Overig" row of their eenheid (or of the korps), so every total
// is whole.
class OrgRows {
 public:
  explicit OrgRows(const std::vector<OrgUnit>& units) {
    for (const auto& u : units) units_.emplace(u.id, u);
    Id corps = 0;
    for (const auto& u : units)
      if (u.kind == UnitKind::kCorps && !u.parent_id) {
        corps = u.id;
        break;
      }
    dim_ = stats::Dimension(corps ? units_.at(corps).name : std::string("Korps"));
    dim_.SetLevelNames({"korps", "eenheid", "district"});
    unit_.push_back(corps);
    node_of_.emplace(corps, 0);
    for (const auto& u : units)
      if (u.kind == UnitKind::kUnit) {
        node_of_.emplace(u.id, dim_.Add(0, u.name));
        unit_.push_back(u.id);
      }
    for (const auto& u : units)
      if (u.kind == UnitKind::kDistrict) {
        int parent = 0;
        if (auto e = Up(u.id, UnitKind::kUnit))
          if (auto it = node_of_.find(*e); it != node_of_.end()) parent = it->second;
        node_of_.emplace(u.id, dim_.Add(parent, u.name));
        unit_.push_back(u.id);
      }
  }

  // The leaf row a case of `unit` counts in (adds an "Overig" row when needed).
  int LeafOf(Id unit) {
    if (auto it = leaf_.find(unit); it != leaf_.end()) return it->second;
    int node = -1;
    if (auto d = Up(unit, UnitKind::kDistrict))
      if (auto it = node_of_.find(*d); it != node_of_.end()) node = it->second;
    if (node < 0)
      if (auto e = Up(unit, UnitKind::kUnit))
        if (auto it = node_of_.find(*e); it != node_of_.end()) node = it->second;
    if (node < 0) node = 0;
    if (!dim_.is_leaf(node)) node = Rest(node);
    leaf_.emplace(unit, node);
    return node;
  }

  const stats::Dimension& dim() const { return dim_; }
  Id unit(int node) const { return unit_[static_cast<std::size_t>(node)]; }
  // An upper bound of the number of rows, however many "Overig" rows are added.
  int Capacity() const { return dim_.size() + dim_.size() + 1; }

 private:
  std::optional<Id> Up(Id unit, UnitKind kind) const { return UnitUp(units_, unit, kind); }
  int Rest(int parent) {
    if (auto it = rest_.find(parent); it != rest_.end()) return it->second;
    const int node = dim_.Add(parent, parent == 0 ? "Overig (niet in een eenheid)" : "Overig (niet in een district)");
    unit_.push_back(0);
    rest_.emplace(parent, node);
    return node;
  }

  std::map<Id, OrgUnit> units_;
  stats::Dimension dim_;
  std::vector<Id> unit_;  // per node
  std::map<Id, int> node_of_;
  std::map<int, int> rest_;
  std::unordered_map<Id, int> leaf_;
};

// ------------------------------------------------------------------ protection

stats::Dimension ColumnsOf(const TableDef& def, const std::vector<bool>& keep, std::vector<int>& node_of,
                           std::vector<std::string>& keys) {
  stats::Dimension d("Totaal");
  keys = {"total"};
  node_of.assign(def.cols.size(), -1);
  for (std::size_t i = 0; i < def.cols.size(); ++i) {
    if (!keep[i]) continue;
    const int parent = def.cols[i].parent < 0 ? 0 : node_of[static_cast<std::size_t>(def.cols[i].parent)];
    if (parent < 0) continue;
    node_of[i] = d.Add(parent, def.cols[i].label);
    keys.push_back(def.cols[i].key);
  }
  return d;
}

// A level passes when at most half of a table's non-zero leaf cells are
// hidden and its grand total is published (as core/stats' own fallback).
bool Acceptable(const stats::Table& t, const stats::PublishedTable& p) {
  std::int64_t nonzero = 0, hidden = 0;
  for (int r : t.rows().Leaves())
    for (int c : t.cols().Leaves())
      if (t.Value(r, c) > 0) {
        ++nonzero;
        if (p.cell(r, c).suppressed()) ++hidden;
      }
  if (nonzero > 0 && 2 * hidden > nonzero) return false;
  return !p.cell(0, 0).suppressed();
}

PublishedGrid GridOf(std::string id, const stats::PublishedTable& p, const std::vector<std::string>& keys,
                     const std::vector<Id>& row_units) {
  PublishedGrid g;
  g.id = std::move(id);
  const auto& rows = p.rows();
  const auto& cols = p.cols();
  for (int r = 0; r < rows.size(); ++r) {
    g.row_labels.push_back(rows.label(r));
    g.row_parent.push_back(rows.parent(r));
    g.row_unit.push_back(static_cast<std::size_t>(r) < row_units.size() ? row_units[static_cast<std::size_t>(r)] : 0);
  }
  const bool collapsed = cols.size() == 1;
  for (int c = 0; c < cols.size(); ++c) {
    g.col_keys.push_back(collapsed ? std::string("total") : keys[static_cast<std::size_t>(c)]);
    g.col_labels.push_back(c == 0 ? std::string("Totaal") : cols.label(c));
    g.col_parent.push_back(cols.parent(c));
  }
  for (int r = 0; r < rows.size(); ++r)
    for (int c = 0; c < cols.size(); ++c) g.cells.push_back(p.cell(r, c).value());
  g.note = p.note();
  return g;
}

// Nearest rank.
std::array<int, 2> MedianAndP90(std::vector<int>& v) {
  auto rank = [&](double q) {
    const std::size_t k =
        std::min(v.size() - 1, static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1);
    std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
    return v[k];
  };
  return {rank(0.5), rank(0.9)};
}

}  // namespace

// ------------------------------------------------------------------ kinds and requests

std::string_view ReportKindName(ReportKind k) { return k == ReportKind::kLmm ? "lmm" : "vertrouwenswerk"; }

std::optional<ReportKind> ParseReportKind(std::string_view s) {
  if (s == "lmm") return ReportKind::kLmm;
  if (s == "vertrouwenswerk") return ReportKind::kCounsellors;
  return std::nullopt;
}

std::string_view ReportKindShortNl(ReportKind k) { return k == ReportKind::kLmm ? "LMM" : "vertrouwenswerk"; }

std::vector<std::string> ReportTracks(ReportKind k) {
  if (k == ReportKind::kLmm) return {"lmm"};
  return {"unwanted_behaviour"};
}

absl::StatusOr<ReportRequest> ParseReportRequest(const std::function<std::string(const std::string&)>& param) {
  ReportRequest r;
  const std::string kind = param("soort");
  if (kind.empty()) return Invalid("Kies een soort verslag: LMM of vertrouwenswerk.");
  auto k = ParseReportKind(kind);
  if (!k) return Invalid("Onbekende soort verslag; kies LMM of vertrouwenswerk.");
  r.kind = *k;
  const std::string from = param("van"), to = param("tot"), year = param("jaar");
  if (!from.empty() || !to.empty()) {
    if (from.empty() || to.empty()) return Invalid("Vul bij een periode zowel de begindatum als de einddatum in.");
    auto strict = [](const std::string& s) -> std::optional<Date> {
      // dd-mm-jjjj only: the format every date in Waarborg is shown in.
      if (s.size() != 10 || s[2] != '-' || s[5] != '-') return std::nullopt;
      return ParseDate(s);
    };
    auto f = strict(from), t = strict(to);
    if (!f) return Invalid("De begindatum is geen geldige datum; schrijf hem als dd-mm-jjjj.");
    if (!t) return Invalid("De einddatum is geen geldige datum; schrijf hem als dd-mm-jjjj.");
    if (YearOf(*f) != YearOf(*t))
      return Invalid("Een periode ligt binnen één kalenderjaar; vraag voor een ander jaar een tweede verslag.");
    if (std::chrono::sys_days(*t) < std::chrono::sys_days(*f)) return Invalid("De einddatum ligt voor de begindatum.");
    r.year = YearOf(*f);
    r.from_month = MonthOf(*f);
    r.to_month = MonthOf(*t);
    r.rounded = DayOf(*f) != 1 || *t != LastDayOf(r.year, r.to_month);
  } else {
    if (year.empty()) return Invalid("Kies een jaar, of vul een periode in (van en tot).");
    if (year.size() != 4 || !std::all_of(year.begin(), year.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return Invalid("Het jaar bestaat uit vier cijfers, bijvoorbeeld 2025.");
    r.year = std::stoi(year);
  }
  if (r.year < 2000 || r.year > 2999) return Invalid("Kies een jaar vanaf 2000.");
  const std::string unit = param("eenheid");
  if (!unit.empty()) {
    if (unit.size() > 18 || !std::all_of(unit.begin(), unit.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return Invalid("Onbekende eenheid.");
    r.unit = std::stoll(unit);
  }
  return r;
}

std::string ReportQuery(const ReportRequest& r) {
  std::string q = Cat("soort=", ReportKindName(r.kind));
  if (r.WholeYear()) {
    q += Cat("&jaar=", r.year);
  } else {
    q += Cat("&van=", FormatDateNl(Ymd(r.year, r.from_month, 1)), "&tot=", FormatDateNl(LastDayOf(r.year, r.to_month)));
  }
  if (r.unit) q += Cat("&eenheid=", *r.unit);
  return q;
}

bool ReportTable::HasSuppressed() const {
  for (const auto& r : rows)
    for (const auto& c : r.cells)
      if (!c) return true;
  return false;
}

const ReportTable* AnnualReport::FindTable(std::string_view id) const {
  for (const auto& s : sections)
    for (const auto& t : s.tables)
      if (t.id == id) return &t;
  return nullptr;
}

std::string AnnualReport::FileStem() const {
  std::string stem = Cat(request.WholeYear() && !request.unit ? "jaarverslag-" : "managementrapportage-",
                         request.kind == ReportKind::kLmm ? "lmm" : "vertrouwenswerk");
  if (request.unit) {
    const std::string slug = workflow::UnitFolderName(unit_label);
    if (!slug.empty()) stem += "-" + slug;
  }
  if (request.WholeYear()) return Cat(stem, "-", request.year);
  return Cat(stem, "-", request.year, "-", fmt::format("{:02d}", request.from_month), "-t-m-",
             fmt::format("{:02d}", request.to_month));
}

int PublishedGrid::ColOf(std::string_view key) const {
  for (std::size_t i = 0; i < col_keys.size(); ++i)
    if (col_keys[i] == key) return static_cast<int>(i);
  return -1;
}

int PublishedGrid::RowOfUnit(Id unit) const {
  for (std::size_t i = 0; i < row_unit.size(); ++i)
    if (row_unit[i] == unit && unit != 0) return static_cast<int>(i);
  return -1;
}

const PublishedGrid* Publication::Grid(std::string_view id) const {
  for (const auto& g : by_unit)
    if (g.id == id) return &g;
  for (const auto& g : korps_lists)
    if (g.id == id) return &g;
  if (per_unit && per_unit->id == id) return &*per_unit;
  return nullptr;
}

// ------------------------------------------------------------------ publishing

Publication Publish(const PublicationInput& in) {
  Publication p;
  p.kind = in.kind;
  p.year = in.year;
  p.through_month = in.through_month;
  p.threshold = std::max(2, in.threshold);
  p.made_on = in.made_on;
  const KindSpec spec = SpecFor(in.kind, in.tracks);
  const std::size_t nb = spec.by_unit.size(), nl = spec.lists.size();
  OrgRows org(in.units);
  const int capacity = org.Capacity();

  // Column index of every key, per table.
  std::vector<std::unordered_map<std::string_view, int>> by_key(nb), list_key(nl);
  for (std::size_t t = 0; t < nb; ++t)
    for (std::size_t i = 0; i < spec.by_unit[t].cols.size(); ++i)
      by_key[t].emplace(spec.by_unit[t].cols[i].key, static_cast<int>(i));
  for (std::size_t l = 0; l < nl; ++l)
    for (std::size_t i = 0; i < spec.lists[l].def.cols.size(); ++i)
      list_key[l].emplace(spec.lists[l].def.cols[i].key, static_cast<int>(i));
  std::vector<std::vector<std::int64_t>> counts(nb), list_counts(nl);
  for (std::size_t t = 0; t < nb; ++t)
    counts[t].assign(static_cast<std::size_t>(capacity) * spec.by_unit[t].cols.size(), 0);
  for (std::size_t l = 0; l < nl; ++l) list_counts[l].assign(spec.lists[l].def.cols.size(), 0);
  std::vector<std::vector<int>> days(static_cast<std::size_t>(capacity));
  const std::vector<std::string> tracks = ReportTracks(in.kind);
  std::vector<int> quarter_col(5, -1);
  for (int q = 1; q <= 4; ++q) quarter_col[static_cast<std::size_t>(q)] = spec.by_unit[0].Index(Cat("q", q));
  std::vector<std::string> month_key(13);
  for (int m = 1; m <= 12; ++m) month_key[static_cast<std::size_t>(m)] = Cat("m", m);

  const auto first = std::chrono::sys_days(Ymd(in.year, 1, 1));
  const auto last = std::chrono::sys_days(LastDayOf(in.year, std::clamp(in.through_month, 1, 12)));
  Placement place;
  place.by_unit.resize(nb);
  place.lists.resize(nl);
  if (in.visit) {
    in.visit([&](const FactRef& f) {
      const auto day = std::chrono::sys_days(f.received_on);
      if (day < first || day > last) return;
      if (std::find(tracks.begin(), tracks.end(), f.track) == tracks.end()) return;
      const int row = org.LeafOf(f.unit_id);
      if (in.kind == ReportKind::kLmm)
        PlaceLmm(f, place);
      else
        PlaceCounsellors(f, place);
      const int month = MonthOf(f.received_on), quarter = (month + 2) / 3;
      counts[0][static_cast<std::size_t>(row) * spec.by_unit[0].cols.size() +
                static_cast<std::size_t>(quarter_col[static_cast<std::size_t>(quarter)])]++;
      for (int q = 1; q <= 4; ++q)
        place.lists[spec.kind_lists + static_cast<std::size_t>(q - 1)] =
            q == quarter ? std::string_view(month_key[static_cast<std::size_t>(month)]) : std::string_view();
      for (std::size_t t = 1; t < nb; ++t) {
        auto it = by_key[t].find(place.by_unit[t]);
        if (it != by_key[t].end())
          counts[t]
                [static_cast<std::size_t>(row) * spec.by_unit[t].cols.size() + static_cast<std::size_t>(it->second)]++;
      }
      for (std::size_t l = 0; l < nl; ++l) {
        if (place.lists[l].empty()) continue;
        auto it = list_key[l].find(place.lists[l]);
        if (it != list_key[l].end()) list_counts[l][static_cast<std::size_t>(it->second)]++;
      }
      if (!f.open && f.closed_on)
        days[static_cast<std::size_t>(row)].push_back(std::max(0, DaysBetween(f.received_on, *f.closed_on)));
    });
  }

  // The asked tables: the organisation's rows × each table's columns (an
  // optional column only when a case landed in it).
  const stats::Dimension& rows = org.dim();
  std::vector<stats::Table> tables;
  std::vector<std::vector<std::string>> keys(nb);
  for (std::size_t t = 0; t < nb; ++t) {
    const TableDef& def = spec.by_unit[t];
    const std::size_t nc = def.cols.size();
    std::vector<bool> keep(nc, true);
    for (std::size_t i = 0; i < nc; ++i) {
      if (!def.cols[i].optional) continue;
      std::int64_t n = 0;
      for (int r = 0; r < rows.size(); ++r) n += counts[t][static_cast<std::size_t>(r) * nc + i];
      keep[i] = n > 0;
    }
    std::vector<int> node_of;
    stats::Table table(rows, ColumnsOf(def, keep, node_of, keys[t]));
    for (int r : rows.Leaves())
      for (std::size_t i = 0; i < nc; ++i)
        if (node_of[i] > 0 && table.cols().is_leaf(node_of[i]))
          (void)table.Set(r, node_of[i], counts[t][static_cast<std::size_t>(r) * nc + i]);
    tables.push_back(std::move(table));
  }

  stats::Policy policy;
  policy.threshold = p.threshold;
  policy.counted = "meldingen";
  p.max_level = std::min(2, rows.max_depth());
  std::vector<int> levels;
  for (int d = p.max_level; d >= 0; --d) levels.push_back(d);
  std::vector<int> row_map;  // asked row -> row of the published level
  bool done = false;
  for (int d : levels) {
    if (d == 0) break;
    std::vector<stats::Table> cut;
    std::vector<int> map;
    for (const auto& t : tables) cut.push_back(t.CutRowsAt(d, &map));
    auto pubs = stats::ProtectTogether(cut, policy, false);
    if (!pubs.ok()) continue;
    bool ok = true;
    for (std::size_t t = 0; t < cut.size() && ok; ++t) ok = Acceptable(cut[t], (*pubs)[t]);
    if (!ok) continue;
    std::vector<Id> units(static_cast<std::size_t>(cut.front().rows().size()), 0);
    for (int n = 0; n < rows.size(); ++n)
      if (rows.depth(n) <= d) units[static_cast<std::size_t>(map[static_cast<std::size_t>(n)])] = org.unit(n);
    for (std::size_t t = 0; t < nb; ++t) p.by_unit.push_back(GridOf(spec.by_unit[t].id, (*pubs)[t], keys[t], units));
    p.level = d;
    row_map = map;
    done = true;
    break;
  }
  if (!done) {
    // The korps only. Tables of one row share nothing but the grand total,
    // so each is protected on its own (and may show only its total); the
    // number per district beside them is a list of its own too.
    p.level = 0;
    std::vector<int> map;
    for (std::size_t t = 0; t < nb; ++t) {
      const stats::Table korps = tables[t].CutRowsAt(0, &map);
      p.by_unit.push_back(GridOf(spec.by_unit[t].id, stats::Protect(korps, policy), keys[t], {org.unit(0)}));
    }
    row_map = map;
    stats::Table per_unit(rows, stats::Dimension("Totaal"));
    for (int r : rows.Leaves()) (void)per_unit.Set(r, 0, tables[0].Value(r, 0));
    stats::Policy pu = policy;
    pu.district_depth = 1;  // too few per district: per eenheid
    const stats::PublishedTable pub = stats::Protect(per_unit, pu);
    std::vector<Id> units(static_cast<std::size_t>(pub.rows().size()), 0);
    for (int n = 0; n < rows.size(); ++n) {
      const int at = pub.row_of(n);
      if (at >= 0 && pub.rows().depth(at) == rows.depth(n)) units[static_cast<std::size_t>(at)] = org.unit(n);
    }
    p.per_unit = GridOf("per_eenheid", pub, {"total"}, units);
  }
  if (p.level < p.max_level) {
    static const char* const kLevel[] = {"het hele korps", "eenheid", "district"};
    p.level_note = p.level == 0
                       ? Cat("Te weinig meldingen om de uitsplitsingen per eenheid te publiceren zonder dat personen "
                             "herkenbaar worden: ze gaan over ",
                             kLevel[0], "; het aantal per eenheid en district staat apart.")
                       : Cat("Te weinig meldingen om per ", kLevel[p.max_level], " te publiceren; de cijfers gaan per ",
                             kLevel[p.level], ".");
  }

  // Turnaround per published row: every case closed below it.
  const PublishedGrid& first_grid = p.by_unit.front();
  std::vector<std::vector<int>> per_row(static_cast<std::size_t>(first_grid.rows()));
  for (int n : rows.Leaves()) {
    const auto& d = days[static_cast<std::size_t>(n)];
    if (d.empty()) continue;
    for (int at = row_map.empty() ? 0 : row_map[static_cast<std::size_t>(n)]; at >= 0;
         at = first_grid.row_parent[static_cast<std::size_t>(at)])
      per_row[static_cast<std::size_t>(at)].insert(per_row[static_cast<std::size_t>(at)].end(), d.begin(), d.end());
  }
  for (auto& v : per_row) {
    if (static_cast<int>(v.size()) >= p.threshold)
      p.turnaround.push_back(MedianAndP90(v));
    else
      p.turnaround.push_back(std::nullopt);
  }

  // The korps-only breakdowns, of a node whose published count is their total.
  for (std::size_t l = 0; l < nl; ++l) {
    const ListDef& ld = spec.lists[l];
    const PublishedGrid& parent = p.by_unit[static_cast<std::size_t>(ld.parent_table)];
    const int col = parent.ColOf(ld.parent_key);
    const auto total = parent.At(0, col);
    if (col < 0 || !total || *total == 0) continue;
    const std::size_t nc = ld.def.cols.size();
    std::vector<bool> keep(nc, true);
    for (std::size_t i = 0; i < nc; ++i)
      if (ld.def.cols[i].optional) keep[i] = list_counts[l][i] > 0;
    std::vector<int> node_of;
    std::vector<std::string> list_keys;
    stats::Table table(stats::Dimension(rows.label(0)), ColumnsOf(ld.def, keep, node_of, list_keys));
    for (std::size_t i = 0; i < nc; ++i)
      if (node_of[i] > 0) (void)table.Set(0, node_of[i], list_counts[l][i]);
    if (table.Value(0, 0) != *total) continue;  // not the same cases: never publish two totals of one thing
    p.korps_lists.push_back(GridOf(ld.def.id, stats::Protect(table, policy), list_keys, {org.unit(0)}));
  }
  return p;
}

// ------------------------------------------------------------------ storage

std::string EncodePublication(const Publication& p) {
  Json j;
  j["kind"] = std::string(ReportKindName(p.kind));
  j["year"] = p.year;
  j["through_month"] = p.through_month;
  j["threshold"] = p.threshold;
  j["made_on"] = FormatDateIso(p.made_on);
  j["level"] = p.level;
  j["max_level"] = p.max_level;
  j["level_note"] = p.level_note;
  auto grid = [](const PublishedGrid& g) {
    Json o;
    o["id"] = g.id;
    o["note"] = g.note;
    Json rows = Json::array(), cols = Json::array(), cells = Json::array();
    for (std::size_t r = 0; r < g.row_labels.size(); ++r)
      rows.push_back({g.row_labels[r], g.row_parent[r], g.row_unit[r]});
    for (std::size_t c = 0; c < g.col_keys.size(); ++c)
      cols.push_back({g.col_keys[c], g.col_labels[c], g.col_parent[c]});
    for (const auto& v : g.cells) cells.push_back(v ? Json(*v) : Json(nullptr));
    o["rows"] = rows;
    o["cols"] = cols;
    o["cells"] = cells;
    return o;
  };
  j["by_unit"] = Json::array();
  for (const auto& g : p.by_unit) j["by_unit"].push_back(grid(g));
  if (p.per_unit) j["per_unit"] = grid(*p.per_unit);
  j["korps_lists"] = Json::array();
  for (const auto& g : p.korps_lists) j["korps_lists"].push_back(grid(g));
  j["turnaround"] = Json::array();
  for (const auto& t : p.turnaround) j["turnaround"].push_back(t ? Json({(*t)[0], (*t)[1]}) : Json(nullptr));
  return j.dump();
}

absl::StatusOr<Publication> DecodePublication(std::string_view text) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return absl::DataLossError("opgeslagen publicatie is onleesbaar");
  try {
    Publication p;
    auto kind = ParseReportKind(j.at("kind").get<std::string>());
    if (!kind) return absl::DataLossError("opgeslagen publicatie: onbekende soort");
    p.kind = *kind;
    p.year = j.at("year").get<int>();
    p.through_month = j.at("through_month").get<int>();
    p.threshold = j.at("threshold").get<int>();
    auto made = ParseDate(j.at("made_on").get<std::string>());
    if (!made) return absl::DataLossError("opgeslagen publicatie: datum onleesbaar");
    p.made_on = *made;
    p.level = j.at("level").get<int>();
    p.max_level = j.at("max_level").get<int>();
    p.level_note = j.at("level_note").get<std::string>();
    auto grid = [](const Json& o) {
      PublishedGrid g;
      g.id = o.at("id").get<std::string>();
      g.note = o.at("note").get<std::string>();
      for (const auto& r : o.at("rows")) {
        g.row_labels.push_back(r.at(0).get<std::string>());
        g.row_parent.push_back(r.at(1).get<int>());
        g.row_unit.push_back(r.at(2).get<Id>());
      }
      for (const auto& c : o.at("cols")) {
        g.col_keys.push_back(c.at(0).get<std::string>());
        g.col_labels.push_back(c.at(1).get<std::string>());
        g.col_parent.push_back(c.at(2).get<int>());
      }
      for (const auto& v : o.at("cells"))
        g.cells.push_back(v.is_null() ? std::nullopt : std::optional<std::int64_t>(v.get<std::int64_t>()));
      if (g.cells.size() != g.row_labels.size() * g.col_keys.size()) throw std::runtime_error("cells");
      return g;
    };
    for (const auto& g : j.at("by_unit")) p.by_unit.push_back(grid(g));
    if (j.contains("per_unit")) p.per_unit = grid(j.at("per_unit"));
    for (const auto& g : j.at("korps_lists")) p.korps_lists.push_back(grid(g));
    for (const auto& t : j.at("turnaround"))
      p.turnaround.push_back(t.is_null() ? std::nullopt
                                         : std::optional<std::array<int, 2>>({t.at(0).get<int>(), t.at(1).get<int>()}));
    if (p.by_unit.empty()) return absl::DataLossError("opgeslagen publicatie: geen tabellen");
    return p;
  } catch (const std::exception&) {
    return absl::DataLossError("opgeslagen publicatie is onvolledig");
  }
}

// ------------------------------------------------------------------ the view

namespace {

std::string Legend(const ReportTable& t, std::string note) {
  if (t.HasSuppressed())
    note = note.empty() ? std::string(stats::kSuppressedLegendNl) : Cat(note, " ", stats::kSuppressedLegendNl);
  return note;
}

std::optional<double> D(const std::optional<std::int64_t>& v) {
  return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
}

// The sum of published cells, or nullopt when one of them is hidden.
std::optional<std::int64_t> Sum(std::initializer_list<std::optional<std::int64_t>> parts) {
  std::int64_t s = 0;
  for (const auto& p : parts) {
    if (!p) return std::nullopt;
    s += *p;
  }
  return s;
}

class View {
 public:
  View(const Publication& p, const ReportRequest& r, const std::vector<OrgUnit>& units) : p_(p), r_(r) {
    for (const auto& u : units) units_.emplace(u.id, u);
    const PublishedGrid& g = p.by_unit.front();
    scope_ = r.unit ? g.RowOfUnit(*r.unit) : 0;
    if (p.per_unit) scope_pu_ = r.unit ? p.per_unit->RowOfUnit(*r.unit) : 0;
    korps_ = scope_ == 0;
    span_from_ = 1;
    span_to_ = p.through_month;
    full_span_ = r.from_month == span_from_ && r.to_month == span_to_;
    // Per unit the calendar goes by quarter: the quarters the period touches.
    q_from_ = 3 * ((r.from_month - 1) / 3) + 1;
    q_to_ = 3 * ((r.to_month + 2) / 3);
    aligned_ = q_from_ == r.from_month && q_to_ == r.to_month;
  }

  AnnualReport Build() {
    AnnualReport a;
    a.request = r_;
    a.published_on = p_.made_on;
    a.unit_label = UnitLabel();
    a.period_label = PeriodLabel(r_.year, r_.from_month, r_.to_month);
    const bool lmm = r_.kind == ReportKind::kLmm;
    a.title = r_.WholeYear() && !r_.unit
                  ? Cat("Jaarverslag ", lmm ? "Landelijk Meldpunt Misstanden" : "vertrouwenswerk", " ", r_.year)
                  : Cat("Managementrapportage ", lmm ? "LMM" : "vertrouwenswerk");
    if (r_.rounded)
      a.notes.push_back(Cat("Cijfers gaan per hele kalendermaand: dit verslag gaat over ", a.period_label, "."));
    if (p_.through_month < 12)
      a.notes.push_back(Cat(r_.year, " is nog niet afgelopen. De cijfers gaan over de meldingen ontvangen tot en met ",
                            FormatDateNl(LastDayOf(r_.year, p_.through_month)),
                            ", het laatste afgesloten kwartaal, zoals ze op ", FormatDateNl(p_.made_on),
                            " zijn vastgesteld."));
    if (!p_.level_note.empty()) a.notes.push_back(p_.level_note);
    if (scope_ < 0)
      a.notes.push_back(Cat("Voor ", a.unit_label, " zijn geen eigen cijfers gepubliceerd: ",
                            p_.level == 0 ? "er waren te weinig meldingen om ze per eenheid uit te splitsen."
                                          : "er waren te weinig meldingen om ze zo fijn uit te splitsen.",
                            scope_pu_ >= 0 ? " Alleen het aantal meldingen staat hieronder." : ""));
    if (!aligned_ && !korps_)
      a.notes.push_back(
          Cat("Per eenheid en district gaan de cijfers per heel kwartaal: de aantallen in dit verslag gaan "
              "over ",
              SpanLabel(r_.year, q_from_, q_to_), "."));
    if (!full_span_)
      a.notes.push_back(
          Cat("Alleen de aantallen per maand en per kwartaal volgen de gekozen periode. De andere uitsplitsingen "
              "worden één keer per jaar gepubliceerd en gaan over ",
              SpanLabel(r_.year, span_from_, span_to_),
              ": zo kunnen twee verslagen over verschillende perioden niet van elkaar worden "
              "afgetrokken om een klein aantal te vinden."));
    if (lmm)
      Lmm(a);
    else
      Counsellors(a);
    return a;
  }

 private:
  std::string UnitLabel() const {
    if (r_.unit) {
      if (auto it = units_.find(*r_.unit); it != units_.end()) return it->second.name;
      return "(onbekende eenheid)";
    }
    return p_.by_unit.front().row_labels.front();
  }
  // " (heel 2025)" after a title whose figures cover the whole publication
  // while the period asked is shorter.
  std::string SpanSuffix() const {
    return full_span_ ? std::string() : Cat(" (", SpanLabel(r_.year, span_from_, span_to_), ")");
  }

  // The rows under (and including) `top` in pre-order, with their depth below it.
  static std::vector<std::pair<int, int>> Subtree(const PublishedGrid& g, int top) {
    std::vector<std::pair<int, int>> out;
    if (top < 0 || top >= g.rows()) return out;
    std::vector<std::vector<int>> children(static_cast<std::size_t>(g.rows()));
    for (int r = 1; r < g.rows(); ++r)
      if (g.row_parent[static_cast<std::size_t>(r)] >= 0)
        children[static_cast<std::size_t>(g.row_parent[static_cast<std::size_t>(r)])].push_back(r);
    std::vector<std::pair<int, int>> stack = {{top, 0}};
    while (!stack.empty()) {
      auto [r, d] = stack.back();
      stack.pop_back();
      out.emplace_back(r, d);
      const auto& ch = children[static_cast<std::size_t>(r)];
      for (auto it = ch.rbegin(); it != ch.rend(); ++it) stack.emplace_back(*it, d + 1);
    }
    return out;
  }
  static std::vector<int> Children(const PublishedGrid& g, int top) {
    std::vector<int> out;
    for (int r = 0; r < g.rows(); ++r)
      if (g.row_parent[static_cast<std::size_t>(r)] == top && top >= 0) out.push_back(r);
    return out;
  }
  static std::string CornerOf(int level) { return level >= 1 ? "Eenheid" : "Korps"; }

  // The grid's columns as shown: every node but the root in pre-order, a
  // parent labelled as the total of its children, the row total last.
  static std::vector<int> ShownCols(const PublishedGrid& g, std::vector<std::string>& labels) {
    std::vector<int> out;
    std::vector<std::vector<int>> children(static_cast<std::size_t>(g.cols()));
    for (int c = 1; c < g.cols(); ++c)
      children[static_cast<std::size_t>(g.col_parent[static_cast<std::size_t>(c)])].push_back(c);
    std::vector<int> stack;
    for (auto it = children[0].rbegin(); it != children[0].rend(); ++it) stack.push_back(*it);
    while (!stack.empty()) {
      const int c = stack.back();
      stack.pop_back();
      out.push_back(c);
      const bool parent = !children[static_cast<std::size_t>(c)].empty();
      labels.push_back(parent ? Cat(g.col_labels[static_cast<std::size_t>(c)], ": totaal")
                              : g.col_labels[static_cast<std::size_t>(c)]);
      for (auto it = children[static_cast<std::size_t>(c)].rbegin(); it != children[static_cast<std::size_t>(c)].rend();
           ++it)
        stack.push_back(*it);
    }
    out.push_back(0);
    labels.push_back("Totaal");
    return out;
  }
  static std::vector<int> LeafCols(const PublishedGrid& g) {
    std::vector<bool> parent(static_cast<std::size_t>(g.cols()), false);
    for (int c = 1; c < g.cols(); ++c)
      parent[static_cast<std::size_t>(g.col_parent[static_cast<std::size_t>(c)])] = true;
    std::vector<int> out;
    std::vector<std::string> ignored;
    for (int c : ShownCols(g, ignored))
      if (c != 0 && !parent[static_cast<std::size_t>(c)]) out.push_back(c);
    return out;
  }

  // A table of a by-unit grid: the scope's rows × the grid's columns. With a
  // single row it is shown turned, the categories as rows.
  ReportTable UnitTable(const PublishedGrid& g, int top, std::string id, std::string title, std::string corner) const {
    ReportTable t;
    t.id = std::move(id);
    t.title = std::move(title);
    std::vector<std::string> labels;
    const std::vector<int> cols = ShownCols(g, labels);
    const auto rows = Subtree(g, top);
    if (rows.size() == 1) {
      t.corner = std::move(corner);
      t.col_labels = {g.row_labels[static_cast<std::size_t>(rows[0].first)]};
      for (std::size_t i = 0; i < cols.size(); ++i) {
        ReportTable::Row row;
        const int c = cols[i];
        row.label = c == 0 ? std::string("Totaal") : g.col_labels[static_cast<std::size_t>(c)];
        int d = 0;
        for (int a = c; a > 0 && g.col_parent[static_cast<std::size_t>(a)] > 0;
             a = g.col_parent[static_cast<std::size_t>(a)])
          ++d;
        row.depth = d;
        row.total = c == 0;
        row.cells = {D(g.At(rows[0].first, c))};
        t.rows.push_back(std::move(row));
      }
    } else {
      t.corner = CornerOf(p_.level);
      t.col_labels = labels;
      for (auto [r, d] : rows) {
        ReportTable::Row row;
        row.label = g.row_labels[static_cast<std::size_t>(r)];
        row.depth = d;
        row.total = d == 0;
        for (int c : cols) row.cells.push_back(D(g.At(r, c)));
        t.rows.push_back(std::move(row));
      }
    }
    t.note = Legend(t, g.note);
    return t;
  }

  // A korps-only list as a table (categories as rows).
  ReportTable ListTable(const PublishedGrid& g, std::string title) const {
    ReportTable t = UnitTable(g, 0, g.id, std::move(title), "Soort");
    return t;
  }

  ReportChart BarOfRow(const PublishedGrid& g, int row, std::string id, std::string title, std::string desc,
                       std::string table_id) const {
    ReportChart c;
    c.type = ReportChart::Type::kBar;
    c.id = std::move(id);
    c.title = std::move(title);
    c.desc = std::move(desc);
    c.table_id = std::move(table_id);
    for (int col : LeafCols(g)) {
      c.labels.push_back(g.col_labels[static_cast<std::size_t>(col)]);
      c.values.push_back(D(g.At(row, col)));
    }
    return c;
  }

  // A month of the korps: a cell of its quarter's list, or 0 when the
  // quarter is (a published) 0.
  std::optional<std::int64_t> Month(int m) const {
    const PublishedGrid* list = p_.Grid(Cat("per_maand_k", (m + 2) / 3));
    if (list) return list->At(0, list->ColOf(Cat("m", m)));
    const PublishedGrid& g = p_.by_unit.front();
    auto q = g.At(0, g.ColOf(Cat("q", (m + 2) / 3)));
    if (q && *q == 0) return 0;
    return std::nullopt;
  }

  // The total of months from..to of a row of the calendar table: a margin
  // (a quarter, the year), a sum of published cells, or a margin minus
  // published cells; nullopt when none of these is published. Months exist
  // for the korps (row 0) only.
  std::optional<std::int64_t> Period(int row, int from, int to) const {
    const PublishedGrid& g = p_.by_unit.front();
    auto month = [&](int m) -> std::optional<std::int64_t> { return row == 0 ? Month(m) : std::nullopt; };
    auto quarter = [&](int q, int a, int b) -> std::optional<std::int64_t> {  // months a..b of quarter q
      const int qa = 3 * q - 2, qb = 3 * q;
      a = std::max(a, qa);
      b = std::min(b, qb);
      if (a > b) return 0;
      const auto qv = g.At(row, g.ColOf(Cat("q", q)));
      if (a == qa && b == qb && qv) return qv;
      std::int64_t in = 0, out = 0;
      bool all_in = true, all_out = true;
      for (int m = qa; m <= qb; ++m) {
        auto v = month(m);
        bool& all = (m >= a && m <= b) ? all_in : all_out;
        if (!v)
          all = false;
        else
          ((m >= a && m <= b) ? in : out) += *v;
      }
      if (all_in) return in;
      if (qv && all_out) return *qv - out;  // the quarter minus its other months
      return std::nullopt;
    };
    auto months = [&](int a, int b) -> std::optional<std::int64_t> {
      if (a > b) return 0;
      if (a == 1 && b == 12)
        if (auto v = g.At(row, 0)) return v;
      std::int64_t s = 0;
      for (int q = 1; q <= 4; ++q) {
        auto v = quarter(q, a, b);
        if (!v) return std::nullopt;
        s += *v;
      }
      return s;
    };
    if (auto v = months(from, to)) return v;
    // The year minus the months outside the period.
    auto year = g.At(row, 0);
    auto before = months(1, from - 1), after = months(to + 1, 12);
    if (year && before && after) return *year - *before - *after;
    return std::nullopt;
  }

  // ---------------------------------------------------------------- shared sections

  void MonthSections(AnnualReport& a, const std::string& noun) {
    const PublishedGrid& g = p_.by_unit.front();
    const std::string period = SpanLabel(r_.year, r_.from_month, r_.to_month);
    ReportSection s;
    s.id = "per_maand";
    s.title = korps_ ? "Meldingen per maand" : "Meldingen per kwartaal";
    s.paragraphs.push_back(Cat("Het aantal ", noun, " naar de ", korps_ ? "maand" : "het kwartaal",
                               " waarin ze binnenkwamen. Een melding telt bij de datum van ontvangst, ook als de "
                               "behandeling later is afgerond."));
    s.paragraphs.push_back(
        "Een laag aantal betekent niet altijd dat er minder aan de hand is: het kan ook wijzen op "
        "weinig vertrouwen om te melden.");
    if (scope_ < 0) {
      s.paragraphs.push_back(Cat("Voor ", a.unit_label, " worden geen aantallen per kwartaal gepubliceerd."));
      a.sections.push_back(std::move(s));
    } else {
      const auto rows = Subtree(g, scope_);
      if (korps_) {
        // Months: the korps only (per unit they would be too small).
        s.paragraphs.push_back(
            "Aantallen per maand staan er alleen voor het hele korps; per eenheid en district gaan "
            "de cijfers per kwartaal.");
        ReportTable t;
        t.id = "per_maand";
        t.title = Cat("Meldingen per maand, ", period);
        t.corner = "Maand";
        t.col_labels = {g.row_labels[0]};
        ReportChart chart;
        chart.type = ReportChart::Type::kLine;
        chart.id = "grafiek-per-maand";
        chart.title = t.title;
        chart.desc = Cat("Lijngrafiek van het aantal meldingen per maand voor ", g.row_labels[0],
                         ". Niet getoonde aantallen (x) ontbreken in de lijn. De cijfers staan in de tabel eronder.");
        chart.table_id = t.id;
        for (int m = r_.from_month; m <= r_.to_month; ++m) {
          chart.labels.push_back(kMonthShort[m - 1]);
          chart.values.push_back(D(Month(m)));
          t.rows.push_back({kMonthLong[m - 1], 0, false, {D(Month(m))}});
        }
        t.rows.push_back({"Totaal", 0, true, {D(Period(0, r_.from_month, r_.to_month))}});
        std::string note;
        for (int q = (r_.from_month + 2) / 3; q <= (r_.to_month + 2) / 3; ++q)
          if (const auto* l = p_.Grid(Cat("per_maand_k", q)); l && !l->note.empty()) note = l->note;
        t.note = Legend(t, note);
        s.charts.push_back(std::move(chart));
        s.tables.push_back(std::move(t));
      }
      // Whole quarters (those the period touches), for the scope and the units below it.
      const std::string qperiod = SpanLabel(r_.year, q_from_, q_to_);
      std::vector<int> quarters;
      for (int q = (q_from_ + 2) / 3; q <= q_to_ / 3; ++q) quarters.push_back(q);
      ReportTable k;
      k.id = "per_kwartaal";
      k.title = Cat("Meldingen per kwartaal, ", qperiod);
      if (!korps_) {
        ReportChart chart;
        chart.type = ReportChart::Type::kBar;
        chart.id = "grafiek-per-kwartaal";
        chart.title = k.title;
        chart.desc = Cat("Staafgrafiek van het aantal meldingen per kwartaal voor ",
                         g.row_labels[static_cast<std::size_t>(scope_)],
                         ". Niet getoonde aantallen (x) hebben geen staaf. De cijfers staan in de tabel.");
        chart.table_id = k.id;
        for (int q : quarters) {
          chart.labels.push_back(Cat("Kwartaal ", q));
          chart.values.push_back(D(g.At(scope_, g.ColOf(Cat("q", q)))));
        }
        s.charts.push_back(std::move(chart));
      }
      if (rows.size() == 1) {
        k.corner = "Kwartaal";
        k.col_labels = {g.row_labels[static_cast<std::size_t>(scope_)]};
        for (int q : quarters)
          k.rows.push_back({Cat("Kwartaal ", q), 0, false, {D(g.At(scope_, g.ColOf(Cat("q", q))))}});
        k.rows.push_back({"Totaal", 0, true, {D(Period(scope_, q_from_, q_to_))}});
      } else {
        k.corner = CornerOf(p_.level);
        for (int q : quarters) k.col_labels.push_back(Cat("K", q));
        k.col_labels.push_back("Totaal");
        for (auto [r, d] : rows) {
          ReportTable::Row row{g.row_labels[static_cast<std::size_t>(r)], d, d == 0, {}};
          for (int q : quarters) row.cells.push_back(D(g.At(r, g.ColOf(Cat("q", q)))));
          row.cells.push_back(D(Period(r, q_from_, q_to_)));
          k.rows.push_back(std::move(row));
        }
      }
      k.note =
          Legend(k, aligned_ ? g.note
                             : Cat("Per eenheid en district gaan de cijfers per heel kwartaal; deze tabel gaat over ",
                                   qperiod, ". ", g.note));
      if (quarters.size() > 1 || rows.size() > 1 || !korps_) s.tables.push_back(std::move(k));
      a.sections.push_back(std::move(s));
    }

    // Per unit below the scope.
    ReportSection u;
    u.id = "per_eenheid";
    const PublishedGrid* ug = scope_ >= 0 && p_.level >= 1 ? &g : (p_.per_unit ? &*p_.per_unit : nullptr);
    const int top = ug == &g ? scope_ : scope_pu_;
    const bool in_period = ug == &g;
    const std::string qperiod = SpanLabel(r_.year, q_from_, q_to_);
    if (!ug || top < 0) return;
    const auto children = Children(*ug, top);
    if (children.empty()) return;  // one row: its figures are above
    const bool districts = top != 0;
    u.title = districts ? "Meldingen per district" : "Meldingen per eenheid";
    u.paragraphs.push_back(Cat("Het aantal ", noun, " per ", districts ? "district" : "eenheid",
                               in_period ? Cat(" in ", qperiod) : SpanSuffix(),
                               ". Meldingen die bij een hoger niveau zijn geregistreerd, staan onder 'Overig'."));
    ReportTable t;
    t.id = "per_eenheid";
    t.title = Cat(u.title, in_period ? Cat(", ", qperiod) : SpanSuffix());
    t.corner = CornerOf(std::max(1, p_.level));
    t.col_labels = {"Meldingen"};
    ReportChart chart;
    chart.type = ReportChart::Type::kBar;
    chart.id = "grafiek-per-eenheid";
    chart.title = t.title;
    chart.desc = Cat("Staafgrafiek van het aantal meldingen per ", districts ? "district" : "eenheid",
                     ". Niet getoonde aantallen (x) hebben geen staaf. De cijfers staan in de tabel eronder.");
    chart.table_id = t.id;
    auto value = [&](int r) { return in_period ? D(Period(r, q_from_, q_to_)) : D(ug->At(r, 0)); };
    for (auto [r, d] : Subtree(*ug, top)) {
      t.rows.push_back({ug->row_labels[static_cast<std::size_t>(r)], d, d == 0, {value(r)}});
      if (d == 1) {
        chart.labels.push_back(ug->row_labels[static_cast<std::size_t>(r)]);
        chart.values.push_back(value(r));
      }
    }
    t.note = Legend(t, in_period ? std::string() : ug->note);
    u.charts.push_back(std::move(chart));
    u.tables.push_back(std::move(t));
    a.sections.push_back(std::move(u));
  }

  // A section with one by-unit table and its bar chart.
  void UnitSection(AnnualReport& a, std::string sid, std::string title, std::string table_id, std::string table_title,
                   std::string corner, std::vector<std::string> paragraphs) {
    const PublishedGrid* g = p_.Grid(table_id);
    ReportSection s;
    s.id = std::move(sid);
    s.title = std::move(title);
    s.paragraphs = std::move(paragraphs);
    if (!g || scope_ < 0) {
      s.paragraphs.push_back(Cat("Voor ", a.unit_label, " is deze uitsplitsing niet gepubliceerd."));
      a.sections.push_back(std::move(s));
      return;
    }
    AddUnitTable(s, *g, table_id, table_title, std::move(corner));
    a.sections.push_back(std::move(s));
  }
  void AddUnitTable(ReportSection& s, const PublishedGrid& g, const std::string& table_id,
                    const std::string& table_title, std::string corner) const {
    ReportTable t = UnitTable(g, scope_, table_id, Cat(table_title, SpanSuffix()), std::move(corner));
    if (g.cols() > 1)
      s.charts.push_back(
          BarOfRow(g, scope_, Cat("grafiek-", table_id), t.title,
                   Cat("Staafgrafiek: ", table_title, ", voor ", g.row_labels[static_cast<std::size_t>(scope_)],
                       ". Niet getoonde aantallen (x) hebben geen staaf. De cijfers staan in de tabel."),
                   table_id));
    s.tables.push_back(std::move(t));
  }
  // A korps-only list, when the report is on the korps.
  // `of` is the key of the "verloop" node whose cases the list breaks down,
  // `none` what to say when that node is a published zero.
  void AddList(ReportSection& s, const std::string& id, const std::string& title, const std::string& what,
               const std::string& of, const std::string& none) const {
    const PublishedGrid* g = p_.Grid(id);
    if (!korps_) {
      s.paragraphs.push_back(Cat(what,
                                 " wordt alleen voor het hele korps gepubliceerd: per eenheid zouden de aantallen "
                                 "te klein worden."));
      return;
    }
    if (!g) {
      const PublishedGrid* v = p_.Grid("verloop");
      const auto n = v ? v->At(0, v->ColOf(of)) : std::nullopt;
      if (!(n && *n == 0))
        s.paragraphs.push_back(
            Cat(what, ": te weinig meldingen om dit te publiceren zonder dat personen herkenbaar worden."));
      else if (!none.empty())
        s.paragraphs.push_back(none);
      return;
    }
    ReportTable t = ListTable(*g, Cat(title, SpanSuffix()));
    t.col_labels = {"Meldingen"};
    if (g->cols() > 1)
      s.charts.push_back(BarOfRow(*g, 0, Cat("grafiek-", id), t.title,
                                  Cat("Staafgrafiek: ", title,
                                      ". Niet getoonde aantallen (x) hebben geen staaf. De cijfers staan in de tabel."),
                                  id));
    s.tables.push_back(std::move(t));
  }

  // "Meldingen ontvangen" for the scope: the period's, or the year's from
  // the number per unit when the scope has no rows of its own.
  ReportTable::Row ReceivedRow(const PublishedGrid& months) const {
    if (scope_ == 0)
      return {Cat("Meldingen ontvangen, ", SpanLabel(r_.year, r_.from_month, r_.to_month)),
              0,
              false,
              {D(Period(0, r_.from_month, r_.to_month))}};
    if (scope_ > 0)
      return {Cat("Meldingen ontvangen, ", SpanLabel(r_.year, q_from_, q_to_)),
              0,
              false,
              {D(Period(scope_, q_from_, q_to_))}};
    return {Cat("Meldingen ontvangen, ", SpanLabel(r_.year, span_from_, span_to_)),
            0,
            false,
            {scope_pu_ >= 0 && p_.per_unit ? D(p_.per_unit->At(scope_pu_, 0)) : std::nullopt}};
  }

  void TurnaroundSection(AnnualReport& a, const std::vector<std::string>& closed_keys, std::string paragraph) {
    ReportSection s;
    s.id = "doorlooptijd";
    s.title = "Doorlooptijd";
    s.paragraphs.push_back(std::move(paragraph));
    s.paragraphs.push_back(
        Cat("De mediaan is de middelste doorlooptijd: de helft van de zaken was sneller klaar. Het 90e "
            "percentiel: 9 van de 10 zaken waren binnen die tijd klaar. Beide staan er alleen waar "
            "het aantal afgesloten zaken gepubliceerd is en minstens ",
            p_.threshold, " is."));
    const PublishedGrid* g = p_.Grid("verloop");
    if (!g || scope_ < 0) {
      s.paragraphs.push_back(Cat("Voor ", a.unit_label, " is de doorlooptijd niet gepubliceerd."));
      a.sections.push_back(std::move(s));
      return;
    }
    ReportTable t;
    t.id = "doorlooptijd";
    t.title = Cat("Doorlooptijd van ontvangst tot afsluiting, in dagen", SpanSuffix());
    const auto rows = Subtree(*g, scope_);
    t.corner = rows.size() == 1 ? "Korps" : CornerOf(p_.level);
    t.col_labels = {"Afgesloten zaken", "Mediaan", "90e percentiel"};
    for (auto [r, d] : rows) {
      std::optional<std::int64_t> closed = 0;
      for (const auto& k : closed_keys) {
        const int c = g->ColOf(k);
        if (c < 0) continue;
        auto v = g->At(r, c);
        closed = closed && v ? std::optional<std::int64_t>(*closed + *v) : std::nullopt;
      }
      ReportTable::Row row{
          g->row_labels[static_cast<std::size_t>(r)], d, d == 0, {D(closed), std::nullopt, std::nullopt}};
      const auto& ta = static_cast<std::size_t>(r) < p_.turnaround.size() ? p_.turnaround[static_cast<std::size_t>(r)]
                                                                          : std::nullopt;
      if (closed && *closed >= p_.threshold && ta) {
        row.cells[1] = (*ta)[0];
        row.cells[2] = (*ta)[1];
      } else if (closed && *closed == 0) {
        row.cells[1] = row.cells[2] = kNotApplicable;  // nothing closed: no time to tell
      }
      t.rows.push_back(std::move(row));
    }
    t.note = Legend(t, "");
    s.tables.push_back(std::move(t));
    a.sections.push_back(std::move(s));
  }

  void AccountSection(AnnualReport& a, const std::string& noun) {
    ReportSection s;
    s.id = "verantwoording";
    s.title = "Over deze cijfers";
    s.paragraphs.push_back(
        Cat("Dit verslag bevat alleen anonieme cijfers. Aantallen van 1 tot en met ", p_.threshold - 1,
            ", en cijfers waaruit zo'n klein aantal terug te rekenen is, staan er niet in: op hun plaats "
            "staat een x. Nullen worden wel getoond. Waar een uitsplitsing personen herkenbaar zou maken, "
            "staat alleen het aantal per district, per eenheid of het totaal."));
    s.paragraphs.push_back(
        Cat("De cijfers over ", SpanLabel(r_.year, span_from_, span_to_), " zijn op ", FormatDateNl(p_.made_on),
            " eenmalig vastgesteld en worden bij elk verslag over dat jaar opnieuw getoond, voor elke "
            "eenheid en periode. Latere wijzigingen in zaken veranderen ze niet; zo kunnen twee "
            "verslagen niet van elkaar worden afgetrokken."));
    s.paragraphs.push_back(Cat("Geteld zijn de ", noun,
                               " naar de datum van ontvangst en de eenheid waarover ze gaan. De "
                               "stand van zaken (verloop, uitkomst, termijnen) is die op de dag van vaststelling."));
    a.sections.push_back(std::move(s));
  }

  // ---------------------------------------------------------------- LMM

  void Lmm(AnnualReport& a) {
    const PublishedGrid& months = p_.by_unit.front();
    const PublishedGrid* verloop = p_.Grid("verloop");
    const PublishedGrid* ack = p_.Grid("ontvangstbevestiging");
    const PublishedGrid* fb = p_.Grid("terugkoppeling");
    // Summary.
    {
      ReportSection s;
      s.id = "samenvatting";
      s.title = "Samenvatting";
      s.paragraphs.push_back(
          Cat("Dit verslag gaat over de meldingen van een vermoeden van een misstand die van ", a.period_label,
              " bij het Landelijk Meldpunt Misstanden (LMM) binnenkwamen",
              r_.unit ? Cat(" over ", a.unit_label) : std::string(),
              ", en wat ermee gebeurde. Twee vertrouwenspersonen integriteit (VPI's) behandelen elke "
              "melding: de een is contactpersoon van de melder, de ander weegt de melding en adviseert "
              "het bevoegd gezag."));
      ReportTable t;
      t.id = "kerncijfers";
      t.title = "Kerncijfers";
      t.corner = "Kerncijfer";
      t.col_labels = {"Waarde"};
      t.decimals = true;
      const int s0 = scope_;
      auto v = [&](const PublishedGrid* g, const char* key) -> std::optional<std::int64_t> {
        if (!g || s0 < 0) return std::nullopt;
        return g->At(s0, g->ColOf(key));
      };
      auto pct = [](std::optional<std::int64_t> part, std::optional<std::int64_t> whole) -> std::optional<double> {
        if (!part || !whole) return std::nullopt;
        if (*whole == 0) return kNotApplicable;
        return std::round(1000.0 * static_cast<double>(*part) / static_cast<double>(*whole)) / 10.0;
      };
      const std::string sx = SpanSuffix();
      t.rows.push_back(ReceivedRow(months));
      t.rows.push_back({Cat("Vermoeden van een misstand", sx), 0, false, {D(v(verloop, "misstand"))}});
      t.rows.push_back({Cat("Geen misstand, doorverwezen", sx), 0, false, {D(v(verloop, "referred"))}});
      t.rows.push_back({Cat("Besluit tot onderzoek", sx),
                        0,
                        false,
                        {D(Sum({v(verloop, "investigation_open"), v(verloop, "investigation_closed")}))}});
      t.rows.push_back(
          {Cat("Ontvangstbevestiging binnen 7 dagen (%)", sx), 0, false, {pct(v(ack, "in_time"), v(ack, "total"))}});
      t.rows.push_back(
          {Cat("Terugkoppeling binnen de termijn (%)", sx), 0, false, {pct(v(fb, "in_time"), v(fb, "total"))}});
      t.note = Legend(t, "Een percentage staat er alleen als beide aantallen waarop het berust gepubliceerd zijn.");
      s.tables.push_back(std::move(t));
      a.sections.push_back(std::move(s));
    }
    MonthSections(a, "meldingen");
    {
      ReportSection s;
      s.id = "binnenkomst";
      s.title = "Hoe meldingen binnenkwamen en wie meldden";
      s.paragraphs.push_back(
          "Een melding komt binnen via een gesprek met een VPI, de mailbox van het LMM, of online, "
          "waarbij de melder anoniem kan blijven. Melden kan iedereen die voor de organisatie werkt of "
          "werkte: ook zzp'ers, ingehuurde krachten, uitzendkrachten, stagiairs, vrijwilligers en "
          "gedetacheerden.");
      if (const auto* g = p_.Grid("kanaal"); g && scope_ >= 0)
        AddUnitTable(s, *g, "kanaal", "Meldingen naar kanaal", "Kanaal");
      if (const auto* g = p_.Grid("melder"); g && scope_ >= 0)
        AddUnitTable(s, *g, "melder", "Meldingen naar soort melder", "Melder");
      if (scope_ < 0) s.paragraphs.push_back(Cat("Voor ", a.unit_label, " is deze uitsplitsing niet gepubliceerd."));
      a.sections.push_back(std::move(s));
    }
    UnitSection(
        a, "verloop", "Verloop en uitkomst", "verloop", "Verloop en uitkomst van de meldingen", "Stand",
        {"Elke melding wordt eerst getoetst aan de definitie van een misstand: redelijke vermoedens, een "
         "maatschappelijk belang, en een schending van een wettelijk voorschrift of een gevaar voor de "
         "volksgezondheid, de veiligheid van personen, het milieu of het goed functioneren van de openbare "
         "dienst. Valt een melding daarbuiten, dan wordt de melder doorverwezen, bijvoorbeeld naar de "
         "leidinggevende, HRM of de ondernemingsraad.",
         "Valt zij erbinnen, dan volgt een wegingsonderzoek en een advies aan het bevoegd gezag, dat beslist of "
         "een ad-hoccommissie onderzoek doet. De tabel geeft de stand van elke melding op de dag van "
         "vaststelling."});
    {
      ReportSection s;
      s.id = "soort";
      s.title = "Soort misstand";
      s.paragraphs.push_back(
          "Bij de meldingen die een vermoeden van een misstand bleken: welk belang in het geding is. "
          "Een melding die meer dan één belang raakt, telt onder 'Meer dan één soort'.");
      AddList(s, "soort", "Vermoeden van een misstand naar soort", "De soort misstand", "misstand",
              "Geen van deze meldingen bleek (al) een vermoeden van een misstand.");
      a.sections.push_back(std::move(s));
    }
    {
      ReportSection s;
      s.id = "termijnen";
      s.title = "Wettelijke termijnen";
      s.paragraphs.push_back(
          "De Wet bescherming klokkenluiders vraagt een ontvangstbevestiging aan de melder binnen 7 "
          "dagen, en binnen 3 maanden daarna informatie over de beoordeling en de opvolging. Een "
          "termijn die op een zaterdag, zondag of feestdag eindigt, loopt door tot de volgende "
          "werkdag (Algemene termijnenwet).");
      if (ack && scope_ >= 0)
        AddUnitTable(s, *ack, "ontvangstbevestiging", "Ontvangstbevestiging", "Ontvangstbevestiging");
      if (fb && scope_ >= 0) AddUnitTable(s, *fb, "terugkoppeling", "Terugkoppeling aan de melder", "Terugkoppeling");
      if (scope_ < 0) s.paragraphs.push_back(Cat("Voor ", a.unit_label, " zijn de termijnen niet gepubliceerd."));
      a.sections.push_back(std::move(s));
    }
    TurnaroundSection(
        a, {"referred", "no_investigation", "investigation_closed", "closed_other"},
        "Het aantal dagen van de ontvangst van een melding tot de afsluiting: na de doorverwijzing, het "
        "besluit om geen onderzoek te doen, of het einde van het onderzoek. Alleen meldingen die op de dag "
        "van vaststelling waren afgesloten, tellen mee.");
    AccountSection(a, "meldingen");
  }

  // ---------------------------------------------------------------- vertrouwenswerk

  void Counsellors(AnnualReport& a) {
    const PublishedGrid& months = p_.by_unit.front();
    const PublishedGrid* verloop = p_.Grid("verloop");
    {
      ReportSection s;
      s.id = "samenvatting";
      s.title = "Samenvatting";
      s.paragraphs.push_back(
          Cat("Dit verslag gaat over de meldingen van ongewenste omgangsvormen (pesten, intimidatie, "
              "discriminatie, agressie) die van ",
              a.period_label, " binnenkwamen", r_.unit ? Cat(" over ", a.unit_label) : std::string(),
              ", bij een vertrouwenspersoon of een leidinggevende, en wat ermee gebeurde. De klager "
              "beslist zelf welke route de melding neemt."));
      ReportTable t;
      t.id = "kerncijfers";
      t.title = "Kerncijfers";
      t.corner = "Kerncijfer";
      t.col_labels = {"Waarde"};
      const int s0 = scope_;
      auto v = [&](const PublishedGrid* g, const char* key) -> std::optional<std::int64_t> {
        if (!g || s0 < 0) return std::nullopt;
        return g->At(s0, g->ColOf(key));
      };
      const std::string sx = SpanSuffix();
      t.rows.push_back(ReceivedRow(months));
      t.rows.push_back({Cat("In behandeling", sx), 0, false, {D(v(verloop, "open"))}});
      t.rows.push_back({Cat("Afgesloten", sx), 0, false, {D(v(verloop, "closed"))}});
      t.rows.push_back({Cat("Afgesloten na een formele klacht", sx), 0, false, {D(v(verloop, "formal_complaint"))}});
      t.note = Legend(t, "");
      s.tables.push_back(std::move(t));
      a.sections.push_back(std::move(s));
    }
    MonthSections(a, "meldingen");
    UnitSection(
        a, "categorie", "Soort ongewenst gedrag", "categorie", "Meldingen naar soort ongewenst gedrag", "Soort",
        {"De categorie die de vertrouwenspersoon bij het eerste gesprek vastlegt: verbale, fysieke of psychische "
         "agressie en intimidatie (bedreiging, chantage, stalking, pesten), seksuele intimidatie, discriminatie, "
         "vandalisme en criminaliteit."});
    UnitSection(a, "verloop", "Verloop en route", "verloop", "Verloop en gekozen route", "Stand",
                {"Een melding kan bij een vertrouwenspersoon blijven bij een gesprek, uitmonden in bemiddeling, een "
                 "formele klacht bij de klachtencommissie of een aangifte, of met toestemming van de klager naar de "
                 "leidinggevende gaan. Bij afgesloten meldingen staat de route uit het evaluatieformulier; bij lopende "
                 "meldingen waar ze nu ligt."});
    {
      ReportSection s;
      s.id = "afloop";
      s.title = "Afloop volgens het evaluatieformulier";
      s.paragraphs.push_back(
          "Elke afgesloten melding heeft een evaluatieformulier: de vastgestelde feiten, het advies, "
          "het besluit, de maatregelen en de gevolgen voor klager en aangeklaagde. Hieronder de "
          "gevolgen, voor de afgesloten meldingen.");
      AddList(s, "gevolgen_aangeklaagde", "Gevolgen voor de aangeklaagde", "De gevolgen voor de aangeklaagde", "closed",
              "Geen van deze meldingen was afgesloten.");
      if (korps_) AddList(s, "gevolgen_klager", "Gevolgen voor de klager", "De gevolgen voor de klager", "closed", "");
      a.sections.push_back(std::move(s));
    }
    {
      ReportSection s;
      s.id = "klachtencommissie";
      s.title = "Formele klachten bij de klachtencommissie";
      s.paragraphs.push_back(
          "Bij een formele klacht beslist de klachtencommissie binnen een week of de klacht "
          "ontvankelijk is, hoort beide partijen in een besloten zitting en adviseert de korpsleiding "
          "binnen zes weken. De korpsleiding beslist. Hieronder de afgesloten formele klachten.");
      AddList(s, "advies_commissie", "Advies van de klachtencommissie", "Het advies van de klachtencommissie",
              "formal_complaint", "Geen van de afgesloten meldingen liep via een formele klacht.");
      if (korps_)
        AddList(s, "besluit_conform", "Besluit van de korpsleiding", "Het besluit van de korpsleiding",
                "formal_complaint", "");
      a.sections.push_back(std::move(s));
    }
    TurnaroundSection(a, {"closed"},
                      "Het aantal dagen van de ontvangst van een melding tot de afsluiting met het evaluatieformulier. "
                      "Alleen meldingen die op de dag van vaststelling waren afgesloten, tellen mee.");
    AccountSection(a, "meldingen");
  }

  const Publication& p_;
  const ReportRequest& r_;
  std::map<Id, OrgUnit> units_;
  int scope_ = 0;      // row of the scope in the by-unit grids; -1: none
  int scope_pu_ = -1;  // row of the scope in per_unit
  bool korps_ = true;
  int span_from_ = 1, span_to_ = 12;
  bool full_span_ = true;
  int q_from_ = 1, q_to_ = 12;  // the period widened to whole quarters
  bool aligned_ = true;
};

}  // namespace

AnnualReport ViewOf(const Publication& p, const ReportRequest& r, const std::vector<OrgUnit>& units) {
  return View(p, r, units).Build();
}

// ------------------------------------------------------------------ the use case

struct AnnualReportService::Org {
  std::vector<OrgUnit> units;
  std::map<Id, OrgUnit> by_id;
  bool Within(Id unit, Id root) const { return UnitWithin(by_id, unit, root); }
  std::optional<Id> Up(Id unit, UnitKind kind) const { return UnitUp(by_id, unit, kind); }
};

AnnualReportService::AnnualReportService(Store& store, const Clock& clock, const workflow::TrackCatalogue& tracks,
                                         const DashboardService& facts, ReportPolicy policy)
    : store_(store), clock_(clock), tracks_(tracks), facts_(facts), policy_(policy) {}

absl::StatusOr<AnnualReportService::Org> AnnualReportService::LoadOrg() {
  Org org;
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    org.units = tx.ListUnits();
    return absl::OkStatus();
  }));
  for (const auto& u : org.units) org.by_id.emplace(u.id, u);
  return org;
}

namespace {

// Which kinds a scope may read.
std::vector<ReportKind> KindsOf(const DashboardScope& scope) {
  std::vector<ReportKind> out;
  auto has = [&](const char* t) {
    return std::find(scope.tracks.begin(), scope.tracks.end(), t) != scope.tracks.end();
  };
  if (has("lmm")) out.push_back(ReportKind::kLmm);
  if (has("unwanted_behaviour")) out.push_back(ReportKind::kCounsellors);
  return out;
}

constexpr std::string_view kWhoMay =
    "Het jaarverslag en de managementrapportages zijn er voor de korpsleiding, de coördinator LMM, de centrale "
    "vertrouwenspersoon en de leiding van een eenheid.";

// Why the dashboard's scope refused: a manager whose unit is not known hears
// that (the admin can mend it); anyone else who may not is told who may.
absl::Status ScopeRefusal(const Actor& actor, const absl::Status& refusal) {
  if (refusal.code() != absl::StatusCode::kPermissionDenied || actor.Has(Role::kManager)) return refusal;
  return Forbidden(kWhoMay);
}

}  // namespace

absl::StatusOr<ReportChoices> AnnualReportService::ChoicesFor(const Actor& actor) {
  ASSIGN_OR_RETURN(Org org, LoadOrg());
  auto scope = ScopeOf(actor, store_, [&](Id team) { return org.Up(team, UnitKind::kUnit); });
  if (!scope.ok()) return ScopeRefusal(actor, scope.status());
  ReportChoices c;
  c.kinds = KindsOf(*scope);
  if (c.kinds.empty()) return Forbidden(kWhoMay);
  c.own_unit = scope->unit;
  // Korps, eenheden and districts in tree order.
  std::vector<OrgUnit> ordered;
  std::function<void(std::optional<Id>)> walk = [&](std::optional<Id> parent) {
    for (const auto& u : org.units)
      if (u.parent_id == parent && u.kind != UnitKind::kTeam) {
        if (!scope->unit || org.Within(u.id, *scope->unit)) ordered.push_back(u);
        walk(u.id);
      }
  };
  walk(std::nullopt);
  c.units = std::move(ordered);
  const Date today = DateInAmsterdam(clock_.Now());
  const int year = YearOf(today);
  if (MonthOf(today) > 3) c.years.push_back(year);
  for (int y = year - 1; y >= year - 6; --y) c.years.push_back(y);
  c.default_year = year - 1;
  return c;
}

absl::StatusOr<AnnualReport> AnnualReportService::Build(const Actor& actor, const ReportRequest& asked) {
  ReportRequest r = asked;
  ASSIGN_OR_RETURN(Org org, LoadOrg());
  auto scope = ScopeOf(actor, store_, [&](Id team) { return org.Up(team, UnitKind::kUnit); });
  if (!scope.ok()) {
    (void)AuditDenial(store_, actor, clock_.Now(), "report.denied", 0);
    return ScopeRefusal(actor, scope.status());
  }
  const auto kinds = KindsOf(*scope);
  if (std::find(kinds.begin(), kinds.end(), r.kind) == kinds.end()) {
    (void)AuditDenial(store_, actor, clock_.Now(), "report.denied", 0);
    return Forbidden(
        kinds.empty() ? kWhoMay
        : r.kind == ReportKind::kLmm
            ? "Het verslag van het LMM is er voor de coördinator LMM, de korpsleiding en de leiding van een eenheid."
            : "Het verslag over vertrouwenswerk is er voor de centrale vertrouwenspersoon, de korpsleiding en de "
              "leiding van een eenheid.");
  }
  // The unit: a manager's own (and its districts) only.
  if (r.unit) {
    auto it = org.by_id.find(*r.unit);
    if (it == org.by_id.end()) return Invalid("Onbekende eenheid.");
    if (scope->unit && !org.Within(*r.unit, *scope->unit)) {
      (void)AuditDenial(store_, actor, clock_.Now(), "report.denied", 0);
      return Forbidden("U kunt alleen de rapportage van uw eigen eenheid en haar districten opvragen.");
    }
    if (it->second.kind == UnitKind::kTeam)
      return Invalid("Per team worden geen cijfers gepubliceerd; kies het district of de eenheid.");
    if (it->second.kind == UnitKind::kCorps && !it->second.parent_id) r.unit.reset();  // the korps itself
  } else if (scope->unit) {
    r.unit = scope->unit;
  }
  // Only closed periods: a past year through December, the current year
  // through its last closed quarter.
  const Date today = DateInAmsterdam(clock_.Now());
  int through = 12;
  if (r.year > YearOf(today))
    return Invalid(Cat("Over ", r.year, " zijn nog geen cijfers: dat jaar is nog niet begonnen."));
  if (r.year == YearOf(today)) {
    through = 3 * ((MonthOf(today) - 1) / 3);
    if (through == 0)
      return Invalid(Cat("Over ", r.year,
                         " zijn nog geen cijfers: het eerste kwartaal is nog niet afgesloten. Cijfers worden "
                         "per afgesloten kwartaal gepubliceerd."));
    if (r.to_month > through)
      return Invalid(Cat("Over ", r.year, " zijn er cijfers tot en met ", FormatDateNl(LastDayOf(r.year, through)),
                         " (het laatste afgesloten kwartaal). Kies een periode die daarvoor eindigt, of gebruik het "
                         "dashboard voor de lopende cijfers."));
  }
  ASSIGN_OR_RETURN(auto pub, PublicationFor(actor, r.kind, r.year, through, org));
  return ViewOf(*pub, r, org.units);
}

absl::StatusOr<std::shared_ptr<const Publication>> AnnualReportService::PublicationFor(const Actor& actor,
                                                                                       ReportKind kind, int year,
                                                                                       int through_month,
                                                                                       const Org& org) {
  const std::string key = Cat("report_publication/", ReportKindName(kind), "/", year, "/", through_month);
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  }
  std::optional<std::string> stored;
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    stored = tx.GetSetting(key);
    return absl::OkStatus();
  }));
  if (!stored) {
    // Made once: count and protect, then store it unless someone else just did.
    PublicationInput in;
    in.kind = kind;
    in.year = year;
    in.through_month = through_month;
    in.threshold = policy_.threshold;
    in.made_on = DateInAmsterdam(clock_.Now());
    in.units = org.units;
    in.tracks = &tracks_;
    const std::vector<std::string> tracks = ReportTracks(kind);
    in.visit = [&](const std::function<void(const FactRef&)>& fn) { facts_.VisitFacts(tracks, fn); };
    const std::string made = EncodePublication(Publish(in));
    RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
      if ((stored = tx.GetSetting(key))) return absl::OkStatus();
      RETURN_IF_ERROR(tx.SetSetting(key, made));
      stored = made;
      AuditEvent e = AuditFor(actor, false, clock_.Now(), "report.publish", 0,
                              Cat("soort=", ReportKindName(kind), " jaar=", year, " t/m maand ", through_month));
      return tx.AppendAudit(e);
    }));
  }
  ASSIGN_OR_RETURN(Publication p, DecodePublication(*stored));
  auto shared = std::make_shared<const Publication>(std::move(p));
  std::lock_guard lock(mu_);
  cache_[key] = shared;
  return shared;
}

absl::Status AnnualReportService::RecordExport(const Actor& actor, const ReportRequest& r, std::string_view format,
                                               std::string_view table) {
  return store_.Transact([&](StoreTx& tx) -> absl::Status {
    std::string detail =
        Cat("soort=", ReportKindName(r.kind), " jaar=", r.year, " maanden=", r.from_month, "-", r.to_month,
            " eenheid=", r.unit ? std::to_string(*r.unit) : std::string("korps"), " formaat=", format);
    if (!table.empty()) detail += Cat(" tabel=", table);
    AuditEvent e = AuditFor(actor, false, clock_.Now(), "report.export", 0, std::move(detail));
    return tx.AppendAudit(e);
  });
}

}  // namespace waarborg::app
