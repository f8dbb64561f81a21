#include "core/cases/investigation_rules.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>

#include "core/common/status.h"
#include "core/common/strings.h"

namespace waarborg::investigation {
namespace {

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

int DaysBetween(Date from, Date to) {  // to - from in calendar days
  return static_cast<int>((std::chrono::sys_days{to} - std::chrono::sys_days{from}).count());
}

InvestigationKind Other(InvestigationKind k) {
  return k == InvestigationKind::kCriminal ? InvestigationKind::kDisciplinary
                                           : InvestigationKind::kCriminal;
}

absl::Status CheckOneMatter(const std::vector<InvestigatorAssignment>& assignments) {
  for (const auto& a : assignments) {
    if (a.matter_id != assignments.front().matter_id) {
      return Invalid("De toewijzingen horen niet allemaal bij dezelfde zaak.");
    }
  }
  return absl::OkStatus();
}

struct KeyLabel {
  std::string_view key;
  std::string_view label_nl;
};

// BARP art. 76-77 as listed in DOMAIN §8 ("keep the list as data").
constexpr std::array<KeyLabel, 8> kBarpPenalties{{
    {"written_reprimand", "Schriftelijke berisping"},
    {"extra_duty", "Extra diensten"},
    {"reduced_leave", "Vermindering van vakantieverlof"},
    {"fine", "Geldboete"},
    {"salary_withheld", "Gedeeltelijke inhouding van salaris"},
    {"lower_salary_step", "Plaatsing in een lagere salaristrede"},
    {"suspension", "Schorsing"},
    {"dismissal", "Ontslag"},
}};

constexpr std::array<KeyLabel, 4> kRankCategories{{
    {"executive", "Uitvoerend (aspirant t/m brigadier)"},
    {"middle_management", "Middenkader (inspecteur, hoofdinspecteur)"},
    {"senior_management", "Hoger leidinggevend (commissaris en hoger)"},
    {"civilian", "Niet-executief personeel"},
}};

template <std::size_t N>
std::string_view LabelOf(const std::array<KeyLabel, N>& list, std::string_view key) {
  for (const auto& kl : list)
    if (kl.key == key) return kl.label_nl;
  return {};
}

template <std::size_t N>
std::vector<std::string_view> KeysOf(const std::array<KeyLabel, N>& list) {
  std::vector<std::string_view> out;
  for (const auto& kl : list) out.push_back(kl.key);
  return out;
}

}  // namespace

std::string_view InvestigationKindName(InvestigationKind k) {
  switch (k) {
    case InvestigationKind::kDisciplinary: return "disciplinary";
    case InvestigationKind::kCriminal: return "criminal";
  }
  return "disciplinary";
}

std::string_view InvestigationKindLabelNl(InvestigationKind k) {
  switch (k) {
    case InvestigationKind::kDisciplinary: return "disciplinair";
    case InvestigationKind::kCriminal: return "strafrechtelijk";
  }
  return "";
}

std::optional<InvestigationKind> ParseInvestigationKind(std::string_view s) {
  for (auto k : {InvestigationKind::kDisciplinary, InvestigationKind::kCriminal}) {
    if (InvestigationKindName(k) == s) return k;
  }
  return std::nullopt;
}

absl::Status CheckInvestigatorAssignment(const std::vector<InvestigatorAssignment>& matter_assignments,
                                         Id person, InvestigationKind kind) {
  if (person <= 0) return Invalid("Kies een onderzoeker.");
  RETURN_IF_ERROR(CheckOneMatter(matter_assignments));
  const InvestigationKind other = Other(kind);
  for (const auto& a : matter_assignments) {
    if (a.person_id == person && a.kind == other) {
      return Conflict(Cat("Deze persoon ", a.active ? "onderzoekt" : "onderzocht",
                          " dezelfde zaak al ", InvestigationKindLabelNl(other),
                          " en mag haar daarom niet ", InvestigationKindLabelNl(kind),
                          " onderzoeken (functiescheiding)."));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckTurnsCriminal(const std::vector<InvestigatorAssignment>& matter_assignments,
                                const std::vector<Id>& proposed_criminal_investigators) {
  RETURN_IF_ERROR(CheckOneMatter(matter_assignments));
  if (proposed_criminal_investigators.empty()) {
    return Conflict(
        "Een disciplinaire zaak die strafrechtelijk wordt, krijgt een andere onderzoeker: "
        "wijs ten minste één strafrechtelijk onderzoeker aan.");
  }
  int conflicted = 0;
  for (Id p : proposed_criminal_investigators) {
    if (p <= 0) return Invalid("Kies een onderzoeker.");
    bool was_disciplinary = std::any_of(
        matter_assignments.begin(), matter_assignments.end(), [&](const InvestigatorAssignment& a) {
          return a.person_id == p && a.kind == InvestigationKind::kDisciplinary;
        });
    if (was_disciplinary) ++conflicted;
  }
  if (conflicted > 0) {
    return Conflict(Cat("Een disciplinaire zaak die strafrechtelijk wordt, moet van onderzoeker wisselen: ",
                        conflicted == 1 ? "één voorgestelde onderzoeker was"
                                        : Cat(conflicted, " voorgestelde onderzoekers waren"),
                        " al disciplinair onderzoeker van deze zaak."));
  }
  return absl::OkStatus();
}

absl::Status CheckNoticeDate(Date planned, std::string_view recorded_reason,
                             const calendar::HolidayOptions& opts) {
  if (!planned.ok()) return Invalid("De geplande datum van de aanzegging is ongeldig.");
  if (!IsBlank(recorded_reason)) return absl::OkStatus();
  if (!calendar::IsWorkingDay(planned, opts)) {
    return Conflict(Cat("De aanzegging is gepland op ", FormatDateNl(planned),
                        ", een weekend- of feestdag, wanneer geen ondersteuning bereikbaar is. "
                        "Kies een andere dag of leg de reden vast."));
  }
  if (calendar::IsLastWorkingDayBeforeDayOff(planned, opts)) {
    return Conflict(Cat("De aanzegging is gepland op ", FormatDateNl(planned),
                        ", de laatste werkdag voor een weekend of feestdag, wanneer geen "
                        "ondersteuning bereikbaar is. Kies een andere dag of leg de reden vast."));
  }
  return absl::OkStatus();
}

int PreparationWorkingDays(Date description_given, Date hearing, const calendar::HolidayOptions& opts) {
  int n = 0;
  for (Date d = calendar::AddDays(description_given, 1); d < hearing; d = calendar::AddDays(d, 1)) {
    if (calendar::IsWorkingDay(d, opts)) ++n;
  }
  return n;
}

Date EarliestHearing(Date description_given, int min_working_days, const calendar::HolidayOptions& opts) {
  return calendar::AddDays(calendar::AddWorkingDays(description_given, std::max(min_working_days, 0), opts),
                           1);
}

absl::Status CheckPreparationTime(Date description_given, Date hearing, int min_working_days,
                                  const calendar::HolidayOptions& opts) {
  if (!description_given.ok() || !hearing.ok()) return Invalid("Een datum is ongeldig.");
  if (min_working_days < 0) return Invalid("De minimale voorbereidingstijd kan niet negatief zijn.");
  if (hearing <= description_given) {
    return Invalid("Het hoorgesprek moet na de dag liggen waarop de omschrijving van het verweten "
                   "gedrag is gegeven.");
  }
  const int have = PreparationWorkingDays(description_given, hearing, opts);
  if (have < min_working_days) {
    return Conflict(Cat("De betrokkene heeft ", have, " werkdag", have == 1 ? "" : "en",
                        " voorbereidingstijd voor het hoorgesprek; minimaal ", min_working_days,
                        " nodig. Plan het hoorgesprek op of na ",
                        FormatDateNl(EarliestHearing(description_given, min_working_days, opts)), "."));
  }
  return absl::OkStatus();
}

CareContactStatus CareContact(Date care_started, std::optional<Date> last_contact, int every_weeks,
                              Date today) {
  Date base = care_started;
  if (last_contact && *last_contact > base) base = *last_contact;
  CareContactStatus s;
  s.next_due = calendar::AddDays(base, 7 * std::max(every_weeks, 1));
  if (today > s.next_due) {
    s.overdue = true;
    s.days_overdue = DaysBetween(s.next_due, today);
  }
  return s;
}

absl::Status CheckCareManager(Id care_manager, const CaseParties& parties) {
  if (care_manager <= 0) return Invalid("Kies een zorgverlenende leidinggevende.");
  auto refuse = [](std::string_view role) {
    return Conflict(Cat("De zorgverlenende leidinggevende is ", role,
                        " in deze zaak en kan daarom geen P-zorg geven. Kies een andere leidinggevende."));
  };
  if (care_manager == parties.subject) return refuse("zelf de betrokkene");
  if (parties.complainant && care_manager == *parties.complainant) return refuse("klager of melder");
  if (std::find(parties.investigators.begin(), parties.investigators.end(), care_manager) !=
      parties.investigators.end()) {
    return refuse("onderzoeker");
  }
  if (parties.commissioning_manager && care_manager == *parties.commissioning_manager) {
    return refuse("opdrachtgever");
  }
  return absl::OkStatus();
}

int DelayDays(const std::vector<DelayReason>& reasons) {
  std::vector<std::pair<std::chrono::sys_days, std::chrono::sys_days>> spans;
  for (const auto& r : reasons) {
    if (r.from.ok() && r.to.ok() && r.to >= r.from) spans.emplace_back(r.from, r.to);
  }
  std::sort(spans.begin(), spans.end());
  int days = 0;
  std::optional<std::chrono::sys_days> counted_to;  // last day already counted
  for (const auto& [from, to] : spans) {
    auto start = counted_to && *counted_to >= from ? *counted_to + std::chrono::days{1} : from;
    if (start <= to) days += static_cast<int>((to - start).count()) + 1;
    if (!counted_to || to > *counted_to) counted_to = to;
  }
  return days;
}

absl::Status CheckDelayReason(const DelayReason& r) {
  if (IsBlank(r.reason)) return Invalid("Geef de reden van de vertraging.");
  if (!r.from.ok() || !r.to.ok()) return Invalid("De periode van de vertraging heeft een ongeldige datum.");
  if (r.to < r.from) return Invalid("De vertraging kan niet eindigen voordat ze begint.");
  return absl::OkStatus();
}

std::vector<std::string_view> BarpPenaltyKeys() { return KeysOf(kBarpPenalties); }
bool IsBarpPenalty(std::string_view key) { return !LabelOf(kBarpPenalties, key).empty(); }
std::string_view BarpPenaltyLabelNl(std::string_view key) { return LabelOf(kBarpPenalties, key); }

std::vector<std::string_view> RankCategoryKeys() { return KeysOf(kRankCategories); }
bool IsRankCategory(std::string_view key) { return !LabelOf(kRankCategories, key).empty(); }
std::string_view RankCategoryLabelNl(std::string_view key) { return LabelOf(kRankCategories, key); }

absl::Status CheckOutcome(std::string_view penalty_or_empty, std::string_view learning_measure_or_empty,
                          std::string_view subject_rank_category) {
  const bool has_penalty = !IsBlank(penalty_or_empty);
  const bool has_learning = !IsBlank(learning_measure_or_empty);
  if (has_penalty && has_learning) {
    return Invalid("Kies een straf van de BARP-lijst of een leermaatregel, niet allebei.");
  }
  if (!has_penalty && !has_learning) {
    return Invalid("Kies een straf van de BARP-lijst of beschrijf een leermaatregel.");
  }
  if (has_penalty && !IsBarpPenalty(penalty_or_empty)) {
    return Invalid(Cat("'", penalty_or_empty, "' staat niet op de lijst van straffen van het BARP."));
  }
  if (IsBlank(subject_rank_category)) {
    return Invalid("Leg de rangcategorie van de betrokkene vast, zodat straffen per rang te vergelijken zijn.");
  }
  if (!IsRankCategory(subject_rank_category)) {
    return Invalid(Cat("Onbekende rangcategorie '", subject_rank_category, "'."));
  }
  return absl::OkStatus();
}

}  // namespace waarborg::investigation
