// The HTTP rules: blockpages on unauthenticated replies, the provider's signatures, 451s and 403s over
// verified TLS, and refusals nobody authenticated. Each computes its facts, decides, cites, then asks
// sentences.h for the words.
#include <cctype>
#include <string>
#include <vector>

#include "facts/observations.h"
#include "rules/rule_helpers.h"
#include "rules/sentences.h"
#include "text/text.h"

namespace ra::rules {
namespace {

bool over_verified_tls(const rp::HttpRequestObservation& h) { return h.tls_verified.value_or(false); }

// The most specific of the matching fingerprints: a vague blocking word only when nothing better matched.
const Fingerprint* best_fingerprint(const std::vector<const Fingerprint*>& fps) {
  const Fingerprint* best = fps.front();
  for (const auto* f : fps)
    if (best->is_vague() && !f->is_vague()) best = f;
  return best;
}

// The party a 451 names as implementing the block (RFC 7725's Link: <...>; rel="blocked-by"), if any.
std::optional<std::string> blocked_by(const rp::HttpResponseRecord& r) {
  std::optional<std::string> out;
  for (const auto& [n, val] : r.headers) {
    if (rp::iequals_ascii(n, "link") && rp::ascii_lower(val).find("blocked-by") != std::string::npos) {
      const auto lt = val.find('<'), gt = val.find('>');
      out = lt != std::string::npos && gt != std::string::npos && gt > lt ? val.substr(lt + 1, gt - lt - 1) : val;
    }
  }
  return out;
}

bool any_451(const Side& s) {
  for (const auto* h : s.http)
    if (h->response && h->response->status == 451) return true;
  return false;
}

// The control's final HTTP reply, cited beside the vantage's.
void cite_control_reply(Finding& f, const RuleContext& ctx) {
  if (ctx.c)
    if (const rp::HttpRequestObservation* ch = final_http(*ctx.c)) cite(f, *ctx.c, ch);
}

// Shared by the two signature rules: a reply over TLS verified for the URL's host matching a provider signature.
std::optional<Finding> provider_signature(const RuleContext& ctx, FpAttribution want, Attribution out,
                                          const char* mechanism) {
  for (const auto* h : ctx.v.http) {
    if (!over_verified_tls(*h)) continue;
    const auto fps = http_matches(ctx, *h, want);
    if (fps.empty()) continue;
    const Fingerprint* fp = fps.front();
    const bool shared = ctx.c && side_matches_fp(*ctx.c, ctx, fp->id);
    Finding f = make(out, mechanism, shared ? Confidence::medium : Confidence::high);
    cite(f, ctx.v, h);
    for (const auto* x : fps) cite_fp(f, x);
    cite_control_reply(f, ctx);
    f.evidence.sentence = sentences::provider_signature(*h, *fp, want == FpAttribution::provider_on_government_order,
                                                        ctx.c, shared);
    return f;
  }
  return std::nullopt;
}

}  // namespace

// An unauthenticated reply matching a known government/ISP/filter blockpage.
std::optional<Finding> blockpage_fingerprint(const RuleContext& ctx) {
  for (const auto* h : ctx.v.http) {
    if (over_verified_tls(*h)) continue;  // a verified reply is the provider's, never a path blockpage
    const auto fps = http_matches(ctx, *h, FpAttribution::network_interference);
    if (fps.empty()) continue;
    const Fingerprint* best = best_fingerprint(fps);
    const bool shared = ctx.c && side_matches_fp(*ctx.c, ctx, best->id);
    Confidence conf = shared ? Confidence::medium : Confidence::high;
    if (best->is_vague()) {
      // A generic "blocked" phrase is only worth something when the control's page lacks it.
      if (!ctx.c || shared) continue;
      conf = Confidence::low;
    }
    Finding f = make(Attribution::network_interference, "http.blockpage", conf);
    cite(f, ctx.v, h);
    for (const auto* x : fps) cite_fp(f, x);
    cite_control_reply(f, ctx);
    f.evidence.sentence = sentences::blockpage(*h, *best, ctx.c, shared);
    return f;
  }
  return std::nullopt;
}

std::optional<Finding> provider_order_signature(const RuleContext& ctx) {
  return provider_signature(ctx, FpAttribution::provider_on_government_order, Attribution::provider_on_government_order,
                            "http.gov_order");
}

std::optional<Finding> provider_geo_signature(const RuleContext& ctx) {
  return provider_signature(ctx, FpAttribution::provider_restriction, Attribution::provider_restriction,
                            "http.geo_page");
}

// HTTP 451 (Unavailable For Legal Reasons, RFC 7725) received over TLS verified for the URL's host.
std::optional<Finding> verified_451(const RuleContext& ctx) {
  for (const auto* h : ctx.v.http) {
    if (!over_verified_tls(*h) || !h->response || h->response->status != 451) continue;
    const auto by = blocked_by(*h->response);
    const bool shared = ctx.c && any_451(*ctx.c);
    Finding f = make(Attribution::provider_on_government_order, "http.status_451",
                     by && !shared ? Confidence::high : Confidence::medium);
    cite(f, ctx.v, h);
    cite_control_reply(f, ctx);
    f.evidence.sentence = sentences::verified_451(*h, by, ctx.c, shared);
    return f;
  }
  return std::nullopt;
}

// A plain 403 over verified TLS, where the control got the normal page: the provider refuses this vantage.
std::optional<Finding> verified_refusal_vs_control(const RuleContext& ctx) {
  if (!ctx.c) return std::nullopt;
  const rp::HttpRequestObservation* h = final_http(ctx.v);
  if (!h || !h->response || !over_verified_tls(*h) || h->response->status != 403) return std::nullopt;
  const rp::HttpRequestObservation* ch = final_http(*ctx.c);
  if (!ch || !healthy(*ctx.c, *ch)) return std::nullopt;
  Finding f = make(Attribution::provider_restriction, "http.refusal", Confidence::medium);
  cite(f, ctx.v, h);
  cite(f, *ctx.c, ch);
  f.evidence.sentence = sentences::verified_refusal(*h, *ctx.c);
  return f;
}

// A refusal-looking reply (451, 403, provider page) that did not come over TLS verified for the host.
std::optional<Finding> unauthenticated_refusal(const RuleContext& ctx) {
  if (facts::reached(ctx.v)) return std::nullopt;
  for (const auto* h : ctx.v.http) {
    if (over_verified_tls(*h) || !h->response) continue;
    std::vector<const Fingerprint*> fps = http_matches(ctx, *h, FpAttribution::provider_restriction);
    const auto order = http_matches(ctx, *h, FpAttribution::provider_on_government_order);
    fps.insert(fps.end(), order.begin(), order.end());
    const long st = h->response->status;
    if (fps.empty() && st != 451 && st != 403) continue;
    const std::string mech = !order.empty() ? "http.gov_order"
                             : !fps.empty() ? "http.geo_page"
                             : st == 451    ? "http.status_451"
                                            : "http.refusal";
    Finding f = make(Attribution::inconclusive, mech, Confidence::low);
    cite(f, ctx.v, h);
    for (const auto* x : fps) cite_fp(f, x);
    cite_control_reply(f, ctx);
    f.evidence.sentence = sentences::unauthenticated_refusal(*h, fps);
    return f;
  }
  return std::nullopt;
}

}  // namespace ra::rules
