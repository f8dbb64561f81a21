// Tracks as data at the server's edge (issue 4 §1): the server reads every
// definition in workflows/ at start and refuses to start on an invalid one,
// naming the file and the line; `waarborg tracks check` does the same check
// without starting anything.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "harness.h"

namespace waarborg::testing {
namespace {

namespace fs = std::filesystem;

class TracksAtStart : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("waarborg-tracks-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "data");
    fs::copy(fs::path(WAARBORG_SOURCE_DIR) / "workflows", dir_ / "workflows", fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  void Write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

  // Runs the server; a valid set of tracks would make it serve, so `timeout`
  // ends it and the exit code tells which happened (124: still serving).
  std::string Serve(int* code) {
    return RunCapture("timeout 15 " + std::string(WAARBORG_BINARY) + " serve --port 0 --data " +
                          (dir_ / "data").string() + " --workflows " + (dir_ / "workflows").string() + " 2>&1",
                      code);
  }

  fs::path dir_;
};

TEST_F(TracksAtStart, InvalidDefinitionStopsTheServerNamingFileAndLine) {
  const fs::path lmm = dir_ / "workflows" / "tracks" / "lmm.yaml";
  std::string text = Read(lmm);
  const size_t at = text.find("to: weighing");
  ASSERT_NE(at, std::string::npos);
  // The error names the line of the offending transition.
  const size_t transition = text.rfind("- action:", at);
  ASSERT_NE(transition, std::string::npos);
  const int line =
      1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(transition), '\n'));
  text.replace(at, 12, "to: wegen");
  Write(lmm, text);

  int code = -1;
  const std::string out = Serve(&code);
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("lmm.yaml:" + std::to_string(line) + ":"), std::string::npos)
      << "the message does not name lmm.yaml line " << line << ":\n" << out;
  EXPECT_NE(out.find("wegen"), std::string::npos) << out;
  EXPECT_NE(out.find("de server start niet"), std::string::npos) << out;
  // Nothing was opened: no database was created.
  EXPECT_FALSE(fs::exists(dir_ / "data" / "waarborg.db"));

  // The check command says the same, without starting anything.
  int check = -1;
  const std::string checked = RunCapture(std::string(WAARBORG_BINARY) + " tracks check --workflows " +
                                             (dir_ / "workflows").string() + " 2>&1",
                                         &check);
  EXPECT_EQ(check, 1);
  EXPECT_NE(checked.find("lmm.yaml:" + std::to_string(line) + ":"), std::string::npos) << checked;
}

// The LMM's use cases run on lmm.yaml: a file that is a valid track but does
// not fit the LMM's cases (here: a guard of another track on the advice)
// stops the server too.
TEST_F(TracksAtStart, LmmFileThatDoesNotFitTheReportsStopsTheServer) {
  const fs::path lmm = dir_ / "workflows" / "tracks" / "lmm.yaml";
  std::string text = Read(lmm);
  const std::string guards = "guards: [weighing_complete, coordinator_reviewed, other_vpi_reviewed]";
  const size_t at = text.find(guards);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, guards.size(), "guards: [weighing_complete, complainant_consent]");
  Write(lmm, text);
  int code = -1;
  const std::string out = Serve(&code);
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("lmm.yaml:"), std::string::npos) << out;
  EXPECT_NE(out.find("complainant_consent"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir_ / "data" / "waarborg.db"));
}

TEST_F(TracksAtStart, UnitMayNotLoosenALegalDeadlineAndTheServerSaysWhich) {
  fs::create_directories(dir_ / "workflows" / "units" / "eenheid-oost");
  // The committee's advice is due within a legal 6 weeks of receipt: 8 is looser.
  Write(dir_ / "workflows" / "units" / "eenheid-oost" / "complaints_committee.yaml",
        "track: complaints_committee\ndeadlines:\n  - id: advice\n    amount: 8\n");
  int code = -1;
  const std::string out = Serve(&code);
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("eenheid-oost/complaints_committee.yaml:"), std::string::npos) << out;
  EXPECT_NE(out.find("advice"), std::string::npos) << out;

  // Tightening it is the unit's right: the tracks are valid.
  Write(dir_ / "workflows" / "units" / "eenheid-oost" / "complaints_committee.yaml",
        "track: complaints_committee\ndeadlines:\n  - id: advice\n    amount: 5\n");
  int check = -1;
  const std::string checked = RunCapture(std::string(WAARBORG_BINARY) + " tracks check --workflows " +
                                             (dir_ / "workflows").string() + " 2>&1",
                                         &check);
  EXPECT_EQ(check, 0) << checked;
  EXPECT_NE(checked.find("eenheid-oost"), std::string::npos) << checked;
}

TEST_F(TracksAtStart, ShippedTracksAreValid) {
  int check = -1;
  const std::string out = RunCapture(std::string(WAARBORG_BINARY) + " tracks check --workflows " +
                                         (dir_ / "workflows").string() + " 2>&1",
                                     &check);
  EXPECT_EQ(check, 0) << out;
  for (const char* t : {"lmm", "unwanted_behaviour", "complaints_committee", "vik_triage", "investigation"})
    EXPECT_NE(out.find(std::string(t) + ":"), std::string::npos) << t << " missing:\n" << out;
}

}  // namespace
}  // namespace waarborg::testing
