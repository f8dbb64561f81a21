// Ingestion: a parsed look-up becomes an interned Event, the form the engine
// works on. The user id is replaced by its keyed pseudonym here, so nothing
// behind ingestion sees a real user id, and every id becomes a dense integer
// from the Context's id tables (intern.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "monitor/context.h"
#include "monitor/event.h"
#include "monitor/intern.h"
#include "monitor/pseudonym.h"

namespace waarborg::monitor {

// A look-up with its ids interned in a Context. Only what the explainers and
// rules read; the strings are kept for the evidence texts and for users that
// no staff row describes.
struct Event {
  std::int64_t time = 0;
  std::uint32_t user = kNoId;      // Context::UserId of the pseudonym
  std::uint32_t terminal = kNoId;  // Context::TerminalId; kNoId when none was sent
  std::uint32_t case_ref = kNoId;  // Context::CaseId of the stated reference; kNoId when none or unknown
  Action action = Action::kSearch;
  QueryType query_type = QueryType::kName;
  bool emergency = false;
  std::vector<std::uint32_t> subjects;  // the subjects of interest (SubjectsOfInterest)
  std::string case_ref_text;            // the stated case reference as sent, may be empty
  std::string role, unit;               // as sent; the staff table wins
};

// An already pseudonymised LookupEvent as an Event in `ctx` (reuses `out`'s
// capacity).
void Intern(const Context& ctx, const LookupEvent& e, Event& out);

// Pseudonymises and interns parsed look-ups. The keyed BLAKE2b hash runs once
// per distinct user id: the same id always gives the same pseudonym, so the
// id's user number is cached. The cache holds real user ids, as the input
// does; it lives at ingestion only and is never handed on. Not thread-safe.
class Ingestor {
 public:
  Ingestor(const Context& ctx, Pseudonymizer pseudonyms) : ctx_(ctx), pseudonyms_(std::move(pseudonyms)) {}

  // `v` (real user id) as an Event in the Context (reuses `out`'s capacity).
  void Ingest(const EventView& v, Event& out);
  // The Context user id of real user id `user_id`.
  std::uint32_t UserOf(std::string_view user_id);
  // Distinct real user ids seen.
  std::size_t users() const { return user_ids_.size(); }

 private:
  const Context& ctx_;
  Pseudonymizer pseudonyms_;
  absl::flat_hash_map<std::string, std::uint32_t> user_ids_;  // real id -> Context user id
};

}  // namespace waarborg::monitor
