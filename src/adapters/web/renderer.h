// Server-rendered pages: mustache templates (kainjow) from web/templates,
// UI strings from web/i18n/<lang>.json. Everything inserted with {{...}} is
// HTML-escaped; only the layout's {{{content}}} takes rendered HTML.
#pragma once

#include <map>
#include <string>

#include <kainjow/mustache.hpp>

namespace waarborg::web {

using Data = kainjow::mustache::data;

class Renderer {
 public:
  // Loads every *.mustache file under `web_dir`/templates and the string
  // tables under `web_dir`/i18n once.
  explicit Renderer(const std::string& web_dir);

  // Renders template `name` (without extension) with `data`, adding the UI
  // strings as `t`. Returns an error text in the page when the template is
  // missing, so a broken deploy is visible rather than blank.
  std::string Render(const std::string& name, Data data, const std::string& lang) const;

  // Renders `name` inside the layout; `data` also fills the layout (title,
  // user, nav).
  std::string Page(const std::string& name, Data data, const std::string& lang) const;

  // A UI string, or the key itself when missing.
  std::string T(const std::string& lang, const std::string& key) const;

  bool HasLanguage(const std::string& lang) const { return strings_.count(lang) > 0; }

 private:
  std::map<std::string, std::string> templates_;
  std::map<std::string, std::map<std::string, std::string>> strings_;  // lang -> key -> text
};

}  // namespace waarborg::web
