// Side tables the engine explains look-ups with: staff, case and incident
// assignments, dispatches and subjects. Plain structs in hash maps, filled by
// loaders (later) or by the synthetic generator. Every user key is a pseudonym.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace waarborg::monitor {

// Hash for string-keyed maps that can be searched with a std::string_view
// without building a std::string.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
// A string-keyed hash map searchable by std::string_view.
template <typename T>
using StringMap = std::unordered_map<std::string, T, StringHash, std::equal_to<>>;

// A half-open time interval [start, end) in epoch seconds.
struct Interval {
  std::int64_t start = 0;
  std::int64_t end = 0;
  // True when `t` lies in the interval.
  bool Contains(std::int64_t t) const { return t >= start && t < end; }
};

// A member of staff, keyed by pseudonym.
struct StaffMember {
  std::string pseudonym;
  std::string unit;
  std::string team;
  std::string role;
  std::string surname;       // normalised, e.g. "de jong"
  std::string home_geohash;  // coarse, 6 characters (about 1 km)
  std::vector<Interval> roster;  // shifts; empty means "roster unknown"
  std::vector<Interval> leave;
  std::vector<std::string> declared_relations;  // subject ids the user declared
  std::string own_subject;  // the subject id of this person's own record, if any
};

// A registered person (or vehicle, address) that look-ups return.
struct Subject {
  std::string id;
  std::string surname;   // normalised; empty for non-persons
  std::string geohash;   // 6 characters
  bool vip = false;
  bool shielded = false;
  bool under_investigation = false;
  std::string colleague;  // pseudonym when the subject is a member of staff
  std::vector<std::string> authors;  // pseudonyms of users who wrote the record
};

// A case or incident: its team, who is assigned and which subjects it concerns.
struct CaseFile {
  std::string id;
  std::string team;
  Interval active;
  std::vector<std::string> assigned;  // pseudonyms
  std::vector<std::string> subjects;
};

// A dispatch of a user to an incident involving a subject.
struct Dispatch {
  std::string user;
  std::string subject;
  std::int64_t time = 0;
};

// All side tables plus the indexes the explainers need. Call Index() after
// filling or changing the tables and before explaining.
class Context {
 public:
  StringMap<StaffMember> staff;
  StringMap<Subject> subjects;
  StringMap<CaseFile> cases;
  std::vector<Dispatch> dispatches;

  // Adds or replaces a table row (convenience for loaders and tests).
  void AddStaff(StaffMember s) { staff[s.pseudonym] = std::move(s); }
  void AddSubject(Subject s) { subjects[s.id] = std::move(s); }
  void AddCase(CaseFile c) { cases[c.id] = std::move(c); }
  void AddDispatch(Dispatch d) { dispatches.push_back(std::move(d)); }

  // Builds the look-up indexes from the tables.
  void Index();
  // Adds a dispatch and indexes it at once (no full Index() needed).
  void AddDispatchIndexed(Dispatch d);

  // The staff member or nullptr.
  const StaffMember* FindStaff(std::string_view pseudonym) const;
  // The subject or nullptr.
  const Subject* FindSubject(std::string_view id) const;
  // The case or nullptr.
  const CaseFile* FindCase(std::string_view id) const;

  // Cases (ids) to which `user` is assigned that concern `subject`.
  const std::vector<std::string>* AssignedCasesFor(std::string_view user, std::string_view subject) const;
  // Dispatch times of `user` to incidents involving `subject`.
  const std::vector<std::int64_t>* DispatchTimes(std::string_view user, std::string_view subject) const;
  // Cases (ids) of `team` that concern `subject`.
  const std::vector<std::string>* TeamCasesFor(std::string_view team, std::string_view subject) const;

 private:
  // "a|b" in a per-thread buffer, valid until the next call on this thread.
  static std::string_view Key(std::string_view a, std::string_view b);
  StringMap<std::vector<std::string>> assigned_;  // user|subject -> case ids
  StringMap<std::vector<std::int64_t>> dispatch_;  // user|subject -> times
  StringMap<std::vector<std::string>> team_;      // team|subject -> case ids
};

}  // namespace waarborg::monitor
