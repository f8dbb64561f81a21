// Dense integer ids for the strings the engine meets on every look-up (user
// pseudonyms, subject, case and team ids, terminals), so that the explainers
// and rules index vectors and integer-keyed tables instead of hashing and
// comparing strings.
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"

namespace waarborg::monitor {

// The id of "no string" (an empty field, an unknown case reference).
inline constexpr std::uint32_t kNoId = std::numeric_limits<std::uint32_t>::max();

// Assigns ids 0, 1, 2, ... to distinct strings in the order first seen. Ids
// never change and are never reused, so state keyed by them stays valid while
// the table grows. Not thread-safe.
class Interner {
 public:
  // The id of `s`, assigning the next one when `s` is new.
  std::uint32_t Intern(std::string_view s) {
    auto it = ids_.find(Key(s));
    if (it != ids_.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(names_.size());
    names_.emplace_back(s);
    ids_.emplace(s, id);
    return id;
  }
  // The id of `s`, or kNoId when it was never interned.
  std::uint32_t Find(std::string_view s) const {
    auto it = ids_.find(Key(s));
    return it == ids_.end() ? kNoId : it->second;
  }
  // The string of `id`, which must have been returned by Intern.
  const std::string& Name(std::uint32_t id) const { return names_[id]; }
  // Number of distinct strings.
  std::size_t size() const { return names_.size(); }
  // Heap bytes held (strings beyond the small-string buffer, deque blocks and
  // hash slots), for the state-size report.
  std::size_t HeapBytes() const;

 private:
  // absl's heterogeneous look-up takes absl::string_view (a type of its own
  // in Debian's build), not std::string_view.
  static absl::string_view Key(std::string_view s) { return {s.data(), s.size()}; }
  // The keys are whole strings, not views into names_: ids up to 15
  // characters (subjects, terminals, most user ids) then sit in the hash slot
  // itself, so a look-up compares them without another cache miss.
  absl::flat_hash_map<std::string, std::uint32_t> ids_;
  std::deque<std::string> names_;  // by id; a deque keeps Name()'s references valid as it grows
};

inline std::size_t Interner::HeapBytes() const {
  std::size_t bytes = names_.size() * sizeof(std::string) + ids_.capacity() * (sizeof(std::string) + 4 + 1);
  for (const auto& n : names_) {
    if (n.capacity() > 15) bytes += 2 * (n.capacity() + 1);  // in names_ and in the key
  }
  return bytes;
}

}  // namespace waarborg::monitor
