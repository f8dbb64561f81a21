#include "core/learning/learning_case.h"

namespace waarborg::learning {

std::string_view LearningStateName(LearningState s) {
  switch (s) {
    case LearningState::kDraft:
      return "draft";
    case LearningState::kSubmitted:
      return "submitted";
    case LearningState::kPublished:
      return "published";
  }
  return "draft";
}

std::optional<LearningState> ParseLearningState(std::string_view s) {
  for (LearningState x : {LearningState::kDraft, LearningState::kSubmitted, LearningState::kPublished})
    if (LearningStateName(x) == s) return x;
  return std::nullopt;
}

std::string_view LearningStateLabelNl(LearningState s) {
  switch (s) {
    case LearningState::kDraft:
      return "Concept";
    case LearningState::kSubmitted:
      return "Wacht op goedkeuring";
    case LearningState::kPublished:
      return "Gepubliceerd";
  }
  return "Concept";
}

const std::vector<TextField>& AllTextFields() {
  static const std::vector<TextField> kAll = {TextField::kTitle, TextField::kSituation, TextField::kWhatHappened,
                                              TextField::kOutcome, TextField::kLessons};
  return kAll;
}

std::string_view TextFieldId(TextField f) {
  switch (f) {
    case TextField::kTitle:
      return "titel";
    case TextField::kSituation:
      return "situatie";
    case TextField::kWhatHappened:
      return "verloop";
    case TextField::kOutcome:
      return "uitkomst";
    case TextField::kLessons:
      return "lessen";
  }
  return "titel";
}

std::optional<TextField> ParseTextField(std::string_view id) {
  for (TextField f : AllTextFields())
    if (TextFieldId(f) == id) return f;
  return std::nullopt;
}

std::string_view TextFieldLabelNl(TextField f) {
  switch (f) {
    case TextField::kTitle:
      return "Titel";
    case TextField::kSituation:
      return "Situatie";
    case TextField::kWhatHappened:
      return "Wat er gebeurde";
    case TextField::kOutcome:
      return "Uitkomst";
    case TextField::kLessons:
      return "Lessen";
  }
  return "Titel";
}

const std::string& TextOf(const LearningTexts& t, TextField f) {
  switch (f) {
    case TextField::kTitle:
      return t.title;
    case TextField::kSituation:
      return t.situation;
    case TextField::kWhatHappened:
      return t.what_happened;
    case TextField::kOutcome:
      return t.outcome;
    case TextField::kLessons:
      return t.lessons;
  }
  return t.title;
}

std::string& TextOf(LearningTexts& t, TextField f) {
  return const_cast<std::string&>(TextOf(static_cast<const LearningTexts&>(t), f));
}

}  // namespace waarborg::learning
