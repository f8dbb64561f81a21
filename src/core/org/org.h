// The organisation: units, districts, teams, people, chain of command, roles.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace waarborg {

using Id = std::int64_t;

// Roles a user can hold in Waarborg (DOMAIN §1). A person may hold several.
enum class Role {
  kEmployee,            // medewerker
  kIntegrityAdvisor,    // VPI
  kCoordinator,         // coördinator LMM (also a VPI)
  kCompetentAuthority,  // bevoegd gezag
  kAdmin,               // beheerder
  kAuditor,             // auditor
  // The roles of the other tracks (DOMAIN §1, issue 4).
  kCounsellor,          // vertrouwenspersoon (VP), unwanted behaviour
  kCentralCounsellor,   // centrale vertrouwenspersoon (CVP)
  kCommitteeMember,     // lid klachtencommissie
  kCommitteeChair,      // voorzitter klachtencommissie
  kTriageOfficer,       // triagist VIK
  kInvestigator,        // onderzoeker VIK
  kVikTeamChief,        // teamchef VIK
  kManager,             // leidinggevende (line manager, P-zorg)
  // Protective Monitoring (DOMAIN §6, issue 6).
  kMonitoringAnalyst,   // monitoringanalist: reviews flags and trends
  kPrivacyOfficer,      // privacyfunctionaris: one of two approvers of a pseudonym resolution
};

// Stable name used in the database and the API, e.g. "vpi".
std::string_view RoleName(Role r);
// Dutch label for the user interface.
std::string_view RoleLabelNl(Role r);
// Parses a RoleName; nullopt when unknown.
std::optional<Role> ParseRole(std::string_view name);
// True for roles that must log in with a second factor (issue 2 §3).
bool RequiresTwoFactor(Role r);
// All roles, in display order.
const std::vector<Role>& AllRoles();

// Level of a node in the organisation tree (korps > eenheid > district > team).
enum class UnitKind { kCorps, kUnit, kDistrict, kTeam };
std::string_view UnitKindName(UnitKind k);
std::optional<UnitKind> ParseUnitKind(std::string_view s);

struct OrgUnit {
  Id id = 0;
  std::string name;
  UnitKind kind = UnitKind::kTeam;
  std::optional<Id> parent_id;
};

struct Person {
  Id id = 0;
  std::string name;
  std::string position;  // functie, e.g. "Teamchef"
  std::string rank;      // rang/schaal, e.g. "Inspecteur (schaal 10)"
  Id team_id = 0;
  std::optional<Id> manager_id;  // next link in the chain of command
};

// A logged-in user as the core sees it.
struct Actor {
  Id account_id = 0;
  Id person_id = 0;
  std::set<Role> roles;
  std::string session_id;  // the session's public id, never its token
  std::string username;    // shown in the audit trail
  // A reporter who came back with a receipt: the one case they may see. No
  // account, no person; audited as "melder".
  Id reporter_case = 0;
  // The person's identity-vault secret key, unlocked for this request only
  // from the session (never stored unlocked, never logged).
  std::string vault_secret;

  bool Has(Role r) const { return roles.count(r) > 0; }
  // A coordinator is also a VPI.
  bool IsAdvisor() const { return Has(Role::kIntegrityAdvisor) || Has(Role::kCoordinator); }
};

// The managers above `person`, nearest first (teamchef, sectorhoofd, ...).
// `manager_of` returns a person's manager; cycles in bad data end the walk.
std::vector<Id> ChainOfCommand(Id person, const std::function<std::optional<Id>(Id)>& manager_of);

}  // namespace waarborg
