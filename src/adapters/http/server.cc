#include "adapters/http/server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <restinio/all.hpp>

#include "core/common/strings.h"

namespace waarborg::http {

std::string_view status_reason(int code);

namespace {

using Router = restinio::router::express_router_t<>;

// Counts open connections, so a stop can wait until answers in flight are
// written and their connections closed.
class ConnectionCounter {
 public:
  void state_changed(const restinio::connection_state::notice_t& notice) noexcept {
    const auto& cause = notice.cause();
    if (restinio::get_if<restinio::connection_state::accepted_t>(&cause)) ++open_;
    if (restinio::get_if<restinio::connection_state::closed_t>(&cause)) --open_;
  }
  int open() const { return open_.load(); }

 private:
  std::atomic<int> open_{0};
};

struct Traits : public restinio::traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t, Router> {
  static constexpr bool use_connection_count_limiter = true;
  using connection_state_listener_t = ConnectionCounter;
};

std::string JsonEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += c;
    }
  }
  return out;
}

std::optional<restinio::http_method_id_t> MethodOf(const std::string& m) {
  if (m == "GET") return restinio::http_method_get();
  if (m == "POST") return restinio::http_method_post();
  if (m == "PUT") return restinio::http_method_put();
  if (m == "DELETE") return restinio::http_method_delete();
  if (m == "PATCH") return restinio::http_method_patch();
  return std::nullopt;
}

// The names of a pattern's parameters, e.g. {"id"} for "/cases/:id(\\d+)".
std::vector<std::string> ParamNames(const std::string& pattern) {
  std::vector<std::string> names;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != ':') continue;
    size_t j = i + 1;
    while (j < pattern.size() && (std::isalnum(static_cast<unsigned char>(pattern[j])) || pattern[j] == '_')) ++j;
    if (j > i + 1) names.push_back(pattern.substr(i + 1, j - i - 1));
  }
  return names;
}

HttpRequest Convert(const restinio::request_handle_t& req, const restinio::router::route_params_t* params,
                    const std::vector<std::string>& names, bool tls) {
  HttpRequest r;
  r.method = std::string(req->header().method().c_str());
  r.path = std::string(req->header().path());
  try {
    auto qp = restinio::parse_query(req->header().query());
    for (const auto& [k, v] : qp) r.query.emplace(std::string(k), std::string(v));
  } catch (...) {
  }
  req->header().for_each_field([&](const restinio::http_header_field_t& f) {
    std::string name = f.name();
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    r.headers[name] = f.value();
  });
  r.body = req->body();
  try {
    r.remote_address = req->remote_endpoint().address().to_string();
  } catch (...) {
  }
  r.tls = tls;
  if (params) {
    for (const auto& name : names) {
      if (auto v = params->get_param(name)) r.route[name] = std::string(*v);
    }
  }
  return r;
}

restinio::request_handling_status_t Respond(const restinio::request_handle_t& req, const HttpResponse& res,
                                            std::chrono::steady_clock::time_point started) {
  auto resp = req->create_response(restinio::http_status_line_t{
      restinio::http_status_code_t{static_cast<std::uint16_t>(res.status)}, std::string(status_reason(res.status))});
  resp.append_header(restinio::http_field::content_type, res.content_type);
  // Strict by default: no inline script, nothing from elsewhere.
  resp.append_header("Content-Security-Policy",
                     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                     "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
  resp.append_header("X-Content-Type-Options", "nosniff");
  resp.append_header("Referrer-Policy", "no-referrer");
  resp.append_header("X-Frame-Options", "DENY");
  bool has_cache = false;
  for (const auto& [k, v] : res.headers) {
    resp.append_header(k, v);
    if (k == "Cache-Control") has_cache = true;
  }
  if (!has_cache) resp.append_header("Cache-Control", "no-store");
  resp.set_body(res.body);
  resp.done();
  // One JSON object per line; never the query string, cookies or bodies.
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  spdlog::info(R"({{"msg":"request","method":"{}","path":"{}","status":{},"ms":{:.2f}}})",
               JsonEscape(req->header().method().c_str()), JsonEscape(req->header().path()), res.status, ms);
  return restinio::request_accepted();
}

// 413 with a Dutch message, as JSON for the API and as text for pages.
HttpResponse TooLarge(const restinio::request_handle_t& req, std::size_t max_body) {
  const std::string msg = fmt::format("De aanvraag is te groot (maximaal {} KiB).", max_body / 1024);
  if (std::string_view(req->header().path()).rfind("/api/", 0) == 0) {
    return HttpResponse{413, "application/json; charset=utf-8",
                        fmt::format(R"({{"error":{{"status":413,"message":"{}"}}}})", JsonEscape(msg)), {}};
  }
  return HttpResponse{413, "text/plain; charset=utf-8", msg, {}};
}

}  // namespace

absl::Status Serve(const ServerOptions& opts, std::vector<Route> routes, Handler not_found,
                   std::function<void(std::uint16_t)> on_listening) {
  auto router = std::make_unique<Router>();
  std::size_t largest_body = opts.max_body_bytes;
  const bool tls = opts.tls_terminated_upstream;
  for (auto& route : routes) {
    auto method = MethodOf(route.method);
    if (!method) return absl::InvalidArgumentError(Cat("unknown method ", route.method));
    Handler h = route.handler;
    std::vector<std::string> names = ParamNames(route.pattern);
    const std::size_t max_body = route.max_body_bytes ? route.max_body_bytes : opts.max_body_bytes;
    largest_body = std::max(largest_body, max_body);
    router->add_handler(*method, route.pattern,
                        [h, tls, names, max_body](const restinio::request_handle_t& req,
                                                  restinio::router::route_params_t params) {
                          auto started = std::chrono::steady_clock::now();
                          HttpResponse res;
                          if (req->body().size() > max_body) return Respond(req, TooLarge(req, max_body), started);
                          try {
                            res = h(Convert(req, &params, names, tls));
                          } catch (const std::exception& e) {
                            spdlog::error(R"({{"msg":"handler exception","what":"{}"}})", JsonEscape(e.what()));
                            res = HttpResponse{500, "text/plain; charset=utf-8", "Interne fout", {}};
                          }
                          return Respond(req, res, started);
                        });
  }
  router->non_matched_request_handler([not_found, tls](const restinio::request_handle_t& req) {
    auto started = std::chrono::steady_clock::now();
    return Respond(req, not_found(Convert(req, nullptr, {}, tls)), started);
  });

  using Settings = restinio::server_settings_t<Traits>;
  auto connections = std::make_shared<ConnectionCounter>();
  Settings settings;
  settings.port(opts.port)
      .connection_state_listener(connections)
      .address(opts.address)
      .request_handler(std::move(router))
      .max_parallel_connections(opts.max_connections)
      .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                    .max_url_size(opts.max_url_bytes)
                                    .max_field_name_size(256)
                                    .max_field_value_size(opts.max_header_value_bytes)
                                    .max_field_count(100)
                                    // Bodies up to 4x the limit are read and refused
                                    // with 413; larger ones close the connection.
                                    .max_body_size(std::max(4 * opts.max_body_bytes, largest_body + (1 << 20))))
      .read_next_http_message_timelimit(std::chrono::seconds(30))
      .handle_request_timeout(std::chrono::seconds(30))
      .write_http_response_timelimit(std::chrono::seconds(30));

  // RESTinio 0.6.16 lets connections that are still queued in the io_context
  // outlive the server's connection limiter: destroying them after the server
  // is a use-after-free inside RESTinio (AddressSanitizer shows it). So the
  // server and its io_context are created once and left to the operating
  // system at exit; reachable from a static, they are not reported as leaks.
  using Pool = restinio::impl::ioctx_on_thread_pool_t<restinio::impl::own_io_context_for_thread_pool_t>;
  static Pool* pool_holder = nullptr;
  static restinio::http_server_t<Traits>* server_holder = nullptr;
  if (pool_holder != nullptr) return absl::FailedPreconditionError("Serve runs once per process");
  pool_holder = new Pool(opts.threads);
  Pool* pool = pool_holder;
  server_holder = new restinio::http_server_t<Traits>{restinio::external_io_context(pool->io_context()),
                                                      std::move(settings)};
  auto& server = *server_holder;

  std::exception_ptr failure;
  asio::signal_set signals{pool->io_context(), SIGINT, SIGTERM};
  asio::steady_timer drain{pool->io_context()};
  const auto drain_deadline = std::make_shared<std::chrono::steady_clock::time_point>();
  // After the listening socket is closed: wait until every open connection
  // has finished (its answer written, the connection closed), at most 10 s.
  std::function<void()> wait_for_drain = [&] {
    if (connections->open() <= 0 || std::chrono::steady_clock::now() >= *drain_deadline) {
      spdlog::info(R"({{"msg":"drained","open_connections":{}}})", connections->open());
      pool->stop();
      return;
    }
    drain.expires_after(std::chrono::milliseconds(20));
    drain.async_wait([&](const asio::error_code&) { wait_for_drain(); });
  };
  signals.async_wait([&](const asio::error_code& ec, int sig) {
    if (ec) return;
    spdlog::info(R"({{"msg":"stopping","signal":{}}})", sig);
    *drain_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    server.close_async([&] { asio::post(pool->io_context(), wait_for_drain); }, [&](std::exception_ptr ex) {
      failure = ex;
      pool->stop();
    });
  });
  server.open_async(
      [&] {
        std::uint16_t port = opts.port;
        if (on_listening) on_listening(port);
      },
      [&](std::exception_ptr ex) {
        failure = ex;
        pool->stop();
      });
  pool->start();
  pool->wait();
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      return absl::UnavailableError(Cat("server: ", e.what()));
    }
  }
  spdlog::info("{}", R"({"msg":"stopped"})");
  return absl::OkStatus();
}

std::string_view status_reason(int code) {
  switch (code) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return code >= 500 ? "Internal Server Error" : "OK";
  }
}

}  // namespace waarborg::http
