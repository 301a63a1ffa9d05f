// The TLS rules: a handshake that fails only when it names the service, and a certificate not valid for it.
// Each computes its facts, decides, cites, then asks sentences.h for the words.
#include <string>
#include <vector>

#include "facts/observations.h"
#include "facts/record_kinds.h"
#include "facts/sni_contrast.h"
#include "rules/rule_helpers.h"
#include "rules/sentences.h"

namespace ra::rules {
namespace {

// The first handshake naming the service whose certificate did not validate for it.
const rp::TlsHandshakeObservation* first_untrusted_certificate(const Side& v) {
  for (const auto* t : v.tls)
    if (names_target(*t) && t->trusted == false && (cert_failure(t->verification_error) || cert_failure(t->failure)))
      return t;
  return nullptr;
}

// The control saw an untrusted certificate for the name too: the provider's own certificate, not an interceptor.
bool control_untrusted_too(const Side& c) {
  for (const auto* t : c.tls)
    if (names_target(*t) && t->trusted == false) return true;
  return false;
}

}  // namespace

// The handshake naming the service fails, while the same address completes one for a neutral name or none.
// Judged host by host: a redirect hop to a new host is handshaken with like the target itself, and its host
// being refused stops the chain as surely as the target's own would.
std::optional<Finding> sni_dependent_tls_failure(const RuleContext& ctx) {
  std::optional<facts::SniContrast> s;
  std::string host;
  for (const auto& h : facts::handshake_hosts(ctx.v)) {
    if (!facts::authenticated_handshakes(ctx.v, h).empty()) continue;
    if ((s = facts::sni_contrast(ctx.v, h))) {
      host = h;
      break;
    }
  }
  if (!s) return std::nullopt;
  Confidence conf = Confidence::high;
  std::vector<const rp::TlsHandshakeObservation*> control_ok;
  if (ctx.c) {
    control_ok = facts::authenticated_handshakes(*ctx.c, host);
    if (control_ok.empty()) conf = Confidence::medium;
  }
  Finding f = make(Attribution::network_interference, s->reset ? "tls.sni_reset" : "tls.sni_timeout", conf);
  // A forged reset or a localisation before the server puts the device on the path without a control's help.
  if (s->forged) {
    f.control_independent = true;
    f.confidence = Confidence::high;
    cite_reset_ttl(f, ctx.v, *s->forged);
  }
  if (s->localised) {
    f.control_independent = true;
    if (!ctx.c) f.confidence = Confidence::high;
    cite(f, ctx.v, s->localised);
  }
  if (const auto* tc = facts::carrier(ctx.v, *s->failed)) cite(f, ctx.v, tc);
  cite(f, ctx.v, s->failed);
  if (const auto* rc = facts::carrier(ctx.v, *s->retry)) cite(f, ctx.v, rc);
  cite(f, ctx.v, s->retry);
  if (ctx.c) cite(f, *ctx.c, control_ok);
  f.evidence.sentence = sentences::sni_dependent(ctx.v, *s, !control_ok.empty());
  return f;
}

// A certificate that does not validate for the service's name, where the control got a valid one. Without a
// control it blames no one: a self-signed, expired or misissued certificate the server gives everyone looks
// exactly like an interceptor's, so the verdict is inconclusive and says what a control would have told.
std::optional<Finding> untrusted_certificate(const RuleContext& ctx) {
  if (!facts::authenticated_handshakes(ctx.v).empty()) return std::nullopt;
  const rp::TlsHandshakeObservation* bad = first_untrusted_certificate(ctx.v);
  if (!bad) return std::nullopt;
  const rp::Failure err = bad->verification_error.value_or(bad->failure.value_or(rp::Failure::ssl_invalid_certificate));
  Attribution party = Attribution::network_interference;
  Confidence conf = Confidence::high;
  std::vector<const rp::TlsHandshakeObservation*> control_ok;
  if (ctx.c) {
    if (control_untrusted_too(*ctx.c)) return std::nullopt;  // shared: the provider's certificate
    control_ok = facts::authenticated_handshakes(*ctx.c);
    if (control_ok.empty()) conf = Confidence::medium;
  } else if (pinned(*bad) || !is_unknown_authority(err) || is_ip_literal(ctx.v.where.host)) {
    // A stale pin, an expired certificate, a real certificate for another name or one for a bare IP address
    // is as likely the provider's own mistake: the unexplained failure it is (thin_evidence).
    return std::nullopt;
  } else {
    // An unknown authority for a name is an interceptor's mark, and a self-signed server's too.
    party = Attribution::inconclusive;
    conf = Confidence::low;
  }
  Finding f = make(party, "tls.cert_invalid", conf);
  if (const auto* tc = facts::carrier(ctx.v, *bad)) cite(f, ctx.v, tc);
  cite(f, ctx.v, bad);
  for (const auto* h : ctx.v.http)
    if (h->failure && cert_failure(h->failure)) cite(f, ctx.v, h);
  if (ctx.c) cite(f, *ctx.c, control_ok);
  f.evidence.sentence = ctx.c ? sentences::untrusted_certificate(ctx.v, bad->address, err, !control_ok.empty())
                              : sentences::untrusted_certificate_without_control(ctx.v, bad->address, err);
  return f;
}

}  // namespace ra::rules
