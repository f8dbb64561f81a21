#include "monitor/side_tables.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/common/strings.h"

namespace waarborg::monitor {

namespace {

using nlohmann::json;

std::vector<Interval> IntervalsOf(const json& j, const char* key) {
  std::vector<Interval> out;
  auto it = j.find(key);
  if (it == j.end()) return out;
  if (!it->is_array()) throw std::invalid_argument(Cat("'", key, "' is geen lijst"));
  for (const auto& pair : *it) {
    if (!pair.is_array() || pair.size() != 2) throw std::invalid_argument(Cat("'", key, "' bevat geen [begin, eind]"));
    out.push_back({pair[0].get<std::int64_t>(), pair[1].get<std::int64_t>()});
  }
  return out;
}

std::vector<std::string> StringsOf(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return {};
  return it->get<std::vector<std::string>>();
}

std::string Required(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
    throw std::invalid_argument(Cat("'", key, "' ontbreekt"));
  return it->get<std::string>();
}

// Reads `file` line by line, calling `row` for each object; a line that is no
// object or that `row` rejects (by throwing) is set aside.
int ReadLines(const std::filesystem::path& file, SideTableStats& stats, const std::function<void(const json&)>& row) {
  std::ifstream in(file);
  if (!in) return 0;
  std::string line;
  std::int64_t n = 0;
  int rows = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::string reason;
    try {
      json j = json::parse(line);
      if (!j.is_object()) throw std::invalid_argument("geen JSON-object");
      row(j);
      ++rows;
      continue;
    } catch (const json::exception& e) {
      reason = e.what();
    } catch (const std::exception& e) {
      reason = e.what();
    }
    ++stats.malformed;
    if (stats.set_aside.size() < 1000)
      stats.set_aside.push_back({n, Cat(file.filename().string(), ": ", reason), line.substr(0, 512)});
  }
  return rows;
}

std::vector<std::string> Pseudonyms(const Pseudonymizer& p, const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (const auto& id : ids) out.push_back(p.Of(id));
  return out;
}

json Intervals(const std::vector<Interval>& v) {
  json a = json::array();
  for (const auto& i : v) a.push_back({i.start, i.end});
  return a;
}

}  // namespace

SideTableStats LoadSideTables(const std::filesystem::path& dir, const Pseudonymizer& pseudonyms, Context& out) {
  SideTableStats stats;
  stats.staff = ReadLines(dir / "staff.jsonl", stats, [&](const json& j) {
    StaffMember s;
    s.pseudonym = pseudonyms.Of(Required(j, "user"));
    s.unit = j.value("unit", "");
    s.team = j.value("team", "");
    s.role = j.value("role", "");
    s.surname = j.value("surname", "");
    s.home_geohash = j.value("home_geohash", "");
    s.roster = IntervalsOf(j, "roster");
    s.leave = IntervalsOf(j, "leave");
    s.declared_relations = StringsOf(j, "declared_relations");
    s.own_subject = j.value("own_subject", "");
    out.AddStaff(std::move(s));
  });
  stats.subjects = ReadLines(dir / "subjects.jsonl", stats, [&](const json& j) {
    Subject s;
    s.id = Required(j, "id");
    s.surname = j.value("surname", "");
    s.geohash = j.value("geohash", "");
    s.vip = j.value("vip", false);
    s.shielded = j.value("shielded", false);
    s.under_investigation = j.value("under_investigation", false);
    const std::string colleague = j.value("colleague", "");
    if (!colleague.empty()) s.colleague = pseudonyms.Of(colleague);
    s.authors = Pseudonyms(pseudonyms, StringsOf(j, "authors"));
    out.AddSubject(std::move(s));
  });
  stats.cases = ReadLines(dir / "cases.jsonl", stats, [&](const json& j) {
    CaseFile c;
    c.id = Required(j, "id");
    c.team = j.value("team", "");
    c.active = {j.at("start").get<std::int64_t>(), j.at("end").get<std::int64_t>()};
    if (c.active.end < c.active.start) throw std::invalid_argument("'end' ligt voor 'start'");
    c.assigned = Pseudonyms(pseudonyms, StringsOf(j, "assigned"));
    c.subjects = StringsOf(j, "subjects");
    out.AddCase(std::move(c));
  });
  stats.dispatches = ReadLines(dir / "dispatches.jsonl", stats, [&](const json& j) {
    out.AddDispatch({pseudonyms.Of(Required(j, "user")), Required(j, "subject"), j.at("time").get<std::int64_t>()});
  });
  out.Index();
  return stats;
}

absl::Status WriteSideTables(const Context& ctx, const std::filesystem::path& dir,
                             const std::function<std::string(std::string_view pseudonym)>& user_id_of) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(Cat("Kan ", dir.string(), " niet aanmaken: ", ec.message()));
  auto ids = [&](const std::vector<std::string>& pseudonyms) {
    json a = json::array();
    for (const auto& p : pseudonyms) a.push_back(user_id_of(p));
    return a;
  };
  std::ofstream staff(dir / "staff.jsonl"), subjects(dir / "subjects.jsonl"), cases(dir / "cases.jsonl"),
      dispatches(dir / "dispatches.jsonl");
  for (const auto& [p, s] : ctx.staff)
    staff << json{{"user", user_id_of(s.pseudonym)},
                  {"unit", s.unit},
                  {"team", s.team},
                  {"role", s.role},
                  {"surname", s.surname},
                  {"home_geohash", s.home_geohash},
                  {"roster", Intervals(s.roster)},
                  {"leave", Intervals(s.leave)},
                  {"declared_relations", s.declared_relations},
                  {"own_subject", s.own_subject}}
                 .dump()
          << '\n';
  for (const auto& [id, s] : ctx.subjects) {
    json j{{"id", s.id},
           {"surname", s.surname},
           {"geohash", s.geohash},
           {"vip", s.vip},
           {"shielded", s.shielded},
           {"under_investigation", s.under_investigation},
           {"authors", ids(s.authors)}};
    if (!s.colleague.empty()) j["colleague"] = user_id_of(s.colleague);
    subjects << j.dump() << '\n';
  }
  for (const auto& [id, c] : ctx.cases)
    cases << json{{"id", c.id},
                  {"team", c.team},
                  {"start", c.active.start},
                  {"end", c.active.end},
                  {"assigned", ids(c.assigned)},
                  {"subjects", c.subjects}}
                 .dump()
          << '\n';
  for (const auto& d : ctx.dispatches)
    dispatches << json{{"user", user_id_of(d.user)}, {"subject", d.subject}, {"time", d.time}}.dump() << '\n';
  for (auto* f : {&staff, &subjects, &cases, &dispatches}) {
    f->flush();
    if (!*f) return absl::InternalError(Cat("Kan de bijtabellen in ", dir.string(), " niet schrijven."));
  }
  return absl::OkStatus();
}

}  // namespace waarborg::monitor
