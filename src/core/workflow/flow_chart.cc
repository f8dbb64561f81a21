#include "core/workflow/flow_chart.h"

#include <algorithm>
#include <map>
#include <vector>

#include "core/common/strings.h"

namespace waarborg::workflow {

namespace {

constexpr int kMargin = 24;
constexpr int kBoxWidth = 220;
constexpr int kHGap = 56;
constexpr int kVGap = 96;       // room for arrow labels between layers
constexpr int kLineHeight = 18;
constexpr int kBoxPadding = 14;
constexpr int kWrapChars = 26;
constexpr int kLaneGap = 10;    // between the lanes of arrows going back up
constexpr int kCharWidth = 6;   // rough width of an 11px label character

constexpr std::string_view kCurrentMarker = "(huidige stap)";

// Length in code points, for rough text widths.
int Chars(std::string_view s) {
  return static_cast<int>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::vector<std::string> Wrap(std::string_view text, int width) {
  std::vector<std::string> lines;
  std::string line;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view word = text.substr(i, j - i);
    i = j + 1;
    if (word.empty()) continue;
    if (!line.empty() && Chars(line) + 1 + Chars(word) > width) {
      lines.push_back(line);
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
  }
  if (!line.empty()) lines.push_back(line);
  if (lines.empty()) lines.emplace_back();
  return lines;
}

std::string SafeId(std::string_view s) {
  std::string out;
  for (char c : s) out += ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ? c : '-';
  return out;
}

struct Box {
  int x = 0, y = 0, w = kBoxWidth, h = 0;
  std::vector<std::string> lines;
  bool current = false;
  bool terminal = false;
  int layer = 0;
  int cx() const { return x + w / 2; }
};

struct Edge {
  std::string from, to;
  std::vector<std::string> labels;
};

}  // namespace

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string RenderFlowChart(const TrackDefinition& def, std::optional<std::string> current_state) {
  const std::string prefix = Cat("wb-flow-", SafeId(def.id));
  const StateDef* current = current_state ? def.FindState(*current_state) : nullptr;

  // Layers by breadth-first depth; unreachable states (only in an invalid
  // definition) go in a last layer. Every state-changing transition then goes
  // one layer down, stays in its layer, or goes back up.
  std::map<std::string, int> depth = StateDepths(def);
  int max_depth = 0;
  for (const auto& [id, d] : depth) max_depth = std::max(max_depth, d);
  std::vector<std::vector<std::string>> layers(static_cast<size_t>(max_depth) + 1);
  for (const auto& s : def.states) {
    auto it = depth.find(s.id);
    if (it == depth.end()) {
      if (layers.size() == static_cast<size_t>(max_depth) + 1) layers.emplace_back();
      depth[s.id] = static_cast<int>(layers.size()) - 1;
      layers.back().push_back(s.id);
    } else {
      layers[static_cast<size_t>(it->second)].push_back(s.id);
    }
  }

  // Edges: one arrow per (from, to) pair, its labels joined.
  std::vector<Edge> edges;
  for (const auto& t : def.transitions) {
    if (t.Stays() || !def.FindState(t.to)) continue;
    for (const auto& f : t.from) {
      if (f == t.to || !def.FindState(f)) continue;
      auto it = std::find_if(edges.begin(), edges.end(), [&](const Edge& e) { return e.from == f && e.to == t.to; });
      if (it == edges.end()) {
        edges.push_back({f, t.to, {}});
        it = edges.end() - 1;
      }
      if (std::find(it->labels.begin(), it->labels.end(), t.DisplayLabel()) == it->labels.end())
        it->labels.push_back(t.DisplayLabel());
    }
  }
  auto label_of = [](const Edge& e) {
    std::string label;
    for (const auto& l : e.labels) label += Cat(label.empty() ? "" : " / ", l);
    return label;
  };

  // Order each layer by the mean position of its parents (fewer crossings);
  // ties keep file order.
  for (size_t li = 1; li < layers.size(); ++li) {
    std::map<std::string, int> pos;
    for (size_t i = 0; i < layers[li - 1].size(); ++i) pos[layers[li - 1][i]] = static_cast<int>(i);
    std::map<std::string, int> key;  // mean parent position * 1000
    for (const auto& id : layers[li]) {
      int sum = 0, n = 0;
      for (const auto& e : edges)
        if (e.to == id && pos.count(e.from)) sum += pos[e.from], ++n;
      key[id] = n ? sum * 1000 / n : 1000000;
    }
    std::stable_sort(layers[li].begin(), layers[li].end(),
                     [&](const std::string& a, const std::string& b) { return key[a] < key[b]; });
  }

  // Arrows that go back up run through a lane right of the boxes;
  // their labels sit right of the lanes.
  int lanes = 0, lane_label = 0;
  for (const auto& e : edges) {
    if (depth[e.to] < depth[e.from]) {
      ++lanes;
      lane_label = std::max(lane_label, Chars(label_of(e)) * kCharWidth);
    }
  }

  // Boxes.
  std::map<std::string, Box> boxes;
  size_t widest = 1;
  for (const auto& l : layers) widest = std::max(widest, l.size());
  const int content_width = static_cast<int>(widest) * kBoxWidth + (static_cast<int>(widest) - 1) * kHGap;
  const int lane_x0 = kMargin + content_width + 24;
  const int width = lane_x0 + (lanes ? lanes * kLaneGap + 8 + lane_label : 0) + kMargin;
  int y = kMargin;
  for (size_t li = 0; li < layers.size(); ++li) {
    const auto& layer = layers[li];
    const int n = static_cast<int>(layer.size());
    const int row_width = n * kBoxWidth + (n - 1) * kHGap;
    int x = kMargin + (content_width - row_width) / 2;
    int row_height = 0;
    for (const auto& id : layer) {
      const StateDef* s = def.FindState(id);
      Box b;
      b.lines = Wrap(s->label, kWrapChars);
      b.current = current && current->id == id;
      if (b.current) b.lines.emplace_back(kCurrentMarker);
      b.terminal = s->terminal;
      b.layer = static_cast<int>(li);
      b.x = x;
      b.y = y;
      b.h = 2 * kBoxPadding + static_cast<int>(b.lines.size()) * kLineHeight;
      row_height = std::max(row_height, b.h);
      boxes[id] = b;
      x += kBoxWidth + kHGap;
    }
    for (const auto& id : layer) boxes[id].h = row_height;
    y += row_height + kVGap;
  }
  const int height = y - kVGap + kMargin;

  // Spread the attachment points of arrows leaving or entering one box.
  std::map<std::string, std::vector<size_t>> out_of, into;
  for (size_t i = 0; i < edges.size(); ++i) {
    out_of[edges[i].from].push_back(i);
    into[edges[i].to].push_back(i);
  }
  auto spread = [](const std::vector<size_t>& v, size_t i, int cx) {
    const int n = static_cast<int>(v.size());
    const int k = static_cast<int>(std::find(v.begin(), v.end(), i) - v.begin());
    return cx + (2 * k - (n - 1)) * std::min(12, 180 / std::max(1, n));
  };

  std::string desc = Cat("Stroomschema van het traject ", def.name, ", van boven naar beneden. ");
  desc += Cat("Stappen: ");
  {
    bool first = true;
    for (const auto& s : def.states) {
      desc += Cat(first ? "" : "; ", s.label, s.initial ? " (begin)" : "", s.terminal ? " (einde)" : "");
      first = false;
    }
    desc += ". ";
  }
  for (const auto& e : edges) {
    std::string labels;
    for (const auto& l : e.labels) labels += Cat(labels.empty() ? "" : " of ", "'", l, "'");
    desc += Cat("Van ", def.FindState(e.from)->label, " naar ", def.FindState(e.to)->label, " via ", labels, ". ");
  }
  desc += current ? Cat("Huidige stap: ", current->label, ".") : std::string("Geen huidige stap gemarkeerd.");

  std::string svg;
  svg += Cat("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"", width, "\" height=\"", height,
             "\" viewBox=\"0 0 ", width, " ", height, "\" aria-labelledby=\"", prefix, "-title ", prefix,
             "-desc\" font-family=\"sans-serif\">\n");
  svg += Cat("<title id=\"", prefix, "-title\">", XmlEscape(Cat("Stroomschema: ", def.name)), "</title>\n");
  svg += Cat("<desc id=\"", prefix, "-desc\">", XmlEscape(desc), "</desc>\n");
  svg += Cat("<defs><marker id=\"", prefix,
             "-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" "
             "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1a1a1a\"/></marker></defs>\n");
  svg += Cat("<rect x=\"0\" y=\"0\" width=\"", width, "\" height=\"", height, "\" fill=\"#ffffff\"/>\n");

  // Arrows first, so boxes and labels sit on top.
  std::string labels_svg;
  int lane = 0;
  for (size_t i = 0; i < edges.size(); ++i) {
    const Edge& e = edges[i];
    const Box& a = boxes[e.from];
    const Box& b = boxes[e.to];
    const std::string label = label_of(e);
    const int x1 = spread(out_of[e.from], i, a.cx()), y1 = a.y + a.h;
    const int x2 = spread(into[e.to], i, b.cx());
    int lx = 0, ly = 0;
    bool anchor_start = false;
    svg += Cat("<g class=\"edge\" data-from=\"", XmlEscape(e.from), "\" data-to=\"", XmlEscape(e.to), "\">");
    if (b.layer > a.layer) {
      const int y2 = b.y;
      svg += Cat("<path d=\"M", x1, ",", y1, " L", x2, ",", y2,
                 "\" fill=\"none\" stroke=\"#1a1a1a\" stroke-width=\"1.5\" marker-end=\"url(#", prefix, "-arrow)\"/>");
      // The label near the end where arrows are further apart.
      const bool near_target = out_of[e.from].size() >= into[e.to].size();
      lx = near_target ? x1 + (x2 - x1) * 2 / 3 : x1 + (x2 - x1) / 3;
      ly = near_target ? y1 + (y2 - y1) * 2 / 3 : y1 + (y2 - y1) / 3;
    } else if (b.layer == a.layer) {
      // Sideways: down into the gap below the row, across, up into the target.
      const int k = static_cast<int>(i % 5);
      const int below = y1 + 10 + k * 6;
      svg += Cat("<path d=\"M", x1, ",", y1, " V", below, " H", x2, " V", b.y + b.h,
                 "\" fill=\"none\" stroke=\"#1a1a1a\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\" marker-end=\"url(#",
                 prefix, "-arrow)\"/>");
      lx = (x1 + x2) / 2;
      ly = below + 10;
    } else {
      // Back up: down into the gap below the row, right to a lane,
      // up to the gap above the target's row, across, and down into it.
      const int k = lane++;
      const int lane_x = lane_x0 + k * kLaneGap;
      const int below = y1 + 12 + (k % 4) * 5;
      const int above = b.y - 12 - (k % 4) * 5;
      svg += Cat("<path d=\"M", x1, ",", y1, " V", below, " H", lane_x, " V", above, " H", x2, " V", b.y,
                 "\" fill=\"none\" stroke=\"#1a1a1a\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\" marker-end=\"url(#",
                 prefix, "-arrow)\"/>");
      lx = lane_x0 + lanes * kLaneGap + 8;
      ly = (below + above) / 2 + (k % 3) * 14 - 14;
      anchor_start = true;
    }
    svg += "</g>\n";
    const int tw = Chars(label) * kCharWidth + 8;
    const int rx = anchor_start ? lx - 4 : lx - tw / 2;
    labels_svg += Cat("<g class=\"edge-label\"><rect x=\"", rx, "\" y=\"", ly - 9, "\" width=\"", tw,
                      "\" height=\"16\" fill=\"#ffffff\" opacity=\"0.9\"/><text x=\"", lx, "\" y=\"", ly + 3,
                      "\" font-size=\"11\" text-anchor=\"", anchor_start ? "start" : "middle",
                      "\" fill=\"#1a1a1a\">", XmlEscape(label), "</text></g>\n");
  }

  for (const auto& s : def.states) {
    const Box& b = boxes[s.id];
    svg += Cat("<g class=\"state", b.current ? " current" : "", "\" data-state=\"", XmlEscape(s.id), "\">");
    svg += Cat("<rect x=\"", b.x, "\" y=\"", b.y, "\" width=\"", b.w, "\" height=\"", b.h, "\" rx=\"",
               b.terminal ? 18 : 4, "\" fill=\"", b.current ? "#fff3c4" : "#f4f6f8", "\" stroke=\"#1a1a1a\" stroke-width=\"",
               b.current ? 4 : 1, "\"/>");
    const int text_top = b.y + (b.h - static_cast<int>(b.lines.size()) * kLineHeight) / 2 + 13;
    for (size_t i = 0; i < b.lines.size(); ++i) {
      const bool marker = b.current && i + 1 == b.lines.size();
      svg += Cat("<text x=\"", b.cx(), "\" y=\"", text_top + static_cast<int>(i) * kLineHeight,
                 "\" font-size=\"14\" text-anchor=\"middle\" fill=\"#1a1a1a\"", marker ? " font-weight=\"bold\"" : "",
                 ">", XmlEscape(b.lines[i]), "</text>");
    }
    svg += "</g>\n";
  }
  svg += labels_svg;
  svg += "</svg>\n";
  return svg;
}

}  // namespace waarborg::workflow
