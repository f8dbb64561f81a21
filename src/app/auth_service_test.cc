// Log-in, second factor, session time-outs and throttling (issue 2 §3).
#include "app/auth_service.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "adapters/crypto/crypto.h"
#include "adapters/crypto/file_key_provider.h"
#include "adapters/crypto/totp.h"
#include "adapters/sqlite/sqlite_store.h"
#include "core/ports/fake_clock.h"

namespace waarborg::app {
namespace {

constexpr Instant kMonday = 1795392000000;  // Mon 2026-11-23 00:00 UTC

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("wb-auth-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = *SqliteStore::Open((dir_ / "t.db").string(), crypto::Sha256Hex,
                               std::shared_ptr<KeyProvider>(*crypto::FileKeyProvider::Open((dir_ / "master.key").string(), true)));
    secret_ = crypto::NewTotpSecret();
    auto hash = *crypto::HashPassword("juist-wachtwoord");
    ASSERT_TRUE(store_->Transact([&](StoreTx& tx) -> absl::Status {
      auto unit = tx.InsertUnit({0, "Team", UnitKind::kTeam, std::nullopt});
      auto emp = tx.InsertPerson({0, "Medewerker", "Agent", "7", *unit, std::nullopt});
      auto vpi = tx.InsertPerson({0, "VPI", "VPI", "9", *unit, std::nullopt});
      Account e{.person_id = *emp, .username = "medewerker", .password_hash = hash, .roles = {Role::kEmployee}};
      Account v{.person_id = *vpi, .username = "vpi", .password_hash = hash, .totp_secret = secret_,
                .roles = {Role::kIntegrityAdvisor}};
      if (auto s = tx.InsertAccount(e); !s.ok()) return s.status();
      return tx.InsertAccount(v).status();
    }).ok());
    auth_ = std::make_unique<AuthService>(*store_, clock_);
  }
  void TearDown() override {
    auth_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string Code(std::int64_t offset_steps = 0) {
    return crypto::TotpCode(secret_, clock_.Now() / 1000 + 30 * offset_steps);
  }

  std::filesystem::path dir_;
  FakeClock clock_{kMonday};
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<AuthService> auth_;
  std::string secret_;
};

TEST_F(AuthServiceTest, EmployeeLogsInWithPasswordOnly) {
  auto r = auth_->Login("medewerker", "juist-wachtwoord", "10.0.0.1");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->second_factor_required);
  EXPECT_TRUE(auth_->Authenticate(r->token).ok());
}

TEST_F(AuthServiceTest, VpiNeedsSecondFactorBeforeTheSessionCounts) {
  auto r = auth_->Login("vpi", "juist-wachtwoord", "10.0.0.1");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->second_factor_required);
  EXPECT_TRUE(absl::IsUnauthenticated(auth_->Authenticate(r->token).status()));
  EXPECT_TRUE(absl::IsUnauthenticated(auth_->VerifySecondFactor(r->token, "123456", "10.0.0.1").status()) ||
              Code() == "123456");
  auto rotated = auth_->VerifySecondFactor(r->token, Code(), "10.0.0.1");
  ASSERT_TRUE(rotated.ok());
  EXPECT_TRUE(auth_->Authenticate(*rotated).ok());
  // The token from before the second factor no longer works.
  EXPECT_FALSE(auth_->Authenticate(r->token).ok());
}

TEST_F(AuthServiceTest, TotpCodeCannotBeReplayed) {
  auto a = auth_->Login("vpi", "juist-wachtwoord", "10.0.0.1");
  const std::string code = Code();
  ASSERT_TRUE(auth_->VerifySecondFactor(a->token, code, "10.0.0.1").ok());
  auto b = auth_->Login("vpi", "juist-wachtwoord", "10.0.0.1");
  EXPECT_TRUE(absl::IsUnauthenticated(auth_->VerifySecondFactor(b->token, code, "10.0.0.1").status()));
}

TEST_F(AuthServiceTest, SessionExpiresAfterIdleTimeout) {
  auto r = auth_->Login("medewerker", "juist-wachtwoord", "10.0.0.1");
  clock_.Advance(auth_->policy().idle_timeout_ms - 1000);
  EXPECT_TRUE(auth_->Authenticate(r->token).ok());  // activity renews the idle clock
  clock_.Advance(auth_->policy().idle_timeout_ms - 1000);
  EXPECT_TRUE(auth_->Authenticate(r->token).ok());
  clock_.Advance(auth_->policy().idle_timeout_ms + 1000);
  EXPECT_TRUE(absl::IsUnauthenticated(auth_->Authenticate(r->token).status()));
}

TEST_F(AuthServiceTest, SessionExpiresAfterAbsoluteTimeoutDespiteActivity) {
  auto r = auth_->Login("medewerker", "juist-wachtwoord", "10.0.0.1");
  const std::int64_t step = auth_->policy().idle_timeout_ms / 2;
  std::int64_t elapsed = 0;
  while (elapsed + step < auth_->policy().absolute_timeout_ms) {
    clock_.Advance(step);
    elapsed += step;
    ASSERT_TRUE(auth_->Authenticate(r->token).ok()) << elapsed;
  }
  clock_.Advance(step + 1);  // just past the absolute limit, well within the idle one
  EXPECT_TRUE(absl::IsUnauthenticated(auth_->Authenticate(r->token).status()));
}

TEST_F(AuthServiceTest, LogoutEndsTheSession) {
  auto r = auth_->Login("medewerker", "juist-wachtwoord", "10.0.0.1");
  ASSERT_TRUE(auth_->Logout(r->token).ok());
  EXPECT_FALSE(auth_->Authenticate(r->token).ok());
}

TEST_F(AuthServiceTest, FailedLoginsAreThrottledPerAccountThenRelease) {
  for (int i = 0; i < auth_->policy().max_failures_per_account; ++i)
    EXPECT_TRUE(absl::IsUnauthenticated(auth_->Login("medewerker", "fout", "10.0.0.1").status()));
  EXPECT_TRUE(absl::IsResourceExhausted(auth_->Login("medewerker", "juist-wachtwoord", "10.0.0.2").status()));
  clock_.Advance(auth_->policy().failure_window_ms + 1000);
  EXPECT_TRUE(auth_->Login("medewerker", "juist-wachtwoord", "10.0.0.2").ok());
}

TEST_F(AuthServiceTest, FailedLoginsAreThrottledPerAddress) {
  for (int i = 0; i < auth_->policy().max_failures_per_address; ++i)
    (void)auth_->Login(i % 2 ? "onbekend" + std::to_string(i) : "iemand" + std::to_string(i), "fout", "10.9.9.9");
  EXPECT_TRUE(absl::IsResourceExhausted(auth_->Login("medewerker", "juist-wachtwoord", "10.9.9.9").status()));
  EXPECT_TRUE(auth_->Login("medewerker", "juist-wachtwoord", "10.0.0.3").ok());
}

TEST_F(AuthServiceTest, UnknownUserAndWrongPasswordLookTheSame) {
  auto a = auth_->Login("bestaat-niet", "x", "10.0.0.1");
  auto b = auth_->Login("medewerker", "x", "10.0.0.1");
  EXPECT_EQ(a.status(), b.status());
}

TEST_F(AuthServiceTest, TokenIsNeverStoredOnlyItsHash) {
  auto r = auth_->Login("medewerker", "juist-wachtwoord", "10.0.0.1");
  ASSERT_TRUE(store_->Transact([&](StoreTx& tx) -> absl::Status {
    auto s = tx.FindSessionByTokenHash(crypto::Sha256Hex(r->token));
    EXPECT_TRUE(s.ok());
    EXPECT_FALSE(tx.FindSessionByTokenHash(r->token).ok());
    return absl::OkStatus();
  }).ok());
}

}  // namespace
}  // namespace waarborg::app
