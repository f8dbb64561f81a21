// Generalisation for learning cases: a place no smaller than a unit with
// enough staff, a period no finer than a quarter, a duration in weeks or
// months. Pure functions over the organisation tree.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/common/date.h"
#include "core/org/org.h"

namespace waarborg::learning {

enum class PeriodGranularity { kQuarter, kSeason, kYear };

struct Policy {
  // A unit with fewer staff than this (everyone in it and below it) is not
  // named: the place becomes the unit above it, or "een eenheid".
  int min_staff = 50;
  // The finest level ever named, whatever its size: teams are never named.
  UnitKind finest = UnitKind::kDistrict;
  PeriodGranularity period = PeriodGranularity::kQuarter;
};

// What generalisation needs to know of the organisation.
struct OrgView {
  std::vector<OrgUnit> units;
  // People whose own unit (Person::team_id) is this unit.
  std::map<Id, std::int64_t> staff_in_unit;
};

// Everyone in `unit` and every unit below it.
std::int64_t StaffOf(const OrgView& org, Id unit);

// The place a learning case may name for a case of `unit`.
struct Place {
  std::string label;        // the named unit's name, or "een eenheid"
  std::optional<Id> named;  // the named unit; none for "een eenheid"
  // Units whose names may not appear in the texts: the case's own chain
  // below the named level, and every unit below the named one (the case's
  // eenheid and everything in it when none is named).
  std::vector<Id> hidden;
};

inline constexpr const char* kUnnamedUnit = "een eenheid";

// Walks up from `unit` to the first unit at `policy.finest` or coarser, up to
// an eenheid, with at least `policy.min_staff` staff; "een eenheid" when there
// is none (the korps is never named: it says no more), or the unit is unknown.
Place GeneralisePlace(const OrgView& org, Id unit, const Policy& policy);

// "2e kwartaal 2025", "voorjaar 2025" / "winter 2024-2025", "2025".
std::string PeriodLabel(Date d, PeriodGranularity g);
// The period from `from` to `until`: one label when both fall in the same
// period, else "van 2e kwartaal 2025 tot 1e kwartaal 2026".
std::string PeriodRangeLabel(Date from, std::optional<Date> until, PeriodGranularity g);

// "minder dan een week", "ongeveer 3 weken" (under 8 weeks), "ongeveer 5
// maanden" (under 2 years), "ongeveer 2 jaar".
std::string DurationLabel(int days);

}  // namespace waarborg::learning
