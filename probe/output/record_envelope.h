// Wraps a measurement's observations in the record envelope of results-schema/measurement.schema.json.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "net/dns_client.h"
#include "observe/measured_record.h"

namespace rp {

// What is the same for every record of a run. Holds no address of the probe itself, by design.
struct RunIdentity {
  std::string vantage;
  std::string probe_cc = "ZZ";
  std::string probe_asn = "AS0";
  ResolverAddress resolver;
  std::string resolver_source = "system";  // cli | system
  std::optional<std::string> catalogue_version;
  double timeout_seconds = 5;
  std::string neutral_sni;
  bool extra_trust_anchors = false;
  std::string capture = "unavailable: capture was not opened";  // the run sets what it found
};

nlohmann::ordered_json make_record(const RunIdentity& run, const MeasuredRecord& measured);

}  // namespace rp
