#include "app/learning_service.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "app/service_support.h"
#include "core/common/status.h"
#include "core/common/strings.h"
#include "core/learning/draft.h"

namespace waarborg::app {

namespace {

using learning::Finding;
using learning::LearningCase;
using learning::LearningState;
using learning::LearningTexts;
using learning::TextField;
using workflow::TrackDefinition;

// Learning cases in the audit trail: "leercasus-<id>" (their ids are not
// case ids).
std::string AuditId(Id id) { return Cat("leercasus-", id); }

AuditEvent LearningAudit(const Actor& actor, Instant at, std::string action, Id id, std::string detail = "") {
  AuditEvent e = AuditFor(actor, false, at, std::move(action), 0, std::move(detail));
  e.case_id = AuditId(id);
  return e;
}

std::set<std::string> RoleNamesOf(const Actor& a) {
  std::set<std::string> out;
  for (Role r : a.roles) out.emplace(RoleName(r));
  return out;
}

bool HoldsAnyRole(const Actor& a, const std::vector<std::string>& roles) {
  const auto mine = RoleNamesOf(a);
  return std::any_of(roles.begin(), roles.end(), [&](const std::string& r) { return mine.count(r) > 0; });
}

bool IsParty(std::string_view role) {
  return role == kSubjectParty || role == kComplainantParty || role == kAccusedParty;
}

// Staff: a logged-in person, not a reporter back with a receipt.
bool IsStaff(const Actor& a) { return a.person_id != 0 && a.reporter_case == 0; }

// Whoever may open the case and handles it: a reader of its track, or on its
// case team (a member with a role, not a party to it).
bool HandlesCase(const Actor& a, const TrackDefinition& def, const TrackCase& c) {
  if (!IsStaff(a)) return false;
  if (HoldsAnyRole(a, def.readers)) return true;
  return std::any_of(c.members.begin(), c.members.end(),
                     [&](const TrackMember& m) { return m.person_id == a.person_id && !IsParty(m.role); });
}

// The approvers of learning cases of a track: the readers of that track.
bool IsApproverOf(const Actor& a, const TrackDefinition* def) {
  return IsStaff(a) && def && !def->readers.empty() && HoldsAnyRole(a, def->readers);
}

bool HasComplainant(const TrackCase& c) {
  return std::any_of(c.members.begin(), c.members.end(),
                     [](const TrackMember& m) { return m.role == kComplainantParty; });
}

std::string Trim(std::string_view s) { return std::string(absl::StripAsciiWhitespace(std::string(s))); }

learning::OrgView OrgOf(StoreTx& tx) {
  learning::OrgView org;
  org.units = tx.ListUnits();
  org.staff_in_unit = tx.CountPeopleByTeam(std::nullopt);
  return org;
}

// Everything the case holds that may not reach the learning case.
learning::CaseMaterial MaterialOf(StoreTx& tx, const TrackCase& c, const std::vector<TrackStep>& steps,
                                  const TrackDefinition& def, const learning::Place& place,
                                  const std::string& place_label) {
  learning::CaseMaterial m;
  std::set<Id> people;
  for (const auto& mem : c.members) people.insert(mem.person_id);
  if (c.created_by) people.insert(c.created_by);
  auto person_fields = [&](const std::map<std::string, std::string>& fields) {
    for (const auto& [k, v] : fields) {
      const workflow::FieldDef* f = def.FindField(k);
      if (f && f->type == workflow::FieldType::kPerson) {
        Id id = 0;
        for (char ch : v) id = (ch >= '0' && ch <= '9') ? id * 10 + (ch - '0') : id;
        if (id) people.insert(id);
      }
      if (k == "source_reference" && !v.empty()) m.references.push_back(v);
      // Short text fields that hold names (a representative, a hand-over).
      if (k == "representative" || k == "handed_over_to" || k == "archive_location") m.recorded.push_back(v);
    }
  };
  person_fields(c.fields);
  for (const auto& s : steps) {
    if (s.by_person) people.insert(s.by_person);
    person_fields(s.fields);
  }
  for (Id p : people)
    if (auto person = tx.GetPerson(p); person.ok()) m.people.push_back(person->name);
  m.staff = tx.ListPersonNames();
  m.references.push_back(c.reference);
  for (Id u : place.hidden)
    if (auto unit = tx.GetUnit(u); unit.ok()) m.units.push_back(unit->name);
  m.place = place_label;
  return m;
}

// The checker's findings on `texts`, against the source of learning case `lc`.
absl::StatusOr<std::vector<Finding>> FindingsOf(StoreTx& tx, const LearningCase& lc, const LearningTexts& texts,
                                                const workflow::TrackCatalogue& tracks,
                                                const learning::Policy& policy) {
  ASSIGN_OR_RETURN(learning::LearningSource src, tx.GetLearningSource(lc.id));
  ASSIGN_OR_RETURN(TrackCase c, tx.GetTrackCase(src.case_id));
  const TrackDefinition* def = tracks.Find(c.track);
  if (!def) return absl::FailedPreconditionError(Cat("Het traject '", c.track, "' van de bronzaak ontbreekt."));
  const auto steps = tx.ListTrackSteps(c.id);
  const learning::Place place = learning::GeneralisePlace(OrgOf(tx), c.unit_id, policy);
  const learning::Checker checker(MaterialOf(tx, c, steps, *def, place, lc.place));
  return checker.Check(texts);
}

absl::Status CheckTexts(const LearningTexts& t) {
  for (TextField f : learning::AllTextFields())
    if (learning::TextOf(t, f).size() > learning::kMaxTextBytes)
      return Invalid(Cat(learning::TextFieldLabelNl(f), ": de tekst is te lang (maximaal 20.000 tekens)."));
  return absl::OkStatus();
}

LearningTexts Trimmed(LearningTexts t) {
  for (TextField f : learning::AllTextFields()) learning::TextOf(t, f) = Trim(learning::TextOf(t, f));
  return t;
}

absl::Status CheckComplete(const LearningTexts& t) {
  std::vector<std::string> missing;
  for (TextField f : {TextField::kTitle, TextField::kSituation, TextField::kLessons})
    if (learning::TextOf(t, f).empty()) missing.push_back(std::string(learning::TextFieldLabelNl(f)));
  if (missing.empty()) return absl::OkStatus();
  std::string list;
  for (const auto& m : missing) list += Cat(list.empty() ? "" : ", ", m);
  return Invalid(Cat("Vul eerst in: ", list, "."));
}

constexpr const char* kNotFound = "Deze leercasus bestaat niet of u mag hem niet inzien.";

}  // namespace

LearningService::LearningService(Store& store, const Clock& clock, const workflow::TrackCatalogue& tracks,
                                 learning::Policy policy)
    : store_(store), clock_(clock), tracks_(tracks), policy_(policy) {}

absl::StatusOr<LearningOffer> LearningService::Offer(const Actor& actor, const TrackCase& c) {
  LearningOffer o;
  const TrackDefinition* def = tracks_.Find(c.track);
  if (!def || !HandlesCase(actor, *def, c)) return o;
  if (auto st = learning::CheckAdvancedEnough(*def, c.state); !st.ok()) {
    o.not_yet = std::string(FromAbsl(st.message()));
  } else {
    o.may_start = true;
  }
  o.needs_consent = HasComplainant(c);
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    for (Id id : tx.LearningCasesFrom("track", c.id)) {
      auto lc = tx.GetLearningCase(id);
      if (!lc.ok()) continue;
      if (lc->author == actor.person_id || IsApproverOf(actor, def) || lc->state == LearningState::kPublished)
        o.existing.push_back(id);
    }
    return absl::OkStatus();
  }));
  return o;
}

absl::StatusOr<Id> LearningService::StartDraft(const Actor& actor, Id track_case_id, bool complainant_consents) {
  const Instant now = clock_.Now();
  absl::Status denied;
  Id id = 0;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(TrackCase c, tx.GetTrackCase(track_case_id));
    const TrackDefinition* def = tracks_.Find(c.track);
    if (!def) return absl::FailedPreconditionError(Cat("Het traject '", c.track, "' van deze zaak ontbreekt."));
    const bool may_read = (actor.person_id != 0 && c.IsMember(actor.person_id)) || HoldsAnyRole(actor, def->readers);
    if (!may_read) {
      denied = NotFound("Deze zaak bestaat niet of u mag hem niet inzien.");
      return absl::OkStatus();
    }
    if (!HandlesCase(actor, *def, c)) {
      denied = Forbidden("Alleen wie de zaak behandelt, kan er een leercasus van maken.");
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(learning::CheckAdvancedEnough(*def, c.state));
    if (HasComplainant(c) && !complainant_consents)
      return Invalid(
          "De klager beslist wat er met het verhaal gebeurt. Bevestig dat de klager instemt met een geanonimiseerde "
          "leercasus over deze zaak.");
    const auto steps = tx.ListTrackSteps(c.id);
    const learning::Place place = learning::GeneralisePlace(OrgOf(tx), c.unit_id, policy_);
    const learning::Draft draft = learning::BuildDraft(c, steps, *def, place, policy_, DateInAmsterdam(now));
    LearningCase lc;
    lc.state = LearningState::kDraft;
    lc.track = draft.track;
    lc.place = draft.place;
    lc.period = draft.period;
    lc.duration = draft.duration;
    lc.texts = draft.texts;
    lc.author = actor.person_id;
    lc.created_at = now;
    lc.updated_at = now;
    ASSIGN_OR_RETURN(id, tx.InsertLearningCase(lc, learning::LearningSource{0, "track", c.id}));
    // On the source case's trail, so its history shows that a learning case
    // was made of it (the audit trail is for the auditor only).
    AuditEvent e = AuditFor(actor, false, now, "learning.create", 0,
                            Cat(AuditId(id), HasComplainant(c) ? " (klager stemt in)" : ""));
    e.case_id = Cat("zaak-", c.id);
    return tx.AppendAudit(e);
  }));
  if (!denied.ok()) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, Cat("learning.create_denied:zaak-", track_case_id), 0));
    return denied;
  }
  return id;
}

absl::StatusOr<LearningCaseView> LearningService::Open(const Actor& actor, Id id) {
  LearningCaseView v;
  const Instant now = clock_.Now();
  bool denied = false;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    auto got = tx.GetLearningCase(id);
    if (!got.ok()) {
      if (got.status().code() == absl::StatusCode::kNotFound) return NotFound(kNotFound);
      return got.status();
    }
    v.lc = std::move(*got);
    const TrackDefinition* def = tracks_.Find(v.lc.track);
    v.track_name = def ? def->name : v.lc.track;
    v.state_label = std::string(learning::LearningStateLabelNl(v.lc.state));
    v.is_author = IsStaff(actor) && v.lc.author == actor.person_id;
    v.is_approver = IsApproverOf(actor, def);
    const bool published = v.lc.state == LearningState::kPublished;
    if (!published && !v.is_author && !v.is_approver) {
      denied = true;
      return absl::OkStatus();
    }
    if (!IsStaff(actor)) {
      denied = true;
      return absl::OkStatus();
    }
    if (!v.is_author && !v.is_approver) {
      // A reader of a published learning case: the story only.
      v.lc.author = 0;
      v.lc.approver = 0;
      v.lc.return_reason.clear();
      return absl::OkStatus();  // reading an anonymous story is not audited
    }
    v.may_edit = v.is_author && v.lc.state == LearningState::kDraft;
    v.may_decide = v.is_approver && !v.is_author && v.lc.state == LearningState::kSubmitted;
    v.author_name = PersonName(tx, v.lc.author);
    v.approver_name = PersonName(tx, v.lc.approver);
    if (auto src = tx.GetLearningSource(id); src.ok()) {
      v.source_case_id = src->case_id;
      if (auto c = tx.GetTrackCase(src->case_id); c.ok()) v.source_reference = c->reference;
    }
    if (!published) {
      ASSIGN_OR_RETURN(v.findings, FindingsOf(tx, v.lc, v.lc.texts, tracks_, policy_));
    }
    AuditEvent e = LearningAudit(actor, now, "learning.read", id);
    return tx.AppendAudit(e);
  }));
  if (denied) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, Cat("learning.read_denied:", AuditId(id)), 0));
    return NotFound(kNotFound);
  }
  return v;
}

absl::StatusOr<LearningLists> LearningService::List(const Actor& actor) {
  LearningLists out;
  if (!IsStaff(actor)) return out;
  auto item = [&](learning::LearningCaseSummary s) {
    LearningListItem it;
    const TrackDefinition* def = tracks_.Find(s.track);
    it.track_name = def ? def->name : s.track;
    it.state_label = std::string(learning::LearningStateLabelNl(s.state));
    it.summary = std::move(s);
    return it;
  };
  std::vector<std::string> approves;
  for (const auto& def : tracks_.tracks)
    if (IsApproverOf(actor, &def)) approves.push_back(def.id);
  RETURN_IF_ERROR(store_.Read([&](StoreTx& tx) -> absl::Status {
    learning::LearningCaseQuery pub;
    pub.states = {LearningState::kPublished};
    for (auto& s : tx.ListLearningCases(pub)) {
      s.author = 0;  // readers do not learn who wrote it
      out.published.push_back(item(std::move(s)));
    }
    learning::LearningCaseQuery mine;
    mine.states = {LearningState::kDraft, LearningState::kSubmitted};
    mine.author = actor.person_id;
    for (auto& s : tx.ListLearningCases(mine)) out.mine.push_back(item(std::move(s)));
    if (!approves.empty()) {
      learning::LearningCaseQuery waiting;
      waiting.states = {LearningState::kSubmitted};
      waiting.tracks = approves;
      for (auto& s : tx.ListLearningCases(waiting))
        if (s.author != actor.person_id) out.awaiting.push_back(item(std::move(s)));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Finding>> LearningService::Edit(const Actor& actor, Id id, std::int64_t version,
                                                           const LearningTexts& posted) {
  const Instant now = clock_.Now();
  const LearningTexts texts = Trimmed(posted);
  RETURN_IF_ERROR(CheckTexts(texts));
  absl::Status denied;
  std::vector<Finding> findings;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    auto got = tx.GetLearningCase(id);
    if (!got.ok()) return got.status().code() == absl::StatusCode::kNotFound ? NotFound(kNotFound) : got.status();
    LearningCase lc = std::move(*got);
    const TrackDefinition* def = tracks_.Find(lc.track);
    const bool author = IsStaff(actor) && lc.author == actor.person_id;
    if (!author) {
      denied = IsApproverOf(actor, def) || lc.state == LearningState::kPublished
                   ? Forbidden("Alleen de schrijver kan deze leercasus bewerken.")
                   : NotFound(kNotFound);
      return absl::OkStatus();
    }
    if (lc.version != version)
      return Stale("Deze leercasus is intussen gewijzigd. Laad de pagina opnieuw; uw tekst staat hieronder nog.");
    if (lc.state != LearningState::kDraft)
      return Conflict(lc.state == LearningState::kSubmitted
                          ? "Deze leercasus wacht op goedkeuring en kan niet meer worden bewerkt."
                          : "Deze leercasus is gepubliceerd en kan niet meer worden bewerkt.");
    lc.texts = texts;
    lc.updated_at = now;
    ASSIGN_OR_RETURN(findings, FindingsOf(tx, lc, texts, tracks_, policy_));
    RETURN_IF_ERROR(tx.UpdateLearningCase(lc, version));
    AuditEvent e = LearningAudit(actor, now, "learning.edit", id, Cat(findings.size(), " bevindingen"));
    return tx.AppendAudit(e);
  }));
  if (!denied.ok()) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, Cat("learning.edit_denied:", AuditId(id)), 0));
    return denied;
  }
  return findings;
}

absl::Status LearningService::Submit(const Actor& actor, Id id, std::int64_t version,
                                     const std::optional<LearningTexts>& posted, std::vector<Finding>* findings_out) {
  const Instant now = clock_.Now();
  std::optional<LearningTexts> texts;
  if (posted) {
    texts = Trimmed(*posted);
    RETURN_IF_ERROR(CheckTexts(*texts));
  }
  absl::Status denied;
  std::vector<Finding> findings;
  absl::Status st = store_.Transact([&](StoreTx& tx) -> absl::Status {
    auto got = tx.GetLearningCase(id);
    if (!got.ok()) return got.status().code() == absl::StatusCode::kNotFound ? NotFound(kNotFound) : got.status();
    LearningCase lc = std::move(*got);
    const TrackDefinition* def = tracks_.Find(lc.track);
    if (!(IsStaff(actor) && lc.author == actor.person_id)) {
      denied = IsApproverOf(actor, def) || lc.state == LearningState::kPublished
                   ? Forbidden("Alleen de schrijver kan deze leercasus indienen.")
                   : NotFound(kNotFound);
      return absl::OkStatus();
    }
    if (lc.version != version)
      return Stale("Deze leercasus is intussen gewijzigd. Laad de pagina opnieuw; uw tekst staat hieronder nog.");
    if (lc.state != LearningState::kDraft) return Conflict("Deze leercasus is al ingediend.");
    if (texts) lc.texts = *texts;
    // The findings first: they are what the author has to work on most.
    ASSIGN_OR_RETURN(findings, FindingsOf(tx, lc, lc.texts, tracks_, policy_));
    if (!findings.empty()) return Invalid(kFindingsMessage);
    RETURN_IF_ERROR(CheckComplete(lc.texts));
    lc.state = LearningState::kSubmitted;
    lc.updated_at = now;
    lc.submitted_at = now;
    RETURN_IF_ERROR(tx.UpdateLearningCase(lc, version));
    AuditEvent e = LearningAudit(actor, now, "learning.submit", id);
    return tx.AppendAudit(e);
  });
  if (findings_out) *findings_out = findings;
  RETURN_IF_ERROR(st);
  if (!denied.ok()) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, Cat("learning.submit_denied:", AuditId(id)), 0));
    return denied;
  }
  return absl::OkStatus();
}

absl::Status LearningService::Approve(const Actor& actor, Id id, std::int64_t version,
                                      std::vector<Finding>* findings_out) {
  const Instant now = clock_.Now();
  absl::Status denied;
  std::vector<Finding> findings;
  absl::Status st = store_.Transact([&](StoreTx& tx) -> absl::Status {
    auto got = tx.GetLearningCase(id);
    if (!got.ok()) return got.status().code() == absl::StatusCode::kNotFound ? NotFound(kNotFound) : got.status();
    LearningCase lc = std::move(*got);
    const TrackDefinition* def = tracks_.Find(lc.track);
    const bool author = IsStaff(actor) && lc.author == actor.person_id;
    if (!IsApproverOf(actor, def)) {
      denied = author || lc.state == LearningState::kPublished
                   ? Forbidden("U kunt leercasussen van dit soort zaken niet goedkeuren.")
                   : NotFound(kNotFound);
      return absl::OkStatus();
    }
    if (author) {
      denied = Forbidden(
          "U heeft deze leercasus zelf geschreven. Een tweede persoon moet hem goedkeuren voordat hij wordt "
          "gepubliceerd.");
      return absl::OkStatus();
    }
    if (lc.version != version) return Stale("Deze leercasus is intussen gewijzigd. Laad de pagina opnieuw.");
    if (lc.state != LearningState::kSubmitted)
      return Conflict(lc.state == LearningState::kPublished ? "Deze leercasus is al gepubliceerd."
                                                            : "Deze leercasus is nog niet ingediend.");
    ASSIGN_OR_RETURN(findings, FindingsOf(tx, lc, lc.texts, tracks_, policy_));
    if (!findings.empty()) return Invalid(kFindingsMessage);
    lc.state = LearningState::kPublished;
    lc.approver = actor.person_id;
    lc.return_reason.clear();
    lc.updated_at = now;
    lc.published_at = now;
    RETURN_IF_ERROR(tx.UpdateLearningCase(lc, version));
    AuditEvent e = LearningAudit(actor, now, "learning.approve", id);
    return tx.AppendAudit(e);
  });
  if (findings_out) *findings_out = findings;
  RETURN_IF_ERROR(st);
  if (!denied.ok()) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, Cat("learning.approve_denied:", AuditId(id)), 0));
    return denied;
  }
  return absl::OkStatus();
}

absl::Status LearningService::Return(const Actor& actor, Id id, std::int64_t version, const std::string& reason) {
  const Instant now = clock_.Now();
  const std::string why = Trim(reason);
  if (why.empty()) return Invalid("Schrijf waarom de leercasus terug gaat naar de schrijver.");
  if (why.size() > learning::kMaxTextBytes) return Invalid("De reden is te lang (maximaal 20.000 tekens).");
  absl::Status denied;
  RETURN_IF_ERROR(store_.Transact([&](StoreTx& tx) -> absl::Status {
    auto got = tx.GetLearningCase(id);
    if (!got.ok()) return got.status().code() == absl::StatusCode::kNotFound ? NotFound(kNotFound) : got.status();
    LearningCase lc = std::move(*got);
    const TrackDefinition* def = tracks_.Find(lc.track);
    const bool author = IsStaff(actor) && lc.author == actor.person_id;
    if (!IsApproverOf(actor, def) || author) {
      denied = author || IsApproverOf(actor, def) || lc.state == LearningState::kPublished
                   ? Forbidden(
                         "Alleen een tweede persoon die leercasussen van dit soort zaken goedkeurt, kan hem "
                         "terugsturen.")
                   : NotFound(kNotFound);
      return absl::OkStatus();
    }
    if (lc.version != version) return Stale("Deze leercasus is intussen gewijzigd. Laad de pagina opnieuw.");
    if (lc.state != LearningState::kSubmitted)
      return Conflict("Alleen een ingediende leercasus kan worden teruggestuurd.");
    lc.state = LearningState::kDraft;
    lc.return_reason = why;
    lc.updated_at = now;
    RETURN_IF_ERROR(tx.UpdateLearningCase(lc, version));
    AuditEvent e = LearningAudit(actor, now, "learning.return", id);
    return tx.AppendAudit(e);
  }));
  if (!denied.ok()) {
    RETURN_IF_ERROR(AuditDenial(store_, actor, now, Cat("learning.return_denied:", AuditId(id)), 0));
    return denied;
  }
  return absl::OkStatus();
}

}  // namespace waarborg::app
