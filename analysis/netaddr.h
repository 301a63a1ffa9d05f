// The bogon list reachanalyze checks DNS answers against: the shared special-purpose table (common/net), to
// which --bogon adds prefixes. The literal and prefix types themselves are common/net/ip_literal.h's.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/ip_literal.h"
#include "net/special_ranges.h"

namespace ra {

using rp::AddressPolicy;
using rp::is_ip_literal;
using rp::parse_prefix;
using rp::Prefix;

// Every special-purpose range; 198.18.0.0/15 is one unless the policy allows it (the lab).
std::vector<Prefix> default_bogons(const AddressPolicy& policy = {});

// The first prefix of list containing text, if text is an address inside one.
std::optional<std::string> bogon_prefix(std::string_view text, const std::vector<Prefix>& list);

}  // namespace ra
