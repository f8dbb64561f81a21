// The JSON API under /api/v1 (documented in docs/api.md).
#pragma once

#include <vector>

#include "adapters/http/http_types.h"
#include "adapters/http/services.h"

namespace waarborg::http {

// All API routes plus /healthz and /readyz.
std::vector<Route> ApiRoutes(Services& s);

// A JSON error body {"error":{"status":N,"message":"..."}} for `st`.
HttpResponse JsonError(const absl::Status& st);

}  // namespace waarborg::http
