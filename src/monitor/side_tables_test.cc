// Side tables as the source systems deliver them (issue 6 §1, §2): real user
// ids in the files, pseudonyms in the engine's Context.
#include "monitor/side_tables.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace waarborg::monitor {
namespace {

class SideTablesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "waarborg-side-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::filesystem::path dir_;
  Pseudonymizer pseud_ = *Pseudonymizer::Create(std::string(32, 'k'));
};

TEST_F(SideTablesTest, UserIdsBecomePseudonymsAtLoad) {
  Context ctx;
  StaffMember s;
  s.pseudonym = pseud_.Of("12345");
  s.unit = "Eenheid Oost";
  s.team = "Team 1";
  s.surname = "de jong";
  s.roster = {{100, 200}};
  ctx.AddStaff(s);
  Subject subj;
  subj.id = "S1";
  subj.vip = true;
  subj.colleague = pseud_.Of("12345");
  subj.authors = {pseud_.Of("777")};
  ctx.AddSubject(subj);
  ctx.AddCase({"Z-1", "Team 1", {10, 20}, {pseud_.Of("12345")}, {"S1"}});
  ctx.AddDispatch({pseud_.Of("12345"), "S1", 15});
  const std::map<std::string, std::string> real = {{pseud_.Of("12345"), "12345"}, {pseud_.Of("777"), "777"}};
  ASSERT_TRUE(WriteSideTables(ctx, dir_, [&](std::string_view p) { return real.at(std::string(p)); }).ok());

  // The files hold the real ids, as a source system would send them.
  std::ifstream staff(dir_ / "staff.jsonl");
  std::string line;
  ASSERT_TRUE(std::getline(staff, line));
  EXPECT_NE(line.find("\"user\":\"12345\""), std::string::npos) << line;
  EXPECT_EQ(line.find(pseud_.Of("12345")), std::string::npos) << line;

  Context loaded;
  SideTableStats st = LoadSideTables(dir_, pseud_, loaded);
  EXPECT_EQ(st.staff, 1);
  EXPECT_EQ(st.subjects, 1);
  EXPECT_EQ(st.cases, 1);
  EXPECT_EQ(st.dispatches, 1);
  EXPECT_EQ(st.malformed, 0);
  const StaffMember* m = loaded.FindStaff(pseud_.Of("12345"));
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->unit, "Eenheid Oost");
  ASSERT_EQ(m->roster.size(), 1u);
  EXPECT_EQ(m->roster[0].end, 200);
  const Subject* back = loaded.FindSubject("S1");
  ASSERT_NE(back, nullptr);
  EXPECT_TRUE(back->vip);
  EXPECT_EQ(back->colleague, pseud_.Of("12345"));
  ASSERT_EQ(back->authors.size(), 1u);
  EXPECT_EQ(back->authors[0], pseud_.Of("777"));
  const CaseFile* c = loaded.FindCase("Z-1");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->assigned, std::vector<std::string>{pseud_.Of("12345")});
}

TEST_F(SideTablesTest, AMalformedLineIsSetAsideAndTheRestLoads) {
  std::ofstream(dir_ / "staff.jsonl") << "{\"user\":\"1\",\"unit\":\"A\"}\n"
                                      << "{\"unit\":\"zonder gebruiker\"}\n"
                                      << "kapot\n"
                                      << "{\"user\":\"2\",\"roster\":[[1]]}\n"
                                      << "{\"user\":\"3\"}\n";
  Context loaded;
  SideTableStats st = LoadSideTables(dir_, pseud_, loaded);
  EXPECT_EQ(st.staff, 2);
  EXPECT_EQ(st.malformed, 3);
  ASSERT_EQ(st.set_aside.size(), 3u);
  EXPECT_EQ(st.set_aside[0].line_no, 2);
  EXPECT_NE(st.set_aside[0].reason.find("staff.jsonl: 'user' ontbreekt"), std::string::npos) << st.set_aside[0].reason;
  EXPECT_EQ(st.set_aside[2].line_no, 4);
  EXPECT_NE(loaded.FindStaff(pseud_.Of("3")), nullptr);
  EXPECT_EQ(loaded.FindStaff(pseud_.Of("2")), nullptr);
}

}  // namespace
}  // namespace waarborg::monitor
