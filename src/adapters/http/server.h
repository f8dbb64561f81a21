// The HTTP server: RESTinio on a thread pool, with explicit limits, JSON-lines
// access logs, security headers on every response, 404 for unknown routes,
// and a clean stop on SIGTERM/SIGINT after requests in flight are done.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "adapters/http/http_types.h"

namespace waarborg::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;
  std::size_t threads = 4;
  std::size_t max_body_bytes = 1 << 20;        // 1 MiB
  std::size_t max_header_value_bytes = 8 << 10; // 8 KiB per header value
  std::size_t max_url_bytes = 8 << 10;
  std::size_t max_connections = 1024;
  bool tls_terminated_upstream = false;  // set Secure cookies (behind a TLS proxy)
};

// Serves `routes` until SIGTERM or SIGINT. `on_listening` runs once the port
// is open (with the bound port). `not_found` renders unknown routes.
absl::Status Serve(const ServerOptions& opts, std::vector<Route> routes, Handler not_found,
                   std::function<void(std::uint16_t)> on_listening);

}  // namespace waarborg::http
