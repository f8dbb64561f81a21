#include "app/org_service.h"

#include "absl/strings/ascii.h"
#include "adapters/crypto/crypto.h"
#include "core/access/access.h"
#include "core/common/status.h"

namespace waarborg::app {

OrgService::OrgService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

namespace {
AuditEvent Audit(const Actor& a, Instant at, std::string action, std::string detail) {
  AuditEvent e;
  e.at = at;
  e.actor = a.username;
  e.session = a.session_id;
  e.action = std::move(action);
  e.detail = std::move(detail);
  return e;
}
}  // namespace

absl::StatusOr<Id> OrgService::CreatePerson(const Actor& actor, const Person& p) {
  RETURN_IF_ERROR(access::CheckAdmin(actor));
  if (absl::StripAsciiWhitespace(p.name).empty()) return Invalid("Vul de naam in.");
  Id id = 0;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    auto team = tx.GetUnit(p.team_id);
    if (!team.ok()) return Invalid("Onbekend team.");
    if (p.manager_id && !tx.GetPerson(*p.manager_id).ok()) return Invalid("Onbekende leidinggevende.");
    ASSIGN_OR_RETURN(id, tx.InsertPerson(p));
    AuditEvent e = Audit(actor, clock_.Now(), "org.person_create", Cat("persoon ", id));
    return tx.AppendAudit(e);
  }));
  return id;
}

absl::StatusOr<Id> OrgService::CreateAccount(const Actor& actor, const NewAccount& a) {
  RETURN_IF_ERROR(access::CheckAdmin(actor));
  if (a.username.size() < 3 || a.username.size() > 64) return Invalid("Een gebruikersnaam heeft 3 tot 64 tekens.");
  for (char c : a.username) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'))
      return Invalid("Een gebruikersnaam bestaat uit letters, cijfers, punt, streepje of liggend streepje.");
  }
  if (a.password.size() < 12) return Invalid("Een wachtwoord heeft minstens 12 tekens.");
  if (a.roles.empty()) return Invalid("Kies minstens één rol.");
  ASSIGN_OR_RETURN(std::string hash, crypto::HashPassword(a.password));
  Id id = 0;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    if (!tx.GetPerson(a.person_id).ok()) return Invalid("Onbekende persoon.");
    if (tx.AccountOfPerson(a.person_id)) return Conflict("Deze persoon heeft al een account.");
    if (tx.FindAccountByUsername(a.username).ok()) return Conflict("Deze gebruikersnaam bestaat al.");
    Account acc;
    acc.person_id = a.person_id;
    acc.username = a.username;
    acc.password_hash = hash;
    acc.roles = a.roles;
    ASSIGN_OR_RETURN(id, tx.InsertAccount(acc));
    std::string roles;
    for (Role r : a.roles) roles += (roles.empty() ? "" : ",") + std::string(RoleName(r));
    AuditEvent e = Audit(actor, clock_.Now(), "org.account_create", Cat("account ", id, " rollen ", roles));
    return tx.AppendAudit(e);
  }));
  return id;
}

absl::Status OrgService::AdoptUnit(const Actor& actor, Id advisor_person, Id unit) {
  if (!actor.Has(Role::kAdmin) && !actor.Has(Role::kCoordinator))
    return Forbidden("Alleen de coördinator of een beheerder wijst eenheden toe aan VPI's.");
  return store_.Transact([&](StoreTx& tx) -> absl::Status {
    auto u = tx.GetUnit(unit);
    if (!u.ok()) return Invalid("Onbekende eenheid.");
    bool is_advisor = false;
    if (auto acc = tx.AccountOfPerson(advisor_person)) {
      auto a = tx.GetAccount(*acc);
      is_advisor = a.ok() && (a->roles.count(Role::kIntegrityAdvisor) || a->roles.count(Role::kCoordinator));
    }
    if (!is_advisor) return Invalid("Deze persoon is geen VPI.");
    RETURN_IF_ERROR(tx.AdoptUnit(advisor_person, unit));
    AuditEvent e = Audit(actor, clock_.Now(), "org.adopt_unit", Cat("VPI ", advisor_person, " eenheid ", unit));
    return tx.AppendAudit(e);
  });
}

absl::StatusOr<PersonDetail> OrgService::GetPerson(const Actor& actor, Id person) {
  if (!actor.IsAdvisor() && !actor.Has(Role::kAdmin))
    return Forbidden("Alleen VPI's en beheerders zien de gezagslijn van een persoon.");
  PersonDetail d;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(d.person, tx.GetPerson(person));
    for (Id m : ChainOfCommand(person, [&](Id p) { return tx.ManagerOf(p); })) {
      auto p = tx.GetPerson(m);
      if (p.ok()) d.chain_of_command.push_back(*p);
    }
    d.adopted_units = tx.AdoptedUnits(person);
    return absl::OkStatus();
  }));
  return d;
}

}  // namespace waarborg::app
