// Beheer (admin) pages: add people and accounts, let VPIs adopt units, and
// the person page with the chain of command (for VPIs judging conflicts).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <initializer_list>
#include <map>

#include "adapters/web/web_common.h"
#include "core/common/strings.h"

namespace waarborg::web {

namespace {

using http::HttpRequest;
using http::HttpResponse;

std::string Msg(const absl::Status& st) { return std::string(FromAbsl(st.message())); }

std::optional<Id> ParseId(std::string s) {
  s.erase(0, s.find_first_not_of(" \t"));
  s.erase(s.find_last_not_of(" \t") + 1);
  Id v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

bool Blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// The form field a service's validation message is about, by the words it
// uses; the fallback is the form's first field. Only for linking from the
// error summary, the message itself is shown as is.
std::string FieldOf(const absl::Status& st, std::initializer_list<std::pair<const char*, const char*>> words,
                    const char* fallback) {
  std::string m = Msg(st);
  std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return std::tolower(c); });
  for (auto& [word, field] : words)
    if (m.find(word) != std::string::npos) return field;
  return fallback;
}

bool MayManage(const Actor& a) { return a.Has(Role::kAdmin) || a.Has(Role::kCoordinator); }

// Which form a POST came from: its errors and values are shown there.
enum class AdminForm { kNone, kPerson, kAccount, kAdopt };

HttpResponse AdminPage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, int status, AdminForm form,
                       const Form& values, const FieldErrors& errors) {
  const Actor& a = ctx.actor;
  const std::string lang = Lang(req);
  const bool admin = a.Has(Role::kAdmin);
  Data d;
  d.set("csrf", ctx.session.csrf_token);
  d.set("admin", admin);
  auto value = [&](AdminForm f, const std::string& key) { return form == f ? FormValue(values, key) : std::string(); };

  // Confirmation after a 303 (?gelukt=...).
  const std::string done = req.Query("gelukt");
  const std::string done_id = req.Query("id");
  if (errors.empty()) {
    if (done == "persoon" && ParseId(done_id)) {
      d.set("done_person", done_id);
    } else if (done == "account") {
      d.set("done_account", true);
    } else if (done == "adoptie") {
      d.set("done_adopt", true);
    }
  }

  // Units: teams for new people, eenheden for adoption; names for the list.
  std::map<Id, std::string> unit_names;
  Data teams(Data::type::list), adopt_units(Data::type::list), advisors(Data::type::list),
      advisor_rows(Data::type::list), found(Data::type::list);
  const std::string team = value(AdminForm::kPerson, "persoon-team");
  const std::string adopt_vpi = value(AdminForm::kAdopt, "adoptie-vpi");
  const std::string adopt_unit = value(AdminForm::kAdopt, "adoptie-eenheid");
  const std::string zoek = admin ? req.Query("zoek") : std::string();
  const std::string chosen_manager = value(AdminForm::kPerson, "persoon-leidinggevende-keuze");
  bool searched = false;
  (void)w.s.store.Transact([&](StoreTx& tx) -> absl::Status {
    for (auto& u : tx.ListUnits()) {
      unit_names[u.id] = u.name;
      Data o;
      o.set("id", std::to_string(u.id));
      o.set("label", u.name);
      if (u.kind == UnitKind::kTeam) {
        o.set("selected", std::to_string(u.id) == team);
        teams.push_back(o);
      } else if (u.kind == UnitKind::kUnit) {
        o.set("selected", std::to_string(u.id) == adopt_unit);
        adopt_units.push_back(o);
      }
    }
    for (auto& p : tx.ListAdvisors()) {
      Data o;
      o.set("id", std::to_string(p.id));
      o.set("label", p.name);
      o.set("selected", std::to_string(p.id) == adopt_vpi);
      advisors.push_back(o);
      Data row;
      row.set("id", std::to_string(p.id));
      row.set("name", p.name);
      row.set("position", p.position);
      std::vector<Id> adopted = tx.AdoptedUnits(p.id);
      std::string names;
      for (Id u : adopted) {
        if (!names.empty()) names += ", ";
        auto it = unit_names.find(u);
        names += it != unit_names.end() ? it->second : Cat("eenheid ", u);
      }
      SetIf(row, "units", names);
      advisor_rows.push_back(row);
    }
    if (zoek.size() >= 2) {
      searched = true;
      for (auto& p : tx.FindPeople(zoek, 20)) {
        Data o;
        o.set("id", std::to_string(p.id));
        std::string label = p.position.empty() ? p.name : Cat(p.name, " (", p.position, ")");
        o.set("label", Cat(label, ", personeelsnummer ", p.id));
        o.set("checked", std::to_string(p.id) == chosen_manager);
        found.push_back(o);
      }
    }
    return absl::OkStatus();
  });
  d.set("teams", teams);
  d.set("adopt_units", adopt_units);
  d.set("advisors", advisors);
  d.set("advisor_rows", advisor_rows);
  d.set("has_advisors", !advisor_rows.is_empty_list());
  d.set("zoek", zoek);
  d.set("searched", searched);
  d.set("found", found);
  d.set("has_found", !found.is_empty_list());
  d.set("no_manager_choice", chosen_manager.empty());

  d.set("v_naam", value(AdminForm::kPerson, "persoon-naam"));
  d.set("v_functie", value(AdminForm::kPerson, "persoon-functie"));
  d.set("v_rang", value(AdminForm::kPerson, "persoon-rang"));
  d.set("v_leidinggevende", value(AdminForm::kPerson, "persoon-leidinggevende"));
  std::string account_person = value(AdminForm::kAccount, "account-persoon");
  if (account_person.empty() && done == "persoon" && ParseId(done_id)) account_person = done_id;
  d.set("v_account_persoon", account_person);
  d.set("v_gebruikersnaam", value(AdminForm::kAccount, "account-gebruikersnaam"));
  std::vector<std::string> chosen_roles =
      form == AdminForm::kAccount ? FormValues(values, "account-rol") : std::vector<std::string>{};
  Data roles(Data::type::list);
  for (Role r : AllRoles()) {
    Data o;
    o.set("key", std::string(RoleName(r)));
    o.set("label", std::string(RoleLabelNl(r)));
    o.set("checked",
          std::find(chosen_roles.begin(), chosen_roles.end(), std::string(RoleName(r))) != chosen_roles.end());
    roles.push_back(o);
  }
  d.set("roles", roles);

  AddErrors(d, errors);
  // Field ids use '-', template keys '_': error_persoon_naam.
  for (auto& [field, msg] : errors) {
    if (field.empty()) continue;
    std::string key = field.rfind("account-rol-", 0) == 0 ? std::string("account-rollen") : field;
    std::replace(key.begin(), key.end(), '-', '_');
    d.set("error_" + key, msg);
  }
  return HtmlPage(w, req, &ctx, status, "admin", w.r->T(lang, "admin_title"), std::move(d));
}

// Re-renders after a service error with its status and Dutch message.
HttpResponse ServiceError(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, AdminForm form,
                          const Form& f, const absl::Status& st, const std::string& field = "") {
  int status = http::HttpStatusOf(st);
  if (status == 401) return Redirect("/inloggen");
  if (status >= 500) return ErrorPage(w, req, &ctx, st);
  return AdminPage(w, req, ctx, status, form, f, {{status == 422 ? field : std::string(), Msg(st)}});
}

HttpResponse PostPerson(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, const Form& f) {
  const std::string lang = Lang(req);
  FieldErrors errs;
  Person p;
  p.name = FormValue(f, "persoon-naam");
  p.position = FormValue(f, "persoon-functie");
  p.rank = FormValue(f, "persoon-rang");
  if (Blank(p.name)) errs.push_back({"persoon-naam", w.r->T(lang, "admin_error_name")});
  if (auto t = ParseId(FormValue(f, "persoon-team")))
    p.team_id = *t;
  else
    errs.push_back({"persoon-team", w.r->T(lang, "admin_error_team")});
  std::string manager = FormValue(f, "persoon-leidinggevende-keuze");
  if (manager.empty()) manager = FormValue(f, "persoon-leidinggevende");
  if (!Blank(manager)) {
    if (auto m = ParseId(manager))
      p.manager_id = *m;
    else
      errs.push_back({"persoon-leidinggevende", w.r->T(lang, "admin_error_person_id")});
  }
  if (!errs.empty()) return AdminPage(w, req, ctx, 422, AdminForm::kPerson, f, errs);
  auto id = w.s.org.CreatePerson(ctx.actor, p);
  if (!id.ok())
    return ServiceError(
        w, req, ctx, AdminForm::kPerson, f, id.status(),
        FieldOf(id.status(), {{"team", "persoon-team"}, {"leidinggevende", "persoon-leidinggevende"}}, "persoon-naam"));
  return Redirect(Cat("/beheer?gelukt=persoon&id=", *id));
}

HttpResponse PostAccount(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, const Form& f) {
  const std::string lang = Lang(req);
  FieldErrors errs;
  app::NewAccount acc;
  if (auto p = ParseId(FormValue(f, "account-persoon")))
    acc.person_id = *p;
  else
    errs.push_back({"account-persoon", w.r->T(lang, "admin_error_person_id")});
  acc.username = FormValue(f, "account-gebruikersnaam");
  if (Blank(acc.username)) errs.push_back({"account-gebruikersnaam", w.r->T(lang, "login_error_username")});
  acc.password = FormValue(f, "account-wachtwoord");
  if (acc.password.empty()) errs.push_back({"account-wachtwoord", w.r->T(lang, "login_error_password")});
  for (auto& name : FormValues(f, "account-rol"))
    if (auto r = ParseRole(name)) acc.roles.insert(*r);
  const std::string first_role_field =
      AllRoles().empty() ? std::string() : Cat("account-rol-", RoleName(AllRoles().front()));
  if (acc.roles.empty()) errs.push_back({first_role_field, w.r->T(lang, "admin_error_roles")});
  if (!errs.empty()) return AdminPage(w, req, ctx, 422, AdminForm::kAccount, f, errs);
  auto id = w.s.org.CreateAccount(ctx.actor, acc);
  if (!id.ok())
    return ServiceError(
        w, req, ctx, AdminForm::kAccount, f, id.status(),
        FieldOf(
            id.status(),
            {{"persoon", "account-persoon"}, {"wachtwoord", "account-wachtwoord"}, {"rol", first_role_field.c_str()}},
            "account-gebruikersnaam"));
  return Redirect("/beheer?gelukt=account");
}

HttpResponse PostAdopt(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, const Form& f) {
  const std::string lang = Lang(req);
  FieldErrors errs;
  auto vpi = ParseId(FormValue(f, "adoptie-vpi"));
  auto unit = ParseId(FormValue(f, "adoptie-eenheid"));
  if (!vpi) errs.push_back({"adoptie-vpi", w.r->T(lang, "admin_error_vpi")});
  if (!unit) errs.push_back({"adoptie-eenheid", w.r->T(lang, "admin_error_unit")});
  if (!errs.empty()) return AdminPage(w, req, ctx, 422, AdminForm::kAdopt, f, errs);
  auto st = w.s.org.AdoptUnit(ctx.actor, *vpi, *unit);
  if (!st.ok())
    return ServiceError(w, req, ctx, AdminForm::kAdopt, f, st,
                        FieldOf(st, {{"vpi", "adoptie-vpi"}}, "adoptie-eenheid"));
  return Redirect("/beheer?gelukt=adoptie");
}

HttpResponse PersonPage(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, Id id) {
  const std::string lang = Lang(req);
  auto detail = w.s.org.GetPerson(ctx.actor, id);
  if (!detail.ok()) return ErrorPage(w, req, &ctx, detail.status());
  const Person& p = detail->person;
  std::map<Id, std::string> unit_names;
  (void)w.s.store.Transact([&](StoreTx& tx) -> absl::Status {
    for (auto& u : tx.ListUnits()) unit_names[u.id] = u.name;
    return absl::OkStatus();
  });
  auto unit_name = [&](Id u) {
    auto it = unit_names.find(u);
    return it != unit_names.end() ? it->second : std::string();
  };
  auto person_data = [&](const Person& x) {
    Data o;
    o.set("id", std::to_string(x.id));
    o.set("name", x.name);
    SetIf(o, "position", x.position);
    SetIf(o, "rank", x.rank);
    SetIf(o, "team", unit_name(x.team_id));
    return o;
  };
  Data d = person_data(p);
  Data chain(Data::type::list);
  for (auto& m : detail->chain_of_command) chain.push_back(person_data(m));
  d.set("chain", chain);
  d.set("has_chain", !detail->chain_of_command.empty());
  if (!detail->chain_of_command.empty()) d.set("manager", detail->chain_of_command.front().name);
  Data adopted(Data::type::list);
  for (Id u : detail->adopted_units) adopted.push_back(Str(unit_name(u)));
  d.set("adopted", adopted);
  d.set("has_adopted", !detail->adopted_units.empty());
  return HtmlPage(w, req, &ctx, 200, "person", Cat(p.name, " - ", w.r->T(lang, "person_title")), std::move(d));
}

// POST /beheer/...: CSRF, then who may do it at all, then the form.
http::Handler AdminPost(const Web& w,
                        HttpResponse (*post)(const Web&, const HttpRequest&, const app::AuthContext&, const Form&)) {
  return Authed(w, [w, post](const HttpRequest& req, const app::AuthContext& ctx) {
    if (!MayManage(ctx.actor))
      return ErrorPage(w, req, &ctx,
                       absl::PermissionDeniedError("Alleen beheerders en de coördinator beheren de organisatie."));
    Form f = http::ParseForm(req.body);
    if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok()) return ErrorPage(w, req, &ctx, st);
    return post(w, req, ctx, f);
  });
}

}  // namespace

void AddAdminRoutes(const Web& w, std::vector<http::Route>& out) {
  out.push_back({"GET", "/beheer", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   if (!MayManage(ctx.actor))
                     return ErrorPage(
                         w, req, &ctx,
                         absl::PermissionDeniedError("Alleen beheerders en de coördinator beheren de organisatie."));
                   return AdminPage(w, req, ctx, 200, AdminForm::kNone, {}, {});
                 })});
  out.push_back({"POST", "/beheer/personen", AdminPost(w, &PostPerson)});
  out.push_back({"POST", "/beheer/accounts", AdminPost(w, &PostAccount)});
  out.push_back({"POST", "/beheer/adopties", AdminPost(w, &PostAdopt)});
  out.push_back({"GET", "/personen/:id(\\d+)", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   Id id = RouteId(req);
                   if (!id) return ErrorPage(w, req, &ctx, absl::NotFoundError("Deze persoon bestaat niet."));
                   return PersonPage(w, req, ctx, id);
                 })});
}

}  // namespace waarborg::web
