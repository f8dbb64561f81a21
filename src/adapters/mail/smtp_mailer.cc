#include "adapters/mail/smtp_mailer.h"

#include <curl/curl.h>

#include <array>
#include <chrono>
#include <cstring>
#include <mutex>
#include <random>

#include "core/common/status.h"
#include "core/common/strings.h"

namespace waarborg::mail {
namespace {

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

bool IsPrintableAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// "\n" and "\r\n" line ends to "\r\n" (SMTP and RFC 5322 want CRLF).
std::string WithCrlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 40);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') continue;
    if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

std::string RandomHex(std::size_t bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device rd;
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    const unsigned v = rd() & 0xff;
    out += kHex[v >> 4];
    out += kHex[v & 15];
  }
  return out;
}

// Error text from libcurl or the server, with the recipient removed: a
// status may end up in the outbox, the audit trail or a log.
std::string Scrub(std::string text, std::string_view recipient) {
  if (recipient.empty()) return text;
  for (std::size_t p; (p = text.find(recipient)) != std::string::npos;) text.replace(p, recipient.size(), "<ontvanger>");
  return text;
}

absl::Status CurlError(CURLcode rc, const char* errbuf, std::string_view recipient) {
  std::string detail = Scrub(errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc), recipient);
  switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return absl::InvalidArgumentError(ToAbsl(Cat("De SMTP-URL is ongeldig (", detail, ").")));
    case CURLE_COULDNT_RESOLVE_HOST:
      return absl::UnavailableError(ToAbsl(Cat("De mailserver is niet te vinden (", detail, ").")));
    case CURLE_COULDNT_CONNECT:
      return absl::UnavailableError(ToAbsl(Cat("De mailserver is niet bereikbaar (", detail, ").")));
    case CURLE_OPERATION_TIMEDOUT:
      return absl::DeadlineExceededError(ToAbsl(Cat("De mailserver antwoordde niet op tijd (", detail, ").")));
    case CURLE_LOGIN_DENIED:
      return absl::PermissionDeniedError(ToAbsl(Cat("De mailserver weigerde de aanmelding (", detail, ").")));
    case CURLE_USE_SSL_FAILED:
      return absl::FailedPreconditionError(ToAbsl(
          Cat("De mailserver biedt geen STARTTLS aan en versleuteling is verplicht (", detail, ").")));
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
      return absl::UnavailableError(
          ToAbsl(Cat("De beveiligde verbinding met de mailserver is mislukt (", detail, ").")));
    default:
      break;
  }
  if (detail.rfind("RCPT failed", 0) == 0)
    return absl::UnavailableError(ToAbsl(Cat("De mailserver weigerde de ontvanger (", detail, ").")));
  if (detail.rfind("MAIL failed", 0) == 0)
    return absl::UnavailableError(ToAbsl(Cat("De mailserver weigerde de afzender (", detail, ").")));
  return absl::UnavailableError(ToAbsl(Cat("Verzenden naar de mailserver is mislukt (", detail, ").")));
}

struct Upload {
  std::string_view data;
  std::size_t offset = 0;
};

std::size_t ReadChunk(char* buffer, std::size_t size, std::size_t nitems, void* user) {
  auto* up = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * nitems, up->data.size() - up->offset);
  std::memcpy(buffer, up->data.data() + up->offset, n);
  up->offset += n;
  return n;
}

struct CurlHandle {
  CURL* h = curl_easy_init();
  curl_slist* rcpt = nullptr;
  ~CurlHandle() {
    curl_slist_free_all(rcpt);
    if (h) curl_easy_cleanup(h);
  }
};

absl::Status GlobalInit() {
  static std::once_flag once;
  static CURLcode rc = CURLE_OK;
  std::call_once(once, [] { rc = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (rc != CURLE_OK) return absl::InternalError("libcurl kon niet worden gestart.");
  return absl::OkStatus();
}

}  // namespace

std::string MailAddressOf(std::string_view from) {
  std::string_view addr = from;
  if (const auto lt = from.rfind('<'); lt != std::string_view::npos) {
    const auto gt = from.find('>', lt);
    if (gt == std::string_view::npos) return "";
    addr = from.substr(lt + 1, gt - lt - 1);
  }
  while (!addr.empty() && addr.front() == ' ') addr.remove_prefix(1);
  while (!addr.empty() && addr.back() == ' ') addr.remove_suffix(1);
  const auto at = addr.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == addr.size() ||
      addr.find_first_of(" \t\r\n<>\"(),;") != std::string_view::npos)
    return "";
  return std::string(addr);
}

std::string EncodeHeaderText(std::string_view text) {
  if (IsPrintableAscii(text)) return std::string(text);
  // 45 bytes of UTF-8 give 60 base64 characters: with "=?UTF-8?B?" and "?="
  // the word stays within 75 (RFC 2047 §2). Split between characters only.
  constexpr std::size_t kChunk = 45;
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = std::min(text.size(), i + kChunk);
    while (end < text.size() && end > i + 1 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";  // folded: each encoded-word on its own line
    out += Cat("=?UTF-8?B?", Base64(text.substr(i, end - i)), "?=");
    i = end;
  }
  return out;
}

std::string Rfc5322Date(std::time_t t) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} +0000", kDays[tm.tm_wday], tm.tm_mday,
                     kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string FormatMessage(std::string_view from, const OutgoingMail& mail, std::time_t now,
                          std::string_view message_id) {
  // From: a display name in plain ASCII goes as a quoted string, otherwise
  // as encoded-words.
  std::string from_header(from);
  if (const auto lt = from.rfind('<'); lt != std::string_view::npos) {
    std::string_view name = from.substr(0, lt);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    std::string_view quoted = name;
    if (quoted.size() >= 2 && quoted.front() == '"' && quoted.back() == '"') quoted = quoted.substr(1, quoted.size() - 2);
    const std::string addr = MailAddressOf(from);
    if (quoted.empty()) {
      from_header = addr;
    } else if (IsPrintableAscii(quoted) && quoted.find_first_of("\"\\") == std::string_view::npos) {
      from_header = Cat("\"", quoted, "\" <", addr, ">");
    } else {
      from_header = Cat(EncodeHeaderText(quoted), " <", addr, ">");
    }
  }
  std::string out;
  out += Cat("Date: ", Rfc5322Date(now), "\r\n");
  out += Cat("From: ", from_header, "\r\n");
  out += Cat("To: ", mail.to, "\r\n");
  out += Cat("Subject: ", EncodeHeaderText(mail.subject), "\r\n");
  out += Cat("Message-ID: <", message_id, ">\r\n");
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: 8bit\r\n";
  out += "Auto-Submitted: auto-generated\r\n";  // RFC 3834: no out-of-office replies
  out += "\r\n";
  out += WithCrlf(mail.body);
  return out;
}

SmtpMailer::SmtpMailer(SmtpOptions options, std::string from_address)
    : options_(std::move(options)), from_address_(std::move(from_address)) {}

absl::StatusOr<std::unique_ptr<SmtpMailer>> SmtpMailer::Create(SmtpOptions options) {
  if (options.url.rfind("smtp://", 0) != 0 && options.url.rfind("smtps://", 0) != 0)
    return absl::InvalidArgumentError("De SMTP-URL moet beginnen met smtp:// of smtps://.");
  if (HasLineBreak(options.url) || HasLineBreak(options.from))
    return absl::InvalidArgumentError("De SMTP-instellingen bevatten een regeleinde.");
  std::string from_address = MailAddressOf(options.from);
  if (from_address.empty())
    return absl::InvalidArgumentError(
        "Het afzenderadres (--mail-from) is ongeldig; gebruik bijvoorbeeld waarborg@example.nl.");
  RETURN_IF_ERROR(GlobalInit());
  return std::unique_ptr<SmtpMailer>(new SmtpMailer(std::move(options), std::move(from_address)));
}

absl::Status SmtpMailer::Send(const OutgoingMail& mail) {
  const std::string to = MailAddressOf(mail.to);
  if (to.empty() || to != mail.to) return absl::InvalidArgumentError("Het e-mailadres van de ontvanger is ongeldig.");
  if (HasLineBreak(mail.subject)) return absl::InvalidArgumentError("Het onderwerp bevat een regeleinde.");

  const std::string domain = from_address_.substr(from_address_.find('@') + 1);
  const std::string message = FormatMessage(options_.from, mail, std::time(nullptr), Cat(RandomHex(16), "@", domain));

  CurlHandle curl;
  if (!curl.h) return absl::InternalError("libcurl kon geen verbinding voorbereiden.");
  char errbuf[CURL_ERROR_SIZE] = {0};
  Upload upload{message, 0};
  const std::string mail_from = Cat("<", from_address_, ">");
  curl.rcpt = curl_slist_append(nullptr, Cat("<", to, ">").c_str());
  CURL* h = curl.h;
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // called from a worker thread
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_ms));
  if (options_.url.rfind("smtp://", 0) == 0) {
    const long ssl = options_.starttls == StartTls::kRequired ? CURLUSESSL_ALL
                     : options_.starttls == StartTls::kTry    ? CURLUSESSL_TRY
                                                              : CURLUSESSL_NONE;
    curl_easy_setopt(h, CURLOPT_USE_SSL, ssl);
  }
  if (!options_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, curl.rcpt);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, ReadChunk);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) return CurlError(rc, errbuf, to);
  return absl::OkStatus();
}

}  // namespace waarborg::mail
