#include "monitor/explainers.h"

#include <algorithm>
#include <cstdlib>

namespace waarborg::monitor {

std::string_view ExplanationLabel(Explanation e) {
  switch (e) {
    case Explanation::kNone: return "niet verklaard";
    case Explanation::kAssignedCase: return "toegewezen zaak of melding";
    case Explanation::kDispatch: return "inzet bij melding";
    case Explanation::kTeamHandled: return "eigen team behandelde betrokkene";
    case Explanation::kAuthored: return "zelf opgesteld registratie";
    case Explanation::kStatedCaseRef: return "opgegeven zaaknummer";
    case Explanation::kCount: break;
  }
  return "?";
}

SubjectVerdict Explainers::ExplainSubject(const LookupEvent& e, std::string_view subject) const {
  SubjectVerdict v;
  v.subject = std::string(subject);
  const std::int64_t t = e.time;
  if (const auto* ids = ctx_.AssignedCasesFor(e.user, subject)) {
    for (const auto& id : *ids) {
      const CaseFile* c = ctx_.FindCase(id);
      if (c && t >= c->active.start && t < c->active.end + cfg_.team_recent_s) {
        v.explanation = Explanation::kAssignedCase;
        v.reference = id;
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
  const StaffMember* staff = ctx_.FindStaff(e.user);
  if (staff && !staff->team.empty()) {
    if (const auto* ids = ctx_.TeamCasesFor(staff->team, subject)) {
      for (const auto& id : *ids) {
        const CaseFile* c = ctx_.FindCase(id);
        if (c && t >= c->active.start && t < c->active.end + cfg_.team_recent_s) {
          v.explanation = Explanation::kTeamHandled;
          v.reference = id;
          return v;
        }
      }
    }
  }
  const Subject* s = ctx_.FindSubject(subject);
  if (s && std::find(s->authors.begin(), s->authors.end(), e.user) != s->authors.end()) {
    v.explanation = Explanation::kAuthored;
    return v;
  }
  if (!e.case_ref.empty()) {
    const CaseFile* c = ctx_.FindCase(e.case_ref);
    if (c && c->active.Contains(t) && std::find(c->subjects.begin(), c->subjects.end(), subject) != c->subjects.end()) {
      v.explanation = Explanation::kStatedCaseRef;
      v.reference = c->id;
      return v;
    }
  }
  return v;
}

EventVerdict Explainers::Explain(const LookupEvent& e) {
  EventVerdict verdict;
  Explanation first = Explanation::kNone;
  for (const auto& subject : SubjectsOfInterest(e)) {
    SubjectVerdict v = ExplainSubject(e, subject);
    if (v.explanation == Explanation::kNone) {
      verdict.explained = false;
    } else if (first == Explanation::kNone) {
      first = v.explanation;
    }
    verdict.subjects.push_back(std::move(v));
  }
  ++coverage_.events;
  if (verdict.explained) {
    ++coverage_.explained;
    ++coverage_.by_kind[static_cast<int>(first)];
  }
  return verdict;
}

}  // namespace waarborg::monitor
