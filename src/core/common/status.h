// Status helpers. Debian's abseil lacks RETURN_IF_ERROR / ASSIGN_OR_RETURN, so
// they live here. Errors carry a Dutch message meant for the user interface.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/common/strings.h"

#define WB_CONCAT_INNER(a, b) a##b
#define WB_CONCAT(a, b) WB_CONCAT_INNER(a, b)

// Returns from the enclosing function when `expr` is not OK.
#define RETURN_IF_ERROR(expr)                                   \
  do {                                                          \
    ::absl::Status wb_status_ = (expr);                         \
    if (!wb_status_.ok()) return wb_status_;                    \
  } while (0)

#define WB_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()

// `ASSIGN_OR_RETURN(auto x, Foo())` binds x to Foo()'s value or returns its error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  WB_ASSIGN_OR_RETURN_IMPL(WB_CONCAT(wb_statusor_, __LINE__), lhs, expr)

namespace waarborg {

// Shorthands whose names say which HTTP status the adapter will give them.
inline absl::Status Invalid(std::string_view msg) {  // 422
  return absl::InvalidArgumentError(ToAbsl(msg));
}
inline absl::Status Forbidden(std::string_view msg) {  // 403
  return absl::PermissionDeniedError(ToAbsl(msg));
}
inline absl::Status NotFound(std::string_view msg) {  // 404
  return absl::NotFoundError(ToAbsl(msg));
}
inline absl::Status Conflict(std::string_view msg) {  // 409
  return absl::FailedPreconditionError(ToAbsl(msg));
}
inline absl::Status Stale(std::string_view msg) {  // 409
  return absl::AbortedError(ToAbsl(msg));
}
inline absl::Status Unauthenticated(std::string_view msg) {  // 401
  return absl::UnauthenticatedError(ToAbsl(msg));
}

}  // namespace waarborg
