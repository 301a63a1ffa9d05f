// The one table of special-purpose address ranges (RFC 6890 registries): what no public service can live at,
// and which of them are the volunteer's own machine or networks. The probe and reachanalyze both read it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/ip_literal.h"

namespace rp {

// How to treat 198.18.0.0/15 (RFC 2544 benchmarking). It is special-purpose, and so a forged answer there is
// a bogon and the probe never aims traffic of its own choosing into it. The test lab, whose hosts all live
// there, and only the lab, says --allow-special-purpose to treat it as ordinary.
struct AddressPolicy {
  bool allow_special_purpose = false;
};

// Every special-purpose range, in table order (the bogon list reachanalyze starts from).
std::vector<Prefix> special_purpose_ranges(const AddressPolicy& policy = {});

// The special-purpose range that holds text ("10.0.0.0/8"), if text is an address inside one.
std::optional<std::string> special_purpose_range_of(std::string_view text, const AddressPolicy& policy = {});
bool is_special_purpose(const IpAddress& ip, const AddressPolicy& policy = {});

// Loopback, RFC 1918, CGNAT, link-local, unique-local, unspecified, multicast and (unless allowed) the
// benchmarking range: addresses of the volunteer's own machine or networks, or of nobody, where the probe must
// not send unsolicited traffic of its own choosing nor follow a redirect. False for anything not a literal.
bool is_local_or_private(std::string_view text, const AddressPolicy& policy = {});

}  // namespace rp
