// Calendar dates and instants used throughout the core.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace waarborg {

using Date = std::chrono::year_month_day;

// Milliseconds since the Unix epoch (UTC). Stored as INTEGER in the database.
using Instant = std::int64_t;

// The calendar date of `t` in Europe/Amsterdam.
Date DateInAmsterdam(Instant t);

// "dd-mm-jjjj", the only date format shown to users.
std::string FormatDateNl(Date d);
// "dd-mm-jjjj hh:mm" in Europe/Amsterdam.
std::string FormatInstantNl(Instant t);
// ISO "yyyy-mm-dd", used in the API and in the database.
std::string FormatDateIso(Date d);
// Parses "yyyy-mm-dd" (ISO) or "dd-mm-jjjj" (Dutch); nullopt when invalid.
std::optional<Date> ParseDate(std::string_view s);
// ISO 8601 UTC, e.g. 2026-11-23T13:08:12Z.
std::string FormatInstantIso(Instant t);

namespace date_internal {
// UTC offset of Amsterdam at `t` by the EU rule (CET, CEST from the last Sunday
// of March 01:00 UTC to the last Sunday of October 01:00 UTC). Used when the
// system has no tzdata; exposed for tests.
int EuRuleUtcOffsetSeconds(Instant t);
}  // namespace date_internal

}  // namespace waarborg
