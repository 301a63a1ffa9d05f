// lint-targets: the content rules a catalogue must meet beyond its shape (sources, names, duplicates, health rules).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "catalogue/catalogue.h"

namespace rp {

// One problem, naming the service and the entry so an editor can find it.
struct LintProblem {
  std::string service;  // service id, or "" for the catalogue itself
  std::string entry;    // e.g. "endpoints[2] chat.signal.org:443/tls", or "" for the service itself
  std::string message;  // what is wrong and, where it helps, what to do
};

// "signal: endpoints[2] chat.signal.org:443/tls: no source: add \"source\" (a URL)".
std::string to_string(const LintProblem& problem);

struct LintOptions {
  // YYYY-MM-DD; when set, "checked" dates after it and pinned certificates expired by it are problems.
  std::string today;
  // Lab catalogues use 198.18.0.0/15 and .test names; the shipped catalogue never may.
  bool allow_special_purpose = false;
};

// Every problem in the catalogue, in file order; empty means it passes.
std::vector<LintProblem> lint_catalogue(const Catalogue& catalogue, const LintOptions& options = {});

// What `reachprobe lint-targets [PATH]` prints: loads PATH (a load error becomes the one line), lints it,
// and for a directory also checks that CHANGELOG.md has a "## <catalogue_version>" entry.
// One formatted line per problem; empty means the catalogue passes.
std::vector<std::string> lint_targets(const std::filesystem::path& path, const LintOptions& options = {});

// Today's UTC date as YYYY-MM-DD, for LintOptions::today.
std::string utc_today();

}  // namespace rp
