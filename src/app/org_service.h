// Managing the organisation: people, accounts with their roles, and the units
// each VPI adopts. Admin only (adopting units: also the coordinator); every
// change is audited.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/org/org.h"
#include "core/ports/clock.h"
#include "core/ports/store.h"

namespace waarborg::app {

struct NewAccount {
  Id person_id = 0;
  std::string username;
  std::string password;  // at least 12 characters
  std::set<Role> roles;
};

struct PersonDetail {
  Person person;
  std::vector<Person> chain_of_command;  // nearest manager first
  std::vector<Id> adopted_units;
};

class OrgService {
 public:
  OrgService(Store& store, const Clock& clock);
  absl::StatusOr<Id> CreatePerson(const Actor& actor, const Person& p);
  // The password is hashed with Argon2id; accounts whose roles need a second
  // factor set up TOTP at their first log-in.
  absl::StatusOr<Id> CreateAccount(const Actor& actor, const NewAccount& a);
  absl::Status AdoptUnit(const Actor& actor, Id advisor_person, Id unit);
  // VPIs (to judge conflicts) and admins may look up a person's chain of command.
  absl::StatusOr<PersonDetail> GetPerson(const Actor& actor, Id person);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace waarborg::app
