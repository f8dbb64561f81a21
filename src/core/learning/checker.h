// The checker of learning cases: finds identifying material in the free
// text of a draft. Names of everyone in the case (in full, the surname, the
// first name) and of all staff (in full), names typed in the case (a
// representative), case references (the case's own and any that looks like
// one), exact dates in the common Dutch forms, telephone numbers, e-mail
// addresses, numbers that can point at a person (personnel numbers, BSN),
// licence plates, and the names of units below the place the learning case
// may name. A draft with findings cannot be submitted or approved.
//
// Each finding names the field and the text as found; they are shown only to
// the author and the approver (the matched text may itself be a name).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/learning/learning_case.h"

namespace waarborg::learning {

enum class FindingKind {
  kCaseName,      // someone in the case
  kStaffName,     // a member of staff
  kRecordedName,  // a name typed in the case (e.g. a representative)
  kReference,     // a case number or reference
  kDate,          // an exact date
  kPhone,
  kEmail,
  kNumber,  // a number that can point at a person (personnel number)
  kBsn,     // burgerservicenummer (passes the 11-test)
  kPlate,   // licence plate (kenteken)
  kUnit,    // a unit below the place the learning case names
};
// Dutch: "naam uit de zaak", "naam van een medewerker", ...
std::string_view FindingKindLabelNl(FindingKind k);

struct Finding {
  TextField field = TextField::kTitle;
  FindingKind kind = FindingKind::kCaseName;
  std::string match;        // as it stands in the text
  std::size_t offset = 0;   // byte offset in the field
  std::string explanation;  // Dutch: why and what to do
};

// What the case holds that may not reach a learning case.
struct CaseMaterial {
  std::vector<std::string> people;      // full names of everyone in the case
  std::vector<std::string> staff;       // full names of the organisation's staff
  std::vector<std::string> recorded;    // names typed in the case's short text fields
  std::vector<std::string> references;  // the case's reference and those it records
  std::vector<std::string> units;       // names of the units the place hides (Place::hidden)
  std::string place;                    // the place the learning case names, for the message
};

class Checker {
 public:
  explicit Checker(const CaseMaterial& material);

  // Every finding in every field, in field order and then by position.
  std::vector<Finding> Check(const LearningTexts& texts) const;
  std::vector<Finding> CheckField(TextField field, std::string_view text) const;

 private:
  struct Term {
    FindingKind kind;
  };
  void AddPhrase(std::string_view text, FindingKind kind);
  void AddWord(std::string_view word, FindingKind kind);
  void AddName(std::string_view full_name, FindingKind kind, bool parts);
  std::string Explain(FindingKind kind) const;

  // Lower-case word sequences joined by one space; case-insensitive.
  std::unordered_map<std::string, Term> phrases_;
  // Single words as written (a surname, a first name): case-sensitive, so
  // "Bos" is found and "bos" is not.
  std::unordered_map<std::string, Term> words_;
  std::size_t max_words_ = 1;
  std::string place_;
};

// True for 9 digits that pass the 11-test of a burgerservicenummer.
bool PassesElevenTest(std::string_view nine_digits);

}  // namespace waarborg::learning
