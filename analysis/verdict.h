// Verdicts: who is responsible for what a vantage saw, how sure we are, and the evidence that says so.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "record.h"

namespace ra {

enum class Attribution {
  reachable,
  network_interference,
  provider_restriction,
  provider_on_government_order,
  service_outage,
  inconclusive,
};
std::string to_string(Attribution a);
// Words for someone who is not a network engineer.
std::string human_label(Attribution a);

// high: direct evidence, corroborated by a control; medium: direct evidence without corroboration, or
// corroboration with a caveat; low: suggestive only. Every rule's level drops one step without a control,
// unless the evidence is authenticated by TLS and so needs none (documented per rule in analysis/README.md).
enum class Confidence { low, medium, high };
std::string to_string(Confidence c);
Confidence lower(Confidence c);

struct Evidence {
  std::vector<std::string> observations;  // "<measurement_id>#<id>", vantage first, then control
  std::vector<std::string> fingerprints;  // catalogue ids
  std::string sentence;                   // one plain sentence an advocate could quote
};

// What a rule concluded about one target.
struct Finding {
  Attribution attribution = Attribution::inconclusive;
  std::string mechanism = "none";
  Confidence confidence = Confidence::low;
  bool control_independent = false;  // authenticated evidence: confidence does not drop without a control
  Evidence evidence;
};

enum class ControlStatus { present, absent, unmatched };
std::string to_string(ControlStatus c);

struct Verdict {
  std::string scope;  // target | service
  const Record* vantage = nullptr;
  const Record* control = nullptr;
  std::string target;       // target ref (scope target)
  std::string target_kind;  // url | endpoint | domain
  std::string rule;         // the rule that decided (scope service: "rollup")
  ControlStatus control_status = ControlStatus::absent;
  Finding finding;
  std::map<std::string, int> breakdown;  // scope service: targets per attribution
};

nlohmann::json to_json(const Verdict& v);

}  // namespace ra
