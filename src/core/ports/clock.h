// Clock port: core never reads the system clock itself, so deadlines and
// holidays can be tested on any date.
#pragma once

#include "core/common/date.h"

namespace waarborg {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current instant, in milliseconds since the Unix epoch.
  virtual Instant Now() const = 0;
};

}  // namespace waarborg
