// Plain request/response types for Waarborg's handlers. RESTinio stays inside
// server.cc; routes (API and pages) see only these, which keeps them fast to
// compile and testable without a socket.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace waarborg::http {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query string
  std::map<std::string, std::string> route;   // named route parameters, e.g. "id"
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote_address;
  bool tls = false;

  // The first value of a query parameter, or "".
  std::string Query(const std::string& name) const;
  // A header by lower-case name, or "".
  std::string Header(const std::string& name) const;
  // A cookie value by name, or "".
  std::string Cookie(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  HttpResponse& Header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

struct Route {
  std::string method;
  std::string pattern;  // RESTinio express syntax: "/api/v1/cases/:id(\\d+)"
  Handler handler;
  std::size_t max_body_bytes = 0;  // 0: the server's default limit
};

// Parses an application/x-www-form-urlencoded body.
std::multimap<std::string, std::string> ParseForm(const std::string& body);
// Percent-decodes (and '+' to space).
std::string UrlDecode(std::string_view s);
std::string UrlEncode(std::string_view s);

}  // namespace waarborg::http
