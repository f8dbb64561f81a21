#include "monitor/sources/nats_jetstream.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_split.h"
#include "monitor/event.h"
#include "monitor/sources/line_sink.h"

extern char** environ;

namespace waarborg::monitor {
namespace {

namespace fs = std::filesystem;

// The server pings every 250 ms and closes a connection that leaves two PINGs
// unanswered, so a fetch that waits a second only survives by answering them.
constexpr char kServerConfig[] = "ping_interval: \"250ms\"\nping_max: 2\n";

std::string FindNatsServer() {
  std::vector<std::string> dirs;
  if (const char* path = std::getenv("PATH")) {
    for (absl::string_view d : absl::StrSplit(path, ':', absl::SkipEmpty())) dirs.emplace_back(d);
  }
  // Debian installs it in /usr/sbin, which is not on every user's PATH.
  dirs.insert(dirs.end(), {"/usr/sbin", "/usr/local/sbin", "/usr/local/bin"});
  for (const std::string& dir : dirs) {
    const fs::path candidate = fs::path(dir) / "nats-server";
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A real nats-server with JetStream in a temporary directory, for the tests
// of one suite.
class NatsServer {
 public:
  static absl::StatusOr<std::unique_ptr<NatsServer>> Start() {
    std::string binary = FindNatsServer();
    if (binary.empty()) {
      return absl::FailedPreconditionError(
          "nats-server is not installed; these tests need a real one: run scripts/deps.sh "
          "(or apt-get install nats-server)");
    }
    std::string dir_template = (fs::temp_directory_path() / "waarborg-nats-XXXXXX").string();
    if (mkdtemp(dir_template.data()) == nullptr) return absl::InternalError("cannot make a temporary directory");
    std::unique_ptr<NatsServer> server(new NatsServer(std::move(binary), dir_template, FreePort()));
    std::ofstream(server->dir_ / "nats.conf") << kServerConfig;
    if (absl::Status st = server->Spawn(); !st.ok()) return st;
    return server;
  }

  ~NatsServer() {
    Stop();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Stops the server and starts it again on the same port and store, as an
  // operator's restart would.
  absl::Status Restart() {
    Stop();
    return Spawn();
  }

  int port() const { return port_; }

 private:
  NatsServer(std::string binary, fs::path dir, int port)
      : binary_(std::move(binary)), dir_(std::move(dir)), port_(port) {}

  absl::Status Spawn() {
    const std::string port = std::to_string(port_);
    const std::string config = (dir_ / "nats.conf").string();
    const std::string store = (dir_ / "jetstream").string();
    const std::string log = (dir_ / "server.log").string();
    std::vector<std::string> args = {binary_, "-c", config, "-js", "-a", "127.0.0.1", "-p", port, "-sd", store};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    const int rc = posix_spawn(&pid_, binary_.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      pid_ = -1;
      return absl::InternalError("cannot start " + binary_ + ": " + std::strerror(rc));
    }
    for (int i = 0; i < 100; ++i) {
      if (Accepts(port_)) return absl::OkStatus();
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return absl::InternalError("nats-server exited at start:\n" + ReadFile(log));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return absl::DeadlineExceededError("nats-server did not accept connections within 5 s:\n" + ReadFile(log));
  }

  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  std::string binary_;
  fs::path dir_;
  int port_;
  pid_t pid_ = -1;
};

std::string EventLine(int i) {
  LookupEvent e;
  e.time = 1'795'000'000 + i;
  e.system = "BVH";
  e.user = "u" + std::to_string(i);
  e.action = Action::kView;
  e.query_type = QueryType::kName;
  e.subjects_opened = {"S" + std::to_string(i)};
  return ToJsonLine(e);
}

class NatsJetStreamTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = NatsServer::Start();
    if (started.ok()) {
      server_ = std::move(*started);
    } else {
      start_error_ = std::string(started.status().message());
    }
  }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override { ASSERT_NE(server_, nullptr) << start_error_; }

  // Each test has a stream of its own on the shared server.
  static NatsJetStreamOptions Options(const NatsServer& server = *server_) {
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    NatsJetStreamOptions o;
    o.port = server.port();
    o.stream = "T_" + name;
    o.subject = "test." + name;
    o.durable = "engine";
    o.batch = 16;
    o.fetch_timeout = absl::Milliseconds(500);
    o.ack_wait = absl::Seconds(1);
    return o;
  }

  // Runs `source` until `sink` has seen `lines` lines, or 5 s passed.
  static void Consume(NatsJetStreamSource& source, LineSink& sink, std::int64_t lines,
                      std::vector<StreamMessage>* handed_on = nullptr) {
    const absl::Time deadline = absl::Now() + absl::Seconds(5);
    absl::Status st = source.Run(
        [&](const StreamMessage& m) {
          if (handed_on != nullptr) handed_on->push_back(m);
          sink.Feed(m.payload, static_cast<std::int64_t>(m.stream_seq));
        },
        [&] { return sink.stats().lines < lines && absl::Now() < deadline; });
    ASSERT_TRUE(st.ok()) << st;
  }

  static inline std::unique_ptr<NatsServer> server_;
  static inline std::string start_error_;
};

TEST_F(NatsJetStreamTest, EventsPublishedToTheSubjectAreAllConsumedInOrderAndParsed) {
  const NatsJetStreamOptions options = Options();
  auto source = NatsJetStreamSource::Open(options);
  ASSERT_TRUE(source.ok()) << source.status();
  constexpr int kEvents = 100;  // more than one batch
  for (int i = 0; i < kEvents; ++i) {
    auto seq = (*source)->Publish(options.subject, EventLine(i));
    ASSERT_TRUE(seq.ok()) << seq.status();
    EXPECT_EQ(*seq, static_cast<std::uint64_t>(i + 1));
  }

  std::vector<std::string> users;
  LineSink sink([&](LookupEvent& e) { users.push_back(e.user); });
  std::vector<StreamMessage> handed_on;
  Consume(**source, sink, kEvents, &handed_on);

  EXPECT_EQ(sink.stats().lines, kEvents);
  EXPECT_EQ(sink.stats().parsed, kEvents);
  EXPECT_EQ(sink.stats().malformed, 0);
  ASSERT_EQ(users.size(), static_cast<std::size_t>(kEvents));
  for (int i = 0; i < kEvents; ++i) {
    EXPECT_EQ(users[i], "u" + std::to_string(i));
    EXPECT_EQ(handed_on[i].stream_seq, static_cast<std::uint64_t>(i + 1));
    EXPECT_EQ(handed_on[i].deliveries, 1u);
  }
}

TEST_F(NatsJetStreamTest, AMalformedLineIsSetAsideWithItsReasonAndTheStreamGoesOn) {
  NatsJetStreamOptions options = Options();
  auto source = NatsJetStreamSource::Open(options);
  ASSERT_TRUE(source.ok()) << source.status();
  for (const std::string& line : {EventLine(1), std::string(R"({"time":"yesterday","user":"u2"})"), EventLine(3)}) {
    ASSERT_TRUE((*source)->Publish(options.subject, line).ok());
  }

  std::vector<std::string> users;
  LineSink sink([&](LookupEvent& e) { users.push_back(e.user); });
  Consume(**source, sink, 3);

  EXPECT_EQ(sink.stats().lines, 3);
  EXPECT_EQ(sink.stats().parsed, 2);
  EXPECT_EQ(sink.stats().malformed, 1);
  EXPECT_EQ(users, (std::vector<std::string>{"u1", "u3"}));
  ASSERT_EQ(sink.stats().set_aside.size(), 1u);
  const MalformedLine& aside = sink.stats().set_aside[0];
  EXPECT_EQ(aside.line_no, 2);  // its stream sequence
  EXPECT_FALSE(aside.reason.empty());
  EXPECT_EQ(aside.line, R"({"time":"yesterday","user":"u2"})");

  // The malformed message was acked too: nothing comes back after the ack wait.
  source->reset();
  options.fetch_timeout = options.ack_wait + absl::Milliseconds(500);
  auto again = NatsJetStreamSource::Open(options);
  ASSERT_TRUE(again.ok()) << again.status();
  auto batch = (*again)->Fetch();
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_TRUE(batch->empty());
}

TEST_F(NatsJetStreamTest, AMessageHandedOnButNotAckedIsDeliveredAgainToANewConnectionWithTheSameDurable) {
  const NatsJetStreamOptions options = Options();
  auto crashing = NatsJetStreamSource::Open(options);
  ASSERT_TRUE(crashing.ok()) << crashing.status();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE((*crashing)->Publish(options.subject, EventLine(i)).ok());
  auto first = (*crashing)->Fetch();
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 3u);
  // The crash: the connection goes before any ack was sent.
  crashing->reset();

  auto restarted = NatsJetStreamSource::Open(options);
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  LineSink sink([](LookupEvent&) {});
  std::vector<StreamMessage> again;
  Consume(**restarted, sink, 3, &again);

  ASSERT_EQ(again.size(), 3u);
  for (std::size_t i = 0; i < again.size(); ++i) {
    EXPECT_EQ(again[i].payload, (*first)[i].payload);
    EXPECT_EQ(again[i].stream_seq, (*first)[i].stream_seq);
    EXPECT_EQ(again[i].deliveries, 2u) << "a redelivery is marked as a possible duplicate";
  }
  EXPECT_EQ(sink.stats().parsed, 3);
}

TEST_F(NatsJetStreamTest, TheServersPingIsAnsweredSoTheConnectionSurvivesAFetchThatWaits) {
  NatsJetStreamOptions options = Options();
  options.fetch_timeout = absl::Milliseconds(1500);  // six ping intervals of the test server
  auto source = NatsJetStreamSource::Open(options);
  ASSERT_TRUE(source.ok()) << source.status();

  auto idle = (*source)->Fetch();
  ASSERT_TRUE(idle.ok()) << idle.status();
  EXPECT_TRUE(idle->empty());
  EXPECT_GE((*source)->pings_answered(), 2);

  ASSERT_TRUE((*source)->Publish(options.subject, EventLine(1)).ok());
  LineSink sink([](LookupEvent&) {});
  auto handled = (*source)->Poll([&](const StreamMessage& m) { sink.Feed(m.payload, m.stream_seq); });
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_EQ(*handled, 1);
  EXPECT_EQ(sink.stats().parsed, 1);
  EXPECT_EQ((*source)->reconnects(), 0);
}

TEST_F(NatsJetStreamTest, RunReopensALostConnectionAndGoesOnWithTheStream) {
  // A server of its own, since this one is restarted.
  auto server = NatsServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  const NatsJetStreamOptions options = Options(**server);
  auto source = NatsJetStreamSource::Open(options);
  ASSERT_TRUE(source.ok()) << source.status();
  for (int i = 0; i < 2; ++i) ASSERT_TRUE((*source)->Publish(options.subject, EventLine(i)).ok());

  std::vector<std::string> users;
  LineSink sink([&](LookupEvent& e) { users.push_back(e.user); });
  bool restarted = false;
  absl::Status restart_status;
  const absl::Time deadline = absl::Now() + absl::Seconds(8);
  absl::Status st =
      (*source)->Run([&](const StreamMessage& m) { sink.Feed(m.payload, m.stream_seq); },
                     [&] {
                       if (sink.stats().lines == 2 && !restarted) {
                         restarted = true;
                         restart_status = (*server)->Restart();
                         auto publisher = NatsJetStreamSource::Open(options);
                         if (!publisher.ok()) restart_status = publisher.status();
                         for (int i = 2; i < 4 && publisher.ok(); ++i) {
                           restart_status.Update((*publisher)->Publish(options.subject, EventLine(i)).status());
                         }
                       }
                       return restart_status.ok() && sink.stats().lines < 4 && absl::Now() < deadline;
                     });
  ASSERT_TRUE(st.ok()) << st;
  ASSERT_TRUE(restart_status.ok()) << restart_status;
  EXPECT_EQ(users, (std::vector<std::string>{"u0", "u1", "u2", "u3"}));
  EXPECT_GE((*source)->reconnects(), 1);
}

TEST_F(NatsJetStreamTest, APlainSubscriptionReceivesUntilUnsubscribed) {
  auto conn = NatsConnection::Connect("127.0.0.1", server_->port(), absl::Seconds(2));
  ASSERT_TRUE(conn.ok()) << conn.status();
  auto sid = (*conn)->Subscribe("plain.news");
  ASSERT_TRUE(sid.ok()) << sid.status();
  ASSERT_TRUE((*conn)->Publish("plain.news", "one").ok());
  auto first = (*conn)->NextMessage(absl::Now() + absl::Seconds(2));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->payload, "one");
  EXPECT_EQ(first->sid, *sid);

  ASSERT_TRUE((*conn)->Unsubscribe(*sid).ok());
  ASSERT_TRUE((*conn)->Publish("plain.news", "two").ok());
  ASSERT_TRUE((*conn)->Flush(absl::Seconds(2)).ok());
  EXPECT_TRUE(absl::IsDeadlineExceeded((*conn)->NextMessage(absl::Now() + absl::Milliseconds(200)).status()));
}

// The bytes below, as the server would send them.
constexpr std::string_view kServerBytes =
    "INFO {\"max_payload\":1048576,\"headers\":true}\r\n"
    "MSG a.b 1 _INBOX.x 5\r\nhello\r\n"
    "PING\r\n"
    "HMSG _INBOX.y 1 28 28\r\nNATS/1.0 404 No Messages\r\n\r\n\r\n"
    "HMSG s 2 $JS.ACK.S.D.1.7.7.1.0 12 17\r\nNATS/1.0\r\n\r\nworld\r\n"
    "-ERR 'Stale Connection'\r\n";

// Takes every complete frame out of `parser`.
void Drain(NatsFrameParser& parser, std::vector<NatsFrame>& into) {
  for (;;) {
    auto next = parser.Next();
    ASSERT_TRUE(next.ok()) << next.status();
    if (!next->has_value()) return;
    into.push_back(std::move(**next));
  }
}

TEST(NatsJetStreamFraming, AFrameSplitAcrossReadsIsReassembled) {
  NatsFrameParser parser;
  std::vector<NatsFrame> frames;
  for (char c : kServerBytes) {
    parser.Feed(std::string_view(&c, 1));
    Drain(parser, frames);
  }
  ASSERT_EQ(frames.size(), 6u);
  EXPECT_EQ(frames[0].kind, NatsFrame::Kind::kInfo);
  EXPECT_EQ(frames[0].text, "{\"max_payload\":1048576,\"headers\":true}");
  EXPECT_EQ(frames[1].kind, NatsFrame::Kind::kMsg);
  EXPECT_EQ(frames[1].msg.subject, "a.b");
  EXPECT_EQ(frames[1].msg.reply, "_INBOX.x");
  EXPECT_EQ(frames[1].msg.payload, "hello");
  EXPECT_EQ(frames[2].kind, NatsFrame::Kind::kPing);
  EXPECT_EQ(frames[3].msg.status, 404);
  EXPECT_EQ(frames[3].msg.status_description, "No Messages");
  EXPECT_TRUE(frames[3].msg.payload.empty());
  EXPECT_EQ(frames[4].msg.status, 0);
  EXPECT_EQ(frames[4].msg.sid, 2);
  EXPECT_EQ(frames[4].msg.reply, "$JS.ACK.S.D.1.7.7.1.0");
  EXPECT_EQ(frames[4].msg.payload, "world");
  EXPECT_EQ(frames[5].kind, NatsFrame::Kind::kErr);
  EXPECT_EQ(frames[5].text, "Stale Connection");

  NatsFrameParser whole;
  whole.Feed(kServerBytes);
  std::vector<NatsFrame> at_once;
  Drain(whole, at_once);
  EXPECT_EQ(at_once.size(), frames.size());
}

TEST(NatsJetStreamFraming, BytesThatAreNotTheProtocolAreAnError) {
  NatsFrameParser parser;
  parser.Feed("HELLO world\r\n");
  EXPECT_FALSE(parser.Next().ok());
  NatsFrameParser short_payload;
  short_payload.Feed("MSG a 1 3\r\nhello\r\n");  // says 3 bytes, carries 5
  EXPECT_FALSE(short_payload.Next().ok());
}

}  // namespace
}  // namespace waarborg::monitor
