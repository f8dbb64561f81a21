#include "monitor/event.h"

#include <simdjson.h>

#include <array>
#include <cstdio>

#include "core/common/strings.h"

namespace waarborg::monitor {
namespace {

constexpr std::array<std::string_view, 5> kActionNames = {"search", "view", "print", "export", "edit"};
constexpr std::array<std::string_view, 5> kQueryNames = {"name", "bsn", "plate", "address", "free_text"};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool Digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void AppendStringArray(std::string& out, const std::vector<std::string>& v) {
  out.push_back('[');
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out.push_back(',');
    AppendJsonString(out, v[i]);
  }
  out.push_back(']');
}

absl::Status Bad(std::string_view why) { return absl::InvalidArgumentError(ToAbsl(why)); }

}  // namespace

std::string_view ActionName(Action a) { return kActionNames[static_cast<int>(a)]; }
std::string_view QueryTypeName(QueryType q) { return kQueryNames[static_cast<int>(q)]; }

const std::vector<std::string>& SubjectsOfInterest(const LookupEvent& e) {
  return e.subjects_opened.empty() ? e.subjects_returned : e.subjects_opened;
}

absl::StatusOr<std::int64_t> ParseUtcTime(std::string_view s) {
  // 2026-11-23T14:05:00Z
  if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z') {
    return Bad("time is not YYYY-MM-DDTHH:MM:SSZ");
  }
  int y, mo, d, h, mi, se;
  if (!Digits(s, 0, 4, y) || !Digits(s, 5, 2, mo) || !Digits(s, 8, 2, d) || !Digits(s, 11, 2, h) ||
      !Digits(s, 14, 2, mi) || !Digits(s, 17, 2, se)) {
    return Bad("time has a non-digit");
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return Bad("time out of range");
  return DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

std::string FormatUtcTime(std::int64_t t) {
  std::int64_t z = (t >= 0 ? t : t - 86399) / 86400;
  std::int64_t secs = t - z * 86400;
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(y), m, d,
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60));
  return buf;
}

std::string ToJsonLine(const LookupEvent& e) {
  std::string out;
  out.reserve(256);
  out += "{\"time\":";
  AppendJsonString(out, FormatUtcTime(e.time));
  auto field = [&](std::string_view name, std::string_view value) {
    out += ",\"";
    out += name;
    out += "\":";
    AppendJsonString(out, value);
  };
  field("system", e.system);
  field("user", e.user);
  field("role", e.role);
  field("unit", e.unit);
  field("session", e.session);
  field("terminal", e.terminal);
  field("action", ActionName(e.action));
  field("query_type", QueryTypeName(e.query_type));
  out += ",\"subjects_returned\":";
  AppendStringArray(out, e.subjects_returned);
  out += ",\"subjects_opened\":";
  AppendStringArray(out, e.subjects_opened);
  if (!e.reason.empty()) field("reason", e.reason);
  if (!e.case_ref.empty()) field("case_ref", e.case_ref);
  out += ",\"emergency\":";
  out += e.emergency ? "true" : "false";
  out += '}';
  return out;
}

struct EventParser::Impl {
  simdjson::dom::parser parser;
  std::string buffer;  // the line plus simdjson's padding
  std::string line;
  EventView view;
};

EventParser::EventParser() : impl_(std::make_unique<Impl>()) {}
EventParser::~EventParser() = default;

namespace {

absl::Status ReadString(simdjson::dom::element v, std::string_view key, std::string_view& out) {
  if (v.get_string().get(out) != simdjson::SUCCESS) return Bad(Cat(key, " is not a string"));
  return absl::OkStatus();
}

absl::Status ReadStringArray(simdjson::dom::element v, std::string_view key, std::vector<std::string_view>& out) {
  simdjson::dom::array arr;
  if (v.get_array().get(arr) != simdjson::SUCCESS) return Bad(Cat(key, " is not an array"));
  for (simdjson::dom::element item : arr) {
    std::string_view s;
    if (item.get_string().get(s) != simdjson::SUCCESS) return Bad(Cat(key, " holds a non-string"));
    out.push_back(s);
  }
  return absl::OkStatus();
}

void CopyStrings(const std::vector<std::string_view>& from, std::vector<std::string>& to) {
  to.assign(from.begin(), from.end());
}

}  // namespace

absl::Status EventParser::ParseView(std::string_view line, EventView& out) {
  out.time = 0;
  out.system = out.user = out.role = out.unit = out.session = out.terminal = out.reason = out.case_ref = {};
  out.action = Action::kSearch;
  out.query_type = QueryType::kName;
  out.subjects_returned.clear();
  out.subjects_opened.clear();
  out.emergency = false;
  std::size_t last = line.find_last_not_of(" \t");
  if (last == std::string_view::npos || line[last] != '}') return Bad("not a single JSON object");
  std::string& buf = impl_->buffer;
  buf.assign(line.data(), line.size());
  buf.append(simdjson::SIMDJSON_PADDING, ' ');
  simdjson::dom::element doc;
  if (impl_->parser.parse(buf.data(), line.size(), false).get(doc) != simdjson::SUCCESS) return Bad("not JSON");
  simdjson::dom::object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) return Bad("not a JSON object");
  bool has_time = false, has_user = false, has_action = false, has_query = false;
  for (auto [key, v] : obj) {
    if (key == "time") {
      std::string_view s;
      std::int64_t t;
      if (v.get_string().get(s) == simdjson::SUCCESS) {
        auto parsed = ParseUtcTime(s);
        if (!parsed.ok()) return parsed.status();
        out.time = *parsed;
      } else if (v.get_int64().get(t) == simdjson::SUCCESS) {
        out.time = t;
      } else {
        return Bad("time is neither a UTC timestamp nor epoch seconds");
      }
      has_time = true;
    } else if (key == "user") {
      if (auto st = ReadString(v, key, out.user); !st.ok()) return st;
      if (out.user.empty()) return Bad("user is empty");
      has_user = true;
    } else if (key == "system") {
      if (auto st = ReadString(v, key, out.system); !st.ok()) return st;
    } else if (key == "role") {
      if (auto st = ReadString(v, key, out.role); !st.ok()) return st;
    } else if (key == "unit") {
      if (auto st = ReadString(v, key, out.unit); !st.ok()) return st;
    } else if (key == "session") {
      if (auto st = ReadString(v, key, out.session); !st.ok()) return st;
    } else if (key == "terminal") {
      if (auto st = ReadString(v, key, out.terminal); !st.ok()) return st;
    } else if (key == "reason") {
      if (auto st = ReadString(v, key, out.reason); !st.ok()) return st;
    } else if (key == "case_ref") {
      if (auto st = ReadString(v, key, out.case_ref); !st.ok()) return st;
    } else if (key == "action" || key == "query_type") {
      std::string_view s;
      if (v.get_string().get(s) != simdjson::SUCCESS) return Bad(Cat(key, " is not a string"));
      const bool is_action = key == "action";
      const auto& names = is_action ? kActionNames : kQueryNames;
      int found = -1;
      for (int i = 0; i < static_cast<int>(names.size()); ++i) {
        if (names[i] == s) found = i;
      }
      if (found < 0) return Bad(Cat("unknown ", key, " \"", s, "\""));
      if (is_action) {
        out.action = static_cast<Action>(found);
        has_action = true;
      } else {
        out.query_type = static_cast<QueryType>(found);
        has_query = true;
      }
    } else if (key == "subjects_returned") {
      if (auto st = ReadStringArray(v, key, out.subjects_returned); !st.ok()) return st;
    } else if (key == "subjects_opened") {
      if (auto st = ReadStringArray(v, key, out.subjects_opened); !st.ok()) return st;
    } else if (key == "emergency") {
      if (v.get_bool().get(out.emergency) != simdjson::SUCCESS) return Bad("emergency is not a boolean");
    }
    // Unknown fields are ignored.
  }
  if (!has_time) return Bad("time is missing");
  if (!has_user) return Bad("user is missing");
  if (!has_action) return Bad("action is missing");
  if (!has_query) return Bad("query_type is missing");
  return absl::OkStatus();
}

absl::Status EventParser::Parse(std::string_view line, LookupEvent& out) {
  EventView& v = impl_->view;
  absl::Status st = ParseView(line, v);
  if (!st.ok()) return st;
  out.time = v.time;
  out.system.assign(v.system);
  out.user.assign(v.user);
  out.role.assign(v.role);
  out.unit.assign(v.unit);
  out.session.assign(v.session);
  out.terminal.assign(v.terminal);
  out.action = v.action;
  out.query_type = v.query_type;
  CopyStrings(v.subjects_returned, out.subjects_returned);
  CopyStrings(v.subjects_opened, out.subjects_opened);
  out.reason.assign(v.reason);
  out.case_ref.assign(v.case_ref);
  out.emergency = v.emergency;
  return absl::OkStatus();
}

StreamStats EventParser::ParseStream(std::istream& in, const std::function<void(LookupEvent&)>& sink) {
  StreamStats stats;
  LookupEvent event;
  std::string& line = impl_->line;
  std::int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    ++stats.lines;
    absl::Status st = Parse(line, event);
    if (st.ok()) {
      ++stats.parsed;
      sink(event);
    } else {
      ++stats.malformed;
      if (stats.set_aside.size() < 1000) {
        stats.set_aside.push_back(
            {line_no, std::string(FromAbsl(st.message())), line.substr(0, std::min<std::size_t>(line.size(), 512))});
      }
    }
  }
  return stats;
}

}  // namespace waarborg::monitor
