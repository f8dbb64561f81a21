#include "core/audit/audit_chain.h"

#include <iterator>
#include <utility>

#include "fmt/format.h"

namespace waarborg {
namespace {

constexpr std::string_view kCanonicalVersion = "waarborg-audit-v1;";
constexpr std::string_view kCanonicalVersion2 = "waarborg-audit-v2;";
constexpr std::string_view kContentVersion = "waarborg-audit-content-v2;";

void AppendField(std::string* out, std::string_view value) {
  // absl::StrAppend is not used: Debian's abseil has its own string_view.
  fmt::format_to(std::back_inserter(*out), "{}:{};", value.size(), value);
}

}  // namespace

std::string CanonicalForm(const AuditEvent& e) {
  if (!e.content_hash.empty()) {
    std::string out(kCanonicalVersion2);
    AppendField(&out, fmt::format("{}", e.seq));
    AppendField(&out, e.case_id);
    AppendField(&out, e.content_hash);
    AppendField(&out, e.prev_hash);
    return out;
  }
  std::string out(kCanonicalVersion);
  AppendField(&out, fmt::format("{}", e.seq));
  AppendField(&out, fmt::format("{}", e.at));
  AppendField(&out, e.actor);
  AppendField(&out, e.session);
  AppendField(&out, e.action);
  AppendField(&out, e.case_id);
  AppendField(&out, e.detail);
  AppendField(&out, e.prev_hash);
  return out;
}

std::string ComputeEventHash(const AuditEvent& event,
                             const HashFunction& hash) {
  return hash(CanonicalForm(event));
}

std::string ComputeContentHash(const AuditEvent& e, const HashFunction& hash) {
  std::string out(kContentVersion);
  AppendField(&out, e.nonce);
  AppendField(&out, fmt::format("{}", e.at));
  AppendField(&out, e.actor);
  AppendField(&out, e.session);
  AppendField(&out, e.action);
  AppendField(&out, e.detail);
  return hash(out);
}

AuditEvent Redacted(const AuditEvent& e) {
  AuditEvent r;
  r.seq = e.seq;
  r.case_id = e.case_id;
  r.prev_hash = e.prev_hash;
  r.hash = e.hash;
  r.content_hash = e.content_hash;
  r.redacted = true;
  return r;
}

ChainVerifier::ChainVerifier(HashFunction hash)
    : hash_(std::move(hash)), anchored_(false), last_seq_(0) {}

ChainVerifier::ChainVerifier(HashFunction hash, std::int64_t anchor_seq,
                             std::string anchor_hash)
    : hash_(std::move(hash)),
      anchored_(true),
      last_seq_(anchor_seq),
      last_hash_(std::move(anchor_hash)) {}

bool ChainVerifier::Break(std::int64_t seq, std::string_view why) {
  first_broken_seq_ = seq;
  reason_ = std::string(why);
  return false;
}

bool ChainVerifier::Finish() {
  if (!ok()) return false;
  std::int64_t first = 0;
  for (const auto& [case_id, seq] : redacted_cases_)
    if (!destroyed_cases_.count(case_id) && (first == 0 || seq < first)) first = seq;
  if (first != 0) return Break(first, "inhoud geschrapt zonder dat de melding is vernietigd");
  return true;
}

bool ChainVerifier::Feed(const AuditEvent& e) {
  if (!ok()) return false;
  ++events_checked_;
  const bool first = events_checked_ == 1;
  if (first && !anchored_) {
    if (e.seq < 1) return Break(e.seq, "volgnummer ongeldig");
    if (e.seq == 1) {
      anchored_ = true;
      last_hash_ = std::string(kGenesisHash);
    }
    last_seq_ = e.seq - 1;
  }
  const std::int64_t expected = last_seq_ + 1;
  if (e.seq > expected) return Break(expected, "volgnummer ontbreekt");
  if (e.seq < expected)
    return Break(expected, "volgnummer dubbel of niet oplopend");
  // A tail without an anchor cannot check its first prev_hash.
  const bool check_prev = !first || anchored_;
  if (check_prev && e.prev_hash != last_hash_) {
    return Break(e.seq, "prev_hash verwijst niet naar vorige gebeurtenis");
  }
  if (ComputeEventHash(e, hash_) != e.hash) {
    return Break(e.seq, "hash klopt niet (inhoud gewijzigd)");
  }
  if (e.redacted) {
    const bool blank = e.at == 0 && e.actor.empty() && e.session.empty() && e.action.empty() &&
                       e.detail.empty() && e.nonce.empty();
    if (e.content_hash.empty() || e.case_id.empty() || !blank)
      return Break(e.seq, "geschrapte gebeurtenis is onvolledig geschrapt");
    redacted_cases_.emplace(e.case_id, e.seq);
  } else if (!e.content_hash.empty() && ComputeContentHash(e, hash_) != e.content_hash) {
    return Break(e.seq, "hash van de inhoud klopt niet (inhoud gewijzigd)");
  }
  if (!e.redacted && e.action == kCaseDestroyedAction && !e.case_id.empty()) destroyed_cases_.insert(e.case_id);
  last_seq_ = e.seq;
  last_hash_ = e.hash;
  return true;
}

}  // namespace waarborg
