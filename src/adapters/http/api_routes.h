// The JSON API under /api/v1 (documented in docs/api.md).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/http/http_types.h"
#include "adapters/http/services.h"

namespace waarborg::http {

// All API routes plus /healthz and /readyz.
std::vector<Route> ApiRoutes(Services& s);

// A JSON error body {"error":{"status":N,"message":"..."}} for `st`.
HttpResponse JsonError(const absl::Status& st);

// The reporter's channel (public intake, receipt log-in, the reporter's own
// case and messages): reporter_api.cc.
std::vector<Route> ReporterApiRoutes(Services& s);

// Shared by the staff and reporter APIs.
nlohmann::json CaseViewJson(const app::CaseView& v, Date today);
nlohmann::json MessagesJson(const std::vector<app::MessageView>& messages);
HttpResponse JsonResponse(int status, const nlohmann::json& body);
// Upload routes (intake with attachments) accept larger bodies.
inline constexpr std::size_t kUploadBodyBytes = 27 << 20;

}  // namespace waarborg::http
