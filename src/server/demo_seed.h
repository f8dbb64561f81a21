// The demo organisation for `waarborg serve --demo`: the units of DOMAIN §1
// with districts and teams, about 200 people with chains of command, a demo
// account for every role, and a handful of LMM cases in different states.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "app/lmm_service.h"
#include "app/reporter_channel.h"
#include "app/track_service.h"
#include "core/ports/store.h"

namespace waarborg {

struct DemoLogin {
  std::string username;
  std::string role_label;
  std::string totp_secret_base32;  // empty when no second factor
};

inline constexpr const char* kDemoPassword = "waarborg-demo";

// Seeds an empty database; does nothing when the organisation exists.
// Seeds a new database with the demo organisation and cases; returns the
// receipt of the fictitious anonymous demo report ("" when already seeded).
absl::StatusOr<std::string> SeedDemo(Store& store, app::LmmService& lmm, app::ReporterChannel& channel);

// Seeds a few cases on the other tracks (a VIK signal in triage, an
// investigation with its investigator, a complaint with a counsellor), for a
// database SeedDemo has just seeded.
absl::Status SeedDemoTracks(Store& store, app::TrackService& tracks);

// A complaint about unwanted behaviour that the demo counsellor (vp) has
// taken to its evaluation, so that a learning case can be made of it (issue 5
// §5): the complainant is a colleague in a team of Midden-Nederland.
absl::Status SeedDemoLearning(Store& store, app::TrackService& tracks);

// The demo log-ins (reads the accounts back from the store).
std::vector<DemoLogin> DemoLogins(Store& store);

}  // namespace waarborg
