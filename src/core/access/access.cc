#include "core/access/access.h"

#include <algorithm>

#include "core/common/status.h"

namespace waarborg::access {
namespace {

bool Contains(const std::vector<Id>& v, Id x) { return std::find(v.begin(), v.end(), x) != v.end(); }

bool AuthorityMaySee(const LmmCase& c) {
  return c.advice.has_value() &&
         (c.state == LmmState::kAdvised || c.state == LmmState::kInvestigation ||
          c.state == LmmState::kClosed);
}

absl::Status Deny(std::string_view why) { return Forbidden(why); }

}  // namespace

std::string_view CaseActionName(CaseAction a) {
  switch (a) {
    case CaseAction::kRead: return "read";
    case CaseAction::kReadIdentity: return "read_identity";
    case CaseAction::kReadWeighing: return "read_weighing";
    case CaseAction::kReadOutcome: return "read_outcome";
    case CaseAction::kReadProtection: return "read_protection";
    case CaseAction::kReadAccessLog: return "read_access_log";
    case CaseAction::kStaff: return "staff";
    case CaseAction::kRecordDefinitionTest: return "definition_test";
    case CaseAction::kRecordWeighing: return "weighing";
    case CaseAction::kInviteReviewer: return "invite_reviewer";
    case CaseAction::kReview: return "review";
    case CaseAction::kAdvise: return "advise";
    case CaseAction::kDecide: return "decide";
    case CaseAction::kAcknowledge: return "acknowledge";
    case CaseAction::kRecordFeedback: return "feedback";
    case CaseAction::kRecordProtection: return "protection";
    case CaseAction::kClose: return "close";
  }
  return "unknown";
}

CaseRelation RelationOf(const Actor& actor, const LmmCase& c) {
  CaseRelation r;
  r.is_reporter = actor.reporter_case != 0 && actor.reporter_case == c.id;
  r.is_reporter_advisor = c.reporter_advisor_id && *c.reporter_advisor_id == actor.person_id;
  r.is_weighing_advisor = c.weighing_advisor_id && *c.weighing_advisor_id == actor.person_id;
  r.is_reviewer = Contains(c.reviewer_ids, actor.person_id);
  r.registered_it = c.registered_by_person != 0 && c.registered_by_person == actor.person_id &&
                    actor.IsAdvisor();
  return r;
}

absl::Status CheckCase(const Actor& a, const CaseRelation& rel, const LmmCase& c,
                       CaseAction action) {
  const bool coordinator = a.Has(Role::kCoordinator);
  const bool advisor_on_case = rel.is_reporter_advisor || rel.is_weighing_advisor;
  const bool decided = c.decision.has_value();
  switch (action) {
    case CaseAction::kRead:
      if (coordinator || advisor_on_case || rel.is_reviewer || rel.registered_it || rel.is_reporter)
        return absl::OkStatus();
      if (a.Has(Role::kCompetentAuthority) && AuthorityMaySee(c)) return absl::OkStatus();
      return Deny("U heeft geen toegang tot deze melding.");
    case CaseAction::kReadIdentity:
      // Only the two VPIs and the coordinator (and the reporter, who knows).
      if (coordinator || advisor_on_case || rel.is_reporter) return absl::OkStatus();
      if (rel.registered_it && !c.reporter_advisor_id) return absl::OkStatus();
      return Deny("De identiteit van de melder is alleen zichtbaar voor de twee VPI's en de coördinator.");
    case CaseAction::kReadWeighing:
      // The reporter's VPI never sees weighing or advice (DOMAIN §2.4).
      if (rel.is_reporter_advisor)
        return Deny("De VPI van de melder neemt geen deel aan weging en advies.");
      if (coordinator || rel.is_weighing_advisor || rel.is_reviewer) return absl::OkStatus();
      if (a.Has(Role::kCompetentAuthority) && AuthorityMaySee(c)) return absl::OkStatus();
      return Deny("U heeft geen toegang tot de weging van deze melding.");
    case CaseAction::kReadOutcome:
      // Communication gate: the advice reaches reporter and reporter's VPI only
      // once the authority has decided on it, also when the coordinator is the
      // reporter's VPI.
      if (rel.is_reporter_advisor && !decided)
        return Deny("Het advies is pas zichtbaar nadat het bevoegd gezag heeft besloten.");
      if (coordinator || rel.is_weighing_advisor || rel.is_reviewer) return absl::OkStatus();
      if (a.Has(Role::kCompetentAuthority) && AuthorityMaySee(c)) return absl::OkStatus();
      if ((rel.is_reporter || rel.is_reporter_advisor) && decided) return absl::OkStatus();
      return Deny("Het advies is pas zichtbaar nadat het bevoegd gezag heeft besloten.");
    case CaseAction::kReadProtection:
    case CaseAction::kRecordProtection:
      if (coordinator || rel.is_reporter_advisor) return absl::OkStatus();
      return Deny("Alleen de VPI van de melder en de coördinator beheren contacten en bescherming.");
    case CaseAction::kReadAccessLog:
      if (coordinator || a.Has(Role::kAuditor)) return absl::OkStatus();
      return Deny("Alleen de coördinator en de auditor zien wie de melding heeft ingezien.");
    case CaseAction::kStaff:
      if (coordinator) return absl::OkStatus();
      return Deny("Alleen de coördinator bemenst een melding.");
    case CaseAction::kRecordDefinitionTest:
      if (rel.is_weighing_advisor || coordinator) return absl::OkStatus();
      return Deny("Alleen de wegende VPI of de coördinator toetst aan de definitie.");
    case CaseAction::kRecordWeighing:
      if (rel.is_weighing_advisor) return absl::OkStatus();
      return Deny("Alleen de wegende VPI legt de weging vast.");
    case CaseAction::kInviteReviewer:
      if (rel.is_weighing_advisor || coordinator) return absl::OkStatus();
      return Deny("Alleen de wegende VPI of de coördinator nodigt collega's uit voor de collegiale toets.");
    case CaseAction::kReview:
      if (rel.is_reporter_advisor)
        return Deny("De VPI van de melder neemt geen deel aan weging en advies.");
      if (rel.is_weighing_advisor)
        return Deny("De wegende VPI kan de eigen weging niet collegiaal toetsen.");
      if (coordinator || (rel.is_reviewer && a.IsAdvisor())) return absl::OkStatus();
      return Deny("Alleen de coördinator en uitgenodigde VPI's toetsen collegiaal.");
    case CaseAction::kAdvise:
      if (rel.is_weighing_advisor) return absl::OkStatus();
      return Deny("Alleen de wegende VPI brengt het advies uit.");
    case CaseAction::kDecide:
      if (a.Has(Role::kCompetentAuthority)) return absl::OkStatus();
      return Deny("Alleen het bevoegd gezag besluit over het advies.");
    case CaseAction::kAcknowledge:
      if (coordinator || rel.is_reporter_advisor || rel.registered_it) return absl::OkStatus();
      return Deny("Alleen de VPI van de melder of de coördinator bevestigt de ontvangst.");
    case CaseAction::kRecordFeedback:
      if (coordinator || rel.is_reporter_advisor) return absl::OkStatus();
      return Deny("Alleen de VPI van de melder of de coördinator legt de terugkoppeling vast.");
    case CaseAction::kClose:
      if (coordinator) return absl::OkStatus();
      return Deny("Alleen de coördinator sluit een melding af.");
  }
  return Deny("Onbekende handeling.");
}

absl::Status CheckSeparationOfDuties(const Actor& a, const CaseRelation& rel, CaseAction action) {
  switch (action) {
    case CaseAction::kRecordDefinitionTest:
    case CaseAction::kRecordWeighing:
    case CaseAction::kInviteReviewer:
    case CaseAction::kReview:
    case CaseAction::kAdvise:
      if (rel.is_reporter_advisor)
        return Deny("De VPI van de melder neemt geen deel aan weging en advies.");
      break;
    default:
      break;
  }
  if (action == CaseAction::kReview && rel.is_weighing_advisor)
    return Deny("De wegende VPI kan de eigen weging niet collegiaal toetsen.");
  if (rel.is_reporter && !rel.is_reporter_advisor && !rel.is_weighing_advisor && !a.Has(Role::kCoordinator)) {
    switch (action) {
      case CaseAction::kRead:
      case CaseAction::kReadIdentity:
      case CaseAction::kReadOutcome:
        break;
      default:
        return Deny("Als melder kunt u geen stappen in uw eigen melding zetten.");
    }
  }
  return absl::OkStatus();
}

bool Can(const Actor& a, const CaseRelation& rel, const LmmCase& c, CaseAction action) {
  return CheckCase(a, rel, c, action).ok();
}

namespace {
bool ReporterContact(const Actor& a, const CaseRelation& rel, const LmmCase& c) {
  return rel.is_reporter_advisor || a.Has(Role::kCoordinator) || (rel.registered_it && !c.reporter_advisor_id);
}
bool CaseTeam(const Actor& a, const CaseRelation& rel) {
  return rel.is_reporter_advisor || rel.is_weighing_advisor || rel.is_reviewer || rel.registered_it ||
         a.Has(Role::kCoordinator);
}
}  // namespace

bool MaySeeMessage(const Actor& a, const CaseRelation& rel, const LmmCase& c, std::string_view visibility,
                   Id author_person) {
  if (visibility == "reporter") return rel.is_reporter || ReporterContact(a, rel, c);
  if (rel.is_reporter) return false;
  if (visibility == "team") return CaseTeam(a, rel);
  if (visibility == "personal") return author_person != 0 && author_person == a.person_id;
  return false;
}

absl::Status CheckPostMessage(const Actor& a, const CaseRelation& rel, const LmmCase& c,
                              std::string_view visibility) {
  if (visibility != "reporter" && visibility != "team" && visibility != "personal")
    return absl::InvalidArgumentError("Kies voor wie het bericht is.");
  if (rel.is_reporter) {
    if (visibility != "reporter") return Deny("Als melder schrijft u aan uw VPI.");
    return absl::OkStatus();
  }
  if (visibility == "reporter" && !ReporterContact(a, rel, c))
    return Deny("Alleen de VPI van de melder (of de coördinator) schrijft de melder.");
  if (!CaseTeam(a, rel)) return Deny("U werkt niet aan deze melding.");
  return absl::OkStatus();
}

ListScope CaseListScope(const Actor& a) {
  ListScope s;
  s.all = a.Has(Role::kCoordinator);
  s.as_member = a.IsAdvisor();
  s.as_authority = a.Has(Role::kCompetentAuthority);
  return s;
}

absl::Status CheckAdvisorEligible(const AdvisorCandidate& cand, const CaseParties& p) {
  if (!cand.is_advisor) return Forbidden("Deze persoon is geen VPI.");
  if (p.reporter_person_id && *p.reporter_person_id == cand.person_id)
    return Forbidden("De melder kan niet zelf VPI op de eigen melding zijn.");
  if (Contains(p.subject_ids, cand.person_id))
    return Forbidden("Deze VPI wordt in de melding genoemd en kan niet worden toegewezen.");
  if (Contains(p.reporter_chain, cand.person_id))
    return Forbidden("Deze VPI zit in de gezagslijn van de melder en kan niet worden toegewezen.");
  for (const auto& chain : p.subject_chains) {
    if (Contains(chain, cand.person_id))
      return Forbidden("Deze VPI zit in de gezagslijn van een betrokkene en kan niet worden toegewezen.");
  }
  return absl::OkStatus();
}

absl::Status CheckAuditSearch(const Actor& a) {
  if (a.Has(Role::kAuditor)) return absl::OkStatus();
  return Forbidden("Alleen de auditor doorzoekt de audittrail.");
}

absl::Status CheckAdmin(const Actor& a) {
  if (a.Has(Role::kAdmin)) return absl::OkStatus();
  return Forbidden("Alleen een beheerder mag dit.");
}

absl::Status CheckRegisterOnBehalf(const Actor& a) {
  if (a.IsAdvisor()) return absl::OkStatus();
  return Forbidden("Alleen een VPI registreert een melding namens een melder.");
}

absl::Status CheckRecordActivity(const Actor& a) {
  if (a.IsAdvisor()) return absl::OkStatus();
  return Forbidden("Alleen een VPI registreert activiteiten.");
}

}  // namespace waarborg::access
