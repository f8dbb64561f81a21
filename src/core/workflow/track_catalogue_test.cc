// Which definition applies to a case: the nearest unit that tightened the
// track (workflows/units/<folder>), else the national one.
#include "core/workflow/track_catalogue.h"

#include <gtest/gtest.h>

namespace waarborg::workflow {
namespace {

TEST(TrackCatalogue, UnitFolderNameIsTheUnitsNameInPlainLowerCase) {
  EXPECT_EQ(UnitFolderName("Eenheid Oost-Nederland"), "eenheid-oost-nederland");
  EXPECT_EQ(UnitFolderName("  Eenheid  Den Haag "), "eenheid-den-haag");
  EXPECT_EQ(UnitFolderName("Fryslân"), "fryslan");
  EXPECT_EQ(UnitFolderName("Politiediensten\u00adcentrum (PDC)"), "politiediensten-centrum-pdc");
  EXPECT_EQ(UnitFolderName("Zeeland-West-Brabant district 2"), "zeeland-west-brabant-district-2");
}

TEST(TrackCatalogue, NearestUnitThatTightenedTheTrackWins) {
  TrackCatalogue c;
  TrackDefinition national;
  national.id = "investigation";
  national.name = "Landelijk";
  c.tracks.push_back(national);
  TrackDefinition unit = national;
  unit.name = "Eenheid";
  TrackDefinition district = national;
  district.name = "District";
  c.unit_overrides.push_back({"eenheid-oost", unit});
  c.unit_overrides.push_back({"oost-district-1", district});
  EXPECT_EQ(c.For("investigation", {"oost-team-1-1", "oost-district-1", "eenheid-oost", "politie-nederland"})->name,
            "District");
  EXPECT_EQ(c.For("investigation", {"oost-team-2-1", "oost-district-2", "eenheid-oost"})->name, "Eenheid");
  EXPECT_EQ(c.For("investigation", {"west-team", "eenheid-west"})->name, "Landelijk");
  EXPECT_EQ(c.For("complaints_committee", {"eenheid-oost"}), nullptr);
}

}  // namespace
}  // namespace waarborg::workflow
