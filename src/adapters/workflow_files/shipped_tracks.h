// The tracks shipped in the source tree (workflows/tracks), for tests and
// benchmarks that run the use cases without a server: read and validated
// once, as the server does at start. Header-only, because the source
// directory is known to the test and benchmark targets (WAARBORG_SOURCE_DIR),
// not to this library.
#pragma once

#include <cstdlib>
#include <iostream>
#include <string>

#include "adapters/workflow_files/track_loader.h"
#include "core/workflow/lmm_track.h"
#include "core/workflow/track_catalogue.h"

namespace waarborg::workflow_files {

inline const workflow::TrackCatalogue& ShippedTracks() {
  static const workflow::TrackCatalogue* const kCatalogue = [] {
    auto tracks = LoadAllTracks(std::string(WAARBORG_SOURCE_DIR) + "/workflows/tracks", workflow::StandardGuards());
    if (!tracks.ok()) {
      std::cerr << "workflows/tracks: " << tracks.status() << "\n";
      std::abort();
    }
    auto* c = new workflow::TrackCatalogue;
    c->tracks = std::move(*tracks);
    return c;
  }();
  return *kCatalogue;
}

// The LMM track from workflows/tracks/lmm.yaml, bound to the case model.
inline const workflow::LmmTrack& ShippedLmmTrack() {
  static const workflow::LmmTrack* const kTrack = [] {
    auto bound = workflow::LmmTrack::Bind(*ShippedTracks().Find("lmm"));
    if (!bound.ok()) {
      std::cerr << "workflows/tracks/lmm.yaml: " << bound.status() << "\n";
      std::abort();
    }
    return new workflow::LmmTrack(std::move(*bound));
  }();
  return *kTrack;
}

}  // namespace waarborg::workflow_files
