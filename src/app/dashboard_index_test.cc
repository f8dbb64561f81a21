// The dashboards' index in memory (app/dashboard_service.cc): facts are
// packed into rows and one shared array of words, and a changed fact gets
// new words while the old ones are dropped now and then. Whatever the
// history of changes, the figures equal those of a fresh load of the same
// facts, for every role, with the drill-downs; and a load that reads the
// table in storage order still follows the changes made after it.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <sstream>

#include "adapters/crypto/crypto.h"
#include "adapters/crypto/file_key_provider.h"
#include "adapters/sqlite/sqlite_store.h"
#include "adapters/workflow_files/shipped_tracks.h"
#include "app/app_test_support.h"
#include "app/dashboard_service.h"
#include "core/common/status.h"
#include "core/common/strings.h"
#include "core/ports/fake_clock.h"

namespace waarborg::app {
namespace {

using test_support::AddActor;

constexpr Instant kMon23Nov2026 = 1'795'427'200'000;  // Monday 23 November 2026

Date Ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

// Everything a viewer gets: every table, cell and drill link, and the cases
// behind each open state.
std::string Figures(DashboardService& dash, const Actor& a, int year) {
  std::ostringstream out;
  auto v = dash.For(a, {.year = year});
  EXPECT_TRUE(v.ok()) << v.status();
  if (!v.ok()) return "";
  for (const auto& t : v->tables) {
    out << t.id << "|" << t.title << "|" << t.note << "\n";
    for (const auto& c : t.col_labels) out << "[" << c << "]";
    out << "\n";
    for (std::size_t r = 0; r < t.row_labels.size(); ++r) {
      out << t.row_labels[r] << ":";
      for (const auto& c : t.cells[r])
        out << " " << (c.value ? std::to_string(*c.value) : "x") << "{" << c.drill << "}";
      out << "\n";
    }
  }
  for (const auto& track : v->scope.tracks)
    for (const auto& st : workflow_files::ShippedTracks().Find(track)->states)
      for (const char* due : {"", "week", "overdue"}) {
        std::map<std::string, std::string> q{{"track", track}, {"state", st.id}};
        if (*due) q["due"] = due;
        auto d = dash.Drill(a, q);
        EXPECT_TRUE(d.ok()) << d.status();
        if (!d.ok()) continue;
        // The same cases; their order is that of the rows (a long-running
        // index keeps a changed case in its place, a fresh load orders by
        // the last change).
        std::vector<std::string> cases;
        for (const auto& f : *d) cases.push_back(Cat(dashboard::CaseKindName(f.kind), f.case_id, "/", f.unit_id));
        std::sort(cases.begin(), cases.end());
        out << "drill " << track << " " << st.id << " " << due << ":";
        for (const auto& c : cases) out << " " << c;
        out << "\n";
      }
  return out.str();
}

class DashboardIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test_support::OpenTestStore(dir_.path());
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(
        store_
            ->Transact([&](StoreTx& tx) -> absl::Status {
              ASSIGN_OR_RETURN(Id corps, tx.InsertUnit({0, "Politie", UnitKind::kCorps, std::nullopt}));
              units_.push_back(corps);
              for (const char* name : {"Oost", "West"}) {
                ASSIGN_OR_RETURN(Id unit, tx.InsertUnit({0, Cat("Eenheid ", name), UnitKind::kUnit, corps}));
                units_.push_back(unit);
                for (int d = 1; d <= 2; ++d) {
                  ASSIGN_OR_RETURN(Id district,
                                   tx.InsertUnit({0, Cat(name, " district ", d), UnitKind::kDistrict, unit}));
                  units_.push_back(district);
                  for (int t = 1; t <= 2; ++t) {
                    ASSIGN_OR_RETURN(Id team,
                                     tx.InsertUnit({0, Cat(name, " team ", d, ".", t), UnitKind::kTeam, district}));
                    units_.push_back(team);
                    for (int p = 0; p < 20; ++p)
                      RETURN_IF_ERROR(
                          tx.InsertPerson({0, Cat("Medewerker ", p), "Agent", "Schaal 7", team, std::nullopt})
                              .status());
                  }
                }
              }
              authority_ = AddActor(tx, {"korpschef", units_.back(), {Role::kCompetentAuthority}});
              coordinator_ = AddActor(tx, {"coordinator", units_.back(), {Role::kCoordinator}});
              cvp_ = AddActor(tx, {"cvp", units_.back(), {Role::kCentralCounsellor}});
              chief_ = AddActor(tx, {"teamchef", units_.back(), {Role::kVikTeamChief}});
              manager_ = AddActor(tx, {"leiding-oost", units_[3], {Role::kManager}});  // a team of Oost: steers Oost
              return absl::OkStatus();
            })
            .ok());
  }
  void TearDown() override { store_.reset(); }
  // A random fact for case `id`: any track and state, closed or open, with
  // lists of any length (none at all too), in 2025 or 2026.
  dashboard::CaseFact RandomFact(Id id, bool lmm, std::mt19937& rng) {
    static const std::vector<std::pair<std::string, std::vector<std::string>>> kStates = {
        {"investigation", {"commissioned", "notice_given", "heard", "reported", "closed"}},
        {"vik_triage", {"received", "triage", "line_inquiry", "closed", "back_to_line"}},
        {"unwanted_behaviour", {"received", "with_counsellor", "mediation", "evaluation", "closed"}},
        {"complaints_committee", {"received", "acknowledged", "heard", "decided"}},
    };
    static const std::vector<std::string> kLmm = {"registered", "staffed", "weighing", "advised", "closed", "referred"};
    static const std::vector<std::string> kPenalties = {"written_reprimand", "fine", "suspension", "dismissal"};
    static const std::vector<std::string> kRanks = {"executive", "middle_management", "civilian"};
    static const std::vector<std::string> kDelays = {"illness", "capacity", "prosecutor"};
    dashboard::CaseFact f;
    f.kind = lmm ? dashboard::CaseKind::kLmm : dashboard::CaseKind::kTrack;
    f.case_id = id;
    const auto& ts = kStates[rng() % kStates.size()];
    f.track = lmm ? "lmm" : ts.first;
    f.state = lmm ? kLmm[rng() % kLmm.size()] : ts.second[rng() % ts.second.size()];
    f.open = !(f.state == "closed" || f.state == "decided" || f.state == "referred" || f.state == "back_to_line");
    f.unit_id = units_[rng() % units_.size()];
    f.received_on = Ymd(2025 + static_cast<int>(rng() % 2), 1 + rng() % 12, 1 + rng() % 28);
    f.state_since = f.received_on;
    if (!f.open) f.closed_on = Ymd(2026, 1 + rng() % 11, 1 + rng() % 28);
    if (f.open && rng() % 3) f.next_due = Ymd(2026, 11, 10 + rng() % 25);
    for (int i = 0, n = static_cast<int>(rng() % 6); i < n; ++i)
      f.days_in_state.emplace_back(lmm ? kLmm[rng() % 4] : ts.second[rng() % ts.second.size()],
                                   static_cast<int>(rng() % 90));
    if (!lmm && rng() % 2) {
      f.answers["penalty"] = kPenalties[rng() % kPenalties.size()];
      f.answers["rank_category"] = kRanks[rng() % kRanks.size()];
    }
    if (rng() % 4 == 0) f.answers["category"] = "verbal_aggression";
    for (int i = 0, n = static_cast<int>(rng() % 3); i < n; ++i)
      f.delay_days[kDelays[rng() % kDelays.size()]] += 1 + static_cast<int>(rng() % 20);
    return f;
  }
  absl::Status Write(const std::vector<dashboard::CaseFact>& facts) {
    return store_->Transact([&](StoreTx& tx) -> absl::Status {
      for (auto f : facts) {
        f.updated_at = clock_.Now();
        RETURN_IF_ERROR(tx.UpsertCaseFact(f));
      }
      return absl::OkStatus();
    });
  }
  void ExpectSameFigures(DashboardService& a, DashboardService& b) {
    for (const Actor* who : {&authority_, &coordinator_, &cvp_, &chief_, &manager_})
      for (int year : {2025, 2026})
        EXPECT_EQ(Figures(a, *who, year), Figures(b, *who, year)) << who->username << " " << year;
  }

  test_support::TempDir dir_{"waarborg-dash-index"};
  std::unique_ptr<SqliteStore> store_;
  FakeClock clock_{kMon23Nov2026};
  std::vector<Id> units_;
  Actor authority_, coordinator_, cvp_, chief_, manager_;
};

TEST_F(DashboardIndexTest, AfterManyChangesTheFiguresEqualThoseOfAFreshLoad) {
  std::mt19937 rng(5);
  std::vector<dashboard::CaseFact> facts;
  for (Id id = 1; id <= 400; ++id) facts.push_back(RandomFact(id, id % 5 == 0, rng));
  ASSERT_TRUE(Write(facts).ok());
  const auto& tracks = workflow_files::ShippedTracks();
  DashboardService following(*store_, clock_, tracks);
  ASSERT_TRUE(following.Load().ok());
  // Rounds of changes to a random part of the cases (their lists grow and
  // shrink, so the shared words are rewritten and compacted many times),
  // and new cases, each round seen by a refresh.
  Id next_id = 401;
  for (int round = 0; round < 60; ++round) {
    clock_.Advance(1000);
    std::vector<dashboard::CaseFact> changed;
    for (int k = 0; k < 120; ++k) {
      const auto& old = facts[rng() % facts.size()];
      changed.push_back(RandomFact(old.case_id, old.kind == dashboard::CaseKind::kLmm, rng));
    }
    for (int k = 0; k < 3; ++k) changed.push_back(RandomFact(next_id++, false, rng));
    ASSERT_TRUE(Write(changed).ok());
    auto refreshed = following.Refresh();
    ASSERT_TRUE(refreshed.ok()) << refreshed.status();
    EXPECT_TRUE(*refreshed);
  }
  DashboardService fresh(*store_, clock_, tracks);
  ASSERT_TRUE(fresh.Load().ok());
  EXPECT_EQ(following.FactCount(), fresh.FactCount());
  EXPECT_EQ(fresh.FactCount(), static_cast<std::size_t>(next_id - 1));
  ExpectSameFigures(following, fresh);
}

TEST_F(DashboardIndexTest, ALoadInStorageOrderStillFollowsWhatChangesAfterIt) {
  // Rows stored in one order, changed in another: the newest change is not
  // the last row of the table.
  std::mt19937 rng(11);
  std::vector<dashboard::CaseFact> facts;
  for (Id id = 1; id <= 50; ++id) facts.push_back(RandomFact(id, false, rng));
  ASSERT_TRUE(Write(facts).ok());
  clock_.Advance(10);
  ASSERT_TRUE(Write({facts[3], facts[17]}).ok());  // the newest millisecond: two facts, not at the end
  clock_.Advance(10);
  ASSERT_TRUE(Write({facts[1]}).ok());
  DashboardService dash(*store_, clock_, workflow_files::ShippedTracks());
  ASSERT_TRUE(dash.Load().ok());
  // Nothing new: a refresh applies nothing (the newest millisecond is not
  // applied twice).
  auto none = dash.Refresh();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
  // A change in the same millisecond as the newest one seen still arrives.
  ASSERT_TRUE(Write({RandomFact(7, false, rng)}).ok());
  auto some = dash.Refresh();
  ASSERT_TRUE(some.ok());
  EXPECT_TRUE(*some);
  DashboardService fresh(*store_, clock_, workflow_files::ShippedTracks());
  ASSERT_TRUE(fresh.Load().ok());
  ExpectSameFigures(dash, fresh);
}

TEST_F(DashboardIndexTest, AnswersAreListedInTheOrderOfTheTrackFile) {
  // Facts met in the reverse order of the options: the table still lists
  // them as the track file does, so the rows keep their place across loads.
  std::vector<dashboard::CaseFact> facts;
  const std::vector<std::pair<std::string, std::string>> kinds = {
      {"dismissal", "civilian"}, {"fine", "middle_management"}, {"written_reprimand", "executive"}};
  const std::vector<std::string> delays = {"other", "capacity", "illness"};
  Id id = 1;
  for (std::size_t k = 0; k < kinds.size(); ++k)
    for (int i = 0; i < 6; ++i) {
      dashboard::CaseFact f;
      f.kind = dashboard::CaseKind::kTrack;
      f.case_id = id++;
      f.track = "investigation";
      f.state = "closed";
      f.open = false;
      f.unit_id = units_[3];
      f.received_on = Ymd(2026, 2, 1);
      f.state_since = f.received_on;
      f.closed_on = Ymd(2026, 6, 1);
      f.answers = {{"penalty", kinds[k].first}, {"rank_category", kinds[k].second}};
      f.delay_days[delays[k]] = 3;
      facts.push_back(f);
      clock_.Advance(1);
      ASSERT_TRUE(Write({f}).ok());
    }
  DashboardService dash(*store_, clock_, workflow_files::ShippedTracks());
  ASSERT_TRUE(dash.Load().ok());
  auto v = dash.For(authority_, {.year = 2026});
  ASSERT_TRUE(v.ok()) << v.status();
  const DashboardTable* delay_table = nullptr;
  const DashboardTable* penalty_table = nullptr;
  for (const auto& t : v->tables) {
    if (t.id == "delays") delay_table = &t;
    if (t.id == "penalties") penalty_table = &t;
  }
  ASSERT_NE(delay_table, nullptr);
  ASSERT_NE(penalty_table, nullptr);
  EXPECT_EQ(
      delay_table->row_labels,
      (std::vector<std::string>{"Ziekte van de betrokkene", "Onvoldoende onderzoekscapaciteit", "Anders", "Totaal"}));
  EXPECT_EQ(penalty_table->row_labels,
            (std::vector<std::string>{"Schriftelijke berisping", "Geldboete", "Ontslag", "Totaal"}));
  EXPECT_EQ(penalty_table->col_labels, (std::vector<std::string>{"Uitvoerend (aspirant t/m brigadier)",
                                                                 "Middenkader (inspecteur, hoofdinspecteur)",
                                                                 "Niet-executief personeel", "Totaal"}));
}

}  // namespace
}  // namespace waarborg::app
