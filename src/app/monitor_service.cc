#include "app/monitor_service.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "app/service_support.h"
#include "core/common/status.h"
#include "core/common/strings.h"

namespace waarborg::app {

using monitoring::Flag;
using monitoring::FlagStatus;
using monitoring::Mode;
using monitoring::Resolution;
using monitoring::ResolutionState;

namespace {

std::string Trim(std::string_view s) { return std::string(absl::StripAsciiWhitespace(std::string(s))); }

Mode ModeIn(StoreTx& tx) {
  auto history = tx.ListModeChanges();
  return history.empty() ? Mode::kTrend : history.back().mode;
}

std::string AccountName(StoreTx& tx, Id account) {
  auto a = tx.GetAccount(account);
  if (!a.ok()) return "";
  std::string name = PersonName(tx, a->person_id);
  return name.empty() ? a->username : name;
}

// The reference a flag is known by outside the monitoring, e.g. "PM-12".
std::string FlagReference(Id id) { return Cat("PM-", id); }

bool IsApprover(const Actor& a) { return a.Has(Role::kPrivacyOfficer) || a.Has(Role::kVikTeamChief); }

// Request `id` as stored at `version`, when `actor` may decide on it. A
// refusal of the actor is also put in `denied`, for the audit.
absl::StatusOr<Resolution> DecidableRequest(StoreTx& tx, const Actor& actor, Id id, std::int64_t version,
                                            absl::Status& denied) {
  ASSIGN_OR_RETURN(Resolution r, tx.GetResolution(id));
  if (r.version != version)
    return Stale("Over deze herleiding is intussen door iemand anders besloten. Laad de pagina opnieuw.");
  if (auto check = monitoring::CheckApproval(actor, r); !check.ok()) {
    if (check.code() == absl::StatusCode::kPermissionDenied) denied = check;
    return check;
  }
  return r;
}

}  // namespace

MonitorService::MonitorService(Store& store, const Clock& clock, TrackService& tracks, PseudonymOf pseudonym_of,
                               std::vector<MonitorDirectoryEntry> directory, MonitorPolicy policy)
    : store_(store),
      clock_(clock),
      tracks_(tracks),
      pseudonym_of_(std::move(pseudonym_of)),
      directory_(std::move(directory)),
      policy_(policy) {}

bool MonitorService::MaySeeMonitoring(const Actor& a) {
  return a.Has(Role::kMonitoringAnalyst) || a.Has(Role::kPrivacyOfficer) || a.Has(Role::kAdmin) ||
         a.Has(Role::kVikTeamChief);
}

absl::Status MonitorService::Deny(const Actor& actor, const absl::Status& why, std::string action, Id id) {
  RETURN_IF_ERROR(AuditDenial(store_, actor, clock_.Now(), std::move(action), id));
  return why;
}

Mode MonitorService::CurrentMode() {
  Mode m = Mode::kTrend;
  (void)store_.Read([&](StoreTx& tx) -> absl::Status {
    m = ModeIn(tx);
    return absl::OkStatus();
  });
  return m;
}

std::optional<monitoring::ModeChange> MonitorService::LastSwitch() {
  std::optional<monitoring::ModeChange> last;
  (void)store_.Read([&](StoreTx& tx) -> absl::Status {
    auto h = tx.ListModeChanges();
    if (!h.empty()) last = h.back();
    return absl::OkStatus();
  });
  return last;
}

absl::StatusOr<std::vector<monitoring::ModeChange>> MonitorService::ModeHistory(const Actor& actor) {
  if (!MaySeeMonitoring(actor))
    return Forbidden("De monitoring is er voor de analisten, de privacyfunctionaris en de beheerder.");
  std::vector<monitoring::ModeChange> out;
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    out = tx.ListModeChanges();
    return absl::OkStatus();
  }));
  return out;
}

absl::Status MonitorService::SwitchMode(const Actor& actor, Mode wanted, const std::string& decision_reference) {
  absl::Status denied;
  absl::Status st = store_.Transact([&](StoreTx& tx) -> absl::Status {
    if (auto check = monitoring::CheckModeSwitch(actor, ModeIn(tx), wanted, decision_reference); !check.ok()) {
      if (check.code() == absl::StatusCode::kPermissionDenied) denied = check;
      return check;
    }
    monitoring::ModeChange c{wanted, Trim(decision_reference), actor.account_id, clock_.Now()};
    RETURN_IF_ERROR(tx.AppendModeChange(c));
    AuditEvent e = AuditFor(actor, false, c.at, "monitor.mode", 0,
                            Cat(monitoring::ModeName(wanted), " (besluit ", c.decision_reference, ")"));
    return tx.AppendAudit(e);
  });
  if (!denied.ok()) return Deny(actor, denied, "monitor.mode_denied", 0);
  return st;
}

absl::StatusOr<DayRecorded> MonitorService::RecordDay(std::int64_t day, std::vector<Flag> flags,
                                                      std::vector<monitoring::TrendCell> cells) {
  DayRecorded out;
  const Instant now = clock_.Now();
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    out = {};
    // Counts under the threshold never reach the database, whatever the
    // engine was configured with.
    for (auto& c : cells) {
      c.day = day;
      if (c.users < policy_.threshold) {
        c.users = 0;
        c.suppressed = true;
      }
    }
    RETURN_IF_ERROR(tx.ReplaceTrendCells(day, cells));
    out.cells = static_cast<int>(cells.size());
    if (ModeIn(tx) != Mode::kDetection) {
      out.flags_dropped = static_cast<int>(flags.size());
    } else {
      for (auto& f : flags) {
        f.id = 0;
        f.day = day;
        f.status = FlagStatus::kOpen;
        f.created_at = now;
        if (!monitoring::SuppressExplained(f, [&](std::string_view u, std::string_view r, std::string_view s) {
              return tx.IsPatternExplained(u, r, s);
            })) {
          ++out.flags_suppressed;
          continue;
        }
        RETURN_IF_ERROR(tx.InsertFlag(f).status());
        ++out.flags_stored;
      }
    }
    AuditEvent e;
    e.at = now;
    e.actor = "system";
    e.action = "monitor.day";
    e.detail = Cat("dag ", day, ": ", out.flags_stored, " signalen, ", out.flags_suppressed, " onderdrukt, ",
                   out.flags_dropped, " niet bewaard (trendmodus), ", out.cells, " trendcellen");
    return tx.AppendAudit(e);
  }));
  return out;
}

absl::StatusOr<std::vector<monitoring::TrendCell>> MonitorService::Trend(const Actor& actor, std::int64_t from_day,
                                                                         std::int64_t to_day) {
  if (!MaySeeMonitoring(actor))
    return Deny(actor, Forbidden("De monitoring is er voor de analisten, de privacyfunctionaris en de beheerder."),
                "monitor.trend_denied", 0);
  if (to_day < from_day || to_day - from_day > 366) return Invalid("Kies een periode van ten hoogste een jaar.");
  std::vector<monitoring::TrendCell> out;
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    out = tx.ListTrendCells(from_day, to_day);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Flag>> MonitorService::Queue(const Actor& actor, FlagStatus status) {
  if (!actor.Has(Role::kMonitoringAnalyst))
    return Deny(actor, Forbidden("Alleen een monitoringanalist ziet de signalen."), "monitor.queue_denied", 0);
  std::vector<Flag> out;
  absl::Status st = store_.Read([&](StoreTx& tx) -> absl::Status {
    if (ModeIn(tx) != Mode::kDetection) return Conflict(kTrendModeMessage);
    out = tx.ListFlags(status, 500);
    return absl::OkStatus();
  });
  RETURN_IF_ERROR(st);
  return out;
}

absl::StatusOr<FlagView> MonitorService::OpenFlag(const Actor& actor, Id id) {
  FlagView v;
  absl::Status denied;
  absl::Status st = store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(v.flag, tx.GetFlag(id));
    v.resolutions = tx.ListResolutions(id);
    const bool analyst = actor.Has(Role::kMonitoringAnalyst);
    // An approver weighs a request against the flag it is about, and only then.
    const bool approver_with_request =
        IsApprover(actor) && std::any_of(v.resolutions.begin(), v.resolutions.end(),
                                         [](const Resolution& r) { return r.state == ResolutionState::kRequested; });
    if (!analyst && !approver_with_request) {
      denied = Forbidden(
          "Alleen een monitoringanalist opent signalen; wie een herleiding beoordeelt, alleen zolang die "
          "openstaat.");
      return denied;
    }
    if (ModeIn(tx) != Mode::kDetection && !approver_with_request) return Conflict(kTrendModeMessage);
    v.may_review = analyst && v.flag.status == FlagStatus::kOpen;
    v.may_request_resolution =
        analyst && std::none_of(v.resolutions.begin(), v.resolutions.end(),
                                [](const Resolution& r) { return r.state != ResolutionState::kRefused; });
    if (v.flag.reviewed_by) v.reviewer_name = AccountName(tx, v.flag.reviewed_by);
    if (v.flag.vik_case_id)
      if (auto c = tx.GetTrackCase(v.flag.vik_case_id); c.ok()) v.vik_reference = c->reference;
    AuditEvent e = AuditFor(actor, false, clock_.Now(), "monitor.flag.read", 0, FlagReference(id));
    return tx.AppendAudit(e);
  });
  if (!denied.ok()) return Deny(actor, denied, "monitor.flag.read_denied", 0);
  RETURN_IF_ERROR(st);
  return v;
}

absl::StatusOr<Id> MonitorService::Review(const Actor& actor, Id id, std::int64_t version, FlagStatus outcome,
                                          const std::string& note) {
  absl::Status denied;
  Id vik_case = 0;
  absl::Status st = store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Flag f, tx.GetFlag(id));
    if (auto check = monitoring::CheckReview(actor, f, outcome, note); !check.ok()) {
      if (check.code() == absl::StatusCode::kPermissionDenied) denied = check;
      return check;
    }
    if (ModeIn(tx) != Mode::kDetection) return Conflict(kTrendModeMessage);
    const Instant now = clock_.Now();
    f.status = outcome;
    f.review_note = Trim(note);
    f.reviewed_by = actor.account_id;
    f.reviewed_at = now;
    std::string detail = Cat(FlagReference(id), ": ", monitoring::FlagStatusName(outcome));
    if (outcome == FlagStatus::kVikSignal) {
      // VIK gets the evidence under the pseudonym; who it is follows only
      // through a resolution.
      std::string summary =
          Cat("Signaal ", FlagReference(id), " uit Protective Monitoring (gebruiker ", f.user, ", score ",
              static_cast<int>(f.score), ").\n\nBeoordeling van de analist: ", f.review_note, "\n\nBewijs:");
      for (const auto& e : f.evidence) summary += Cat("\n- ", e.text);
      // The user's unit would narrow down who it is: the case is the korps's.
      Id korps = 0;
      for (const auto& u : tx.ListUnits())
        if (u.kind == UnitKind::kCorps) korps = u.id;
      if (!korps) return Conflict("Leg eerst de organisatie vast: er is geen korps om de zaak onder te brengen.");
      ASSIGN_OR_RETURN(TrackCase c, tracks_.OpenTriageCaseIn(tx, actor, summary, korps, "monitor", FlagReference(id)));
      f.vik_case_id = vik_case = c.id;
      AuditEvent handover =
          AuditFor(actor, false, now, "track.handover:monitor", c.id, Cat(FlagReference(id), " -> ", c.reference));
      RETURN_IF_ERROR(tx.AppendAudit(handover));
      detail += Cat(" -> ", c.reference);
    }
    RETURN_IF_ERROR(tx.UpdateFlag(f, version));
    for (const auto& p : monitoring::PatternsExplainedBy(f, outcome)) RETURN_IF_ERROR(tx.InsertExplainedPattern(p));
    AuditEvent e = AuditFor(actor, false, now, "monitor.flag.review", 0, detail);
    return tx.AppendAudit(e);
  });
  if (!denied.ok()) return Deny(actor, denied, "monitor.flag.review_denied", 0);
  RETURN_IF_ERROR(st);
  return vik_case;
}

absl::StatusOr<Id> MonitorService::RequestResolution(const Actor& actor, Id flag_id, const std::string& reason) {
  absl::Status denied;
  Id id = 0;
  absl::Status st = store_.Transact([&](StoreTx& tx) -> absl::Status {
    if (auto check = monitoring::CheckResolutionRequest(actor, reason); !check.ok()) {
      if (check.code() == absl::StatusCode::kPermissionDenied) denied = check;
      return check;
    }
    ASSIGN_OR_RETURN(Flag f, tx.GetFlag(flag_id));
    if (ModeIn(tx) != Mode::kDetection) return Conflict(kTrendModeMessage);
    for (const auto& r : tx.ListResolutions(flag_id))
      if (r.state != ResolutionState::kRefused) return Conflict("Voor dit signaal is al herleiding aangevraagd.");
    Resolution r;
    r.flag_id = flag_id;
    r.pseudonym = f.user;
    r.requested_by = actor.account_id;
    r.reason = Trim(reason);
    r.requested_at = clock_.Now();
    ASSIGN_OR_RETURN(id, tx.InsertResolution(r));
    AuditEvent e = AuditFor(actor, false, r.requested_at, "monitor.resolution.request", 0,
                            Cat("herleiding ", id, " voor ", FlagReference(flag_id)));
    return tx.AppendAudit(e);
  });
  if (!denied.ok()) return Deny(actor, denied, "monitor.resolution.request_denied", 0);
  RETURN_IF_ERROR(st);
  return id;
}

absl::StatusOr<ResolutionView> MonitorService::ViewOf(StoreTx& tx, const Actor& actor, Resolution r) {
  ResolutionView v;
  v.requester_name = AccountName(tx, r.requested_by);
  for (Id a : r.approvers) v.approver_names.push_back(AccountName(tx, a));
  v.may_approve = monitoring::CheckApproval(actor, r).ok();
  v.may_reveal = r.state == ResolutionState::kResolved && actor.account_id == r.requested_by;
  v.r = std::move(r);
  return v;
}

absl::StatusOr<std::vector<ResolutionView>> MonitorService::OpenResolutions(const Actor& actor) {
  if (!IsApprover(actor) && !actor.Has(Role::kMonitoringAnalyst))
    return Deny(actor, Forbidden("Herleidingen zijn er voor de analisten en wie ze goedkeurt."),
                "monitor.resolution.list_denied", 0);
  std::vector<ResolutionView> out;
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    for (auto& r : tx.ListResolutions(0)) {
      if (!IsApprover(actor) && r.requested_by != actor.account_id) continue;
      ASSIGN_OR_RETURN(auto v, ViewOf(tx, actor, std::move(r)));
      out.push_back(std::move(v));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<ResolutionView> MonitorService::OpenResolution(const Actor& actor, Id id) {
  absl::Status denied;
  ResolutionView v;
  absl::Status st = store_.Read([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Resolution r, tx.GetResolution(id));
    if (!IsApprover(actor) && r.requested_by != actor.account_id) {
      denied = Forbidden("Deze aanvraag is er voor wie haar deed en wie haar goedkeurt.");
      return denied;
    }
    ASSIGN_OR_RETURN(v, ViewOf(tx, actor, std::move(r)));
    return absl::OkStatus();
  });
  if (!denied.ok()) return Deny(actor, denied, "monitor.resolution.read_denied", 0);
  RETURN_IF_ERROR(st);
  return v;
}

absl::Status MonitorService::Approve(const Actor& actor, Id id, std::int64_t version) {
  absl::Status denied;
  absl::Status st = store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Resolution r, DecidableRequest(tx, actor, id, version, denied));
    const Instant now = clock_.Now();
    r.approvers.push_back(actor.account_id);
    const bool resolved = static_cast<int>(r.approvers.size()) >= monitoring::kApprovalsNeeded;
    if (resolved) {
      r.state = ResolutionState::kResolved;
      r.decided_at = now;
    }
    RETURN_IF_ERROR(tx.UpdateResolution(r, version));
    AuditEvent e = AuditFor(actor, false, now, resolved ? "monitor.resolution.resolved" : "monitor.resolution.approve",
                            0, Cat("herleiding ", id, " voor ", FlagReference(r.flag_id)));
    return tx.AppendAudit(e);
  });
  if (!denied.ok()) return Deny(actor, denied, "monitor.resolution.approve_denied", 0);
  return st;
}

absl::Status MonitorService::Refuse(const Actor& actor, Id id, std::int64_t version, const std::string& reason) {
  absl::Status denied;
  absl::Status st = store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Resolution r, DecidableRequest(tx, actor, id, version, denied));
    const std::string why = Trim(reason);
    if (why.size() < 5 || why.size() > 1000) return Invalid("Geef de reden van de weigering (5 tot 1.000 tekens).");
    r.state = ResolutionState::kRefused;
    r.refusal = why;
    r.decided_at = clock_.Now();
    RETURN_IF_ERROR(tx.UpdateResolution(r, version));
    AuditEvent e = AuditFor(actor, false, r.decided_at, "monitor.resolution.refuse", 0,
                            Cat("herleiding ", id, " voor ", FlagReference(r.flag_id)));
    return tx.AppendAudit(e);
  });
  if (!denied.ok()) return Deny(actor, denied, "monitor.resolution.refuse_denied", 0);
  return st;
}

absl::StatusOr<RevealedIdentity> MonitorService::Reveal(const Actor& actor, Id id) {
  absl::Status denied;
  std::string pseudonym;
  absl::Status st = store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Resolution r, tx.GetResolution(id));
    if (r.requested_by != actor.account_id || !actor.Has(Role::kMonitoringAnalyst)) {
      denied = Forbidden("Alleen wie de herleiding aanvroeg, ziet wie het is.");
      return denied;
    }
    if (r.state != ResolutionState::kResolved)
      return Conflict("Deze herleiding is (nog) niet door twee personen goedgekeurd.");
    pseudonym = r.pseudonym;
    AuditEvent e = AuditFor(actor, false, clock_.Now(), "monitor.resolution.reveal", 0,
                            Cat("herleiding ", id, " voor ", FlagReference(r.flag_id)));
    return tx.AppendAudit(e);
  });
  if (!denied.ok()) return Deny(actor, denied, "monitor.resolution.reveal_denied", 0);
  RETURN_IF_ERROR(st);
  for (const auto& entry : directory_)
    if (pseudonym_of_(entry.user_id) == pseudonym) return RevealedIdentity{entry.user_id, entry.name, entry.unit};
  return NotFound("Deze gebruiker staat niet (meer) in de personeelslijst van de bronsystemen.");
}

}  // namespace waarborg::app
