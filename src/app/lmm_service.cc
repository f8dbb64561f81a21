#include "app/lmm_service.h"

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "adapters/crypto/crypto.h"
#include "app/identity_vault.h"
#include "app/service_support.h"
#include "core/common/status.h"
#include "core/dashboard/case_fact.h"

namespace waarborg::app {

using access::CaseAction;

const std::vector<std::string_view> kProtectionKinds = {
    "contact", "adverse_treatment", "aftercare", "satisfaction", "psychosocial_referral"};

std::string_view ProtectionKindLabelNl(std::string_view k) {
  if (k == "contact") return "Contact met de melder";
  if (k == "adverse_treatment") return "Signaal van benadeling";
  if (k == "aftercare") return "Nazorg";
  if (k == "satisfaction") return "Tevredenheid van de melder";
  if (k == "psychosocial_referral") return "Doorverwijzing psychosociale steun";
  return k;
}

const std::vector<std::string_view> kActivityKinds = {"cvp_meeting", "unit_chief_contact",
                                                      "information_session", "other"};

std::string_view ActivityKindLabelNl(std::string_view k) {
  if (k == "cvp_meeting") return "Maandelijks overleg met de CVP";
  if (k == "unit_chief_contact") return "Periodiek contact met eenheidsleiding";
  if (k == "information_session") return "Voorlichtingsbijeenkomst";
  if (k == "other") return "Overige activiteit";
  return k;
}

std::string_view CaseActionLabelNl(CaseAction a) {
  switch (a) {
    case CaseAction::kStaff: return "Bemensen met twee VPI's";
    case CaseAction::kRecordDefinitionTest: return "Toetsen aan de definitie";
    case CaseAction::kRecordWeighing: return "Weging vastleggen";
    case CaseAction::kInviteReviewer: return "Collega uitnodigen voor collegiale toets";
    case CaseAction::kReview: return "Collegiaal toetsen";
    case CaseAction::kAdvise: return "Advies uitbrengen";
    case CaseAction::kDecide: return "Besluiten over het advies";
    case CaseAction::kAcknowledge: return "Ontvangst bevestigen";
    case CaseAction::kRecordFeedback: return "Terugkoppeling vastleggen";
    case CaseAction::kRecordProtection: return "Contact, benadeling of nazorg vastleggen";
    case CaseAction::kClose: return "Afsluiten";
    default: return "";
  }
}

namespace {

template <typename C, typename T>
bool In(const C& c, const T& v) {
  return std::find(c.begin(), c.end(), v) != c.end();
}

bool TrimmedEmpty(const std::string& s) { return absl::StripAsciiWhitespace(s).empty(); }

std::string NewPseudonym() {
  std::string t = crypto::RandomToken(6);
  std::string out;
  for (char ch : t) {
    if (std::isalnum(static_cast<unsigned char>(ch))) out += static_cast<char>(std::toupper(ch));
    if (out.size() == 6) break;
  }
  return "Melder " + out;
}

std::string StatusForReporter(const LmmCase& c) {
  switch (c.state) {
    case LmmState::kRegistered:
      return "Uw melding is ontvangen. De coördinator wijst twee vertrouwenspersonen toe.";
    case LmmState::kStaffed:
      return "Twee vertrouwenspersonen behandelen uw melding. Zij beoordelen eerst of uw melding "
             "onder de regeling voor vermoedens van misstanden valt.";
    case LmmState::kWeighing: {
      std::string s = "Uw melding wordt gewogen (wegingsonderzoek).";
      if (c.weighing && c.weighing->expected_end)
        s += " De weging is naar verwachting klaar op " + FormatDateNl(*c.weighing->expected_end) + ".";
      return s;
    }
    case LmmState::kAdvised:
      return "De weging is afgerond. Het bevoegd gezag beslist nu over het vervolg. U hoort de uitkomst "
             "van uw VPI.";
    case LmmState::kInvestigation:
      return "Het bevoegd gezag heeft besloten tot een onderzoek door een onderzoekscommissie. Uw VPI "
             "houdt u op de hoogte.";
    case LmmState::kClosed:
      return "Uw melding is afgesloten.";
    case LmmState::kReferred: {
      std::string s = "Uw melding valt niet onder de regeling voor vermoedens van misstanden.";
      if (c.definition_test && !c.definition_test->referral.empty() && c.definition_test->referral != "none")
        s += Cat(" U kunt terecht bij: ", CriterionLabelNl(c.definition_test->referral), ".");
      return s;
    }
  }
  return "";
}

bool IsActiveAdvisor(StoreTx& tx, Id person) {
  return HasRole(tx, person, {Role::kIntegrityAdvisor, Role::kCoordinator});
}

// The facts core/access needs to judge whether a VPI may work on `c`: the
// reporter, the subjects, and the chains of command above them.
access::CaseParties PartiesOf(StoreTx& tx, const LmmCase& c, const std::optional<ReporterIdentity>& ident) {
  access::CaseParties parties;
  auto manager_of = [&](Id p) { return tx.ManagerOf(p); };
  if (ident && ident->person_id) {
    parties.reporter_person_id = ident->person_id;
    parties.reporter_chain = ChainOfCommand(*ident->person_id, manager_of);
  }
  parties.subject_ids = c.subject_person_ids;
  for (Id s : c.subject_person_ids) parties.subject_chains.push_back(ChainOfCommand(s, manager_of));
  return parties;
}

// Which timeline entries a viewer sees.
bool EntryVisible(const CaseEvent& e, bool reporter_view, bool weighing_visible, bool protection_visible) {
  if (e.visibility == "case") return true;
  if (reporter_view) return false;
  if (e.visibility == "team") return true;
  if (e.visibility == "weighing") return weighing_visible;
  if (e.visibility == "protection") return protection_visible;
  return false;
}

}  // namespace

namespace {

// Writes the report's dashboard fact (core/dashboard/case_fact.h) in the
// same transaction as the change.
absl::Status WriteFact(StoreTx& tx, const LmmCase& c, Instant now) {
  std::optional<Date> next;
  if (auto d = workflow::NearestOpenDeadline(c)) next = d->due;
  return tx.UpsertCaseFact(dashboard::FactOfLmmCase(c, tx.ListCaseEvents(c.id), next, now));
}

}  // namespace

LmmService::LmmService(Store& store, const Clock& clock, const workflow::LmmTrack& track)
    : store_(store), clock_(clock), track_(track) {}

absl::StatusOr<int> LmmService::WriteMissingFacts() {
  int n = 0;
  for (;;) {
    int batch = 0;
    RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
      for (Id id : tx.CasesWithoutFacts("lmm", 1000)) {
        ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(id));
        RETURN_IF_ERROR(WriteFact(tx, c, clock_.Now()));
        ++batch;
      }
      return absl::OkStatus();
    }));
    n += batch;
    if (batch == 0) return n;
  }
}

Date LmmService::Today() const { return DateInAmsterdam(clock_.Now()); }

absl::StatusOr<Id> LmmService::Register(const Actor& actor, const NewReport& r) {
  const bool by_reporter = r.channel == "online";
  if (!In(kIntakeChannels, r.channel)) return Invalid("Kies hoe de melding binnenkwam.");
  if (!by_reporter) RETURN_IF_ERROR(access::CheckRegisterOnBehalf(actor));
  if (!In(kReporterCategories, r.reporter_category)) return Invalid("Kies de categorie van de melder.");
  if (TrimmedEmpty(r.summary)) return Invalid("Geef de melding een korte omschrijving.");
  if (r.summary.size() > 200) return Invalid("De korte omschrijving is te lang (maximaal 200 tekens).");
  if (TrimmedEmpty(r.description)) return Invalid("Beschrijf het vermoeden van een misstand.");
  if (r.description.size() > 20000) return Invalid("De beschrijving is te lang (maximaal 20.000 tekens).");
  if (!by_reporter && !r.reporter_person_id && TrimmedEmpty(r.reporter_name))
    return Invalid("Vul de naam van de melder in (alleen zichtbaar voor de twee VPI's en de coördinator).");
  if (r.reporter_name.size() > 200 || r.reporter_contact.size() > 200)
    return Invalid("Naam of contactgegevens zijn te lang (maximaal 200 tekens).");
  const Instant now = clock_.Now();
  const Date today = Today();
  Date received = today;
  if (r.received_on) {
    if (by_reporter) return Invalid("De ontvangstdatum van een online melding is vandaag.");
    if (std::chrono::sys_days(*r.received_on) > std::chrono::sys_days(today))
      return Invalid("De ontvangstdatum ligt in de toekomst.");
    received = *r.received_on;
  }
  Id id = 0;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    if (!tx.GetUnit(r.unit_id).ok()) return Invalid("Kies de eenheid waar de melding over gaat.");
    for (Id s : r.subject_person_ids) {
      if (!tx.GetPerson(s).ok()) return Invalid("Een genoemde betrokkene bestaat niet.");
    }
    LmmCase c;
    const int year = static_cast<int>(received.year());
    c.reference = Cat("LMM-", year, "-", fmt::format("{:04d}", tx.NextCaseNumber(year)));
    c.state = *ParseLmmState(track_.definition().InitialState()->id);  // LmmTrack::Bind checked it
    c.received_at = now;
    c.received_on = received;
    c.updated_at = now;
    c.channel = r.channel;
    c.reporter_category = r.reporter_category;
    c.pseudonym = NewPseudonym();
    c.summary = std::string(absl::StripAsciiWhitespace(r.summary));
    c.description = r.description;
    c.unit_id = r.unit_id;
    c.subject_person_ids = r.subject_person_ids;
    c.registered_by_person = by_reporter ? 0 : actor.person_id;
    c.acknowledgement_due = track_.AcknowledgementDue(received);
    c.feedback_due = track_.FeedbackDue(received, std::nullopt);
    ASSIGN_OR_RETURN(id, tx.InsertCase(c));
    // The identity goes into the vault, sealed to the coordinators (and the
    // VPI who registered it); an anonymous report has none.
    ReporterIdentity ident;
    ident.case_id = id;
    ident.person_id = r.reporter_person_id;
    ident.name = r.reporter_person_id ? PersonName(tx, r.reporter_person_id)
                                      : std::string(absl::StripAsciiWhitespace(r.reporter_name));
    ident.contact = std::string(absl::StripAsciiWhitespace(r.reporter_contact));
    if (!ident.name.empty() || !ident.contact.empty()) {
      std::set<Id> holders;
      for (Id h : CoordinatorHolders(tx)) holders.insert(h);
      if (!by_reporter && tx.GetPersonKey(actor.person_id)) holders.insert(actor.person_id);
      if (holders.empty())
        return absl::FailedPreconditionError(
            "Uw identiteit kan nu niet veilig worden bewaard. Meld anoniem, of probeer het later opnieuw.");
      for (Id h : holders) {
        RETURN_IF_ERROR(SealIdentityTo(tx, ident, h, now,
                                       h == actor.person_id && !by_reporter ? "registration" : "intake"));
      }
    }
    crypto::Wipe(ident.name);
    crypto::Wipe(ident.contact);
    if (!r.receipt_hash.empty()) {
      RETURN_IF_ERROR(tx.InsertReceipt({r.receipt_hash, id, r.receipt_must_replace, now}));
    }
    for (Attachment a : r.attachments) {
      a.case_id = id;
      a.at = now;
      a.uploaded_by = by_reporter ? 0 : actor.person_id;
      RETURN_IF_ERROR(tx.InsertAttachment(a).status());
    }
    if (!r.notify_email.empty()) RETURN_IF_ERROR(tx.SetReporterEmail(id, r.notify_email));
    CaseEvent ev{.case_id = id, .at = now, .actor_person = by_reporter ? 0 : actor.person_id,
                 .kind = "registered",
                 .text = Cat("Melding geregistreerd (", IntakeChannelLabelNl(r.channel),
                                      "), ontvangen op ", FormatDateNl(received), ".")};
    RETURN_IF_ERROR(tx.AppendCaseEvent(ev).status());
    c.id = id;
    RETURN_IF_ERROR(WriteFact(tx, c, now));
    AuditEvent a = AuditFor(actor, by_reporter, now, "case.create", id, c.reference);
    return tx.AppendAudit(a);
  }));
  return id;
}

absl::StatusOr<CaseView> LmmService::Open(const Actor& actor, Id case_id, bool with_access_log) {
  const Instant now = clock_.Now();
  CaseView v;
  absl::Status denied;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(case_id));
    auto rel = access::RelationOf(actor, c);
    if (auto st = access::CheckCase(actor, rel, c, CaseAction::kRead); !st.ok()) {
      denied = st;
      return absl::OkStatus();  // audited below, in its own transaction
    }
    const bool staff_view = rel.is_reporter_advisor || rel.is_weighing_advisor || rel.is_reviewer ||
                            rel.registered_it || actor.Has(Role::kCoordinator) ||
                            actor.Has(Role::kCompetentAuthority);
    v.is_reporter_view = rel.is_reporter && !staff_view;
    // The identity opens only with the viewer's own vault key, and only for
    // whom core/access allows it.
    std::optional<ReporterIdentity> ident;
    // Besides the two VPIs and the coordinator: whoever an approved,
    // consented disclosure request sealed it to.
    const auto granted_by_request = [&] {
      const auto seal = tx.GetIdentitySeal(case_id, actor.person_id);
      return seal && seal->basis == "request";
    };
    if (!v.is_reporter_view && (access::Can(actor, rel, c, CaseAction::kReadIdentity) || granted_by_request()))
      ident = OpenIdentity(tx, actor, case_id);
    v.identity_visible = ident.has_value();
    v.weighing_visible = !v.is_reporter_view && access::Can(actor, rel, c, CaseAction::kReadWeighing);
    v.outcome_visible = access::Can(actor, rel, c, CaseAction::kReadOutcome);
    const bool protection_visible = access::Can(actor, rel, c, CaseAction::kReadProtection);
    if (v.identity_visible && ident) {
      v.identity = ident;
      v.reporter_display = ident->name;
    } else {
      v.reporter_display = c.pseudonym;
    }
    auto unit = tx.GetUnit(c.unit_id);
    v.unit_name = unit.ok() ? unit->name : "";
    v.deadlines = track_.DeadlinesOf(c);
    v.status_for_reporter = StatusForReporter(c);
    if (c.reporter_advisor_id)
      v.parties.push_back({*c.reporter_advisor_id, PersonName(tx, c.reporter_advisor_id), "VPI van de melder"});
    if (c.weighing_advisor_id && !v.is_reporter_view)
      v.parties.push_back({*c.weighing_advisor_id, PersonName(tx, c.weighing_advisor_id), "Wegende VPI"});
    if (!v.is_reporter_view) {
      for (Id s : c.subject_person_ids) v.parties.push_back({s, PersonName(tx, s), "Betrokkene"});
      if (v.weighing_visible)
        for (Id r : c.reviewer_ids) v.parties.push_back({r, PersonName(tx, r), "Collegiale toets"});
    }
    std::map<Id, std::string> names;
    for (const auto& e : tx.ListCaseEvents(case_id)) {
      if (!EntryVisible(e, v.is_reporter_view, v.weighing_visible, protection_visible)) continue;
      std::string who;
      if (!v.is_reporter_view && e.actor_person) {
        auto it = names.find(e.actor_person);
        if (it == names.end()) it = names.emplace(e.actor_person, PersonName(tx, e.actor_person)).first;
        who = it->second;
      }
      v.timeline.push_back({e.at, e.kind, e.text, who, e.on});
    }
    if (!v.is_reporter_view) {
      for (CaseAction a : track_.PossibleSteps(c)) {
        if (access::Can(actor, rel, c, a)) v.next_steps.push_back(a);
      }
    }
    if (with_access_log && access::Can(actor, rel, c, CaseAction::kReadAccessLog)) {
      AuditQuery q;
      q.case_id = case_id;
      q.limit = 50;
      for (const auto& e : tx.SearchAudit(q)) v.access_log.push_back({e.at, e.actor, e.action});
    }
    // Clear what this viewer may not see, so no adapter can leak it.
    if (!v.weighing_visible) {
      c.definition_test.reset();
      c.reviews.clear();
      c.reviewer_ids.clear();
      if (c.weighing) c.weighing->findings.clear();  // the expected end date is told to all
    }
    if (!v.outcome_visible) {
      c.advice.reset();
      c.decision.reset();
    }
    if (v.is_reporter_view) {
      c.weighing_advisor_id.reset();
      c.subject_person_ids.clear();
    }
    v.c = std::move(c);
    AuditEvent a = AuditFor(actor, v.is_reporter_view, now, "case.read", case_id);
    return tx.AppendAudit(a);
  }));
  if (!denied.ok()) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, "case.read_denied", case_id));
    return denied;
  }
  return v;
}

absl::StatusOr<std::vector<CaseListItem>> LmmService::List(const Actor& actor, CaseListQuery q) {
  auto scope = access::CaseListScope(actor);
  q.all = scope.all;
  q.member_person = scope.as_member ? std::optional(actor.person_id) : std::nullopt;
  q.with_advice = scope.as_authority;
  q.limit = std::clamp(q.limit, 1, 200);
  q.offset = std::max(q.offset, 0);
  const Date today = Today();
  std::vector<CaseListItem> out;
  // The list is read from a snapshot in parallel with other requests; its
  // audit event is then written before anything is returned.
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    std::map<Id, std::string> unit_names;
    for (auto& s : tx.ListCases(q)) {
      CaseListItem item;
      auto it = unit_names.find(s.unit_id);
      if (it == unit_names.end()) {
        auto u = tx.GetUnit(s.unit_id);
        it = unit_names.emplace(s.unit_id, u.ok() ? u->name : "").first;
      }
      item.unit_name = it->second;
      LmmCase shadow;  // deadlines from the summary columns
      shadow.state = s.state;
      shadow.acknowledgement_due = s.acknowledgement_due;
      shadow.acknowledged_on = s.acknowledged_on;
      shadow.feedback_due = s.feedback_due;
      shadow.feedback_given_on = s.feedback_given_on;
      if (s.weighing_end) {
        shadow.weighing = Weighing{};
        shadow.weighing->expected_end = s.weighing_end;
        if (s.has_advice) shadow.advice = Advice{.at = 0};
      }
      item.nearest = workflow::NearestOpenDeadline(shadow);
      if (item.nearest) item.nearest->label = track_.DeadlineLabel(item.nearest->kind);
      item.overdue = item.nearest && item.nearest->OverdueOn(today);
      item.summary = std::move(s);
      out.push_back(std::move(item));
    }
    return absl::OkStatus();
  }));
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) {
    AuditEvent a = AuditFor(actor, false, clock_.Now(), "case.list", 0, Cat(out.size(), " meldingen"));
    return tx.AppendAudit(a);
  }));
  return out;
}

absl::StatusOr<std::vector<CaseListItem>> LmmService::Overdue(const Actor& actor) {
  CaseListQuery q;
  q.open_only = true;
  q.due_before = Today();
  q.limit = 200;
  return List(actor, q);
}

absl::StatusOr<std::vector<AdvisorSuggestion>> LmmService::SuggestAdvisors(const Actor& actor, Id case_id) {
  std::vector<AdvisorSuggestion> out;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(case_id));
    auto rel = access::RelationOf(actor, c);
    RETURN_IF_ERROR(access::CheckCase(actor, rel, c, CaseAction::kStaff));
    const auto ident = OpenIdentity(tx, actor, case_id);
    // Units above the case's unit, for the adopted-unit match.
    std::vector<Id> unit_path;
    for (std::optional<Id> u = c.unit_id; u;) {
      unit_path.push_back(*u);
      auto unit = tx.GetUnit(*u);
      u = unit.ok() ? unit->parent_id : std::nullopt;
      if (unit_path.size() > 10) break;
    }
    const access::CaseParties parties = PartiesOf(tx, c, ident);
    for (auto& p : tx.ListAdvisors()) {
      AdvisorSuggestion s;
      s.person = p;
      for (Id u : tx.AdoptedUnits(p.id)) s.adopted_unit |= In(unit_path, u);
      auto st = access::CheckAdvisorEligible({p.id, true}, parties);
      s.eligible = st.ok();
      s.reason = std::string(st.message());
      out.push_back(std::move(s));
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(b.eligible, b.adopted_unit) < std::tie(a.eligible, a.adopted_unit);
    });
    return absl::OkStatus();
  }));
  return out;
}

absl::Status LmmService::Mutate(
    const Actor& actor, Id case_id, std::int64_t version, CaseAction action,
    const std::function<absl::Status(StoreTx&, LmmCase&, std::string&)>& change) {
  const Instant now = clock_.Now();
  absl::Status denied;
  absl::Status result = store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(case_id));
    auto rel = access::RelationOf(actor, c);
    // Order: does the actor's role take this step at all and may the actor
    // see the case (403); is it a valid step in this state (409); is this
    // actor the one to take it on this case (403); is the version current (409).
    auto deny = [&](absl::Status st) { denied = st; return st; };
    if (auto st = track_.CheckRole(actor, action); !st.ok()) return deny(st);
    if (!actor.Has(Role::kCompetentAuthority)) {
      if (auto st = access::CheckCase(actor, rel, c, CaseAction::kRead); !st.ok()) return deny(st);
    }
    if (auto st = access::CheckSeparationOfDuties(actor, rel, action); !st.ok()) return deny(st);
    // Only the advice step asks whether the coordinator is one of the VPIs.
    bool coordinator_on_case = false;
    if (action == CaseAction::kAdvise) {
      for (const auto& advisor : {c.weighing_advisor_id, c.reporter_advisor_id}) {
        if (advisor) coordinator_on_case |= HasRole(tx, *advisor, {Role::kCoordinator});
      }
    }
    RETURN_IF_ERROR(track_.CheckTransition(c, action, coordinator_on_case));
    if (auto st = access::CheckCase(actor, rel, c, action); !st.ok()) return deny(st);
    if (version != c.version)
      return Stale("Deze melding is intussen door iemand anders gewijzigd. Laad de pagina opnieuw en probeer het nog eens.");
    std::string timeline;
    std::string visibility = "case";
    const LmmCase before = c;
    if (auto st = change(tx, c, timeline); !st.ok()) {
      if (absl::IsPermissionDenied(st)) denied = st;  // e.g. an ineligible VPI: audited below
      return st;
    }
    // Where the step leads is the track file's: its first transition whose
    // guards hold on what the step recorded.
    ASSIGN_OR_RETURN(c.state, track_.NextState(before, c, action, coordinator_on_case));
    if (!timeline.empty() && timeline[0] == '@') {  // "@weighing:text" sets visibility
      auto colon = timeline.find(':');
      visibility = timeline.substr(1, colon - 1);
      timeline = timeline.substr(colon + 1);
    }
    c.updated_at = now;
    RETURN_IF_ERROR(tx.UpdateCase(c, version));
    if (!timeline.empty()) {
      CaseEvent ev{.case_id = c.id, .at = now, .actor_person = actor.person_id,
                   .kind = std::string(access::CaseActionName(action)), .visibility = visibility,
                   .text = timeline};
      RETURN_IF_ERROR(tx.AppendCaseEvent(ev).status());
    }
    RETURN_IF_ERROR(WriteFact(tx, c, now));
    AuditEvent a = AuditFor(actor, false, now, Cat("case.", access::CaseActionName(action)), c.id);
    return tx.AppendAudit(a);
  });
  if (!denied.ok()) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, Cat("case.", access::CaseActionName(action), "_denied"), case_id));
  }
  return result;
}

absl::Status LmmService::Staff(const Actor& actor, Id case_id, std::int64_t version, Id reporter_advisor,
                               Id weighing_advisor) {
  if (reporter_advisor == 0 || weighing_advisor == 0)
    return Invalid("Kies zowel de VPI van de melder als de wegende VPI.");
  if (reporter_advisor == weighing_advisor)
    return Invalid("Een melding wordt bemenst met twee verschillende VPI's.");
  return Mutate(actor, case_id, version, CaseAction::kStaff,
                [&](StoreTx& tx, LmmCase& c, std::string& timeline) -> absl::Status {
    // The conflict check needs the reporter: the coordinator's open vault.
    const auto ident = OpenIdentity(tx, actor, c.id);
    if (!ident && HasIdentity(tx, c.id))
      return absl::FailedPreconditionError(
          "Uw kluis met identiteiten is niet geopend, dus belangenverstrengeling met de melder kan niet "
          "worden uitgesloten. Log opnieuw in en probeer het nog eens.");
    const access::CaseParties parties = PartiesOf(tx, c, ident);
    for (Id candidate : {reporter_advisor, weighing_advisor}) {
      RETURN_IF_ERROR(access::CheckAdvisorEligible({candidate, IsActiveAdvisor(tx, candidate)}, parties));
    }
    if (ident) {
      for (Id vpi : {reporter_advisor, weighing_advisor}) {
        RETURN_IF_ERROR(SealIdentityTo(tx, *ident, vpi, clock_.Now(), "staffing"));
      }
    }
    c.reporter_advisor_id = reporter_advisor;
    c.weighing_advisor_id = weighing_advisor;
    timeline = Cat("Bemenst: VPI van de melder ", PersonName(tx, reporter_advisor),
                            ", wegende VPI ", PersonName(tx, weighing_advisor), ".");
    return absl::OkStatus();
  });
}

absl::Status LmmService::RecordDefinitionTest(const Actor& actor, Id case_id, std::int64_t version,
                                              const DefinitionTest& t) {
  const bool passes = PassesDefinitionTest(t);
  if (!passes && (t.referral.empty()))
    return Invalid("Geef een doorverwijzing (HRM, OR, de lijn of bezwaar) als de melding geen misstand is.");
  if (passes && !t.exclusions.empty()) return Invalid("Een uitgesloten melding kan geen misstand zijn.");
  return Mutate(actor, case_id, version, CaseAction::kRecordDefinitionTest,
                [&](StoreTx&, LmmCase& c, std::string& timeline) -> absl::Status {
    c.definition_test = t;
    if (passes) {
      timeline = "Toets aan de definitie: de melding valt onder de regeling. Het wegingsonderzoek begint.";
    } else {
      timeline = Cat("Toets aan de definitie: geen vermoeden van een misstand. Doorverwezen naar: ",
                              CriterionLabelNl(t.referral), ".");
    }
    return absl::OkStatus();
  });
}

absl::Status LmmService::RecordWeighing(const Actor& actor, Id case_id, std::int64_t version,
                                        const Weighing& w) {
  const Date today = Today();
  if (w.expected_end && std::chrono::sys_days(*w.expected_end) < std::chrono::sys_days(today))
    return Invalid("De verwachte einddatum van de weging ligt in het verleden.");
  return Mutate(actor, case_id, version, CaseAction::kRecordWeighing,
                [&](StoreTx&, LmmCase& c, std::string& timeline) -> absl::Status {
    Weighing merged = c.weighing.value_or(Weighing{});
    std::optional<Date> old_end = merged.expected_end;
    for (const auto& [k, f] : w.findings) merged.findings[k] = f;
    if (w.expected_end) merged.expected_end = w.expected_end;
    c.weighing = merged;
    if (merged.expected_end && merged.expected_end != old_end) {
      // The reporter may know that weighing happens and when it should end.
      timeline = "Wegingsonderzoek: verwachte einddatum " + FormatDateNl(*merged.expected_end) + ".";
    } else {
      timeline = "@weighing:Weging bijgewerkt.";
    }
    return absl::OkStatus();
  });
}

absl::Status LmmService::InviteReviewer(const Actor& actor, Id case_id, std::int64_t version, Id reviewer) {
  return Mutate(actor, case_id, version, CaseAction::kInviteReviewer,
                [&](StoreTx& tx, LmmCase& c, std::string& timeline) -> absl::Status {
    if (c.reporter_advisor_id == reviewer)
      return Forbidden("De VPI van de melder neemt geen deel aan weging en advies.");
    if (c.weighing_advisor_id == reviewer)
      return Invalid("De wegende VPI kan de eigen weging niet collegiaal toetsen.");
    // The weighing VPI holds no identity: the reviewer is checked against
    // the subjects, and against the reporter when the inviter can open it.
    const access::CaseParties parties = PartiesOf(tx, c, OpenIdentity(tx, actor, c.id));
    RETURN_IF_ERROR(access::CheckAdvisorEligible({reviewer, IsActiveAdvisor(tx, reviewer)}, parties));
    if (In(c.reviewer_ids, reviewer)) return Conflict("Deze VPI is al uitgenodigd.");
    c.reviewer_ids.push_back(reviewer);
    timeline = Cat("@weighing:", PersonName(tx, reviewer), " uitgenodigd voor de collegiale toets.");
    return absl::OkStatus();
  });
}

absl::Status LmmService::AddReview(const Actor& actor, Id case_id, std::int64_t version, bool agrees,
                                   const std::string& opinion) {
  if (TrimmedEmpty(opinion)) return Invalid("Geef uw oordeel over de weging.");
  const Instant now = clock_.Now();
  return Mutate(actor, case_id, version, CaseAction::kReview,
                [&](StoreTx&, LmmCase& c, std::string& timeline) -> absl::Status {
    for (const auto& r : c.reviews) {
      if (r.reviewer_person_id == actor.person_id) return Conflict("U heeft deze weging al getoetst.");
    }
    c.reviews.push_back({actor.person_id, actor.Has(Role::kCoordinator), agrees, opinion, now});
    timeline = Cat("@weighing:Collegiale toets: ", agrees ? "eens" : "niet eens", " met de weging.");
    return absl::OkStatus();
  });
}

absl::Status LmmService::Advise(const Actor& actor, Id case_id, std::int64_t version, const Advice& a) {
  if (TrimmedEmpty(a.reasoning)) return Invalid("Onderbouw het advies.");
  const Instant now = clock_.Now();
  return Mutate(actor, case_id, version, CaseAction::kAdvise,
                [&](StoreTx&, LmmCase& c, std::string& timeline) -> absl::Status {
    c.advice = a;
    c.advice->at = now;
    timeline = Cat("@weighing:Advies aan het bevoegd gezag: ",
                            a.is_suspected_wrongdoing ? "wel" : "geen",
                            " vermoeden van een misstand; onderzoek ", a.investigate_now ? "wel" : "niet",
                            " direct starten.");
    return absl::OkStatus();
  });
}

absl::Status LmmService::Decide(const Actor& actor, Id case_id, std::int64_t version,
                                const AuthorityDecision& d) {
  if (!d.adopts_advice && TrimmedEmpty(d.deviation_reasons))
    return Invalid("Geef de redenen om van het advies af te wijken.");
  const Instant now = clock_.Now();
  return Mutate(actor, case_id, version, CaseAction::kDecide,
                [&](StoreTx&, LmmCase& c, std::string& timeline) -> absl::Status {
    c.decision = d;
    c.decision->at = now;
    timeline = Cat("Besluit van het bevoegd gezag: advies ",
                            d.adopts_advice ? "overgenomen" : "niet overgenomen", "; ",
                            d.investigate ? "onderzoek door een ad-hoccommissie." : "geen onderzoek.");
    return absl::OkStatus();
  });
}

absl::Status LmmService::Acknowledge(const Actor& actor, Id case_id, std::int64_t version,
                                     std::optional<Date> on) {
  const Date today = Today();
  const Date when = on.value_or(today);
  if (std::chrono::sys_days(when) > std::chrono::sys_days(today))
    return Invalid("De datum van de ontvangstbevestiging ligt in de toekomst.");
  return Mutate(actor, case_id, version, CaseAction::kAcknowledge,
                [&](StoreTx&, LmmCase& c, std::string& timeline) -> absl::Status {
    const Date received = c.received_on;
    if (std::chrono::sys_days(when) < std::chrono::sys_days(received))
      return Invalid("De ontvangstbevestiging kan niet vóór de ontvangst liggen.");
    c.acknowledged_on = when;
    c.feedback_due = track_.FeedbackDue(received, when);
    timeline = Cat("Ontvangst bevestigd aan de melder op ", FormatDateNl(when),
                            ". Terugkoppeling uiterlijk ", FormatDateNl(c.feedback_due), ".");
    return absl::OkStatus();
  });
}

absl::Status LmmService::RecordFeedback(const Actor& actor, Id case_id, std::int64_t version,
                                        std::optional<Date> on, const std::string& text) {
  if (TrimmedEmpty(text)) return Invalid("Beschrijf wat aan de melder is teruggekoppeld.");
  const Date today = Today();
  const Date when = on.value_or(today);
  if (std::chrono::sys_days(when) > std::chrono::sys_days(today))
    return Invalid("De datum van de terugkoppeling ligt in de toekomst.");
  return Mutate(actor, case_id, version, CaseAction::kRecordFeedback,
                [&](StoreTx&, LmmCase& c, std::string& timeline) -> absl::Status {
    c.feedback_given_on = when;
    timeline = Cat("Terugkoppeling aan de melder op ", FormatDateNl(when), ": ", text);
    return absl::OkStatus();
  });
}

absl::Status LmmService::RecordProtection(const Actor& actor, Id case_id, const std::string& kind,
                                          std::optional<Date> on, const std::string& text) {
  if (!In(kProtectionKinds, kind)) return Invalid("Kies het soort vastlegging.");
  if (TrimmedEmpty(text)) return Invalid("Beschrijf wat er is gebeurd of besproken.");
  if (kind == "adverse_treatment" && !on)
    return Invalid("Een signaal van benadeling krijgt altijd de datum waarop het gebeurde.");
  const Date today = Today();
  if (on && std::chrono::sys_days(*on) > std::chrono::sys_days(today))
    return Invalid("De datum ligt in de toekomst.");
  const Instant now = clock_.Now();
  absl::Status denied;
  absl::Status result = store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(LmmCase c, tx.GetCase(case_id));
    auto rel = access::RelationOf(actor, c);
    if (auto st = access::CheckCase(actor, rel, c, CaseAction::kRecordProtection); !st.ok()) {
      denied = st;
      return st;
    }
    if (auto st = track_.CheckRole(actor, CaseAction::kRecordProtection); !st.ok()) {
      denied = st;
      return st;
    }
    RETURN_IF_ERROR(track_.CheckTransition(c, CaseAction::kRecordProtection));
    CaseEvent ev{.case_id = c.id, .at = now, .actor_person = actor.person_id, .kind = kind,
                 .visibility = "protection",
                 .text = Cat(ProtectionKindLabelNl(kind), ": ", text), .on = on.value_or(today)};
    RETURN_IF_ERROR(tx.AppendCaseEvent(ev).status());
    AuditEvent a = AuditFor(actor, false, now, "case.protection", c.id, kind);
    return tx.AppendAudit(a);
  });
  if (!denied.ok()) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, "case.protection_denied", case_id));
  }
  return result;
}

absl::Status LmmService::Close(const Actor& actor, Id case_id, std::int64_t version, const std::string& reason) {
  if (TrimmedEmpty(reason)) return Invalid("Geef de reden van afsluiten.");
  return Mutate(actor, case_id, version, CaseAction::kClose,
                [&](StoreTx&, LmmCase& c, std::string& timeline) -> absl::Status {
    timeline = "Afgesloten: " + reason;
    return absl::OkStatus();
  });
}

absl::StatusOr<Id> LmmService::RecordActivity(const Actor& actor, const Activity& in) {
  RETURN_IF_ERROR(access::CheckRecordActivity(actor));
  if (!In(kActivityKinds, in.kind)) return Invalid("Kies het soort activiteit.");
  if (std::chrono::sys_days(in.on) > std::chrono::sys_days(Today()) + std::chrono::days(366))
    return Invalid("De datum ligt te ver in de toekomst.");
  Id id = 0;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    if (in.unit_id && !tx.GetUnit(*in.unit_id).ok()) return Invalid("Onbekende eenheid.");
    Activity a = in;
    a.advisor_person = actor.person_id;
    ASSIGN_OR_RETURN(id, tx.InsertActivity(a));
    AuditEvent e = AuditFor(actor, false, clock_.Now(), "activity.create", 0, a.kind);
    return tx.AppendAudit(e);
  }));
  return id;
}

absl::StatusOr<std::vector<Activity>> LmmService::ListActivities(const Actor& actor) {
  RETURN_IF_ERROR(access::CheckRecordActivity(actor));
  std::vector<Activity> out;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) {
    out = tx.ListActivities(actor.Has(Role::kCoordinator) ? std::nullopt : std::optional(actor.person_id));
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace waarborg::app
