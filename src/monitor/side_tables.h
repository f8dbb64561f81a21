// Side tables as the source systems deliver them: JSON lines with real user
// ids, pseudonymised here at load, like the events (issue 6 §1, §2), so the
// engine's Context never holds a real user id.
//
//   DIR/staff.jsonl       {"user", "unit", "team", "role", "surname", "home_geohash",
//                          "roster": [[start, end], ...], "leave": [[start, end], ...],
//                          "declared_relations": [subject ids], "own_subject"}
//   DIR/subjects.jsonl    {"id", "surname", "geohash", "vip", "shielded", "under_investigation",
//                          "colleague" (user id), "authors": [user ids]}
//   DIR/cases.jsonl       {"id", "team", "start", "end", "assigned": [user ids], "subjects": [ids]}
//   DIR/dispatches.jsonl  {"user", "subject", "time"}
//
// Times are epoch seconds. A missing file is an empty table; a malformed
// line is set aside with its reason and the rest is loaded.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "monitor/context.h"
#include "monitor/event.h"
#include "monitor/pseudonym.h"

namespace waarborg::monitor {

struct SideTableStats {
  int staff = 0, subjects = 0, cases = 0, dispatches = 0;
  int malformed = 0;
  std::vector<MalformedLine> set_aside;  // reason prefixed with the file name
};

// Loads the tables of `dir` into `out` (user ids pseudonymised with
// `pseudonyms`) and indexes it.
SideTableStats LoadSideTables(const std::filesystem::path& dir, const Pseudonymizer& pseudonyms, Context& out);

// Writes `ctx` in the same form; `user_id_of` gives the real id of a
// pseudonym (the demo and tests know it; nothing else should).
absl::Status WriteSideTables(const Context& ctx, const std::filesystem::path& dir,
                             const std::function<std::string(std::string_view pseudonym)>& user_id_of);

}  // namespace waarborg::monitor
