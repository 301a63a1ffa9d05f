// Byte encodings used in records: base64 (certificates) and SHA-256 hex (bodies).
#pragma once

#include <string>
#include <string_view>

namespace rp {

std::string base64_encode(std::string_view bytes);
std::string sha256_hex(std::string_view bytes);

}  // namespace rp
