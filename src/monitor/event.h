// Protective Monitoring: the look-up event and its JSON-lines parser.
// One event is one use of a police information system by one member of staff
// (a search, a view of a record, a print, an export or an edit). The schema is
// documented in docs/monitoring.md.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace waarborg::monitor {

// What the user did with the system.
enum class Action : std::uint8_t { kSearch, kView, kPrint, kExport, kEdit };
// What the user searched on.
enum class QueryType : std::uint8_t { kName, kCitizenNumber, kPlate, kAddress, kFreeText };

// The schema spelling of `a` ("search", "view", "print", "export", "edit").
std::string_view ActionName(Action a);
// The schema spelling of `q` ("name", "bsn", "plate", "address", "free_text").
std::string_view QueryTypeName(QueryType q);

// One look-up. `user` holds the real user id in raw input and the keyed
// pseudonym after ingestion (see pseudonym.h); the engine only sees the latter.
struct LookupEvent {
  std::int64_t time = 0;  // seconds since the Unix epoch, UTC
  std::string system;
  std::string user;
  std::string role;
  std::string unit;
  std::string session;
  std::string terminal;
  Action action = Action::kSearch;
  QueryType query_type = QueryType::kName;
  std::vector<std::string> subjects_returned;
  std::vector<std::string> subjects_opened;
  std::string reason;      // free-text stated reason, may be empty
  std::string case_ref;    // stated case or incident reference, may be empty
  bool emergency = false;  // "break the glass" access
};

// One look-up as parsed, without copies: every view points into the parser's
// buffers and is valid until the parser's next call. What ingestion reads
// before it interns the event (see ingest.h).
struct EventView {
  std::int64_t time = 0;
  std::string_view system, user, role, unit, session, terminal, reason, case_ref;
  Action action = Action::kSearch;
  QueryType query_type = QueryType::kName;
  std::vector<std::string_view> subjects_returned;
  std::vector<std::string_view> subjects_opened;
  bool emergency = false;
};

// The subjects the look-up is about: those opened, or when none was opened,
// those returned.
const std::vector<std::string>& SubjectsOfInterest(const LookupEvent& e);

// Seconds since the epoch for "YYYY-MM-DDTHH:MM:SSZ" (UTC only); InvalidArgument
// otherwise.
absl::StatusOr<std::int64_t> ParseUtcTime(std::string_view text);
// The inverse of ParseUtcTime.
std::string FormatUtcTime(std::int64_t t);

// One event as a single JSON line (no trailing newline), in the schema that
// EventParser reads.
std::string ToJsonLine(const LookupEvent& e);

// A line that could not be parsed, set aside with its reason.
struct MalformedLine {
  std::int64_t line_no = 0;  // 1-based
  std::string reason;
  std::string line;  // the first 512 bytes of the line
};

// Counters of a parsed stream.
struct StreamStats {
  std::int64_t lines = 0;                // non-empty lines seen
  std::int64_t parsed = 0;               // events handed on
  std::int64_t malformed = 0;            // lines set aside
  std::vector<MalformedLine> set_aside;  // at most the first 1,000 kept
};

// Parses JSON lines with simdjson's DOM parser. The DOM kernels are picked at
// run time for the CPU (AVX-512, AVX2, SSE4.2 or the portable fallback) inside
// the libsimdjson shared library, whereas On-Demand is compiled into the
// caller and, without -march flags, only ever uses the fallback kernel: DOM
// parses these lines about twice as fast here and is safe on any x86-64.
// Not thread-safe; use one parser per thread. Reuses its buffers.
class EventParser {
 public:
  EventParser();
  ~EventParser();
  EventParser(const EventParser&) = delete;
  EventParser& operator=(const EventParser&) = delete;

  // Parses one line (without its newline) into `out`. Required fields: time,
  // user, action, query_type; unknown fields are ignored. On failure returns
  // InvalidArgument with the reason and `out` is unspecified.
  absl::Status Parse(std::string_view line, LookupEvent& out);
  // The same without copying: `out` views the parser's buffers until the next
  // call. The vectors in `out` keep their capacity from call to call.
  absl::Status ParseView(std::string_view line, EventView& out);

  // Reads `in` line by line to its end, calling `sink` for each good event.
  // Malformed lines are counted and recorded in the returned stats; they never
  // stop the stream. Empty lines are skipped.
  StreamStats ParseStream(std::istream& in, const std::function<void(LookupEvent&)>& sink);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace waarborg::monitor
