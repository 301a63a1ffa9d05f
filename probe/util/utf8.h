// Makes untrusted bytes safe to put in a JSON string.
#pragma once

#include <string>
#include <string_view>

namespace rp {

// Returns bytes as valid UTF-8: every invalid or overlong sequence becomes U+FFFD, NUL and other C0
// controls except tab/CR/LF are kept (JSON escapes them). At most max_bytes of input are read, and
// the cut never splits a character.
std::string sanitize_utf8(std::string_view bytes, std::size_t max_bytes = std::string_view::npos);

}  // namespace rp
