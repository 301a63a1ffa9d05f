// The DNS rules: forged and raced replies the probe caught, bogon and blockpage answers, NXDOMAIN and answers
// the control contradicts. Each computes its facts, decides, cites, then asks sentences.h for the words.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "facts/dns_watch.h"
#include "facts/observations.h"
#include "facts/record_kinds.h"
#include "facts/shared_answer.h"
#include "rules/rule_helpers.h"
#include "rules/sentences.h"

namespace ra::rules {
namespace {

// The steps at the vantage's addresses that prove them not the service: a handshake naming it that showed a
// certificate not valid for it, or a connect nothing accepted. Timeouts do not count (a CDN edge can be slow).
// Per address, connects before handshakes (the order facts::at_address lists them in).
std::vector<facts::NotTheService> not_the_service(const Side& v, const std::set<std::string>& addresses) {
  std::vector<facts::NotTheService> proof;
  for (const auto& addr : addresses) {
    for (const auto* t : v.tcp)
      if (t->address == addr && is_refused(t->failure)) proof.push_back({t, false, t->address, t->port});
    for (const auto* t : v.tls)
      if (t->address == addr && names_target(*t) && t->trusted == false)
        proof.push_back({t, true, t->address, t->port});
  }
  return proof;
}

}  // namespace

// The probe's own DNS watches caught a forgery: a reply from an address that runs no DNS server, or a raced
// resolver answer (two replies that disagree). Direct proof of on-path injection.
std::optional<Finding> dns_injection_seen(const RuleContext& ctx) {
  if (facts::reached(ctx.v)) return std::nullopt;  // the censor tried and failed: the service still answered
  const std::set<std::string> genuine = facts::genuine_addresses(ctx.v, ctx.c);
  for (const auto* x : ctx.v.dnsx) {
    const auto forgery = facts::forgery_in(*x, genuine);
    if (!forgery) continue;
    const auto caps = captures_of(ctx.v, *x);
    const auto distant_replies = forgery->raced ? facts::replies_from_different_distances(caps)
                                                : std::vector<const rp::CapturedPacketRecord*>{};

    Finding f = make(Attribution::network_interference, "dns.injected", Confidence::high);
    cite(f, ctx.v, x);
    if (!distant_replies.empty() || !forgery->raced) cite(f, ctx.v, caps);
    for (const auto* q : resolve(ctx.v, x->hostname).queries) cite(f, ctx.v, q);
    std::set<std::string> control_addresses;
    if (ctx.c) {
      const Resolution cr = resolve(*ctx.c, x->hostname);
      cite(f, *ctx.c, cr.queries);
      for (const auto* cx : facts::control_watches_tripped(*ctx.c, *x)) {
        f.confidence = Confidence::medium;  // the control's path is injected too: it is not a clean control
        cite(f, *ctx.c, cx);
      }
      control_addresses = cr.addresses;
    }
    f.evidence.sentence = sentences::dns_injection(*forgery, control_addresses, distant_replies);
    return f;
  }
  return std::nullopt;
}

// A DNS answer that the catalogue knows as a government/ISP blockpage or sinkhole address. A specific
// fingerprint is evidence on its own; a vague one (an address many resolvers and names' owners use, such as
// 127.0.0.1) only against a control that resolved the name elsewhere. An answer the control got too is no
// evidence against the network at all.
std::optional<Finding> dns_blockpage_ip(const RuleContext& ctx) {
  const auto valid = validated_addresses(ctx.v);
  for (const auto& host : queried_hosts(ctx.v)) {
    const Resolution r = resolve(ctx.v, host);
    for (const auto& addr : r.addresses) {
      if (valid.count(addr)) continue;  // the provider proved it answers there: the fingerprint is stale
      const auto seen = facts::control_answer(ctx.c, host, addr);
      for (const auto* fp : ctx.fp.match_dns(addr)) {
        if (fp->attribution != FpAttribution::network_interference) continue;
        // Every resolver gives it: the name's own address, for control_shares_failure to explain.
        if (fp->is_vague() && seen == facts::ControlAnswer::shared) continue;
        const bool needs_control = fp->is_vague() && seen == facts::ControlAnswer::none;
        if (needs_control && facts::reached(ctx.v)) continue;  // the service answered elsewhere: reachable decides
        const bool party = !needs_control && seen != facts::ControlAnswer::shared;
        Finding f = make(party ? Attribution::network_interference : Attribution::inconclusive, "dns.blockpage_ip",
                         !party           ? Confidence::low
                         : fp->is_vague() ? Confidence::medium
                                          : Confidence::high);
        for (const auto* q : r.queries) cite(f, ctx.v, q);
        cite(f, ctx.v, facts::at_address(ctx.v, addr));
        std::optional<Resolution> cr;
        if (ctx.c) cr = resolve(*ctx.c, host);
        if (cr) cite(f, *ctx.c, cr->queries);
        cite_fp(f, fp);
        f.evidence.sentence = needs_control ? sentences::dns_vague_answer_without_control(host, addr, *fp)
                              : !party      ? sentences::dns_blockpage_ip_shared(host, addr, *fp)
                                       : sentences::dns_blockpage_ip(host, addr, *fp, cr ? &cr->addresses : nullptr);
        return f;
      }
    }
  }
  return std::nullopt;
}

// A private or reserved address (where no public service can live) in a DNS answer. Evidence against the
// network only when the control resolved the name elsewhere (or not at all), or when a specific fingerprint
// knows the address as a censor's; without a control a name its owner points at 127.0.0.1 looks the same.
std::optional<Finding> dns_bogon(const RuleContext& ctx) {
  const auto valid = validated_addresses(ctx.v);
  for (const auto& host : queried_hosts(ctx.v)) {
    const Resolution r = resolve(ctx.v, host);
    for (const auto& addr : r.addresses) {
      if (valid.count(addr)) continue;
      const auto prefix = bogon_prefix(addr, ctx.bogons);
      if (!prefix) continue;
      const auto seen = facts::control_answer(ctx.c, host, addr);
      // The name really points there (or the control is tampered too): control_shares_failure explains it.
      if (seen == facts::ControlAnswer::shared) continue;
      const auto known = ctx.fp.match_dns(addr);
      const bool known_censor = std::any_of(known.begin(), known.end(), [](const Fingerprint* fp) {
        return fp->attribution == FpAttribution::network_interference && !fp->is_vague();
      });
      const bool needs_control = seen == facts::ControlAnswer::none && !known_censor;
      if (needs_control && facts::reached(ctx.v)) continue;  // the service answered elsewhere: reachable decides
      Finding f = make(needs_control ? Attribution::inconclusive : Attribution::network_interference, "dns.bogon",
                       needs_control                           ? Confidence::low
                       : seen == facts::ControlAnswer::nothing ? Confidence::medium
                                                               : Confidence::high);
      for (const auto* fp : known) cite_fp(f, fp);
      cite(f, ctx.v, r.queries);
      cite(f, ctx.v, facts::at_address(ctx.v, addr));
      std::set<std::string> control_addresses;
      if (ctx.c) {
        const Resolution cr = resolve(*ctx.c, host);
        cite(f, *ctx.c, cr.queries);
        control_addresses = cr.addresses;
      }
      f.evidence.sentence = needs_control ? sentences::dns_bogon_without_control(host, addr, *prefix)
                                          : sentences::dns_bogon(host, addr, *prefix, control_addresses,
                                                                 known.empty() ? nullptr : known.front());
      return f;
    }
  }
  return std::nullopt;
}

// NXDOMAIN at the vantage for a name the control resolved.
std::optional<Finding> dns_nxdomain_vs_control(const RuleContext& ctx) {
  if (!ctx.c) return std::nullopt;
  for (const auto& host : queried_hosts(ctx.v)) {
    const Resolution r = resolve(ctx.v, host);
    if (!r.nxdomain || !r.addresses.empty()) continue;
    const Resolution cr = resolve(*ctx.c, host);
    if (cr.addresses.empty()) continue;
    Finding f = make(Attribution::network_interference, "dns.nxdomain", Confidence::high);
    cite(f, ctx.v, r.queries);
    cite(f, *ctx.c, cr.queries);
    f.evidence.sentence = sentences::dns_nxdomain(host, cr.addresses);
    return f;
  }
  return std::nullopt;
}

// Answers that share nothing with the control's, where the vantage then met something that is provably not
// the service (a certificate not valid for the name, or a refused connection), while the control's answer
// was authenticated by TLS. Timeouts alone do not count: a different CDN edge can be slow or filtered.
std::optional<Finding> dns_forged_vs_control(const RuleContext& ctx) {
  if (!ctx.c) return std::nullopt;
  const auto valid = validated_addresses(ctx.v);
  const auto cvalid = validated_addresses(*ctx.c);
  for (const auto& host : queried_hosts(ctx.v)) {
    const Resolution r = resolve(ctx.v, host);
    const Resolution cr = resolve(*ctx.c, host);
    if (r.addresses.empty() || cr.addresses.empty()) continue;
    if (std::any_of(r.addresses.begin(), r.addresses.end(),
                    [&](const std::string& a) { return cr.addresses.count(a) || valid.count(a); }))
      continue;
    if (std::none_of(cr.addresses.begin(), cr.addresses.end(),
                     [&](const std::string& a) { return cvalid.count(a) > 0; }))
      continue;  // the control's answer was not proven either
    const auto proof = not_the_service(ctx.v, r.addresses);
    if (proof.empty()) continue;
    Finding f = make(Attribution::network_interference, "dns.injected", Confidence::high);
    cite(f, ctx.v, r.queries);
    for (const auto& p : proof) cite(f, ctx.v, p.step);
    cite(f, *ctx.c, cr.queries);
    cite(f, *ctx.c, facts::authenticated_handshakes(*ctx.c));
    f.evidence.sentence = sentences::dns_forged(host, r.addresses, cr.addresses, proof.front());
    return f;
  }
  return std::nullopt;
}

}  // namespace ra::rules
