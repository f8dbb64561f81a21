#include "app/audit_service.h"

#include "core/access/access.h"
#include "core/common/status.h"

namespace waarborg::app {

AuditService::AuditService(Store& store, const Clock& clock, HashFunction hash)
    : store_(store), clock_(clock), hash_(std::move(hash)) {}

absl::StatusOr<std::vector<AuditEvent>> AuditService::Search(const Actor& actor, const AuditQuery& q) {
  RETURN_IF_ERROR(access::CheckAuditSearch(actor));
  std::vector<AuditEvent> out;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) {
    out = tx.SearchAudit(q);
    AuditEvent e{.at = clock_.Now(), .actor = actor.username, .session = actor.session_id,
                 .action = "audit.search"};
    return tx.AppendAudit(e);
  }));
  return out;
}

absl::StatusOr<ChainReport> AuditService::Verify() {
  ChainVerifier v(hash_);
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) {
    return tx.ScanAudit([&](const AuditEvent& e) { return v.Feed(e); });
  }));
  ChainReport r;
  v.Finish();  // redacted events need their case's destruction in the trail
  r.ok = v.ok();
  r.events_checked = v.events_checked();
  r.first_broken_seq = v.ok() ? 0 : v.first_broken_seq();
  r.reason = v.reason();
  return r;
}

}  // namespace waarborg::app
