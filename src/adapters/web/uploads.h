// Forms that may carry files (multipart/form-data) and the files' way in and
// out: checked and cleaned of metadata before anything is stored, and sent
// back only as a download that no browser renders in place.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/http/http_types.h"
#include "adapters/http/multipart.h"
#include "core/ports/store.h"

namespace waarborg::web {

// A posted form: its fields (urlencoded or multipart) and, for multipart, the
// non-empty files sent in the field named "bestanden".
struct PostedForm {
  std::map<std::string, std::string> fields;
  std::vector<http::FormPart> files;
  std::string Field(const std::string& key) const;
};

absl::StatusOr<PostedForm> ReadPostedForm(const http::HttpRequest& req);

// Checks count, size and type of every file and strips its metadata (mat2);
// one refused file refuses them all, so nothing is half stored.
absl::StatusOr<std::vector<Attachment>> CleanUploads(const std::vector<http::FormPart>& files);

// An attachment as a download: Content-Disposition attachment, the media type
// found on intake and a sandboxing CSP (the server adds nosniff, no-store).
http::HttpResponse DownloadResponse(const Attachment& a);

}  // namespace waarborg::web
