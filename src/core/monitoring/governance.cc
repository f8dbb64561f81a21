#include "core/monitoring/governance.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "core/common/status.h"

namespace waarborg::monitoring {

namespace {
std::string Trim(std::string_view s) { return std::string(absl::StripAsciiWhitespace(std::string(s))); }
}  // namespace

std::string_view ModeName(Mode m) { return m == Mode::kDetection ? "detectie" : "trend"; }

std::optional<Mode> ParseMode(std::string_view name) {
  if (name == "trend") return Mode::kTrend;
  if (name == "detectie") return Mode::kDetection;
  return std::nullopt;
}

std::string_view ModeLabelNl(Mode m) {
  return m == Mode::kDetection ? "Detectiemodus (individuele signalen)" : "Trendmodus (preventie, alleen totalen)";
}

absl::Status CheckModeSwitch(const Actor& actor, Mode current, Mode wanted, std::string_view decision_reference) {
  if (!actor.Has(Role::kAdmin)) return Forbidden("Alleen de beheerder kan de modus van de monitoring wijzigen.");
  if (current == wanted) return Conflict("De monitoring staat al in deze modus.");
  const std::string ref = Trim(decision_reference);
  if (ref.size() < 3 || ref.size() > 100)
    return Invalid("Vermeld het kenmerk van het besluit (3 tot 100 tekens), bijvoorbeeld het OR-besluit.");
  return absl::OkStatus();
}

std::string_view FlagStatusName(FlagStatus s) {
  switch (s) {
    case FlagStatus::kOpen:
      return "open";
    case FlagStatus::kExplained:
      return "verklaard";
    case FlagStatus::kFalsePositive:
      return "vals_positief";
    case FlagStatus::kConversation:
      return "gesprek";
    case FlagStatus::kVikSignal:
      return "vik";
  }
  return "open";
}

std::optional<FlagStatus> ParseFlagStatus(std::string_view name) {
  for (FlagStatus s : {FlagStatus::kOpen, FlagStatus::kExplained, FlagStatus::kFalsePositive, FlagStatus::kConversation,
                       FlagStatus::kVikSignal})
    if (FlagStatusName(s) == name) return s;
  return std::nullopt;
}

std::string_view FlagStatusLabelNl(FlagStatus s) {
  switch (s) {
    case FlagStatus::kOpen:
      return "Te beoordelen";
    case FlagStatus::kExplained:
      return "Verklaard";
    case FlagStatus::kFalsePositive:
      return "Vals positief";
    case FlagStatus::kConversation:
      return "Gesprek gevoerd";
    case FlagStatus::kVikSignal:
      return "Gesignaleerd aan VIK-triage";
  }
  return "";
}

absl::Status CheckReview(const Actor& actor, const Flag& flag, FlagStatus outcome, std::string_view note) {
  if (!actor.Has(Role::kMonitoringAnalyst)) return Forbidden("Alleen een monitoringanalist beoordeelt signalen.");
  if (outcome == FlagStatus::kOpen) return Invalid("Kies een uitkomst van de beoordeling.");
  if (flag.status != FlagStatus::kOpen) return Conflict("Dit signaal is al beoordeeld.");
  const std::string text = Trim(note);
  if (text.empty())
    return Invalid(outcome == FlagStatus::kExplained ? "Geef de verklaring, bijvoorbeeld de zaak waar het bij hoort."
                                                     : "Licht de beoordeling kort toe.");
  if (text.size() > 4000) return Invalid("De toelichting is te lang (maximaal 4.000 tekens).");
  return absl::OkStatus();
}

std::vector<ExplainedPattern> PatternsExplainedBy(const Flag& flag, FlagStatus outcome) {
  std::vector<ExplainedPattern> out;
  if (outcome != FlagStatus::kExplained) return out;
  for (const auto& e : flag.evidence) {
    if (e.subject.empty()) continue;
    const bool seen = std::any_of(
        out.begin(), out.end(), [&](const ExplainedPattern& p) { return p.rule == e.rule && p.subject == e.subject; });
    if (!seen) out.push_back({flag.user, e.rule, e.subject, flag.id});
  }
  return out;
}

bool SuppressExplained(Flag& flag,
                       const std::function<bool(std::string_view, std::string_view, std::string_view)>& explained) {
  std::vector<EvidenceLine> kept;
  for (auto& e : flag.evidence) {
    if (!e.subject.empty() && explained(flag.user, e.rule, e.subject)) {
      flag.score -= e.points;
      continue;
    }
    kept.push_back(std::move(e));
  }
  flag.evidence = std::move(kept);
  if (flag.score < 0) flag.score = 0;
  return !flag.evidence.empty();
}

std::string_view ResolutionStateName(ResolutionState s) {
  switch (s) {
    case ResolutionState::kRequested:
      return "aangevraagd";
    case ResolutionState::kResolved:
      return "herleid";
    case ResolutionState::kRefused:
      return "geweigerd";
  }
  return "aangevraagd";
}

std::optional<ResolutionState> ParseResolutionState(std::string_view name) {
  for (ResolutionState s : {ResolutionState::kRequested, ResolutionState::kResolved, ResolutionState::kRefused})
    if (ResolutionStateName(s) == name) return s;
  return std::nullopt;
}

absl::Status CheckResolutionRequest(const Actor& actor, std::string_view reason) {
  if (!actor.Has(Role::kMonitoringAnalyst)) return Forbidden("Alleen een monitoringanalist vraagt herleiding aan.");
  const std::string text = Trim(reason);
  if (text.size() < 10) return Invalid("Geef de reden van de herleiding (ten minste 10 tekens).");
  if (text.size() > 4000) return Invalid("De reden is te lang (maximaal 4.000 tekens).");
  return absl::OkStatus();
}

absl::Status CheckApproval(const Actor& actor, const Resolution& r) {
  if (!actor.Has(Role::kPrivacyOfficer) && !actor.Has(Role::kVikTeamChief))
    return Forbidden("Alleen de privacyfunctionaris en de teamchef VIK keuren een herleiding goed.");
  if (r.state != ResolutionState::kRequested) return Conflict("Over deze herleiding is al besloten.");
  if (actor.account_id == r.requested_by)
    return Forbidden("Wie de herleiding aanvraagt, keurt haar niet zelf goed: er zijn twee anderen nodig.");
  if (std::find(r.approvers.begin(), r.approvers.end(), actor.account_id) != r.approvers.end())
    return Conflict("U heeft deze herleiding al goedgekeurd; een tweede persoon moet ook goedkeuren.");
  return absl::OkStatus();
}

}  // namespace waarborg::monitoring
