// Makes untrusted bytes safe to put in a JSON string.
#pragma once

#include <string>
#include <string_view>

namespace rp {

// Returns bytes as valid UTF-8: every invalid or overlong sequence becomes U+FFFD, NUL and other C0
// controls are kept (JSON escapes them). At most max_bytes of input are read; a character cut in two
// by that limit becomes U+FFFD like any other invalid sequence, so the output is always valid UTF-8.
std::string sanitize_utf8(std::string_view bytes, std::size_t max_bytes = std::string_view::npos);

}  // namespace rp
