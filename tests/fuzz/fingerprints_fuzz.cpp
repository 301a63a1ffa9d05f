// Fuzzes reachanalyze's fingerprint catalogue loader (one JSON document) and matching with what it accepts.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "fingerprints.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // As load_dirs reads a file: nlohmann's parser first (it is iterative, so depth is not a stack risk).
  const nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return 0;

  // The only exception the loader may throw is FingerprintError: reachanalyze catches that one alone,
  // so anything else (a nlohmann type_error, say) would terminate it on a bad catalogue.
  ra::FingerprintCatalogue fp;
  try {
    fp.add_document(doc, "fuzz.json");
  } catch (const ra::FingerprintError&) {
    return 0;
  }
  for (const auto& f : fp.all()) {
    FUZZ_CHECK(!f.id.empty());
    FUZZ_CHECK(!f.match.empty());
    (void)ra::to_string(f.attribution);
  }

  // Matching whatever was accepted against typical and odd responses never fails.
  rp::HttpResponseRecord r;
  r.status = 403;
  r.headers = {{"Server", "nginx"}, {"Location", "http://blocked.example/"}, {"X-Empty", ""}};
  r.title = "Access Denied";
  r.body_prefix = "<html><head><title>Access Denied</title></head><body>blocked</body></html>";
  (void)fp.match_http(r, std::string("http://blocked.example/"));
  rp::HttpResponseRecord empty;
  (void)fp.match_http(empty, std::nullopt);
  (void)fp.match_dns("198.51.100.7");
  (void)fp.match_dns("");
  for (const auto& f : fp.all()) {
    // Each condition's own pattern, used as the observed value, exercises the full/prefix/contains paths.
    for (const auto& c : f.match) {
      (void)fp.match_dns(c.pattern);
      rp::HttpResponseRecord p;
      p.body_prefix = c.pattern;
      p.title = c.pattern;
      (void)fp.match_http(p, c.pattern);
    }
  }
  return 0;
}
