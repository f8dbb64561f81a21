// Look-up events over NATS JetStream: `publish` sends each line of a JSON-lines
// file as one message; `consume` reads them through the durable consumer, hands
// each to the event parser, acks it and reports counts and malformed messages
// with their reasons. The stream and the consumer are created when missing.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "monitor/sources/line_sink.h"
#include "monitor/sources/nats_jetstream.h"

using namespace waarborg::monitor;

namespace {

volatile std::sig_atomic_t stop_requested = 0;
void RequestStop(int) { stop_requested = 1; }

int Fail(const absl::Status& st) {
  std::fprintf(stderr, "%s\n", std::string(st.message()).c_str());
  return 1;
}

int Publish(const NatsJetStreamOptions& options, const std::string& path) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path);
    if (!file) {
      std::fprintf(stderr, "cannot read %s\n", path.c_str());
      return 1;
    }
    in = &file;
  }
  auto source = NatsJetStreamSource::Open(options);
  if (!source.ok()) return Fail(source.status());
  long long published = 0;
  std::uint64_t last_seq = 0;
  std::string line;
  while (std::getline(*in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto seq = (*source)->Publish(options.subject, line);
    if (!seq.ok()) return Fail(seq.status());
    last_seq = *seq;
    ++published;
  }
  std::printf("published %lld messages to %s (stream %s, last sequence %llu)\n", published, options.subject.c_str(),
              options.stream.c_str(), static_cast<unsigned long long>(last_seq));
  return 0;
}

int Consume(const NatsJetStreamOptions& options, double idle_exit_seconds) {
  auto source = NatsJetStreamSource::Open(options);
  if (!source.ok()) return Fail(source.status());
  std::signal(SIGINT, RequestStop);
  std::signal(SIGTERM, RequestStop);
  LineSink sink([](LookupEvent&) {});
  long long redelivered = 0;
  absl::Time last_message = absl::Now();
  absl::Status st = (*source)->Run(
      [&](const StreamMessage& m) {
        sink.Feed(m.payload, static_cast<std::int64_t>(m.stream_seq));
        if (m.deliveries > 1) ++redelivered;
        last_message = absl::Now();
      },
      [&] {
        return !stop_requested &&
               (idle_exit_seconds <= 0 || absl::Now() - last_message < absl::Seconds(idle_exit_seconds));
      });
  if (!st.ok()) return Fail(st);
  const StreamStats& stats = sink.stats();
  std::printf("lines %lld, parsed %lld, malformed %lld, redelivered %lld, reconnects %lld\n",
              static_cast<long long>(stats.lines), static_cast<long long>(stats.parsed),
              static_cast<long long>(stats.malformed), redelivered, static_cast<long long>((*source)->reconnects()));
  for (const MalformedLine& m : stats.set_aside) {
    std::printf("  message %lld: %s\n", static_cast<long long>(m.line_no), m.reason.c_str());
  }
  return stats.malformed > 0 ? 3 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Look-up events (JSON lines) over NATS JetStream"};
  app.require_subcommand(1);
  NatsJetStreamOptions options;
  double fetch_timeout_seconds = 1;
  double ack_wait_seconds = 30;
  app.add_option("--host", options.host, "NATS server")->capture_default_str();
  app.add_option("--port", options.port)->capture_default_str();
  app.add_option("--stream", options.stream)->capture_default_str();
  app.add_option("--subject", options.subject)->capture_default_str();
  app.add_option("--durable", options.durable, "durable consumer name")->capture_default_str();
  app.add_option("--ack-wait", ack_wait_seconds,
                 "seconds before an unacked message comes again (when the consumer is created)")
      ->capture_default_str();

  std::string file = "-";
  CLI::App* publish = app.add_subcommand("publish", "publish each non-empty line as one message");
  publish->add_option("--file", file, "events file, - for standard input")->capture_default_str();

  double idle_exit_seconds = 0;
  CLI::App* consume = app.add_subcommand("consume", "parse and ack messages until interrupted (or idle)");
  consume->add_option("--batch", options.batch, "most messages per fetch")->capture_default_str();
  consume->add_option("--fetch-timeout", fetch_timeout_seconds, "seconds a fetch waits on an idle stream")
      ->capture_default_str();
  consume->add_option("--idle-exit", idle_exit_seconds, "stop after this many seconds without a message (0: never)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  options.fetch_timeout = absl::Seconds(fetch_timeout_seconds);
  options.ack_wait = absl::Seconds(ack_wait_seconds);

  if (publish->parsed()) return Publish(options, file);
  return Consume(options, idle_exit_seconds);
}
