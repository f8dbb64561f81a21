#include "core/learning/draft.h"

#include <algorithm>

#include "core/common/strings.h"

namespace waarborg::learning {

namespace {

int DaysBetween(Date from, Date to) {
  return static_cast<int>((std::chrono::sys_days(to) - std::chrono::sys_days(from)).count());
}

bool IsTerminal(const workflow::TrackDefinition& def, std::string_view state) {
  const auto* s = def.FindState(state);
  return s && s->terminal;
}

// What a step was, by its kind: the track file's label, or what an
// extension, a suspension or a held review moment is.
std::string KindOf(const workflow::TrackDefinition& def, const TrackStep& s) {
  if (s.action == workflow::kDeadlineExtendedAction) return "Termijn verlengd";
  if (s.action == workflow::kDeadlineSuspendedAction) return "Termijn opgeschort";
  if (s.action == workflow::kReviewHeldAction) return "Evaluatiemoment gehouden";
  for (const auto& t : def.transitions)
    if (t.action == s.action) return t.DisplayLabel();
  return "Stap";
}

}  // namespace

absl::Status CheckAdvancedEnough(const workflow::TrackDefinition& def, std::string_view state) {
  if (IsTerminal(def, state)) return absl::OkStatus();
  const auto path = workflow::MainPath(def);
  // The last state on the main path that is not final.
  std::string last;
  for (const auto& s : path)
    if (!IsTerminal(def, s)) last = s;
  if (!last.empty() && last == state) return absl::OkStatus();
  std::string label = last;
  if (const auto* st = def.FindState(last)) label = st->label;
  return absl::FailedPreconditionError(
      Cat("Van deze zaak kan nog geen leercasus worden gemaakt: de afloop is nog niet bekend. Dat kan zodra de zaak "
          "is afgesloten",
          label.empty() ? "" : Cat(" of in de stap '", label, "' is"), "."));
}

bool IsLeftOutOfOutcome(std::string_view field) { return field == "rank_category"; }

Draft BuildDraft(const TrackCase& c, const std::vector<TrackStep>& steps, const workflow::TrackDefinition& def,
                 const Place& place, const Policy& policy, Date today) {
  Draft d;
  d.track = def.id;
  d.place = place.label;
  // The case's end: the day it reached a final state, else its last change
  // of state (an advanced case), else today.
  std::optional<Date> closed, last_change;
  for (const auto& s : steps) {
    if (s.to_state == s.from_state) continue;
    const Date on = DateInAmsterdam(s.at);
    last_change = on;
    if (IsTerminal(def, s.to_state) && !closed) closed = on;
  }
  const Date end = closed.value_or(last_change.value_or(today));
  d.period = PeriodRangeLabel(c.received_on, end, policy.period);
  d.duration = DurationLabel(std::max(0, DaysBetween(c.received_on, end)));

  d.texts.title = Cat(def.name, ", ", d.period);

  // What happened: the kinds of the steps, each with the time since the
  // matter came in, rounded.
  std::string happened;
  int n = 0;
  for (const auto& s : steps) {
    const int days = std::max(0, DaysBetween(c.received_on, DateInAmsterdam(s.at)));
    happened += Cat(++n, ". ", KindOf(def, s), " (na ", DurationLabel(days), ")\n");
  }
  if (happened.empty()) happened = "Er zijn nog geen stappen gezet.\n";
  d.texts.what_happened = Cat("Soort zaak: ", def.name, ".\n", happened);
  while (!d.texts.what_happened.empty() && d.texts.what_happened.back() == '\n') d.texts.what_happened.pop_back();

  // The outcome: where the case ended and its choice answers, by their
  // labels in the track file; never a text field.
  std::string outcome;
  if (const auto* st = def.FindState(c.state)) outcome += Cat("Afloop: ", st->label, ".\n");
  for (const auto& f : def.fields) {
    if (f.type != workflow::FieldType::kChoice && f.type != workflow::FieldType::kYesNo) continue;
    if (IsLeftOutOfOutcome(f.id)) continue;
    auto it = c.fields.find(f.id);
    if (it == c.fields.end() || it->second.empty()) continue;
    std::string value = it->second;
    if (f.type == workflow::FieldType::kYesNo) {
      value = value == "ja" ? "ja" : value == "nee" ? "nee" : "";
    } else {
      std::string label;
      for (const auto& o : f.options)
        if (o.key == value) label = o.label;
      value = label;  // an unknown key is not shown
    }
    if (value.empty()) continue;
    outcome += Cat(f.label, ": ", value, ".\n");
  }
  outcome += Cat("Doorlooptijd: ", d.duration, ".");
  d.texts.outcome = outcome;
  return d;
}

}  // namespace waarborg::learning
