#include "adapters/http/multipart.h"

#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "core/common/strings.h"

namespace waarborg::http {
namespace {

constexpr std::string_view kBadForm = "Het formulier is niet goed verstuurd.";

absl::Status Bad() { return absl::InvalidArgumentError(ToAbsl(kBadForm)); }

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

bool IsWhite(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimWhite(std::string_view s) {
  while (!s.empty() && IsWhite(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsWhite(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 9110 tchar.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*':
    case '+': case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

// A control character other than HTAB (bytes >= 0x80 are allowed: browsers
// send UTF-8 file names raw).
bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

bool HasControl(std::string_view s) {
  for (char c : s) {
    if (IsControl(static_cast<unsigned char>(c))) return true;
  }
  return false;
}

// RFC 2046 bchars.
bool IsBoundaryChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '\'': case '(': case ')': case '+': case '_': case ',': case '-':
    case '.': case '/': case ':': case '=': case '?': case ' ':
      return true;
    default:
      return false;
  }
}

using Params = std::vector<std::pair<std::string, std::string>>;  // lower-case names

// Parses `*( OWS ";" OWS name OWS "=" OWS ( token / quoted-string ) ) OWS`.
// Inside a quoted string only \" and \\ are escapes; any other backslash is
// kept, since browsers send Windows paths such as "C:\x\y.pdf" unescaped.
// Returns nullopt on malformed input or a repeated parameter name.
std::optional<Params> ParseParams(std::string_view s) {
  Params out;
  std::size_t i = 0;
  auto skip_white = [&] {
    while (i < s.size() && IsWhite(s[i])) ++i;
  };
  for (;;) {
    skip_white();
    if (i == s.size()) return out;
    if (s[i] != ';') return std::nullopt;
    ++i;
    skip_white();
    const std::size_t name_start = i;
    while (i < s.size() && IsTokenChar(s[i])) ++i;
    std::string name = LowerCopy(s.substr(name_start, i - name_start));
    if (name.empty()) return std::nullopt;
    skip_white();
    if (i == s.size() || s[i] != '=') return std::nullopt;
    ++i;
    skip_white();
    std::string value;
    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        const char c = s[i];
        if (c == '"') {
          closed = true;
          ++i;
          break;
        }
        if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) {
          value.push_back(s[i + 1]);
          i += 2;
          continue;
        }
        value.push_back(c);
        ++i;
      }
      if (!closed) return std::nullopt;
    } else {
      const std::size_t value_start = i;
      while (i < s.size() && IsTokenChar(s[i])) ++i;
      value = std::string(s.substr(value_start, i - value_start));
      if (value.empty()) return std::nullopt;
    }
    for (const auto& [n, v] : out) {
      if (n == name) return std::nullopt;
    }
    out.emplace_back(std::move(name), std::move(value));
  }
}

const std::string* FindParam(const Params& params, std::string_view name) {
  for (const auto& [n, v] : params) {
    if (n == name) return &v;
  }
  return nullptr;
}

// The base name of a browser-supplied file name: everything after the last
// '/' or '\'. nullopt when it has control characters, or when a non-empty
// name has no usable base name ("dir/", ".", "..").
std::optional<std::string> BaseName(std::string_view raw) {
  if (HasControl(raw)) return std::nullopt;
  if (raw.empty()) return std::string();
  const std::size_t slash = raw.find_last_of("/\\");
  std::string_view base = slash == std::string_view::npos ? raw : raw.substr(slash + 1);
  if (base.empty() || base == "." || base == "..") return std::nullopt;
  return std::string(base);
}

// Splits the media type off a Content-Type / Content-Disposition value and
// parses the parameters after it.
bool SplitValue(std::string_view value, std::string_view& type, Params& params) {
  const std::size_t semi = value.find(';');
  type = TrimWhite(value.substr(0, semi));
  std::optional<Params> p =
      ParseParams(semi == std::string_view::npos ? std::string_view() : value.substr(semi));
  if (!p) return false;
  params = std::move(*p);
  return true;
}

// Parses a part's header block (lines, each ending in CRLF) into `part`.
absl::Status ParsePartHeaders(std::string_view block, FormPart& part) {
  bool have_disposition = false;
  bool have_type = false;
  while (!block.empty()) {
    const std::size_t eol = block.find("\r\n");
    if (eol == std::string_view::npos) return Bad();
    std::string_view line = block.substr(0, eol);
    block.remove_prefix(eol + 2);
    // Bare CR/LF and other control characters (HTAB aside) are not allowed;
    // a line starting with white space would be obsolete line folding.
    for (char c : line) {
      if (c != '\t' && IsControl(static_cast<unsigned char>(c))) return Bad();
    }
    if (line.empty() || IsWhite(line.front())) return Bad();
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Bad();
    std::string_view name = line.substr(0, colon);
    if (!IsToken(name)) return Bad();
    std::string_view value = TrimWhite(line.substr(colon + 1));

    if (EqualsIgnoreCase(name, "content-disposition")) {
      if (have_disposition) return Bad();
      have_disposition = true;
      std::string_view type;
      Params params;
      if (!SplitValue(value, type, params)) return Bad();
      if (!EqualsIgnoreCase(type, "form-data")) return Bad();
      const std::string* field = FindParam(params, "name");
      if (field == nullptr || field->empty() || HasControl(*field)) return Bad();
      part.name = *field;
      if (const std::string* file = FindParam(params, "filename")) {
        std::optional<std::string> base = BaseName(*file);
        if (!base) return Bad();
        part.filename = std::move(*base);
      }
    } else if (EqualsIgnoreCase(name, "content-type")) {
      if (have_type) return Bad();
      have_type = true;
      part.content_type = std::string(value);
    }
    // Other headers (e.g. the deprecated Content-Transfer-Encoding) are ignored.
  }
  if (!have_disposition) return Bad();
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> MultipartBoundary(std::string_view content_type) {
  std::string_view type;
  Params params;
  if (!SplitValue(content_type, type, params)) return Bad();
  if (!EqualsIgnoreCase(type, "multipart/form-data")) return Bad();
  const std::string* boundary = FindParam(params, "boundary");
  if (boundary == nullptr || boundary->empty() || boundary->size() > 70) return Bad();
  for (char c : *boundary) {
    if (!IsBoundaryChar(c)) return Bad();
  }
  if (boundary->back() == ' ') return Bad();
  return *boundary;
}

absl::StatusOr<std::vector<FormPart>> ParseMultipart(std::string_view body,
                                                     std::string_view boundary,
                                                     const MultipartLimits& limits) {
  if (boundary.empty() || boundary.size() > 70) return Bad();
  // Every delimiter but a first one at the very start of the body is preceded
  // by CRLF, which belongs to the delimiter and not to the preceding data.
  const std::string delimiter = Cat("\r\n--", boundary);
  const std::string_view first = std::string_view(delimiter).substr(2);

  std::size_t pos;
  if (body.starts_with(first)) {
    pos = first.size();
  } else {
    const std::size_t found = body.find(delimiter);
    if (found == std::string_view::npos) return Bad();
    pos = found + delimiter.size();
  }

  std::vector<FormPart> parts;
  for (;;) {
    // `pos` is just past a delimiter: either "--" (the closing delimiter,
    // after which only the ignored epilogue follows) or optional linear
    // white space and CRLF.
    std::string_view rest = body.substr(pos);
    if (rest.starts_with("--")) return parts;
    while (!rest.empty() && IsWhite(rest.front())) rest.remove_prefix(1);
    if (!rest.starts_with("\r\n")) return Bad();
    rest.remove_prefix(2);
    pos = body.size() - rest.size();

    if (parts.size() >= limits.max_parts) return Bad();

    // The header block ends at the first empty line; look for it only within
    // the allowed header size so a huge headerless part costs nothing.
    const std::size_t window_size =
        limits.max_header_bytes > rest.size() ? rest.size() : limits.max_header_bytes + 4;
    const std::string_view window = rest.substr(0, window_size);
    const std::size_t blank = window.find("\r\n\r\n");
    if (blank == std::string_view::npos) return Bad();
    FormPart part;
    if (absl::Status s = ParsePartHeaders(rest.substr(0, blank + 2), part); !s.ok()) return s;

    const std::size_t data_start = pos + blank + 4;
    const std::size_t end = body.find(delimiter, data_start);
    if (end == std::string_view::npos) return Bad();
    part.data = std::string(body.substr(data_start, end - data_start));
    parts.push_back(std::move(part));
    pos = end + delimiter.size();
  }
}

}  // namespace waarborg::http
