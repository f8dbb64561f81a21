// The flow chart of a track: accessible, self-contained, deterministic SVG.
#include "core/workflow/flow_chart.h"

#include <regex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace waarborg::workflow {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TrackDefinition Track() {
  TrackDefinition t;
  t.id = "sample";
  t.name = "Voorbeeld & co";
  t.description = "Een voorbeeld.";
  t.states = {
      {"registered", "Geregistreerd", "Ontvangen.", true, false, 0},
      {"staffed", "Bemenst", "Toegewezen.", false, false, 0},
      {"weighing", "Wegingsonderzoek", "Wordt gewogen.", false, false, 0},
      {"closed", "Afgesloten", "Klaar.", false, true, 0},
      {"referred", "Doorverwezen", "Elders.", false, true, 0},
  };
  t.transitions = {
      {"staff", "Twee VPI's toewijzen", {"registered"}, "staffed", {"coordinator"}, {}, {}, {}, 0},
      {"definition_test", "Toets", {"staffed"}, "weighing", {"vpi"}, {}, {}, {"passes_definition_test"}, 0},
      {"refer", "Doorverwijzen", {"staffed"}, "referred", {"vpi"}, {}, {}, {}, 0},
      {"close", "Afsluiten", {"weighing"}, "closed", {"coordinator"}, {}, {}, {}, 0},
      {"reweigh", "Opnieuw toetsen", {"weighing"}, "staffed", {"coordinator"}, {}, {}, {}, 0},
      {"acknowledge", "Ontvangst bevestigen", {"registered", "staffed"}, "", {"vpi"}, {}, {}, {}, 0},
  };
  return t;
}

// The <g> element of one state box.
std::string StateGroup(const std::string& svg, const std::string& id) {
  const std::string open = "data-state=\"" + id + "\"";
  const size_t at = svg.find(open);
  if (at == std::string::npos) return "";
  return svg.substr(at, svg.find("</g>", at) - at);
}

int BoxY(const std::string& svg, const std::string& id) {
  std::smatch m;
  const std::string g = StateGroup(svg, id);
  if (!std::regex_search(g, m, std::regex("<rect x=\"\\d+\" y=\"(\\d+)\""))) return -1;
  return std::stoi(m[1]);
}

TEST(FlowChart, IsAnAccessibleSelfContainedSvg) {
  const std::string svg = RenderFlowChart(Track(), std::nullopt);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"", 0), 0u);
  EXPECT_THAT(svg, HasSubstr("aria-labelledby=\"wb-flow-sample-title wb-flow-sample-desc\""));
  EXPECT_THAT(svg, HasSubstr("<title id=\"wb-flow-sample-title\">Stroomschema: Voorbeeld &amp; co</title>"));
  EXPECT_THAT(svg, HasSubstr("<desc id=\"wb-flow-sample-desc\">Stroomschema van het traject"));
  // The desc tells every arrow in words, for screen readers.
  EXPECT_THAT(svg, HasSubstr("Van Bemenst naar Doorverwezen via &apos;Doorverwijzen&apos;."));
  EXPECT_THAT(svg, Not(HasSubstr("<script")));
  EXPECT_THAT(svg, Not(HasSubstr("href")));
  EXPECT_THAT(svg, Not(HasSubstr("<image")));
  EXPECT_THAT(svg, Not(HasSubstr("<style")));
  // The only URL is the SVG namespace.
  EXPECT_EQ(svg.find("http"), svg.find("http://www.w3.org/2000/svg"));
  EXPECT_EQ(svg.find("http", svg.find("http") + 1), std::string::npos);
}

TEST(FlowChart, FlowChartMarksCurrentStateNotByColourAlone) {
  const std::string svg = RenderFlowChart(Track(), std::string("weighing"));
  const std::string current = StateGroup(svg, "weighing");
  EXPECT_THAT(current, HasSubstr("stroke-width=\"4\""));
  EXPECT_THAT(current, HasSubstr("(huidige stap)"));
  // Exactly one box is marked, and the others have a thin border.
  size_t markers = 0;
  for (size_t at = svg.find("(huidige stap)"); at != std::string::npos; at = svg.find("(huidige stap)", at + 1))
    ++markers;
  EXPECT_EQ(markers, 1u);
  EXPECT_THAT(StateGroup(svg, "staffed"), HasSubstr("stroke-width=\"1\""));
  EXPECT_THAT(StateGroup(svg, "staffed"), Not(HasSubstr("huidige stap")));
  EXPECT_THAT(svg, HasSubstr("Huidige stap: Wegingsonderzoek."));

  const std::string none = RenderFlowChart(Track(), std::nullopt);
  EXPECT_THAT(none, Not(HasSubstr("(huidige stap)")));
  EXPECT_THAT(none, Not(HasSubstr("stroke-width=\"4\"")));
}

TEST(FlowChart, LayersFollowBreadthFirstDepth) {
  const std::string svg = RenderFlowChart(Track(), std::nullopt);
  EXPECT_LT(BoxY(svg, "registered"), BoxY(svg, "staffed"));
  EXPECT_LT(BoxY(svg, "staffed"), BoxY(svg, "weighing"));
  EXPECT_EQ(BoxY(svg, "weighing"), BoxY(svg, "referred"));  // both at depth 2
  EXPECT_LT(BoxY(svg, "weighing"), BoxY(svg, "closed"));
}

TEST(FlowChart, ArrowsCarryActionLabelsAndStayingStepsAreNotDrawn) {
  const std::string svg = RenderFlowChart(Track(), std::nullopt);
  EXPECT_THAT(svg, HasSubstr("data-from=\"registered\" data-to=\"staffed\""));
  EXPECT_THAT(svg, HasSubstr(">Twee VPI&apos;s toewijzen</text>"));
  // The way back up is drawn too (dashed, around the side).
  EXPECT_THAT(svg, HasSubstr("data-from=\"weighing\" data-to=\"staffed\""));
  EXPECT_THAT(svg, HasSubstr("stroke-dasharray"));
  EXPECT_THAT(svg, Not(HasSubstr("Ontvangst bevestigen")));
}

TEST(FlowChart, AllTextIsEscaped) {
  TrackDefinition t = Track();
  t.states[1].label = "<script>alert(1)</script> & \"co\"";
  t.transitions[0].label = "a<b";
  const std::string svg = RenderFlowChart(t, std::string("staffed"));
  EXPECT_THAT(svg, Not(HasSubstr("<script")));
  EXPECT_THAT(svg, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(svg, HasSubstr("&quot;co&quot;"));
  EXPECT_THAT(svg, HasSubstr(">a&lt;b</text>"));
}

TEST(FlowChart, OutputIsDeterministic) {
  EXPECT_EQ(RenderFlowChart(Track(), std::string("staffed")), RenderFlowChart(Track(), std::string("staffed")));
  EXPECT_NE(RenderFlowChart(Track(), std::string("staffed")), RenderFlowChart(Track(), std::nullopt));
}

TEST(FlowChart, LongLabelsWrapInsideTheBox) {
  TrackDefinition t = Track();
  t.states[2].label = "Een heel lang label dat zeker over meerdere regels moet worden verdeeld";
  const std::string g = StateGroup(RenderFlowChart(t, std::nullopt), "weighing");
  size_t lines = 0;
  for (size_t at = g.find("<text"); at != std::string::npos; at = g.find("<text", at + 1)) ++lines;
  EXPECT_GE(lines, 3u);
}

}  // namespace
}  // namespace waarborg::workflow
