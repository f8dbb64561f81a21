#include "adapters/files/attachment_sanitiser.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>
#include <utility>

#include "core/common/strings.h"

extern char** environ;

namespace waarborg::files {
namespace {

constexpr std::string_view kTypeRefused =
    "Dit bestandstype wordt niet geaccepteerd. Toegestaan: PDF, JPEG, PNG, tekst, Word, "
    "Excel en OpenDocument.";
constexpr std::string_view kNotCleaned =
    "Het bestand kon niet worden ontdaan van metagegevens en is daarom niet opgeslagen.";

constexpr std::string_view kPdf = "application/pdf";
constexpr std::string_view kJpeg = "image/jpeg";
constexpr std::string_view kPng = "image/png";
constexpr std::string_view kText = "text/plain";
constexpr std::string_view kDocx =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr std::string_view kXlsx =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr std::string_view kOdt = "application/vnd.oasis.opendocument.text";

// A cleaned file may be larger than the original (mat2 renders PDF pages to
// images), but not without bound.
constexpr std::size_t kMaxGrowth = 4;

absl::Status Invalid(std::string_view msg) { return absl::InvalidArgumentError(ToAbsl(msg)); }
absl::Status NotCleaned() { return absl::FailedPreconditionError(ToAbsl(kNotCleaned)); }

std::string Megabytes(std::size_t bytes) {
  constexpr std::size_t kMiB = 1024 * 1024;
  if (bytes % kMiB == 0) return Cat(bytes / kMiB, " MB");
  return fmt::format("{:.1f} MB", static_cast<double>(bytes) / kMiB);
}

std::string TooLarge(std::size_t max_bytes) {
  return Cat("Het bestand is te groot (maximaal ", Megabytes(max_bytes), ").");
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

// --- UTF-8 ------------------------------------------------------------------

// Decodes one UTF-8 sequence at s[i]; returns its length and sets `cp`, or 0
// for an invalid (overlong, surrogate, out of range, truncated) sequence.
std::size_t DecodeUtf8(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  std::size_t len;
  char32_t min;
  if (c < 0x80) {
    cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// Non-empty valid UTF-8 without NUL or control characters other than tab,
// LF, CR and form feed, whose first non-blank character (after an optional
// BOM) is not '<' (HTML, SVG, XML).
bool IsPlainText(std::string_view s) {
  std::size_t i = 0;
  bool seen_content = false;
  if (s.starts_with("\xEF\xBB\xBF")) i = 3;
  while (i < s.size()) {
    char32_t cp;
    const std::size_t len = DecodeUtf8(s, i, cp);
    if (len == 0) return false;
    if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r' && cp != '\f') || cp == 0x7F ||
        (cp >= 0x80 && cp <= 0x9F)) {
      return false;
    }
    if (!seen_content && cp != ' ' && cp != '\t' && cp != '\n' && cp != '\r' && cp != '\f') {
      if (cp == '<') return false;
      seen_content = true;
    }
    i += len;
  }
  return seen_content;
}

// --- ZIP (OOXML / ODF) ------------------------------------------------------

std::uint32_t Le16(std::string_view s, std::size_t at) {
  return static_cast<unsigned char>(s[at]) | (static_cast<unsigned char>(s[at + 1]) << 8);
}
std::uint32_t Le32(std::string_view s, std::size_t at) {
  return Le16(s, at) | (Le16(s, at + 2) << 16);
}

// The entry names from a zip file's central directory, or nullopt when the
// archive is malformed, spans disks or uses ZIP64.
std::optional<std::vector<std::string_view>> ZipEntryNames(std::string_view z) {
  constexpr std::size_t kEocdSize = 22;
  constexpr std::size_t kMaxEntries = 10000;
  if (z.size() < kEocdSize) return std::nullopt;
  // The end-of-central-directory record is followed by a comment of at most
  // 65535 bytes.
  std::size_t eocd = std::string_view::npos;
  const std::size_t lowest = z.size() > kEocdSize + 0xFFFF ? z.size() - kEocdSize - 0xFFFF : 0;
  for (std::size_t at = z.size() - kEocdSize + 1; at-- > lowest;) {
    if (Le32(z, at) == 0x06054b50 && at + kEocdSize + Le16(z, at + 20) == z.size()) {
      eocd = at;
      break;
    }
  }
  if (eocd == std::string_view::npos) return std::nullopt;
  if (Le16(z, eocd + 4) != 0 || Le16(z, eocd + 6) != 0) return std::nullopt;  // multi-disk
  const std::uint32_t count = Le16(z, eocd + 10);
  const std::uint32_t cd_size = Le32(z, eocd + 12);
  const std::uint32_t cd_offset = Le32(z, eocd + 16);
  if (count != Le16(z, eocd + 8) || count == 0xFFFF || count > kMaxEntries) return std::nullopt;
  if (cd_offset == 0xFFFFFFFF || std::size_t{cd_offset} + cd_size > eocd) return std::nullopt;

  std::vector<std::string_view> names;
  std::size_t at = cd_offset;
  const std::size_t cd_end = std::size_t{cd_offset} + cd_size;
  for (std::uint32_t n = 0; n < count; ++n) {
    if (at + 46 > cd_end || Le32(z, at) != 0x02014b50) return std::nullopt;
    const std::size_t name_len = Le16(z, at + 28);
    const std::size_t total = 46 + name_len + Le16(z, at + 30) + Le16(z, at + 32);
    if (at + total > cd_end) return std::nullopt;
    names.push_back(z.substr(at + 46, name_len));
    at += total;
  }
  return names;
}

// The media type of a zip-based office document, or "".
std::string_view OfficeType(std::string_view z) {
  std::optional<std::vector<std::string_view>> names = ZipEntryNames(z);
  if (!names) return "";
  bool content_types = false, word = false, excel = false, mimetype = false;
  for (std::string_view name : *names) {
    const std::string lower = LowerCopy(name);
    // Macros are not accepted: no vbaProject.bin (docm/xlsm renamed) and no
    // ODF Basic/Scripts directories.
    if (lower.ends_with("vbaproject.bin") || lower.starts_with("basic/") ||
        lower.starts_with("scripts/")) {
      return "";
    }
    if (name == "[Content_Types].xml") content_types = true;
    if (name == "word/document.xml") word = true;
    if (name == "xl/workbook.xml") excel = true;
    if (name == "mimetype") mimetype = true;
  }
  if (content_types && word && !excel && !mimetype) return kDocx;
  if (content_types && excel && !word && !mimetype) return kXlsx;
  if (mimetype && !content_types) {
    // ODF: the first local entry is "mimetype", stored uncompressed, holding
    // the media type.
    if (z.size() < 30 || Le32(z, 0) != 0x04034b50 || Le16(z, 8) != 0) return "";
    const std::size_t size = Le32(z, 18);
    const std::size_t name_len = Le16(z, 26);
    const std::size_t extra_len = Le16(z, 28);
    if (30 + name_len + extra_len + size > z.size()) return "";
    if (z.substr(30, name_len) != "mimetype") return "";
    if (z.substr(30 + name_len + extra_len, size) == kOdt) return kOdt;
  }
  return "";
}

std::string_view Extension(std::string_view media_type) {
  if (media_type == kPdf) return ".pdf";
  if (media_type == kJpeg) return ".jpg";
  if (media_type == kPng) return ".png";
  if (media_type == kText) return ".txt";
  if (media_type == kDocx) return ".docx";
  if (media_type == kXlsx) return ".xlsx";
  if (media_type == kOdt) return ".odt";
  return ".bin";
}

// --- Files and processes ----------------------------------------------------

// A fresh private directory (mode 0700 from mkdtemp), removed with all its
// contents when this object goes out of scope.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = Cat((base != nullptr && base[0] == '/') ? base : "/tmp", "/waarborg-XXXXXX");
    if (mkdtemp(tmpl.data()) != nullptr) path_ = std::move(tmpl);
  }
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);  // does not follow symlinks
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

bool WriteNewFile(const std::string& path, std::string_view data) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return close(fd) == 0;
}

std::optional<std::string> ReadRegularFile(const std::string& path, std::size_t max_bytes) {
  const int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
      static_cast<std::size_t>(st.st_size) > max_bytes) {
    close(fd);
    return std::nullopt;
  }
  std::string out(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  close(fd);
  if (done != out.size()) return std::nullopt;
  return out;
}

// Owns posix_spawn's attribute objects.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

// Runs `mat2 --inplace -- <path>` (no shell) with stdin, stdout and stderr on
// /dev/null, so nothing of the file reaches the server log, in its own
// process group so that a timeout kills mat2's helpers too. True when it
// exits with status 0 within `timeout`.
bool RunMat2(const std::string& path, std::chrono::seconds timeout) {
  const char* override_path = std::getenv("WAARBORG_MAT2");
  const std::string program =
      (override_path != nullptr && override_path[0] != '\0') ? override_path : "mat2";
  std::string arg_inplace = "--inplace", arg_end = "--", arg_path = path;
  std::string arg0 = program;
  char* argv[] = {arg0.data(), arg_inplace.data(), arg_end.data(), arg_path.data(), nullptr};

  SpawnSetup setup;
  if (posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0) != 0 ||
      posix_spawn_file_actions_addopen(&setup.actions, 1, "/dev/null", O_WRONLY, 0) != 0 ||
      posix_spawn_file_actions_adddup2(&setup.actions, 1, 2) != 0) {
    return false;
  }
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  // Do not leak the server's sockets or database handles to the child.
  if (posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3) != 0) return false;
#endif
  sigset_t empty, defaults;
  sigemptyset(&empty);
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGCHLD, SIGHUP, SIGINT, SIGQUIT, SIGTERM}) sigaddset(&defaults, sig);
  if (posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                                POSIX_SPAWN_SETSIGDEF) != 0 ||
      posix_spawnattr_setpgroup(&setup.attr, 0) != 0 ||
      posix_spawnattr_setsigmask(&setup.attr, &empty) != 0 ||
      posix_spawnattr_setsigdefault(&setup.attr, &defaults) != 0) {
    return false;
  }

  pid_t pid;
  // posix_spawnp searches PATH unless `program` contains a slash; glibc
  // reports a failed exec (e.g. mat2 not installed) as an error here.
  if (posix_spawnp(&pid, program.c_str(), &setup.actions, &setup.attr, argv, environ) != 0) {
    return false;
  }

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  int status = 0;
  for (;;) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) return false;
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(-pid, SIGKILL);  // the whole process group
      kill(pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return false;
    }
    std::this_thread::sleep_for(pause);
    if (pause < std::chrono::milliseconds(20)) pause *= 2;
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Appends `cp` as UTF-8.
void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsBidiControl(char32_t cp) {
  return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061C || cp == 0xFEFF;
}

}  // namespace

std::string DetectMediaType(std::string_view data, std::string_view /*filename*/) {
  if (data.starts_with("%PDF-")) return std::string(kPdf);
  if (data.starts_with("\xFF\xD8\xFF")) return std::string(kJpeg);
  if (data.starts_with("\x89PNG\r\n\x1A\n")) return std::string(kPng);
  if (data.starts_with("PK\x03\x04")) return std::string(OfficeType(data));
  if (IsPlainText(data)) return std::string(kText);
  return "";
}

std::string SafeFilename(std::string_view filename, std::string_view media_type) {
  constexpr std::size_t kMaxBytes = 100;
  const std::size_t slash = filename.find_last_of("/\\");
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);

  // Code points of the cleaned name, with their UTF-8 lengths kept implicit.
  std::u32string cps;
  for (std::size_t i = 0; i < filename.size();) {
    char32_t cp;
    std::size_t len = DecodeUtf8(filename, i, cp);
    if (len == 0) {
      cp = '_';
      len = 1;
    }
    i += len;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || IsBidiControl(cp)) continue;
    switch (cp) {
      case '<': case '>': case ':': case '"': case '|': case '?': case '*':
        cp = '_';
        break;
      default:
        break;
    }
    cps.push_back(cp);
  }
  // No leading dots (hidden files, "..") and no leading or trailing blanks.
  while (!cps.empty() && (cps.front() == '.' || cps.front() == ' ')) cps.erase(cps.begin());
  while (!cps.empty() && (cps.back() == '.' || cps.back() == ' ')) cps.pop_back();
  // Drop a short alphanumeric extension; the type decides the real one.
  const std::size_t dot = cps.rfind(U'.');
  if (dot != std::u32string::npos && dot > 0 && cps.size() - dot - 1 >= 1 &&
      cps.size() - dot - 1 <= 5) {
    bool alnum = true;
    for (std::size_t k = dot + 1; k < cps.size(); ++k) {
      const char32_t c = cps[k];
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        alnum = false;
      }
    }
    if (alnum) cps.resize(dot);
  }
  while (!cps.empty() && (cps.back() == '.' || cps.back() == ' ')) cps.pop_back();

  const std::string_view ext = Extension(media_type);
  std::string stem;
  for (char32_t cp : cps) {
    std::string one;
    AppendUtf8(one, cp);
    if (stem.size() + one.size() + ext.size() > kMaxBytes) break;
    stem += one;
  }
  if (stem.empty()) stem = "bijlage";
  return Cat(stem, ext);
}

absl::Status CheckSubmissionLimits(const std::vector<std::size_t>& sizes,
                                   const AttachmentPolicy& policy) {
  if (sizes.size() > static_cast<std::size_t>(policy.max_files < 0 ? 0 : policy.max_files)) {
    return Invalid(Cat("U kunt maximaal ", policy.max_files, " bestanden meesturen."));
  }
  std::size_t total = 0;
  for (std::size_t size : sizes) {
    if (size > policy.max_bytes) return Invalid(TooLarge(policy.max_bytes));
    total += size;
  }
  if (total > policy.max_total_bytes) {
    return Invalid(Cat("De bestanden zijn samen te groot (maximaal ",
                       Megabytes(policy.max_total_bytes), ")."));
  }
  return absl::OkStatus();
}

absl::StatusOr<CleanFile> SanitiseAttachment(std::string_view filename, std::string_view data,
                                             const AttachmentPolicy& policy) {
  if (data.size() > policy.max_bytes) return Invalid(TooLarge(policy.max_bytes));
  const std::string media_type = DetectMediaType(data, filename);
  if (media_type.empty()) return Invalid(kTypeRefused);

  CleanFile out;
  out.filename = SafeFilename(filename, media_type);
  out.media_type = media_type;
  if (media_type == kText) {
    out.data = std::string(data);
    return out;
  }

  TempDir dir;
  if (!dir.ok()) return NotCleaned();
  // A fixed name: the reporter's file name never reaches mat2 or a command
  // line. mat2 picks its parser from the extension.
  const std::string path = Cat(dir.path(), "/bijlage", Extension(media_type));
  if (!WriteNewFile(path, data)) return NotCleaned();
  const int seconds = policy.mat2_timeout_seconds > 0 ? policy.mat2_timeout_seconds : 30;
  if (!RunMat2(path, std::chrono::seconds(seconds))) return NotCleaned();

  const std::size_t max_out = std::max<std::size_t>(policy.max_bytes, 1024 * 1024) * kMaxGrowth;
  std::optional<std::string> cleaned = ReadRegularFile(path, max_out);
  if (!cleaned || DetectMediaType(*cleaned, "") != media_type) return NotCleaned();
  out.data = std::move(*cleaned);
  return out;
}

}  // namespace waarborg::files
