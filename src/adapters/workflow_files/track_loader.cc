#include "adapters/workflow_files/track_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "core/common/status.h"

namespace waarborg::workflow_files {

using workflow::DeadlineRule;
using workflow::ReviewMoment;
using workflow::StateDef;
using workflow::TrackDefinition;
using workflow::TrackError;
using workflow::TransitionDef;

namespace fs = std::filesystem;

namespace {

int LineOf(const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  return m.is_null() ? 0 : m.line + 1;
}

// The text under key "id" of a map node, or "".
std::string PeekId(const YAML::Node& n) {
  if (!n.IsMap()) return "";
  for (auto it = n.begin(); it != n.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == "id" && it->second.IsScalar()) return it->second.Scalar();
  return "";
}

// Collects errors with lines while walking one document.
class Reader {
 public:
  std::vector<TrackError> errors;

  void Err(int line, std::string msg) { errors.push_back({line, std::move(msg)}); }

  // The entries of a map, by key; unknown and repeated keys are errors.
  std::map<std::string, YAML::Node> Fields(const YAML::Node& node, std::string_view what,
                                           std::initializer_list<std::string_view> allowed, int line) {
    std::map<std::string, YAML::Node> out;
    if (!node.IsMap()) {
      Err(node.IsDefined() ? LineOf(node) : line, Cat(what, " moet een lijst van sleutels en waarden zijn"));
      return out;
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
      const int kline = LineOf(it->first);
      if (!it->first.IsScalar()) {
        Err(kline, Cat(what, ": sleutel is geen tekst"));
        continue;
      }
      const std::string key = it->first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string list;
        for (auto a : allowed) list += Cat(list.empty() ? "" : ", ", a);
        Err(kline, Cat(what, ": onbekend veld '", key, "' (bekend: ", list, ")"));
        continue;
      }
      if (out.count(key)) {
        Err(kline, Cat(what, ": veld '", key, "' staat er twee keer"));
        continue;
      }
      out[key] = it->second;
    }
    return out;
  }

  bool Has(const std::map<std::string, YAML::Node>& f, const std::string& key) { return f.count(key) > 0; }

  // A text value; "" and an error when missing but required.
  std::string Str(const std::map<std::string, YAML::Node>& f, const std::string& key, std::string_view what,
                  int line, bool required) {
    auto it = f.find(key);
    if (it == f.end() || it->second.IsNull()) {
      if (required) Err(line, Cat(what, ": verplicht veld '", key, "' ontbreekt"));
      return "";
    }
    if (!it->second.IsScalar()) {
      Err(LineOf(it->second), Cat(what, ": veld '", key, "' moet tekst zijn"));
      return "";
    }
    return it->second.Scalar();
  }

  bool Bool(const std::map<std::string, YAML::Node>& f, const std::string& key, std::string_view what,
            bool fallback) {
    auto it = f.find(key);
    if (it == f.end()) return fallback;
    const std::string s = it->second.IsScalar() ? it->second.Scalar() : "";
    if (s == "true") return true;
    if (s == "false") return false;
    Err(LineOf(it->second), Cat(what, ": veld '", key, "' moet true of false zijn"));
    return fallback;
  }

  int Int(const std::map<std::string, YAML::Node>& f, const std::string& key, std::string_view what, int line,
          bool required, int fallback = 0) {
    auto it = f.find(key);
    if (it == f.end()) {
      if (required) Err(line, Cat(what, ": verplicht veld '", key, "' ontbreekt"));
      return fallback;
    }
    const std::string s = it->second.IsScalar() ? it->second.Scalar() : "";
    const bool digits = !s.empty() && std::all_of(s.begin() + (s[0] == '-' ? 1 : 0), s.end(),
                                                  [](char c) { return c >= '0' && c <= '9'; }) &&
                        s != "-" && s.size() < 8;
    if (!digits) {
      Err(LineOf(it->second), Cat(what, ": veld '", key, "' moet een geheel getal zijn"));
      return fallback;
    }
    return std::stoi(s);
  }

  // A list of texts; a single text counts as a list of one.
  std::vector<std::string> List(const std::map<std::string, YAML::Node>& f, const std::string& key,
                                std::string_view what) {
    std::vector<std::string> out;
    auto it = f.find(key);
    if (it == f.end() || it->second.IsNull()) return out;
    const YAML::Node& n = it->second;
    if (n.IsScalar()) {
      out.push_back(n.Scalar());
      return out;
    }
    if (!n.IsSequence()) {
      Err(LineOf(n), Cat(what, ": veld '", key, "' moet een lijst zijn"));
      return out;
    }
    for (const auto& item : n) {
      if (!item.IsScalar()) {
        Err(LineOf(item), Cat(what, ": veld '", key, "' bevat iets anders dan tekst"));
        continue;
      }
      out.push_back(item.Scalar());
    }
    return out;
  }

  // The items of a sequence field.
  std::vector<YAML::Node> Items(const std::map<std::string, YAML::Node>& f, const std::string& key,
                                std::string_view what) {
    std::vector<YAML::Node> out;
    auto it = f.find(key);
    if (it == f.end() || it->second.IsNull()) return out;
    if (!it->second.IsSequence()) {
      Err(LineOf(it->second), Cat(what, ": veld '", key, "' moet een lijst zijn"));
      return out;
    }
    for (const auto& item : it->second) out.push_back(item);
    return out;
  }

  workflow::DeadlineUnit Unit(const std::map<std::string, YAML::Node>& f, std::string_view what, int line,
                              bool required, workflow::DeadlineUnit fallback) {
    const std::string s = Str(f, "unit", what, line, required);
    if (s.empty()) return fallback;
    auto u = workflow::ParseDeadlineUnit(s);
    if (!u) {
      Err(LineOf(f.at("unit")),
          Cat(what, ": onbekende eenheid '", s, "' (calendar_days, working_days, weeks of months)"));
      return fallback;
    }
    return *u;
  }

  // Fills `d` from `node`. `partial`: only the keys present change (unit
  // overrides of an existing deadline); else the required keys must be there.
  void ReadDeadline(const YAML::Node& node, DeadlineRule& d, bool partial, bool allow_remove, bool* removed) {
    const int line = LineOf(node);
    std::initializer_list<std::string_view> keys = {
        "id", "label", "from", "otherwise_from_due_of", "amount", "unit", "met_by", "legal", "basis",
        "suspension_allowed", "extension", "algemene_termijnenwet"};
    std::initializer_list<std::string_view> keys_remove = {
        "id", "label", "from", "otherwise_from_due_of", "amount", "unit", "met_by", "legal", "basis",
        "suspension_allowed", "extension", "algemene_termijnenwet", "remove"};
    const std::string id = PeekId(node);
    const std::string what = Cat("termijn '", id.empty() ? d.id : id, "'");
    auto f = Fields(node, what, allow_remove ? keys_remove : keys, line);
    d.line = line;
    if (Has(f, "id") || !partial) d.id = Str(f, "id", "termijn", line, true);
    if (allow_remove && removed) *removed = Bool(f, "remove", what, false);
    if (removed && *removed) return;
    if (Has(f, "label") || !partial) d.label = Str(f, "label", what, line, true);
    if (Has(f, "from")) d.from = Str(f, "from", what, line, true);
    if (Has(f, "otherwise_from_due_of")) d.otherwise_from_due_of = Str(f, "otherwise_from_due_of", what, line, false);
    if (Has(f, "amount") || !partial) d.amount = Int(f, "amount", what, line, true);
    if (Has(f, "unit") || !partial) d.unit = Unit(f, what, line, true, d.unit);
    if (Has(f, "met_by") || !partial) {
      d.met_by = List(f, "met_by", what);
      if (!Has(f, "met_by")) Err(line, Cat(what, ": verplicht veld 'met_by' ontbreekt"));
    }
    d.legal = Bool(f, "legal", what, d.legal);
    if (Has(f, "basis")) d.basis = Str(f, "basis", what, line, false);
    d.suspension_allowed = Bool(f, "suspension_allowed", what, d.suspension_allowed);
    d.algemene_termijnenwet = Bool(f, "algemene_termijnenwet", what, d.algemene_termijnenwet);
    if (Has(f, "extension")) {
      const YAML::Node& e = f.at("extension");
      auto ef = Fields(e, Cat(what, ", extension"), {"amount", "max_count"}, LineOf(e));
      d.extension.amount = Int(ef, "amount", Cat(what, ", extension"), LineOf(e), true);
      d.extension.max_count = Int(ef, "max_count", Cat(what, ", extension"), LineOf(e), true);
    }
  }

  // Fills `n` from `node`; `partial` as for deadlines (a unit changes only
  // the keys it gives).
  void ReadNorm(const YAML::Node& node, workflow::NormDef& n, bool partial) {
    const int line = LineOf(node);
    const std::string id = PeekId(node);
    const std::string what = Cat("norm '", id.empty() ? n.id : id, "'");
    auto f = Fields(node, what, {"id", "label", "amount", "unit", "bound", "legal", "basis"}, line);
    n.line = line;
    if (Has(f, "id") || !partial) n.id = Str(f, "id", "norm", line, true);
    if (Has(f, "label") || !partial) n.label = Str(f, "label", what, line, true);
    if (Has(f, "amount") || !partial) n.amount = Int(f, "amount", what, line, true);
    if (Has(f, "unit") || !partial) n.unit = Str(f, "unit", what, line, true);
    if (Has(f, "bound")) {
      const std::string b = Str(f, "bound", what, line, false);
      if (auto parsed = workflow::ParseNormBound(b)) {
        n.bound = *parsed;
      } else {
        Err(LineOf(f.at("bound")), Cat(what, ": onbekende grens '", b, "' (minimum of maximum)"));
      }
    }
    n.legal = Bool(f, "legal", what, n.legal);
    if (Has(f, "basis")) n.basis = Str(f, "basis", what, line, false);
  }

  TrackDefinition ReadTrack(const YAML::Node& root) {
    TrackDefinition def;
    def.line = 1;
    auto f = Fields(root, "traject",
                    {"id", "name", "description", "main_path", "readers", "fields", "states", "transitions",
                     "deadlines", "reviews", "norms"},
                    1);
    if (f.empty() && !root.IsMap()) return def;
    def.id = Str(f, "id", "traject", 1, true);
    def.name = Str(f, "name", "traject", 1, true);
    def.description = Str(f, "description", "traject", 1, true);
    def.main_path = List(f, "main_path", "traject");
    if (Has(f, "main_path")) def.main_path_line = LineOf(f.at("main_path"));
    def.readers = List(f, "readers", "traject");
    for (const auto& n : Items(f, "fields", "traject")) {
      workflow::FieldDef fd;
      fd.line = LineOf(n);
      auto ff = Fields(n, "veld", {"id", "label", "type", "options", "help"}, fd.line);
      fd.id = Str(ff, "id", "veld", fd.line, true);
      const std::string what = Cat("veld '", fd.id, "'");
      fd.label = Str(ff, "label", what, fd.line, true);
      fd.help = Str(ff, "help", what, fd.line, false);
      const std::string type = Str(ff, "type", what, fd.line, false);
      if (!type.empty()) {
        if (auto t = workflow::ParseFieldType(type)) {
          fd.type = *t;
        } else {
          Err(LineOf(ff.at("type")),
              Cat(what, ": onbekend type '", type, "' (text, textarea, date, yesno, choice of person)"));
        }
      }
      for (const auto& o : Items(ff, "options", what)) {
        auto of = Fields(o, Cat(what, ", optie"), {"key", "label"}, LineOf(o));
        fd.options.push_back({Str(of, "key", Cat(what, ", optie"), LineOf(o), true),
                              Str(of, "label", Cat(what, ", optie"), LineOf(o), true)});
      }
      def.fields.push_back(std::move(fd));
    }
    if (!Has(f, "states")) Err(1, "traject: verplicht veld 'states' ontbreekt");
    if (!Has(f, "transitions")) Err(1, "traject: verplicht veld 'transitions' ontbreekt");

    for (const auto& n : Items(f, "states", "traject")) {
      StateDef s;
      s.line = LineOf(n);
      auto sf = Fields(n, "status", {"id", "label", "reporter_text", "initial", "terminal"}, s.line);
      s.id = Str(sf, "id", "status", s.line, true);
      const std::string what = Cat("status '", s.id, "'");
      s.label = Str(sf, "label", what, s.line, true);
      s.reporter_text = Str(sf, "reporter_text", what, s.line, true);
      s.initial = Bool(sf, "initial", what, false);
      s.terminal = Bool(sf, "terminal", what, false);
      def.states.push_back(std::move(s));
    }
    for (const auto& n : Items(f, "transitions", "traject")) {
      TransitionDef t;
      t.line = LineOf(n);
      auto tf = Fields(n, "overgang",
                       {"action", "label", "from", "to", "roles", "required_fields", "optional_fields", "checklist",
                        "guards", "hands_over_to"},
                       t.line);
      t.action = Str(tf, "action", "overgang", t.line, true);
      const std::string what = Cat("overgang '", t.action, "'");
      t.label = Str(tf, "label", what, t.line, false);
      t.from = List(tf, "from", what);
      if (!Has(tf, "from")) Err(t.line, Cat(what, ": verplicht veld 'from' ontbreekt"));
      t.to = Str(tf, "to", what, t.line, false);
      t.roles = List(tf, "roles", what);
      t.required_fields = List(tf, "required_fields", what);
      t.optional_fields = List(tf, "optional_fields", what);
      t.checklist = List(tf, "checklist", what);
      t.guards = List(tf, "guards", what);
      t.hands_over_to = Str(tf, "hands_over_to", what, t.line, false);
      def.transitions.push_back(std::move(t));
    }
    for (const auto& n : Items(f, "deadlines", "traject")) {
      DeadlineRule d;
      ReadDeadline(n, d, /*partial=*/false, /*allow_remove=*/false, nullptr);
      def.deadlines.push_back(std::move(d));
    }
    for (const auto& n : Items(f, "norms", "traject")) {
      workflow::NormDef nd;
      ReadNorm(n, nd, /*partial=*/false);
      def.norms.push_back(std::move(nd));
    }
    for (const auto& n : Items(f, "reviews", "traject")) {
      ReviewMoment r;
      r.line = LineOf(n);
      auto rf = Fields(n, "evaluatiemoment", {"id", "label", "states", "every", "unit", "roles"}, r.line);
      r.id = Str(rf, "id", "evaluatiemoment", r.line, true);
      const std::string what = Cat("evaluatiemoment '", r.id, "'");
      r.label = Str(rf, "label", what, r.line, true);
      r.states = List(rf, "states", what);
      r.every = Int(rf, "every", what, r.line, true);
      r.unit = Unit(rf, what, r.line, true, r.unit);
      r.roles = List(rf, "roles", what);
      def.reviews.push_back(std::move(r));
    }
    return def;
  }
};

std::string Format(std::string_view path, const std::vector<TrackError>& errors) {
  std::string out;
  for (const auto& e : errors) out += Cat(out.empty() ? "" : "\n", path, ":", std::max(1, e.line), ": ", e.message);
  return out;
}

// Parses YAML text; a syntax error becomes a TrackError.
std::optional<YAML::Node> ParseYaml(std::string_view text, std::vector<TrackError>& errors) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    if (!root.IsDefined() || root.IsNull()) {
      errors.push_back({1, "het bestand is leeg"});
      return std::nullopt;
    }
    return root;
  } catch (const YAML::Exception& e) {
    errors.push_back({e.mark.is_null() ? 1 : e.mark.line + 1, Cat("geen geldige YAML: ", e.msg)});
    return std::nullopt;
  }
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Invalid(Cat(path, ":1: kan het bestand niet lezen"));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> YamlFiles(const fs::path& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Parse + validate, errors formatted with `path`.
std::vector<TrackError> ParseAndValidate(std::string_view text, std::string_view path,
                                         const workflow::GuardRegistry& guards, TrackDefinition& out) {
  std::vector<TrackError> errors;
  auto root = ParseYaml(text, errors);
  if (!root) return errors;
  Reader r;
  out = r.ReadTrack(*root);
  if (!r.errors.empty()) return r.errors;
  errors = workflow::ValidateTrack(out, guards);
  const std::string stem = fs::path(std::string(path)).stem().string();
  if (!out.id.empty() && stem != out.id)
    errors.insert(errors.begin(), {1, Cat("traject-id '", out.id, "' moet gelijk zijn aan de bestandsnaam '", stem, ".yaml'")});
  return errors;
}

}  // namespace

absl::StatusOr<TrackDefinition> ParseTrack(std::string_view yaml_text, std::string_view path) {
  std::vector<TrackError> errors;
  auto root = ParseYaml(yaml_text, errors);
  if (!root) return Invalid(Format(path, errors));
  Reader r;
  TrackDefinition def = r.ReadTrack(*root);
  if (!r.errors.empty()) return Invalid(Format(path, r.errors));
  return def;
}

absl::StatusOr<TrackDefinition> LoadTrackFile(const std::string& path, const workflow::GuardRegistry& guards) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  TrackDefinition def;
  auto errors = ParseAndValidate(text, path, guards, def);
  if (!errors.empty()) return Invalid(Format(path, errors));
  return def;
}

absl::StatusOr<std::vector<TrackDefinition>> LoadAllTracks(const std::string& directory,
                                                           const workflow::GuardRegistry& guards) {
  std::vector<TrackDefinition> tracks;
  std::vector<std::string> paths;
  std::string all;
  auto add = [&](const std::string& msg) { all += Cat(all.empty() ? "" : "\n", msg); };
  const auto files = YamlFiles(directory);
  if (files.empty()) return Invalid(Cat(directory, ": geen trajecten (*.yaml) gevonden"));
  for (const auto& path : files) {
    auto text = ReadFile(path);
    if (!text.ok()) {
      add(std::string(FromAbsl(text.status().message())));
      continue;
    }
    TrackDefinition def;
    auto errors = ParseAndValidate(*text, path, guards, def);
    if (!errors.empty()) {
      add(Format(path, errors));
      continue;
    }
    tracks.push_back(std::move(def));
    paths.push_back(path);
  }
  if (!all.empty()) return Invalid(all);
  // Across files: a hand-over names another track that is there (not the
  // LMM, which takes reports only from reporters and VPIs).
  for (std::size_t i = 0; i < tracks.size(); ++i)
    for (const auto& t : tracks[i].transitions) {
      if (t.hands_over_to.empty()) continue;
      const bool known = std::any_of(tracks.begin(), tracks.end(),
                                     [&](const TrackDefinition& o) { return o.id == t.hands_over_to; });
      if (!known || t.hands_over_to == tracks[i].id || t.hands_over_to == "lmm")
        add(Cat(paths[i], ":", t.line, ": overgang '", t.action, "' draagt over aan traject '", t.hands_over_to,
                "', maar dat bestaat niet of kan geen overdracht ontvangen"));
    }
  if (!all.empty()) return Invalid(all);
  return tracks;
}

absl::StatusOr<TrackDefinition> ParseUnitOverride(std::string_view yaml_text, std::string_view path,
                                                  const TrackDefinition& base,
                                                  const workflow::GuardRegistry& guards) {
  std::vector<TrackError> errors;
  auto root = ParseYaml(yaml_text, errors);
  if (!root) return Invalid(Format(path, errors));
  Reader r;
  auto f = r.Fields(*root, "eenheidsaanpassing", {"track", "deadlines", "norms"}, 1);
  const std::string track = r.Str(f, "track", "eenheidsaanpassing", 1, true);
  if (!track.empty() && track != base.id)
    r.Err(LineOf(f.at("track")), Cat("aanpassing hoort bij traject '", track, "', niet bij '", base.id, "'"));
  TrackDefinition merged = base;
  merged.line = 1;
  std::set<std::string> seen;
  for (const auto& n : r.Items(f, "deadlines", "eenheidsaanpassing")) {
    const std::string id = PeekId(n);
    if (!id.empty() && !seen.insert(id).second) {
      r.Err(LineOf(n), Cat("termijn '", id, "' staat twee keer in de aanpassing"));
      continue;
    }
    auto existing = std::find_if(merged.deadlines.begin(), merged.deadlines.end(),
                                 [&](const DeadlineRule& d) { return !id.empty() && d.id == id; });
    bool removed = false;
    if (existing != merged.deadlines.end()) {
      r.ReadDeadline(n, *existing, /*partial=*/true, /*allow_remove=*/true, &removed);
      if (removed) merged.deadlines.erase(existing);
    } else {
      DeadlineRule d;
      r.ReadDeadline(n, d, /*partial=*/false, /*allow_remove=*/true, &removed);
      if (removed) {
        r.Err(LineOf(n), Cat("termijn '", id, "' bestaat niet in traject '", base.id, "' en kan niet worden verwijderd"));
      } else {
        merged.deadlines.push_back(std::move(d));
      }
    }
  }
  std::set<std::string> seen_norms;
  for (const auto& n : r.Items(f, "norms", "eenheidsaanpassing")) {
    const std::string id = PeekId(n);
    if (!id.empty() && !seen_norms.insert(id).second) {
      r.Err(LineOf(n), Cat("norm '", id, "' staat twee keer in de aanpassing"));
      continue;
    }
    auto existing = std::find_if(merged.norms.begin(), merged.norms.end(),
                                 [&](const workflow::NormDef& d) { return !id.empty() && d.id == id; });
    if (existing != merged.norms.end()) {
      r.ReadNorm(n, *existing, /*partial=*/true);
    } else {
      workflow::NormDef nd;
      r.ReadNorm(n, nd, /*partial=*/false);
      merged.norms.push_back(std::move(nd));
    }
  }
  if (!r.errors.empty()) return Invalid(Format(path, r.errors));
  // Checks on the merged track: only deadlines changed, so errors point at them.
  errors = workflow::ValidateTrack(merged, guards);
  auto tight = workflow::TighteningErrors(base, merged);
  errors.insert(errors.end(), tight.begin(), tight.end());
  if (!errors.empty()) return Invalid(Format(path, errors));
  // CheckTightening holds by now; kept as the single rule's entry point.
  RETURN_IF_ERROR(workflow::CheckTightening(base, merged));
  return merged;
}

absl::StatusOr<TrackDefinition> LoadUnitOverride(const std::string& path, const TrackDefinition& base,
                                                 const workflow::GuardRegistry& guards) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseUnitOverride(text, path, base, guards);
}

absl::StatusOr<std::vector<UnitTrack>> LoadUnitOverrides(const std::string& units_directory,
                                                         const std::vector<TrackDefinition>& bases,
                                                         const workflow::GuardRegistry& guards) {
  std::vector<UnitTrack> out;
  std::error_code ec;
  if (!fs::is_directory(units_directory, ec)) return out;
  std::vector<fs::path> units;
  for (const auto& entry : fs::directory_iterator(units_directory, ec))
    if (entry.is_directory()) units.push_back(entry.path());
  std::sort(units.begin(), units.end());
  std::string all;
  auto add = [&](const std::string& msg) { all += Cat(all.empty() ? "" : "\n", msg); };
  for (const auto& unit_dir : units) {
    for (const auto& path : YamlFiles(unit_dir)) {
      const std::string stem = fs::path(path).stem().string();
      if (stem == "lmm") {
        add(Cat(path, ":1: het LMM is landelijk (een coördinator, VPI's door het hele land); een eenheid past het niet aan"));
        continue;
      }
      auto base = std::find_if(bases.begin(), bases.end(), [&](const TrackDefinition& t) { return t.id == stem; });
      if (base == bases.end()) {
        add(Cat(path, ":1: er is geen traject '", stem, "' in workflows/tracks"));
        continue;
      }
      auto merged = LoadUnitOverride(path, *base, guards);
      if (!merged.ok()) {
        add(std::string(FromAbsl(merged.status().message())));
        continue;
      }
      out.push_back({unit_dir.filename().string(), *std::move(merged)});
    }
  }
  if (!all.empty()) return Invalid(all);
  return out;
}

}  // namespace waarborg::workflow_files
