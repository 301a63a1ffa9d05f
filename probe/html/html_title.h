// Extracts the <title> of an HTML body, for fingerprinting blockpages and geo pages.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rp {

// The first <title>…</title> in body (case-insensitive tags, whitespace collapsed, valid UTF-8, made
// from at most 512 bytes of the page: invalid bytes become 3-byte U+FFFD, so at most 512 characters);
// nullopt when there is none. Linear in body size, never throws.
std::optional<std::string> extract_html_title(std::string_view body);

}  // namespace rp
