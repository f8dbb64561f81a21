#include "adapters/http/api_routes.h"

#include <nlohmann/json.hpp>

#include "adapters/json/case_json.h"
#include "core/common/status.h"

namespace waarborg::http {

using nlohmann::json;
namespace wjson = waarborg::json;

namespace {

}  // namespace

HttpResponse JsonResponse(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json; charset=utf-8";
  r.body = body.dump();
  return r;
}

namespace {
HttpResponse Json(int status, const json& body) { return JsonResponse(status, body); }

std::string DateOrEmpty(const std::optional<Date>& d) { return d ? FormatDateIso(*d) : ""; }

json DeadlineJson(const workflow::Deadline& d, Date today) {
  return json{{"kind", d.kind}, {"label", d.label}, {"due", FormatDateIso(d.due)},
              {"met_on", d.met_on ? json(FormatDateIso(*d.met_on)) : json(nullptr)},
              {"overdue", d.OverdueOn(today)}};
}

// Parses the body as a JSON object; 400 for malformed JSON.
absl::StatusOr<json> ParseBody(const HttpRequest& req) {
  if (req.body.empty()) return json::object();
  json j = json::parse(req.body, nullptr, false);
  if (j.is_discarded()) return absl::InvalidArgumentError("malformed");
  if (!j.is_object()) return absl::InvalidArgumentError("not an object");
  return j;
}

// Optional typed getters; wrong types are 422 with the field's name.
absl::Status GetInt(const json& j, const char* key, std::optional<std::int64_t>& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_number_integer()) return Invalid(Cat("Veld '", key, "' moet een geheel getal zijn."));
  out = it->get<std::int64_t>();
  return absl::OkStatus();
}
absl::Status GetStr(const json& j, const char* key, std::string& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_string()) return Invalid(Cat("Veld '", key, "' moet tekst zijn."));
  out = it->get<std::string>();
  return absl::OkStatus();
}
absl::Status GetOptDate(const json& j, const char* key, std::optional<Date>& out) {
  std::string s;
  RETURN_IF_ERROR(GetStr(j, key, s));
  if (s.empty()) return absl::OkStatus();
  out = ParseDate(s);
  if (!out) return Invalid(Cat("Veld '", key, "' is geen geldige datum (jjjj-mm-dd of dd-mm-jjjj)."));
  return absl::OkStatus();
}
absl::StatusOr<std::int64_t> RequireVersion(const json& j) {
  std::optional<std::int64_t> v;
  RETURN_IF_ERROR(GetInt(j, "version", v));
  if (!v) return Invalid("Veld 'version' ontbreekt: stuur de versie van de melding mee die u heeft gezien.");
  return *v;
}

}  // namespace

json MessagesJson(const std::vector<app::MessageView>& messages) {
  json arr = json::array();
  for (const auto& m : messages)
    arr.push_back({{"id", m.message.id}, {"at", FormatInstantIso(m.message.at)}, {"author", m.author},
                   {"from_reporter", m.from_reporter}, {"visibility", m.message.visibility},
                   {"visibility_label", m.visibility_label}, {"text", m.message.body}, {"unread", m.unread}});
  return arr;
}

json CaseViewJson(const app::CaseView& v, Date today) {
  const LmmCase& c = v.c;
  json j{{"id", c.id},
         {"reference", c.reference},
         {"version", c.version},
         {"state", LmmStateName(c.state)},
         {"state_label", LmmStateLabelNl(c.state)},
         {"summary", c.summary},
         {"unit", {{"id", c.unit_id}, {"name", v.unit_name}}},
         {"channel", c.channel},
         {"reporter_category", c.reporter_category},
         {"reporter", v.reporter_display},
         {"identity_visible", v.identity_visible},
         {"received_on", FormatDateIso(c.received_on)},
         {"registered_at", FormatInstantIso(c.received_at)},
         {"acknowledged_on", DateOrEmpty(c.acknowledged_on)},
         {"feedback_given_on", DateOrEmpty(c.feedback_given_on)}};
  if (v.is_reporter_view) j["status_for_reporter"] = v.status_for_reporter;
  j["description"] = c.description;
  if (v.identity && v.identity_visible) {
    j["reporter_identity"] = {{"name", v.identity->name}, {"contact", v.identity->contact},
                              {"person_id", v.identity->person_id ? json(*v.identity->person_id) : json(nullptr)}};
  }
  j["parties"] = json::array();
  for (const auto& p : v.parties) j["parties"].push_back({{"person_id", p.person_id}, {"name", p.name}, {"role", p.role}});
  j["deadlines"] = json::array();
  for (const auto& d : v.deadlines) j["deadlines"].push_back(DeadlineJson(d, today));
  j["timeline"] = json::array();
  for (const auto& t : v.timeline)
    j["timeline"].push_back({{"at", FormatInstantIso(t.at)}, {"kind", t.kind}, {"text", t.text}, {"by", t.actor_name}});
  if (c.weighing && c.weighing->expected_end) j["weighing_expected_end"] = FormatDateIso(*c.weighing->expected_end);
  if (v.weighing_visible) {
    if (c.definition_test) j["definition_test"] = wjson::ToJson(*c.definition_test);
    if (c.weighing) j["weighing"] = wjson::ToJson(*c.weighing);
    j["reviews"] = json::array();
    for (const auto& r : c.reviews) j["reviews"].push_back(wjson::ToJson(r));
    j["reviewers"] = c.reviewer_ids;
  }
  if (v.outcome_visible) {
    if (c.advice) j["advice"] = wjson::ToJson(*c.advice);
    if (c.decision) j["decision"] = wjson::ToJson(*c.decision);
  }
  j["next_steps"] = json::array();
  for (auto a : v.next_steps) j["next_steps"].push_back(access::CaseActionName(a));
  if (!v.access_log.empty()) {
    j["access_log"] = json::array();
    for (const auto& e : v.access_log)
      j["access_log"].push_back({{"at", FormatInstantIso(e.at)}, {"actor", e.actor}, {"action", e.action}});
  }
  return j;
}

namespace {

json ListJson(const std::vector<app::CaseListItem>& items) {
  json arr = json::array();
  for (const auto& i : items) {
    arr.push_back({{"id", i.summary.id},
                   {"reference", i.summary.reference},
                   {"state", LmmStateName(i.summary.state)},
                   {"state_label", LmmStateLabelNl(i.summary.state)},
                   {"summary", i.summary.summary},
                   {"unit", i.unit_name},
                   {"nearest_deadline", i.nearest ? json{{"kind", i.nearest->kind}, {"label", i.nearest->label},
                                                         {"due", FormatDateIso(i.nearest->due)}}
                                                  : json(nullptr)},
                   {"overdue", i.overdue}});
  }
  return json{{"cases", arr}};
}

// Wraps a handler: session (401), CSRF for non-GET (403), JSON parse (400),
// and maps any Status to its HTTP code with a Dutch message.
using AuthedHandler = std::function<absl::StatusOr<HttpResponse>(const HttpRequest&, const app::AuthContext&,
                                                                 const json& body)>;

Handler Authed(Services& s, AuthedHandler h, std::initializer_list<std::string_view> allowed_fields = {}) {
  std::vector<std::string> allowed(allowed_fields.begin(), allowed_fields.end());
  return [&s, h, allowed](const HttpRequest& req) -> HttpResponse {
    auto ctx = RequireSession(s, req);
    if (!ctx.ok()) return JsonError(ctx.status());
    json body = json::object();
    if (req.method != "GET" && req.method != "HEAD") {
      if (auto st = CheckCsrf(*ctx, req); !st.ok()) return JsonError(st);
      auto parsed = ParseBody(req);
      if (!parsed.ok()) {
        HttpResponse r = Json(400, {{"error", {{"status", 400}, {"message", "De aanvraag is geen geldig JSON-object."}}}});
        return r;
      }
      body = *parsed;
      for (auto it = body.begin(); it != body.end(); ++it) {
        if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end())
          return JsonError(Invalid(Cat("Onbekend veld '", it.key(), "'.")));
      }
    }
    try {
      auto r = h(req, *ctx, body);
      if (!r.ok()) return JsonError(r.status());
      return *r;
    } catch (const json::exception&) {
      return JsonError(Invalid("Een veld heeft een verkeerd type."));
    }
  };
}

absl::StatusOr<Id> RouteId(const HttpRequest& req) {
  auto it = req.route.find("id");
  if (it == req.route.end()) return NotFound("Niet gevonden.");
  try {
    return std::stoll(it->second);
  } catch (...) {
    return NotFound("Niet gevonden.");
  }
}

HttpResponse Ok() { return Json(200, {{"ok", true}}); }

}  // namespace

HttpResponse JsonError(const absl::Status& st) {
  int code = HttpStatusOf(st);
  std::string msg(FromAbsl(st.message()));
  if (code == 500) msg = "Er ging iets mis aan onze kant. Probeer het later opnieuw.";
  return Json(code, {{"error", {{"status", code}, {"message", msg}}}});
}

std::vector<Route> ApiRoutes(Services& s) {
  std::vector<Route> r;
  r.push_back({"GET", "/healthz", [](const HttpRequest&) { return Json(200, {{"status", "ok"}}); }});
  r.push_back({"GET", "/readyz", [&s](const HttpRequest&) {
                 return s.store.Ready() ? Json(200, {{"status", "ready"}}) : Json(503, {{"status", "not ready"}});
               }});

  // --- session ---
  r.push_back({"POST", "/api/v1/session", [&s](const HttpRequest& req) -> HttpResponse {
                 auto body = ParseBody(req);
                 if (!body.ok())
                   return Json(400, {{"error", {{"status", 400}, {"message", "De aanvraag is geen geldig JSON-object."}}}});
                 if (auto st = wjson::RejectUnknownFields(*body, {"username", "password"}); !st.ok()) return JsonError(st);
                 std::string user, pass;
                 if (auto st = GetStr(*body, "username", user); !st.ok()) return JsonError(st);
                 if (auto st = GetStr(*body, "password", pass); !st.ok()) return JsonError(st);
                 auto res = s.auth.Login(user, pass, req.remote_address);
                 if (!res.ok()) return JsonError(res.status());
                 HttpResponse out = Json(200, {{"session_id", res->session_id},
                                               {"csrf_token", res->csrf_token},
                                               {"second_factor_required", res->second_factor_required},
                                               {"second_factor_enrolment", res->second_factor_enrolment}});
                 out.Header("Set-Cookie", SessionCookie(res->token, req.tls));
                 return out;
               }});
  r.push_back({"POST", "/api/v1/session/totp", [&s](const HttpRequest& req) -> HttpResponse {
                 auto pending = s.auth.AuthenticatePending(req.Cookie(kSessionCookie));
                 if (!pending.ok()) return JsonError(pending.status());
                 if (auto st = CheckCsrf(*pending, req); !st.ok()) return JsonError(st);
                 auto body = ParseBody(req);
                 if (!body.ok())
                   return Json(400, {{"error", {{"status", 400}, {"message", "De aanvraag is geen geldig JSON-object."}}}});
                 if (auto st = wjson::RejectUnknownFields(*body, {"code"}); !st.ok()) return JsonError(st);
                 std::string code;
                 if (auto st = GetStr(*body, "code", code); !st.ok()) return JsonError(st);
                 auto token = s.auth.VerifySecondFactor(req.Cookie(kSessionCookie), code, req.remote_address);
                 if (!token.ok()) return JsonError(token.status());
                 HttpResponse out = Ok();
                 out.Header("Set-Cookie", SessionCookie(*token, req.tls));  // rotated after the step up
                 return out;
               }});
  r.push_back({"DELETE", "/api/v1/session", Authed(s, [&s](const HttpRequest& req, const app::AuthContext&, const json&)
                                                        -> absl::StatusOr<HttpResponse> {
                 RETURN_IF_ERROR(s.auth.Logout(req.Cookie(kSessionCookie)));
                 HttpResponse out = Ok();
                 out.Header("Set-Cookie", SessionCookie("", req.tls));
                 return out;
               })});
  r.push_back({"GET", "/api/v1/me", Authed(s, [](const HttpRequest&, const app::AuthContext& ctx, const json&)
                                                   -> absl::StatusOr<HttpResponse> {
                 json roles = json::array();
                 for (Role role : ctx.actor.roles) roles.push_back(RoleName(role));
                 return Json(200, {{"username", ctx.username}, {"name", ctx.display_name}, {"person_id", ctx.actor.person_id},
                                   {"roles", roles}, {"csrf_token", ctx.session.csrf_token}});
               })});

  // --- organisation look-ups for forms ---
  r.push_back({"GET", "/api/v1/units", Authed(s, [&s](const HttpRequest&, const app::AuthContext&, const json&)
                                                      -> absl::StatusOr<HttpResponse> {
                 json arr = json::array();
                 RETURN_IF_ERROR(s.store.Transact([&](StoreTx& tx) {
                   for (const auto& u : tx.ListUnits())
                     arr.push_back({{"id", u.id}, {"name", u.name}, {"kind", UnitKindName(u.kind)},
                                    {"parent_id", u.parent_id ? json(*u.parent_id) : json(nullptr)}});
                   return absl::OkStatus();
                 }));
                 return Json(200, {{"units", arr}});
               })});
  r.push_back({"GET", "/api/v1/people", Authed(s, [&s](const HttpRequest& req, const app::AuthContext&, const json&)
                                                       -> absl::StatusOr<HttpResponse> {
                 std::string q = req.Query("q");
                 if (q.size() < 2) return Invalid("Geef minstens twee letters van de naam.");
                 json arr = json::array();
                 RETURN_IF_ERROR(s.store.Transact([&](StoreTx& tx) {
                   for (const auto& p : tx.FindPeople(q, 20))
                     arr.push_back({{"id", p.id}, {"name", p.name}, {"position", p.position}, {"team_id", p.team_id}});
                   return absl::OkStatus();
                 }));
                 return Json(200, {{"people", arr}});
               })});

  r.push_back({"GET", "/api/v1/people/:id(\\d+)",
               Authed(s, [&s](const HttpRequest& req, const app::AuthContext& ctx, const json&) -> absl::StatusOr<HttpResponse> {
                 ASSIGN_OR_RETURN(Id id, RouteId(req));
                 ASSIGN_OR_RETURN(auto d, s.org.GetPerson(ctx.actor, id));
                 auto person = [](const Person& p) {
                   return json{{"id", p.id}, {"name", p.name}, {"position", p.position}, {"rank", p.rank},
                               {"team_id", p.team_id}};
                 };
                 json chain = json::array();
                 for (const auto& m : d.chain_of_command) chain.push_back(person(m));
                 return Json(200, {{"person", person(d.person)}, {"chain_of_command", chain},
                                   {"adopted_units", d.adopted_units}});
               })});

  // --- organisation management (admin; adopting units also the coordinator) ---
  r.push_back({"POST", "/api/v1/admin/people",
               Authed(s, [&s](const HttpRequest&, const app::AuthContext& ctx, const json& b) -> absl::StatusOr<HttpResponse> {
                 Person p;
                 RETURN_IF_ERROR(GetStr(b, "name", p.name));
                 RETURN_IF_ERROR(GetStr(b, "position", p.position));
                 RETURN_IF_ERROR(GetStr(b, "rank", p.rank));
                 std::optional<std::int64_t> team, manager;
                 RETURN_IF_ERROR(GetInt(b, "team_id", team));
                 RETURN_IF_ERROR(GetInt(b, "manager_id", manager));
                 p.team_id = team.value_or(0);
                 p.manager_id = manager;
                 ASSIGN_OR_RETURN(Id id, s.org.CreatePerson(ctx.actor, p));
                 return Json(201, {{"id", id}});
               }, {"name", "position", "rank", "team_id", "manager_id"})});
  r.push_back({"POST", "/api/v1/admin/accounts",
               Authed(s, [&s](const HttpRequest&, const app::AuthContext& ctx, const json& b) -> absl::StatusOr<HttpResponse> {
                 app::NewAccount a;
                 std::optional<std::int64_t> person;
                 RETURN_IF_ERROR(GetInt(b, "person_id", person));
                 a.person_id = person.value_or(0);
                 RETURN_IF_ERROR(GetStr(b, "username", a.username));
                 RETURN_IF_ERROR(GetStr(b, "password", a.password));
                 if (b.contains("roles")) {
                   if (!b["roles"].is_array()) return Invalid("Veld 'roles' moet een lijst zijn.");
                   for (const auto& v : b["roles"]) {
                     auto role = v.is_string() ? ParseRole(v.get<std::string>()) : std::nullopt;
                     if (!role) return Invalid("Onbekende rol in 'roles'.");
                     a.roles.insert(*role);
                   }
                 }
                 ASSIGN_OR_RETURN(Id id, s.org.CreateAccount(ctx.actor, a));
                 return Json(201, {{"id", id}});
               }, {"person_id", "username", "password", "roles"})});
  r.push_back({"POST", "/api/v1/admin/adopted-units",
               Authed(s, [&s](const HttpRequest&, const app::AuthContext& ctx, const json& b) -> absl::StatusOr<HttpResponse> {
                 std::optional<std::int64_t> advisor, unit;
                 RETURN_IF_ERROR(GetInt(b, "advisor_person_id", advisor));
                 RETURN_IF_ERROR(GetInt(b, "unit_id", unit));
                 RETURN_IF_ERROR(s.org.AdoptUnit(ctx.actor, advisor.value_or(0), unit.value_or(0)));
                 return Json(201, {{"ok", true}});
               }, {"advisor_person_id", "unit_id"})});

  // --- cases ---
  r.push_back({"GET", "/api/v1/cases", Authed(s, [&s](const HttpRequest& req, const app::AuthContext& ctx, const json&)
                                                      -> absl::StatusOr<HttpResponse> {
                 CaseListQuery q;
                 if (auto st = req.Query("state"); !st.empty()) {
                   q.state = ParseLmmState(st);
                   if (!q.state) return Invalid("Onbekende status.");
                 }
                 q.open_only = req.Query("open") == "1";
                 try {
                   if (auto l = req.Query("limit"); !l.empty()) q.limit = std::stoi(l);
                   if (auto o = req.Query("offset"); !o.empty()) q.offset = std::stoi(o);
                 } catch (...) {
                   return Invalid("limit en offset moeten getallen zijn.");
                 }
                 ASSIGN_OR_RETURN(auto items, s.lmm.List(ctx.actor, q));
                 return Json(200, ListJson(items));
               })});
  r.push_back({"GET", "/api/v1/cases/overdue", Authed(s, [&s](const HttpRequest&, const app::AuthContext& ctx, const json&)
                                                              -> absl::StatusOr<HttpResponse> {
                 ASSIGN_OR_RETURN(auto items, s.lmm.Overdue(ctx.actor));
                 return Json(200, ListJson(items));
               })});
  r.push_back({"POST", "/api/v1/cases",
               Authed(s, [&s](const HttpRequest&, const app::AuthContext& ctx, const json& b) -> absl::StatusOr<HttpResponse> {
                 app::NewReport n;
                 RETURN_IF_ERROR(GetStr(b, "channel", n.channel));
                 RETURN_IF_ERROR(GetStr(b, "reporter_category", n.reporter_category));
                 RETURN_IF_ERROR(GetStr(b, "summary", n.summary));
                 RETURN_IF_ERROR(GetStr(b, "description", n.description));
                 std::optional<std::int64_t> unit, reporter_person;
                 RETURN_IF_ERROR(GetInt(b, "unit_id", unit));
                 n.unit_id = unit.value_or(0);
                 RETURN_IF_ERROR(GetInt(b, "reporter_person_id", reporter_person));
                 n.reporter_person_id = reporter_person;
                 RETURN_IF_ERROR(GetStr(b, "reporter_name", n.reporter_name));
                 RETURN_IF_ERROR(GetStr(b, "reporter_contact", n.reporter_contact));
                 RETURN_IF_ERROR(GetOptDate(b, "received_on", n.received_on));
                 if (b.contains("subject_person_ids")) {
                   if (!b["subject_person_ids"].is_array()) return Invalid("Veld 'subject_person_ids' moet een lijst zijn.");
                   for (const auto& v : b["subject_person_ids"]) {
                     if (!v.is_number_integer()) return Invalid("Veld 'subject_person_ids' bevat geen geldige id.");
                     n.subject_person_ids.push_back(v.get<Id>());
                   }
                 }
                 // The receipt goes to the reporter (by phone or on paper); it
                 // is shown once here and must be replaced on first use.
                 ASSIGN_OR_RETURN(app::IntakeResult res, n.channel == "online" ? s.channel.Submit(n)
                                                                              : s.channel.RegisterOnBehalf(ctx.actor, n));
                 return Json(201, {{"id", res.case_id}, {"reference", res.reference}, {"receipt", res.receipt}});
               }, {"channel", "reporter_category", "summary", "description", "unit_id", "reporter_person_id",
                   "reporter_name", "reporter_contact", "received_on", "subject_person_ids"})});
  r.push_back({"GET", "/api/v1/cases/:id(\\d+)", Authed(s, [&s](const HttpRequest& req, const app::AuthContext& ctx, const json&)
                                                               -> absl::StatusOr<HttpResponse> {
                 ASSIGN_OR_RETURN(Id id, RouteId(req));
                 ASSIGN_OR_RETURN(auto view, s.lmm.Open(ctx.actor, id, req.Query("access_log") == "1"));
                 return Json(200, CaseViewJson(view, s.lmm.Today()));
               })});
  r.push_back({"GET", "/api/v1/cases/:id(\\d+)/advisors",
               Authed(s, [&s](const HttpRequest& req, const app::AuthContext& ctx, const json&) -> absl::StatusOr<HttpResponse> {
                 ASSIGN_OR_RETURN(Id id, RouteId(req));
                 ASSIGN_OR_RETURN(auto list, s.lmm.SuggestAdvisors(ctx.actor, id));
                 json arr = json::array();
                 for (const auto& a : list)
                   arr.push_back({{"person_id", a.person.id}, {"name", a.person.name}, {"adopted_unit", a.adopted_unit},
                                  {"eligible", a.eligible}, {"reason", a.reason}});
                 return Json(200, {{"advisors", arr}});
               })});

  // Case steps: each takes `version` and returns {"ok":true}.
  auto step = [&](const char* path, std::initializer_list<std::string_view> fields,
                  std::function<absl::Status(Id, std::int64_t, const app::AuthContext&, const json&)> fn) {
    r.push_back({"POST", Cat("/api/v1/cases/:id(\\d+)/", path),
                 Authed(s, [fn](const HttpRequest& req, const app::AuthContext& ctx, const json& b) -> absl::StatusOr<HttpResponse> {
                   ASSIGN_OR_RETURN(Id id, RouteId(req));
                   ASSIGN_OR_RETURN(std::int64_t version, RequireVersion(b));
                   RETURN_IF_ERROR(fn(id, version, ctx, b));
                   return Ok();
                 }, fields)});
  };
  step("staffing", {"version", "reporter_advisor_id", "weighing_advisor_id"},
       [&s](Id id, std::int64_t v, const app::AuthContext& ctx, const json& b) -> absl::Status {
         std::optional<std::int64_t> ra, wa;
         RETURN_IF_ERROR(GetInt(b, "reporter_advisor_id", ra));
         RETURN_IF_ERROR(GetInt(b, "weighing_advisor_id", wa));
         return s.lmm.Staff(ctx.actor, id, v, ra.value_or(0), wa.value_or(0));
       });
  step("definition-test", {"version", "reasonable_grounds", "public_interest", "harms", "exclusions", "light_violation",
                           "systematic_or_sensitive", "referral", "notes"},
       [&s](Id id, std::int64_t v, const app::AuthContext& ctx, const json& b) -> absl::Status {
         json t = b;
         t.erase("version");
         ASSIGN_OR_RETURN(auto test, wjson::DefinitionTestFromJson(t));
         return s.lmm.RecordDefinitionTest(ctx.actor, id, v, test);
       });
  step("weighing", {"version", "findings", "expected_end"},
       [&s](Id id, std::int64_t v, const app::AuthContext& ctx, const json& b) -> absl::Status {
         json t = b;
         t.erase("version");
         ASSIGN_OR_RETURN(auto w, wjson::WeighingFromJson(t));
         return s.lmm.RecordWeighing(ctx.actor, id, v, w);
       });
  step("reviewers", {"version", "person_id"},
       [&s](Id id, std::int64_t v, const app::AuthContext& ctx, const json& b) -> absl::Status {
         std::optional<std::int64_t> p;
         RETURN_IF_ERROR(GetInt(b, "person_id", p));
         if (!p) return Invalid("Kies de VPI die u uitnodigt.");
         return s.lmm.InviteReviewer(ctx.actor, id, v, *p);
       });
  step("reviews", {"version", "agrees", "opinion"},
       [&s](Id id, std::int64_t v, const app::AuthContext& ctx, const json& b) -> absl::Status {
         if (!b.contains("agrees") || !b["agrees"].is_boolean()) return Invalid("Veld 'agrees' moet ja/nee zijn.");
         std::string opinion;
         RETURN_IF_ERROR(GetStr(b, "opinion", opinion));
         return s.lmm.AddReview(ctx.actor, id, v, b["agrees"].get<bool>(), opinion);
       });
  step("advice", {"version", "is_suspected_wrongdoing", "investigate_now", "reasoning"},
       [&s](Id id, std::int64_t v, const app::AuthContext& ctx, const json& b) -> absl::Status {
         json t = b;
         t.erase("version");
         ASSIGN_OR_RETURN(auto a, wjson::AdviceFromJson(t));
         return s.lmm.Advise(ctx.actor, id, v, a);
       });
  step("decision", {"version", "adopts_advice", "deviation_reasons", "investigate", "notes"},
       [&s](Id id, std::int64_t v, const app::AuthContext& ctx, const json& b) -> absl::Status {
         json t = b;
         t.erase("version");
         ASSIGN_OR_RETURN(auto d, wjson::DecisionFromJson(t));
         return s.lmm.Decide(ctx.actor, id, v, d);
       });
  step("acknowledgement", {"version", "on"},
       [&s](Id id, std::int64_t v, const app::AuthContext& ctx, const json& b) -> absl::Status {
         std::optional<Date> on;
         RETURN_IF_ERROR(GetOptDate(b, "on", on));
         return s.lmm.Acknowledge(ctx.actor, id, v, on);
       });
  step("feedback", {"version", "on", "text"},
       [&s](Id id, std::int64_t v, const app::AuthContext& ctx, const json& b) -> absl::Status {
         std::optional<Date> on;
         std::string text;
         RETURN_IF_ERROR(GetOptDate(b, "on", on));
         RETURN_IF_ERROR(GetStr(b, "text", text));
         return s.lmm.RecordFeedback(ctx.actor, id, v, on, text);
       });
  step("close", {"version", "reason"},
       [&s](Id id, std::int64_t v, const app::AuthContext& ctx, const json& b) -> absl::Status {
         std::string reason;
         RETURN_IF_ERROR(GetStr(b, "reason", reason));
         return s.lmm.Close(ctx.actor, id, v, reason);
       });
  r.push_back({"POST", "/api/v1/cases/:id(\\d+)/protection",
               Authed(s, [&s](const HttpRequest& req, const app::AuthContext& ctx, const json& b) -> absl::StatusOr<HttpResponse> {
                 ASSIGN_OR_RETURN(Id id, RouteId(req));
                 std::string kind, text;
                 std::optional<Date> on;
                 RETURN_IF_ERROR(GetStr(b, "kind", kind));
                 RETURN_IF_ERROR(GetStr(b, "text", text));
                 RETURN_IF_ERROR(GetOptDate(b, "on", on));
                 RETURN_IF_ERROR(s.lmm.RecordProtection(ctx.actor, id, kind, on, text));
                 return Json(201, {{"ok", true}});
               }, {"kind", "text", "on"})});

  // --- deadlines, activities, audit ---
  r.push_back({"GET", "/api/v1/deadlines", Authed(s, [&s](const HttpRequest&, const app::AuthContext& ctx, const json&)
                                                          -> absl::StatusOr<HttpResponse> {
                 CaseListQuery q;
                 q.open_only = true;
                 q.limit = 200;
                 ASSIGN_OR_RETURN(auto items, s.lmm.List(ctx.actor, q));
                 return Json(200, ListJson(items));
               })});
  r.push_back({"GET", "/api/v1/activities", Authed(s, [&s](const HttpRequest&, const app::AuthContext& ctx, const json&)
                                                           -> absl::StatusOr<HttpResponse> {
                 ASSIGN_OR_RETURN(auto list, s.lmm.ListActivities(ctx.actor));
                 json arr = json::array();
                 for (const auto& a : list)
                   arr.push_back({{"id", a.id}, {"advisor_person", a.advisor_person}, {"kind", a.kind},
                                  {"on", FormatDateIso(a.on)}, {"unit_id", a.unit_id ? json(*a.unit_id) : json(nullptr)},
                                  {"notes", a.notes}});
                 return Json(200, {{"activities", arr}});
               })});
  r.push_back({"POST", "/api/v1/activities",
               Authed(s, [&s](const HttpRequest&, const app::AuthContext& ctx, const json& b) -> absl::StatusOr<HttpResponse> {
                 Activity a;
                 RETURN_IF_ERROR(GetStr(b, "kind", a.kind));
                 RETURN_IF_ERROR(GetStr(b, "notes", a.notes));
                 std::optional<Date> on;
                 RETURN_IF_ERROR(GetOptDate(b, "on", on));
                 if (!on) return Invalid("Geef de datum van de activiteit.");
                 a.on = *on;
                 std::optional<std::int64_t> unit;
                 RETURN_IF_ERROR(GetInt(b, "unit_id", unit));
                 a.unit_id = unit;
                 ASSIGN_OR_RETURN(Id id, s.lmm.RecordActivity(ctx.actor, a));
                 return Json(201, {{"id", id}});
               }, {"kind", "notes", "on", "unit_id"})});
  r.push_back({"GET", "/api/v1/audit", Authed(s, [&s](const HttpRequest& req, const app::AuthContext& ctx, const json&)
                                                      -> absl::StatusOr<HttpResponse> {
                 AuditQuery q;
                 try {
                   if (auto c = req.Query("case_id"); !c.empty()) q.case_id = std::stoll(c);
                   if (auto l = req.Query("limit"); !l.empty()) q.limit = std::clamp(std::stoi(l), 1, 1000);
                 } catch (...) {
                   return Invalid("case_id en limit moeten getallen zijn.");
                 }
                 if (auto a = req.Query("actor"); !a.empty()) q.actor = a;
                 if (auto a = req.Query("action"); !a.empty()) q.action = a;
                 ASSIGN_OR_RETURN(auto events, s.audit.Search(ctx.actor, q));
                 json arr = json::array();
                 for (const auto& e : events)
                   arr.push_back({{"seq", e.seq}, {"at", FormatInstantIso(e.at)}, {"actor", e.actor}, {"session", e.session},
                                  {"action", e.action}, {"case_id", e.case_id}, {"detail", e.detail}, {"hash", e.hash}});
                 return Json(200, {{"events", arr}});
               })});
  // --- messages and the identity vault (staff side) ---
  r.push_back({"GET", "/api/v1/cases/:id(\\d+)/messages",
               Authed(s, [&s](const HttpRequest& req, const app::AuthContext& ctx, const json&) -> absl::StatusOr<HttpResponse> {
                 ASSIGN_OR_RETURN(Id id, RouteId(req));
                 ASSIGN_OR_RETURN(auto msgs, s.channel.Messages(ctx.actor, id));
                 return Json(200, {{"messages", MessagesJson(msgs)}});
               })});
  r.push_back({"POST", "/api/v1/cases/:id(\\d+)/messages",
               Authed(s, [&s](const HttpRequest& req, const app::AuthContext& ctx, const json& b) -> absl::StatusOr<HttpResponse> {
                 ASSIGN_OR_RETURN(Id id, RouteId(req));
                 std::string visibility, text;
                 RETURN_IF_ERROR(GetStr(b, "visibility", visibility));
                 RETURN_IF_ERROR(GetStr(b, "text", text));
                 ASSIGN_OR_RETURN(Id mid, s.channel.PostMessage(ctx.actor, id, visibility, text));
                 return Json(201, {{"id", mid}});
               }, {"visibility", "text"})});
  r.push_back({"GET", "/api/v1/notifications",
               Authed(s, [&s](const HttpRequest&, const app::AuthContext& ctx, const json&) -> absl::StatusOr<HttpResponse> {
                 ASSIGN_OR_RETURN(auto list, s.channel.Notifications(ctx.actor));
                 json arr = json::array();
                 for (const auto& u : list)
                   arr.push_back({{"case_id", u.case_id}, {"reference", u.reference}, {"unread_reporter_messages", u.count}});
                 return Json(200, {{"notifications", arr}});
               })});
  r.push_back({"GET", "/api/v1/cases/:id(\\d+)/identity",
               Authed(s, [&s](const HttpRequest& req, const app::AuthContext& ctx, const json&) -> absl::StatusOr<HttpResponse> {
                 ASSIGN_OR_RETURN(Id id, RouteId(req));
                 ASSIGN_OR_RETURN(auto holders, s.vault.Holders(ctx.actor, id));
                 ASSIGN_OR_RETURN(auto requests, s.vault.Requests(ctx.actor, id));
                 json h = json::array(), q = json::array();
                 for (const auto& x : holders)
                   h.push_back({{"person_id", x.person_id}, {"name", x.name}, {"role", x.role},
                                {"since", FormatInstantIso(x.since)}, {"basis", x.basis}});
                 for (const auto& x : requests)
                   q.push_back({{"id", x.request.id}, {"recipient", x.recipient_name}, {"requested_by", x.requested_by_name},
                                {"reason", x.request.reason}, {"legal_duty", x.request.legal_duty},
                                {"legal_reasons", x.request.legal_reasons}, {"state", x.request.state},
                                {"state_label", x.state_label}, {"consent", x.request.consent}});
                 return Json(200, {{"holders", h}, {"requests", q}});
               })});
  r.push_back({"POST", "/api/v1/cases/:id(\\d+)/identity-requests",
               Authed(s, [&s](const HttpRequest& req, const app::AuthContext& ctx, const json& b) -> absl::StatusOr<HttpResponse> {
                 ASSIGN_OR_RETURN(Id id, RouteId(req));
                 std::optional<std::int64_t> recipient;
                 std::string reason, legal_reasons;
                 RETURN_IF_ERROR(GetInt(b, "recipient_person_id", recipient));
                 RETURN_IF_ERROR(GetStr(b, "reason", reason));
                 RETURN_IF_ERROR(GetStr(b, "legal_reasons", legal_reasons));
                 const bool legal = b.value("legal_duty", false);
                 ASSIGN_OR_RETURN(Id rid, s.vault.RequestDisclosure(ctx.actor, id, recipient.value_or(0), reason, legal,
                                                                     legal_reasons));
                 return Json(201, {{"id", rid}});
               }, {"recipient_person_id", "reason", "legal_duty", "legal_reasons"})});
  r.push_back({"POST", "/api/v1/identity-requests/:id(\\d+)/decision",
               Authed(s, [&s](const HttpRequest& req, const app::AuthContext& ctx, const json& b) -> absl::StatusOr<HttpResponse> {
                 ASSIGN_OR_RETURN(Id id, RouteId(req));
                 RETURN_IF_ERROR(s.vault.Decide(ctx.actor, id, b.value("approve", false)));
                 return Ok();
               }, {"approve"})});
  r.push_back({"POST", "/api/v1/identity-requests/:id(\\d+)/written-consent",
               Authed(s, [&s](const HttpRequest& req, const app::AuthContext& ctx, const json& b) -> absl::StatusOr<HttpResponse> {
                 ASSIGN_OR_RETURN(Id id, RouteId(req));
                 std::optional<std::int64_t> att;
                 RETURN_IF_ERROR(GetInt(b, "attachment_id", att));
                 RETURN_IF_ERROR(s.vault.RecordWrittenConsent(ctx.actor, id, att.value_or(0)));
                 return Ok();
               }, {"attachment_id"})});
  r.push_back({"POST", "/api/v1/cases/:id(\\d+)/identity-holders/:person(\\d+)/revoke",
               Authed(s, [&s](const HttpRequest& req, const app::AuthContext& ctx, const json&) -> absl::StatusOr<HttpResponse> {
                 ASSIGN_OR_RETURN(Id id, RouteId(req));
                 Id person = std::stoll(req.route.at("person"));
                 RETURN_IF_ERROR(s.vault.Revoke(ctx.actor, id, person));
                 return Ok();
               })});
  return r;
}

}  // namespace waarborg::http
