// E-mail notices through a real SMTP receiver (issue 3 §3): Debian's
// python3-aiosmtpd on loopback writes what it receives to a maildir; the real
// server sends to it with --smtp-url.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "harness.h"

namespace waarborg::testing {
namespace {

// Debian's python, where python3-aiosmtpd is installed (scripts/deps.sh).
constexpr const char* kPython = "/usr/bin/python3";

bool Connectable(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

// `python3 -m aiosmtpd` with the Mailbox handler: each mail a file in
// <dir>/new, with X-MailFrom and X-RcptTo headers from the envelope.
class SmtpReceiver {
 public:
  SmtpReceiver() {
    dir_ = std::filesystem::temp_directory_path() /
           ("waarborg-smtp-" + std::to_string(getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    port_ = FreePort();
    pid_ = fork();
    if (pid_ == 0) {
      const std::string log = (dir_ / "receiver.log").string();
      FILE* f = freopen(log.c_str(), "w", stdout);
      (void)f;
      dup2(fileno(stdout), STDERR_FILENO);
      const std::string listen = "127.0.0.1:" + std::to_string(port_);
      const std::string maildir = (dir_ / "maildir").string();
      execl(kPython, kPython, "-m", "aiosmtpd", "-n", "-l", listen.c_str(), "-c", "aiosmtpd.handlers.Mailbox",
            maildir.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200 && !Connectable(port_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!Connectable(port_))
      throw std::runtime_error("SMTP receiver did not start (is python3-aiosmtpd installed? scripts/deps.sh)");
  }
  ~SmtpReceiver() {
    Stop();
    std::filesystem::remove_all(dir_);
  }
  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = 0;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }
  int port() const { return port_; }
  // The received mails, raw.
  std::vector<std::string> Mails() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& f : std::filesystem::directory_iterator(dir_ / "maildir" / "new", ec)) {
      std::ifstream in(f.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      out.push_back(ss.str());
    }
    return out;
  }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = 0;
};

std::int64_t UnitId(const Client& c) {
  const json units = c.Get("/api/v1/units").Json()["units"];
  for (const auto& u : units)
    if (u["name"] == "Eenheid Amsterdam") return u["id"].get<std::int64_t>();
  return 0;
}

std::int64_t PersonId(const Client& c) { return c.Get("/api/v1/me").Json()["person_id"].get<std::int64_t>(); }

// Files a report on the public endpoint and returns its case id (found by the
// coordinator) and its reference.
std::pair<std::int64_t, std::string> FileReport(const Server& server, const Client& coordinator,
                                                const std::string& summary, const std::string& email) {
  auto r = Http(server.port(), "POST", "/api/v1/reports",
                json{{"reporter_category", "employee"}, {"summary", summary},
                     {"description", "Beschrijving-Zeearend van " + summary}, {"unit_id", UnitId(coordinator)},
                     {"notify_email", email}}.dump(),
                {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 201) << r.body;
  const json cases = coordinator.Get("/api/v1/cases?state=registered&limit=200").Json()["cases"];
  for (const auto& c : cases)
    if (c["summary"] == summary) return {c["id"].get<std::int64_t>(), c["reference"].get<std::string>()};
  ADD_FAILURE() << "case not found";
  return {0, ""};
}

// Staffs the case with vpi1 as the reporter's VPI (who writes to the reporter).
void Staff(const Client& coordinator, const Client& vpi1, const Client& vpi2, std::int64_t id) {
  const std::string base = "/api/v1/cases/" + std::to_string(id);
  const auto version = coordinator.Get(base).Json()["version"].get<std::int64_t>();
  auto r = coordinator.Post(base + "/staffing", {{"version", version}, {"reporter_advisor_id", PersonId(vpi1)},
                                                 {"weighing_advisor_id", PersonId(vpi2)}});
  ASSERT_EQ(r.status, 200) << r.body;
}

TEST(Mail, ReporterWhoLeftAnAddressGetsANoticeByMailWithoutContent) {
  SmtpReceiver receiver;
  Server server({"--smtp-url", "smtp://127.0.0.1:" + std::to_string(receiver.port()), "--mail-from",
                 "Waarborg <waarborg@politie.example>", "--mail-interval-ms", "200"});
  Client coordinator(server, "coordinator"), vpi1(server, "vpi1"), vpi2(server, "vpi2");
  for (const Client* c : {&coordinator, &vpi1, &vpi2}) ASSERT_TRUE(c->ok()) << c->login_status();

  // With a mail server the intake form offers the notice.
  EXPECT_NE(Http(server.port(), "GET", "/melden").body.find("name=\"email\""), std::string::npos);

  const std::string address = "melder.fuut@example.nl";
  auto [id, reference] = FileReport(server, coordinator, "Samenvatting-Lepelaar", address);
  ASSERT_NE(id, 0);
  Staff(coordinator, vpi1, vpi2, id);
  const std::string messages = "/api/v1/cases/" + std::to_string(id) + "/messages";
  ASSERT_EQ(vpi1.Post(messages, {{"visibility", "team"}, {"text", "Intern-Roerdomp"}}).status, 201);
  ASSERT_EQ(vpi1.Post(messages, {{"visibility", "reporter"}, {"text", "Bericht-Albatros: wanneer was dat?"}}).status,
            201);

  std::vector<std::string> mails;
  for (int i = 0; i < 100 && mails.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    mails = receiver.Mails();
  }
  ASSERT_EQ(mails.size(), 1u) << "no mail within 10 s";
  const std::string& mail = mails[0];
  EXPECT_NE(mail.find("X-RcptTo: " + address), std::string::npos) << mail;
  EXPECT_NE(mail.find("X-MailFrom: waarborg@politie.example"), std::string::npos) << mail;
  EXPECT_NE(mail.find("To: " + address), std::string::npos) << mail;
  EXPECT_NE(mail.find("Subject: Nieuw bericht in Waarborg"), std::string::npos) << mail;
  EXPECT_NE(mail.find("Content-Type: text/plain; charset=utf-8"), std::string::npos) << mail;
  EXPECT_NE(mail.find("Message-ID: <"), std::string::npos) << mail;
  EXPECT_NE(mail.find("Date: "), std::string::npos) << mail;
  EXPECT_NE(mail.find("Er staat een nieuw bericht voor u klaar bij uw melding."), std::string::npos) << mail;
  EXPECT_NE(mail.find("http://localhost:" + std::to_string(server.port()) + "/melden/terug"), std::string::npos)
      << mail;
  for (const std::string& secret :
       {std::string("Albatros"), std::string("Roerdomp"), std::string("Lepelaar"), std::string("Zeearend"), reference,
        std::string("Mirjam"), std::string("LMM-")}) {
    EXPECT_EQ(mail.find(secret), std::string::npos) << secret << " in\n" << mail;
  }

  // Sent once; nothing for the admin to look at; the address is in neither
  // the server's log nor the audit trail.
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_EQ(receiver.Mails().size(), 1u);
  const std::string problems =
      RunCapture(std::string(WAARBORG_BINARY) + " mail problems --data " + server.dir().string());
  EXPECT_NE(problems.find("Geen e-mails met problemen"), std::string::npos) << problems;
  Client auditor(server, "auditor");
  const auto trail = auditor.Get("/api/v1/audit?action=mail.sent&limit=10");
  ASSERT_EQ(trail.status, 200) << trail.body;
  EXPECT_EQ(trail.Json()["events"].size(), 1u) << trail.body;
  EXPECT_EQ(trail.body.find("fuut@"), std::string::npos);
  server.Stop();
  std::ifstream log(server.dir().string() + ".log");
  const std::string logged((std::istreambuf_iterator<char>(log)), {});
  EXPECT_NE(logged.find("mail sent"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("fuut@"), std::string::npos) << logged;
  receiver.Stop();
}

TEST(Mail, UnreachableMailServerIsRetriedAndShownToTheAdmin) {
  const int closed_port = FreePort();  // nothing listens here
  Server server({"--smtp-url", "smtp://127.0.0.1:" + std::to_string(closed_port), "--mail-interval-ms", "200"});
  Client coordinator(server, "coordinator"), vpi1(server, "vpi1"), vpi2(server, "vpi2");
  auto [id, reference] = FileReport(server, coordinator, "Onbezorgbaar", "melder.tureluur@example.nl");
  ASSERT_NE(id, 0);
  Staff(coordinator, vpi1, vpi2, id);
  ASSERT_EQ(vpi1.Post("/api/v1/cases/" + std::to_string(id) + "/messages",
                      {{"visibility", "reporter"}, {"text", "Hallo."}})
                .status,
            201);
  std::string problems;
  for (int i = 0; i < 50; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    problems = RunCapture(std::string(WAARBORG_BINARY) + " mail problems --data " + server.dir().string());
    if (problems.find("pogingen 1") != std::string::npos) break;
  }
  EXPECT_NE(problems.find("melding " + std::to_string(id)), std::string::npos) << problems;
  EXPECT_NE(problems.find("pogingen 1"), std::string::npos) << problems;
  EXPECT_NE(problems.find("niet bereikbaar"), std::string::npos) << problems;
  EXPECT_NE(problems.find("volgende poging"), std::string::npos) << problems;
  EXPECT_EQ(problems.find("tureluur@"), std::string::npos) << problems;
}

}  // namespace
}  // namespace waarborg::testing
