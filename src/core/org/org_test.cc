// Roles and the chain of command (DOMAIN §1).
#include "core/org/org.h"

#include <gtest/gtest.h>

#include <map>

namespace waarborg {
namespace {

TEST(ChainOfCommand, ListsManagersNearestFirst) {
  // agent 1 -> teamchef 2 -> districtchef 3 -> politiechef 4
  std::map<Id, Id> manager = {{1, 2}, {2, 3}, {3, 4}};
  auto of = [&](Id p) -> std::optional<Id> {
    auto it = manager.find(p);
    return it == manager.end() ? std::nullopt : std::optional(it->second);
  };
  EXPECT_EQ(ChainOfCommand(1, of), (std::vector<Id>{2, 3, 4}));
  EXPECT_TRUE(ChainOfCommand(4, of).empty());
}

TEST(ChainOfCommand, StopsAtACycleInBadData) {
  std::map<Id, Id> manager = {{1, 2}, {2, 3}, {3, 2}};
  auto of = [&](Id p) -> std::optional<Id> {
    auto it = manager.find(p);
    return it == manager.end() ? std::nullopt : std::optional(it->second);
  };
  EXPECT_EQ(ChainOfCommand(1, of), (std::vector<Id>{2, 3}));
}

TEST(Roles, SecondFactorRequiredForVpiCoordinatorAuthorityAndAdmin) {
  EXPECT_TRUE(RequiresTwoFactor(Role::kIntegrityAdvisor));
  EXPECT_TRUE(RequiresTwoFactor(Role::kCoordinator));
  EXPECT_TRUE(RequiresTwoFactor(Role::kCompetentAuthority));
  EXPECT_TRUE(RequiresTwoFactor(Role::kAdmin));
  EXPECT_FALSE(RequiresTwoFactor(Role::kEmployee));
  EXPECT_FALSE(RequiresTwoFactor(Role::kAuditor));
}

TEST(Roles, NamesRoundTrip) {
  for (Role r : AllRoles()) EXPECT_EQ(ParseRole(RoleName(r)), r);
  EXPECT_FALSE(ParseRole("superuser").has_value());
}

TEST(Roles, CoordinatorIsAlsoAnAdvisor) {
  Actor a;
  a.roles = {Role::kCoordinator};
  EXPECT_TRUE(a.IsAdvisor());
  a.roles = {Role::kCompetentAuthority};
  EXPECT_FALSE(a.IsAdvisor());
}

}  // namespace
}  // namespace waarborg
