// Protective Monitoring: a NATS JetStream source of look-up events (one JSON
// line per message). Debian 12 packages no NATS client library, so this speaks
// the NATS text protocol over a plain TCP socket (no TLS: meant for a server on
// the same host or a trusted network) and manages JetStream through the
// $JS.API subjects.
//
// Delivery is at least once: a message is acked only after it was handed on,
// so a crash in between delivers it again (see docs/monitoring.md).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace waarborg::monitor {

// A message delivered by the server: MSG, or HMSG when it carries headers.
struct NatsMessage {
  std::string subject;
  std::int64_t sid = 0;
  std::string reply;
  std::string headers;  // the raw header block of an HMSG, "NATS/1.0..." up to its blank line
  std::string payload;
  // The status of a control message, e.g. 404 "No Messages" or 408 "Request
  // Timeout" ending a JetStream pull request, 503 when no one listens; 0 when none.
  int status = 0;
  std::string status_description;
};

// One unit of the server-to-client protocol.
struct NatsFrame {
  enum class Kind { kInfo, kMsg, kPing, kPong, kOk, kErr };
  Kind kind = Kind::kOk;
  std::string text;  // the JSON of an INFO, the message of an -ERR
  NatsMessage msg;   // kMsg only
};

// Cuts the bytes read from the socket into frames. A frame may arrive split
// across any number of reads; Next() yields it once all of it is there.
class NatsFrameParser {
 public:
  void Feed(std::string_view bytes);
  // The next complete frame, nullopt when more bytes are needed, or an error
  // for bytes that are not the NATS protocol (the connection is then useless).
  absl::StatusOr<std::optional<NatsFrame>> Next();

 private:
  std::string buffer_;
  std::size_t consumed_ = 0;  // bytes of buffer_ already returned as frames
};

// One client connection. Not thread-safe. Writes are buffered and sent before
// any wait for the server, so a batch of acks costs one system call. Server
// PINGs are answered whenever the connection reads; messages that arrive while
// waiting for something else are kept for NextMessage.
class NatsConnection {
 public:
  // Reads the server's INFO and sends CONNECT, then waits for the PONG of a
  // PING so that a refused CONNECT is reported here.
  static absl::StatusOr<std::unique_ptr<NatsConnection>> Connect(const std::string& host, int port,
                                                                 absl::Duration timeout);
  ~NatsConnection();  // closes the socket without a goodbye, as a crash would
  NatsConnection(const NatsConnection&) = delete;
  NatsConnection& operator=(const NatsConnection&) = delete;

  absl::Status Publish(std::string_view subject, std::string_view payload, std::string_view reply = {});
  absl::StatusOr<std::int64_t> Subscribe(std::string_view subject);  // returns the subscription id
  absl::Status Unsubscribe(std::int64_t sid);
  // The next message of any subscription; DeadlineExceeded when none came in time.
  absl::StatusOr<NatsMessage> NextMessage(absl::Time deadline);
  // Publishes with a fresh inbox as reply subject and waits for the answer.
  absl::StatusOr<NatsMessage> Request(std::string_view subject, std::string_view payload, absl::Duration timeout);
  // Sends everything buffered and waits until the server has processed it.
  absl::Status Flush(absl::Duration timeout);
  // A reply subject no other connection uses, covered by one wildcard subscription.
  absl::StatusOr<std::string> NewInbox();

  std::int64_t pings_answered() const { return pings_answered_; }

 private:
  explicit NatsConnection(int fd);
  absl::Status SendBuffered();
  // Reads until a frame is complete; answers PINGs and takes in INFO updates.
  absl::StatusOr<NatsFrame> ReadFrame(absl::Time deadline);
  absl::Status Broken(absl::Status why);

  int fd_ = -1;
  absl::Status broken_;  // once the socket failed, every call reports why
  NatsFrameParser parser_;
  std::string out_;
  std::deque<NatsMessage> pending_;
  std::int64_t max_payload_ = 1024 * 1024;
  std::int64_t next_sid_ = 1;
  std::string inbox_prefix_;  // "_INBOX.<random>." once subscribed
  std::uint64_t next_inbox_ = 0;
  std::int64_t pings_answered_ = 0;
};

struct NatsJetStreamOptions {
  std::string host = "127.0.0.1";
  int port = 4222;
  std::string stream = "MONITOR_LOOKUPS";
  std::string subject = "monitor.lookups";
  std::string durable = "monitor-engine";
  int batch = 256;  // most messages per fetch
  // How long a fetch waits on an idle stream; also how long Run takes to notice
  // that it should stop.
  absl::Duration fetch_timeout = absl::Seconds(1);
  // A message handed on but not acked within this time is delivered again.
  // Applies when the durable consumer is created.
  absl::Duration ack_wait = absl::Seconds(30);
  absl::Duration connect_timeout = absl::Seconds(5);
};

// One message of the stream as handed on, before it is acked.
struct StreamMessage {
  std::string payload;
  std::uint64_t stream_seq = 0;  // position in the stream, stable across redeliveries
  std::uint64_t deliveries = 1;  // above 1: handed on before, so possibly a duplicate
  std::string ack_subject;
};

// Reads a stream through a durable pull consumer and hands each message on,
// acking it only afterwards. Creates the stream and the consumer when missing.
class NatsJetStreamSource {
 public:
  static absl::StatusOr<std::unique_ptr<NatsJetStreamSource>> Open(NatsJetStreamOptions options);

  // Publishes to JetStream and waits for the server's acknowledgement; returns
  // the message's stream sequence.
  absl::StatusOr<std::uint64_t> Publish(std::string_view subject, std::string_view payload);

  // The next batch, at most options.batch messages: what is there at once, or
  // else the first to arrive within options.fetch_timeout (empty when none).
  absl::StatusOr<std::vector<StreamMessage>> Fetch();
  // Buffered and sent with the next fetch or Poll's flush; an ack still
  // buffered when the connection goes is lost, and its message comes again.
  absl::Status Ack(const StreamMessage& message);
  // Fetches one batch, hands each message on and acks it, then waits until the
  // server has the acks. Returns how many were handled.
  absl::StatusOr<int> Poll(const std::function<void(const StreamMessage&)>& on_message);
  // Polls until keep_going() says no (checked between batches, so within
  // about fetch_timeout). A lost connection is reopened, with a pause between
  // attempts; messages not acked before it was lost come again.
  absl::Status Run(const std::function<void(const StreamMessage&)>& on_message,
                   const std::function<bool()>& keep_going);

  std::int64_t pings_answered() const;
  std::int64_t reconnects() const { return reconnects_; }

 private:
  explicit NatsJetStreamSource(NatsJetStreamOptions options);
  absl::Status Connect();
  void DropConnection();
  absl::Status EnsureStream();
  absl::Status EnsureConsumer();
  // Sends one pull request and collects its messages into `out`.
  absl::Status Pull(int batch, bool no_wait, std::vector<StreamMessage>& out);

  NatsJetStreamOptions options_;
  std::unique_ptr<NatsConnection> conn_;
  std::int64_t pings_answered_before_ = 0;  // by connections lost earlier
  std::int64_t reconnects_ = 0;
};

}  // namespace waarborg::monitor
