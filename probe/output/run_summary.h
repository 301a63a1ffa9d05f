// One-line, human-readable outcomes per target, for the summary a run prints when it ends.
#pragma once

#include <string>
#include <vector>

#include "observe/measured_record.h"

namespace rp {

struct TargetOutcome {
  std::string ref;
  bool ok = false;
  std::string text;  // e.g. "ok: HTTP 200 over verified TLS", "tls: connection_reset (neutral SNI: ok)"
};

// What happened to each target of a record, read from its observations (pure).
std::vector<TargetOutcome> summarize_targets(const MeasuredRecord& measured);

}  // namespace rp
