// Verdict names and JSON form (results-schema/verdict.schema.json).
#include "verdict.h"

namespace ra {

std::string to_string(Attribution a) {
  switch (a) {
    case Attribution::reachable: return "reachable";
    case Attribution::network_interference: return "network_interference";
    case Attribution::provider_restriction: return "provider_restriction";
    case Attribution::provider_on_government_order: return "provider_on_government_order";
    case Attribution::service_outage: return "service_outage";
    case Attribution::inconclusive: return "inconclusive";
  }
  return "inconclusive";
}

std::string human_label(Attribution a) {
  switch (a) {
    case Attribution::reachable: return "Reachable";
    case Attribution::network_interference: return "Blocked on the network (government or ISP)";
    case Attribution::provider_restriction: return "Refused by the provider (e.g. geo-blocking)";
    case Attribution::provider_on_government_order: return "Blocked by the provider on a government's order";
    case Attribution::service_outage: return "Down everywhere (outage)";
    case Attribution::inconclusive: return "Not enough evidence to say";
  }
  return "?";
}

std::string to_string(Confidence c) {
  switch (c) {
    case Confidence::low: return "low";
    case Confidence::medium: return "medium";
    case Confidence::high: return "high";
  }
  return "low";
}

Confidence lower(Confidence c) { return c == Confidence::high ? Confidence::medium : Confidence::low; }

std::string to_string(ControlStatus c) {
  switch (c) {
    case ControlStatus::present: return "present";
    case ControlStatus::absent: return "absent";
    case ControlStatus::unmatched: return "unmatched";
  }
  return "absent";
}

nlohmann::json to_json(const Verdict& v) {
  nlohmann::json j;
  j["scope"] = v.scope;
  j["measurement_id"] = v.vantage->measurement_id;
  j["control_measurement_id"] = v.control ? nlohmann::json(v.control->measurement_id) : nlohmann::json(nullptr);
  j["vantage"] = v.vantage->vantage;
  j["probe_cc"] = v.vantage->probe_cc;
  j["probe_asn"] = v.vantage->probe_asn;
  j["measurement_start_time"] = v.vantage->start_time;
  j["service"] = v.vantage->service ? nlohmann::json(*v.vantage->service) : nlohmann::json(nullptr);
  j["input"] = {{"kind", v.vantage->input_kind}, {"value", v.vantage->input_value}};
  if (v.scope == "target") {
    j["target"] = v.target;
    j["target_kind"] = v.target_kind;
  }
  j["attribution"] = to_string(v.finding.attribution);
  j["mechanism"] = v.finding.mechanism;
  j["confidence"] = to_string(v.finding.confidence);
  j["rule"] = v.rule;
  j["control"] = to_string(v.control_status);
  j["evidence"] = {{"observations", v.finding.evidence.observations},
                   {"fingerprints", v.finding.evidence.fingerprints},
                   {"sentence", v.finding.evidence.sentence}};
  if (v.scope == "service") {
    nlohmann::json b = nlohmann::json::object();
    for (const auto& [k, n] : v.breakdown) b[k] = n;
    j["targets"] = b;
  }
  return j;
}

}  // namespace ra
