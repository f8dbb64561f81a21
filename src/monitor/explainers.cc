#include "monitor/explainers.h"

#include <algorithm>
#include <cstdlib>

namespace waarborg::monitor {

std::string_view ExplanationLabel(Explanation e) {
  switch (e) {
    case Explanation::kNone:
      return "niet verklaard";
    case Explanation::kAssignedCase:
      return "toegewezen zaak of melding";
    case Explanation::kDispatch:
      return "inzet bij melding";
    case Explanation::kTeamHandled:
      return "eigen team behandelde betrokkene";
    case Explanation::kAuthored:
      return "zelf opgesteld registratie";
    case Explanation::kStatedCaseRef:
      return "opgegeven zaaknummer";
    case Explanation::kCount:
      break;
  }
  return "?";
}

SubjectVerdict Explainers::ExplainSubject(const Event& e, std::uint32_t subject) const {
  SubjectVerdict v;
  v.subject = subject;
  const std::int64_t t = e.time;
  auto recent = [&](const CaseWindow& c) { return t >= c.active.start && t < c.active.end + cfg_.team_recent_s; };
  if (const auto* cases = ctx_.AssignedCasesFor(e.user, subject)) {
    for (const CaseWindow& c : *cases) {
      if (recent(c)) {
        v.explanation = Explanation::kAssignedCase;
        v.reference = c.id;
        return v;
      }
    }
  }
  if (const auto* times = ctx_.DispatchTimes(e.user, subject)) {
    for (std::int64_t d : *times) {
      if (std::abs(t - d) <= cfg_.dispatch_window_s) {
        v.explanation = Explanation::kDispatch;
        return v;
      }
    }
  }
  if (const auto* cases = ctx_.TeamCasesFor(ctx_.TeamOf(e.user), subject)) {
    for (const CaseWindow& c : *cases) {
      if (recent(c)) {
        v.explanation = Explanation::kTeamHandled;
        v.reference = c.id;
        return v;
      }
    }
  }
  const Subject* s = ctx_.SubjectOf(subject);
  if (s && std::find(s->authors.begin(), s->authors.end(), ctx_.UserName(e.user)) != s->authors.end()) {
    v.explanation = Explanation::kAuthored;
    return v;
  }
  if (e.case_ref != kNoId) {
    const CaseFile* c = ctx_.CaseOf(e.case_ref);
    const std::string& name = ctx_.SubjectName(subject);
    if (c && c->active.Contains(t) && std::find(c->subjects.begin(), c->subjects.end(), name) != c->subjects.end()) {
      v.explanation = Explanation::kStatedCaseRef;
      v.reference = e.case_ref;
      return v;
    }
  }
  return v;
}

void Explainers::Explain(const Event& e, EventVerdict& out) {
  out.explained = true;
  out.subjects.clear();
  Explanation first = Explanation::kNone;
  for (std::uint32_t subject : e.subjects) {
    const SubjectVerdict v = ExplainSubject(e, subject);
    if (v.explanation == Explanation::kNone) {
      out.explained = false;
    } else if (first == Explanation::kNone) {
      first = v.explanation;
    }
    out.subjects.push_back(v);
  }
  ++coverage_.events;
  if (out.explained) {
    ++coverage_.explained;
    ++coverage_.by_kind[static_cast<int>(first)];
  }
}

}  // namespace waarborg::monitor
