// String helpers. Debian's abseil is built with its own absl::string_view
// (not std::string_view), so absl::StrCat does not take std::string_view;
// Cat does, through fmt.
#pragma once

#include <iterator>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "absl/strings/string_view.h"

// Lets fmt (and so Cat) print absl::string_view, e.g. Status::message().
template <>
struct fmt::formatter<absl::string_view> : fmt::formatter<std::string_view> {
  template <typename Ctx>
  auto format(absl::string_view s, Ctx& ctx) const {
    return fmt::formatter<std::string_view>::format(std::string_view(s.data(), s.size()), ctx);
  }
};

namespace waarborg {

// Concatenates the arguments' text forms (strings, string views, numbers).
template <typename... Args>
std::string Cat(const Args&... args) {
  std::string out;
  (fmt::format_to(std::back_inserter(out), "{}", args), ...);
  return out;
}

// Bridges std::string_view to absl::string_view.
inline absl::string_view ToAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }
// And back.
inline std::string_view FromAbsl(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace waarborg
