// The annual report as PDF (issue 5 §4): its print-ready HTML printed by a
// headless Chromium, the browser the server's machine already has for the
// browser tests. The HTML is written to a private temporary directory and
// opened as a file; it needs nothing from the network (styles inline, charts
// inline SVG), and Chromium is started with host resolution and a proxy that
// lead nowhere, so it cannot fetch anything. One print at a time, limited in
// time; its whole process group is killed when it is done or overruns.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace waarborg::report {

struct PdfOptions {
  std::string chromium = "/usr/bin/chromium";
  // Both well inside the server's 30 s for handling a request.
  std::chrono::seconds timeout{20};  // for Chromium to print
  std::chrono::seconds queue{5};     // to wait for a print already running
};

// The PDF's bytes (they start with "%PDF-"). Unavailable (503) with a Dutch
// message when Chromium is not installed or fails; DeadlineExceeded when it
// takes longer than `timeout`; ResourceExhausted (429) when another print
// still runs after `queue`.
absl::StatusOr<std::string> HtmlToPdf(std::string_view html, const PdfOptions& options = {});

}  // namespace waarborg::report
