#include "adapters/web/pages.h"

#include <memory>

#include "adapters/web/renderer.h"
#include "adapters/web/web_common.h"

namespace waarborg::web {

std::vector<http::Route> PageRoutes(http::Services& s) {
  Web w{s, std::make_shared<const Renderer>(s.web_dir)};
  std::vector<http::Route> out;
  AddAuthRoutes(w, out);
  // Before the case routes: /meldingen/:id/berichten is not a workflow step.
  AddCaseChannelRoutes(w, out);
  AddTrackRoutes(w, out);
  AddDashboardRoutes(w, out);
  AddLearningRoutes(w, out);
  AddReportRoutes(w, out);
  AddMonitorRoutes(w, out);
  AddCaseRoutes(w, out);
  AddOtherRoutes(w, out);
  AddAdminRoutes(w, out);
  AddReporterRoutes(w, out);
  AddStaticRoutes(w, out);
  // Language switch: kept in a cookie, back to the page it was chosen on.
  out.push_back({"GET", "/taal/:lang(nl|en)", [](const http::HttpRequest& req) {
                   std::string back = req.Query("terug");
                   // Only a local path: never an open redirect.
                   if (back.empty() || back[0] != '/' || back.rfind("//", 0) == 0 || back.find('\\') != std::string::npos)
                     back = "/";
                   http::HttpResponse r = Redirect(back);
                   r.Header("Set-Cookie", "wb_lang=" + req.route.at("lang") +
                                              "; Path=/; Max-Age=31536000; SameSite=Strict; HttpOnly");
                   return r;
                 }});
  return out;
}

}  // namespace waarborg::web
