// What every rule file shares (see rule_helpers.h), and the rule context's fingerprint cache.
#include "rules/rule_helpers.h"

#include <algorithm>

namespace ra {

const std::vector<const Fingerprint*>& RuleContext::matches(const rp::HttpRequestObservation& h) const {
  auto it = http_matches.find(&h);
  if (it == http_matches.end())
    it = http_matches
             .emplace(&h,
                      h.response ? fp.match_http(*h.response, h.redirect_location) : std::vector<const Fingerprint*>{})
             .first;
  return it->second;
}

namespace rules {

Finding make(Attribution a, std::string mechanism, Confidence c) {
  Finding f;
  f.attribution = a;
  f.mechanism = std::move(mechanism);
  f.confidence = c;
  return f;
}

void cite(Finding& f, const Side& s, const rp::ObservationBase* o) {
  const std::string id = s.cite(o);
  auto& list = f.evidence.observations;
  if (std::find(list.begin(), list.end(), id) == list.end()) list.push_back(id);
}

void cite_fp(Finding& f, const Fingerprint* fp) {
  auto& list = f.evidence.fingerprints;
  if (std::find(list.begin(), list.end(), fp->id) == list.end()) list.push_back(fp->id);
}

void cite_reset_ttl(Finding& f, const Side& s, const facts::ResetTtl& r) {
  cite(f, s, r.step);
  if (r.rst_flow) cite(f, s, r.rst_flow);
  cite(f, s, r.baseline.from);
}

bool side_matches_fp(const Side& s, const RuleContext& ctx, const std::string& id) {
  for (const auto* h : s.http) {
    if (!h->response) continue;
    for (const auto* f : ctx.matches(*h))
      if (f->id == id) return true;
  }
  return false;
}

std::vector<const Fingerprint*> http_matches(const RuleContext& ctx, const rp::HttpRequestObservation& h,
                                             FpAttribution want) {
  std::vector<const Fingerprint*> out;
  if (!h.response) return out;
  const auto& all = ctx.matches(h);
  // Known false positives veto blockpage matches only: a provider signature over verified TLS is authenticated,
  // and OONI's false-positive list is about unauthenticated pages that merely look like blockpages.
  if (want == FpAttribution::network_interference && std::any_of(all.begin(), all.end(), [](const Fingerprint* f) {
        return f->attribution == FpAttribution::false_positive;
      }))
    return out;
  for (const auto* f : all)
    if (f->attribution == want) out.push_back(f);
  return out;
}

}  // namespace rules
}  // namespace ra
