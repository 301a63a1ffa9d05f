// Builds DNS query messages (RFC 1035) for the probe's own UDP exchanges.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace rp {

// A standard query with recursion desired, one question of class IN; nullopt if name is not a valid
// DNS name (empty labels, a label over 63 bytes, over 253 bytes in all).
std::optional<std::vector<uint8_t>> build_dns_query(uint16_t id, std::string_view name, uint16_t type);

}  // namespace rp
