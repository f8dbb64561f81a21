#include "adapters/report/svg_chart.h"

#include <algorithm>
#include <cmath>

#include "adapters/report/report_format.h"
#include "core/common/strings.h"

namespace waarborg::report {

namespace {

constexpr const char* kInk = "#1a1a1a";
constexpr const char* kBar = "#154273";  // 10.6:1 on white
constexpr const char* kGrid = "#b4b4b4";
constexpr int kWidth = 640;

// Whether a value is drawn: published and not "nothing to tell".
bool Drawn(const std::optional<double>& v) { return v && !std::isnan(*v); }

std::string Num(double v) {  // coordinates
  return fmt::format("{:.1f}", v);
}

std::string SafeId(const std::string& id) {
  std::string out;
  for (char c : id) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '-';
  return out.empty() ? std::string("grafiek") : out;
}

// A round step for about `ticks` gridlines up to `max`.
double NiceStep(double max, int ticks) {
  if (max <= 0) return 1;
  const double raw = max / ticks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (raw <= m * mag) return std::max(1.0, m * mag);
  return std::max(1.0, 10 * mag);
}

std::string Open(const app::ReportChart& c, int height) {
  const std::string id = SafeId(c.id);
  return Cat("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"wb-chart\" viewBox=\"0 0 ", kWidth, " ", height,
             "\" width=\"", kWidth, "\" height=\"", height, "\" role=\"img\" aria-labelledby=\"", id, "-titel ", id,
             "-beschrijving\" font-family=\"'Noto Sans', Arial, sans-serif\" font-size=\"13\">\n<title id=\"", id,
             "-titel\">", XmlEscape(c.title), "</title>\n<desc id=\"", id, "-beschrijving\">", XmlEscape(c.desc),
             "</desc>\n");
}

std::string Bars(const app::ReportChart& c) {
  const std::size_t n = c.labels.size();
  constexpr int kItem = 44, kTop = 8, kLeft = 4, kValueRoom = 90;
  const int height = kTop + static_cast<int>(n) * kItem + 8;
  double max = 0;
  for (const auto& v : c.values)
    if (Drawn(v)) max = std::max(max, *v);
  std::string out = Open(c, height);
  const double span = kWidth - kLeft - kValueRoom;
  for (std::size_t i = 0; i < n; ++i) {
    const int y = kTop + static_cast<int>(i) * kItem;
    const auto& v = i < c.values.size() ? c.values[i] : std::nullopt;
    out += Cat("<text x=\"", kLeft, "\" y=\"", y + 14, "\" fill=\"", kInk, "\">", XmlEscape(c.labels[i]), "</text>\n");
    if (Drawn(v)) {
      const double w = max > 0 ? span * (*v) / max : 0;
      if (w > 0)
        out += Cat("<rect x=\"", kLeft, "\" y=\"", y + 20, "\" width=\"", Num(w), "\" height=\"18\" fill=\"", kBar,
                   "\"/>\n");
      out += Cat("<text x=\"", Num(kLeft + w + 6), "\" y=\"", y + 34, "\" fill=\"", kInk, "\" font-weight=\"700\">",
                 NumberNl(*v, true), "</text>\n");
    } else {
      // Not published (or nothing to tell): no bar, its sign where the bar would start.
      out += Cat("<rect x=\"", kLeft, "\" y=\"", y + 20, "\" width=\"18\" height=\"18\" fill=\"none\" stroke=\"", kGrid,
                 "\" stroke-dasharray=\"3 2\"/>\n<text x=\"", kLeft + 5, "\" y=\"", y + 34, "\" fill=\"", kInk,
                 "\" font-weight=\"700\">", CellText(v, false), "</text>\n");
    }
  }
  out += "</svg>";
  return out;
}

std::string Line(const app::ReportChart& c) {
  const std::size_t n = c.labels.size();
  constexpr int kHeight = 280, kLeft = 52, kRight = 16, kTop = 20, kBottom = 44;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  double max = 0;
  for (const auto& v : c.values)
    if (Drawn(v)) max = std::max(max, *v);
  const double step = NiceStep(max, 4);
  const double top = std::max(step, std::ceil(max / step) * step);
  auto x = [&](std::size_t i) {
    return kLeft + (static_cast<double>(i) + 0.5) * plot_w / static_cast<double>(std::max<std::size_t>(n, 1));
  };
  auto y = [&](double v) { return kTop + plot_h - plot_h * v / top; };
  std::string out = Open(c, kHeight);
  // Gridlines and their values.
  for (double t = 0; t <= top + 1e-9; t += step) {
    out += Cat("<line x1=\"", kLeft, "\" x2=\"", kWidth - kRight, "\" y1=\"", Num(y(t)), "\" y2=\"", Num(y(t)),
               "\" stroke=\"", kGrid, "\" stroke-width=\"1\"/>\n<text x=\"", kLeft - 8, "\" y=\"", Num(y(t) + 4),
               "\" text-anchor=\"end\" fill=\"", kInk, "\">", NumberNl(t, false), "</text>\n");
  }
  // The line, broken where a value is not published.
  std::string path;
  bool pen = false;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& v = i < c.values.size() ? c.values[i] : std::nullopt;
    if (!Drawn(v)) {
      pen = false;
      continue;
    }
    path += Cat(pen ? " L" : (path.empty() ? "M" : " M"), Num(x(i)), " ", Num(y(*v)));
    pen = true;
  }
  if (!path.empty())
    out += Cat("<path d=\"", path, "\" fill=\"none\" stroke=\"", kBar,
               "\" stroke-width=\"3\" stroke-linejoin=\"round\"/>\n");
  for (std::size_t i = 0; i < n; ++i) {
    const auto& v = i < c.values.size() ? c.values[i] : std::nullopt;
    out += Cat("<text x=\"", Num(x(i)), "\" y=\"", kHeight - kBottom + 20, "\" text-anchor=\"middle\" fill=\"", kInk,
               "\">", XmlEscape(c.labels[i]), "</text>\n");
    if (Drawn(v)) {
      out += Cat("<circle cx=\"", Num(x(i)), "\" cy=\"", Num(y(*v)), "\" r=\"4\" fill=\"", kBar, "\"/>\n<text x=\"",
                 Num(x(i)), "\" y=\"", Num(y(*v) - 9), "\" text-anchor=\"middle\" fill=\"", kInk,
                 "\" font-size=\"12\">", NumberNl(*v, true), "</text>\n");
    } else {
      out += Cat("<text x=\"", Num(x(i)), "\" y=\"", Num(y(0) - 6), "\" text-anchor=\"middle\" fill=\"", kInk,
                 "\" font-weight=\"700\">", CellText(v, false), "</text>\n");
    }
  }
  out += Cat("<line x1=\"", kLeft, "\" x2=\"", kWidth - kRight, "\" y1=\"", Num(y(0)), "\" y2=\"", Num(y(0)),
             "\" stroke=\"", kInk, "\" stroke-width=\"1\"/>\n</svg>");
  return out;
}

}  // namespace

std::string SvgChart(const app::ReportChart& c) { return c.type == app::ReportChart::Type::kLine ? Line(c) : Bars(c); }

}  // namespace waarborg::report
