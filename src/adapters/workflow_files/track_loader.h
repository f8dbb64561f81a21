// Reads track definitions (issue 4 §1) from YAML files with yaml-cpp:
// workflows/tracks/<track>.yaml, and a unit's tightened deadlines in
// workflows/units/<unit>/<track>.yaml. Every error names the file and line:
// "workflows/tracks/lmm.yaml:42: overgang 'advise' gaat naar onbekende status
// 'advies'" (messages in Dutch, since admins read them). The format is
// described in docs/architecture.md ("Tracks as data").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/workflow/track.h"

namespace waarborg::workflow_files {

// Parses one track from YAML text; `path` is only used in messages. Checks
// the structure (known keys, types, required fields), not the rules of
// workflow::ValidateTrack. InvalidArgument with one "path:line: ..." per line.
absl::StatusOr<workflow::TrackDefinition> ParseTrack(std::string_view yaml_text, std::string_view path);

// Reads, parses and validates one track file; the track id must equal the
// file name without ".yaml".
absl::StatusOr<workflow::TrackDefinition> LoadTrackFile(const std::string& path,
                                                        const workflow::GuardRegistry& guards);

// Every *.yaml in `directory` (not recursive), in file-name order, each
// parsed and validated. All errors of all files together in one
// InvalidArgument, one "path:line: ..." per line; also an error when the
// directory holds no track.
absl::StatusOr<std::vector<workflow::TrackDefinition>> LoadAllTracks(const std::string& directory,
                                                                     const workflow::GuardRegistry& guards);

// A unit's override of `base` from YAML text:
//   track: lmm                 # must equal base.id
//   deadlines:
//     - id: acknowledgement    # an existing deadline: only the keys given change
//       amount: 5
//       unit: working_days
//     - id: internal_norm      # a new one: all keys of a track deadline
//       ...
//     - id: some_norm
//       remove: true           # never allowed for a legal deadline
//   norms:
//     - id: preparation_time   # an existing norm: only the keys given change
//       amount: 7              # a legal minimum may only go up
// Returns `base` with the deadlines and norms changed, after ValidateTrack and
// workflow::CheckTightening (a unit may tighten, never loosen a legal term).
absl::StatusOr<workflow::TrackDefinition> ParseUnitOverride(std::string_view yaml_text, std::string_view path,
                                                            const workflow::TrackDefinition& base,
                                                            const workflow::GuardRegistry& guards);
absl::StatusOr<workflow::TrackDefinition> LoadUnitOverride(const std::string& path,
                                                           const workflow::TrackDefinition& base,
                                                           const workflow::GuardRegistry& guards);

struct UnitTrack {
  std::string unit;  // the folder name under workflows/units
  workflow::TrackDefinition track;
};

// Every <unit>/<track>.yaml under `units_directory` (a missing directory is
// no error: no unit has tightened anything), each against the base track of
// the same name in `bases`. All errors together, as LoadAllTracks.
absl::StatusOr<std::vector<UnitTrack>> LoadUnitOverrides(const std::string& units_directory,
                                                         const std::vector<workflow::TrackDefinition>& bases,
                                                         const workflow::GuardRegistry& guards);

}  // namespace waarborg::workflow_files
