// Fuzzes the Citizen Lab test-list reader (RFC 4180 CSV) on arbitrary text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "catalogue/names.h"
#include "catalogue/test_list.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const rp::TestListRead all = rp::parse_test_list(text);
  if (!all.error.empty()) FUZZ_CHECK(all.entries.empty());
  std::size_t last_line = 0;
  for (const auto& e : all.entries) {
    // Every kept entry is a URL the probe can measure, in file order.
    FUZZ_CHECK(rp::parse_http_url(e.url).has_value());
    FUZZ_CHECK(e.line >= 1 && e.line > last_line);
    last_line = e.line;
  }
  FUZZ_CHECK(all.problems.size() <= 1001);  // capped (the cap's own note included)

  // A category filter keeps a subset of the unfiltered entries.
  const rp::TestListRead comt = rp::parse_test_list(text, std::string("comt"), "fuzz.csv");
  if (comt.error.empty()) {
    FUZZ_CHECK(comt.entries.size() <= all.entries.size());
    for (const auto& e : comt.entries) FUZZ_CHECK(rp::ascii_lower(e.category_code) == "comt");
  }
  // An unknown category is an error, whatever the text.
  const rp::TestListRead unknown = rp::parse_test_list(text, std::string("NOT-A-CATEGORY"));
  FUZZ_CHECK(!unknown.error.empty() && unknown.entries.empty());
  return 0;
}
