// Log-in, second factor, sessions and log-out for local accounts.
// Sessions live in the store (not in process memory) so several server
// processes can share them. The cookie carries a random token; only its
// SHA-256 is stored.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "core/org/org.h"
#include "core/ports/clock.h"
#include "core/ports/store.h"

namespace waarborg::app {

struct SessionPolicy {
  std::int64_t idle_timeout_ms = 30 * 60 * 1000;          // 30 minutes without a request
  std::int64_t absolute_timeout_ms = 10 * 60 * 60 * 1000; // 10 hours after log-in
  int max_failures_per_account = 5;                       // within the window
  int max_failures_per_address = 20;
  std::int64_t failure_window_ms = 15 * 60 * 1000;
};

struct LoginResult {
  std::string token;       // goes into the cookie; never logged
  std::string csrf_token;
  std::string session_id;  // public id
  bool second_factor_required = false;
  bool second_factor_enrolment = false;  // account must first set up TOTP
};

// An authenticated request's context.
struct AuthContext {
  Actor actor;
  Session session;
  std::string username;
  std::string display_name;
};

class AuthService {
 public:
  AuthService(Store& store, const Clock& clock, SessionPolicy policy = {});

  // Checks username and password. Failed attempts are throttled per account
  // and per address (ResourceExhausted, HTTP 429); unknown user and wrong
  // password give the same Unauthenticated error.
  absl::StatusOr<LoginResult> Login(std::string_view username, std::string_view password,
                                    std::string_view address);

  // Completes a log-in with a TOTP code; a code's time step is accepted once.
  // Returns the session's new token (the old one stops working).
  absl::StatusOr<std::string> VerifySecondFactor(std::string_view token, std::string_view code,
                                                 std::string_view address);

  // For an account without TOTP: a new secret to show (raw bytes), kept in the
  // pending session until confirmed with ConfirmEnrolment.
  absl::StatusOr<std::string> BeginEnrolment(std::string_view token);
  // Returns the session's new token, as VerifySecondFactor.
  absl::StatusOr<std::string> ConfirmEnrolment(std::string_view token, std::string_view secret,
                                               std::string_view code);

  // Resolves a cookie token to a fully logged-in context; Unauthenticated when
  // unknown, expired (idle or absolute) or the second factor is missing.
  absl::StatusOr<AuthContext> Authenticate(std::string_view token);
  // Like Authenticate, but also accepts a session still waiting for its
  // second factor.
  absl::StatusOr<AuthContext> AuthenticatePending(std::string_view token);

  absl::Status Logout(std::string_view token);

  const SessionPolicy& policy() const { return policy_; }

 private:
  absl::StatusOr<AuthContext> Resolve(std::string_view token, bool require_second_factor);
  Store& store_;
  const Clock& clock_;
  SessionPolicy policy_;
};

// True when any of `roles` requires a second factor.
bool NeedsSecondFactor(const std::set<Role>& roles);

}  // namespace waarborg::app
