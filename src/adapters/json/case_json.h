// JSON mapping of the LMM case parts, shared by the SQLite store (which keeps
// the structured parts of a case as one JSON body) and the HTTP API.
#pragma once

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "core/cases/lmm_case.h"

namespace waarborg::json {

nlohmann::json ToJson(const DefinitionTest& t);
nlohmann::json ToJson(const Weighing& w);
nlohmann::json ToJson(const Review& r);
nlohmann::json ToJson(const Advice& a);
nlohmann::json ToJson(const AuthorityDecision& d);

// Parsers validate types and reject unknown fields with a Dutch message
// naming the field (HTTP 422 / 400).
absl::StatusOr<DefinitionTest> DefinitionTestFromJson(const nlohmann::json& j);
absl::StatusOr<Weighing> WeighingFromJson(const nlohmann::json& j);
absl::StatusOr<Review> ReviewFromJson(const nlohmann::json& j);
absl::StatusOr<Advice> AdviceFromJson(const nlohmann::json& j);
absl::StatusOr<AuthorityDecision> DecisionFromJson(const nlohmann::json& j);

// The structured body of a case as stored (everything not in its own column).
nlohmann::json CaseBodyToJson(const LmmCase& c);
absl::Status CaseBodyFromJson(const nlohmann::json& j, LmmCase& c);

// Rejects any key of `j` not in `allowed` (unknown fields are an error).
absl::Status RejectUnknownFields(const nlohmann::json& j, std::initializer_list<std::string_view> allowed);

}  // namespace waarborg::json
