// The annual report and management reports (issue 5 §4): for the LMM and
// for the confidential counsellors (vertrouwenswerk, the unwanted-behaviour
// track), for a calendar year or a period of whole months and optionally one
// unit with its districts. Built from the dashboard facts held in memory
// (DashboardService::VisitFacts); every count passes core/stats.
//
// How the rules of core/stats/protect.h are kept:
//
//  * One publication per closed period (rule 4). The figures of a kind and a
//    year are protected once, for the whole organisation, and stored (the
//    store's settings, key "report_publication/<kind>/<year>/<month>"); every
//    later report on that year, for any unit or period within it, is a view
//    of that stored publication, never a new protection. A past year is
//    published through December once; the current year through the last
//    closed quarter, so it has at most three versions before its final one.
//    A report never covers months that have not closed.
//  * Fixed hierarchies, no free date ranges (rule 2). Counts are by the month
//    a case was received, in CalendarYear columns; a period is whole months
//    of one year (dates asked are widened to whole months, and the report
//    says so). A period total is a margin of the published table (a quarter,
//    the year) or the sum of published cells, or "x": it is never counted
//    anew.
//  * Tables that share totals are protected together (rule 3). Every table
//    broken down by unit has the same rows (korps > eenheid > district) and
//    counts every case of the year once, so they share their row totals and
//    go through one ProtectTogether. When that would hide more than half of
//    a table, all of them are published one level coarser (per eenheid, then
//    for the korps only, with the number per district beside it), so the
//    fallback DOMAIN §3 asks for ("only the number of reports per district")
//    keeps as much as is safe.
//  * Attributes that follow from one another are one table. Whether the
//    definition test found a wrongdoing, the authority's decision and the
//    stage a case is in are the leaves of one column tree ("verloop"), never
//    two tables whose cells a reader could combine. A breakdown within one of
//    its nodes (the kind of wrongdoing within "vermoeden van een misstand",
//    the evaluation form within "afgesloten") is published for the whole
//    korps only, as a list whose total is that node's published cell.
//  * Show "x" for a suppressed cell, with its legend and the notes (rule 5).
//    Derived figures follow their counts: a median turnaround is shown only
//    where the number of closed cases behind it is published and at least
//    the threshold; a percentage only where both its counts are.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "app/dashboard_service.h"
#include "core/common/date.h"
#include "core/org/org.h"
#include "core/ports/clock.h"
#include "core/ports/store.h"
#include "core/workflow/track_catalogue.h"

namespace waarborg::app {

enum class ReportKind { kLmm, kCounsellors };
// "lmm", "vertrouwenswerk" (the URL parameter soort=).
std::string_view ReportKindName(ReportKind k);
std::optional<ReportKind> ParseReportKind(std::string_view s);
// "LMM", "vertrouwenswerk" in running Dutch text and file names.
std::string_view ReportKindShortNl(ReportKind k);
// The tracks a kind reports on.
std::vector<std::string> ReportTracks(ReportKind k);

// What is asked: a kind, whole months of one calendar year, optionally a unit.
struct ReportRequest {
  ReportKind kind = ReportKind::kLmm;
  int year = 0;
  int from_month = 1, to_month = 12;
  std::optional<Id> unit;
  bool rounded = false;  // the dates asked were widened to whole months
  bool WholeYear() const { return from_month == 1 && to_month == 12; }
};

// Parses the query of /rapportage/verslag: soort=lmm|vertrouwenswerk, then
// jaar=jjjj, or van=dd-mm-jjjj&tot=dd-mm-jjjj (these win when given), and
// eenheid=<id>. InvalidArgument with a Dutch message for a malformed or
// missing parameter (the pages answer 400); whether the period may be
// reported and the unit asked is the service's to say.
absl::StatusOr<ReportRequest> ParseReportRequest(const std::function<std::string(const std::string&)>& param);
// The query string that asks `r` again (for links to the downloads).
std::string ReportQuery(const ReportRequest& r);

// ---------------------------------------------------------------- the report

// A cell with nothing to tell (no closed case to time, a percentage of
// zero): shown as "–", never as "x".
inline constexpr double kNotApplicable = std::numeric_limits<double>::quiet_NaN();
inline bool IsNotApplicable(const std::optional<double>& v) { return v && std::isnan(*v); }

// One table as shown and exported. A cell is a number, nullopt when it is
// not published ("x"), or kNotApplicable ("–").
struct ReportTable {
  std::string id;      // stable: the CSV's ?tabel= and the XLSX sheet
  std::string title;   // Dutch
  std::string corner;  // the header of the label column ("Eenheid", "Soort")
  std::vector<std::string> col_labels;
  struct Row {
    std::string label;
    int depth = 0;       // indentation under the first row
    bool total = false;  // a total row (shown in bold)
    std::vector<std::optional<double>> cells;
  };
  std::vector<Row> rows;
  bool decimals = false;  // one decimal (percentages)
  std::string note;       // Dutch: fallback note and the legend of x when a cell is hidden
  bool HasSuppressed() const;
};

// A chart the server draws (adapters/report/svg_chart), beside its table.
struct ReportChart {
  enum class Type { kBar, kLine };
  Type type = Type::kBar;
  std::string id;
  std::string title;  // Dutch; the SVG's <title>
  std::string desc;   // Dutch; the SVG's <desc>
  std::vector<std::string> labels;
  std::vector<std::optional<double>> values;  // nullopt: not published, not drawn, marked "x"
  std::string table_id;                       // the table with the same figures
};

struct ReportSection {
  std::string id;
  std::string title;                    // Dutch
  std::vector<std::string> paragraphs;  // Dutch explanatory text
  std::vector<ReportChart> charts;
  std::vector<ReportTable> tables;
};

struct AnnualReport {
  ReportRequest request;
  std::string title;               // "Jaarverslag LMM 2025", "Managementrapportage vertrouwenswerk"
  std::string unit_label;          // "Politie Nederland", "Eenheid Oost-Nederland"
  std::string period_label;        // "1 januari t/m 31 december 2025"
  Date published_on{};             // when the figures were fixed
  std::vector<std::string> notes;  // Dutch, about the whole report (rounding, level)
  std::vector<ReportSection> sections;

  const ReportTable* FindTable(std::string_view id) const;
  // The start of a download's file name: "jaarverslag-lmm-2025" (the korps,
  // a whole year), "managementrapportage-vertrouwenswerk-eenheid-oost-2025-04-t-m-06".
  std::string FileStem() const;
};

// ---------------------------------------------------------------- the publication

// One protected table as published, over its own row and column trees
// (node 0 is the root; parents come before their children).
struct PublishedGrid {
  std::string id;
  std::vector<std::string> row_labels;
  std::vector<int> row_parent;        // -1 for the root
  std::vector<Id> row_unit;           // the unit a row stands for; 0 for "Overig" rows
  std::vector<std::string> col_keys;  // stable keys ("m3", "referred"); "total" for the root
  std::vector<std::string> col_labels;
  std::vector<int> col_parent;
  std::vector<std::optional<std::int64_t>> cells;  // rows × cols, row-major; nullopt: suppressed
  std::string note;                                // Dutch, the protection's own

  int rows() const { return static_cast<int>(row_labels.size()); }
  int cols() const { return static_cast<int>(col_keys.size()); }
  std::optional<std::int64_t> At(int row, int col) const {
    if (row < 0 || col < 0 || row >= rows() || col >= cols()) return std::nullopt;
    return cells[static_cast<std::size_t>(row) * col_keys.size() + static_cast<std::size_t>(col)];
  }
  int ColOf(std::string_view key) const;  // -1 when absent
  int RowOfUnit(Id unit) const;           // -1 when absent
};

// Everything a kind and a year publish, made once (see the top of this file).
struct Publication {
  ReportKind kind = ReportKind::kLmm;
  int year = 0;
  int through_month = 12;  // the last month counted
  int threshold = 5;
  Date made_on{};
  // The depth of the unit rows of the tables broken down by unit: 2 per
  // district, 1 per eenheid, 0 the korps only (then `per_unit` holds the
  // number per district).
  int level = 2;
  int max_level = 2;
  std::string level_note;
  std::vector<PublishedGrid> by_unit;      // rows: korps > eenheid > district (cut at `level`)
  std::optional<PublishedGrid> per_unit;   // level 0 only: the number per unit, rows to the district
  std::vector<PublishedGrid> korps_lists;  // rows: the korps only
  // Per row of the by-unit tables: median and 90th percentile of the days
  // from receipt to closing, where at least `threshold` cases closed.
  std::vector<std::optional<std::array<int, 2>>> turnaround;

  const PublishedGrid* Grid(std::string_view id) const;
};

std::string EncodePublication(const Publication& p);
absl::StatusOr<Publication> DecodePublication(std::string_view json);

// What a publication is made of. `visit` calls its argument for every fact
// on the kind's tracks (DashboardService::VisitFacts, or a list in tests and
// the benchmark).
struct PublicationInput {
  ReportKind kind = ReportKind::kLmm;
  int year = 0;
  int through_month = 12;
  int threshold = 5;
  Date made_on{};
  std::vector<OrgUnit> units;
  std::function<void(const std::function<void(const FactRef&)>&)> visit;
  const workflow::TrackCatalogue* tracks = nullptr;  // labels; built-in Dutch labels when null
};
// Counts and protects (pure: no store, no clock).
Publication Publish(const PublicationInput& in);

// The report on `r` from the publication of its year: the rows of `r.unit`
// (or the korps) and its units below, the months of its period. `units`
// names the scope. InvalidArgument when the unit has no rows of its own in
// the publication is not an error: the report then says why it is empty.
AnnualReport ViewOf(const Publication& p, const ReportRequest& r, const std::vector<OrgUnit>& units);

// ---------------------------------------------------------------- the use case

struct ReportPolicy {
  int threshold = 5;  // smallest count published (issue 5 §3)
};

// What the form offers a person.
struct ReportChoices {
  std::vector<ReportKind> kinds;
  std::vector<OrgUnit> units;  // korps, eenheden and districts the person may ask (in tree order)
  std::optional<Id> own_unit;  // a manager's own unit (the default)
  std::vector<int> years;      // years with a closed quarter, newest first
  int default_year = 0;        // the last closed year
};

class AnnualReportService {
 public:
  AnnualReportService(Store& store, const Clock& clock, const workflow::TrackCatalogue& tracks,
                      const DashboardService& facts, ReportPolicy policy = {});

  // Who may: the competent authority (korpschef) every report; the LMM
  // coordinator the LMM's; the central counsellor the counsellors'; a
  // manager both, for the own unit (eenheid) and its districts only.
  // PermissionDenied (Dutch) for everyone else.
  absl::StatusOr<ReportChoices> ChoicesFor(const Actor& actor);

  // The report. PermissionDenied for a kind or unit the actor may not ask;
  // InvalidArgument (Dutch) for a period that has not closed, a year without
  // figures, an unknown unit or a team (teams are never a reporting level).
  // The first report on a closed period makes its publication (audited as
  // report.publish); every later one shows it again.
  absl::StatusOr<AnnualReport> Build(const Actor& actor, const ReportRequest& r);

  // Records a download or print in the audit trail: who, which report,
  // which period and unit, which format (and table); never its figures.
  absl::Status RecordExport(const Actor& actor, const ReportRequest& r, std::string_view format,
                            std::string_view table = "");

 private:
  struct Org;
  absl::StatusOr<Org> LoadOrg();
  absl::StatusOr<std::shared_ptr<const Publication>> PublicationFor(const Actor& actor, ReportKind kind, int year,
                                                                    int through_month, const Org& org);

  Store& store_;
  const Clock& clock_;
  const workflow::TrackCatalogue& tracks_;
  const DashboardService& facts_;
  ReportPolicy policy_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const Publication>> cache_;
};

}  // namespace waarborg::app
