// Searching and verifying the audit trail.
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "core/audit/audit_chain.h"
#include "core/org/org.h"
#include "core/ports/clock.h"
#include "core/ports/store.h"

namespace waarborg::app {

struct ChainReport {
  bool ok = true;
  std::int64_t events_checked = 0;
  std::int64_t first_broken_seq = 0;
  std::string reason;
};

class AuditService {
 public:
  AuditService(Store& store, const Clock& clock, HashFunction hash);
  // Auditor only; the search itself is audited.
  absl::StatusOr<std::vector<AuditEvent>> Search(const Actor& actor, const AuditQuery& q);
  // Walks the whole chain and names the first broken link.
  absl::StatusOr<ChainReport> Verify();

 private:
  Store& store_;
  const Clock& clock_;
  HashFunction hash_;
};

}  // namespace waarborg::app
