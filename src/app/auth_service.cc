#include "app/auth_service.h"

#include "adapters/crypto/crypto.h"
#include "adapters/crypto/sealing.h"
#include "adapters/crypto/totp.h"
#include "core/common/status.h"

namespace waarborg::app {

bool NeedsSecondFactor(const std::set<Role>& roles) {
  for (Role r : roles) {
    if (RequiresTwoFactor(r)) return true;
  }
  return false;
}

AuthService::AuthService(Store& store, const Clock& clock, SessionPolicy policy)
    : store_(store), clock_(clock), policy_(policy) {}

namespace {
// Throttle keys never contain the raw address or name.
std::string AccountKey(std::string_view username) { return "acct:" + crypto::Sha256Hex(username); }
std::string AddressKey(std::string_view address) { return "addr:" + crypto::Sha256Hex(address); }
}  // namespace

namespace {
// The session's vault key follows the token when it is rotated.
absl::Status RelockVault(StoreTx& tx, const Session& s, std::string_view old_token, std::string_view new_token) {
  if (s.vault_key.empty()) return absl::OkStatus();
  auto secret = crypto::UnlockWithToken(s.vault_key, old_token);
  if (!secret.ok()) return tx.SetSessionVaultKey(s.id, "");
  std::string locked = crypto::LockWithToken(*secret, new_token);
  crypto::Wipe(*secret);
  return tx.SetSessionVaultKey(s.id, locked);
}
}  // namespace

absl::StatusOr<LoginResult> AuthService::Login(std::string_view username, std::string_view password,
                                               std::string_view address) {
  const Instant now = clock_.Now();
  const Instant since = now - policy_.failure_window_ms;
  const std::string akey = AccountKey(username), ipkey = AddressKey(address);
  // Throttle check first, in its own transaction.
  bool throttled = false;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) {
    throttled = tx.CountLoginFailures(akey, since) >= policy_.max_failures_per_account ||
                tx.CountLoginFailures(ipkey, since) >= policy_.max_failures_per_address;
    return absl::OkStatus();
  }));
  if (throttled) {
    return absl::ResourceExhaustedError(
        "Te veel mislukte inlogpogingen. Wacht een kwartier en probeer het opnieuw.");
  }
  // Look up the account outside the write lock; Argon2id is slow by design.
  absl::StatusOr<Account> account = absl::NotFoundError("");
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) {
    account = tx.FindAccountByUsername(username);
    return absl::OkStatus();
  }));
  // An unknown user costs the same Argon2id work, so timing does not tell
  // which user names exist.
  static const std::string kDummyHash = crypto::HashPassword("waarborg-dummy").value_or("");
  const bool ok = account.ok() ? (crypto::VerifyPassword(account->password_hash, password) && !account->disabled)
                               : (crypto::VerifyPassword(kDummyHash, password) && false);
  if (!ok) {
    RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) {
      RETURN_IF_ERROR(tx.RecordLoginFailure(akey, now));
      RETURN_IF_ERROR(tx.RecordLoginFailure(ipkey, now));
      AuditEvent e{.at = now, .actor = "anonymous", .action = "auth.login_failed",
                   .detail = account.ok() ? Cat("account ", account->id) : "onbekende gebruiker"};
      return tx.AppendAudit(e);
    }));
    return Unauthenticated("Gebruikersnaam of wachtwoord onjuist.");
  }
  LoginResult r;
  r.token = crypto::RandomToken(32);
  r.csrf_token = crypto::RandomToken(24);
  r.session_id = crypto::RandomToken(12);
  r.second_factor_required = NeedsSecondFactor(account->roles);
  r.second_factor_enrolment = r.second_factor_required && account->totp_secret.empty();
  Session s{.id = r.session_id, .token_hash = crypto::Sha256Hex(r.token), .account_id = account->id,
            .csrf_token = r.csrf_token, .second_factor_done = !r.second_factor_required,
            .created_at = now, .last_seen_at = now};
  // The identity-vault key: made at the first log-in, unlocked with the
  // password, and kept for the session only locked with the cookie token.
  std::optional<PersonKey> person_key;
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) {
    person_key = tx.GetPersonKey(account->person_id);
    return absl::OkStatus();
  }));
  std::optional<PersonKey> new_key;
  std::string vault_secret;
  if (person_key) {
    // A key locked with an earlier password (after a reset by an admin)
    // stays shut: the person logs in without their vault.
    if (auto u = crypto::UnlockWithPassphrase(person_key->locked_secret_key, password); u.ok()) vault_secret = *u;
  } else {
    crypto::KeyPair kp = crypto::NewKeyPair();
    ASSIGN_OR_RETURN(std::string locked, crypto::LockWithPassphrase(kp.secret_key, password));
    new_key = PersonKey{account->person_id, kp.public_key, locked};
    vault_secret = std::move(kp.secret_key);
  }
  if (!vault_secret.empty()) s.vault_key = crypto::LockWithToken(vault_secret, r.token);
  crypto::Wipe(vault_secret);
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) {
    if (new_key && !tx.GetPersonKey(new_key->person_id)) RETURN_IF_ERROR(tx.PutPersonKey(*new_key));
    RETURN_IF_ERROR(tx.ClearLoginFailures(akey));
    // Expired sessions and failures outside the window are removed here, so
    // no separate job is needed.
    RETURN_IF_ERROR(tx.DeleteSessionsOlderThan(now - policy_.absolute_timeout_ms, now - policy_.idle_timeout_ms));
    RETURN_IF_ERROR(tx.DeleteLoginFailuresBefore(since));
    RETURN_IF_ERROR(tx.InsertSession(s));
    AuditEvent e{.at = now, .actor = account->username, .session = s.id, .action = "auth.login",
                 .detail = r.second_factor_required ? "wachtwoord juist, tweede factor gevraagd" : "ingelogd"};
    return tx.AppendAudit(e);
  }));
  return r;
}

absl::StatusOr<AuthContext> AuthService::Resolve(std::string_view token, bool require_second_factor) {
  if (token.empty()) return Unauthenticated("Niet ingelogd.");
  const Instant now = clock_.Now();
  AuthContext ctx;
  bool expired = false;
  // Every request passes here: a read-only look-up, in parallel with others.
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(ctx.session, tx.FindSessionByTokenHash(crypto::Sha256Hex(token)));
    const Session& s = ctx.session;
    if (now - s.last_seen_at > policy_.idle_timeout_ms || now - s.created_at > policy_.absolute_timeout_ms) {
      expired = true;
      return absl::OkStatus();
    }
    if (require_second_factor && !s.second_factor_done) return absl::OkStatus();
    ASSIGN_OR_RETURN(Account a, tx.GetAccount(s.account_id));
    if (a.disabled) return absl::OkStatus();
    ASSIGN_OR_RETURN(Person p, tx.GetPerson(a.person_id));
    ctx.actor = Actor{a.id, a.person_id, a.roles, s.id, a.username};
    if (!s.vault_key.empty() && s.second_factor_done) {
      if (auto v = crypto::UnlockWithToken(s.vault_key, token); v.ok()) ctx.actor.vault_secret = *std::move(v);
    }
    ctx.username = a.username;
    ctx.display_name = p.name;
    return absl::OkStatus();
  }));
  if (expired) {
    RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) { return tx.DeleteSession(ctx.session.id); }));
    ctx.actor = Actor{};
  } else if (ctx.actor.account_id != 0 && now - ctx.session.last_seen_at > 60 * 1000) {
    // Touch at most once a minute: keeps most requests free of a write.
    RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) { return tx.TouchSession(ctx.session.id, now); }));
  }
  if (ctx.actor.account_id == 0) {
    if (!ctx.session.id.empty() && !ctx.session.second_factor_done && require_second_factor)
      return Unauthenticated("Voer eerst de code uit uw authenticator-app in.");
    return Unauthenticated("Uw sessie is verlopen. Log opnieuw in.");
  }
  return ctx;
}

absl::StatusOr<AuthContext> AuthService::Authenticate(std::string_view token) { return Resolve(token, true); }
absl::StatusOr<AuthContext> AuthService::AuthenticatePending(std::string_view token) {
  return Resolve(token, false);
}

absl::StatusOr<std::string> AuthService::VerifySecondFactor(std::string_view token, std::string_view code,
                                                            std::string_view address) {
  ASSIGN_OR_RETURN(AuthContext ctx, AuthenticatePending(token));
  const Instant now = clock_.Now();
  const std::string akey = AccountKey(ctx.username);
  bool throttled = false;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) {
    throttled = tx.CountLoginFailures(akey, now - policy_.failure_window_ms) >= policy_.max_failures_per_account;
    return absl::OkStatus();
  }));
  if (throttled)
    return absl::ResourceExhaustedError("Te veel mislukte pogingen. Wacht een kwartier en probeer het opnieuw.");
  const std::string new_token = crypto::RandomToken(32);
  absl::Status result = store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Account a, tx.GetAccount(ctx.actor.account_id));
    if (a.totp_secret.empty()) return Conflict("Stel eerst een authenticator-app in.");
    auto step = crypto::MatchTotp(a.totp_secret, code, now / 1000);
    if (!step || *step <= a.totp_last_step) {
      // Record the failure in a separate transaction so it survives.
      return Unauthenticated("De code is onjuist of al gebruikt.");
    }
    RETURN_IF_ERROR(tx.UpdateTotp(a.id, a.totp_secret, *step));
    RETURN_IF_ERROR(tx.MarkSecondFactorDone(ctx.session.id, crypto::Sha256Hex(new_token)));
    RETURN_IF_ERROR(RelockVault(tx, ctx.session, token, new_token));
    AuditEvent e{.at = now, .actor = a.username, .session = ctx.session.id, .action = "auth.second_factor"};
    return tx.AppendAudit(e);
  });
  if (absl::IsUnauthenticated(result)) {
    // The failed code counts towards the account's throttle.
    RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
      RETURN_IF_ERROR(tx.RecordLoginFailure(akey, now));
      RETURN_IF_ERROR(tx.RecordLoginFailure(AddressKey(address), now));
      AuditEvent e{.at = now, .actor = ctx.username, .session = ctx.session.id,
                   .action = "auth.second_factor_failed"};
      return tx.AppendAudit(e);
    }));
  }
  RETURN_IF_ERROR(result);
  return new_token;
}

absl::StatusOr<std::string> AuthService::BeginEnrolment(std::string_view token) {
  ASSIGN_OR_RETURN(AuthContext ctx, AuthenticatePending(token));
  absl::Status st;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Account a, tx.GetAccount(ctx.actor.account_id));
    if (!a.totp_secret.empty()) st = Conflict("Er is al een authenticator-app ingesteld.");
    return absl::OkStatus();
  }));
  RETURN_IF_ERROR(st);
  return crypto::NewTotpSecret();
}

absl::StatusOr<std::string> AuthService::ConfirmEnrolment(std::string_view token, std::string_view secret,
                                                          std::string_view code) {
  ASSIGN_OR_RETURN(AuthContext ctx, AuthenticatePending(token));
  const Instant now = clock_.Now();
  auto step = crypto::MatchTotp(secret, code, now / 1000);
  if (!step) return Invalid("De code klopt niet bij deze sleutel. Probeer het opnieuw.");
  const std::string new_token = crypto::RandomToken(32);
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Account a, tx.GetAccount(ctx.actor.account_id));
    if (!a.totp_secret.empty()) return Conflict("Er is al een authenticator-app ingesteld.");
    RETURN_IF_ERROR(tx.UpdateTotp(a.id, secret, *step));
    RETURN_IF_ERROR(tx.MarkSecondFactorDone(ctx.session.id, crypto::Sha256Hex(new_token)));
    RETURN_IF_ERROR(RelockVault(tx, ctx.session, token, new_token));
    AuditEvent e{.at = now, .actor = a.username, .session = ctx.session.id, .action = "auth.totp_enrolled"};
    return tx.AppendAudit(e);
  }));
  return new_token;
}

absl::Status AuthService::Logout(std::string_view token) {
  const Instant now = clock_.Now();
  return store_.Transact([&](StoreTx& tx) -> absl::Status {
    auto s = tx.FindSessionByTokenHash(crypto::Sha256Hex(token));
    if (!s.ok()) return absl::OkStatus();
    RETURN_IF_ERROR(tx.DeleteSession(s->id));
    AuditEvent e{.at = now, .actor = Cat("account:", s->account_id), .session = s->id,
                 .action = "auth.logout"};
    return tx.AppendAudit(e);
  });
}

}  // namespace waarborg::app
