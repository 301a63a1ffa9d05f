// Small text helpers the probe and reachanalyze share: locale-independent, over ASCII (names, header fields and
// record fields are ASCII where these are used; other bytes pass through unchanged).
#pragma once

#include <string>
#include <string_view>

namespace rp {

// Lower-cases A-Z only.
std::string ascii_lower(std::string_view text);

// Equal but for the case of A-Z (header names, schemes).
bool iequals_ascii(std::string_view a, std::string_view b);

// Without leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r).
std::string_view trim_ascii(std::string_view text);

// "1 hop", "3 hops": a count with the word that fits it.
std::string plural(long n, std::string_view one, std::string_view many);

}  // namespace rp
