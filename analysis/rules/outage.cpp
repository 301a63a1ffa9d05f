// The rules about the whole outcome, whatever the protocol: the service was reached, the control failed the
// same way (an outage), a timeout nothing localises, and the fallback when the evidence is thin. Each
// computes its facts, decides, cites, then asks sentences.h for the words.
#include <cstddef>
#include <string>

#include "facts/observations.h"
#include "facts/record_kinds.h"
#include "facts/shared_answer.h"
#include "rules/rule_helpers.h"
#include "rules/sentences.h"

namespace ra::rules {
namespace {

// An unauthenticated page is only "the service" if it looks like what the control got: without TLS, a 200
// with someone else's content is exactly what an unknown blockpage looks like.
bool unlike_control_page(const Outcome& o, const rp::HttpRequestObservation* h, const Side* c) {
  if (o.authenticated || !h || !h->response || h->healthy_match || !c) return false;
  const rp::HttpRequestObservation* ch = final_http(*c);
  return ch && ch->response && facts::reached(*c) &&
         (ch->response->status != h->response->status ||
          (ch->response->title != h->response->title && ch->response->body_sha256 != h->response->body_sha256));
}

// Attempts that failed before the side got through: failed connects and failed handshakes naming the service.
std::size_t failed_attempts(const Side& s) {
  std::size_t failed = 0;
  for (const auto* x : s.tcp) failed += x->failure ? 1 : 0;
  for (const auto* x : s.tls) failed += (names_target(*x) && x->failure) ? 1 : 0;
  return failed;
}

}  // namespace

// The vantage got what a healthy service answers; earlier failed attempts are noise.
std::optional<Finding> reachable(const RuleContext& ctx) {
  const Outcome o = outcome(ctx.v);
  if (o.stage != Stage::reached) return std::nullopt;
  const rp::HttpRequestObservation* h = final_http(ctx.v);
  if (unlike_control_page(o, h, ctx.c)) return std::nullopt;
  Finding f = make(Attribution::reachable, "none", o.authenticated ? Confidence::high : Confidence::medium);
  f.control_independent = o.authenticated;
  cite(f, ctx.v, o.obs);
  f.evidence.sentence = sentences::reachable(ctx.v, o, h, failed_attempts(ctx.v));
  return f;
}

// The control failed at the same step: the service is down (or broken) for everyone.
std::optional<Finding> control_shares_failure(const RuleContext& ctx) {
  if (!ctx.c) return std::nullopt;
  const Outcome ov = outcome(ctx.v), oc = outcome(*ctx.c);
  if (ov.stage == Stage::reached || ov.stage == Stage::no_data || oc.stage != ov.stage) return std::nullopt;
  // A resolver nobody could reach says nothing about the service: that is the measurement's own trouble.
  if (ov.stage == Stage::dns && (resolver_unreachable(ov.failure) || resolver_unreachable(oc.failure)))
    return std::nullopt;
  const bool same = ov.failure == oc.failure;
  Finding f = make(Attribution::service_outage, mechanism_for(ov.stage, ov.failure, ov.status),
                   same ? Confidence::high : Confidence::medium);
  cite(f, ctx.v, ov.obs);
  cite(f, *ctx.c, oc.obs);
  // A suspect answer both sides got (every resolver says 127.0.0.1): say why it accuses no one.
  const auto shared_answer = facts::shared_suspect_answer(ctx.v, *ctx.c, ctx.fp, ctx.bogons);
  f.evidence.sentence = sentences::control_shares_failure(ctx.v, ov, oc, shared_answer ? &*shared_answer : nullptr);
  return f;
}

// A timeout the control does not share, with nothing to say where the packets were lost.
std::optional<Finding> unlocalised_timeout(const RuleContext& ctx) {
  const Outcome ov = outcome(ctx.v);
  if (!is_timeout(ov.failure) || ov.stage == Stage::reached) return std::nullopt;
  Finding f = make(Attribution::inconclusive, mechanism_for(ov.stage, ov.failure, 0), Confidence::low);
  cite(f, ctx.v, ov.obs);
  std::optional<Outcome> oc;
  if (ctx.c) {
    oc = outcome(*ctx.c);
    cite(f, *ctx.c, oc->obs);
  }
  f.evidence.sentence = sentences::unlocalised_timeout(ctx.v, ov, oc ? &*oc : nullptr);
  return f;
}

// Anything else: not enough evidence to name anyone.
std::optional<Finding> thin_evidence(const RuleContext& ctx) {
  const Outcome ov = outcome(ctx.v);
  Finding f = make(Attribution::inconclusive, mechanism_for(ov.stage, ov.failure, ov.status), Confidence::low);
  cite(f, ctx.v, ov.obs);
  if (ov.stage == Stage::no_data) {
    f.evidence.sentence = sentences::no_data(ctx.v);
    return f;
  }
  if (ov.stage == Stage::reached) {
    // reachable declined: an unauthenticated page that is not what the control got.
    f.mechanism = "http.unexpected_response";
    f.evidence.sentence = sentences::unexpected_page(ctx.v, final_http(ctx.v));
    if (ctx.c) cite(f, *ctx.c, outcome(*ctx.c).obs);
    return f;
  }
  if (ov.stage == Stage::dns && resolver_unreachable(ov.failure)) {
    f.mechanism = "dns.resolver_unreachable";
    f.evidence.sentence = sentences::resolver_unreachable(ctx.v, ov.failure);
    return f;
  }
  if (ctx.c) cite(f, *ctx.c, outcome(*ctx.c).obs);
  f.evidence.sentence = sentences::unexplained_failure(ctx.v, ov, ctx.c);
  return f;
}

}  // namespace ra::rules
