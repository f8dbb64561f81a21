#include "app/service_support.h"

namespace waarborg::app {

AuditEvent AuditFor(const Actor& a, bool as_reporter, Instant at, std::string action, Id case_id,
                    std::string detail) {
  AuditEvent e;
  e.at = at;
  e.actor = as_reporter ? "melder" : a.username;
  e.session = as_reporter ? "" : a.session_id;
  e.action = std::move(action);
  e.case_id = case_id ? std::to_string(case_id) : "";
  e.detail = std::move(detail);
  return e;
}

absl::Status AuditDenial(Store& store, const Actor& actor, Instant at, std::string action, Id case_id) {
  return store.Transact([&](StoreTx& tx) {
    AuditEvent e = AuditAs(actor, at, action, case_id);
    return tx.AppendAudit(e);
  });
}

std::string PersonName(StoreTx& tx, std::optional<Id> person) {
  if (!person || *person == 0) return "";
  auto p = tx.GetPerson(*person);
  return p.ok() ? p->name : "";
}

bool HasRole(StoreTx& tx, Id person, std::initializer_list<Role> roles) {
  auto acc = tx.AccountOfPerson(person);
  if (!acc) return false;
  auto a = tx.GetAccount(*acc);
  if (!a.ok() || a->disabled) return false;
  for (Role r : roles) {
    if (a->roles.count(r)) return true;
  }
  return false;
}

}  // namespace waarborg::app
