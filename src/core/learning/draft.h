// The draft of a learning case, built from a case of a track: what happened
// as the kinds of its steps (the track file's labels, never what was typed),
// the outcome as its choice answers, the place, the period and the duration
// generalised. The author then writes the situation and the lessons.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "core/cases/track_case.h"
#include "core/learning/generalise.h"
#include "core/learning/learning_case.h"
#include "core/workflow/track.h"

namespace waarborg::learning {

// A case may become a learning case once its outcome is known: in a final
// state, or in the last state of the track's main path before the final one
// (the evaluation of a complaint, an investigation's outcome communicated,
// the committee's advice given). FailedPrecondition with a Dutch message
// otherwise.
absl::Status CheckAdvancedEnough(const workflow::TrackDefinition& def, std::string_view state);

// Choice fields left out of the outcome: a rank category in a small group
// points at a person (the author may describe the position in words).
bool IsLeftOutOfOutcome(std::string_view field);

struct Draft {
  std::string track;
  std::string place;
  std::string period;
  std::string duration;
  LearningTexts texts;
};

// `steps` in order; `today` ends the duration of a case that is not closed.
Draft BuildDraft(const TrackCase& c, const std::vector<TrackStep>& steps, const workflow::TrackDefinition& def,
                 const Place& place, const Policy& policy, Date today);

}  // namespace waarborg::learning
