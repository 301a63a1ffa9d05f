// The attribution rules: an ordered table of small pure functions, one per row; the first that fires decides.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "fingerprints.h"
#include "netaddr.h"
#include "target_features.h"
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
  mutable std::unordered_map<const rp::HttpRequestObservation*, std::vector<const Fingerprint*>> http_matches = {};
  const std::vector<const Fingerprint*>& matches(const rp::HttpRequestObservation& h) const;
};

using RuleFn = std::optional<Finding> (*)(const RuleContext&);

struct Rule {
  const char* id;       // stable name, cited in every verdict's "rule" field
  const char* summary;  // one line, mirrored in analysis/README.md
  RuleFn fn;
};

// The table, in the order rules are tried (generated from rules/rules.def, which says why that order).
const std::vector<Rule>& rule_table();

struct Decision {
  std::string rule;
  Finding finding;  // confidence already lowered when no control was available
};
Decision decide(const RuleContext& ctx);

// The rules themselves, exposed so each can be tested on its own (defined per protocol in rules/*.cpp).
namespace rules {
#define RULE(id, summary) std::optional<Finding> id(const RuleContext&);
#include "rules/rules.def"
#undef RULE
}  // namespace rules

}  // namespace ra
