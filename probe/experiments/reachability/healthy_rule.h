// Judges a final HTTP response against a target's healthy-response rule from the catalogue.
#pragma once

#include <optional>
#include <string>

#include "catalogue/catalogue.h"

namespace rp {

struct ResponseFacts {
  long status = 0;
  std::optional<std::string> title;
  std::string body;  // as received (possibly truncated)
  bool tls_verified = false;
};

// true when every field the rule sets holds; a rule with no fields accepts any 2xx or 3xx.
bool meets_healthy_rule(const HealthyRule& rule, const ResponseFacts& response);

}  // namespace rp
