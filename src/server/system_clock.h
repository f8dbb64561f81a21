// The real clock, for production wiring only.
#pragma once

#include <chrono>

#include "core/ports/clock.h"

namespace waarborg {

class SystemClock final : public Clock {
 public:
  Instant Now() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace waarborg
