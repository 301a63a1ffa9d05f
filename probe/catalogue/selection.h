// Choosing services by id (`--services`) and describing the catalogue for `reachprobe list`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalogue/catalogue.h"

namespace rp {

struct ServiceSelection {
  std::optional<Catalogue> catalogue;  // same version, only the chosen services, in the order asked
  std::string error;                   // on failure: names the unknown ids and lists the valid ones
};

// NAMES are service ids; each may also be a comma-separated list ("signal,telegram"). Matching ignores
// case and surrounding spaces; repeats are dropped. No names selects every service.
ServiceSelection select_services(const Catalogue& catalogue, const std::vector<std::string>& names);

// The text of `reachprobe list`: catalogue version, then per service its name, provider, ASNs and
// every input (domains, endpoints with app-protocol notes, URLs with their healthy rule, pins, signatures).
std::string format_service_list(const Catalogue& catalogue);

}  // namespace rp
