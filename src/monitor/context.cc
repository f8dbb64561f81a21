#include "monitor/context.h"

#include <algorithm>

namespace waarborg::monitor {

std::uint32_t Context::Grow(std::uint32_t user) const {
  if (user >= staff_rows_.size()) {
    staff_rows_.resize(user + 1, nullptr);
    user_team_.resize(user + 1, kNoId);
  }
  return user;
}

std::uint32_t Context::SubjectId(std::string_view id) const {
  const std::uint32_t s = subjects_.Intern(id);
  if (s >= subject_rows_.size()) subject_rows_.resize(s + 1, nullptr);
  return s;
}

void Context::AddStaff(StaffMember s) {
  const std::uint32_t user = UserId(s.pseudonym);
  StaffMember& row = staff[s.pseudonym] = std::move(s);
  staff_rows_[user] = &row;
  user_team_[user] = row.team.empty() ? kNoId : teams_.Intern(row.team);
}

void Context::AddSubject(Subject s) {
  const std::uint32_t id = SubjectId(s.id);
  subject_rows_[id] = &(subjects[s.id] = std::move(s));
}

void Context::AddCase(CaseFile c) {
  const std::uint32_t id = cases_.Intern(c.id);
  if (id >= case_rows_.size()) case_rows_.resize(id + 1, nullptr);
  case_rows_[id] = &(cases[c.id] = std::move(c));
}

void Context::IndexCase(std::uint32_t case_id, const CaseFile& c) {
  for (const auto& subject : c.subjects) {
    const std::uint32_t s = SubjectId(subject);
    for (const auto& user : c.assigned) assigned_[Pair(UserId(user), s)].push_back({case_id, c.active});
    if (!c.team.empty()) team_[Pair(teams_.Intern(c.team), s)].push_back({case_id, c.active});
  }
}

void Context::Index() {
  assigned_.clear();
  dispatch_.clear();
  team_.clear();
  // Rows may have been replaced or inserted through the public maps.
  for (auto& row : staff_rows_) row = nullptr;
  for (auto& row : subject_rows_) row = nullptr;
  for (const auto& [pseudonym, s] : staff) {
    const std::uint32_t user = UserId(pseudonym);
    staff_rows_[user] = &s;
    user_team_[user] = s.team.empty() ? kNoId : teams_.Intern(s.team);
  }
  for (const auto& [id, s] : subjects) subject_rows_[SubjectId(id)] = &s;
  // Case ids in table order would depend on hash order; intern them sorted so
  // that the index lists cases in the same order on every run.
  std::vector<const CaseFile*> sorted;
  for (const auto& [id, c] : cases) sorted.push_back(&c);
  std::sort(sorted.begin(), sorted.end(), [](const CaseFile* a, const CaseFile* b) { return a->id < b->id; });
  for (const CaseFile* c : sorted) {
    const std::uint32_t id = cases_.Intern(c->id);
    if (id >= case_rows_.size()) case_rows_.resize(id + 1, nullptr);
    case_rows_[id] = c;
  }
  for (const auto& [id, c] : cases) IndexCase(cases_.Find(id), c);
  for (const auto& d : dispatches) dispatch_[Pair(UserId(d.user), SubjectId(d.subject))].push_back(d.time);
}

void Context::AddDispatchIndexed(Dispatch d) {
  dispatch_[Pair(UserId(d.user), SubjectId(d.subject))].push_back(d.time);
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

const CaseWindows* Context::AssignedCasesFor(std::uint32_t user, std::uint32_t subject) const {
  auto it = assigned_.find(Pair(user, subject));
  return it == assigned_.end() ? nullptr : &it->second;
}
const DispatchTimeList* Context::DispatchTimes(std::uint32_t user, std::uint32_t subject) const {
  auto it = dispatch_.find(Pair(user, subject));
  return it == dispatch_.end() ? nullptr : &it->second;
}
const CaseWindows* Context::TeamCasesFor(std::uint32_t team, std::uint32_t subject) const {
  if (team == kNoId) return nullptr;
  auto it = team_.find(Pair(team, subject));
  return it == team_.end() ? nullptr : &it->second;
}

std::size_t Context::IndexHeapBytes() const {
  std::size_t bytes =
      users_.HeapBytes() + subjects_.HeapBytes() + terminals_.HeapBytes() + cases_.HeapBytes() + teams_.HeapBytes();
  bytes += staff_rows_.capacity() * sizeof(void*) + user_team_.capacity() * 4 +
           subject_rows_.capacity() * sizeof(void*) + case_rows_.capacity() * sizeof(void*);
  // Slots, plus what spilled out of the inline storage.
  for (const PairMap64* m : {&assigned_, &team_}) {
    bytes += m->capacity() * (8 + sizeof(CaseWindows) + 1);
    for (const auto& [k, v] : *m) bytes += v.size() > 1 ? v.capacity() * sizeof(CaseWindow) : 0;
  }
  bytes += dispatch_.capacity() * (8 + sizeof(DispatchTimeList) + 1);
  for (const auto& [k, v] : dispatch_) bytes += v.size() > 2 ? v.capacity() * 8 : 0;
  return bytes;
}

}  // namespace waarborg::monitor
