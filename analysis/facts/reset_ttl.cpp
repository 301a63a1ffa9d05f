// Whether a reset came from the server (see reset_ttl.h).
#include "facts/reset_ttl.h"

#include <algorithm>

#include "facts/record_kinds.h"

namespace ra::facts {

std::vector<ResetTtl> reset_ttls(const Side& s, const std::vector<const Observation*>& steps) {
  std::vector<ResetTtl> out;
  for (const auto* step : steps) {
    if (!step->failure || !is_refused_or_reset(*step->failure)) continue;
    if (step->address.empty()) continue;
    ResetTtl r;
    r.step = step;
    r.flows = captures_of(s, *step);
    const CapturedPacket* rst = nullptr;
    for (const auto* f : r.flows)
      for (const auto& p : f->packets)
        if (is_rst(p) && (!rst || p.t < rst->t)) rst = &p, r.rst_flow = f;
    if (!rst) continue;
    r.baseline = server_ttl_baseline(*s.rec, step->address, r.flows);
    r.cmp = compare_ttl(rst->ttl, r.baseline.ttls);
    if (r.cmp.match == TtlMatch::none) continue;
    out.push_back(std::move(r));
  }
  return out;
}

bool all_forged(const std::vector<ResetTtl>& resets) {
  return std::all_of(resets.begin(), resets.end(), [](const ResetTtl& r) { return r.cmp.match == TtlMatch::differs; });
}

bool all_from_server(const std::vector<ResetTtl>& resets) {
  return std::all_of(resets.begin(), resets.end(), [](const ResetTtl& r) { return r.cmp.match == TtlMatch::same; });
}

std::set<std::string> addresses_of(const std::vector<ResetTtl>& resets) {
  std::set<std::string> out;
  for (const auto& r : resets) out.insert(r.step->address);
  return out;
}

}  // namespace ra::facts
