// Real-time monitoring (issue 5 §1-3) as a user meets it: the cases made
// through the use cases show in the figures of the roles that steer them,
// a change shows after the next refresh, small counts never leave the
// service, and a figure drills down only within the viewer's scope.
#include "app/dashboard_service.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "adapters/crypto/crypto.h"
#include "adapters/crypto/file_key_provider.h"
#include "adapters/sqlite/sqlite_store.h"
#include "adapters/workflow_files/shipped_tracks.h"
#include "app/app_test_support.h"
#include "app/track_service.h"
#include "core/common/status.h"
#include "core/ports/fake_clock.h"

namespace waarborg::app {
namespace {

using test_support::AddActor;

constexpr Instant kMon23Nov2026 = 1'795'427'200'000;  // Monday 23 November 2026

class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test_support::OpenTestStore(dir_.path());
    ASSERT_NE(store_, nullptr);
    tracks_ = std::make_unique<TrackService>(*store_, clock_, workflow_files::ShippedTracks());
    dash_ = std::make_unique<DashboardService>(*store_, clock_, workflow_files::ShippedTracks());
    ASSERT_TRUE(
        store_
            ->Transact([&](StoreTx& tx) -> absl::Status {
              ASSIGN_OR_RETURN(Id corps, tx.InsertUnit({0, "Politie", UnitKind::kCorps, std::nullopt}));
              ASSIGN_OR_RETURN(unit_a_, tx.InsertUnit({0, "Eenheid Oost", UnitKind::kUnit, corps}));
              ASSIGN_OR_RETURN(Id district_a, tx.InsertUnit({0, "Oost district 1", UnitKind::kDistrict, unit_a_}));
              ASSIGN_OR_RETURN(team_a_, tx.InsertUnit({0, "Oost team 1", UnitKind::kTeam, district_a}));
              ASSIGN_OR_RETURN(unit_b_, tx.InsertUnit({0, "Eenheid West", UnitKind::kUnit, corps}));
              ASSIGN_OR_RETURN(Id district_b, tx.InsertUnit({0, "West district 1", UnitKind::kDistrict, unit_b_}));
              ASSIGN_OR_RETURN(team_b_, tx.InsertUnit({0, "West team 1", UnitKind::kTeam, district_b}));
              triage_ = AddActor(tx, {"triagist", team_a_, {Role::kTriageOfficer}});
              chief_ = AddActor(tx, {"teamchef", team_a_, {Role::kVikTeamChief}});
              coordinator_ = AddActor(tx, {"coordinator", team_a_, {Role::kCoordinator}});
              cvp_ = AddActor(tx, {"cvp", team_a_, {Role::kCentralCounsellor}});
              manager_b_ = AddActor(tx, {"leiding-west", team_b_, {Role::kManager}});
              korpschef_ = AddActor(tx, {"korpschef", team_a_, {Role::kCompetentAuthority}});
              employee_ = AddActor(tx, {"medewerker", team_a_, {Role::kEmployee}});
              return absl::OkStatus();
            })
            .ok());
  }
  void TearDown() override {
    dash_.reset();
    tracks_.reset();
    store_.reset();
  }

  Id Triage(Id unit) {
    NewTrackCase n;
    n.track = "vik_triage";
    n.unit_id = unit;
    n.summary = "Signaal";
    auto id = tracks_->Create(triage_, n);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or(0);
  }

  const DashboardTable& Table(const DashboardView& v, const std::string& id) {
    for (const auto& t : v.tables)
      if (t.id == id) return t;
    ADD_FAILURE() << "no table " << id;
    static DashboardTable none;
    return none;
  }
  // The published cell of `row_label` (trimmed) and column `col`.
  std::optional<double> Cell(const DashboardTable& t, const std::string& row_label, std::size_t col) {
    for (std::size_t r = 0; r < t.row_labels.size(); ++r) {
      std::string label = t.row_labels[r];
      label.erase(0, label.find_first_not_of(' '));
      if (label == row_label) return t.cells[r][col].value;
    }
    ADD_FAILURE() << "no row " << row_label << " in " << t.id;
    return std::nullopt;
  }

  static std::size_t Col(const DashboardTable& t, const std::string& label) {
    for (std::size_t c = 0; c < t.col_labels.size(); ++c)
      if (t.col_labels[c] == label) return c;
    ADD_FAILURE() << "no column " << label << " in " << t.id;
    return 0;
  }
  // The grand total (bottom right).
  static std::optional<double> GrandTotal(const DashboardTable& t) {
    if (t.cells.empty() || t.row_labels.back() != "Totaal") return std::nullopt;
    return t.cells.back().back().value;
  }
  // Every published count of the count tables is 0 or at least 5.
  static void ExpectNoSmallCount(const DashboardView& v) {
    for (const auto& t : v.tables) {
      if (t.decimals || t.id == "turnaround") continue;  // derived figures
      for (std::size_t r = 0; r < t.cells.size(); ++r)
        for (std::size_t c = 0; c < t.cells[r].size(); ++c)
          if (t.cells[r][c].value && t.col_labels[c] != "Dagen") {
            EXPECT_TRUE(*t.cells[r][c].value == 0 || *t.cells[r][c].value >= 5)
                << t.id << " row " << t.row_labels[r] << " col " << t.col_labels[c];
          }
    }
  }

  test_support::TempDir dir_{"waarborg-dash"};
  std::unique_ptr<SqliteStore> store_;
  FakeClock clock_{kMon23Nov2026};
  std::unique_ptr<TrackService> tracks_;
  std::unique_ptr<DashboardService> dash_;
  Id unit_a_ = 0, team_a_ = 0, unit_b_ = 0, team_b_ = 0;
  Actor triage_, chief_, coordinator_, cvp_, manager_b_, korpschef_, employee_;
};

TEST_F(DashboardTest, ACaseChangeShowsInTheFiguresAtTheNextRefresh) {
  for (int i = 0; i < 7; ++i) Triage(team_a_);
  ASSERT_TRUE(dash_->Load().ok());
  auto v = dash_->For(chief_, {});
  ASSERT_TRUE(v.ok()) << v.status();
  const auto& open = Table(*v, "open_by_state");
  EXPECT_EQ(Cell(open, "Signaal ontvangen", Col(open, "Eenheid Oost")), 7);
  EXPECT_EQ(GrandTotal(open), 7);
  const auto version = dash_->Version();

  // Two more signals and one starts triage: after a refresh, the figures move.
  const Id more = Triage(team_a_);
  Triage(team_a_);
  ASSERT_TRUE(tracks_->Take(triage_, more, 1, "start_triage", {{"source", "manager"}}, {}).ok());
  auto changed = dash_->Refresh();
  ASSERT_TRUE(changed.ok());
  EXPECT_TRUE(*changed);
  EXPECT_GT(dash_->Version(), version);
  v = dash_->For(chief_, {});
  EXPECT_EQ(GrandTotal(Table(*v, "open_by_state")), 9);
  // The one in triage is never shown, nor anything that gives it back.
  ExpectNoSmallCount(*v);
  // Nothing changed since: a refresh says so and the version stays.
  const auto after = dash_->Version();
  EXPECT_FALSE(*dash_->Refresh());
  EXPECT_EQ(dash_->Version(), after);
}

TEST_F(DashboardTest, EachRoleSeesTheFiguresOfTheTracksItSteers) {
  for (int i = 0; i < 6; ++i) Triage(team_a_);
  ASSERT_TRUE(dash_->Load().ok());
  auto row_labels = [&](const Actor& a) {
    auto v = dash_->For(a, {});
    EXPECT_TRUE(v.ok()) << a.username << ": " << v.status();
    std::vector<std::string> out;
    if (v.ok())
      for (auto l : Table(*v, "open_by_state").row_labels)
        if (l.rfind("  ", 0) != 0 && l != "Totaal") out.push_back(l);
    return out;
  };
  EXPECT_EQ(row_labels(coordinator_), (std::vector<std::string>{"Landelijk Meldpunt Misstanden"}));
  const auto& shipped = workflow_files::ShippedTracks();
  EXPECT_EQ(row_labels(chief_),
            (std::vector<std::string>{shipped.Find("investigation")->name, shipped.Find("vik_triage")->name}));
  for (const auto& l : row_labels(cvp_)) {
    EXPECT_NE(l, "Triage VIK");
    EXPECT_NE(l, "Landelijk Meldpunt Misstanden");
  }
  EXPECT_EQ(row_labels(korpschef_).size(), 5u);
  EXPECT_EQ(dash_->For(employee_, {}).status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(DashboardTest, AManagerSeesOnlyTheOwnUnit) {
  for (int i = 0; i < 6; ++i) Triage(team_a_);
  for (int i = 0; i < 5; ++i) Triage(team_b_);
  ASSERT_TRUE(dash_->Load().ok());
  auto v = dash_->For(manager_b_, {});
  ASSERT_TRUE(v.ok()) << v.status();
  const auto& open = Table(*v, "open_by_state");
  EXPECT_EQ(GrandTotal(open), 5) << "West only";
  // Broken down by West's districts; nothing of Oost.
  EXPECT_EQ(open.col_labels, (std::vector<std::string>{"West district 1", "Totaal"}));
  // Drilling down stays in the own unit too.
  auto drill = dash_->Drill(manager_b_, {{"track", "vik_triage"}, {"state", "received"}});
  ASSERT_TRUE(drill.ok()) << drill.status();
  EXPECT_EQ(drill->size(), 5u);
  EXPECT_EQ(dash_->Drill(manager_b_, {{"track", "nope"}}).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(DashboardTest, NoPublishedCellIsASmallCount) {
  for (int i = 0; i < 3; ++i) Triage(team_a_);
  for (int i = 0; i < 9; ++i) Triage(team_b_);
  ASSERT_TRUE(dash_->Load().ok());
  for (const Actor* a : {&chief_, &korpschef_}) {
    auto v = dash_->For(*a, {});
    ASSERT_TRUE(v.ok());
    ExpectNoSmallCount(*v);
    // Oost's 3 open signals are hidden (and with them what would give them back).
    const auto& open = Table(*v, "open_by_state");
    for (std::size_t c = 0; c < open.col_labels.size(); ++c)
      if (open.col_labels[c] == "Eenheid Oost") {
        EXPECT_FALSE(Cell(open, "Signaal ontvangen", c).has_value());
      }
    EXPECT_EQ(GrandTotal(open), 12);
  }
}

}  // namespace
}  // namespace waarborg::app
