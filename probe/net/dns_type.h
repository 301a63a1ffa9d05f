// The DNS record types the probe asks for or reads back, by name instead of by wire number.
#pragma once

#include <cstdint>

namespace rp {

// Wire numbers from RFC 1035 (A, CNAME) and RFC 3596 (AAAA).
enum class DnsType : std::uint16_t { A = 1, CNAME = 5, AAAA = 28 };

constexpr std::uint16_t wire_number(DnsType type) { return static_cast<std::uint16_t>(type); }

}  // namespace rp
