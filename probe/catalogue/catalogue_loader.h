// Reads a target catalogue (a directory or a single JSON file) and checks its shape.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "catalogue/catalogue.h"

namespace rp {

struct CatalogueLoad {
  std::optional<Catalogue> catalogue;  // set on success
  std::string error;                   // on failure: one line naming the file and the field or line at fault
};

// Loads PATH: either a directory (catalogue.json + services/*.json) or one JSON file with inline services.
// Never throws; never accepts a catalogue whose shape is wrong.
CatalogueLoad load_catalogue(const std::filesystem::path& path);

// The shipped catalogue's location (REACHPROBE_DATA_DIR/targets).
std::filesystem::path default_catalogue_path();

}  // namespace rp
