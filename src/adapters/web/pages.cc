#include "adapters/web/pages.h"

#include <memory>

#include "adapters/web/renderer.h"
#include "adapters/web/web_common.h"

namespace waarborg::web {

std::vector<http::Route> PageRoutes(http::Services& s) {
  Web w{s, std::make_shared<const Renderer>(s.web_dir)};
  std::vector<http::Route> out;
  AddAuthRoutes(w, out);
  AddCaseRoutes(w, out);
  AddOtherRoutes(w, out);
  AddAdminRoutes(w, out);
  AddStaticRoutes(w, out);
  return out;
}

}  // namespace waarborg::web
