// Protective Monitoring: where a source hands its lines. A source only moves
// bytes; this parses each line into a LookupEvent, counts it, sets a malformed
// one aside with its reason and passes a good one on, so that one bad line
// never stops the stream.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "monitor/event.h"

namespace waarborg::monitor {

class LineSink {
 public:
  explicit LineSink(std::function<void(LookupEvent&)> on_event);

  // `position` finds the line again in its source: a line number, or a
  // message's stream sequence. A trailing line end is ignored; empty lines
  // are skipped, as in EventParser::ParseStream.
  void Feed(std::string_view line, std::int64_t position);

  const StreamStats& stats() const { return stats_; }

 private:
  std::function<void(LookupEvent&)> on_event_;
  EventParser parser_;
  LookupEvent event_;
  StreamStats stats_;
};

}  // namespace waarborg::monitor
