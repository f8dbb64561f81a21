// Domain rules of vertrouwenswerk (unwanted behaviour) and the complaints
// committee (DOMAIN §3; issue 4 §2, §3) as pure functions: no clock, no I/O,
// no storage. Each check says which guard of StandardGuards()
// (core/workflow/track.cc) it implements.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "core/common/date.h"
#include "core/org/org.h"

namespace waarborg::complaints {

// ---------------------------------------------------------------------------
// Signal function (signaalfunctie), DOMAIN §3 [002 §2.6.1]: several complaints
// about one person or group let the CVP signal the manager without revealing
// who complained.

// What the signal function needs of a complaint (melding of klacht bij een VP).
struct ComplaintRef {
  Id complaint_id = 0;
  Id complainant_person = 0;
  std::optional<Id> accused_person;
  std::optional<Id> accused_team;
  Date received;
};

enum class SignalConcerns { kPerson, kTeam };

// A signal for the CVP to raise with the manager. By design it holds NO
// complainant ids, NO complaint ids and NO received dates: only who it is
// about, how many independent complaints, and the window looked at. A test
// pins the field list, so adding a field is a deliberate change.
struct Signal {
  SignalConcerns concerns = SignalConcerns::kPerson;
  Id concerned = 0;                 // the person or the team (org unit)
  int independent_complaints = 0;   // distinct complainants in the window
  Date period_from;                 // first day of the window
  Date period_to;                   // last day of the window (today)
};

// Complaints received in the window of `window_days` calendar days ending on
// `today` (today - window_days + 1 .. today, both inclusive) are grouped per
// accused person and per accused team (a complaint naming both counts for
// both). Complaints are independent when their complainants differ; a group
// gives a Signal when it has at least `threshold` distinct complainants. The
// threshold is never below 2 (lower values count as 2): a single complaint
// is never signalled. Persons come first, then teams, each by ascending id.
std::vector<Signal> DetectSignals(const std::vector<ComplaintRef>& complaints, Date today,
                                  int window_days, int threshold = 2);

// The signal in Dutch for the CVP. `name_of` gives the name of the person or
// team concerned; it is called only for the signal's own subject, never for a
// complainant.
std::string TextNl(const Signal& s,
                   const std::function<std::string(SignalConcerns, Id)>& name_of);

// ---------------------------------------------------------------------------
// Power difference (machtsverschil), DOMAIN §3 [002 §2.6.3].

// Guard `counsellor_not_outranked` (its first half). Higher number = higher
// rank. True when the accused outranks the complainant or the counsellor.
bool PowerDifference(int complainant_rank_level, int counsellor_rank_level, int accused_rank_level);

// A counsellor (VP) who could take the complaint.
struct CounsellorOption {
  Id person_id = 0;
  Id unit_id = 0;      // eenheid
  Id district_id = 0;  // district within the unit
};

// Counsellors from another district or another unit than the complaint's, to
// offer when there is a power difference. Counsellors of another district of
// the same unit come first, then those of other units; input order otherwise.
std::vector<Id> CounsellorsFromElsewhere(const std::vector<CounsellorOption>& options,
                                         Id complaint_unit, Id complaint_district);

// ---------------------------------------------------------------------------
// Interregional complaints committee, DOMAIN §3.

// Guard `chair_from_other_unit`. Refuses (FailedPrecondition) a chair from the
// complaint's own unit; missing ids (<= 0) are invalid.
absl::Status CheckCommitteeChair(Id chair_unit, Id complaint_unit);

// ---------------------------------------------------------------------------
// Consent per item, DOMAIN §3: the complainant decides per item what may be
// passed on.

struct ComplaintItem {
  std::string key;
  std::string text;
  bool may_pass_on = false;  // the complainant's consent for this item
};

// The items the complainant allowed to pass on, in input order.
std::vector<ComplaintItem> PassableItems(const std::vector<ComplaintItem>& items);

// Guard `complainant_consent`. Refuses (FailedPrecondition) when any key to
// pass on lacks the complainant's consent, naming every such key; a key that
// is not an item is invalid. When a key occurs more than once, every
// occurrence needs consent.
absl::Status CheckPassOn(const std::vector<ComplaintItem>& items,
                         const std::vector<std::string>& keys_to_pass);

}  // namespace waarborg::complaints
