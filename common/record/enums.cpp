// DNS type names: the one enum whose JSON spelling is not its declaration order.
#include "record/enums.h"

namespace rp {

std::string_view name_of(DnsType type) {
  switch (type) {
    case DnsType::A: return "A";
    case DnsType::CNAME: return "CNAME";
    case DnsType::AAAA: return "AAAA";
  }
  return "?";
}

std::optional<DnsType> parse_dns_type(std::string_view text) {
  for (DnsType t : {DnsType::A, DnsType::CNAME, DnsType::AAAA})
    if (name_of(t) == text) return t;
  return std::nullopt;
}

std::optional<DnsType> dns_type_from_wire(std::uint16_t number) {
  for (DnsType t : {DnsType::A, DnsType::CNAME, DnsType::AAAA})
    if (static_cast<std::uint16_t>(t) == number) return t;
  return std::nullopt;
}

}  // namespace rp
