// `reachprobe list` and `reachprobe lint-targets`: reading the catalogue without measuring anything.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace rp {

struct CatalogueCommandOptions {
  std::string targets;  // empty: the shipped catalogue
  std::string today;    // lint: date to judge "checked" dates and pin expiry by (default: today, UTC)
  bool allow_special_purpose = false;
  CLI::App* list = nullptr;
  CLI::App* lint = nullptr;
};

void add_catalogue_commands(CLI::App& app, CatalogueCommandOptions& opts);

// Runs whichever of the two was parsed; returns the exit code (0 ok, 1 lint problems, 2 unreadable catalogue).
int run_catalogue_command(const CLI::App& app, const CatalogueCommandOptions& opts);

}  // namespace rp
