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

// The folder name under workflows/units for a unit of the organisation:
// its name in lower case, letters with diacritics plain, every other run of
// characters one '-' ("Eenheid Oost-Nederland" -> "eenheid-oost-nederland").
std::string UnitFolderName(std::string_view unit_name);

struct TrackCatalogue {
  std::vector<TrackDefinition> tracks;
  std::vector<UnitTrackOverride> unit_overrides;

  // The national definition of a track.
  const TrackDefinition* Find(std::string_view id) const {
    for (const auto& t : tracks)
      if (t.id == id) return &t;
    return nullptr;
  }

  // The definition that applies to a case of `track` in a unit whose chain
  // (the unit itself first, then its parents up to the corps) has these
  // folder names: the nearest unit that tightened the track, else the
  // national definition. Every override was checked at start to tighten
  // only (workflow::CheckTightening).
  const TrackDefinition* For(std::string_view track, const std::vector<std::string>& unit_chain) const {
    for (const auto& unit : unit_chain)
      for (const auto& o : unit_overrides)
        if (o.unit == unit && o.track.id == track) return &o.track;
    return Find(track);
  }
};

}  // namespace waarborg::workflow
