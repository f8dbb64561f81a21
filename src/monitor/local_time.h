// Local time in the Netherlands (Europe/Amsterdam: CET, and CEST from the last
// Sunday of March to the last Sunday of October, 01:00 UTC both, the EU rule
// since 1996) for the rules that read the clock: night, roster, leave and the
// day a look-up counts in. Computed, not looked up in tzdata, because it runs
// for every event: the year's two transitions are cached per thread.
#pragma once

#include <cstdint>

namespace waarborg::monitor {

// Seconds east of UTC in Amsterdam at epoch second `t`: 3600 or 7200.
std::int32_t AmsterdamUtcOffset(std::int64_t t);

// The local day number (days since 1970-01-01 in Amsterdam) of `t`.
inline std::int64_t AmsterdamDay(std::int64_t t) {
  const std::int64_t local = t + AmsterdamUtcOffset(t);
  return local >= 0 ? local / 86400 : (local - 86399) / 86400;
}

// Epoch second of local midnight that starts local day `day`.
std::int64_t AmsterdamMidnight(std::int64_t day);

}  // namespace waarborg::monitor
