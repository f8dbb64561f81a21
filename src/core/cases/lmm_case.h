// A report of a suspected wrongdoing (melding vermoeden van een misstand) on the
// LMM track, DOMAIN §2. The reporter's identity is NOT part of this struct: it
// lives apart (ReporterIdentity) and is shown only to whom core/access allows.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/date.h"
#include "core/org/org.h"

namespace waarborg {

// Where the case stands. Transitions live in core/workflow/lmm_track.h.
enum class LmmState {
  kRegistered,     // geregistreerd: waiting for staffing by the coordinator
  kStaffed,        // bemenst: two VPIs assigned, definition test pending
  kWeighing,       // wegingsonderzoek
  kAdvised,        // advies bij het bevoegd gezag
  kInvestigation,  // onderzoek door een ad-hoccommissie
  kClosed,         // afgesloten
  kReferred,       // geen misstand: doorverwezen (HRM, OR, lijn, bezwaar)
};
std::string_view LmmStateName(LmmState s);
std::string_view LmmStateLabelNl(LmmState s);
std::optional<LmmState> ParseLmmState(std::string_view s);
bool IsTerminal(LmmState s);

// Melder categories, DOMAIN §1 [000 Definities 1].
extern const std::vector<std::string_view> kReporterCategories;
std::string_view ReporterCategoryLabelNl(std::string_view category);

// How the report came in.
extern const std::vector<std::string_view> kIntakeChannels;  // online, conversation, mailbox
std::string_view IntakeChannelLabelNl(std::string_view channel);

// The definition test (toets aan de definitie van een misstand), DOMAIN §2.
struct DefinitionTest {
  bool reasonable_grounds = false;  // redelijke vermoedens
  bool public_interest = false;     // maatschappelijk belang in het geding
  std::set<std::string> harms;      // see kMisstandHarms; at least one for a misstand
  std::set<std::string> exclusions; // see kExclusions; any one excludes
  bool light_violation = false;     // lichte schending
  bool systematic_or_sensitive = false;  // counts only then
  std::string referral;             // see kReferrals; required when excluded
  std::string notes;
};
extern const std::vector<std::string_view> kMisstandHarms;
extern const std::vector<std::string_view> kExclusions;
extern const std::vector<std::string_view> kReferrals;
std::string_view CriterionLabelNl(std::string_view key);  // labels for harms, exclusions, referrals, weighing criteria

// True when the answers make the report a suspected wrongdoing for the LMM.
bool PassesDefinitionTest(const DefinitionTest& t);
// The referral advised for an exclusion (labour dispute -> hrm, ...).
std::string_view SuggestedReferral(std::string_view exclusion);

// Weighing on the four criteria (wegingsonderzoek).
extern const std::vector<std::string_view> kWeighingCriteria;  // concrete, good_faith, investigable, credible
struct Finding {
  bool met = false;
  std::string reasoning;
};
struct Weighing {
  std::map<std::string, Finding> findings;  // by criterion key
  std::optional<Date> expected_end;         // told to the reporter
};
bool WeighingComplete(const Weighing& w);

struct Review {
  Id reviewer_person_id = 0;
  bool by_coordinator = false;
  bool agrees = true;
  std::string opinion;
  Instant at = 0;
};

struct Advice {
  bool is_suspected_wrongdoing = false;  // is het een melding van een vermoeden van een misstand
  bool investigate_now = false;          // moet er onverwijld onderzoek starten
  std::string reasoning;
  Instant at = 0;
};

struct AuthorityDecision {
  bool adopts_advice = true;
  std::string deviation_reasons;  // required when not adopting
  bool investigate = false;       // onderzoek door een ad-hoccommissie
  std::string notes;
  Instant at = 0;
};

struct LmmCase {
  Id id = 0;
  std::string reference;  // "LMM-2026-0007"
  std::int64_t version = 1;
  LmmState state = LmmState::kRegistered;
  Instant received_at = 0;  // when it was registered in Waarborg
  Date received_on;         // when the report reached the LMM (deadlines count from here)
  Instant updated_at = 0;
  std::string channel;            // kIntakeChannels
  std::string reporter_category;  // kReporterCategories
  std::string pseudonym;          // what everyone who may not see the identity sees
  std::string summary;            // short title
  std::string description;
  Id unit_id = 0;                 // the unit the report concerns
  std::vector<Id> subject_person_ids;  // betrokkenen named in the report
  Id registered_by_person = 0;    // 0 for the reporter themselves online
  std::optional<Id> reporter_advisor_id;  // VPI van de melder
  std::optional<Id> weighing_advisor_id;  // wegende VPI
  std::vector<Id> reviewer_ids;           // invited for collegial review
  Date acknowledgement_due;
  std::optional<Date> acknowledged_on;
  Date feedback_due;
  std::optional<Date> feedback_given_on;
  std::optional<DefinitionTest> definition_test;
  std::optional<Weighing> weighing;
  std::vector<Review> reviews;
  std::optional<Advice> advice;
  std::optional<AuthorityDecision> decision;
};

// The reporter's identity, kept apart from the case (DOMAIN §2, §8).
struct ReporterIdentity {
  Id case_id = 0;
  std::optional<Id> person_id;   // when the reporter is on the staff list
  std::optional<Id> account_id;  // the account that filed it online, for "Mijn meldingen"
  std::string name;
  std::string contact;           // phone or e-mail the reporter chose to give
};

}  // namespace waarborg
