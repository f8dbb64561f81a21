// A track drawn as a flow chart (issue 4 §1): a self-contained, accessible
// SVG made by the server. No scripts, no external resources, and the same
// definition always gives the same bytes.
#pragma once

#include <optional>
#include <string>

#include "core/workflow/track.h"

namespace waarborg::workflow {

// The chart of `def`, top to bottom by breadth-first depth from the initial
// state: a box per state with its Dutch label, an arrow per state-changing
// transition with its label (steps that keep the case where it is are not
// drawn). The SVG has role="img" and a Dutch <title> and <desc>; the desc
// also lists every arrow in words. `current_state`, when given, gets a
// thicker border and the text "(huidige stap)", so it is not shown by colour
// alone. All text is XML-escaped.
std::string RenderFlowChart(const TrackDefinition& def, std::optional<std::string> current_state);

// Escapes &, <, >, " and ' for XML text and attribute values.
std::string XmlEscape(std::string_view s);

}  // namespace waarborg::workflow
