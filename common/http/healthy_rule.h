// What a healthy answer from a target looks like, and the one predicate that judges a response against it
// (the probe records the outcome as healthy_match; reachanalyze applies the same predicate to older records).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rp {

// A catalogue's healthy-response rule for one target (targets/schema/service.schema.json "healthy").
struct HealthyRule {
  std::vector<int> status;  // empty: any 2xx/3xx
  std::optional<std::string> body_contains;
  std::optional<std::string> title_contains;
  bool any_authenticated_tls = false;  // any response over verified TLS is healthy
};

struct ResponseFacts {
  long status = 0;
  std::optional<std::string> title;
  std::string body;  // as much of the decoded body as the caller holds (the probe: all it read; a record: its prefix)
  bool tls_verified = false;
};

// true when every field the rule sets holds; a rule with no fields accepts any 2xx or 3xx.
bool meets_healthy_rule(const HealthyRule& rule, const ResponseFacts& response);

}  // namespace rp
