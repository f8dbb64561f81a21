// What the dashboards and reports count of one case (issue 5): a fact row
// with nothing that names or describes anyone — the track and state, the
// unit, dates, the time spent in each state, the nearest open deadline, the
// case's categorical answers (choice fields of its track file, such as the
// category of unwanted behaviour, the penalty and the rank category) and
// the registered delays by kind. No free text, no person, no reference.
//
// Facts are derived from a case and its history by the pure functions below
// and written by the use cases in the same transaction as the change, so
// the figures never disagree with the cases (app/case_facts).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/cases/lmm_case.h"
#include "core/cases/track_case.h"
#include "core/common/date.h"
#include "core/workflow/track.h"

namespace waarborg {

struct CaseEvent;

namespace dashboard {

enum class CaseKind : std::uint8_t { kLmm, kTrack };
std::string_view CaseKindName(CaseKind k);  // "lmm", "track"
std::optional<CaseKind> ParseCaseKind(std::string_view s);

struct CaseFact {
  CaseKind kind = CaseKind::kTrack;
  Id case_id = 0;
  std::string track;  // "lmm", "unwanted_behaviour", ...
  std::string state;
  bool open = true;
  Id unit_id = 0;
  Date received_on{};
  std::optional<Date> closed_on;  // the day it reached a final state
  Date state_since{};             // the day it entered its current state
  // Calendar days spent in each state it has left (a state entered twice
  // counts twice), in the order first left.
  std::vector<std::pair<std::string, int>> days_in_state;
  std::optional<Date> next_due;  // nearest open deadline
  // Choice fields of the track file, as option keys (never free text).
  std::map<std::string, std::string> answers;
  // Registered delays (vertragers): days per kind of delay.
  std::map<std::string, int> delay_days;
  Instant updated_at = 0;
};

// The fact of a track case from its history (steps in order). Answers are
// the track's choice fields; delays are the steps named `register_delay`
// with their `delay_reason` and `days`.
CaseFact FactOfTrackCase(const TrackCase& c, const std::vector<TrackStep>& steps,
                         const workflow::TrackDefinition& def, std::optional<Date> next_due, Instant now);

// The fact of an LMM report. Its states follow from the dated steps it
// records (staffing, definition test, advice, decision, closing), read from
// its timeline entries' kinds. Its answers, for the annual report (issue 5
// §4): reporter_category, channel; acknowledgement and feedback =
// in_time | late | not_sent (sent on or before the statutory due date,
// after it, or not yet); misconduct = the harm the definition test found,
// or "multiple"; outcome = referred | no_investigation | investigation (with
// referral, and advice_followed = yes | no after a decision).
CaseFact FactOfLmmCase(const LmmCase& c, const std::vector<CaseEvent>& events, std::optional<Date> next_due,
                       Instant now);

// "state=days;state=days" and back, for storage.
std::string EncodeDaysInState(const std::vector<std::pair<std::string, int>>& d);
std::vector<std::pair<std::string, int>> DecodeDaysInState(std::string_view s);
// "key=value;..." for answers and delays.
std::string EncodePairs(const std::map<std::string, std::string>& m);
std::map<std::string, std::string> DecodePairs(std::string_view s);

}  // namespace dashboard
}  // namespace waarborg
