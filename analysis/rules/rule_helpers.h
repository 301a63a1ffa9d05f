// What every rule file shares: making a Finding, citing evidence in it, and asking the fingerprint catalogue.
#pragma once

#include <string>
#include <vector>

#include "facts/reset_ttl.h"
#include "rules.h"

namespace ra::rules {

Finding make(Attribution a, std::string mechanism, Confidence c);

// Cite each observation (or fingerprint) once, in the order first cited.
void cite(Finding& f, const Side& s, const Observation* o);
void cite(Finding& f, const Side& s, const std::vector<const Observation*>& os);
void cite_fp(Finding& f, const Fingerprint* fp);
// The failed step, the flow its reset arrived on, and the captures that show the server's own TTL.
void cite_reset_ttl(Finding& f, const Side& s, const facts::ResetTtl& r);

// Whether any HTTP reply of the side matches the fingerprint with this id.
bool side_matches_fp(const Side& s, const RuleContext& ctx, const std::string& id);
// Fingerprints of one kind that match an HTTP observation, unless a known false positive matches too.
std::vector<const Fingerprint*> http_matches(const RuleContext& ctx, const Observation& h, FpAttribution want);

}  // namespace ra::rules
