// GET /static/...: the site's own CSS and images from web/static, and the NL
// Design System CSS (Utrecht components and design tokens) from node_modules.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/web/web_common.h"

namespace waarborg::web {

namespace fs = std::filesystem;

namespace {

std::string ContentTypeOf(const std::string& ext) {
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".ico") return "image/x-icon";
  return "";
}

// True when `rel` is a plain relative path: no "..", ".", empty segments,
// backslashes or control characters.
bool SafeRelative(const std::string& rel) {
  if (rel.empty() || rel.front() == '/') return false;
  for (unsigned char ch : rel)
    if (ch < 0x20 || ch == '\\' || ch == 0x7f || ch == ':') return false;
  size_t start = 0;
  while (true) {
    size_t slash = rel.find('/', start);
    std::string seg = rel.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

http::HttpResponse NotFound() {
  http::HttpResponse r;
  r.status = 404;
  r.body = "Niet gevonden";
  return r;
}

}  // namespace

void AddStaticRoutes(const Web& w, std::vector<http::Route>& out) {
  std::error_code ec;
  fs::path web_dir = fs::weakly_canonical(fs::path(w.s.web_dir), ec);
  if (ec) web_dir = fs::path(w.s.web_dir);
  const fs::path own = web_dir / "static";
  const fs::path modules = web_dir.parent_path() / "node_modules";

  out.push_back({"GET", "/static/:path(.*)", [own, modules](const http::HttpRequest& req) {
                   auto it = req.route.find("path");
                   std::string rel = it == req.route.end() ? "" : it->second;
                   if (!SafeRelative(rel)) return NotFound();
                   fs::path base, file;
                   bool vendor = false;
                   constexpr std::string_view kUtrecht = "vendor/utrecht/";
                   constexpr std::string_view kFonts = "vendor/fonts/noto-sans/";
                   if (rel.rfind(kUtrecht, 0) == 0) {
                     std::string rest = rel.substr(kUtrecht.size());
                     size_t slash = rest.find('/');
                     if (slash == std::string::npos) return NotFound();
                     std::string pkg = rest.substr(0, slash);
                     if (pkg != "component-library-css" && pkg != "design-tokens") return NotFound();
                     base = modules / "@utrecht" / pkg / "dist";
                     file = base / rest.substr(slash + 1);
                     vendor = true;
                   } else if (rel.rfind(kFonts, 0) == 0) {
                     base = modules / "@fontsource-variable" / "noto-sans";
                     file = base / rel.substr(kFonts.size());
                     vendor = true;
                   } else {
                     base = own;
                     file = own / rel;
                   }
                   const std::string type = ContentTypeOf(file.extension().string());
                   if (type.empty()) return NotFound();
                   std::error_code ec2;
                   fs::path canon = fs::canonical(file, ec2);
                   fs::path canon_base = fs::canonical(base, ec2);
                   if (ec2) return NotFound();
                   // Refuse anything that resolves (e.g. through a link) outside its base.
                   auto [b, c] = std::mismatch(canon_base.begin(), canon_base.end(), canon.begin(), canon.end());
                   if (b != canon_base.end() || !fs::is_regular_file(canon, ec2)) return NotFound();
                   std::ifstream in(canon, std::ios::binary);
                   if (!in) return NotFound();
                   std::ostringstream ss;
                   ss << in.rdbuf();
                   http::HttpResponse r;
                   r.status = 200;
                   r.content_type = type;
                   r.body = ss.str();
                   r.Header("Cache-Control", vendor ? "public, max-age=604800" : "public, max-age=300");
                   return r;
                 }});
}

}  // namespace waarborg::web
