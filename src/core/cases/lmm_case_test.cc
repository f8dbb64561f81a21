// The definition test of a suspected wrongdoing and its referrals (DOMAIN §2).
#include "core/cases/lmm_case.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace waarborg {
namespace {

// Reasonable grounds, a public interest, one harm, no exclusion: a misstand.
DefinitionTest Misstand(std::string harm = "statutory_violation") {
  DefinitionTest t;
  t.reasonable_grounds = true;
  t.public_interest = true;
  t.harms = {std::move(harm)};
  return t;
}

TEST(LmmDefinitionTest, EachStatutoryHarmMakesAMisstand) {
  ASSERT_EQ(kMisstandHarms.size(), 5u);  // statute, health, safety, environment, public service
  for (auto harm : kMisstandHarms) {
    EXPECT_TRUE(PassesDefinitionTest(Misstand(std::string(harm)))) << harm;
  }
}

TEST(LmmDefinitionTest, RequiresReasonableGrounds) {
  DefinitionTest t = Misstand();
  t.reasonable_grounds = false;
  EXPECT_FALSE(PassesDefinitionTest(t));
}

TEST(LmmDefinitionTest, RequiresAPublicInterest) {
  DefinitionTest t = Misstand();
  t.public_interest = false;
  EXPECT_FALSE(PassesDefinitionTest(t));
}

TEST(LmmDefinitionTest, RequiresAtLeastOneHarm) {
  DefinitionTest t = Misstand();
  t.harms.clear();
  EXPECT_FALSE(PassesDefinitionTest(t));
}

TEST(LmmDefinitionTest, EveryExclusionExcludes) {
  // Conscience objections or criticism of policy, hearsay, one's own legal
  // position, minor shortcomings, labour disputes: never an LMM report, even
  // with every harm ticked.
  ASSERT_EQ(kExclusions.size(), 5u);
  for (auto ex : kExclusions) {
    DefinitionTest t = Misstand();
    for (auto h : kMisstandHarms) t.harms.insert(std::string(h));
    t.exclusions = {std::string(ex)};
    EXPECT_FALSE(PassesDefinitionTest(t)) << ex;
  }
  for (std::string ex : {"conscience_or_policy", "hearsay", "legal_position", "minor_shortcoming",
                         "labour_dispute"}) {
    EXPECT_NE(std::find(kExclusions.begin(), kExclusions.end(), ex), kExclusions.end()) << ex;
  }
}

TEST(LmmDefinitionTest, LightViolationCountsOnlyWhenSystematicOrSensitive) {
  DefinitionTest t = Misstand();
  t.light_violation = true;
  t.systematic_or_sensitive = false;
  EXPECT_FALSE(PassesDefinitionTest(t));
  t.systematic_or_sensitive = true;
  EXPECT_TRUE(PassesDefinitionTest(t));
}

TEST(LmmDefinitionTest, SystematicFlagAloneChangesNothing) {
  DefinitionTest t = Misstand();
  t.systematic_or_sensitive = true;  // not a light violation: still a misstand
  EXPECT_TRUE(PassesDefinitionTest(t));
  t.harms.clear();
  EXPECT_FALSE(PassesDefinitionTest(t));  // and it does not replace a harm
}

TEST(LmmDefinitionTest, LabourDisputeGoesToHrm) {
  EXPECT_EQ(SuggestedReferral("labour_dispute"), "hrm");
}

TEST(LmmDefinitionTest, LegalPositionGoesToObjectionProcedure) {
  EXPECT_EQ(SuggestedReferral("legal_position"), "objection_procedure");
}

TEST(LmmDefinitionTest, MinorShortcomingGoesToTheLine) {
  EXPECT_EQ(SuggestedReferral("minor_shortcoming"), "line");
}

TEST(LmmDefinitionTest, EverySuggestedReferralIsAKnownReferral) {
  for (auto ex : kExclusions) {
    auto r = SuggestedReferral(ex);
    EXPECT_NE(std::find(kReferrals.begin(), kReferrals.end(), r), kReferrals.end()) << ex;
    EXPECT_NE(r, "none") << ex;  // an excluded report is always sent somewhere
  }
}

TEST(LmmDefinitionTest, EveryCriterionHasADutchLabel) {
  for (const auto* list : {&kMisstandHarms, &kExclusions, &kReferrals, &kWeighingCriteria}) {
    for (auto k : *list) {
      EXPECT_NE(CriterionLabelNl(k), k) << k;
      EXPECT_FALSE(CriterionLabelNl(k).empty()) << k;
    }
  }
}

// --- weighing on the four criteria ---

Weighing Complete() {
  Weighing w;
  for (auto k : kWeighingCriteria) w.findings[std::string(k)] = Finding{true, "onderbouwing"};
  w.expected_end = Date{std::chrono::year{2027}, std::chrono::month{1}, std::chrono::day{15}};
  return w;
}

TEST(LmmWeighing, FourCriteriaEachWithReasoningAndAnEndDate) {
  ASSERT_EQ(kWeighingCriteria.size(), 4u);
  EXPECT_TRUE(WeighingComplete(Complete()));
  for (auto k : kWeighingCriteria) {
    Weighing w = Complete();
    w.findings.erase(std::string(k));
    EXPECT_FALSE(WeighingComplete(w)) << k;
    w = Complete();
    w.findings[std::string(k)].reasoning.clear();
    EXPECT_FALSE(WeighingComplete(w)) << k;
  }
  Weighing w = Complete();
  w.expected_end.reset();
  EXPECT_FALSE(WeighingComplete(w));
}

TEST(LmmWeighing, ACriterionNotMetStillCompletesTheWeighing) {
  Weighing w = Complete();
  w.findings["good_faith"].met = false;  // the answer may be "no", with reasons
  EXPECT_TRUE(WeighingComplete(w));
}

// --- states ---

TEST(LmmStates, NamesRoundTripAndTerminalStates) {
  for (LmmState s : {LmmState::kRegistered, LmmState::kStaffed, LmmState::kWeighing, LmmState::kAdvised,
                     LmmState::kInvestigation, LmmState::kClosed, LmmState::kReferred}) {
    EXPECT_EQ(ParseLmmState(LmmStateName(s)), s);
    EXPECT_FALSE(LmmStateLabelNl(s).empty());
  }
  EXPECT_FALSE(ParseLmmState("bogus").has_value());
  EXPECT_TRUE(IsTerminal(LmmState::kClosed));
  EXPECT_TRUE(IsTerminal(LmmState::kReferred));
  EXPECT_FALSE(IsTerminal(LmmState::kInvestigation));
  EXPECT_FALSE(IsTerminal(LmmState::kAdvised));
}

TEST(LmmReporter, EveryReporterCategoryOfTheDefinitionIsKnown) {
  // Civil servant, former civil servant, self-employed, hired, temp, intern,
  // volunteer, seconded (DOMAIN §1).
  EXPECT_EQ(kReporterCategories.size(), 8u);
  for (auto c : kReporterCategories) EXPECT_NE(ReporterCategoryLabelNl(c), "Onbekend") << c;
  EXPECT_EQ(ReporterCategoryLabelNl("nonsense"), "Onbekend");
}

}  // namespace
}  // namespace waarborg
