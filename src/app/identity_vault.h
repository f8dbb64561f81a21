// The identity vault (DOMAIN §2, §8): a reporter's identity is sealed to the
// personal keys of the people allowed to hold it (the coordinators at intake,
// the reporter's VPI and the weighing VPI at staffing). A person's secret key
// is locked with their password and, while they are logged in, with their
// session token; the server alone (database and master key) opens nothing.
// Disclosure to anyone else needs a request with a reason, the reporter's
// consent (or a legal duty told to the reporter first) and a second approver.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/cases/lmm_case.h"
#include "core/org/org.h"
#include "core/ports/clock.h"
#include "core/ports/store.h"

namespace waarborg::app {

// --- building blocks, inside a caller's transaction ---

// Gives `person` a vault key pair locked with `passphrase` when they have none.
absl::Status EnsurePersonKey(StoreTx& tx, Id person, std::string_view passphrase);
// The person's vault secret key, unlocked with `passphrase`; NotFound when
// they have no key, PermissionDenied when the passphrase does not open it.
absl::StatusOr<std::string> UnlockPersonKey(StoreTx& tx, Id person, std::string_view passphrase);
// Re-locks the person's key with a new passphrase (password change).
absl::Status RelockPersonKey(StoreTx& tx, Id person, std::string_view secret_key, std::string_view passphrase);

// Seals `ident` to `person` (FailedPrecondition when they have no vault key).
absl::Status SealIdentityTo(StoreTx& tx, const ReporterIdentity& ident, Id person, Instant at,
                            std::string_view basis);
// The identity as `actor` may open it with their unlocked vault key, or
// nullopt (no identity, not a holder, or the vault is locked).
std::optional<ReporterIdentity> OpenIdentity(StoreTx& tx, const Actor& actor, Id case_id);
// Whether the case has a sealed identity at all.
bool HasIdentity(StoreTx& tx, Id case_id);
// People with the coordinator role and a vault key.
std::vector<Id> CoordinatorHolders(StoreTx& tx);

// --- use cases ---

struct HolderView {
  Id person_id = 0;
  std::string name;
  std::string role;   // Dutch: "Coördinator", "VPI van de melder", ...
  Instant since = 0;
  std::string basis;  // Dutch
};

struct IdentityRequestView {
  IdentityRequest request;
  std::string requested_by_name;
  std::string recipient_name;
  std::string state_label;  // Dutch
};

class IdentityVault {
 public:
  IdentityVault(Store& store, const Clock& clock);

  // Who holds the identity (for the case team and for the reporter).
  absl::StatusOr<std::vector<HolderView>> Holders(const Actor& actor, Id case_id);
  absl::StatusOr<std::vector<IdentityRequestView>> Requests(const Actor& actor, Id case_id);

  // A holder asks to disclose the identity to `recipient` with a reason. With
  // `legal_duty`, the written reasons are sent to the reporter first (a
  // message in the channel) and no consent is needed.
  absl::StatusOr<Id> RequestDisclosure(const Actor& actor, Id case_id, Id recipient, const std::string& reason,
                                       bool legal_duty, const std::string& legal_reasons);
  // The reporter answers in the channel.
  absl::Status AnswerConsent(const Actor& reporter, Id request_id, bool consent);
  // A holder records a written consent the reporter gave outside the channel
  // (the signed form uploaded as an attachment of the case).
  absl::Status RecordWrittenConsent(const Actor& actor, Id request_id, Id attachment_id);
  // A second holder (not the requester) approves; the identity is sealed to
  // the recipient with the approver's open vault. Or refuses.
  absl::Status Decide(const Actor& actor, Id request_id, bool approve);
  // The coordinator takes a holder's access away (e.g. a VPI replaced).
  absl::Status Revoke(const Actor& actor, Id case_id, Id person);

  // Seals identities kept in plain text before the vault existed to the
  // coordinators and the case's VPIs that have keys, then deletes them.
  absl::Status SealLegacyIdentities();

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace waarborg::app
