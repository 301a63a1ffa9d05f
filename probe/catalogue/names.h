// Syntax checks for the names the catalogue and test lists carry: hostnames, IP literals, URLs, dates.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/ip_literal.h"  // parse_ip: catalogue checks use the shared literal parser
#include "net/special_ranges.h"
#include "text/text.h"  // ascii_lower  // is_special_purpose: a catalogue address there is wrong or meant for a lab

namespace rp {

// A DNS name as the probe will resolve it: LDH labels of 1..63 bytes, 253 bytes in all, no trailing dot,
// and a last label that is not all digits (so "1.2.3.4" is never taken for a name).
bool is_valid_hostname(std::string_view name);

// Names reserved by RFC 2606/6761 (example, test, invalid, localhost, local) that no provider uses.
bool is_reserved_name(std::string_view hostname);

// The parts of an absolute http(s) URL the probe needs. Userinfo, spaces and control bytes are refused,
// because a test list or catalogue has no reason to carry them and they confuse host extraction.
struct HttpUrl {
  std::string scheme;  // "http" or "https", lower case
  std::string host;    // hostname or IP literal, IPv6 without brackets
  uint16_t port = 0;   // 0 when the URL gives none
  std::string path;    // from the first '/', '?' or '#', may be empty
};
std::optional<HttpUrl> parse_http_url(std::string_view url);

// A real calendar date written YYYY-MM-DD.
bool is_iso_date(std::string_view text);

}  // namespace rp
