// Random measurement ids (UUIDv4) and UTC timestamps for record envelopes.
#pragma once

#include <chrono>
#include <string>

namespace rp {

std::string random_uuid4();

// RFC 3339 UTC with second precision, e.g. 2026-11-29T06:44:55Z.
std::string rfc3339_utc(std::chrono::system_clock::time_point t);

// Compact form for file names, e.g. 20261129T064455Z.
std::string compact_utc(std::chrono::system_clock::time_point t);

}  // namespace rp
