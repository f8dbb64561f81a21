// The annual and management reports (issue 5 §4) through the pages, without
// JavaScript: /rapportage asks which report (a GET form), and
// /rapportage/verslag?soort=lmm|vertrouwenswerk&jaar=jjjj (or
// &van=dd-mm-jjjj&tot=dd-mm-jjjj) [&eenheid=id] shows it, print-ready, with
// its charts drawn by the server. The same parameters on
// /rapportage/verslag/pdf, /xlsx and /csv?tabel=<id> download it. Every
// showing and download is audited (who, which report, period, unit and
// format; never a figure). 400 for malformed parameters, 403 for who may
// not, 422 for a period that cannot be reported.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/report/csv.h"
#include "adapters/report/pdf.h"
#include "adapters/report/report_format.h"
#include "adapters/report/svg_chart.h"
#include "adapters/report/xlsx.h"
#include "adapters/web/web_common.h"
#include "app/annual_report.h"
#include "core/common/strings.h"

namespace waarborg::web {

using http::HttpRequest;
using http::HttpResponse;

namespace {

HttpResponse NoReports(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  return ErrorPage(w, req, &ctx, absl::UnavailableError("Rapportage is op deze server niet beschikbaar."));
}

// 400: the request itself is malformed (a parameter that is not a date, an
// unknown kind or table).
HttpResponse BadRequest(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, const std::string& message) {
  const std::string lang = Lang(req);
  Data d;
  d.set("heading", w.r->T(lang, "error_400_title"));
  d.set("status", "400");
  d.set("message", message);
  return HtmlPage(w, req, &ctx, 400, "error", w.r->T(lang, "error_400_title"), std::move(d));
}

// A PDF that could not be made: its own (Dutch) reason, with 503, since
// the generic error page hides the message of a server error.
HttpResponse PrintFailed(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, const absl::Status& st) {
  if (st.code() != absl::StatusCode::kUnavailable && st.code() != absl::StatusCode::kDeadlineExceeded)
    return ErrorPage(w, req, &ctx, st);
  const std::string lang = Lang(req);
  Data d;
  d.set("heading", w.r->T(lang, "annual_pdf_failed_title"));
  d.set("status", "503");
  d.set("message", std::string(FromAbsl(st.message())));
  HttpResponse r = HtmlPage(w, req, &ctx, 503, "error", w.r->T(lang, "annual_pdf_failed_title"), std::move(d));
  r.Header("Retry-After", "60");
  return r;
}

std::string KindLabel(const Web& w, const std::string& lang, app::ReportKind k) {
  return w.r->T(lang, k == app::ReportKind::kLmm ? "annual_kind_lmm" : "annual_kind_vw");
}

// Everything the report's templates show (the page and the PDF).
Data ReportData(const Web& w, const HttpRequest& req, const app::AnnualReport& a, bool print) {
  Data d;
  d.set("title", a.title);
  d.set("kind_label", KindLabel(w, "nl", a.request.kind));
  d.set("unit", a.unit_label);
  d.set("period", a.period_label);
  d.set("published", FormatDateNl(a.published_on));
  d.set("print", print);
  d.set("query", app::ReportQuery(a.request));
  Data notes(Data::type::list);
  for (const auto& n : a.notes) notes.push_back(Str(n));
  d.set("notes", notes);
  Data sections(Data::type::list);
  for (const auto& s : a.sections) {
    Data o;
    o.set("id", s.id);
    o.set("title", s.title);
    Data paragraphs(Data::type::list);
    for (const auto& p : s.paragraphs) paragraphs.push_back(Str(p));
    o.set("paragraphs", paragraphs);
    Data blocks(Data::type::list);
    for (const auto& t : s.tables) {
      Data b;
      b.set("id", t.id);
      b.set("title", t.title);
      b.set("corner", t.corner);
      for (const auto& c : s.charts)
        if (c.table_id == t.id) b.set("svg", report::SvgChart(c));
      Data cols(Data::type::list);
      for (const auto& c : t.col_labels) cols.push_back(Str(c));
      b.set("cols", cols);
      Data rows(Data::type::list);
      for (const auto& r : t.rows) {
        Data row;
        row.set("label", r.label);
        if (r.depth > 0) row.set("indent", std::to_string(std::min(r.depth, 3)));
        row.set("total", r.total);
        Data cells(Data::type::list);
        for (const auto& v : r.cells) {
          Data cell;
          if (!v)
            cell.set("suppressed", true);
          else if (app::IsNotApplicable(v))
            cell.set("na", true);
          else
            cell.set("text", report::NumberNl(*v, t.decimals));
          cells.push_back(cell);
        }
        row.set("cells", cells);
        rows.push_back(row);
      }
      b.set("rows", rows);
      SetIf(b, "note", t.note);
      blocks.push_back(b);
    }
    o.set("blocks", blocks);
    sections.push_back(o);
  }
  d.set("sections", sections);
  return d;
}

// Parses the request; on a malformed one, the 400 page in `error`.
std::optional<app::ReportRequest> Parse(const Web& w, const HttpRequest& req, const app::AuthContext& ctx,
                                        HttpResponse& error) {
  auto r = app::ParseReportRequest([&](const std::string& k) { return req.Query(k); });
  if (!r.ok()) {
    error = BadRequest(w, req, ctx, std::string(FromAbsl(r.status().message())));
    return std::nullopt;
  }
  return *r;
}

HttpResponse Attachment(std::string body, std::string type, const std::string& filename) {
  HttpResponse r;
  r.content_type = std::move(type);
  r.body = std::move(body);
  r.Header("Content-Disposition", Cat("attachment; filename=\"", filename, "\""));
  r.Header("Cache-Control", "no-store");
  return r;
}

HttpResponse FormPage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  if (!w.s.reports) return NoReports(w, req, ctx);
  auto choices = w.s.reports->ChoicesFor(ctx.actor);
  if (!choices.ok()) return ErrorPage(w, req, &ctx, choices.status());
  const std::string lang = Lang(req);
  Data d;
  Data kinds(Data::type::list);
  for (auto k : choices->kinds) {
    Data o;
    o.set("value", std::string(app::ReportKindName(k)));
    o.set("label", KindLabel(w, lang, k));
    o.set("selected", k == choices->kinds.front());
    kinds.push_back(o);
  }
  d.set("kinds", kinds);
  Data years(Data::type::list);
  for (int y : choices->years) {
    Data o;
    o.set("year", std::to_string(y));
    o.set("selected", y == choices->default_year);
    years.push_back(o);
  }
  d.set("years", years);
  d.set("whole_corps", !choices->own_unit.has_value());
  Data units(Data::type::list);
  for (const auto& u : choices->units) {
    if (u.kind == UnitKind::kCorps && !u.parent_id) continue;  // "the whole korps" is the empty choice
    Data o;
    o.set("id", std::to_string(u.id));
    o.set("label", u.kind == UnitKind::kDistrict ? Cat("\u2014 ", u.name) : u.name);
    o.set("selected", choices->own_unit && *choices->own_unit == u.id);
    units.push_back(o);
  }
  d.set("units", units);
  return HtmlPage(w, req, &ctx, 200, "report_form", w.r->T(lang, "annual_form_title"), std::move(d));
}

// Builds the asked report; on failure the error page in `error`.
std::optional<app::AnnualReport> Report(const Web& w, const HttpRequest& req, const app::AuthContext& ctx,
                                        HttpResponse& error) {
  if (!w.s.reports) {
    error = NoReports(w, req, ctx);
    return std::nullopt;
  }
  auto r = Parse(w, req, ctx, error);
  if (!r) return std::nullopt;
  auto a = w.s.reports->Build(ctx.actor, *r);
  if (!a.ok()) {
    error = ErrorPage(w, req, &ctx, a.status());
    return std::nullopt;
  }
  return std::move(*a);
}

HttpResponse ReportPage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  HttpResponse error;
  auto a = Report(w, req, ctx, error);
  if (!a) return error;
  if (auto st = w.s.reports->RecordExport(ctx.actor, a->request, "html"); !st.ok()) return ErrorPage(w, req, &ctx, st);
  return HtmlPage(w, req, &ctx, 200, "report", a->title, ReportData(w, req, *a, false));
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

HttpResponse PdfDownload(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  HttpResponse error;
  auto a = Report(w, req, ctx, error);
  if (!a) return error;
  Data d = ReportData(w, req, *a, true);
  // The page's own style sheet, inline: the printing browser fetches nothing.
  d.set("css", ReadFile(std::filesystem::path(w.s.web_dir) / "static" / "waarborg.css"));
  const std::string html = w.r->Render("report_print", std::move(d), "nl");
  report::PdfOptions options;
  options.chromium = w.s.chromium;
  auto pdf = report::HtmlToPdf(html, options);
  if (!pdf.ok()) return PrintFailed(w, req, ctx, pdf.status());
  if (auto st = w.s.reports->RecordExport(ctx.actor, a->request, "pdf"); !st.ok()) return ErrorPage(w, req, &ctx, st);
  return Attachment(std::move(*pdf), "application/pdf", a->FileStem() + ".pdf");
}

HttpResponse XlsxDownload(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  HttpResponse error;
  auto a = Report(w, req, ctx, error);
  if (!a) return error;
  auto xlsx = report::XlsxOf(*a);
  if (!xlsx.ok()) return ErrorPage(w, req, &ctx, xlsx.status());
  if (auto st = w.s.reports->RecordExport(ctx.actor, a->request, "xlsx"); !st.ok()) return ErrorPage(w, req, &ctx, st);
  return Attachment(std::move(*xlsx), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    a->FileStem() + ".xlsx");
}

HttpResponse CsvDownload(const Web& w, const HttpRequest& req, const app::AuthContext& ctx) {
  HttpResponse error;
  auto a = Report(w, req, ctx, error);
  if (!a) return error;
  const std::string id = req.Query("tabel");
  if (id.empty()) return BadRequest(w, req, ctx, "Kies de tabel die u als CSV wilt downloaden (tabel=...).");
  const app::ReportTable* t = a->FindTable(id);
  if (!t) return BadRequest(w, req, ctx, "Dit verslag heeft geen tabel met die naam.");
  if (auto st = w.s.reports->RecordExport(ctx.actor, a->request, "csv", t->id); !st.ok())
    return ErrorPage(w, req, &ctx, st);
  std::string name = t->id;
  std::replace(name.begin(), name.end(), '_', '-');
  return Attachment(report::CsvOf(*t), "text/csv; charset=utf-8", Cat(a->FileStem(), "-", name, ".csv"));
}

}  // namespace

void AddReportRoutes(const Web& w, std::vector<http::Route>& out) {
  out.push_back({"GET", "/rapportage", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return FormPage(w, req, ctx);
                 })});
  out.push_back({"GET", "/rapportage/verslag", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return ReportPage(w, req, ctx);
                 })});
  out.push_back({"GET", "/rapportage/verslag/pdf", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return PdfDownload(w, req, ctx);
                 })});
  out.push_back({"GET", "/rapportage/verslag/xlsx", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return XlsxDownload(w, req, ctx);
                 })});
  out.push_back({"GET", "/rapportage/verslag/csv", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   return CsvDownload(w, req, ctx);
                 })});
}

}  // namespace waarborg::web
