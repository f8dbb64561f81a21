// Learning cases (issue 5 §5; DOMAIN §4 "learning circles on cases made
// untraceable to persons"): a case of a track turned into an anonymised
// story for learning circles (lerende organisatie, intervisie). The author
// writes it from a draft the system builds (core/learning/draft.h), the
// checker (core/learning/checker.h) refuses free text with names and numbers
// from the case, and a second person approves it before it is published.
//
// A learning case never holds its source: the link back to the case lives
// apart (LearningSource, a table of its own), for the author and the
// approvers only, so a published learning case cannot be traced back by
// whoever reads it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/date.h"
#include "core/org/org.h"

namespace waarborg::learning {

// draft -> submitted -> published; submitted -> draft when sent back.
enum class LearningState { kDraft, kSubmitted, kPublished };
// "draft", "submitted", "published" (database, API).
std::string_view LearningStateName(LearningState s);
std::optional<LearningState> ParseLearningState(std::string_view s);
// "Concept", "Wacht op goedkeuring", "Gepubliceerd".
std::string_view LearningStateLabelNl(LearningState s);

// The texts a reader reads. Every one of them is free text, written or
// edited by the author, and every one is checked.
struct LearningTexts {
  std::string title;          // titel
  std::string situation;      // situatie: the setting, in general terms
  std::string what_happened;  // verloop: the steps by their kind, not their text
  std::string outcome;        // uitkomst: the choice answers (category, penalty, measure)
  std::string lessons;        // lessen: what the organisation can learn
};

enum class TextField { kTitle, kSituation, kWhatHappened, kOutcome, kLessons };
// Every field, in reading order.
const std::vector<TextField>& AllTextFields();
// The form name and element id: "titel", "situatie", "verloop", "uitkomst", "lessen".
std::string_view TextFieldId(TextField f);
std::optional<TextField> ParseTextField(std::string_view id);
// Dutch label: "Titel", "Situatie", "Wat er gebeurde", "Uitkomst", "Lessen".
std::string_view TextFieldLabelNl(TextField f);
const std::string& TextOf(const LearningTexts& t, TextField f);
std::string& TextOf(LearningTexts& t, TextField f);

// At most this many bytes per text (like a case field).
inline constexpr std::size_t kMaxTextBytes = 20000;

struct LearningCase {
  Id id = 0;
  LearningState state = LearningState::kDraft;
  std::int64_t version = 1;
  // The kind of case (track id, e.g. "investigation"): a reader needs it to
  // learn from the story, and it names no one.
  std::string track;
  // Generalised when the draft was made (core/learning/generalise.h): the
  // place ("Eenheid Oost-Nederland", "een eenheid"), the period ("2e
  // kwartaal 2025") and the duration ("ongeveer 4 maanden").
  std::string place;
  std::string period;
  std::string duration;
  LearningTexts texts;        // encrypted at rest
  Id author = 0;              // person
  Id approver = 0;            // person who approved it; 0 until published
  std::string return_reason;  // why it was last sent back; encrypted at rest
  Instant created_at = 0;
  Instant updated_at = 0;
  Instant submitted_at = 0;
  Instant published_at = 0;
};

// Where a learning case came from. Kept in its own table; only the author
// and the approvers of a learning case read it (app/learning_service).
struct LearningSource {
  Id learning_case_id = 0;
  std::string kind = "track";  // the only kind yet; the LMM is not a source (docs/architecture.md)
  Id case_id = 0;
};

struct LearningCaseQuery {
  std::vector<LearningState> states;  // empty: any
  std::optional<Id> author;           // only this author's
  std::vector<std::string> tracks;    // only these kinds; empty: any
  int limit = 200;
};

struct LearningCaseSummary {
  Id id = 0;
  LearningState state = LearningState::kDraft;
  std::string track;
  std::string place;
  std::string period;
  std::string title;
  Id author = 0;
  Instant updated_at = 0;
  Instant published_at = 0;
};

}  // namespace waarborg::learning
