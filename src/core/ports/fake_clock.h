// A settable Clock for tests: deadlines, time-outs and holidays on any date.
#pragma once

#include <atomic>

#include "core/ports/clock.h"

namespace waarborg {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Instant t) : t_(t) {}
  Instant Now() const override { return t_.load(); }
  void Set(Instant t) { t_ = t; }
  void Advance(std::int64_t ms) { t_ += ms; }

 private:
  std::atomic<Instant> t_;
};

}  // namespace waarborg
