#include "monitor/sources/line_sink.h"

#include <algorithm>
#include <string>
#include <utility>

namespace waarborg::monitor {
namespace {

// As StreamStats promises: the first 1,000 malformed lines, 512 bytes of each.
constexpr std::size_t kMaxSetAside = 1000;
constexpr std::size_t kMaxLineKept = 512;

}  // namespace

LineSink::LineSink(std::function<void(LookupEvent&)> on_event) : on_event_(std::move(on_event)) {}

void LineSink::Feed(std::string_view line, std::int64_t position) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.empty()) return;
  ++stats_.lines;
  absl::Status st = parser_.Parse(line, event_);
  if (st.ok()) {
    ++stats_.parsed;
    on_event_(event_);
    return;
  }
  ++stats_.malformed;
  if (stats_.set_aside.size() < kMaxSetAside) {
    stats_.set_aside.push_back(
        {position, std::string(st.message()), std::string(line.substr(0, std::min(line.size(), kMaxLineKept)))});
  }
}

}  // namespace waarborg::monitor
