// The reporter's channel on the staff case page (DOMAIN §2, §8): messages to
// and from the reporter, internal and personal notes, files to download, and
// the identity vault (who holds the identity, disclosure requests, written
// consent, the second approver, revocation). Every rule is in the services
// (app/reporter_channel, app/identity_vault, core/access); these pages only
// offer what the viewer may do and show the services' refusals in Dutch.
#include <algorithm>
#include <charconv>

#include "adapters/http/api_routes.h"
#include "adapters/web/uploads.h"
#include "adapters/web/web_common.h"
#include "core/access/access.h"
#include "core/common/date.h"
#include "core/common/strings.h"

namespace waarborg::web {

namespace {

using http::HttpRequest;
using http::HttpResponse;

constexpr const char* kVisibilities[] = {"reporter", "team", "personal"};

std::string Msg(const absl::Status& st) { return std::string(FromAbsl(st.message())); }

Id ParseId(const std::string& s) {
  Id v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() && v > 0 ? v : 0;
}

std::string SizeText(std::int64_t bytes) { return Cat((bytes + 1023) / 1024, " KB"); }

Data FileData(const Attachment& a) {
  Data x;
  x.set("name", a.filename);
  x.set("size", SizeText(a.size));
  x.set("href", Cat("/bijlagen/", a.id));
  x.set("visibility", std::string(app::MessageVisibilityLabelNl(a.visibility)));
  return x;
}

void AddMessages(const Web& w, const app::AuthContext& ctx, const LmmCase& c, const std::string& csrf, Data& d) {
  auto msgs = w.s.channel.Messages(ctx.actor, c.id);
  if (!msgs.ok()) return;  // no access to the channel: no section
  auto files = w.s.channel.Attachments(ctx.actor, c.id);
  Data list(Data::type::list);
  Data loose(Data::type::list);  // files not sent with a message (intake)
  for (const auto& m : *msgs) {
    Data x;
    x.set("at", FormatInstantNl(m.message.at));
    x.set("author", m.author);
    x.set("text", m.message.body);
    x.set("visibility", m.visibility_label);
    x.set("visibility_key", m.message.visibility);
    if (m.unread) x.set("unread", true);
    if (m.from_reporter) x.set("from_reporter", true);
    Data mf(Data::type::list);
    bool any = false;
    if (files.ok())
      for (const auto& a : *files)
        if (a.message_id == m.message.id) {
          mf.push_back(FileData(a));
          any = true;
        }
    x.set("files", mf);
    x.set("has_files", any);
    list.push_back(x);
  }
  bool any_loose = false;
  if (files.ok())
    for (const auto& a : *files)
      if (!a.message_id) {
        loose.push_back(FileData(a));
        any_loose = true;
      }
  d.set("messages", list);
  d.set("has_messages", !msgs->empty());
  d.set("intake_files", loose);
  d.set("has_intake_files", any_loose);

  // Offer only the kinds of message this person may write (core/access).
  const auto rel = access::RelationOf(ctx.actor, c);
  Data kinds(Data::type::list);
  bool first = true;
  for (const char* v : kVisibilities) {
    if (!access::CheckPostMessage(ctx.actor, rel, c, v).ok()) continue;
    Data k;
    k.set("key", std::string(v));
    k.set("label", std::string(app::MessageVisibilityLabelNl(v)));
    k.set("checked", first);
    first = false;
    kinds.push_back(k);
  }
  d.set("visibilities", kinds);
  d.set("can_write", !first);
  d.set("message_url", Cat("/meldingen/", c.id, "/berichten"));
  d.set("csrf", csrf);
}

void AddIdentity(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, const LmmCase& c,
                 const std::string& csrf, Data& d) {
  auto holders = w.s.vault.Holders(ctx.actor, c.id);
  if (!holders.ok()) return;
  const Actor& a = ctx.actor;
  const bool coordinator = a.Has(Role::kCoordinator);
  const bool holder = std::any_of(holders->begin(), holders->end(),
                                  [&](const app::HolderView& h) { return h.person_id == a.person_id; });
  Data hl(Data::type::list);
  for (const auto& h : *holders) {
    Data x;
    x.set("name", h.name);
    x.set("role", h.role);
    x.set("since", FormatInstantNl(h.since));
    x.set("basis", h.basis);
    if (coordinator && h.person_id != a.person_id) {
      x.set("revoke_url", Cat("/meldingen/", c.id, "/identiteit/", h.person_id, "/intrekken"));
      x.set("person_id", std::to_string(h.person_id));
    }
    hl.push_back(x);
  }
  Data id;
  id.set("holders", hl);
  id.set("has_holders", !holders->empty());
  id.set("csrf", csrf);

  // Files a holder can point to as the reporter's written consent.
  Data consent_files(Data::type::list);
  if (holder) {
    auto files = w.s.channel.Attachments(a, c.id);
    if (files.ok())
      for (const auto& f : *files) {
        Data x;
        x.set("id", std::to_string(f.id));
        x.set("label", Cat(f.filename, " (", FormatInstantNl(f.at), ")"));
        consent_files.push_back(x);
      }
  }
  auto requests = w.s.vault.Requests(a, c.id);
  Data rl(Data::type::list);
  if (requests.ok()) {
    for (const auto& r : *requests) {
      Data x;
      x.set("id", std::to_string(r.request.id));
      x.set("recipient", r.recipient_name);
      x.set("requested_by", r.requested_by_name);
      x.set("reason", r.request.reason);
      x.set("state", r.state_label);
      x.set("created", FormatInstantNl(r.request.created_at));
      if (r.request.legal_duty) {
        x.set("legal_duty", true);
        x.set("legal_reasons", r.request.legal_reasons);
      }
      if (r.request.state == "awaiting_approval" && holder && r.request.requested_by != a.person_id)
        x.set("decide_url", Cat("/identiteitsverzoeken/", r.request.id, "/besluit"));
      if (r.request.state == "awaiting_consent" && holder) {
        x.set("consent_url", Cat("/identiteitsverzoeken/", r.request.id, "/schriftelijke-toestemming"));
        x.set("consent_files", consent_files);
      }
      x.set("csrf", csrf);
      rl.push_back(x);
    }
    id.set("has_requests", !requests->empty());
  }
  id.set("requests", rl);

  // A new request: only the reporter's VPI or the coordinator who holds it.
  if (holder && (coordinator || c.reporter_advisor_id == a.person_id)) {
    id.set("can_request", true);
    id.set("request_url", Cat("/meldingen/", c.id, "/identiteit/verzoek"));
    const std::string q = req.Query("ontvanger");
    id.set("search", q);
    if (q.size() >= 2) {
      Data people(Data::type::list);
      (void)w.s.store.Read([&](StoreTx& tx) -> absl::Status {
        for (auto& p : tx.FindPeople(q, 20)) {
          if (tx.GetIdentitySeal(c.id, p.id)) continue;  // holds it already
          Data o;
          o.set("id", std::to_string(p.id));
          o.set("label", p.position.empty() ? p.name : Cat(p.name, " (", p.position, ")"));
          people.push_back(o);
        }
        return absl::OkStatus();
      });
      id.set("searched", true);
      id.set("candidates", people);
    }
  }
  d.set("identity", id);
}

// Re-shows the case page with the refusal at the form `anchor`.
HttpResponse Refused(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, Id case_id,
                     const absl::Status& st, const std::string& anchor) {
  const int status = http::HttpStatusOf(st);
  if (status == 401) return Redirect("/inloggen");
  if (status == 404 || status >= 500) return ErrorPage(w, req, &ctx, st);
  return CasePage(w, req, ctx, case_id, status, anchor, Msg(st));
}

// The case of an identity request, for the way back to its page (0 when the
// request does not exist). The page itself checks access again.
Id CaseOfRequest(const Web& w, Id request_id) {
  Id case_id = 0;
  (void)w.s.store.Read([&](StoreTx& tx) -> absl::Status {
    if (auto r = tx.GetIdentityRequest(request_id); r.ok()) case_id = r->case_id;
    return absl::OkStatus();
  });
  return case_id;
}

}  // namespace

void AddCaseChannelData(const Web& w, const HttpRequest& req, const app::AuthContext& ctx, const LmmCase& c,
                        Data& d) {
  Data channel;
  AddMessages(w, ctx, c, ctx.session.csrf_token, channel);
  d.set("channel", channel);
  d.set("has_channel", channel.get("message_url") != nullptr);
  AddIdentity(w, req, ctx, c, ctx.session.csrf_token, d);
}

void AddCaseChannelRoutes(const Web& w, std::vector<http::Route>& out) {
  // A message (with files) to the reporter, the team, or oneself.
  out.push_back({"POST", "/meldingen/:id(\\d+)/berichten",
                 Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) -> HttpResponse {
                   const Id id = RouteId(req);
                   auto form = ReadPostedForm(req);
                   if (!form.ok()) return ErrorPage(w, req, &ctx, form.status());
                   if (auto st = http::CheckCsrf(ctx, req, form->Field("csrf")); !st.ok())
                     return ErrorPage(w, req, &ctx, st);
                   auto files = CleanUploads(form->files);
                   if (!files.ok()) return Refused(w, req, ctx, id, files.status(), "berichten");
                   std::string visibility = form->Field("zichtbaarheid");
                   if (visibility.empty()) visibility = "team";
                   auto st = w.s.channel.PostMessage(ctx.actor, id, visibility, form->Field("bericht"),
                                                     std::move(*files));
                   if (!st.ok()) return Refused(w, req, ctx, id, st.status(), "berichten");
                   return Redirect(Cat("/meldingen/", id, "#kop-berichten"));
                 }),
                 http::kUploadBodyBytes});

  out.push_back({"GET", "/bijlagen/:id(\\d+)", Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) {
                   auto a = w.s.channel.Download(ctx.actor, RouteId(req));
                   if (!a.ok()) return ErrorPage(w, req, &ctx, a.status());
                   return DownloadResponse(*a);
                 })});

  out.push_back({"POST", "/meldingen/:id(\\d+)/identiteit/verzoek",
                 Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) -> HttpResponse {
                   const Id id = RouteId(req);
                   Form f = http::ParseForm(req.body);
                   if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok())
                     return ErrorPage(w, req, &ctx, st);
                   const bool legal = FormBool(f, "wettelijke_plicht");
                   auto r = w.s.vault.RequestDisclosure(ctx.actor, id, ParseId(FormValue(f, "ontvanger_id")),
                                                        FormValue(f, "reden"), legal, FormValue(f, "redenen_melder"));
                   if (!r.ok()) return Refused(w, req, ctx, id, r.status(), "identiteit");
                   return Redirect(Cat("/meldingen/", id, "#kop-identiteit"));
                 })});

  out.push_back({"POST", "/identiteitsverzoeken/:id(\\d+)/besluit",
                 Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) -> HttpResponse {
                   const Id rid = RouteId(req);
                   Form f = http::ParseForm(req.body);
                   if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok())
                     return ErrorPage(w, req, &ctx, st);
                   const std::string choice = FormValue(f, "besluit");
                   const Id case_id = CaseOfRequest(w, rid);
                   absl::Status st = choice == "toestaan" || choice == "weigeren"
                                         ? w.s.vault.Decide(ctx.actor, rid, choice == "toestaan")
                                         : absl::InvalidArgumentError("Kies of u het verzoek toestaat of weigert.");
                   if (!st.ok()) {
                     if (!case_id) return ErrorPage(w, req, &ctx, st);
                     return Refused(w, req, ctx, case_id, st, "identiteit");
                   }
                   return Redirect(Cat("/meldingen/", case_id, "#kop-identiteit"));
                 })});

  out.push_back({"POST", "/identiteitsverzoeken/:id(\\d+)/schriftelijke-toestemming",
                 Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) -> HttpResponse {
                   const Id rid = RouteId(req);
                   Form f = http::ParseForm(req.body);
                   if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok())
                     return ErrorPage(w, req, &ctx, st);
                   const Id case_id = CaseOfRequest(w, rid);
                   auto st = w.s.vault.RecordWrittenConsent(ctx.actor, rid, ParseId(FormValue(f, "bijlage_id")));
                   if (!st.ok()) {
                     if (!case_id) return ErrorPage(w, req, &ctx, st);
                     return Refused(w, req, ctx, case_id, st, "identiteit");
                   }
                   return Redirect(Cat("/meldingen/", case_id, "#kop-identiteit"));
                 })});

  out.push_back({"POST", "/meldingen/:id(\\d+)/identiteit/:person(\\d+)/intrekken",
                 Authed(w, [w](const HttpRequest& req, const app::AuthContext& ctx) -> HttpResponse {
                   const Id id = RouteId(req);
                   Form f = http::ParseForm(req.body);
                   if (auto st = http::CheckCsrf(ctx, req, FormValue(f, "csrf")); !st.ok())
                     return ErrorPage(w, req, &ctx, st);
                   auto st = w.s.vault.Revoke(ctx.actor, id, RouteId(req, "person"));
                   if (!st.ok()) return Refused(w, req, ctx, id, st, "identiteit");
                   return Redirect(Cat("/meldingen/", id, "#kop-identiteit"));
                 })});
}

}  // namespace waarborg::web
