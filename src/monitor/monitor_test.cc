// Unit tests of the Protective Monitoring engine, named after the rules.
#include <gtest/gtest.h>

#include <sstream>

#include "monitor/context.h"
#include "monitor/event.h"
#include "monitor/explainers.h"
#include "monitor/ingest.h"
#include "monitor/pseudonym.h"
#include "monitor/rules.h"
#include "monitor/scoring.h"

namespace waarborg::monitor {
namespace {

constexpr std::int64_t kDay = 86400;
// 2026-11-23T10:00:00Z, a Monday.
constexpr std::int64_t kT0 = 20780 * kDay + 10 * 3600;

Context MakeContext() {
  Context ctx;
  StaffMember u;
  u.pseudonym = "u1";
  u.unit = "Eenheid A";
  u.team = "Team 1";
  u.role = "agent";
  u.surname = "de jong";
  u.home_geohash = "u17abc";
  u.roster = {{kT0 - 3 * 3600, kT0 + 5 * 3600}};
  ctx.AddStaff(u);
  ctx.AddSubject({"S-case", "bakker", "u17zzz"});
  ctx.AddSubject({"S-fam", "de jong", "u0xxxx"});
  ctx.AddSubject({"S-neighbour", "visser", "u17abd"});
  Subject vip{"S-vip", "mulder", "u0yyyy"};
  vip.vip = true;
  ctx.AddSubject(vip);
  Subject colleague{"S-col", "smit", "u0zzzz"};
  colleague.colleague = "u2";
  ctx.AddSubject(colleague);
  Subject authored{"S-auth", "meijer", "u0aaaa"};
  authored.authors = {"u1"};
  ctx.AddSubject(authored);
  ctx.AddSubject({"S-plain", "bos", "u0bbbb"});
  ctx.AddSubject({"S-team", "vos", "u0cccc"});
  ctx.AddSubject({"S-disp", "kok", "u0dddd"});
  ctx.AddCase({"Z-1", "Team 1", {kT0 - 10 * kDay, kT0 + 10 * kDay}, {"u1"}, {"S-case"}});
  ctx.AddCase({"Z-2", "Team 1", {kT0 - 10 * kDay, kT0 + 10 * kDay}, {"u9"}, {"S-team"}});
  ctx.AddCase({"Z-3", "Team 7", {kT0 - 10 * kDay, kT0 + 10 * kDay}, {"u7"}, {"S-plain"}});
  ctx.AddDispatch({"u1", "S-disp", kT0 - 3600});
  ctx.Index();
  return ctx;
}

LookupEvent View(std::string subject, std::int64_t t = kT0, std::string user = "u1") {
  LookupEvent e;
  e.time = t;
  e.user = std::move(user);
  e.terminal = "T1";
  e.action = Action::kView;
  e.subjects_opened = {std::move(subject)};
  return e;
}

// `e` (already pseudonymised) as the engine sees it.
Event In(const Context& ctx, const LookupEvent& e) {
  Event out;
  Intern(ctx, e, out);
  return out;
}

bool HasRule(const std::vector<Evidence>& ev, std::string_view rule) {
  for (const auto& e : ev) {
    if (e.rule == rule) return true;
  }
  return false;
}

// ---- parser ----

TEST(MonitorParser, WellFormedLineGivesTheEvent) {
  EventParser p;
  LookupEvent e;
  ASSERT_TRUE(
      p.Parse(
           R"({"time":"2026-11-23T10:00:00Z","system":"BVH","user":"jan","role":"agent","unit":"A",)"
           R"("session":"s1","terminal":"T1","action":"view","query_type":"bsn",)"
           R"("subjects_returned":["S1","S2"],"subjects_opened":["S1"],"case_ref":"Z-1","emergency":true,"extra":{"x":[1]}})",
           e)
          .ok());
  EXPECT_EQ(e.time, kT0);
  EXPECT_EQ(e.user, "jan");
  EXPECT_EQ(e.action, Action::kView);
  EXPECT_EQ(e.query_type, QueryType::kCitizenNumber);
  EXPECT_EQ(e.subjects_returned.size(), 2u);
  EXPECT_EQ(e.subjects_opened[0], "S1");
  EXPECT_EQ(e.case_ref, "Z-1");
  EXPECT_TRUE(e.emergency);
}

TEST(MonitorParser, JsonLineRoundTrips) {
  LookupEvent e = View("S-x");
  e.query_type = QueryType::kPlate;
  e.reason = "controle \"kenteken\"";
  EventParser p;
  LookupEvent back;
  ASSERT_TRUE(p.Parse(ToJsonLine(e), back).ok());
  EXPECT_EQ(back.time, e.time);
  EXPECT_EQ(back.reason, e.reason);
  EXPECT_EQ(back.query_type, QueryType::kPlate);
  EXPECT_EQ(FormatUtcTime(kT0), "2026-11-23T10:00:00Z");
}

TEST(MonitorParser, MalformedLineIsCountedAndSetAside) {
  std::stringstream in;
  in << ToJsonLine(View("S-1")) << "\n"
     << "{not json\n"
     << R"({"time":"2026-11-23T10:00:00Z","user":"x","action":"dance","query_type":"name"})"
     << "\n"
     << R"({"user":"x","action":"view","query_type":"name"})"
     << "\n"
     << "\n"
     << ToJsonLine(View("S-2")) << "\n";
  EventParser p;
  std::vector<std::string> seen;
  StreamStats st = p.ParseStream(in, [&](LookupEvent& e) { seen.push_back(e.subjects_opened[0]); });
  EXPECT_EQ(st.lines, 5);
  EXPECT_EQ(st.parsed, 2);
  EXPECT_EQ(st.malformed, 3);
  ASSERT_EQ(st.set_aside.size(), 3u);
  EXPECT_EQ(st.set_aside[0].line_no, 2);
  EXPECT_NE(st.set_aside[1].reason.find("dance"), std::string::npos);
  EXPECT_EQ(st.set_aside[2].reason, "time is missing");
  EXPECT_EQ(seen, (std::vector<std::string>{"S-1", "S-2"}));
}

// ---- pseudonyms ----

TEST(MonitorPseudonym, SameUserSameKeyGivesSamePseudonymAndNoRealId) {
  auto a = Pseudonymizer::Create(std::string(32, 'k'));
  auto b = Pseudonymizer::Create(std::string(32, 'q'));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->Of("jan.jansen"), a->Of("jan.jansen"));
  EXPECT_NE(a->Of("jan.jansen"), a->Of("piet.pietersen"));
  EXPECT_NE(a->Of("jan.jansen"), b->Of("jan.jansen"));
  EXPECT_EQ(a->Of("jan.jansen").size(), 17u);
  LookupEvent e = View("S", kT0, "jan.jansen");
  a->Apply(e);
  EXPECT_EQ(e.user.find("jan"), std::string::npos);
  EXPECT_FALSE(Pseudonymizer::Create("short").ok());
}

TEST(MonitorPseudonym, IngestionCachesThePseudonymOfEachUserId) {
  auto p = Pseudonymizer::Create(std::string(32, 'k'));
  ASSERT_TRUE(p.ok());
  Context ctx;
  Ingestor in(ctx, *p);
  EventView v;
  v.user = "jan.jansen";
  Event first, again;
  in.Ingest(v, first);
  in.Ingest(v, again);
  EXPECT_EQ(first.user, again.user);
  EXPECT_EQ(ctx.UserName(first.user), p->Of("jan.jansen"));
  v.user = "piet.pietersen";
  in.Ingest(v, again);
  EXPECT_NE(first.user, again.user);
  EXPECT_EQ(in.users(), 2u);
}

// ---- interning ----

TEST(MonitorInterning, IdsRoundTripAndStayWhenTheTableGrows) {
  Interner ids;
  const std::uint32_t a = ids.Intern("S-1");
  const std::uint32_t b = ids.Intern("S-2");
  EXPECT_NE(a, b);
  EXPECT_EQ(ids.Intern("S-1"), a);
  for (int i = 0; i < 10000; ++i) ids.Intern("X-" + std::to_string(i));
  EXPECT_EQ(ids.Find("S-1"), a);
  EXPECT_EQ(ids.Name(a), "S-1");
  EXPECT_EQ(ids.Name(b), "S-2");
  EXPECT_EQ(ids.Find("unknown"), kNoId);
}

TEST(MonitorInterning, EventKeepsUserSubjectsOfInterestAndCaseAsIds) {
  Context ctx = MakeContext();
  LookupEvent e = View("S-case");
  e.subjects_returned = {"S-plain", "S-vip"};
  e.case_ref = "Z-1";
  const Event in = In(ctx, e);
  EXPECT_EQ(ctx.UserName(in.user), "u1");
  ASSERT_EQ(in.subjects.size(), 1u) << "the opened subject, not the returned ones";
  EXPECT_EQ(ctx.SubjectName(in.subjects[0]), "S-case");
  EXPECT_EQ(ctx.SubjectOf(in.subjects[0])->surname, "bakker");
  EXPECT_EQ(ctx.CaseName(in.case_ref), "Z-1");
  e.case_ref = "Z-unknown";
  EXPECT_EQ(In(ctx, e).case_ref, kNoId);
  EXPECT_EQ(In(ctx, e).case_ref_text, "Z-unknown");
}

TEST(MonitorInterning, SubjectAddedAfterIndexIsFoundById) {
  Context ctx = MakeContext();
  const std::uint32_t seen_first = ctx.SubjectId("S-late");  // named by an event before the table had it
  EXPECT_EQ(ctx.SubjectOf(seen_first), nullptr);
  ctx.AddSubject({"S-late", "laat", "u0llll"});
  EXPECT_EQ(ctx.SubjectId("S-late"), seen_first);
  ASSERT_NE(ctx.SubjectOf(seen_first), nullptr);
  EXPECT_EQ(ctx.SubjectOf(seen_first)->surname, "laat");
}

TEST(MonitorParser, ParseViewReadsTheFieldsAndRejectsTrailingGarbage) {
  EventParser p;
  const std::string line = ToJsonLine(View("S-x"));
  EventView v;
  ASSERT_TRUE(p.ParseView(line, v).ok());
  EXPECT_EQ(v.time, kT0);
  EXPECT_EQ(v.user, "u1");
  EXPECT_EQ(v.terminal, "T1");
  ASSERT_EQ(v.subjects_opened.size(), 1u);
  EXPECT_EQ(v.subjects_opened[0], "S-x");
  EXPECT_FALSE(p.ParseView(R"({"time":"2026-11-23T10:00:00Z","user":"x","action":"view"} x})", v).ok());
}

// ---- explainers ----

TEST(MonitorExplainers, LookupOfAssignedCaseSubjectIsExplained) {
  Context ctx = MakeContext();
  Explainers ex(ctx);
  EventVerdict v = ex.Explain(In(ctx, View("S-case")));
  EXPECT_TRUE(v.explained);
  EXPECT_EQ(v.subjects[0].explanation, Explanation::kAssignedCase);
  EXPECT_EQ(ctx.CaseName(v.subjects[0].reference), "Z-1");
}

TEST(MonitorExplainers, DispatchWithinWindowExplainsButNotLater) {
  Context ctx = MakeContext();
  Explainers ex(ctx);
  EXPECT_EQ(ex.ExplainSubject(In(ctx, View("S-disp")), ctx.SubjectId("S-disp")).explanation, Explanation::kDispatch);
  EXPECT_EQ(ex.ExplainSubject(In(ctx, View("S-disp", kT0 + 2 * kDay)), ctx.SubjectId("S-disp")).explanation,
            Explanation::kNone);
}

TEST(MonitorExplainers, OwnTeamHandledSubjectIsExplained) {
  Context ctx = MakeContext();
  Explainers ex(ctx);
  EXPECT_EQ(ex.ExplainSubject(In(ctx, View("S-team")), ctx.SubjectId("S-team")).explanation, Explanation::kTeamHandled);
}

TEST(MonitorExplainers, AuthoredRecordIsExplained) {
  Context ctx = MakeContext();
  Explainers ex(ctx);
  EXPECT_EQ(ex.ExplainSubject(In(ctx, View("S-auth")), ctx.SubjectId("S-auth")).explanation, Explanation::kAuthored);
}

TEST(MonitorExplainers, ValidStatedCaseReferenceExplainsAndInvalidDoesNot) {
  Context ctx = MakeContext();
  Explainers ex(ctx);
  LookupEvent e = View("S-plain");
  e.case_ref = "Z-3";
  EXPECT_EQ(ex.ExplainSubject(In(ctx, e), ctx.SubjectId("S-plain")).explanation, Explanation::kStatedCaseRef);
  e.case_ref = "Z-1";  // exists but does not hold S-plain
  EXPECT_EQ(ex.ExplainSubject(In(ctx, e), ctx.SubjectId("S-plain")).explanation, Explanation::kNone);
}

TEST(MonitorExplainers, CoverageIsShareOfExplainedLookups) {
  Context ctx = MakeContext();
  Explainers ex(ctx);
  ex.Explain(In(ctx, View("S-case")));
  ex.Explain(In(ctx, View("S-team")));
  ex.Explain(In(ctx, View("S-plain")));
  ex.Explain(In(ctx, View("S-vip")));
  EXPECT_EQ(ex.coverage().events, 4);
  EXPECT_DOUBLE_EQ(ex.coverage().Share(), 0.5);
}

// ---- rules ----

std::vector<Evidence> RunRules(const Context& ctx, const LookupEvent& e) {
  Explainers ex(ctx);
  Rules rules(ctx);
  const Event in = In(ctx, e);
  return rules.OnEvent(in, ex.Explain(in));
}

TEST(MonitorRules, SameSurnameUnexplainedLookupGivesEvidence) {
  Context ctx = MakeContext();
  auto ev = RunRules(ctx, View("S-fam"));
  ASSERT_TRUE(HasRule(ev, kRuleSameSurname));
  EXPECT_NE(ev[0].text.find("dezelfde achternaam"), std::string::npos);
  EXPECT_NE(ev[0].clears.find("verklaard als"), std::string::npos);
}

TEST(MonitorRules, ExplainedLookupGivesNoRelationEvidence) {
  Context ctx = MakeContext();
  ctx.cases["Z-1"].subjects.push_back("S-fam");
  ctx.Index();
  EXPECT_TRUE(RunRules(ctx, View("S-fam")).empty());
}

TEST(MonitorRules, NearHomeUnexplainedLookupGivesEvidence) {
  Context ctx = MakeContext();
  EXPECT_TRUE(HasRule(RunRules(ctx, View("S-neighbour")), kRuleNearHome));
}

TEST(MonitorRules, ColleagueRecordUnexplainedLookupGivesEvidence) {
  Context ctx = MakeContext();
  EXPECT_TRUE(HasRule(RunRules(ctx, View("S-col")), kRuleColleague));
}

TEST(MonitorRules, OwnRecordLookupGivesEvidence) {
  Context ctx = MakeContext();
  ctx.subjects["S-col"].colleague = "u1";
  EXPECT_TRUE(HasRule(RunRules(ctx, View("S-col")), kRuleOwnRecord));
}

TEST(MonitorRules, DeclaredRelationUnexplainedLookupGivesEvidence) {
  Context ctx = MakeContext();
  ctx.staff["u1"].declared_relations = {"S-plain"};
  EXPECT_TRUE(HasRule(RunRules(ctx, View("S-plain")), kRuleDeclared));
}

TEST(MonitorRules, VipUnexplainedLookupGivesEvidenceWithCaseToClear) {
  Context ctx = MakeContext();
  LookupEvent e = View("S-vip");
  e.case_ref = "Z-1";
  auto ev = RunRules(ctx, e);
  ASSERT_TRUE(HasRule(ev, kRuleVip));
  EXPECT_NE(ev[0].clears.find("zaak Z-1"), std::string::npos);
}

TEST(MonitorRules, OffRosterUnexplainedLookupGivesEvidence) {
  Context ctx = MakeContext();
  EXPECT_FALSE(HasRule(RunRules(ctx, View("S-plain")), kRuleOffRoster));
  EXPECT_TRUE(HasRule(RunRules(ctx, View("S-plain", kT0 + 9 * 3600)), kRuleOffRoster));
}

TEST(MonitorRules, LeaveUnexplainedLookupGivesEvidence) {
  Context ctx = MakeContext();
  ctx.staff["u1"].leave = {{kT0 - kDay, kT0 + kDay}};
  ctx.staff["u1"].roster.clear();
  EXPECT_TRUE(HasRule(RunRules(ctx, View("S-plain")), kRuleOnLeave));
}

TEST(MonitorRules, LookupInARosteredShiftIsNotOnLeave) {
  Context ctx = MakeContext();
  ctx.staff["u1"].leave = {{kT0 - kDay, kT0 + kDay}};  // the shift at kT0 runs into the leave
  EXPECT_FALSE(HasRule(RunRules(ctx, View("S-plain")), kRuleOnLeave));
}

TEST(MonitorRules, NightUnexplainedLookupGivesEvidence) {
  Context ctx = MakeContext();
  // 02:30 local time = 01:30 UTC.
  EXPECT_TRUE(HasRule(RunRules(ctx, View("S-plain", 20780 * kDay + 5400)), kRuleNight));
}

// A region the user never looked up before: one look-up there is everyday
// work; two different people there without a work relation on one day are a
// series, and then both count.
TEST(MonitorRules, RareRegionIsEvidenceOnlyForASeriesOnOneDay) {
  Context ctx = MakeContext();
  ctx.AddSubject({"S-far1", "de boer", "u9kaaa"});
  ctx.AddSubject({"S-far2", "peters", "u9kbbb"});
  ctx.AddSubject({"S-far3", "hendriks", "u9mccc"});
  ctx.Index();
  Explainers ex(ctx);
  Rules rules(ctx);
  auto run = [&](const LookupEvent& e) {
    const Event in = In(ctx, e);
    return rules.OnEvent(in, ex.Explain(in));
  };
  // Eight days of ordinary work in the home region establish the user.
  for (int d = 0; d < 8; ++d) {
    run(View("S-case", kT0 + d * kDay));
    rules.EndDay(rules.LocalDay(kT0 + d * kDay));
  }
  const std::int64_t t = kT0 + 8 * kDay;
  EXPECT_FALSE(HasRule(run(View("S-far1", t)), kRuleRareRegion)) << "one look-up is not a series";
  EXPECT_FALSE(HasRule(run(View("S-far1", t + 60)), kRuleRareRegion)) << "the same person again is not a series";
  EXPECT_FALSE(HasRule(run(View("S-far3", t + 90)), kRuleRareRegion)) << "another region starts its own series";
  auto series = run(View("S-far2", t + 120));
  int hits = 0;
  for (const auto& ev : series) hits += ev.rule == kRuleRareRegion;
  EXPECT_EQ(hits, 2) << "the held-back first look-up counts with the second";
  // The next day the region is known: no evidence.
  rules.EndDay(rules.LocalDay(t));
  EXPECT_FALSE(HasRule(run(View("S-far1", t + kDay)), kRuleRareRegion));
}

// Summer time: in July 00:30 in Amsterdam is 22:30 UTC, and 06:30 is 04:30.
TEST(MonitorRules, NightFollowsSummerTime) {
  Context ctx = MakeContext();
  const std::int64_t july_1 = 20635 * kDay;  // 2026-07-01T00:00:00Z
  EXPECT_TRUE(HasRule(RunRules(ctx, View("S-plain", july_1 + 22 * 3600 + 1800)), kRuleNight));
  EXPECT_FALSE(HasRule(RunRules(ctx, View("S-plain", july_1 + 4 * 3600 + 1800)), kRuleNight));
  // The same clock times in winter.
  EXPECT_TRUE(HasRule(RunRules(ctx, View("S-plain", kT0 - 10 * 3600 + 23 * 3600 + 1800)), kRuleNight));
  EXPECT_FALSE(HasRule(RunRules(ctx, View("S-plain", kT0 - 10 * 3600 + 5 * 3600 + 1800)), kRuleNight));
}

// A kind of look-up (what was done, searched on what) the user never made in
// the learning days, without a work relation: evidence, once.
TEST(MonitorRules, FirstKindOfLookupIsEvidenceOnceTheUserIsEstablished) {
  Context ctx = MakeContext();
  Explainers ex(ctx);
  Rules rules(ctx);
  auto run = [&](const LookupEvent& e) {
    const Event in = In(ctx, e);
    return rules.OnEvent(in, ex.Explain(in));
  };
  LookupEvent export_bsn = View("S-plain", kT0);
  export_bsn.action = Action::kExport;
  export_bsn.query_type = QueryType::kCitizenNumber;
  EXPECT_FALSE(HasRule(run(export_bsn), kRuleNewKind)) << "not while the user is new";
  for (int d = 1; d < 9; ++d) {
    run(View("S-case", kT0 + d * kDay));
    rules.EndDay(rules.LocalDay(kT0 + d * kDay));
  }
  LookupEvent print_plate = View("S-plain", kT0 + 9 * kDay);
  print_plate.action = Action::kPrint;
  print_plate.query_type = QueryType::kPlate;
  auto ev = run(print_plate);
  ASSERT_TRUE(HasRule(ev, kRuleNewKind));
  bool said = false;
  for (const auto& e : ev)
    if (e.rule == kRuleNewKind) said = e.text.find("afdruk na zoeken op kenteken") != std::string::npos;
  EXPECT_TRUE(said);
  print_plate.time += 60;
  EXPECT_FALSE(HasRule(run(print_plate), kRuleNewKind)) << "the second time it is known";
  export_bsn.time = kT0 + 9 * kDay + 120;
  EXPECT_FALSE(HasRule(run(export_bsn), kRuleNewKind)) << "made in the first days";
  LookupEvent view_name = View("S-plain", kT0 + 9 * kDay + 180);
  EXPECT_FALSE(HasRule(run(view_name), kRuleNewKind)) << "the daily work";
}

// Walking through numbers (plates, registrations) one after another without a
// work relation.
TEST(MonitorRules, SequentialEnumerationIsEvidence) {
  Context ctx = MakeContext();
  for (int n = 1000; n < 1010; ++n) ctx.AddSubject({"K" + std::to_string(n), "", "u0eeee"});
  ctx.AddSubject({"K2000", "", "u0eeee"});
  ctx.Index();
  Explainers ex(ctx);
  Rules rules(ctx);
  auto run = [&](const std::string& subject, std::int64_t t) {
    const Event in = In(ctx, View(subject, t));
    return rules.OnEvent(in, ex.Explain(in));
  };
  int hits = 0;
  for (int i = 0; i < 5; ++i) hits += HasRule(run("K" + std::to_string(1000 + i), kT0 + i * 60), kRuleEnumeration);
  EXPECT_EQ(hits, 1) << "the fifth in a row";
  // Scattered numbers, or too slow, are no enumeration.
  hits = 0;
  const std::string scattered[] = {"K1009", "K2000", "K1005", "K2000", "K1007", "K1006"};
  std::int64_t t = kT0 + 3600;
  for (const auto& s : scattered) hits += HasRule(run(s, t += 60), kRuleEnumeration);
  for (int i = 0; i < 5; ++i) hits += HasRule(run("K" + std::to_string(1000 + i), t += 3600), kRuleEnumeration);
  EXPECT_EQ(hits, 0);
}

TEST(MonitorRules, MedianMadIsRobust) {
  RobustStats r = MedianMad({1, 2, 3, 4, 100});
  EXPECT_DOUBLE_EQ(r.median, 3);
  EXPECT_NEAR(r.mad, 1.4826, 1e-9);
}

// Ten users of the same role and unit; u1 has a steady history then a bulk day.
TEST(MonitorRules, BulkUnexplainedLookupsAgainstOwnBaselineAndPeersGiveEvidence) {
  Context ctx = MakeContext();
  for (int i = 2; i <= 10; ++i) {
    StaffMember s = ctx.staff["u1"];
    s.pseudonym = "u" + std::to_string(i);
    ctx.AddStaff(s);
  }
  ctx.Index();
  Explainers ex(ctx);
  Rules rules(ctx);
  std::vector<std::pair<std::uint32_t, Evidence>> last;
  for (int d = 0; d < 10; ++d) {
    for (int i = 1; i <= 10; ++i) {
      const int n = (d == 9 && i == 1) ? 200 : 2;
      for (int k = 0; k < n; ++k) {
        LookupEvent e = View("S-plain", kT0 + d * kDay + k, "u" + std::to_string(i));
        rules.OnEvent(In(ctx, e), ex.Explain(In(ctx, e)));
      }
    }
    last = rules.EndDay(rules.LocalDay(kT0 + d * kDay));
    if (d < 9) {
      EXPECT_TRUE(last.empty()) << "day " << d;
    }
  }
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(ctx.UserName(last[0].first), "u1");
  EXPECT_EQ(ctx.UserName(last[1].first), "u1");
}

// Busier officers look up more: against peers, unexplained look-ups count per
// unit of explained work, so a busy day with the usual share is no evidence,
// and the same unexplained count without the work is.
TEST(MonitorRules, PeerVolumeIsNormalisedForWorkload) {
  Context ctx = MakeContext();
  for (int i = 2; i <= 10; ++i) {
    StaffMember s = ctx.staff["u1"];
    s.pseudonym = "u" + std::to_string(i);
    ctx.AddStaff(s);
  }
  ctx.cases["Z-1"].assigned = {"u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "u10"};
  ctx.Index();
  Explainers ex(ctx);
  Rules rules(ctx);
  auto day = [&](int explained_u1, int unexplained_u1, std::int64_t t) {
    for (int i = 1; i <= 10; ++i) {
      const std::string user = "u" + std::to_string(i);
      const int explained = i == 1 ? explained_u1 : 20, unexplained = i == 1 ? unexplained_u1 : 2;
      for (int k = 0; k < explained; ++k) {
        LookupEvent e = View("S-case", t + k, user);
        rules.OnEvent(In(ctx, e), ex.Explain(In(ctx, e)));
      }
      for (int k = 0; k < unexplained; ++k) {
        LookupEvent e = View("S-plain", t + 1000 + k, user);
        rules.OnEvent(In(ctx, e), ex.Explain(In(ctx, e)));
      }
    }
    return rules.EndDay(rules.LocalDay(t));
  };
  auto peers = [](const std::vector<std::pair<std::uint32_t, Evidence>>& ev) {
    int n = 0;
    for (const auto& [user, e] : ev) n += e.rule == kRuleVolumePeers;
    return n;
  };
  // A busy day: ten times the work and ten times the unexplained look-ups.
  EXPECT_EQ(peers(day(200, 20, kT0)), 0);
  // The same twenty unexplained look-ups on an ordinary day's work.
  EXPECT_EQ(peers(day(20, 20, kT0 + kDay)), 1);
}

TEST(MonitorRules, NewTerminalWithBurstSignalsTakenOverAccount) {
  Context ctx = MakeContext();
  Explainers ex(ctx);
  Rules rules(ctx);
  for (int d = 0; d < 8; ++d) {
    LookupEvent e = View("S-case", kT0 + d * kDay);
    rules.OnEvent(In(ctx, e), ex.Explain(In(ctx, e)));
    rules.EndDay(rules.LocalDay(e.time));
  }
  bool hit = false;
  for (int k = 0; k < 25; ++k) {
    LookupEvent e = View("S-case", kT0 + 8 * kDay + k * 10);
    e.terminal = "T-new";
    const Event in = In(ctx, e);
    hit |= HasRule(rules.OnEvent(in, ex.Explain(in)), kRuleTakenOver);
  }
  EXPECT_TRUE(hit);
}

// ---- scoring and governance ----

Evidence Ev(std::string rule, int pts, std::string subject = "") {
  return {std::move(rule), pts, std::move(subject), kT0, "tekst", "verklaring"};
}

TEST(MonitorScoring, SameRuleSameSubjectCountsOncePerDayAndScoreDecays) {
  Context ctx = MakeContext();
  ScoringConfig cfg;
  cfg.mode = Mode::kDetection;
  cfg.half_life_days = 1;
  cfg.min_score = 4;
  Scorer s(ctx, cfg);
  s.Add("u1", 10, Ev("r", 4, "S"));
  s.Add("u1", 10, Ev("r", 4, "S"));
  DayReport r = s.CloseDay(10);
  EXPECT_DOUBLE_EQ(s.Score("u1"), 4);
  ASSERT_EQ(r.flags.size(), 1u);
  EXPECT_EQ(r.flags[0].evidence.size(), 1u);
  s.Add("u1", 12, Ev("r", 1, "S"));
  s.CloseDay(12);
  EXPECT_DOUBLE_EQ(s.Score("u1"), 2);  // 4 halved twice, plus 1
}

TEST(MonitorScoring, DetectionModeFlagsOnlyTheDailyTopK) {
  Context ctx = MakeContext();
  ScoringConfig cfg;
  cfg.mode = Mode::kDetection;
  cfg.top_k = 2;
  Scorer s(ctx, cfg);
  for (int i = 1; i <= 5; ++i) s.Add("u" + std::to_string(i), 1, Ev("r", 4 + i));
  DayReport r = s.CloseDay(1);
  ASSERT_EQ(r.flags.size(), 2u);
  EXPECT_EQ(r.flags[0].user, "u5");
  EXPECT_EQ(r.flags[1].user, "u4");
}

TEST(MonitorGovernance, TrendModeProducesNoIndividualFlag) {
  Context ctx = MakeContext();
  ScoringConfig cfg;
  cfg.mode = Mode::kTrend;
  Scorer s(ctx, cfg);
  for (int i = 1; i <= 10; ++i) s.Add("u1", 1, Ev("r", 20, std::to_string(i)));
  DayReport r = s.CloseDay(1);
  EXPECT_EQ(r.mode, Mode::kTrend);
  EXPECT_TRUE(r.flags.empty());
  EXPECT_FALSE(r.aggregates.empty());
}

TEST(MonitorGovernance, TrendAggregatesBelowFiveUsersAreSuppressed) {
  Context ctx = MakeContext();
  for (int i = 2; i <= 6; ++i) {
    StaffMember m = ctx.staff["u1"];
    m.pseudonym = "u" + std::to_string(i);
    ctx.AddStaff(m);
  }
  Scorer s(ctx, ScoringConfig{});
  for (int i = 1; i <= 6; ++i) s.Add("u" + std::to_string(i), 1, Ev("veel", 1));
  for (int i = 1; i <= 4; ++i) s.Add("u" + std::to_string(i), 1, Ev("weinig", 1));
  DayReport r = s.CloseDay(1);
  int checked = 0;
  for (const auto& a : r.aggregates) {
    if (a.rule == "veel") {
      EXPECT_FALSE(a.suppressed);
      EXPECT_EQ(a.users, 6);
      ++checked;
    } else if (a.rule == "weinig") {
      EXPECT_TRUE(a.suppressed);
      EXPECT_EQ(a.users, 0);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 4);  // unit and team for each rule
}

TEST(MonitorEngine, UnexplainedFamilyLookupBecomesAFlagInDetectionMode) {
  Context ctx = MakeContext();
  EngineConfig cfg;
  cfg.scoring.mode = Mode::kDetection;
  std::vector<DayReport> reports;
  Engine engine(ctx, cfg, [&](const DayReport& r) { reports.push_back(r); });
  engine.Process(View("S-case"));
  engine.Process(View("S-fam", kT0 + 60));
  engine.Process(View("S-vip", kT0 + 120));
  engine.Flush();
  ASSERT_EQ(reports.size(), 1u);
  ASSERT_EQ(reports[0].flags.size(), 1u);
  EXPECT_EQ(reports[0].flags[0].user, "u1");
  EXPECT_NEAR(engine.coverage().Share(), 1.0 / 3, 1e-9);
}

// Streaming: the flag is raised when the evidence arrives, not at the day's
// close, and only once a day.
TEST(MonitorEngine, ProvisionalFlagIsRaisedWhenTheScoreCrossesTheThreshold) {
  Context ctx = MakeContext();
  EngineConfig cfg;
  cfg.scoring.mode = Mode::kDetection;
  std::vector<DayReport> reports;
  std::vector<std::pair<std::int64_t, Flag>> provisional;  // events processed when raised, flag
  Engine engine(ctx, cfg, [&](const DayReport& r) { reports.push_back(r); });
  engine.OnProvisionalFlag([&](const Flag& f) { provisional.push_back({engine.events(), f}); });
  engine.Process(View("S-case"));
  engine.Process(View("S-fam", kT0 + 60));  // same surname: 3 points
  EXPECT_TRUE(provisional.empty()) << "3 points is below the threshold of 6";
  engine.Process(View("S-vip", kT0 + 120));  // VIP: 4 more
  ASSERT_EQ(provisional.size(), 1u);
  EXPECT_EQ(provisional[0].first, 3) << "raised while processing the third event";
  EXPECT_EQ(provisional[0].second.user, "u1");
  EXPECT_DOUBLE_EQ(provisional[0].second.score, 7);
  EXPECT_EQ(provisional[0].second.evidence.size(), 2u);
  EXPECT_TRUE(reports.empty()) << "the day is not closed yet";
  engine.Process(View("S-col", kT0 + 180));
  EXPECT_EQ(provisional.size(), 1u) << "once a day";
  engine.Flush();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].flags.size(), 1u) << "the close still ranks the day";
}

TEST(MonitorEngine, TrendModeRaisesNoProvisionalFlag) {
  Context ctx = MakeContext();
  Engine engine(ctx, EngineConfig{}, nullptr);
  int provisional = 0;
  engine.OnProvisionalFlag([&](const Flag&) { ++provisional; });
  engine.Process(View("S-fam"));
  engine.Process(View("S-vip", kT0 + 60));
  engine.Flush();
  EXPECT_EQ(provisional, 0);
}

TEST(MonitorEngine, StateStaysSmallPerActiveUser) {
  Context ctx = MakeContext();
  Engine engine(ctx, EngineConfig{}, nullptr);
  for (int d = 0; d < 40; ++d) {
    for (int k = 0; k < 30; ++k) engine.Process(View(k % 2 ? "S-case" : "S-far", kT0 + d * kDay + k * 60));
  }
  engine.Flush();
  EXPECT_EQ(engine.users(), 1u);
  EXPECT_LT(engine.StateBytes(), 4096u);
}

}  // namespace
}  // namespace waarborg::monitor
