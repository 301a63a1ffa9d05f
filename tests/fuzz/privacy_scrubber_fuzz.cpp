// Fuzzes the privacy scrubber (probe/output) on arbitrary record text: servers choose much of what a record
// says, and the scrubber is the last thing between it and the volunteer's results file.
#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "output/privacy_scrubber.h"

namespace {

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// True if `needle` occurs in text as a whole address: for IPv4, no digit (or dot and digit) on either
// side; for IPv6, no hex digit or colon either.
bool has_whole(const std::string& text, const std::string& needle, bool ipv6) {
  for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) {
    const auto digit = [&](std::size_t i) {
      return i < text.size() && (ipv6 ? is_hex(text[i]) || text[i] == ':' : text[i] >= '0' && text[i] <= '9');
    };
    const std::size_t end = pos + needle.size();
    const bool starts = pos == 0 || !(digit(pos - 1) || (text[pos - 1] == '.' && pos >= 2 && digit(pos - 2)));
    const bool ends = end >= text.size() || !(digit(end) || (text[end] == '.' && digit(end + 1)));
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const rp::PrivacyScrubber scrubber = [] {
    rp::PrivacyScrubber s;
    s.add("198.18.1.2");
    s.add("2001:db8::42");
    return s;
  }();
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string scrubbed = text;
  if (!scrubber.scrub(scrubbed)) return 0;  // withheld: nothing is written
  // What is written never names the machine, and a second pass finds nothing more to do.
  FUZZ_CHECK(!has_whole(scrubbed, "198.18.1.2", false));
  FUZZ_CHECK(!has_whole(scrubbed, "2001:db8::42", true));
  std::string again = scrubbed;
  FUZZ_CHECK(scrubber.scrub(again));
  FUZZ_CHECK(again == scrubbed);
  // Bounded growth: each replacement is at most the mark for an address of at least 7 characters.
  FUZZ_CHECK(scrubbed.size() <= text.size() + text.size() / 7 * 4 + 16);
  return 0;
}
