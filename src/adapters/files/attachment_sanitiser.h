// Checks and cleans files that reporters attach to a report: a small allow-list
// of types detected from the content, size limits, and removal of metadata
// (EXIF/GPS, document author, revision data, ...) with mat2, which runs as a
// child process on a copy in a private temporary directory. A file that
// cannot be cleaned is refused; the uncleaned file is never returned.
//
// mat2 (Debian package `mat2`) is a runtime dependency. It is found on PATH,
// or at the path in the environment variable WAARBORG_MAT2 when that is set.
//
// Serve stored files with their `media_type`, `X-Content-Type-Options:
// nosniff` and `Content-Disposition: attachment`: text/plain is accepted
// as-is and is only safe when browsers do not render it as markup.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace waarborg::files {

struct AttachmentPolicy {
  std::size_t max_bytes = 10 * 1024 * 1024;  // per file
  int max_files = 5;                          // per submission
  std::size_t max_total_bytes = 25 * 1024 * 1024;
  int mat2_timeout_seconds = 30;  // mat2 is killed (and the file refused) after this
};

struct CleanFile {
  std::string filename;    // safe base name; extension matches the detected type
  std::string media_type;  // detected from the content, never from the browser's claim
  std::string data;        // metadata removed
};

// The media type of `data` from its magic bytes and structure, or "" when the
// type is not allowed. Allowed: application/pdf, image/jpeg, image/png,
// text/plain (non-empty valid UTF-8 without NUL or other control characters
// besides tab, CR, LF and form feed, not starting with '<', so HTML/SVG/XML
// are refused), and zip-based office documents recognised by their entries:
// .docx (`[Content_Types].xml` + `word/document.xml`), .xlsx
// (`[Content_Types].xml` + `xl/workbook.xml`), both without VBA macros, and
// .odt (a leading stored `mimetype` entry with
// application/vnd.oasis.opendocument.text). `filename` is not trusted for the
// type; it is accepted for interface stability and ignored.
std::string DetectMediaType(std::string_view data, std::string_view filename);

// Checks the size and type of one file, then removes its metadata. text/plain
// is returned unchanged (only the file name is made safe). Errors, with Dutch
// messages meant for the reporter:
//  - InvalidArgument "Het bestand is te groot (maximaal 10 MB)." (the limit
//    follows the policy) or "Dit bestandstype wordt niet geaccepteerd. ...";
//  - FailedPrecondition "Het bestand kon niet worden ontdaan van metagegevens
//    en is daarom niet opgeslagen." when mat2 is missing, fails, times out or
//    returns something that is no longer a file of the same type.
// Blocks for as long as mat2 runs (typically 0.1-0.5 s); thread-safe.
absl::StatusOr<CleanFile> SanitiseAttachment(std::string_view filename, std::string_view data,
                                             const AttachmentPolicy& policy = {});

// Checks the number and total size of the files in one submission, before any
// per-file work. InvalidArgument with a Dutch message when over a limit.
absl::Status CheckSubmissionLimits(const std::vector<std::size_t>& sizes,
                                   const AttachmentPolicy& policy = {});

// The safe name used for a file of `media_type` (one of DetectMediaType's
// results) that the browser called `filename`: the base name without path,
// control and bidirectional-override characters and characters that are
// special on common file systems, at most 100 bytes of valid UTF-8, with the
// extension replaced by the canonical one for the type ("bijlage" when
// nothing usable is left). Exposed for tests.
std::string SafeFilename(std::string_view filename, std::string_view media_type);

}  // namespace waarborg::files
