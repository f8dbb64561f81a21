// Test harness: starts the real `waarborg serve` binary on a free loopback
// port with a fresh data directory, and talks HTTP/1.1 to it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "adapters/crypto/totp.h"

namespace waarborg::testing {

using nlohmann::json;

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  json Json() const { return json::parse(body, nullptr, false); }
};

inline int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  int port = ntohs(a.sin_port);
  close(fd);
  return port;
}

// One HTTP request over a fresh connection (Connection: close).
inline Response Http(int port, const std::string& method, const std::string& path, const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {}) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return Response{0, {}, "connect failed"};
  }
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "DELETE")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  size_t sent = 0;
  while (sent < req.size()) {
    ssize_t n = send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string raw;
  char buf[65536];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) raw.append(buf, static_cast<size_t>(n));
  close(fd);
  Response r;
  auto head_end = raw.find("\r\n\r\n");
  if (raw.size() < 12 || head_end == std::string::npos) return r;
  r.status = std::stoi(raw.substr(9, 3));
  size_t pos = raw.find("\r\n") + 2;
  while (pos < head_end) {
    size_t eol = raw.find("\r\n", pos);
    std::string line = raw.substr(pos, eol - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      if (r.headers.count(name))
        r.headers[name] += "\n" + value;
      else
        r.headers[name] = value;
    }
    pos = eol + 2;
  }
  r.body = raw.substr(head_end + 4);
  return r;
}

inline std::string RunCapture(const std::string& cmd, int* exit_code = nullptr) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = pclose(p);
  if (exit_code) *exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

// A running `waarborg serve --demo` on its own data directory, with
// `extra_args` appended to its command line (e.g. --smtp-url).
class Server {
 public:
  explicit Server(std::vector<std::string> extra_args = {}) {
    dir_ = std::filesystem::temp_directory_path() /
           ("waarborg-it-" + std::to_string(getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::remove_all(dir_);
    port_ = FreePort();
    pid_ = fork();
    if (pid_ == 0) {
      std::string log = (dir_.string() + ".log");
      FILE* f = freopen(log.c_str(), "w", stdout);
      (void)f;
      dup2(fileno(stdout), STDERR_FILENO);  // the banner goes to stderr
      std::string port = std::to_string(port_);
      std::vector<std::string> args = {WAARBORG_BINARY, "serve",  "--port",    port, "--data",
                                       dir_.string(),   "--demo", "--threads", "2"};
      // The demo's monitoring (three weeks through the engine) only for the
      // tests that ask for it: it costs a second, and more under sanitizers.
      if (std::none_of(extra_args.begin(), extra_args.end(),
                       [](const std::string& a) { return a == "--demo-monitoring"; }))
        args.insert(args.end(), {"--demo-monitoring", "false"});
      args.insert(args.end(), extra_args.begin(), extra_args.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(WAARBORG_BINARY, argv.data());
      _exit(127);
    }
#ifdef WAARBORG_SANITIZED
    constexpr int kStartPolls = 1200;  // 60 s: everything runs several times slower
#else
    constexpr int kStartPolls = 300;  // 15 s
#endif
    for (int i = 0; i < kStartPolls; ++i) {
      if (Http(port_, "GET", "/healthz").status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("server did not start");
  }
  ~Server() {
    Stop();
    std::filesystem::remove_all(dir_);
    std::filesystem::remove(dir_.string() + ".log");
  }
  // Sends SIGTERM and returns the exit status (or -1 on timeout).
  int Stop() {
    if (pid_ <= 0) return exit_status_;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 200; ++i) {
      int st = 0;
      if (waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = 0;
        exit_status_ = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        return exit_status_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = 0;
    return -1;
  }
  // Kills the server with SIGKILL (a crash) and reaps it.
  void Kill() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }
  int port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::string DbPath() const { return (dir_ / "waarborg.db").string(); }

  // The current TOTP code of a demo account, from its stored secret.
  std::string TotpFor(const std::string& user, int steps_ahead = 0) const {
    std::string b32 =
        RunCapture(std::string(WAARBORG_BINARY) + " demo-secret --data " + dir_.string() + " --user " + user);
    while (!b32.empty() && (b32.back() == '\n' || b32.back() == ' ')) b32.pop_back();
    auto raw = crypto::Base32Decode(b32);
    if (!raw) return "";
    auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return crypto::TotpCode(*raw, now + 30 * steps_ahead);
  }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = 0;
  int exit_status_ = -1;
};

// A logged-in user: cookie and CSRF token.
class Client {
 public:
  Client(const Server& s, const std::string& user, const std::string& password = "waarborg-demo") : port_(s.port()) {
    auto r = Http(port_, "POST", "/api/v1/session", json{{"username", user}, {"password", password}}.dump(),
                  {{"Content-Type", "application/json"}});
    login_status_ = r.status;
    if (r.status != 200) return;
    auto cookie = r.headers["set-cookie"];
    cookie_ = cookie.substr(0, cookie.find(';'));
    auto j = r.Json();
    csrf_ = j["csrf_token"].get<std::string>();
    if (j["second_factor_required"].get<bool>()) {
      auto t = Post("/api/v1/session/totp", {{"code", s.TotpFor(user)}});
      login_status_ = t.status;
      auto rotated = t.headers["set-cookie"];
      if (!rotated.empty()) cookie_ = rotated.substr(0, rotated.find(';'));
    }
  }
  bool ok() const { return login_status_ == 200; }
  int login_status() const { return login_status_; }
  Response Get(const std::string& path) const { return Http(port_, "GET", path, "", {{"Cookie", cookie_}}); }
  Response Post(const std::string& path, const json& body) const { return PostRaw(path, body.dump()); }
  Response PostRaw(const std::string& path, const std::string& body, bool with_csrf = true) const {
    std::map<std::string, std::string> h{{"Cookie", cookie_}, {"Content-Type", "application/json"}};
    if (with_csrf) h["X-CSRF-Token"] = csrf_;
    return Http(port_, "POST", path, body, h);
  }
  const std::string& cookie() const { return cookie_; }

 private:
  int port_;
  int login_status_ = 0;
  std::string cookie_, csrf_;
};

// A reporter back with the receipt: no account, a reporter cookie and CSRF token.
class ReporterClient {
 public:
  ReporterClient(const Server& s, const std::string& receipt) : port_(s.port()) {
    auto r = Http(port_, "POST", "/api/v1/reporter/session", json{{"receipt", receipt}}.dump(),
                  {{"Content-Type", "application/json"}});
    login_status_ = r.status;
    if (r.status != 200) return;
    auto cookie = r.headers["set-cookie"];
    cookie_ = cookie.substr(0, cookie.find(';'));
    csrf_ = r.Json()["csrf_token"].get<std::string>();
  }
  bool ok() const { return login_status_ == 200; }
  int login_status() const { return login_status_; }
  Response Get(const std::string& path) const { return Http(port_, "GET", path, "", {{"Cookie", cookie_}}); }
  Response Post(const std::string& path, const json& body) const {
    return Http(port_, "POST", path, body.dump(),
                {{"Cookie", cookie_}, {"Content-Type", "application/json"}, {"X-CSRF-Token", csrf_}});
  }
  json Case() const { return Get("/api/v1/reporter/case").Json(); }

 private:
  int port_;
  int login_status_ = 0;
  std::string cookie_, csrf_;
};

}  // namespace waarborg::testing
