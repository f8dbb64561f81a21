// Walking up the organisation by units' parents; cycles and gaps in bad data
// end the walk. Implemented in org.cc.
#pragma once

#include <map>
#include <optional>

#include "core/org/org.h"

namespace waarborg {

// Whether `unit` is `root` or lies below it.
bool UnitWithin(const std::map<Id, OrgUnit>& units, Id unit, Id root);
// The nearest unit of `kind` at or above `unit`.
std::optional<Id> UnitUp(const std::map<Id, OrgUnit>& units, Id unit, UnitKind kind);

}  // namespace waarborg
