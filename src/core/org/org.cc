#include "core/org/org.h"

#include <algorithm>

namespace waarborg {

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kEmployee: return "employee";
    case Role::kIntegrityAdvisor: return "vpi";
    case Role::kCoordinator: return "coordinator";
    case Role::kCompetentAuthority: return "authority";
    case Role::kAdmin: return "admin";
    case Role::kAuditor: return "auditor";
  }
  return "unknown";
}

std::string_view RoleLabelNl(Role r) {
  switch (r) {
    case Role::kEmployee: return "Medewerker";
    case Role::kIntegrityAdvisor: return "Vertrouwenspersoon Integriteit (VPI)";
    case Role::kCoordinator: return "Coördinator LMM";
    case Role::kCompetentAuthority: return "Bevoegd gezag";
    case Role::kAdmin: return "Beheerder";
    case Role::kAuditor: return "Auditor";
  }
  return "Onbekend";
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> kAll = {Role::kEmployee, Role::kIntegrityAdvisor,
                                         Role::kCoordinator, Role::kCompetentAuthority,
                                         Role::kAdmin, Role::kAuditor};
  return kAll;
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : AllRoles()) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

bool RequiresTwoFactor(Role r) {
  return r == Role::kIntegrityAdvisor || r == Role::kCoordinator ||
         r == Role::kCompetentAuthority || r == Role::kAdmin;
}

std::string_view UnitKindName(UnitKind k) {
  switch (k) {
    case UnitKind::kCorps: return "corps";
    case UnitKind::kUnit: return "unit";
    case UnitKind::kDistrict: return "district";
    case UnitKind::kTeam: return "team";
  }
  return "team";
}

std::optional<UnitKind> ParseUnitKind(std::string_view s) {
  for (UnitKind k : {UnitKind::kCorps, UnitKind::kUnit, UnitKind::kDistrict, UnitKind::kTeam}) {
    if (UnitKindName(k) == s) return k;
  }
  return std::nullopt;
}

std::vector<Id> ChainOfCommand(Id person, const std::function<std::optional<Id>(Id)>& manager_of) {
  std::vector<Id> chain;
  std::optional<Id> next = manager_of(person);
  while (next && *next != person && std::find(chain.begin(), chain.end(), *next) == chain.end()) {
    chain.push_back(*next);
    next = manager_of(*next);
  }
  return chain;
}

}  // namespace waarborg
