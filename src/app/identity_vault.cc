#include "app/identity_vault.h"

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "adapters/crypto/crypto.h"
#include "adapters/crypto/sealing.h"
#include "app/service_support.h"
#include "core/access/access.h"
#include "core/common/status.h"

namespace waarborg::app {
namespace {

std::string IdentityToJson(const ReporterIdentity& i) {
  nlohmann::json j = {{"case_id", i.case_id}, {"name", i.name}, {"contact", i.contact}};
  j["person_id"] = i.person_id ? nlohmann::json(*i.person_id) : nlohmann::json(nullptr);
  return j.dump();
}

std::optional<ReporterIdentity> IdentityFromJson(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  ReporterIdentity i;
  i.case_id = j.value("case_id", Id{0});
  i.name = j.value("name", "");
  i.contact = j.value("contact", "");
  if (j.contains("person_id") && j["person_id"].is_number_integer()) i.person_id = j["person_id"].get<Id>();
  return i;
}

absl::Status Audit(StoreTx& tx, const Actor& actor, Instant at, std::string action, Id case_id,
                   std::string detail = "") {
  AuditEvent e = AuditAs(actor, at, std::move(action), case_id, std::move(detail));
  return tx.AppendAudit(e);
}

absl::Status Timeline(StoreTx& tx, Id case_id, Instant at, Id actor_person, std::string visibility,
                      std::string text) {
  CaseEvent ev{.case_id = case_id, .at = at, .actor_person = actor_person, .kind = "identity",
               .visibility = std::move(visibility), .text = std::move(text)};
  return tx.AppendCaseEvent(ev).status();
}

std::string_view BasisLabelNl(std::string_view basis) {
  if (basis == "intake") return "bij ontvangst van de melding";
  if (basis == "staffing") return "bij de toewijzing van de VPI's";
  if (basis == "request") return "na een verzoek met uw toestemming of een wettelijke plicht";
  if (basis == "registration") return "bij de registratie door de VPI";
  return basis;
}

std::string_view RequestStateLabelNl(std::string_view s) {
  if (s == "awaiting_consent") return "Wacht op toestemming van de melder";
  if (s == "awaiting_approval") return "Wacht op goedkeuring door een tweede persoon";
  if (s == "granted") return "Toegekend";
  if (s == "refused") return "Geweigerd";
  return s;
}

std::string HolderRole(StoreTx& tx, const LmmCase& c, Id person) {
  if (c.reporter_advisor_id == person) return "VPI van de melder";
  if (c.weighing_advisor_id == person) return "Wegende VPI";
  if (HasRole(tx, person, {Role::kCoordinator})) return "Coördinator";
  if (c.registered_by_person == person) return "VPI die de melding registreerde";
  if (HasRole(tx, person, {Role::kCompetentAuthority})) return "Bevoegd gezag";
  return "Ontvanger na verzoek";
}

}  // namespace

absl::Status EnsurePersonKey(StoreTx& tx, Id person, std::string_view passphrase) {
  if (person == 0 || tx.GetPersonKey(person)) return absl::OkStatus();
  crypto::KeyPair kp = crypto::NewKeyPair();
  ASSIGN_OR_RETURN(std::string locked, crypto::LockWithPassphrase(kp.secret_key, passphrase));
  crypto::Wipe(kp.secret_key);
  return tx.PutPersonKey({person, kp.public_key, locked});
}

absl::StatusOr<std::string> UnlockPersonKey(StoreTx& tx, Id person, std::string_view passphrase) {
  auto k = tx.GetPersonKey(person);
  if (!k) return NotFound("Geen kluissleutel.");
  return crypto::UnlockWithPassphrase(k->locked_secret_key, passphrase);
}

absl::Status RelockPersonKey(StoreTx& tx, Id person, std::string_view secret_key, std::string_view passphrase) {
  auto k = tx.GetPersonKey(person);
  if (!k) return NotFound("Geen kluissleutel.");
  ASSIGN_OR_RETURN(std::string locked, crypto::LockWithPassphrase(secret_key, passphrase));
  return tx.PutPersonKey({person, k->public_key, locked});
}

absl::Status SealIdentityTo(StoreTx& tx, const ReporterIdentity& ident, Id person, Instant at,
                            std::string_view basis) {
  auto k = tx.GetPersonKey(person);
  if (!k)
    return absl::FailedPreconditionError(
        Cat(PersonName(tx, person), " heeft nog geen persoonlijke sleutel (eerst inloggen)."));
  std::string json = IdentityToJson(ident);
  IdentitySeal seal{ident.case_id, person, crypto::SealTo(k->public_key, json), at, std::string(basis)};
  crypto::Wipe(json);
  return tx.PutIdentitySeal(seal);
}

std::optional<ReporterIdentity> OpenIdentity(StoreTx& tx, const Actor& actor, Id case_id) {
  if (actor.person_id == 0 || actor.vault_secret.empty()) return std::nullopt;
  auto seal = tx.GetIdentitySeal(case_id, actor.person_id);
  auto key = tx.GetPersonKey(actor.person_id);
  if (!seal || !key) return std::nullopt;
  auto plain = crypto::OpenSealed(key->public_key, actor.vault_secret, seal->sealed);
  if (!plain.ok()) return std::nullopt;
  auto ident = IdentityFromJson(*plain);
  crypto::Wipe(*plain);
  if (ident) ident->case_id = case_id;
  return ident;
}

bool HasIdentity(StoreTx& tx, Id case_id) { return !tx.ListIdentitySeals(case_id).empty(); }

std::vector<Id> CoordinatorHolders(StoreTx& tx) {
  std::vector<Id> out;
  for (const Person& p : tx.ListAdvisors()) {
    if (HasRole(tx, p.id, {Role::kCoordinator}) && tx.GetPersonKey(p.id)) out.push_back(p.id);
  }
  return out;
}

IdentityVault::IdentityVault(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

absl::StatusOr<std::vector<HolderView>> IdentityVault::Holders(const Actor& actor, Id case_id) {
  std::vector<HolderView> out;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(case_id));
    RETURN_IF_ERROR(access::CheckCase(actor, access::RelationOf(actor, c), c, access::CaseAction::kRead));
    for (const auto& s : tx.ListIdentitySeals(case_id)) {
      out.push_back({s.person_id, PersonName(tx, s.person_id), HolderRole(tx, c, s.person_id), s.granted_at,
                     std::string(BasisLabelNl(s.basis))});
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<IdentityRequestView>> IdentityVault::Requests(const Actor& actor, Id case_id) {
  std::vector<IdentityRequestView> out;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(case_id));
    const auto rel = access::RelationOf(actor, c);
    RETURN_IF_ERROR(access::CheckCase(actor, rel, c, access::CaseAction::kRead));
    // The reporter and the holders see the requests; others on the case do not.
    if (!rel.is_reporter && !tx.GetIdentitySeal(case_id, actor.person_id)) return absl::OkStatus();
    for (auto& r : tx.ListIdentityRequests(case_id)) {
      IdentityRequestView v;
      v.requested_by_name = PersonName(tx, r.requested_by);
      v.recipient_name = PersonName(tx, r.recipient);
      v.state_label = std::string(RequestStateLabelNl(r.state));
      v.request = std::move(r);
      out.push_back(std::move(v));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Id> IdentityVault::RequestDisclosure(const Actor& actor, Id case_id, Id recipient,
                                                    const std::string& reason, bool legal_duty,
                                                    const std::string& legal_reasons) {
  if (absl::StripAsciiWhitespace(reason).empty())
    return Invalid("Geef de reden waarom deze persoon de identiteit van de melder nodig heeft.");
  if (legal_duty && absl::StripAsciiWhitespace(legal_reasons).empty())
    return Invalid("Bij een wettelijke plicht krijgt de melder eerst de schriftelijke redenen: vul ze in.");
  const Instant now = clock_.Now();
  Id id = 0;
  absl::Status denied;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(case_id));
    const bool coordinator = actor.Has(Role::kCoordinator);
    if (!(coordinator || c.reporter_advisor_id == actor.person_id) ||
        !tx.GetIdentitySeal(case_id, actor.person_id)) {
      denied = Forbidden("Alleen de VPI van de melder of de coördinator die de identiteit bewaart, kan dit vragen.");
      return absl::OkStatus();
    }
    if (!tx.GetPerson(recipient).ok()) return Invalid("Kies de persoon die de identiteit zou krijgen.");
    if (tx.GetIdentitySeal(case_id, recipient)) return Conflict("Deze persoon bewaart de identiteit al.");
    if (!tx.GetPersonKey(recipient))
      return absl::FailedPreconditionError(
          "Deze persoon heeft nog geen persoonlijke sleutel en moet eerst een keer inloggen.");
    IdentityRequest r;
    r.case_id = case_id;
    r.requested_by = actor.person_id;
    r.recipient = recipient;
    r.reason = reason;
    r.legal_duty = legal_duty;
    r.legal_reasons = legal_reasons;
    r.created_at = now;
    r.state = legal_duty ? "awaiting_approval" : "awaiting_consent";
    if (legal_duty) {
      // DOMAIN §8: the reporter is told first, with written reasons.
      r.notified_at = now;
      Message m{.case_id = case_id, .at = now, .author_person = actor.person_id, .visibility = "reporter",
                .body = Cat("Wij moeten uw identiteit bekendmaken aan ", PersonName(tx, recipient),
                            " omdat een wettelijke plicht dat vereist. De redenen:\n\n", legal_reasons)};
      RETURN_IF_ERROR(tx.InsertMessage(m).status());
    }
    ASSIGN_OR_RETURN(id, tx.InsertIdentityRequest(r));
    RETURN_IF_ERROR(Timeline(tx, case_id, now, actor.person_id, "team",
                             legal_duty ? Cat("Verzoek om de identiteit bekend te maken aan ", PersonName(tx, recipient),
                                              " wegens een wettelijke plicht; de melder is vooraf schriftelijk "
                                              "geïnformeerd.")
                                        : Cat("Verzoek om de identiteit bekend te maken aan ", PersonName(tx, recipient),
                                              "; wacht op toestemming van de melder.")));
    return Audit(tx, actor, now, legal_duty ? "identity.request_legal_duty" : "identity.request", case_id,
                 Cat("verzoek ", id));
  }));
  if (!denied.ok()) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, "identity.request_denied", case_id));
    return denied;
  }
  return id;
}

absl::Status IdentityVault::AnswerConsent(const Actor& reporter, Id request_id, bool consent) {
  const Instant now = clock_.Now();
  return store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(IdentityRequest r, tx.GetIdentityRequest(request_id));
    if (reporter.reporter_case == 0 || reporter.reporter_case != r.case_id)
      return NotFound("Verzoek niet gevonden.");
    if (r.state != "awaiting_consent") return Conflict("Op dit verzoek is al geantwoord.");
    r.consent = consent ? "channel" : "refused";
    r.consent_at = now;
    r.state = consent ? "awaiting_approval" : "refused";
    RETURN_IF_ERROR(tx.UpdateIdentityRequest(r));
    RETURN_IF_ERROR(Timeline(tx, r.case_id, now, 0, "case",
                             consent ? "De melder gaf toestemming om de identiteit bekend te maken aan de "
                                       "genoemde persoon."
                                     : "De melder weigerde toestemming om de identiteit bekend te maken."));
    return Audit(tx, reporter, now, consent ? "identity.consent_given" : "identity.consent_refused", r.case_id,
                 Cat("verzoek ", r.id));
  });
}

absl::Status IdentityVault::RecordWrittenConsent(const Actor& actor, Id request_id, Id attachment_id) {
  const Instant now = clock_.Now();
  return store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(IdentityRequest r, tx.GetIdentityRequest(request_id));
    if (!tx.GetIdentitySeal(r.case_id, actor.person_id))
      return Forbidden("Alleen wie de identiteit bewaart, legt een schriftelijke toestemming vast.");
    if (r.state != "awaiting_consent") return Conflict("Dit verzoek wacht niet op toestemming.");
    auto att = tx.GetAttachment(attachment_id);
    if (!att.ok() || att->case_id != r.case_id)
      return Invalid("Kies de bijlage met de ondertekende toestemming van deze melding.");
    r.consent = "written";
    r.consent_attachment = attachment_id;
    r.consent_at = now;
    r.state = "awaiting_approval";
    RETURN_IF_ERROR(tx.UpdateIdentityRequest(r));
    RETURN_IF_ERROR(Timeline(tx, r.case_id, now, actor.person_id, "case",
                             "Schriftelijke toestemming van de melder vastgelegd."));
    return Audit(tx, actor, now, "identity.consent_written", r.case_id, Cat("verzoek ", r.id));
  });
}

absl::Status IdentityVault::Decide(const Actor& actor, Id request_id, bool approve) {
  const Instant now = clock_.Now();
  absl::Status denied;
  Id case_id = 0;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(IdentityRequest r, tx.GetIdentityRequest(request_id));
    case_id = r.case_id;
    if (r.requested_by == actor.person_id) {
      denied = Forbidden("Een tweede persoon keurt het verzoek goed, niet degene die het deed.");
      return absl::OkStatus();
    }
    if (!tx.GetIdentitySeal(r.case_id, actor.person_id)) {
      denied = Forbidden("Alleen wie de identiteit bewaart, kan dit verzoek goedkeuren.");
      return absl::OkStatus();
    }
    if (r.state != "awaiting_approval") {
      if (r.state == "awaiting_consent") return Conflict("De melder heeft nog geen toestemming gegeven.");
      return Conflict("Over dit verzoek is al besloten.");
    }
    if (r.legal_duty && r.notified_at == 0)
      return Conflict("De melder is nog niet vooraf geïnformeerd over de wettelijke plicht.");
    if (!approve) {
      r.state = "refused";
    } else {
      auto ident = OpenIdentity(tx, actor, r.case_id);
      if (!ident)
        return absl::FailedPreconditionError("Uw kluis is niet geopend. Log opnieuw in en probeer het nog eens.");
      RETURN_IF_ERROR(SealIdentityTo(tx, *ident, r.recipient, now, "request"));
      r.state = "granted";
    }
    r.decided_by = actor.person_id;
    r.decided_at = now;
    RETURN_IF_ERROR(tx.UpdateIdentityRequest(r));
    const std::string who = PersonName(tx, r.recipient);
    RETURN_IF_ERROR(Timeline(tx, r.case_id, now, actor.person_id, "case",
                             approve ? Cat("De identiteit van de melder is bekendgemaakt aan ", who, ".")
                                     : Cat("Het verzoek om de identiteit bekend te maken aan ", who,
                                           " is afgewezen.")));
    return Audit(tx, actor, now, approve ? "identity.granted" : "identity.request_refused", r.case_id,
                 Cat("verzoek ", r.id, approve ? Cat(", ontvanger persoon ", r.recipient) : ""));
  }));
  if (!denied.ok()) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, "identity.decide_denied", case_id));
    return denied;
  }
  return absl::OkStatus();
}

absl::Status IdentityVault::Revoke(const Actor& actor, Id case_id, Id person) {
  const Instant now = clock_.Now();
  return store_.Transact([&](StoreTx& tx) -> absl::Status {
    if (!actor.Has(Role::kCoordinator)) return Forbidden("Alleen de coördinator trekt toegang tot de identiteit in.");
    ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(case_id));
    if (!tx.GetIdentitySeal(case_id, person)) return NotFound("Deze persoon bewaart de identiteit niet.");
    if (tx.ListIdentitySeals(case_id).size() <= 1)
      return Conflict("De laatste houder kan niet worden verwijderd: dan is de identiteit voorgoed verloren.");
    RETURN_IF_ERROR(tx.DeleteIdentitySeal(case_id, person));
    RETURN_IF_ERROR(Timeline(tx, case_id, now, actor.person_id, "case",
                             Cat("Toegang tot de identiteit van de melder ingetrokken voor ", PersonName(tx, person), ".")));
    return Audit(tx, actor, now, "identity.revoked", case_id, Cat("persoon ", person));
  });
}

absl::Status IdentityVault::SealLegacyIdentities() {
  const Instant now = clock_.Now();
  return store_.Transact([&](StoreTx& tx) -> absl::Status {
    const std::vector<Id> coordinators = CoordinatorHolders(tx);
    for (const auto& ident : tx.ListLegacyIdentities()) {
      std::set<Id> holders(coordinators.begin(), coordinators.end());
      if (auto c = tx.GetCase(ident.case_id); c.ok()) {
        for (auto p : {c->reporter_advisor_id, c->weighing_advisor_id}) {
          if (p && tx.GetPersonKey(*p)) holders.insert(*p);
        }
      }
      if (holders.empty()) continue;  // kept until someone can hold it
      for (Id h : holders) RETURN_IF_ERROR(SealIdentityTo(tx, ident, h, now, "intake"));
      RETURN_IF_ERROR(tx.DeleteLegacyIdentity(ident.case_id));
      AuditEvent e{.at = now, .actor = "system", .action = "identity.sealed_legacy",
                   .case_id = std::to_string(ident.case_id)};
      RETURN_IF_ERROR(tx.AppendAudit(e));
    }
    return absl::OkStatus();
  });
}

}  // namespace waarborg::app
