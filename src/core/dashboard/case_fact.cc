#include "core/dashboard/case_fact.h"

#include <algorithm>
#include <charconv>

#include "absl/strings/str_split.h"
#include "core/common/strings.h"
#include "core/ports/store.h"

namespace waarborg::dashboard {

namespace {

int DaysBetween(Date from, Date to) {
  return static_cast<int>((std::chrono::sys_days(to) - std::chrono::sys_days(from)).count());
}

// Adds the stretch in `state` from `since` to `until` to the fact.
void Leave(CaseFact& f, const std::string& state, Date since, Date until) {
  const int days = std::max(0, DaysBetween(since, until));
  f.days_in_state.emplace_back(state, days);
}

int ToInt(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() ? v : 0;
}

}  // namespace

std::string_view CaseKindName(CaseKind k) { return k == CaseKind::kLmm ? "lmm" : "track"; }

std::optional<CaseKind> ParseCaseKind(std::string_view s) {
  if (s == "lmm") return CaseKind::kLmm;
  if (s == "track") return CaseKind::kTrack;
  return std::nullopt;
}

CaseFact FactOfTrackCase(const TrackCase& c, const std::vector<TrackStep>& steps,
                         const workflow::TrackDefinition& def, std::optional<Date> next_due, Instant now) {
  CaseFact f;
  f.kind = CaseKind::kTrack;
  f.case_id = c.id;
  f.track = c.track;
  f.state = c.state;
  f.unit_id = c.unit_id;
  f.received_on = c.received_on;
  f.updated_at = now;
  const auto* st = def.FindState(c.state);
  f.open = !(st && st->terminal);
  // Walk the history: each state-changing step closes a stretch.
  std::string state = def.InitialState() ? def.InitialState()->id : c.state;
  Date since = c.received_on;
  for (const auto& s : steps) {
    if (s.action == "register_delay") {
      const auto kind = s.fields.find("delay_reason");
      const auto days = s.fields.find("days");
      if (kind != s.fields.end() && days != s.fields.end()) f.delay_days[kind->second] += std::max(0, ToInt(days->second));
    }
    if (s.to_state == s.from_state) continue;
    const Date on = DateInAmsterdam(s.at);
    Leave(f, state, since, on);
    state = s.to_state;
    since = on;
    const auto* to = def.FindState(state);
    if (to && to->terminal && !f.closed_on) f.closed_on = on;
  }
  f.state_since = since;
  if (!f.open && !f.closed_on) f.closed_on = since;
  if (f.open) f.closed_on.reset();
  f.next_due = f.open ? next_due : std::nullopt;
  for (const auto& fd : def.fields) {
    if (fd.type != workflow::FieldType::kChoice && fd.type != workflow::FieldType::kYesNo) continue;
    auto it = c.fields.find(fd.id);
    if (it != c.fields.end() && !it->second.empty()) f.answers[fd.id] = it->second;
  }
  return f;
}

CaseFact FactOfLmmCase(const LmmCase& c, const std::vector<CaseEvent>& events, std::optional<Date> next_due,
                       Instant now) {
  CaseFact f;
  f.kind = CaseKind::kLmm;
  f.case_id = c.id;
  f.track = "lmm";
  f.state = std::string(LmmStateName(c.state));
  f.unit_id = c.unit_id;
  f.received_on = c.received_on;
  f.updated_at = now;
  f.open = !IsTerminal(c.state);
  std::string state(LmmStateName(LmmState::kRegistered));
  Date since = c.received_on;
  for (const auto& e : events) {
    std::optional<LmmState> to;
    if (e.kind == "staff") to = LmmState::kStaffed;
    else if (e.kind == "definition_test") to = c.state == LmmState::kReferred ? LmmState::kReferred : LmmState::kWeighing;
    else if (e.kind == "advise") to = LmmState::kAdvised;
    else if (e.kind == "decide") to = c.decision && c.decision->investigate ? LmmState::kInvestigation : LmmState::kClosed;
    else if (e.kind == "close") to = LmmState::kClosed;
    if (!to || LmmStateName(*to) == state) continue;
    const Date on = DateInAmsterdam(e.at);
    Leave(f, state, since, on);
    state = std::string(LmmStateName(*to));
    since = on;
    if (IsTerminal(*to) && !f.closed_on) f.closed_on = on;
  }
  f.state_since = since;
  if (!f.open && !f.closed_on) f.closed_on = since;
  if (f.open) f.closed_on.reset();
  f.next_due = f.open ? next_due : std::nullopt;
  f.answers["reporter_category"] = c.reporter_category;
  f.answers["channel"] = c.channel;
  // The statutory terms (DOMAIN §8): sent on or before its due date, after
  // it, or not (yet). Derived from the dates alone, so the answer does not
  // go stale when a due date passes without a change to the case.
  auto term = [](const std::optional<Date>& done, Date due) -> std::string {
    if (!done) return "not_sent";
    return std::chrono::sys_days(*done) <= std::chrono::sys_days(due) ? "in_time" : "late";
  };
  f.answers["acknowledgement"] = term(c.acknowledged_on, c.acknowledgement_due);
  f.answers["feedback"] = term(c.feedback_given_on, c.feedback_due);
  // The kind of wrongdoing, once the definition test found one: the harm,
  // or "multiple" when more than one was named.
  if (c.definition_test && PassesDefinitionTest(*c.definition_test) && !c.definition_test->harms.empty())
    f.answers["misconduct"] =
        c.definition_test->harms.size() == 1 ? *c.definition_test->harms.begin() : std::string("multiple");
  // Where it ended or stands: referred (no wrongdoing), the authority's
  // decision, and whether that followed the advice.
  if (c.state == LmmState::kReferred) {
    f.answers["outcome"] = "referred";
    if (c.definition_test && !c.definition_test->referral.empty()) f.answers["referral"] = c.definition_test->referral;
  } else if (c.decision) {
    f.answers["outcome"] = c.decision->investigate ? "investigation" : "no_investigation";
    f.answers["advice_followed"] = c.decision->adopts_advice ? "yes" : "no";
  }
  return f;
}

std::string EncodeDaysInState(const std::vector<std::pair<std::string, int>>& d) {
  std::string out;
  for (const auto& [state, days] : d) out += Cat(out.empty() ? "" : ";", state, "=", days);
  return out;
}

std::vector<std::pair<std::string, int>> DecodeDaysInState(std::string_view s) {
  std::vector<std::pair<std::string, int>> out;
  if (s.empty()) return out;
  for (absl::string_view part : absl::StrSplit(ToAbsl(s), ';')) {
    auto eq = part.find('=');
    if (eq == absl::string_view::npos) continue;
    out.emplace_back(std::string(part.substr(0, eq)), ToInt(FromAbsl(part.substr(eq + 1))));
  }
  return out;
}

std::string EncodePairs(const std::map<std::string, std::string>& m) {
  std::string out;
  for (const auto& [k, v] : m) out += Cat(out.empty() ? "" : ";", k, "=", v);
  return out;
}

std::map<std::string, std::string> DecodePairs(std::string_view s) {
  std::map<std::string, std::string> out;
  if (s.empty()) return out;
  for (absl::string_view part : absl::StrSplit(ToAbsl(s), ';')) {
    auto eq = part.find('=');
    if (eq == absl::string_view::npos) continue;
    out.emplace(std::string(part.substr(0, eq)), std::string(part.substr(eq + 1)));
  }
  return out;
}

}  // namespace waarborg::dashboard
