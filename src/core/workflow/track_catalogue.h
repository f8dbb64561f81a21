// The tracks a server runs with: every definition from workflows/tracks and
// the norms units tightened (workflows/units), read and validated once at
// start (a server with an invalid definition does not start).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/workflow/track.h"

namespace waarborg::workflow {

struct UnitTrackOverride {
  std::string unit;  // folder name under workflows/units
  TrackDefinition track;
};

struct TrackCatalogue {
  std::vector<TrackDefinition> tracks;
  std::vector<UnitTrackOverride> unit_overrides;

  const TrackDefinition* Find(std::string_view id) const {
    for (const auto& t : tracks)
      if (t.id == id) return &t;
    return nullptr;
  }
};

}  // namespace waarborg::workflow
