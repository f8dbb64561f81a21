// Reading and filling in the Dutch HTML pages as a browser without
// JavaScript would: forms, their fields and options, cookies and redirects,
// and a Browser with one cookie jar. Shared by the page tests.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "adapters/http/http_types.h"
#include "harness.h"

namespace waarborg::testing {

using Fields = std::vector<std::pair<std::string, std::string>>;

// ------------------------------------------------------------------ helpers

using http::UrlEncode;  // the server's own form encoding

inline std::string EncodeForm(const Fields& fields) {
  std::string body;
  for (const auto& [k, v] : fields) {
    if (!body.empty()) body += '&';
    body += UrlEncode(k) + "=" + UrlEncode(v);
  }
  return body;
}

inline std::string HtmlUnescape(std::string s) {
  static const std::pair<const char*, const char*> kEntities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&#39;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : kEntities) {
    size_t pos = 0;
    const std::string f(from), t(to);
    while ((pos = s.find(f, pos)) != std::string::npos) {
      s.replace(pos, f.size(), t);
      pos += t.size();
    }
  }
  return s;
}

inline size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + needle.size())) ++n;
  return n;
}

inline bool Contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

// "name=value" of the first Set-Cookie header, or "".
inline std::string CookieOf(const Response& r) {
  auto it = r.headers.find("set-cookie");
  if (it == r.headers.end()) return "";
  std::string first = it->second.substr(0, it->second.find('\n'));
  return first.substr(0, first.find(';'));
}

inline std::string Location(const Response& r) {
  auto it = r.headers.find("location");
  return it == r.headers.end() ? std::string() : it->second;
}

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsWordish(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

// Dates written as yyyy-mm-dd (not as a user reads them) anywhere in the page.
inline std::string FirstIsoDate(const std::string& html) {
  for (size_t i = 0; i + 10 <= html.size(); ++i) {
    const char* p = html.data() + i;
    if (IsDigit(p[0]) && IsDigit(p[1]) && IsDigit(p[2]) && IsDigit(p[3]) && p[4] == '-' && IsDigit(p[5]) &&
        IsDigit(p[6]) && p[7] == '-' && IsDigit(p[8]) && IsDigit(p[9]) && (i == 0 || !IsWordish(html[i - 1])) &&
        (i + 10 == html.size() || !IsWordish(html[i + 10])))
      return html.substr(i, 10);
  }
  return "";
}

// The first dd-mm-jjjj date in the page, or "".
inline std::string FirstDutchDate(const std::string& html) {
  for (size_t i = 0; i + 10 <= html.size(); ++i) {
    const char* p = html.data() + i;
    if (IsDigit(p[0]) && IsDigit(p[1]) && p[2] == '-' && IsDigit(p[3]) && IsDigit(p[4]) && p[5] == '-' &&
        IsDigit(p[6]) && IsDigit(p[7]) && IsDigit(p[8]) && IsDigit(p[9]) && (i == 0 || !IsWordish(html[i - 1])) &&
        (i + 10 == html.size() || !IsWordish(html[i + 10])))
      return html.substr(i, 10);
  }
  return "";
}

// dd-mm-jjjj of now minus `days` (UTC; a few days back is safely in the past
// for the server's Amsterdam "today").
inline std::string DutchDateDaysAgo(int days) {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() - std::chrono::hours(24 * days));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%d-%m-%Y", &tm);
  return buf;
}

// The <form ...>...</form> whose opening tag contains `marker`
// (e.g. `id="stap-weging"` or `action="/meldingen"`), or "".
inline std::string FormWith(const std::string& html, const std::string& marker) {
  for (size_t pos = html.find("<form"); pos != std::string::npos; pos = html.find("<form", pos + 5)) {
    size_t tag_end = html.find('>', pos);
    size_t end = html.find("</form>", pos);
    if (tag_end == std::string::npos || end == std::string::npos) return "";
    if (Contains(html.substr(pos, tag_end - pos), marker)) return html.substr(pos, end + 7 - pos);
  }
  return "";
}

// The value attribute of the <input> named `name` in `form`.
inline std::string InputValue(const std::string& form, const std::string& name) {
  const std::regex tag("<input[^>]*\\bname=\"" + name + "\"[^>]*>");
  std::smatch m;
  if (!std::regex_search(form, m, tag)) return "";
  const std::string t = m.str();
  static const std::regex value("\\bvalue=\"([^\"]*)\"");
  std::smatch v;
  if (!std::regex_search(t, v, value)) return "";
  return HtmlUnescape(v[1].str());
}

// The contents of <textarea name=...>...</textarea>.
inline std::string TextareaValue(const std::string& form, const std::string& name) {
  const std::regex tag("<textarea[^>]*\\bname=\"" + name + "\"[^>]*>([^<]*)</textarea>");
  std::smatch m;
  if (!std::regex_search(form, m, tag)) return "";
  return HtmlUnescape(m[1].str());
}

struct Option {
  std::string value, label;
  bool selected = false, disabled = false;
};

inline std::vector<Option> Options(const std::string& form, const std::string& select_name) {
  std::vector<Option> out;
  size_t start = form.find("name=\"" + select_name + "\"");
  if (start == std::string::npos) return out;
  start = form.rfind("<select", start);
  size_t end = form.find("</select>", start);
  if (start == std::string::npos || end == std::string::npos) return out;
  const std::string sel = form.substr(start, end - start);
  static const std::regex opt("<option value=\"([^\"]*)\"([^>]*)>([^<]*)</option>");
  for (auto it = std::sregex_iterator(sel.begin(), sel.end(), opt); it != std::sregex_iterator(); ++it) {
    Option o;
    o.value = HtmlUnescape((*it)[1].str());
    o.label = HtmlUnescape((*it)[3].str());
    o.selected = Contains((*it)[2].str(), "selected");
    o.disabled = Contains((*it)[2].str(), "disabled");
    out.push_back(o);
  }
  return out;
}

// The value of the option whose label starts with `label`, or "".
inline std::string OptionValue(const std::string& form, const std::string& select_name, const std::string& label) {
  for (const auto& o : Options(form, select_name))
    if (o.label.rfind(label, 0) == 0 && !o.disabled) return o.value;
  return "";
}

// Every value of checkboxes / radios named `name`.
inline std::vector<std::string> ChoiceValues(const std::string& form, const std::string& name) {
  std::vector<std::string> out;
  const std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(form.begin(), form.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1].str());
  return out;
}

// Every suffix X of fields named `prefix`X (e.g. met_concrete -> concrete).
inline std::vector<std::string> FieldSuffixes(const std::string& form, const std::string& prefix) {
  std::vector<std::string> out;
  const std::regex re("name=\"" + prefix + "([a-z_]+)\" value=\"ja\"");
  for (auto it = std::sregex_iterator(form.begin(), form.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1].str());
  return out;
}

// The case state as shown in "Gegevens": the first <dd><strong>...</strong>.
inline std::string StateOf(const std::string& html) {
  size_t p = html.find("<dd><strong>");
  if (p == std::string::npos) return "";
  p += 12;
  return HtmlUnescape(html.substr(p, html.find("</strong>", p) - p));
}

// The <section> of the start page labelled `sectie-<id>`.
inline std::string StartSection(const std::string& html, const std::string& id) {
  size_t p = html.find("aria-labelledby=\"sectie-" + id + "\"");
  if (p == std::string::npos) return "";
  return html.substr(p, html.find("</section>", p) - p);
}

// What every page must look like to a user: Dutch, one h1, dates as dd-mm-jjjj.
inline ::testing::AssertionResult LooksLikeAPage(const Response& r) {
  if (!Contains(r.headers.count("content-type") ? r.headers.at("content-type") : "", "text/html"))
    return ::testing::AssertionFailure() << "not HTML (status " << r.status << ")";
  if (!Contains(r.body, "<html lang=\"nl\""))
    return ::testing::AssertionFailure() << "no lang=\"nl\" on <html>";
  if (size_t h1 = Count(r.body, "<h1"); h1 != 1)
    return ::testing::AssertionFailure() << h1 << " <h1> elements instead of exactly one";
  if (std::string iso = FirstIsoDate(r.body); !iso.empty())
    return ::testing::AssertionFailure() << "date shown as " << iso << " instead of dd-mm-jjjj";
  return ::testing::AssertionSuccess();
}

// ------------------------------------------------------------------ browser

// One person with a browser without JavaScript: a cookie jar with one cookie.
class Browser {
 public:
  Browser(const Server& s, std::string user) : server_(s), user_(std::move(user)) {}

  // Texts this person must never see on any page (checked on every GET).
  void MustNeverSee(const std::string& text) { never_.push_back(text); }

  Response Get(const std::string& path) const {
    std::map<std::string, std::string> h;
    if (!cookie_.empty()) h["Cookie"] = cookie_;
    Response r = Http(server_.port(), "GET", path, "", h);
    for (const auto& t : never_)
      EXPECT_FALSE(Contains(r.body, t)) << user_ << " sees \"" << t << "\" on GET " << path;
    return r;
  }

  Response Post(const std::string& path, const Fields& fields) const {
    std::map<std::string, std::string> h{{"Content-Type", "application/x-www-form-urlencoded"}};
    if (!cookie_.empty()) h["Cookie"] = cookie_;
    Response r = Http(server_.port(), "POST", path, EncodeForm(fields), h);
    for (const auto& t : never_)
      EXPECT_FALSE(Contains(r.body, t)) << user_ << " sees \"" << t << "\" after POST " << path;
    return r;
  }

  // A reporter back through /melden/terug with the receipt.
  ::testing::AssertionResult LogInWithReceipt(const std::string& receipt) {
    Response page = Get("/melden/terug");
    if (page.status != 200) return ::testing::AssertionFailure() << "GET /melden/terug: " << page.status;
    Response r = Post("/melden/terug", {{"bonnummer", receipt}});
    if (r.status != 303 || Location(r) != "/melder")
      return ::testing::AssertionFailure() << "POST /melden/terug: " << r.status << "\n" << r.body;
    cookie_ = CookieOf(r);
    return ::testing::AssertionSuccess();
  }

  // Logs in through /inloggen and, when asked, /inloggen/code.
  ::testing::AssertionResult LogIn(const std::string& password = "waarborg-demo") {
    Response page = Get("/inloggen");
    if (page.status != 200) return ::testing::AssertionFailure() << "GET /inloggen: " << page.status;
    if (auto ok = LooksLikeAPage(page); !ok) return ok << " (/inloggen)";
    const std::string form = FormWith(page.body, "action=\"/inloggen\"");
    if (!Contains(form, "name=\"gebruikersnaam\"") || !Contains(form, "name=\"wachtwoord\""))
      return ::testing::AssertionFailure() << "log-in form lacks gebruikersnaam/wachtwoord";
    Response r = Post("/inloggen", {{"gebruikersnaam", user_}, {"wachtwoord", password}});
    if (r.status != 303) return ::testing::AssertionFailure() << "POST /inloggen: " << r.status << "\n" << r.body;
    cookie_ = CookieOf(r);
    if (cookie_.empty()) return ::testing::AssertionFailure() << "no session cookie after the password";
    std::string next = Location(r);
    if (next == "/inloggen/code") {
      asked_code_ = true;
      Response code_page = Get("/inloggen/code");
      if (code_page.status != 200) return ::testing::AssertionFailure() << "GET /inloggen/code: " << code_page.status;
      if (auto ok = LooksLikeAPage(code_page); !ok) return ok << " (/inloggen/code)";
      const std::string cform = FormWith(code_page.body, "action=\"/inloggen/code\"");
      const std::string csrf = InputValue(cform, "csrf");
      if (csrf.empty() || !Contains(cform, "name=\"code\""))
        return ::testing::AssertionFailure() << "code form lacks csrf or code";
      const std::string pending = cookie_;
      Response c = Post("/inloggen/code", {{"csrf", csrf}, {"code", server_.TotpFor(user_)}});
      if (c.status != 303) return ::testing::AssertionFailure() << "POST /inloggen/code: " << c.status << "\n" << c.body;
      const std::string rotated = CookieOf(c);
      if (rotated.empty() || rotated == pending)
        return ::testing::AssertionFailure() << "session cookie not rotated after the second factor";
      cookie_ = rotated;
      next = Location(c);
      // The cookie from before the second factor is worthless now.
      Response old = Http(server_.port(), "GET", "/start", "", {{"Cookie", pending}});
      if (old.status != 303 || Location(old) != "/inloggen")
        return ::testing::AssertionFailure() << "the pre-second-factor cookie still opens /start: " << old.status;
    }
    if (next != "/start") return ::testing::AssertionFailure() << "log-in ends at " << next << ", not /start";
    Response start = Get(next);
    if (start.status != 200) return ::testing::AssertionFailure() << "GET /start: " << start.status;
    if (auto ok = LooksLikeAPage(start); !ok) return ok << " (/start)";
    if (!Contains(start.body, "action=\"/uitloggen\""))
      return ::testing::AssertionFailure() << "/start does not show the logged-in header";
    return ::testing::AssertionSuccess();
  }

  // A form with files, posted as a browser does: multipart/form-data with the
  // files in the field "bestanden". Files: {file name, content}.
  Response PostMultipart(const std::string& path, const Fields& fields, const Fields& files) const {
    const std::string boundary = "----waarborgtest7f3a9c";
    std::string body;
    for (const auto& [k, v] : fields)
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n";
    for (const auto& [name, data] : files)
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"bestanden\"; filename=\"" + name +
              "\"\r\nContent-Type: text/plain\r\n\r\n" + data + "\r\n";
    body += "--" + boundary + "--\r\n";
    std::map<std::string, std::string> h{{"Content-Type", "multipart/form-data; boundary=" + boundary}};
    if (!cookie_.empty()) h["Cookie"] = cookie_;
    Response r = Http(server_.port(), "POST", path, body, h);
    for (const auto& t : never_)
      EXPECT_FALSE(Contains(r.body, t)) << user_ << " sees \"" << t << "\" after POST " << path;
    return r;
  }

  // Keeps a cookie the server set (a rotated session).
  void TakeCookie(const Response& r) {
    if (std::string c = CookieOf(r); !c.empty()) cookie_ = c;
  }

  const std::string& user() const { return user_; }
  bool asked_code() const { return asked_code_; }

 private:
  const Server& server_;
  std::string user_;
  std::string cookie_;
  bool asked_code_ = false;
  std::vector<std::string> never_;
};

// Values of the <option>s of select `name` (without the empty "choose" one).
inline std::vector<std::string> OptionValues(const std::string& form, const std::string& name) {
  std::vector<std::string> out;
  size_t start = form.find("name=\"" + name + "\"");
  if (start == std::string::npos) return out;
  start = form.rfind("<select", start);
  size_t end = form.find("</select>", start);
  if (start == std::string::npos || end == std::string::npos) return out;
  const std::string sel = form.substr(start, end - start);
  static const std::regex opt("<option value=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(sel.begin(), sel.end(), opt); it != std::sregex_iterator(); ++it)
    out.push_back(HtmlUnescape((*it)[1].str()));
  return out;
}

// Names of the textareas in `form`.
inline std::vector<std::string> TextareaNames(const std::string& form) {
  std::vector<std::string> out;
  static const std::regex re("<textarea[^>]*\\bname=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(form.begin(), form.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1].str());
  return out;
}

}  // namespace waarborg::testing
