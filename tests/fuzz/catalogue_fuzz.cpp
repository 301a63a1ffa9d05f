// Fuzzes the target catalogue loader on arbitrary single-file catalogues, then lint, selection and listing.
//
// load_catalogue() only takes a path (there is no parse-from-string entry point), so each input is written
// to catalogue.json in a private directory made once per process. The directory is private so a fuzzed
// "pem_file" can only name files in it (the loader confines pem_file to the catalogue's directory).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "catalogue/catalogue_lint.h"
#include "catalogue/catalogue_loader.h"
#include "catalogue/selection.h"
#include "fuzz_check.h"

namespace {

std::filesystem::path g_dir;
std::filesystem::path g_file;

void remove_dir() {
  std::error_code ec;
  std::filesystem::remove_all(g_dir, ec);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "reachprobe-fuzz-catalogue-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::perror("mkdtemp");
    std::abort();
  }
  g_dir = tmpl;
  g_file = g_dir / "catalogue.json";
  std::atexit(remove_dir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  {
    FILE* f = std::fopen(g_file.c_str(), "wb");
    FUZZ_CHECK(f != nullptr);
    FUZZ_CHECK(std::fwrite(data, 1, size, f) == size);
    FUZZ_CHECK(std::fclose(f) == 0);
  }

  // Never throws; exactly one of catalogue / error.
  const rp::CatalogueLoad load = rp::load_catalogue(g_file);
  FUZZ_CHECK(load.catalogue.has_value() == load.error.empty());
  if (!load.catalogue) {
    FUZZ_CHECK(load.error.find('\n') == std::string::npos);  // one line, as promised
    return 0;
  }
  const rp::Catalogue& c = *load.catalogue;

  // Lint: a fixed "today" keeps the target deterministic; both address policies are exercised.
  rp::LintOptions options;
  options.today = "2026-11-29";
  for (const auto& p : rp::lint_catalogue(c, options)) (void)rp::to_string(p);
  options.allow_special_purpose = true;
  (void)rp::lint_catalogue(c, options);

  // Selection by each service's own id finds it; listing never fails.
  (void)rp::format_service_list(c);
  (void)rp::select_services(c, {});
  for (const auto& s : c.services) {
    const auto chosen = rp::select_services(c, {s.id});
    FUZZ_CHECK(chosen.catalogue && !chosen.catalogue->services.empty());
  }
  (void)rp::select_services(c, {"no-such-service, ,"});
  return 0;
}
