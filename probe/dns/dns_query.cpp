// Query encoding; no compression is needed for a single question.
#include "dns/dns_query.h"

namespace rp {

std::optional<std::vector<uint8_t>> build_dns_query(uint16_t id, std::string_view name, uint16_t type) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return std::nullopt;
  std::vector<uint8_t> q = {static_cast<uint8_t>(id >> 8),
                            static_cast<uint8_t>(id & 0xff),
                            0x01,
                            0x00,  // RD
                            0,
                            1,
                            0,
                            0,
                            0,
                            0,
                            0,
                            0};
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t dot = name.find('.', start);
    const std::size_t end = dot == std::string_view::npos ? name.size() : dot;
    const std::size_t len = end - start;
    if (len == 0 || len > 63) return std::nullopt;
    q.push_back(static_cast<uint8_t>(len));
    q.insert(q.end(), name.begin() + static_cast<std::ptrdiff_t>(start),
             name.begin() + static_cast<std::ptrdiff_t>(end));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  q.push_back(0);
  q.insert(q.end(), {static_cast<uint8_t>(type >> 8), static_cast<uint8_t>(type & 0xff), 0, 1});
  return q;
}

}  // namespace rp
