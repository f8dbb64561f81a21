#include "core/cases/lmm_case.h"

#include <algorithm>

namespace waarborg {

std::string_view LmmStateName(LmmState s) {
  switch (s) {
    case LmmState::kRegistered: return "registered";
    case LmmState::kStaffed: return "staffed";
    case LmmState::kWeighing: return "weighing";
    case LmmState::kAdvised: return "advised";
    case LmmState::kInvestigation: return "investigation";
    case LmmState::kClosed: return "closed";
    case LmmState::kReferred: return "referred";
  }
  return "registered";
}

std::string_view LmmStateLabelNl(LmmState s) {
  switch (s) {
    case LmmState::kRegistered: return "Wacht op bemensing";
    case LmmState::kStaffed: return "Bemenst, toets aan de definitie";
    case LmmState::kWeighing: return "Wegingsonderzoek";
    case LmmState::kAdvised: return "Advies bij het bevoegd gezag";
    case LmmState::kInvestigation: return "Onderzoek door ad-hoccommissie";
    case LmmState::kClosed: return "Afgesloten";
    case LmmState::kReferred: return "Doorverwezen (geen misstand)";
  }
  return "";
}

std::optional<LmmState> ParseLmmState(std::string_view s) {
  for (auto st : {LmmState::kRegistered, LmmState::kStaffed, LmmState::kWeighing,
                  LmmState::kAdvised, LmmState::kInvestigation, LmmState::kClosed,
                  LmmState::kReferred}) {
    if (LmmStateName(st) == s) return st;
  }
  return std::nullopt;
}

bool IsTerminal(LmmState s) { return s == LmmState::kClosed || s == LmmState::kReferred; }

const std::vector<std::string_view> kReporterCategories = {
    "employee", "former_employee", "contractor", "hired_staff",
    "temp",     "intern",          "volunteer",  "seconded"};

std::string_view ReporterCategoryLabelNl(std::string_view c) {
  if (c == "employee") return "Ambtenaar (medewerker)";
  if (c == "former_employee") return "Voormalig ambtenaar";
  if (c == "contractor") return "Zelfstandige zonder personeel (zzp)";
  if (c == "hired_staff") return "Ingehuurde kracht";
  if (c == "temp") return "Uitzendkracht";
  if (c == "intern") return "Stagiair";
  if (c == "volunteer") return "Vrijwilliger";
  if (c == "seconded") return "Gedetacheerde";
  return "Onbekend";
}

const std::vector<std::string_view> kIntakeChannels = {"online", "conversation", "mailbox"};

std::string_view IntakeChannelLabelNl(std::string_view c) {
  if (c == "online") return "Online door de melder";
  if (c == "conversation") return "Gesprek met een VPI";
  if (c == "mailbox") return "LMM-mailbox";
  return "Onbekend";
}

const std::vector<std::string_view> kMisstandHarms = {
    "statutory_violation", "public_health", "safety_of_persons", "environment",
    "proper_functioning"};
const std::vector<std::string_view> kExclusions = {
    "conscience_or_policy", "hearsay", "legal_position", "minor_shortcoming", "labour_dispute"};
const std::vector<std::string_view> kReferrals = {"hrm", "works_council", "line",
                                                  "objection_procedure", "none"};
const std::vector<std::string_view> kWeighingCriteria = {"concrete", "good_faith", "investigable",
                                                         "credible"};

std::string_view CriterionLabelNl(std::string_view k) {
  // Harms
  if (k == "statutory_violation") return "Schending van een wettelijk voorschrift";
  if (k == "public_health") return "Gevaar voor de volksgezondheid";
  if (k == "safety_of_persons") return "Gevaar voor de veiligheid van personen";
  if (k == "environment") return "Gevaar voor de aantasting van het milieu";
  if (k == "proper_functioning")
    return "Gevaar voor het goed functioneren van de openbare dienst door onbehoorlijk handelen of nalaten";
  // Exclusions
  if (k == "conscience_or_policy") return "Gewetensbezwaar of kritiek op beleid";
  if (k == "hearsay") return "Van horen zeggen";
  if (k == "legal_position") return "Conflict over de eigen rechtspositie";
  if (k == "minor_shortcoming") return "Kleine tekortkoming (te laat komen, privékopieën)";
  if (k == "labour_dispute") return "Arbeidsconflict";
  // Referrals
  if (k == "hrm") return "HRM";
  if (k == "works_council") return "Ondernemingsraad (OR)";
  if (k == "line") return "De lijn (leidinggevende)";
  if (k == "objection_procedure") return "Bezwaar- en beroepsprocedure";
  if (k == "none") return "Geen doorverwijzing";
  // Weighing criteria
  if (k == "concrete") return "Voldoende concreet";
  if (k == "good_faith") return "Melder te goeder trouw";
  if (k == "investigable") return "Voldoende onderzoeksmogelijkheden";
  if (k == "credible") return "Aannemelijk en waarschijnlijk";
  return k;
}

bool PassesDefinitionTest(const DefinitionTest& t) {
  if (!t.reasonable_grounds || !t.public_interest || t.harms.empty() || !t.exclusions.empty()) {
    return false;
  }
  // A light violation counts only when systematic or politically sensitive.
  if (t.light_violation && !t.systematic_or_sensitive) return false;
  return true;
}

std::string_view SuggestedReferral(std::string_view exclusion) {
  if (exclusion == "labour_dispute") return "hrm";
  if (exclusion == "legal_position") return "objection_procedure";
  if (exclusion == "minor_shortcoming") return "line";
  if (exclusion == "conscience_or_policy") return "works_council";
  return "line";
}

bool WeighingComplete(const Weighing& w) {
  for (auto c : kWeighingCriteria) {
    auto it = w.findings.find(std::string(c));
    if (it == w.findings.end() || it->second.reasoning.empty()) return false;
  }
  return w.expected_end.has_value();
}

}  // namespace waarborg
