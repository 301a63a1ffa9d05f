// Whether a reset came from the server: the first reset on a failed step's flow, its IP TTL against the server's own.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "target_features.h"

namespace ra::facts {

// A failed connect or handshake, the first reset its flow received, and how that reset's TTL compares with
// the server's own.
struct ResetTtl {
  const Observation* step = nullptr;
  std::vector<const Observation*> flows;  // capture summaries of the step's flow
  const Observation* rst_flow = nullptr;
  TtlBaseline baseline;
  TtlComparison cmp;
};

// One entry per step that was refused or reset, whose capture holds a reset with a baseline to compare it to.
std::vector<ResetTtl> reset_ttls(const Side& s, const std::vector<const Observation*>& steps);

// Every comparable reset differs from the server's TTL by two or more (a route change explains one).
bool all_forged(const std::vector<ResetTtl>& resets);
// Every comparable reset carries exactly the server's TTL.
bool all_from_server(const std::vector<ResetTtl>& resets);
// The addresses the resets were received from.
std::set<std::string> addresses_of(const std::vector<ResetTtl>& resets);

}  // namespace ra::facts
