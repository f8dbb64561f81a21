#include "core/org/org.h"
#include "core/org/unit_tree.h"

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
    case Role::kCounsellor: return "counsellor";
    case Role::kCentralCounsellor: return "central_counsellor";
    case Role::kCommitteeMember: return "committee_member";
    case Role::kCommitteeChair: return "committee_chair";
    case Role::kTriageOfficer: return "triage_officer";
    case Role::kInvestigator: return "investigator";
    case Role::kVikTeamChief: return "vik_team_chief";
    case Role::kManager: return "manager";
    case Role::kMonitoringAnalyst: return "monitoring_analyst";
    case Role::kPrivacyOfficer: return "privacy_officer";
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
    case Role::kCounsellor: return "Vertrouwenspersoon (VP)";
    case Role::kCentralCounsellor: return "Centrale vertrouwenspersoon (CVP)";
    case Role::kCommitteeMember: return "Lid klachtencommissie";
    case Role::kCommitteeChair: return "Voorzitter klachtencommissie";
    case Role::kTriageOfficer: return "Triagist VIK";
    case Role::kInvestigator: return "Onderzoeker VIK";
    case Role::kVikTeamChief: return "Teamchef VIK";
    case Role::kManager: return "Leidinggevende";
    case Role::kMonitoringAnalyst: return "Monitoringanalist";
    case Role::kPrivacyOfficer: return "Privacyfunctionaris";
  }
  return "Onbekend";
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> kAll = {
      Role::kEmployee,        Role::kIntegrityAdvisor, Role::kCoordinator,       Role::kCompetentAuthority,
      Role::kAdmin,           Role::kAuditor,          Role::kCounsellor,        Role::kCentralCounsellor,
      Role::kCommitteeMember, Role::kCommitteeChair,   Role::kTriageOfficer,     Role::kInvestigator,
      Role::kVikTeamChief,    Role::kManager,          Role::kMonitoringAnalyst, Role::kPrivacyOfficer};
  return kAll;
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : AllRoles()) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

bool RequiresTwoFactor(Role r) {
  // Everyone who handles cases, plus the admin; not the plain employee or
  // the auditor (read-only on the audit trail).
  return r != Role::kEmployee && r != Role::kAuditor;
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

bool UnitWithin(const std::map<Id, OrgUnit>& units, Id unit, Id root) {
  for (int depth = 0; depth < 32; ++depth) {
    if (unit == root) return true;
    auto it = units.find(unit);
    if (it == units.end() || !it->second.parent_id) return false;
    unit = *it->second.parent_id;
  }
  return false;
}

std::optional<Id> UnitUp(const std::map<Id, OrgUnit>& units, Id unit, UnitKind kind) {
  for (int depth = 0; depth < 32; ++depth) {
    auto it = units.find(unit);
    if (it == units.end()) return std::nullopt;
    if (it->second.kind == kind) return unit;
    if (!it->second.parent_id) return std::nullopt;
    unit = *it->second.parent_id;
  }
  return std::nullopt;
}

}  // namespace waarborg
