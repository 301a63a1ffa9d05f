// The attribution rules: an ordered table of small pure functions, one per row; the first that fires decides.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "target_features.h"
#include "fingerprints.h"
#include "netaddr.h"
#include "verdict.h"

namespace ra {

// Everything a rule may look at for one target: the vantage's side, the control's (if any), the catalogues.
struct RuleContext {
  const Side& v;
  const Side* c = nullptr;  // nullptr: no control measurement for this target
  const FingerprintCatalogue& fp;
  const std::vector<Prefix>& bogons;
  // Fingerprint matches per HTTP observation: several rules ask about the same reply, and matching one
  // reply against ~2 000 patterns is the analyser's most expensive step.
  mutable std::unordered_map<const Observation*, std::vector<const Fingerprint*>> http_matches = {};
  const std::vector<const Fingerprint*>& matches(const Observation& h) const;
};

using RuleFn = std::optional<Finding> (*)(const RuleContext&);

struct Rule {
  const char* id;       // stable name, cited in every verdict's "rule" field
  const char* summary;  // one line, mirrored in analysis/README.md
  RuleFn fn;
};

// The table, in the order rules are tried. Positive evidence of tampering first, then the provider's
// authenticated refusals, then success, then shared failures, then the weak and the unexplained.
const std::vector<Rule>& rule_table();

struct Decision {
  std::string rule;
  Finding finding;  // confidence already lowered when no control was available
};
Decision decide(const RuleContext& ctx);

// The rules themselves, exposed so each can be tested on its own.
namespace rules {
std::optional<Finding> dns_injection_seen(const RuleContext&);
std::optional<Finding> dns_blockpage_ip(const RuleContext&);
std::optional<Finding> dns_bogon(const RuleContext&);
std::optional<Finding> dns_nxdomain_vs_control(const RuleContext&);
std::optional<Finding> dns_forged_vs_control(const RuleContext&);
std::optional<Finding> sni_dependent_tls_failure(const RuleContext&);
std::optional<Finding> reset_ttl_injected(const RuleContext&);
std::optional<Finding> untrusted_certificate(const RuleContext&);
std::optional<Finding> blockpage_fingerprint(const RuleContext&);
std::optional<Finding> provider_order_signature(const RuleContext&);
std::optional<Finding> provider_geo_signature(const RuleContext&);
std::optional<Finding> verified_451(const RuleContext&);
std::optional<Finding> verified_refusal_vs_control(const RuleContext&);
std::optional<Finding> unauthenticated_refusal(const RuleContext&);
std::optional<Finding> reachable(const RuleContext&);
std::optional<Finding> control_shares_failure(const RuleContext&);
std::optional<Finding> reset_from_server(const RuleContext&);
std::optional<Finding> syn_drop_localised(const RuleContext&);
std::optional<Finding> reset_vs_control(const RuleContext&);
std::optional<Finding> unlocalised_timeout(const RuleContext&);
std::optional<Finding> thin_evidence(const RuleContext&);
}  // namespace rules

}  // namespace ra
