// Explainers: a look-up that a work relation explains is not looked at any
// further. Only the unexplained remainder goes through the rules (rules.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "monitor/context.h"
#include "monitor/event.h"
#include "monitor/ingest.h"

namespace waarborg::monitor {

// Which work relation explained a look-up of a subject.
enum class Explanation : std::uint8_t {
  kNone,
  kAssignedCase,   // the user is assigned to a case or incident of the subject
  kDispatch,       // the user was dispatched to the subject within the window
  kTeamHandled,    // the user's team handled the subject recently
  kAuthored,       // the user wrote the subject's record
  kStatedCaseRef,  // the stated case reference exists, is active and holds the subject
  kCount,
};

// A short Dutch label of `e`, e.g. "toegewezen zaak".
std::string_view ExplanationLabel(Explanation e);

struct ExplainerConfig {
  std::int64_t dispatch_window_s = 12 * 3600;  // either side of the dispatch
  std::int64_t team_recent_s = 30 * 86400;     // after a team case ended
};

// The verdict on one subject of one look-up.
struct SubjectVerdict {
  std::uint32_t subject = kNoId;  // Context::SubjectId
  Explanation explanation = Explanation::kNone;
  std::uint32_t reference = kNoId;  // Context::CaseId of the case, where there is one
};

// The verdict on one look-up: explained when every subject of interest is.
struct EventVerdict {
  bool explained = true;
  std::vector<SubjectVerdict> subjects;
};

// Running share of explained look-ups, overall and per explainer.
struct Coverage {
  std::int64_t events = 0;
  std::int64_t explained = 0;
  std::int64_t by_kind[static_cast<int>(Explanation::kCount)] = {};
  // explained / events, or 1 when there were no events.
  double Share() const { return events == 0 ? 1.0 : static_cast<double>(explained) / events; }
};

// Applies the explainers in order (assigned case, dispatch, team, author,
// stated case reference) to each subject of interest. Holds no state of its
// own besides the coverage counters; `context` must outlive it and be indexed.
class Explainers {
 public:
  explicit Explainers(const Context& context, ExplainerConfig config = {}) : ctx_(context), cfg_(config) {}

  // The explanation of `subject` in look-up `e`, first matching explainer.
  SubjectVerdict ExplainSubject(const Event& e, std::uint32_t subject) const;

  // Explains the whole look-up into `out` (reusing its capacity) and updates
  // the coverage counters. A look-up without subjects counts as explained
  // (there is nothing to relate).
  void Explain(const Event& e, EventVerdict& out);
  // The same, returning the verdict (tests).
  EventVerdict Explain(const Event& e) {
    EventVerdict v;
    Explain(e, v);
    return v;
  }

  // Counters of all look-ups passed to Explain.
  const Coverage& coverage() const { return coverage_; }

 private:
  const Context& ctx_;
  ExplainerConfig cfg_;
  Coverage coverage_;
};

}  // namespace waarborg::monitor
