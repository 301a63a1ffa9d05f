// Thin CLI over probe/catalogue: the logic (loading, selection text, lint rules) lives there.
#include "cli/catalogue_commands.h"

#include <iostream>

#include "catalogue/catalogue_lint.h"
#include "catalogue/catalogue_loader.h"
#include "catalogue/selection.h"

namespace rp {

void add_catalogue_commands(CLI::App& app, CatalogueCommandOptions& o) {
  o.list = app.add_subcommand("list", "Show the catalogue's services, their inputs and its version");
  o.list->add_option("--targets", o.targets, "Catalogue directory or JSON file (default: the shipped one)");

  o.lint = app.add_subcommand("lint-targets", "Check a catalogue: sources, names, ports, duplicates, health rules");
  o.lint->add_option("path,--targets", o.targets, "Catalogue directory or JSON file (default: the shipped one)");
  o.lint->add_option("--today", o.today, "Judge dates as of YYYY-MM-DD (default: today, UTC)");
  o.lint->add_flag("--allow-special-purpose", o.allow_special_purpose,
                   "Accept lab addresses and reserved names (for lab catalogues only)");
}

int run_catalogue_command(const CLI::App&, const CatalogueCommandOptions& o) {
  const auto path = o.targets.empty() ? default_catalogue_path() : std::filesystem::path(o.targets);
  if (o.list->parsed()) {
    const auto loaded = load_catalogue(path);
    if (!loaded.catalogue) {
      std::cerr << "reachprobe: " << loaded.error << "\n";
      return 2;
    }
    std::cout << format_service_list(*loaded.catalogue);
    return 0;
  }
  LintOptions options;
  options.today = o.today.empty() ? utc_today() : o.today;
  options.allow_special_purpose = o.allow_special_purpose;
  const auto problems = lint_targets(path, options);
  for (const auto& p : problems) std::cerr << p << "\n";
  if (!problems.empty()) {
    std::cerr << "lint-targets: " << problems.size() << " problem(s) in " << path.string() << "\n";
    return 1;
  }
  std::cout << "lint-targets: " << path.string() << " passes\n";
  return 0;
}

}  // namespace rp
