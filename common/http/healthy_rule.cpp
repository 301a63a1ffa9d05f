// Pure predicate; the probe records the outcome, the analysis decides what a mismatch means.
#include "http/healthy_rule.h"

#include <algorithm>

namespace rp {

bool meets_healthy_rule(const HealthyRule& rule, const ResponseFacts& r) {
  if (rule.any_authenticated_tls && r.tls_verified) return true;
  if (rule.status.empty()) {
    if (r.status < 200 || r.status >= 400) return false;
  } else if (std::find(rule.status.begin(), rule.status.end(), r.status) == rule.status.end()) {
    return false;
  }
  if (rule.title_contains && (!r.title || r.title->find(*rule.title_contains) == std::string::npos)) return false;
  if (rule.body_contains && r.body.find(*rule.body_contains) == std::string::npos) return false;
  return true;
}

}  // namespace rp
