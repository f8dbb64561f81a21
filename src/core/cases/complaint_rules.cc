#include "core/cases/complaint_rules.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <utility>

#include "core/calendar/dutch_calendar.h"
#include "core/common/status.h"
#include "core/common/strings.h"

namespace waarborg::complaints {

std::vector<Signal> DetectSignals(const std::vector<ComplaintRef>& complaints, Date today,
                                  int window_days, int threshold) {
  std::vector<Signal> out;
  if (window_days < 1 || !today.ok()) return out;
  threshold = std::max(threshold, 2);
  const Date from = calendar::AddDays(today, -(window_days - 1));

  // Distinct complainants per accused person and per accused team.
  std::map<Id, std::set<Id>> by_person, by_team;
  for (const auto& c : complaints) {
    if (!c.received.ok() || c.received < from || c.received > today) continue;
    if (c.accused_person) by_person[*c.accused_person].insert(c.complainant_person);
    if (c.accused_team) by_team[*c.accused_team].insert(c.complainant_person);
  }
  auto emit = [&](const std::map<Id, std::set<Id>>& groups, SignalConcerns concerns) {
    for (const auto& [concerned, complainants] : groups) {
      int n = static_cast<int>(complainants.size());
      if (n >= threshold) out.push_back(Signal{concerns, concerned, n, from, today});
    }
  };
  emit(by_person, SignalConcerns::kPerson);
  emit(by_team, SignalConcerns::kTeam);
  return out;
}

std::string TextNl(const Signal& s, const std::function<std::string(SignalConcerns, Id)>& name_of) {
  std::string name = name_of ? name_of(s.concerns, s.concerned) : std::string();
  if (name.empty()) name = s.concerns == SignalConcerns::kTeam ? "een team" : "een medewerker";
  return Cat("Signaal: van ", FormatDateNl(s.period_from), " t/m ", FormatDateNl(s.period_to), " kwamen ",
             s.independent_complaints, " klachten van verschillende klagers binnen over ",
             s.concerns == SignalConcerns::kTeam ? "het team " : "", name,
             ". Bespreek dit met de leidinggevende zonder te noemen wie er klaagde.");
}

bool PowerDifference(int complainant_rank_level, int counsellor_rank_level, int accused_rank_level) {
  return accused_rank_level > complainant_rank_level || accused_rank_level > counsellor_rank_level;
}

std::vector<Id> CounsellorsFromElsewhere(const std::vector<CounsellorOption>& options,
                                         Id complaint_unit, Id complaint_district) {
  std::vector<Id> same_unit, other_unit;
  for (const auto& o : options) {
    if (o.unit_id != complaint_unit) {
      other_unit.push_back(o.person_id);
    } else if (o.district_id != complaint_district) {
      same_unit.push_back(o.person_id);
    }
  }
  same_unit.insert(same_unit.end(), other_unit.begin(), other_unit.end());
  return same_unit;
}

absl::Status CheckCommitteeChair(Id chair_unit, Id complaint_unit) {
  if (chair_unit <= 0) return Invalid("Kies de eenheid van de voorzitter.");
  if (complaint_unit <= 0) return Invalid("De eenheid van de klacht is onbekend.");
  if (chair_unit == complaint_unit) {
    return Conflict(
        "De voorzitter van de interregionale klachtencommissie komt uit een andere eenheid dan de "
        "klacht. Kies een voorzitter uit een andere eenheid.");
  }
  return absl::OkStatus();
}

std::vector<ComplaintItem> PassableItems(const std::vector<ComplaintItem>& items) {
  std::vector<ComplaintItem> out;
  std::copy_if(items.begin(), items.end(), std::back_inserter(out),
               [](const ComplaintItem& i) { return i.may_pass_on; });
  return out;
}

absl::Status CheckPassOn(const std::vector<ComplaintItem>& items,
                         const std::vector<std::string>& keys_to_pass) {
  std::string refused;
  std::set<std::string> seen;
  for (const auto& key : keys_to_pass) {
    if (!seen.insert(key).second) continue;
    bool found = false, consent = true;
    for (const auto& i : items) {
      if (i.key != key) continue;
      found = true;
      consent = consent && i.may_pass_on;
    }
    if (!found) return Invalid(Cat("Onbekend onderdeel '", key, "'."));
    if (!consent) refused += Cat(refused.empty() ? "" : ", ", "'", key, "'");
  }
  if (!refused.empty()) {
    return Conflict(Cat("De klager heeft geen toestemming gegeven om door te geven: ", refused, "."));
  }
  return absl::OkStatus();
}

}  // namespace waarborg::complaints
