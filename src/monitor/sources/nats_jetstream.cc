#include "monitor/sources/nats_jetstream.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace waarborg::monitor {
namespace {

using nlohmann::json;

// The server's own limit on a control line is 4 KB by default; anything much
// longer without a line end is not the NATS protocol.
constexpr std::size_t kMaxControlLine = 64 * 1024;
// The server's max_payload cannot be set above 64 MB; a larger size is a
// broken stream, not a message to wait for.
constexpr std::int64_t kMaxMessage = 64 * 1024 * 1024;
constexpr absl::Duration kApiTimeout = absl::Seconds(5);
constexpr absl::Duration kSendTimeout = absl::Seconds(10);
// Extra time, beyond a pull request's own expiry, to wait for the server's
// closing 408 before giving up on it.
constexpr absl::Duration kPullGrace = absl::Seconds(1);
constexpr absl::Duration kReconnectPause = absl::Milliseconds(500);

absl::Status ProtocolError(std::string_view what, std::string_view line) {
  return absl::InternalError(absl::StrCat("nats: ", std::string(what), ": ",
                                          std::string(line.substr(0, std::min<std::size_t>(line.size(), 200)))));
}

std::string ErrnoText(std::string_view what) { return absl::StrCat(std::string(what), ": ", std::strerror(errno)); }

bool ParseNumber(std::string_view s, std::int64_t& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && out >= 0;
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  for (absl::string_view f :
       absl::StrSplit(absl::string_view(line.data(), line.size()), absl::ByAnyChar(" \t"), absl::SkipEmpty())) {
    fields.emplace_back(f.data(), f.size());
  }
  return fields;
}

// "NATS/1.0 404 No Messages\r\n..." -> 404, "No Messages"
void ParseStatus(NatsMessage& msg) {
  std::string_view h = msg.headers;
  constexpr std::string_view kVersion = "NATS/1.0";
  if (!h.starts_with(kVersion)) return;
  h.remove_prefix(kVersion.size());
  h = h.substr(0, h.find("\r\n"));
  while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
  if (h.size() < 3) return;
  std::int64_t code = 0;
  if (!ParseNumber(h.substr(0, 3), code)) return;
  msg.status = static_cast<int>(code);
  h.remove_prefix(3);
  while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
  msg.status_description = std::string(h);
}

bool ValidSubject(std::string_view s) { return !s.empty() && s.find_first_of(" \t\r\n") == std::string_view::npos; }

// Stream and consumer names become tokens of $JS.API subjects.
bool ValidName(std::string_view s) { return !s.empty() && s.find_first_of(" \t\r\n.*>") == std::string_view::npos; }

absl::StatusOr<int> Dial(const std::string& host, int port, absl::Duration timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string where = absl::StrCat(host, ":", port);
  if (int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0) {
    return absl::UnavailableError(absl::StrCat("nats: cannot resolve ", where, ": ", gai_strerror(rc)));
  }
  std::string last_error = "no address";
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) {
      last_error = ErrnoText("socket");
      continue;
    }
    // Non-blocking only to bound the connect by `timeout`.
    int rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (rc < 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      rc = poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
      int err = 0;
      socklen_t len = sizeof err;
      if (rc == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) {
        rc = 0;
      } else {
        errno = rc == 0 ? ETIMEDOUT : rc < 0 ? errno : err;
        rc = -1;
      }
    }
    if (rc == 0) {
      fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      timeval send_timeout{static_cast<time_t>(absl::ToInt64Seconds(kSendTimeout)), 0};
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
      freeaddrinfo(found);
      return fd;
    }
    last_error = ErrnoText("connect");
    close(fd);
  }
  freeaddrinfo(found);
  return absl::UnavailableError(absl::StrCat("nats: cannot connect to ", where, ": ", last_error));
}

std::string RandomToken() {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::random_device device;
  std::mt19937_64 gen((static_cast<std::uint64_t>(device()) << 32) ^ device());
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  std::string token(22, ' ');
  for (char& c : token) c = kAlphabet[pick(gen)];
  return token;
}

// "$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>",
// or since server 2.9 possibly with a domain and account hash after "ACK" and
// a random token at the end.
bool ParseAckSubject(std::string_view subject, StreamMessage& out) {
  if (!subject.starts_with("$JS.ACK.")) return false;
  std::vector<std::string_view> tokens;
  for (absl::string_view t : absl::StrSplit(absl::string_view(subject.data(), subject.size()), '.')) {
    tokens.emplace_back(t.data(), t.size());
  }
  std::size_t first = 0;
  if (tokens.size() == 9) {
    first = 4;
  } else if (tokens.size() >= 11) {
    first = 6;
  } else {
    return false;
  }
  std::int64_t deliveries = 0, seq = 0;
  if (!ParseNumber(tokens[first], deliveries) || !ParseNumber(tokens[first + 1], seq)) return false;
  out.deliveries = static_cast<std::uint64_t>(deliveries);
  out.stream_seq = static_cast<std::uint64_t>(seq);
  out.ack_subject = std::string(subject);
  return true;
}

// A $JS.API request; the reply's "error" object, when present, is left to the caller.
absl::StatusOr<json> JsApi(NatsConnection& conn, const std::string& what, const json& body) {
  auto reply = conn.Request("$JS.API." + what, body.is_null() ? "" : body.dump(), kApiTimeout);
  if (!reply.ok()) return reply.status();
  if (reply->status == 503) {
    return absl::UnavailableError("nats: no JetStream answered (is the server started with -js?)");
  }
  json parsed = json::parse(reply->payload, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return ProtocolError("JetStream answered " + what + " with", reply->payload);
  }
  return parsed;
}

// The JetStream error code of an API reply, 0 when it succeeded.
int JsErrorCode(const json& reply) {
  if (!reply.contains("error")) return 0;
  return reply["error"].value("err_code", reply["error"].value("code", -1));
}

absl::Status JsError(std::string_view what, const json& reply) {
  const json& e = reply["error"];
  return absl::FailedPreconditionError(absl::StrCat("JetStream ", std::string(what), ": ",
                                                    e.value("description", std::string("unknown error")), " (",
                                                    e.value("err_code", 0), ")"));
}

constexpr int kStreamNotFound = 10059;
constexpr int kConsumerNotFound = 10014;

}  // namespace

void NatsFrameParser::Feed(std::string_view bytes) {
  buffer_.erase(0, consumed_);
  consumed_ = 0;
  buffer_.append(bytes);
}

absl::StatusOr<std::optional<NatsFrame>> NatsFrameParser::Next() {
  std::string_view rest(buffer_.data() + consumed_, buffer_.size() - consumed_);
  const std::size_t eol = rest.find("\r\n");
  if (eol == std::string_view::npos) {
    if (rest.size() > kMaxControlLine) return ProtocolError("control line too long", rest);
    return std::nullopt;
  }
  const std::string_view line = rest.substr(0, eol);
  const std::size_t body = eol + 2;
  std::vector<std::string_view> fields = Fields(line);
  if (fields.empty()) return ProtocolError("empty control line", line);
  const absl::string_view op(fields[0].data(), fields[0].size());
  NatsFrame frame;
  std::size_t frame_size = body;

  if (absl::EqualsIgnoreCase(op, "PING")) {
    frame.kind = NatsFrame::Kind::kPing;
  } else if (absl::EqualsIgnoreCase(op, "PONG")) {
    frame.kind = NatsFrame::Kind::kPong;
  } else if (absl::EqualsIgnoreCase(op, "+OK")) {
    frame.kind = NatsFrame::Kind::kOk;
  } else if (absl::EqualsIgnoreCase(op, "-ERR")) {
    frame.kind = NatsFrame::Kind::kErr;
    std::string_view text = line.substr(std::min(line.size(), op.size()));
    while (!text.empty() && (text.front() == ' ' || text.front() == '\'')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\'')) text.remove_suffix(1);
    frame.text = std::string(text);
  } else if (absl::EqualsIgnoreCase(op, "INFO")) {
    frame.kind = NatsFrame::Kind::kInfo;
    std::string_view text = line.substr(op.size());
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    frame.text = std::string(text);
  } else if (absl::EqualsIgnoreCase(op, "MSG") || absl::EqualsIgnoreCase(op, "HMSG")) {
    // MSG <subject> <sid> [reply] <#bytes>
    // HMSG <subject> <sid> [reply] <#header bytes> <#total bytes>
    const bool with_headers = op.size() == 4;
    const std::size_t sizes = with_headers ? 2 : 1;
    if (fields.size() != 3 + sizes && fields.size() != 4 + sizes) return ProtocolError("malformed message line", line);
    std::int64_t header_size = 0, total_size = 0;
    if (!ParseNumber(fields.back(), total_size) || total_size > kMaxMessage ||
        (with_headers && (!ParseNumber(fields[fields.size() - 2], header_size) || header_size > total_size))) {
      return ProtocolError("bad sizes in message line", line);
    }
    frame_size = body + static_cast<std::size_t>(total_size) + 2;
    if (rest.size() < frame_size) return std::nullopt;  // the payload is still on its way
    if (rest.substr(frame_size - 2, 2) != "\r\n") return ProtocolError("message not ended by CRLF", line);
    frame.kind = NatsFrame::Kind::kMsg;
    NatsMessage& msg = frame.msg;
    msg.subject = std::string(fields[1]);
    if (!ParseNumber(fields[2], msg.sid)) return ProtocolError("bad subscription id", line);
    if (fields.size() == 4 + sizes) msg.reply = std::string(fields[3]);
    msg.headers = std::string(rest.substr(body, static_cast<std::size_t>(header_size)));
    msg.payload = std::string(
        rest.substr(body + static_cast<std::size_t>(header_size), static_cast<std::size_t>(total_size - header_size)));
    ParseStatus(msg);
  } else {
    return ProtocolError("unknown operation", line);
  }
  consumed_ += frame_size;
  return frame;
}

NatsConnection::NatsConnection(int fd) : fd_(fd) {}

NatsConnection::~NatsConnection() { close(fd_); }

absl::StatusOr<std::unique_ptr<NatsConnection>> NatsConnection::Connect(const std::string& host, int port,
                                                                        absl::Duration timeout) {
  auto fd = Dial(host, port, timeout);
  if (!fd.ok()) return fd.status();
  std::unique_ptr<NatsConnection> conn(new NatsConnection(*fd));
  const absl::Time deadline = absl::Now() + timeout;
  auto info = conn->ReadFrame(deadline);
  if (!info.ok()) return info.status();
  if (info->kind != NatsFrame::Kind::kInfo) return ProtocolError("expected INFO from the server, got", info->text);
  json server = json::parse(info->text, nullptr, /*allow_exceptions=*/false);
  if (server.is_discarded() || !server.is_object()) return ProtocolError("unreadable INFO", info->text);
  // JetStream ends pull requests with header-only status messages.
  if (!server.value("headers", false))
    return absl::FailedPreconditionError("nats: the server does not support headers");
  conn->max_payload_ = server.value("max_payload", conn->max_payload_);
  // no_responders: a request nobody listens to is answered with status 503
  // at once instead of running into its timeout.
  const json hello = {{"verbose", false}, {"pedantic", false}, {"headers", true},       {"no_responders", true},
                      {"protocol", 1},    {"lang", "cpp"},     {"version", "waarborg"}, {"name", "waarborg-monitor"}};
  conn->out_ += "CONNECT " + hello.dump() + "\r\n";
  if (absl::Status st = conn->Flush(deadline - absl::Now()); !st.ok()) return st;
  return conn;
}

absl::Status NatsConnection::Broken(absl::Status why) {
  if (broken_.ok()) broken_ = std::move(why);
  return broken_;
}

absl::Status NatsConnection::SendBuffered() {
  if (!broken_.ok()) return broken_;
  std::size_t sent = 0;
  while (sent < out_.size()) {
    ssize_t n = send(fd_, out_.data() + sent, out_.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Broken(absl::UnavailableError(ErrnoText("nats: send")));
    }
    sent += static_cast<std::size_t>(n);
  }
  out_.clear();
  return absl::OkStatus();
}

absl::StatusOr<NatsFrame> NatsConnection::ReadFrame(absl::Time deadline) {
  std::array<char, 64 * 1024> chunk;
  for (;;) {
    if (!broken_.ok()) return broken_;
    auto next = parser_.Next();
    // Bytes that are not the protocol leave the connection unusable, like a
    // lost one: a new connection starts clean.
    if (!next.ok()) return Broken(absl::UnavailableError(std::string(next.status().message())));
    if (next->has_value()) {
      NatsFrame& frame = **next;
      switch (frame.kind) {
        case NatsFrame::Kind::kPing:
          // Unanswered PINGs make the server close the connection as stale.
          out_ += "PONG\r\n";
          if (absl::Status st = SendBuffered(); !st.ok()) return st;
          ++pings_answered_;
          continue;
        case NatsFrame::Kind::kOk:
          continue;
        case NatsFrame::Kind::kErr:
          return Broken(absl::UnavailableError("nats: the server reported -ERR '" + frame.text + "'"));
        case NatsFrame::Kind::kInfo: {
          json server = json::parse(frame.text, nullptr, /*allow_exceptions=*/false);
          if (server.is_object()) max_payload_ = server.value("max_payload", max_payload_);
          return std::move(frame);
        }
        default:
          return std::move(frame);
      }
    }
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return absl::DeadlineExceededError("nats: no answer in time");
    pollfd p{fd_, POLLIN, 0};
    const int rc = poll(&p, 1, static_cast<int>(std::ceil(absl::ToDoubleMilliseconds(left))));
    if (rc < 0 && errno != EINTR) return Broken(absl::UnavailableError(ErrnoText("nats: poll")));
    if (rc <= 0) continue;
    const ssize_t n = recv(fd_, chunk.data(), chunk.size(), 0);
    if (n == 0) return Broken(absl::UnavailableError("nats: the server closed the connection"));
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return Broken(absl::UnavailableError(ErrnoText("nats: recv")));
    }
    parser_.Feed(std::string_view(chunk.data(), static_cast<std::size_t>(n)));
  }
}

absl::Status NatsConnection::Publish(std::string_view subject, std::string_view payload, std::string_view reply) {
  if (!broken_.ok()) return broken_;
  if (!ValidSubject(subject) || (!reply.empty() && !ValidSubject(reply))) {
    return absl::InvalidArgumentError(absl::StrCat("nats: not a subject: '", std::string(subject), "'"));
  }
  // The server closes the connection of a client that exceeds this.
  if (static_cast<std::int64_t>(payload.size()) > max_payload_) {
    return absl::InvalidArgumentError(
        absl::StrCat("nats: payload of ", payload.size(), " bytes exceeds the server's maximum of ", max_payload_));
  }
  absl::StrAppend(&out_, "PUB ", std::string(subject), reply.empty() ? "" : " ", std::string(reply), " ",
                  payload.size(), "\r\n");
  out_.append(payload);
  out_ += "\r\n";
  if (out_.size() >= 64 * 1024) return SendBuffered();
  return absl::OkStatus();
}

absl::StatusOr<std::int64_t> NatsConnection::Subscribe(std::string_view subject) {
  if (!broken_.ok()) return broken_;
  if (!ValidSubject(subject)) {
    return absl::InvalidArgumentError(absl::StrCat("nats: not a subject: '", std::string(subject), "'"));
  }
  const std::int64_t sid = next_sid_++;
  absl::StrAppend(&out_, "SUB ", std::string(subject), " ", sid, "\r\n");
  return sid;
}

absl::Status NatsConnection::Unsubscribe(std::int64_t sid) {
  if (!broken_.ok()) return broken_;
  absl::StrAppend(&out_, "UNSUB ", sid, "\r\n");
  return absl::OkStatus();
}

absl::StatusOr<NatsMessage> NatsConnection::NextMessage(absl::Time deadline) {
  if (!pending_.empty()) {
    NatsMessage msg = std::move(pending_.front());
    pending_.pop_front();
    return msg;
  }
  if (absl::Status st = SendBuffered(); !st.ok()) return st;
  for (;;) {
    auto frame = ReadFrame(deadline);
    if (!frame.ok()) return frame.status();
    if (frame->kind == NatsFrame::Kind::kMsg) return std::move(frame->msg);
  }
}

absl::StatusOr<std::string> NatsConnection::NewInbox() {
  if (inbox_prefix_.empty()) {
    const std::string prefix = "_INBOX." + RandomToken() + ".";
    auto sid = Subscribe(prefix + "*");
    if (!sid.ok()) return sid.status();
    inbox_prefix_ = prefix;
  }
  return inbox_prefix_ + std::to_string(next_inbox_++);
}

absl::StatusOr<NatsMessage> NatsConnection::Request(std::string_view subject, std::string_view payload,
                                                    absl::Duration timeout) {
  auto inbox = NewInbox();
  if (!inbox.ok()) return inbox.status();
  if (absl::Status st = Publish(subject, payload, *inbox); !st.ok()) return st;
  if (absl::Status st = SendBuffered(); !st.ok()) return st;
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    auto frame = ReadFrame(deadline);
    if (!frame.ok()) return frame.status();
    if (frame->kind != NatsFrame::Kind::kMsg) continue;
    if (frame->msg.subject == *inbox) return std::move(frame->msg);
    pending_.push_back(std::move(frame->msg));
  }
}

absl::Status NatsConnection::Flush(absl::Duration timeout) {
  out_ += "PING\r\n";
  if (absl::Status st = SendBuffered(); !st.ok()) return st;
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    auto frame = ReadFrame(deadline);
    if (!frame.ok()) return frame.status();
    if (frame->kind == NatsFrame::Kind::kPong) return absl::OkStatus();
    if (frame->kind == NatsFrame::Kind::kMsg) pending_.push_back(std::move(frame->msg));
  }
}

NatsJetStreamSource::NatsJetStreamSource(NatsJetStreamOptions options) : options_(std::move(options)) {}

absl::StatusOr<std::unique_ptr<NatsJetStreamSource>> NatsJetStreamSource::Open(NatsJetStreamOptions options) {
  if (!ValidName(options.stream) || !ValidName(options.durable)) {
    return absl::InvalidArgumentError(
        "nats: stream and durable names must be non-empty, without spaces, '.', '*', '>'");
  }
  if (!ValidSubject(options.subject))
    return absl::InvalidArgumentError("nats: the subject must be non-empty, without spaces");
  if (options.batch < 1) return absl::InvalidArgumentError("nats: the batch must be at least 1");
  if (options.fetch_timeout < absl::Milliseconds(10)) {
    return absl::InvalidArgumentError("nats: the fetch timeout must be at least 10 ms");
  }
  std::unique_ptr<NatsJetStreamSource> source(new NatsJetStreamSource(std::move(options)));
  if (absl::Status st = source->Connect(); !st.ok()) return st;
  return source;
}

void NatsJetStreamSource::DropConnection() {
  if (!conn_) return;
  pings_answered_before_ += conn_->pings_answered();
  conn_.reset();
}

absl::Status NatsJetStreamSource::Connect() {
  DropConnection();
  auto conn = NatsConnection::Connect(options_.host, options_.port, options_.connect_timeout);
  if (!conn.ok()) return conn.status();
  conn_ = std::move(*conn);
  if (absl::Status st = EnsureStream(); !st.ok()) return st;
  return EnsureConsumer();
}

absl::Status NatsJetStreamSource::EnsureStream() {
  auto info = JsApi(*conn_, "STREAM.INFO." + options_.stream, nullptr);
  if (!info.ok()) return info.status();
  const int code = JsErrorCode(*info);
  if (code == 0) return absl::OkStatus();
  if (code != kStreamNotFound) return JsError("stream info", *info);
  const json config = {{"name", options_.stream}, {"subjects", {options_.subject}},
                       {"storage", "file"},       {"retention", "limits"},
                       {"discard", "old"},        {"num_replicas", 1}};
  auto created = JsApi(*conn_, "STREAM.CREATE." + options_.stream, config);
  if (!created.ok()) return created.status();
  return JsErrorCode(*created) == 0 ? absl::OkStatus() : JsError("stream create", *created);
}

absl::Status NatsJetStreamSource::EnsureConsumer() {
  const std::string name = options_.stream + "." + options_.durable;
  auto info = JsApi(*conn_, "CONSUMER.INFO." + name, nullptr);
  if (!info.ok()) return info.status();
  const int code = JsErrorCode(*info);
  if (code == 0) return absl::OkStatus();
  if (code != kConsumerNotFound) return JsError("consumer info", *info);
  const json request = {{"stream_name", options_.stream},
                        {"config",
                         {{"durable_name", options_.durable},
                          {"ack_policy", "explicit"},
                          {"ack_wait", absl::ToInt64Nanoseconds(options_.ack_wait)},
                          {"deliver_policy", "all"},
                          {"replay_policy", "instant"}}}};
  auto created = JsApi(*conn_, "CONSUMER.DURABLE.CREATE." + name, request);
  if (!created.ok()) return created.status();
  return JsErrorCode(*created) == 0 ? absl::OkStatus() : JsError("consumer create", *created);
}

absl::StatusOr<std::uint64_t> NatsJetStreamSource::Publish(std::string_view subject, std::string_view payload) {
  if (!conn_) {
    if (absl::Status st = Connect(); !st.ok()) return st;
  }
  auto reply = conn_->Request(subject, payload, kApiTimeout);
  if (!reply.ok()) return reply.status();
  if (reply->status == 503) {
    return absl::FailedPreconditionError(absl::StrCat("nats: no stream takes subject ", std::string(subject)));
  }
  json ack = json::parse(reply->payload, nullptr, /*allow_exceptions=*/false);
  if (ack.is_discarded() || !ack.is_object()) return ProtocolError("JetStream answered a publish with", reply->payload);
  if (JsErrorCode(ack) != 0) return JsError("publish", ack);
  return ack.value("seq", std::uint64_t{0});
}

absl::Status NatsJetStreamSource::Pull(int batch, bool no_wait, std::vector<StreamMessage>& out) {
  auto inbox = conn_->NewInbox();
  if (!inbox.ok()) return inbox.status();
  json request = {{"batch", batch}};
  if (no_wait) {
    request["no_wait"] = true;
  } else {
    request["expires"] = absl::ToInt64Nanoseconds(options_.fetch_timeout);
  }
  const std::string next = absl::StrCat("$JS.API.CONSUMER.MSG.NEXT.", options_.stream, ".", options_.durable);
  if (absl::Status st = conn_->Publish(next, request.dump(), *inbox); !st.ok()) return st;
  const absl::Time deadline = absl::Now() + options_.fetch_timeout + kPullGrace;
  const std::size_t wanted = out.size() + static_cast<std::size_t>(batch);
  while (out.size() < wanted) {
    auto msg = conn_->NextMessage(deadline);
    if (absl::IsDeadlineExceeded(msg.status())) return absl::OkStatus();
    if (!msg.ok()) return msg.status();
    StreamMessage m;
    // A stream message counts even when it answers an earlier pull request
    // that was given up on: it is ours, and dropping it would only delay it
    // until its ack wait ran out.
    if (msg->status == 0 && ParseAckSubject(msg->reply, m)) {
      m.payload = std::move(msg->payload);
      out.push_back(std::move(m));
      continue;
    }
    if (msg->subject != *inbox) continue;  // the late end of an earlier request
    switch (msg->status) {
      case 404:  // no messages (no_wait)
      case 408:  // the request expired
      case 409:  // e.g. the consumer was deleted or too many waiting requests
        return absl::OkStatus();
      case 503:
        return absl::UnavailableError("nats: no consumer answered the pull request");
      default:  // 100 idle heartbeat and the like
        continue;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<StreamMessage>> NatsJetStreamSource::Fetch() {
  if (!conn_) {
    if (absl::Status st = Connect(); !st.ok()) return st;
  }
  std::vector<StreamMessage> out;
  // A waiting request for a whole batch would hold back a partial batch until
  // it expires, so take what is there, and only when that is nothing wait for
  // the first message to come.
  if (absl::Status st = Pull(options_.batch, /*no_wait=*/true, out); !st.ok()) return st;
  if (out.empty()) {
    if (absl::Status st = Pull(1, /*no_wait=*/false, out); !st.ok()) return st;
  }
  return out;
}

absl::Status NatsJetStreamSource::Ack(const StreamMessage& message) {
  if (!conn_) return absl::FailedPreconditionError("nats: not connected; the message will be delivered again");
  return conn_->Publish(message.ack_subject, "+ACK");
}

absl::StatusOr<int> NatsJetStreamSource::Poll(const std::function<void(const StreamMessage&)>& on_message) {
  auto batch = Fetch();
  if (!batch.ok()) return batch.status();
  for (const StreamMessage& m : *batch) {
    on_message(m);
    if (absl::Status st = Ack(m); !st.ok()) return st;
  }
  if (!batch->empty()) {
    if (absl::Status st = conn_->Flush(kApiTimeout); !st.ok()) return st;
  }
  return static_cast<int>(batch->size());
}

absl::Status NatsJetStreamSource::Run(const std::function<void(const StreamMessage&)>& on_message,
                                      const std::function<bool()>& keep_going) {
  while (keep_going()) {
    if (!conn_) {
      absl::Status st = Connect();
      if (!st.ok()) {
        if (!absl::IsUnavailable(st) && !absl::IsDeadlineExceeded(st)) return st;
        DropConnection();
        std::this_thread::sleep_for(absl::ToChronoMilliseconds(kReconnectPause));
        continue;
      }
    }
    auto handled = Poll(on_message);
    if (handled.ok()) continue;
    if (!absl::IsUnavailable(handled.status()) && !absl::IsDeadlineExceeded(handled.status())) return handled.status();
    // The connection is lost; unacked messages come again on the next one.
    DropConnection();
    ++reconnects_;
  }
  return absl::OkStatus();
}

std::int64_t NatsJetStreamSource::pings_answered() const {
  return pings_answered_before_ + (conn_ ? conn_->pings_answered() : 0);
}

}  // namespace waarborg::monitor
