// Whether a suspect DNS answer is evidence against the network, from what the control resolved the name to.
#include "facts/shared_answer.h"

namespace ra::facts {

ControlAnswer control_answer(const Side* c, const std::string& host, const std::string& address) {
  if (!c) return ControlAnswer::none;
  const Resolution cr = resolve(*c, host);
  if (cr.addresses.count(address)) return ControlAnswer::shared;
  return cr.addresses.empty() ? ControlAnswer::nothing : ControlAnswer::differs;
}

std::optional<SharedSuspectAnswer> shared_suspect_answer(const Side& v, const Side& c, const FingerprintCatalogue& fp,
                                                         const std::vector<Prefix>& bogons) {
  const auto valid = validated_addresses(v);
  for (const auto& host : queried_hosts(v)) {
    for (const auto& addr : resolve(v, host).addresses) {
      if (valid.count(addr) || control_answer(&c, host, addr) != ControlAnswer::shared) continue;
      SharedSuspectAnswer s{host, addr, bogon_prefix(addr, bogons), nullptr};
      for (const auto* f : fp.match_dns(addr))
        if (f->attribution == FpAttribution::network_interference && !s.fingerprint) s.fingerprint = f;
      if (s.bogon_prefix || s.fingerprint) return s;
    }
  }
  return std::nullopt;
}

}  // namespace ra::facts
