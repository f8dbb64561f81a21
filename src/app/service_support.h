// Helpers shared by the use cases in src/app (not part of their interface).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

#include "core/audit/audit_chain.h"
#include "core/org/org.h"
#include "core/ports/store.h"

namespace waarborg::app {

// The audit event of `actor` doing `action`. A reporter (`as_reporter`) is
// audited as "melder", without account or session, so the trail cannot be
// used to find out who reported (DOMAIN §8).
AuditEvent AuditFor(const Actor& actor, bool as_reporter, Instant at, std::string action, Id case_id,
                    std::string detail = "");
// As AuditFor, as reporter when the actor came back with a receipt.
inline AuditEvent AuditAs(const Actor& actor, Instant at, std::string action, Id case_id, std::string detail = "") {
  return AuditFor(actor, actor.reporter_case != 0, at, std::move(action), case_id, std::move(detail));
}

// Records a refusal in its own transaction (the refused one was rolled
// back), so every denial is in the trail; returns the store's status.
absl::Status AuditDenial(Store& store, const Actor& actor, Instant at, std::string action, Id case_id);

// A person's name, or "" (unknown or no person).
std::string PersonName(StoreTx& tx, std::optional<Id> person);

// Whether `person` has an enabled account holding one of `roles`.
bool HasRole(StoreTx& tx, Id person, std::initializer_list<Role> roles);

}  // namespace waarborg::app
