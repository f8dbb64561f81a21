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

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "monitor/intern.h"

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
  std::string surname;           // normalised, e.g. "de jong"
  std::string home_geohash;      // coarse, 6 characters (about 1 km)
  std::vector<Interval> roster;  // shifts; empty means "roster unknown"
  std::vector<Interval> leave;
  std::vector<std::string> declared_relations;  // subject ids the user declared
  std::string own_subject;                      // the subject id of this person's own record, if any
};

// A registered person (or vehicle, address) that look-ups return.
struct Subject {
  std::string id;
  std::string surname;  // normalised; empty for non-persons
  std::string geohash;  // 6 characters
  bool vip = false;
  bool shielded = false;
  bool under_investigation = false;
  std::string colleague;             // pseudonym when the subject is a member of staff
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

// A case in an explainer index, with its active interval copied in so that
// explaining a look-up needs no trip to the case row.
struct CaseWindow {
  std::uint32_t id = 0;  // Context::CaseId
  Interval active;
};
// Most (user, subject) and (team, subject) pairs have one case, most
// (user, subject) pairs one or two dispatches: kept in the hash slot itself.
using CaseWindows = absl::InlinedVector<CaseWindow, 1>;
using DispatchTimeList = absl::InlinedVector<std::int64_t, 2>;

// All side tables plus the indexes the explainers need. Call Index() after
// filling the tables and before explaining; rows added later through Add* are
// indexed at once (the generator adds subjects and dispatches day by day).
//
// The indexes work on dense ids (intern.h). The id tables also take the users,
// subjects and terminals that events name but no table holds, so they grow
// while events are explained: they are bookkeeping, not table contents, hence
// mutable behind the const look-ups. Not thread-safe; one engine per Context.
class Context {
 public:
  StringMap<StaffMember> staff;
  StringMap<Subject> subjects;
  StringMap<CaseFile> cases;
  std::vector<Dispatch> dispatches;

  Context() = default;
  // The indexes point into the tables, so a copy would point into the
  // original; moving keeps the nodes and with them the pointers.
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  Context(Context&&) = default;
  Context& operator=(Context&&) = default;

  // Adds or replaces a table row (loaders, the generator and tests).
  void AddStaff(StaffMember s);
  void AddSubject(Subject s);
  void AddCase(CaseFile c);
  void AddDispatch(Dispatch d) { dispatches.push_back(std::move(d)); }

  // Builds the look-up indexes from the tables. Ids already given out stay.
  void Index();
  // Adds a dispatch and indexes it at once (no full Index() needed).
  void AddDispatchIndexed(Dispatch d);

  // The staff member or nullptr.
  const StaffMember* FindStaff(std::string_view pseudonym) const;
  // The subject or nullptr.
  const Subject* FindSubject(std::string_view id) const;
  // The case or nullptr.
  const CaseFile* FindCase(std::string_view id) const;

  // Ids. User, subject and terminal ids are assigned on first sight; case ids
  // only exist for cases in the table (kNoId otherwise).
  std::uint32_t UserId(std::string_view pseudonym) const { return Grow(users_.Intern(pseudonym)); }
  std::uint32_t SubjectId(std::string_view id) const;
  std::uint32_t TerminalId(std::string_view id) const { return terminals_.Intern(id); }
  std::uint32_t CaseId(std::string_view id) const { return cases_.Find(id); }
  const std::string& UserName(std::uint32_t user) const { return users_.Name(user); }
  const std::string& SubjectName(std::uint32_t subject) const { return subjects_.Name(subject); }
  const std::string& TerminalName(std::uint32_t terminal) const { return terminals_.Name(terminal); }
  const std::string& CaseName(std::uint32_t c) const { return cases_.Name(c); }

  // Rows by id (nullptr when the table has none).
  const StaffMember* StaffOf(std::uint32_t user) const { return staff_rows_[user]; }
  const Subject* SubjectOf(std::uint32_t subject) const { return subject_rows_[subject]; }
  const CaseFile* CaseOf(std::uint32_t c) const { return case_rows_[c]; }
  // The team id of the user's staff row, kNoId when unknown or empty.
  std::uint32_t TeamOf(std::uint32_t user) const { return user_team_[user]; }

  // Cases to which `user` is assigned that concern `subject`.
  const CaseWindows* AssignedCasesFor(std::uint32_t user, std::uint32_t subject) const;
  // Dispatch times of `user` to incidents involving `subject`.
  const DispatchTimeList* DispatchTimes(std::uint32_t user, std::uint32_t subject) const;
  // Cases of `team` that concern `subject`.
  const CaseWindows* TeamCasesFor(std::uint32_t team, std::uint32_t subject) const;

  // Starts loading the index entries that explaining `subject` for `user`
  // will read, so that their cache misses overlap with other work.
  void Prefetch(std::uint32_t user, std::uint32_t subject) const {
    assigned_.prefetch(Pair(user, subject));
    dispatch_.prefetch(Pair(user, subject));
    if (user_team_[user] != kNoId) team_.prefetch(Pair(user_team_[user], subject));
  }

  // Heap bytes of the id tables and indexes (for the state-size report).
  std::size_t IndexHeapBytes() const;

 private:
  using PairMap64 = absl::flat_hash_map<std::uint64_t, CaseWindows>;
  static std::uint64_t Pair(std::uint32_t a, std::uint32_t b) { return (std::uint64_t{a} << 32) | b; }
  // Makes the per-user vectors cover `user`; returns it.
  std::uint32_t Grow(std::uint32_t user) const;
  void IndexCase(std::uint32_t case_id, const CaseFile& c);

  mutable Interner users_, subjects_, terminals_;
  Interner cases_, teams_;
  mutable std::vector<const StaffMember*> staff_rows_;
  mutable std::vector<std::uint32_t> user_team_;
  mutable std::vector<const Subject*> subject_rows_;
  std::vector<const CaseFile*> case_rows_;
  PairMap64 assigned_;                                             // user, subject -> case ids
  absl::flat_hash_map<std::uint64_t, DispatchTimeList> dispatch_;  // user, subject -> times
  PairMap64 team_;                                                 // team, subject -> case ids
};

}  // namespace waarborg::monitor
