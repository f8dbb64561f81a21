// A case on one of the tracks defined as data (issue 4): unwanted behaviour,
// the complaints committee, VIK triage, investigations. Its state is a state
// id of its track (workflows/tracks/<track>.yaml); what was recorded at each
// step is kept as named fields, with the steps themselves as its history.
// The LMM keeps its own richer model (core/cases/lmm_case.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/common/date.h"
#include "core/org/org.h"

namespace waarborg {

// Someone who works on, or is a party to, a case: `role` is a track role
// (RoleName, e.g. "investigator", "counsellor") or a party ("subject" for the
// betrokkene, "complainant", "accused").
struct TrackMember {
  Id person_id = 0;
  std::string role;
};

inline constexpr const char* kSubjectParty = "subject";
inline constexpr const char* kComplainantParty = "complainant";
inline constexpr const char* kAccusedParty = "accused";

struct TrackCase {
  Id id = 0;
  std::string track;      // definition id
  std::string reference;  // e.g. "VIK-2026-0003"
  std::string state;      // state id of the track
  Id unit_id = 0;
  Date received_on{};
  Instant created_at = 0;
  Instant updated_at = 0;
  Id created_by = 0;
  std::int64_t version = 1;
  std::string summary;                        // encrypted at rest
  std::map<std::string, std::string> fields;  // latest value per field; encrypted at rest
  std::vector<TrackMember> members;

  bool HasMember(Id person, std::string_view role) const {
    for (const auto& m : members)
      if (m.person_id == person && m.role == role) return true;
    return false;
  }
  bool IsMember(Id person) const {
    for (const auto& m : members)
      if (m.person_id == person) return true;
    return false;
  }
};

// One step taken on a case: the transition's action, where it led, who took
// it and what it recorded.
struct TrackStep {
  Id id = 0;
  Id case_id = 0;
  std::string action;
  std::string from_state;
  std::string to_state;
  Instant at = 0;
  Id by_person = 0;
  std::map<std::string, std::string> fields;  // encrypted at rest
};

struct TrackCaseQuery {
  // Scope: the union of the cases of these tracks and those `member` works on.
  std::vector<std::string> all_of_tracks;
  std::optional<Id> member;
  std::optional<std::string> track;  // filter
  bool open_only = false;            // terminal states are the caller's to give
  std::vector<std::string> terminal_states;
  int limit = 200;
};

struct TrackCaseSummary {
  Id id = 0;
  std::string track;
  std::string reference;
  std::string state;
  Id unit_id = 0;
  Date received_on{};
  std::string summary;
};

}  // namespace waarborg
