// A strict, bounded parser for multipart/form-data request bodies (RFC 7578,
// framing per RFC 2046 section 5.1.1), used for forms with file uploads.
// No third-party code; runs in time linear in the body size and never copies
// more than the parts' contents.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace waarborg::http {

struct FormPart {
  std::string name;          // from Content-Disposition name="..."
  std::string filename;      // empty for a plain field or when no file was
                             // chosen; only the base name (any path stripped)
  std::string content_type;  // of the part as the browser claims it; may be empty
  std::string data;
};

// The boundary from a Content-Type header value such as
// `multipart/form-data; boundary=----abc` (quoted or not). InvalidArgument when
// the media type is not multipart/form-data or the boundary is absent or
// invalid (RFC 2046: 1..70 characters from the bchars set, not ending in a
// space).
absl::StatusOr<std::string> MultipartBoundary(std::string_view content_type);

struct MultipartLimits {
  std::size_t max_parts = 40;
  std::size_t max_header_bytes = 4096;  // per part, all header lines together
};

// Parses a whole multipart/form-data body. The preamble before the first
// delimiter and the epilogue after the closing one are ignored. Fails with
// InvalidArgument ("Het formulier is niet goed verstuurd.") on any
// malformation: missing first or closing delimiter, a delimiter line with
// trailing garbage, a malformed header line, a part without a
// `Content-Disposition: form-data; name="..."` header, a filename with control
// characters, more than `limits.max_parts` parts, or a header block longer
// than `limits.max_header_bytes`.
//
// A browser sends a file input left empty as a part with filename="" and no
// data; it is returned with an empty filename (and empty data), so the caller
// can simply skip parts whose filename is empty.
absl::StatusOr<std::vector<FormPart>> ParseMultipart(
    std::string_view body, std::string_view boundary,
    const MultipartLimits& limits = {});

}  // namespace waarborg::http
