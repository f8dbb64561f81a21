#include "adapters/web/uploads.h"

#include <cctype>

#include "adapters/files/attachment_sanitiser.h"
#include "core/common/status.h"
#include "core/common/strings.h"

namespace waarborg::web {

std::string PostedForm::Field(const std::string& key) const {
  auto it = fields.find(key);
  return it == fields.end() ? std::string() : it->second;
}

absl::StatusOr<PostedForm> ReadPostedForm(const http::HttpRequest& req) {
  PostedForm f;
  const std::string type = req.Header("content-type");
  if (type.rfind("multipart/form-data", 0) == 0) {
    ASSIGN_OR_RETURN(std::string boundary, http::MultipartBoundary(type));
    ASSIGN_OR_RETURN(auto parts, http::ParseMultipart(req.body, boundary));
    for (auto& p : parts) {
      if (p.name == "bestanden") {
        if (!p.filename.empty() && !p.data.empty()) f.files.push_back(std::move(p));
      } else {
        f.fields[p.name] = std::move(p.data);
      }
    }
  } else {
    for (auto& [k, v] : http::ParseForm(req.body)) f.fields.emplace(k, v);
  }
  return f;
}

absl::StatusOr<std::vector<Attachment>> CleanUploads(const std::vector<http::FormPart>& files) {
  std::vector<std::size_t> sizes;
  for (const auto& p : files) sizes.push_back(p.data.size());
  RETURN_IF_ERROR(files::CheckSubmissionLimits(sizes));
  std::vector<Attachment> out;
  for (const auto& p : files) {
    auto clean = files::SanitiseAttachment(p.filename, p.data);
    if (!clean.ok())
      return absl::Status(clean.status().code(),
                          ToAbsl(Cat(p.filename, ": ", std::string(FromAbsl(clean.status().message())))));
    Attachment a;
    a.filename = clean->filename;
    a.media_type = clean->media_type;
    a.size = static_cast<std::int64_t>(clean->data.size());
    a.data = std::move(clean->data);
    out.push_back(std::move(a));
  }
  return out;
}

namespace {

// A file name safe inside a quoted header value: ASCII letters, digits and
// ". _ -" only; the rest becomes "_".
std::string HeaderSafeName(const std::string& name) {
  std::string out;
  for (unsigned char ch : name) {
    if (std::isalnum(ch) || ch == '.' || ch == '_' || ch == '-') out += static_cast<char>(ch);
    else out += '_';
  }
  if (out.empty() || out[0] == '.') out = "bestand" + out;
  return out;
}

}  // namespace

http::HttpResponse DownloadResponse(const Attachment& a) {
  http::HttpResponse r;
  r.status = 200;
  r.content_type = a.media_type.empty() ? "application/octet-stream" : a.media_type;
  r.body = a.data;
  r.Header("Content-Disposition", Cat("attachment; filename=\"", HeaderSafeName(a.filename), "\""));
  // On top of the server's own headers (nosniff, no-store): even when
  // opened, the file runs no script and loads nothing.
  r.Header("Content-Security-Policy", "sandbox; default-src 'none'");
  return r;
}

}  // namespace waarborg::web
