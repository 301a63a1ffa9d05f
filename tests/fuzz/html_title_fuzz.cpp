// Fuzzes title extraction (probe/html) and UTF-8 sanitising (probe/util) on arbitrary HTTP bodies.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "html/html_title.h"
#include "utf8_check.h"
#include "util/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  // Blockpages are broken HTML written by strangers; the title goes into JSON and into reports.
  if (const auto title = rp::extract_html_title(body)) {
    FUZZ_CHECK(fuzz::is_valid_utf8(*title));
    // Whitespace is collapsed: never at either end, never two in a row.
    if (!title->empty()) {
      FUZZ_CHECK(!std::isspace(static_cast<unsigned char>(title->front())));
      FUZZ_CHECK(!std::isspace(static_cast<unsigned char>(title->back())));
    }
    FUZZ_CHECK(title->find("  ") == std::string::npos);
    // At most 512 characters (the schema's maxLength): 512 input bytes, each invalid one a U+FFFD.
    std::size_t chars = 0;
    for (const char ch : *title) chars += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
    FUZZ_CHECK(chars <= 512);
  }

  // Any bytes become valid UTF-8, valid text is kept as it is, and sanitising is idempotent.
  const std::string clean = rp::sanitize_utf8(body);
  FUZZ_CHECK(fuzz::is_valid_utf8(clean));
  if (fuzz::is_valid_utf8(body)) FUZZ_CHECK(clean == body);
  FUZZ_CHECK(rp::sanitize_utf8(clean) == clean);

  // A byte limit reads no more than that many input bytes.
  const std::size_t limit = size == 0 ? 0 : data[0];
  const std::string cut = rp::sanitize_utf8(body, limit);
  FUZZ_CHECK(fuzz::is_valid_utf8(cut));
  FUZZ_CHECK(cut.size() <= 3 * limit);
  // Valid text cut at the limit keeps everything before the cut; a character the limit cuts through
  // becomes U+FFFDs (tests/unit: NeverSplitsACharacterAtTheCap), never raw partial bytes.
  if (fuzz::is_valid_utf8(body)) {
    const std::size_t n = std::min<std::size_t>(limit, size);
    std::size_t whole = n;
    while (whole > 0 && whole < size && (static_cast<unsigned char>(body[whole]) & 0xC0) == 0x80) --whole;
    FUZZ_CHECK(cut.substr(0, whole) == body.substr(0, whole));
  }
  return 0;
}
