#include "adapters/web/renderer.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace waarborg::web {

namespace fs = std::filesystem;

namespace {
std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

Renderer::Renderer(const std::string& web_dir) {
  std::error_code ec;
  const fs::path tdir = fs::path(web_dir) / "templates";
  for (fs::recursive_directory_iterator it(tdir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file() || it->path().extension() != ".mustache") continue;
    std::string name = fs::relative(it->path(), tdir).replace_extension().generic_string();
    templates_[name] = ReadFile(it->path());
  }
  const fs::path idir = fs::path(web_dir) / "i18n";
  for (fs::directory_iterator it(idir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".json") continue;
    auto j = nlohmann::json::parse(ReadFile(it->path()), nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) continue;
    auto& table = strings_[it->path().stem().string()];
    for (auto& [k, v] : j.items())
      if (v.is_string()) table[k] = v.get<std::string>();
  }
}

std::string Renderer::T(const std::string& lang, const std::string& key) const {
  for (const std::string& l : {lang, std::string("nl")}) {
    auto t = strings_.find(l);
    if (t == strings_.end()) continue;
    auto s = t->second.find(key);
    if (s != t->second.end()) return s->second;
  }
  return key;
}

std::string Renderer::Render(const std::string& name, Data data, const std::string& lang) const {
  auto it = templates_.find(name);
  if (it == templates_.end()) return "<p>Sjabloon ontbreekt: " + kainjow::mustache::html_escape(name) + "</p>";
  Data t;
  // nl first, then the chosen language on top, so a missing key falls back to nl.
  if (auto nl = strings_.find("nl"); nl != strings_.end())
    for (auto& [k, v] : nl->second) t.set(k, v);
  if (lang != "nl")
    if (auto other = strings_.find(lang); other != strings_.end())
      for (auto& [k, v] : other->second) t.set(k, v);
  data.set("t", t);
  // Templates whose name starts with '_' are partials: {{>_case_table}}.
  for (auto& [pname, ptext] : templates_) {
    if (pname.empty() || pname[0] != '_') continue;
    const std::string* text = &ptext;
    data.set(pname, Data(kainjow::mustache::partial([text]() { return *text; })));
  }
  kainjow::mustache::mustache tmpl(it->second);
  if (!tmpl.is_valid()) return "<p>Sjabloonfout in " + kainjow::mustache::html_escape(name) + ": " +
                               kainjow::mustache::html_escape(tmpl.error_message()) + "</p>";
  return tmpl.render(data);
}

std::string Renderer::Page(const std::string& name, Data data, const std::string& lang) const {
  std::string content = Render(name, data, lang);
  data.set("content", content);
  return Render("layout", std::move(data), lang);
}

}  // namespace waarborg::web
