#include "adapters/json/case_json.h"

#include <algorithm>

#include "core/common/status.h"

namespace waarborg::json {

using nlohmann::json;

namespace {

json DateOrNull(const std::optional<Date>& d) {
  if (!d) return nullptr;
  return FormatDateIso(*d);
}

absl::Status WrongType(std::string_view field, std::string_view want) {
  return Invalid(Cat("Veld '", field, "' moet ", want, " zijn."));
}

absl::Status GetBool(const json& j, std::string_view key, bool& out, bool required) {
  auto it = j.find(std::string(key));
  if (it == j.end()) {
    return required ? Invalid(Cat("Veld '", key, "' ontbreekt.")) : absl::OkStatus();
  }
  if (!it->is_boolean()) return WrongType(key, "ja/nee (true/false)");
  out = it->get<bool>();
  return absl::OkStatus();
}

absl::Status GetString(const json& j, std::string_view key, std::string& out, bool required,
                       size_t max_len = 20000) {
  auto it = j.find(std::string(key));
  if (it == j.end() || it->is_null()) {
    return required ? Invalid(Cat("Veld '", key, "' ontbreekt.")) : absl::OkStatus();
  }
  if (!it->is_string()) return WrongType(key, "tekst");
  out = it->get<std::string>();
  if (out.size() > max_len) return Invalid(Cat("Veld '", key, "' is te lang."));
  return absl::OkStatus();
}

absl::Status GetKeySet(const json& j, std::string_view key, const std::vector<std::string_view>& allowed,
                       std::set<std::string>& out) {
  auto it = j.find(std::string(key));
  if (it == j.end()) return absl::OkStatus();
  if (!it->is_array()) return WrongType(key, "een lijst");
  for (const auto& v : *it) {
    if (!v.is_string()) return WrongType(key, "een lijst met teksten");
    auto s = v.get<std::string>();
    if (std::find(allowed.begin(), allowed.end(), s) == allowed.end())
      return Invalid(Cat("Onbekende waarde '", s, "' in veld '", key, "'."));
    out.insert(s);
  }
  return absl::OkStatus();
}

absl::Status GetDate(const json& j, std::string_view key, std::optional<Date>& out, bool required) {
  std::string s;
  RETURN_IF_ERROR(GetString(j, key, s, required, 20));
  if (s.empty()) return absl::OkStatus();
  auto d = ParseDate(s);
  if (!d) return Invalid(Cat("Veld '", key, "' is geen geldige datum (dd-mm-jjjj)."));
  out = d;
  return absl::OkStatus();
}

}  // namespace

absl::Status RejectUnknownFields(const json& j, std::initializer_list<std::string_view> allowed) {
  if (!j.is_object()) return Invalid("Verwacht een JSON-object.");
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end())
      return Invalid(Cat("Onbekend veld '", it.key(), "'."));
  }
  return absl::OkStatus();
}

json ToJson(const DefinitionTest& t) {
  return json{{"reasonable_grounds", t.reasonable_grounds},
              {"public_interest", t.public_interest},
              {"harms", t.harms},
              {"exclusions", t.exclusions},
              {"light_violation", t.light_violation},
              {"systematic_or_sensitive", t.systematic_or_sensitive},
              {"referral", t.referral},
              {"notes", t.notes},
              {"passes", PassesDefinitionTest(t)}};
}

absl::StatusOr<DefinitionTest> DefinitionTestFromJson(const json& j) {
  RETURN_IF_ERROR(RejectUnknownFields(j, {"reasonable_grounds", "public_interest", "harms", "exclusions",
                                          "light_violation", "systematic_or_sensitive", "referral",
                                          "notes", "passes"}));
  DefinitionTest t;
  RETURN_IF_ERROR(GetBool(j, "reasonable_grounds", t.reasonable_grounds, true));
  RETURN_IF_ERROR(GetBool(j, "public_interest", t.public_interest, true));
  RETURN_IF_ERROR(GetKeySet(j, "harms", kMisstandHarms, t.harms));
  RETURN_IF_ERROR(GetKeySet(j, "exclusions", kExclusions, t.exclusions));
  RETURN_IF_ERROR(GetBool(j, "light_violation", t.light_violation, false));
  RETURN_IF_ERROR(GetBool(j, "systematic_or_sensitive", t.systematic_or_sensitive, false));
  RETURN_IF_ERROR(GetString(j, "referral", t.referral, false, 40));
  RETURN_IF_ERROR(GetString(j, "notes", t.notes, false));
  if (!t.referral.empty() &&
      std::find(kReferrals.begin(), kReferrals.end(), t.referral) == kReferrals.end())
    return Invalid(Cat("Onbekende doorverwijzing '", t.referral, "'."));
  return t;
}

json ToJson(const Weighing& w) {
  json f = json::object();
  for (const auto& [k, v] : w.findings) f[k] = {{"met", v.met}, {"reasoning", v.reasoning}};
  return json{{"findings", f}, {"expected_end", DateOrNull(w.expected_end)}};
}

absl::StatusOr<Weighing> WeighingFromJson(const json& j) {
  RETURN_IF_ERROR(RejectUnknownFields(j, {"findings", "expected_end"}));
  Weighing w;
  RETURN_IF_ERROR(GetDate(j, "expected_end", w.expected_end, false));
  auto it = j.find("findings");
  if (it != j.end()) {
    if (!it->is_object()) return WrongType("findings", "een object per criterium");
    for (auto f = it->begin(); f != it->end(); ++f) {
      if (std::find(kWeighingCriteria.begin(), kWeighingCriteria.end(), f.key()) ==
          kWeighingCriteria.end())
        return Invalid(Cat("Onbekend wegingscriterium '", f.key(), "'."));
      RETURN_IF_ERROR(RejectUnknownFields(*f, {"met", "reasoning"}));
      Finding fd;
      RETURN_IF_ERROR(GetBool(*f, "met", fd.met, true));
      RETURN_IF_ERROR(GetString(*f, "reasoning", fd.reasoning, true));
      w.findings[f.key()] = fd;
    }
  }
  return w;
}

json ToJson(const Review& r) {
  return json{{"reviewer_person_id", r.reviewer_person_id}, {"by_coordinator", r.by_coordinator},
              {"agrees", r.agrees}, {"opinion", r.opinion}, {"at", r.at}};
}

absl::StatusOr<Review> ReviewFromJson(const json& j) {
  Review r;
  RETURN_IF_ERROR(GetBool(j, "agrees", r.agrees, true));
  RETURN_IF_ERROR(GetString(j, "opinion", r.opinion, true));
  if (j.contains("reviewer_person_id")) r.reviewer_person_id = j["reviewer_person_id"].get<Id>();
  if (j.contains("by_coordinator")) r.by_coordinator = j["by_coordinator"].get<bool>();
  if (j.contains("at")) r.at = j["at"].get<Instant>();
  return r;
}

json ToJson(const Advice& a) {
  return json{{"is_suspected_wrongdoing", a.is_suspected_wrongdoing},
              {"investigate_now", a.investigate_now},
              {"reasoning", a.reasoning},
              {"at", a.at}};
}

absl::StatusOr<Advice> AdviceFromJson(const json& j) {
  Advice a;
  RETURN_IF_ERROR(GetBool(j, "is_suspected_wrongdoing", a.is_suspected_wrongdoing, true));
  RETURN_IF_ERROR(GetBool(j, "investigate_now", a.investigate_now, true));
  RETURN_IF_ERROR(GetString(j, "reasoning", a.reasoning, true));
  if (j.contains("at")) a.at = j["at"].get<Instant>();
  return a;
}

json ToJson(const AuthorityDecision& d) {
  return json{{"adopts_advice", d.adopts_advice}, {"deviation_reasons", d.deviation_reasons},
              {"investigate", d.investigate}, {"notes", d.notes}, {"at", d.at}};
}

absl::StatusOr<AuthorityDecision> DecisionFromJson(const json& j) {
  AuthorityDecision d;
  RETURN_IF_ERROR(GetBool(j, "adopts_advice", d.adopts_advice, true));
  RETURN_IF_ERROR(GetString(j, "deviation_reasons", d.deviation_reasons, false));
  RETURN_IF_ERROR(GetBool(j, "investigate", d.investigate, true));
  RETURN_IF_ERROR(GetString(j, "notes", d.notes, false));
  if (j.contains("at")) d.at = j["at"].get<Instant>();
  return d;
}

json CaseBodyToJson(const LmmCase& c) {
  json j;
  j["subjects"] = c.subject_person_ids;
  j["reviewers"] = c.reviewer_ids;
  if (c.definition_test) j["definition_test"] = ToJson(*c.definition_test);
  if (c.weighing) j["weighing"] = ToJson(*c.weighing);
  j["reviews"] = json::array();
  for (const auto& r : c.reviews) j["reviews"].push_back(ToJson(r));
  if (c.advice) j["advice"] = ToJson(*c.advice);
  if (c.decision) j["decision"] = ToJson(*c.decision);
  return j;
}

absl::Status CaseBodyFromJson(const json& j, LmmCase& c) {
  try {
    c.subject_person_ids = j.value("subjects", std::vector<Id>{});
    c.reviewer_ids = j.value("reviewers", std::vector<Id>{});
    if (j.contains("definition_test")) {
      json t = j["definition_test"];
      t.erase("passes");
      ASSIGN_OR_RETURN(c.definition_test, DefinitionTestFromJson(t));
    }
    if (j.contains("weighing")) { ASSIGN_OR_RETURN(c.weighing, WeighingFromJson(j["weighing"])); }
    c.reviews.clear();
    for (const auto& r : j.value("reviews", json::array())) {
      ASSIGN_OR_RETURN(auto rv, ReviewFromJson(r));
      c.reviews.push_back(rv);
    }
    if (j.contains("advice")) { ASSIGN_OR_RETURN(c.advice, AdviceFromJson(j["advice"])); }
    if (j.contains("decision")) { ASSIGN_OR_RETURN(c.decision, DecisionFromJson(j["decision"])); }
  } catch (const json::exception& e) {
    return absl::DataLossError(Cat("case body: ", e.what()));
  }
  return absl::OkStatus();
}

}  // namespace waarborg::json
