// Server-rendered Dutch HTML pages (NL Design System look) for Waarborg:
// log-in with second factor, start pages per role, LMM case list, intake
// form, case page with its next steps, deadlines, activities and the audit
// search, the Beheer pages (people, accounts, adopted units) and the person
// page with its chain of command, plus the static files they use.
#pragma once

#include <vector>

#include "adapters/http/http_types.h"
#include "adapters/http/services.h"

namespace waarborg::web {

// All page routes, including GET /static/... . Templates and UI strings are
// loaded once from s.web_dir here.
std::vector<http::Route> PageRoutes(http::Services& s);

}  // namespace waarborg::web
