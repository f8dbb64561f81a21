#include "monitor/ingest.h"

namespace waarborg::monitor {
namespace {

template <typename Strings>
void InternCommon(const Context& ctx, std::int64_t time, std::string_view terminal, std::string_view case_ref,
                  std::string_view role, std::string_view unit, Action action, QueryType query_type, bool emergency,
                  const Strings& returned, const Strings& opened, Event& out) {
  out.time = time;
  out.terminal = terminal.empty() ? kNoId : ctx.TerminalId(terminal);
  out.case_ref = case_ref.empty() ? kNoId : ctx.CaseId(case_ref);
  out.case_ref_text.assign(case_ref);
  out.role.assign(role);
  out.unit.assign(unit);
  out.action = action;
  out.query_type = query_type;
  out.emergency = emergency;
  out.subjects.clear();
  for (const auto& s : opened.empty() ? returned : opened) out.subjects.push_back(ctx.SubjectId(s));
}

}  // namespace

void Intern(const Context& ctx, const LookupEvent& e, Event& out) {
  out.user = ctx.UserId(e.user);
  InternCommon(ctx, e.time, e.terminal, e.case_ref, e.role, e.unit, e.action, e.query_type, e.emergency,
               e.subjects_returned, e.subjects_opened, out);
}

std::uint32_t Ingestor::UserOf(std::string_view user_id) {
  // absl's heterogeneous look-up takes absl::string_view, not std::string_view.
  auto it = user_ids_.find(absl::string_view(user_id.data(), user_id.size()));
  if (it == user_ids_.end()) it = user_ids_.emplace(user_id, ctx_.UserId(pseudonyms_.Of(user_id))).first;
  return it->second;
}

void Ingestor::Ingest(const EventView& v, Event& out) {
  out.user = UserOf(v.user);
  InternCommon(ctx_, v.time, v.terminal, v.case_ref, v.role, v.unit, v.action, v.query_type, v.emergency,
               v.subjects_returned, v.subjects_opened, out);
}

}  // namespace waarborg::monitor
