#include "core/learning/generalise.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/common/strings.h"

namespace waarborg::learning {

namespace {

// Coarseness: team 0, district 1, unit 2, corps 3.
int Level(UnitKind k) {
  switch (k) {
    case UnitKind::kTeam:
      return 0;
    case UnitKind::kDistrict:
      return 1;
    case UnitKind::kUnit:
      return 2;
    case UnitKind::kCorps:
      return 3;
  }
  return 0;
}

const OrgUnit* Find(const OrgView& org, Id id) {
  for (const auto& u : org.units)
    if (u.id == id) return &u;
  return nullptr;
}

std::map<Id, std::vector<Id>> ChildrenOf(const OrgView& org) {
  std::map<Id, std::vector<Id>> out;
  for (const auto& u : org.units)
    if (u.parent_id) out[*u.parent_id].push_back(u.id);
  return out;
}

void Descendants(const std::map<Id, std::vector<Id>>& children, Id unit, std::vector<Id>& out, std::set<Id>& seen) {
  auto it = children.find(unit);
  if (it == children.end()) return;
  for (Id c : it->second) {
    if (!seen.insert(c).second) continue;  // bad data: a cycle
    out.push_back(c);
    Descendants(children, c, out, seen);
  }
}

// The chain from `unit` up to the root, `unit` first.
std::vector<const OrgUnit*> Chain(const OrgView& org, Id unit) {
  std::vector<const OrgUnit*> out;
  std::set<Id> seen;
  for (const OrgUnit* u = Find(org, unit); u && seen.insert(u->id).second;
       u = u->parent_id ? Find(org, *u->parent_id) : nullptr)
    out.push_back(u);
  return out;
}

}  // namespace

std::int64_t StaffOf(const OrgView& org, Id unit) {
  const auto children = ChildrenOf(org);
  std::vector<Id> all{unit};
  std::set<Id> seen{unit};
  Descendants(children, unit, all, seen);
  std::int64_t n = 0;
  for (Id u : all)
    if (auto it = org.staff_in_unit.find(u); it != org.staff_in_unit.end()) n += it->second;
  return n;
}

Place GeneralisePlace(const OrgView& org, Id unit, const Policy& policy) {
  Place p;
  p.label = kUnnamedUnit;
  const auto chain = Chain(org, unit);
  const auto children = ChildrenOf(org);
  std::vector<Id> below;  // the chain below the named level
  for (const OrgUnit* u : chain) {
    // The korps is never the place: naming it says no more than "een eenheid".
    if (u->kind == UnitKind::kCorps) break;
    if (Level(u->kind) >= Level(policy.finest) && StaffOf(org, u->id) >= policy.min_staff) {
      p.label = u->name;
      p.named = u->id;
      break;
    }
    below.push_back(u->id);
  }
  std::set<Id> hidden(below.begin(), below.end());
  // Everything under the named unit, or under the case's eenheid when none
  // is named; under the korps only the chain (the rest is not of this case).
  std::optional<Id> root = p.named;
  if (!root) {
    for (const OrgUnit* u : chain)
      if (u->kind != UnitKind::kCorps) root = u->id;  // the topmost below the korps
  }
  if (root) {
    const OrgUnit* r = Find(org, *root);
    if (r) {
      if (!p.named) hidden.insert(*root);
      std::vector<Id> sub;
      std::set<Id> seen{*root};
      Descendants(children, *root, sub, seen);
      hidden.insert(sub.begin(), sub.end());
    }
  }
  if (p.named) hidden.erase(*p.named);
  p.hidden.assign(hidden.begin(), hidden.end());
  return p;
}

std::string PeriodLabel(Date d, PeriodGranularity g) {
  const int year = static_cast<int>(d.year());
  const unsigned month = static_cast<unsigned>(d.month());
  switch (g) {
    case PeriodGranularity::kQuarter:
      return Cat((month - 1) / 3 + 1, "e kwartaal ", year);
    case PeriodGranularity::kSeason:
      if (month >= 3 && month <= 5) return Cat("voorjaar ", year);
      if (month >= 6 && month <= 8) return Cat("zomer ", year);
      if (month >= 9 && month <= 11) return Cat("najaar ", year);
      // December belongs to the winter into the next year.
      return month == 12 ? Cat("winter ", year, "-", year + 1) : Cat("winter ", year - 1, "-", year);
    case PeriodGranularity::kYear:
      return std::to_string(year);
  }
  return std::to_string(year);
}

std::string PeriodRangeLabel(Date from, std::optional<Date> until, PeriodGranularity g) {
  const std::string a = PeriodLabel(from, g);
  if (!until) return Cat("vanaf ", a);
  const std::string b = PeriodLabel(*until, g);
  if (a == b) return a;
  return Cat("van ", a, " tot ", b);
}

std::string DurationLabel(int days) {
  if (days < 7) return "minder dan een week";
  if (days < 56) {
    const int weeks = std::max(1, static_cast<int>(std::lround(days / 7.0)));
    return weeks == 1 ? "ongeveer 1 week" : Cat("ongeveer ", weeks, " weken");
  }
  if (days < 730) {
    const int months = std::max(2, static_cast<int>(std::lround(days / 30.44)));
    return Cat("ongeveer ", months, " maanden");
  }
  const int years = std::max(2, static_cast<int>(std::lround(days / 365.25)));
  return Cat("ongeveer ", years, " jaar");
}

}  // namespace waarborg::learning
