#include "monitor/context.h"

namespace waarborg::monitor {

std::string_view Context::Key(std::string_view a, std::string_view b) {
  thread_local std::string k;
  k.clear();
  k.append(a);
  k.push_back('|');
  k.append(b);
  return k;
}

void Context::Index() {
  assigned_.clear();
  dispatch_.clear();
  team_.clear();
  for (const auto& [id, c] : cases) {
    for (const auto& subject : c.subjects) {
      for (const auto& user : c.assigned) assigned_[std::string(Key(user, subject))].push_back(id);
      if (!c.team.empty()) team_[std::string(Key(c.team, subject))].push_back(id);
    }
  }
  for (const auto& d : dispatches) dispatch_[std::string(Key(d.user, d.subject))].push_back(d.time);
}

void Context::AddDispatchIndexed(Dispatch d) {
  dispatch_[std::string(Key(d.user, d.subject))].push_back(d.time);
  dispatches.push_back(std::move(d));
}

const StaffMember* Context::FindStaff(std::string_view pseudonym) const {
  auto it = staff.find(pseudonym);
  return it == staff.end() ? nullptr : &it->second;
}
const Subject* Context::FindSubject(std::string_view id) const {
  auto it = subjects.find(id);
  return it == subjects.end() ? nullptr : &it->second;
}
const CaseFile* Context::FindCase(std::string_view id) const {
  auto it = cases.find(id);
  return it == cases.end() ? nullptr : &it->second;
}

const std::vector<std::string>* Context::AssignedCasesFor(std::string_view user, std::string_view subject) const {
  auto it = assigned_.find(Key(user, subject));
  return it == assigned_.end() ? nullptr : &it->second;
}
const std::vector<std::int64_t>* Context::DispatchTimes(std::string_view user, std::string_view subject) const {
  auto it = dispatch_.find(Key(user, subject));
  return it == dispatch_.end() ? nullptr : &it->second;
}
const std::vector<std::string>* Context::TeamCasesFor(std::string_view team, std::string_view subject) const {
  auto it = team_.find(Key(team, subject));
  return it == team_.end() ? nullptr : &it->second;
}

}  // namespace waarborg::monitor
