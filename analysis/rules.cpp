// The attribution rules (see rules.h and the table in analysis/README.md). Each rule reads one target's
// vantage side and, when there is one, the control's; it either fires with a Finding or stays silent.
#include "rules.h"

#include <algorithm>
#include <map>
#include <set>

namespace ra {

namespace {

bool reset_like(const std::optional<std::string>& f) {
  return f && (*f == "connection_reset" || *f == "connection_refused" || *f == "eof_error");
}
bool timeout_like(const std::optional<std::string>& f) { return f && *f == "generic_timeout_error"; }
bool cert_failure(const std::optional<std::string>& f) {
  return f && (*f == "ssl_unknown_authority" || *f == "ssl_invalid_hostname" || *f == "ssl_invalid_certificate");
}

std::string list_of(const std::set<std::string>& items, std::size_t max = 3) {
  std::string out;
  std::size_t n = 0;
  for (const auto& i : items) {
    if (n == max) {
      out += " and " + std::to_string(items.size() - max) + " more";
      break;
    }
    if (n) out += (n + 1 == items.size() ? " and " : ", ");
    out += i;
    ++n;
  }
  return out;
}

void cite(Finding& f, const Side& s, const Observation* o) {
  const std::string id = s.cite(o);
  auto& list = f.evidence.observations;
  if (std::find(list.begin(), list.end(), id) == list.end()) list.push_back(id);
}
void cite(Finding& f, const Side& s, const std::vector<const Observation*>& os) {
  for (const auto* o : os) cite(f, s, o);
}
void cite_fp(Finding& f, const Fingerprint* fp) {
  auto& list = f.evidence.fingerprints;
  if (std::find(list.begin(), list.end(), fp->id) == list.end()) list.push_back(fp->id);
}

Finding make(Attribution a, std::string mechanism, Confidence c) {
  Finding f;
  f.attribution = a;
  f.mechanism = std::move(mechanism);
  f.confidence = c;
  return f;
}

// The TCP connect that carried a TLS handshake (same transaction, address and port).
const Observation* carrier(const Side& s, const Observation& tls) {
  for (const auto* t : s.tcp)
    if (t->transaction == tls.transaction && t->address == tls.address && t->port == tls.port) return t;
  return nullptr;
}

// Observations of a side that touched an address (connects, handshakes, HTTP requests).
std::vector<const Observation*> at_address(const Side& s, const std::string& addr) {
  std::vector<const Observation*> out;
  for (const auto* o : s.tcp)
    if (o->address == addr) out.push_back(o);
  for (const auto* o : s.tls)
    if (o->address == addr) out.push_back(o);
  for (const auto* o : s.http)
    if (o->address == addr) out.push_back(o);
  return out;
}

std::vector<const Observation*> authenticated_handshakes(const Side& s) {
  std::vector<const Observation*> out;
  for (const auto* t : s.tls)
    if (authenticated(*t)) out.push_back(t);
  return out;
}

std::string host_of_url(const std::string& url) {
  auto a = parse_target_ref(url, "url");
  return a ? a->host : url;
}

std::string name_of(const Side& s) { return s.where.host.empty() ? s.target->ref : s.where.host; }

// "HTTP 200", "no response (timed out)", ... for the control's final result, in a sentence.
std::string control_result(const Side& c) {
  const Outcome o = outcome(c);
  if (o.stage == Stage::reached) {
    if (const Observation* h = final_http(c); h && h->response)
      return "the control got the normal page (HTTP " + std::to_string(h->response->status) + ")";
    return "the control reached it normally";
  }
  if (o.stage == Stage::no_data) return "the control has no data for it";
  return "the control's attempt " + describe_failure(o.failure);
}

bool side_matches_fp(const Side& s, const RuleContext& ctx, const std::string& id) {
  for (const auto* h : s.http) {
    if (!h->response) continue;
    for (const auto* f : ctx.matches(*h))
      if (f->id == id) return true;
  }
  return false;
}

std::string channel(const Observation& h) {
  return h.tls_verified.has_value() ? "a TLS connection that was not verified as " + host_of_url(h.url)
                                    : "plain, unencrypted HTTP";
}

bool reached(const Side& s) { return outcome(s).stage == Stage::reached; }

// Fingerprints of one kind that match an HTTP observation, unless a known false positive matches too.
std::vector<const Fingerprint*> http_matches(const RuleContext& ctx, const Observation& h, FpAttribution want) {
  std::vector<const Fingerprint*> out;
  if (!h.response) return out;
  const auto& all = ctx.matches(h);
  // Known false positives veto blockpage matches only: a provider signature over verified TLS is authenticated,
  // and OONI's false-positive list is about unauthenticated pages that merely look like blockpages.
  if (want == FpAttribution::network_interference &&
      std::any_of(all.begin(), all.end(), [](const Fingerprint* f) { return f->attribution == FpAttribution::false_positive; }))
    return out;
  for (const auto* f : all)
    if (f->attribution == want) out.push_back(f);
  return out;
}

std::string fp_description(const Fingerprint& f) {
  std::string d = f.provider.empty() ? "" : f.provider + " ";
  if (f.scope == "nat") d += "a national blockpage";
  else if (f.scope == "isp") d += "an ISP's blockpage";
  else if (f.scope == "prod") d += "a filtering product's blockpage";
  else if (f.scope == "inst") d += "an institution's filter page";
  else if (f.scope == "vbw") d += "a page with a generic blocking phrase";
  else d += "a known page";
  if (!f.countries.empty()) {
    d += " (";
    for (std::size_t i = 0; i < f.countries.size() && i < 3; ++i) d += (i ? ", " : "") + f.countries[i];
    d += ")";
  }
  return d;
}


// --- Packets from the wire -----------------------------------------------------------------------------------

// A failed connect or handshake, the first reset its flow received, and how that reset's TTL compares with
// the server's own.
struct ResetTtl {
  const Observation* step = nullptr;
  std::vector<const Observation*> flows;  // capture summaries of the step's flow
  const Observation* rst_flow = nullptr;
  TtlBaseline baseline;
  TtlComparison cmp;
};

std::vector<ResetTtl> reset_ttls(const Side& s, const std::vector<const Observation*>& steps) {
  std::vector<ResetTtl> out;
  for (const auto* step : steps) {
    if (!step->failure || (*step->failure != "connection_refused" && *step->failure != "connection_reset")) continue;
    if (step->address.empty()) continue;
    ResetTtl r;
    r.step = step;
    r.flows = captures_of(s, *step);
    const CapturedPacket* rst = nullptr;
    for (const auto* f : r.flows)
      for (const auto& p : f->packets)
        if (p.kind == "rst" && (!rst || p.t < rst->t)) rst = &p, r.rst_flow = f;
    if (!rst) continue;
    r.baseline = server_ttl_baseline(*s.rec, step->address, r.flows);
    r.cmp = compare_ttl(rst->ttl, r.baseline.ttls);
    if (r.cmp.match == TtlMatch::none) continue;
    out.push_back(std::move(r));
  }
  return out;
}

std::string plural(int n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

// "The reset arrived with IP TTL 64, but the server's own packets arrive with TTL 62: ..."
std::string reset_ttl_sentence(const ResetTtl& r) {
  const std::string whose = r.baseline.same_flow ? "the server's own packets on the same connection"
                                                 : "the server's own packets (on other connections to it, or its "
                                                   "ICMP replies)";
  std::string s = "The reset arrived with IP TTL " + std::to_string(r.cmp.ttl);
  if (r.cmp.match == TtlMatch::same)
    return s + ", the same as " + whose + ": it looks like the server's own.";
  s += ", but " + whose + " arrive with TTL " + std::to_string(r.cmp.baseline) + ": ";
  if (r.cmp.hops_closer && *r.cmp.hops_closer > 0)
    return s + "it was sent by something on the path, " + plural(*r.cmp.hops_closer, "hop", "hops") +
           " closer than the server.";
  if (r.cmp.hops_closer)
    return s + "it was not sent by the server (it looks " + plural(-*r.cmp.hops_closer, "hop", "hops") +
           " farther away than the server, a TTL chosen by whoever forged it).";
  return s + "it was sent by a different machine than the server (its TTL started from a different value), "
             "somewhere on the path.";
}

void cite_reset_ttl(Finding& f, const Side& s, const ResetTtl& r) {
  cite(f, s, r.step);
  if (r.rst_flow) cite(f, s, r.rst_flow);
  cite(f, s, r.baseline.from);
}

// The control's successful connections (or replies) at any of these addresses.
std::vector<const Observation*> control_connected(const Side& c, const std::set<std::string>& addrs) {
  std::vector<const Observation*> out;
  for (const auto* o : c.tcp)
    if (!o->failure && addrs.count(o->address)) out.push_back(o);
  for (const auto* o : c.http)
    if (o->response && addrs.count(o->address)) out.push_back(o);
  return out;
}

}  // namespace

const std::vector<const Fingerprint*>& RuleContext::matches(const Observation& h) const {
  auto it = http_matches.find(&h);
  if (it == http_matches.end())
    it = http_matches.emplace(&h, h.response ? fp.match_http(*h.response, h.redirect_location)
                                             : std::vector<const Fingerprint*>{}).first;
  return it->second;
}

namespace rules {

// The probe's own DNS watches caught a forgery: a reply from an address that runs no DNS server, or a raced
// resolver answer (two replies that disagree). Direct proof of on-path injection.
std::optional<Finding> dns_injection_seen(const RuleContext& ctx) {
  if (reached(ctx.v)) return std::nullopt;  // the censor tried and failed: the service still answered
  auto answers_of = [](const DnsReply& r) {
    std::set<std::string> out;
    for (const auto& a : r.answers)
      if (a.type == "A" || a.type == "AAAA") out.insert(a.value);
    return out;
  };
  // Addresses known to be genuine: proven by TLS at the vantage, or what the control resolved.
  std::set<std::string> genuine = validated_addresses(ctx.v);
  if (ctx.c)
    for (const auto& h : queried_hosts(*ctx.c))
      for (const auto& a : resolve(*ctx.c, h).addresses) genuine.insert(a);
  for (const auto* x : ctx.v.dnsx) {
    std::string sentence;
    if (x->purpose == "injection_check" && !x->replies.empty()) {
      const auto first = answers_of(x->replies.front());
      // The probe aims this question at an address it believes runs no DNS server. If that belief is wrong
      // (the target is itself a DNS server), the reply carries the genuine answer, or no address at all
      // (REFUSED, NXDOMAIN from an authoritative-only server): only a wrong address is proof of forgery.
      bool forged = false;
      for (const auto& r : x->replies)
        for (const auto& a : answers_of(r)) forged |= !genuine.count(a);
      if (!forged) continue;
      sentence = "A DNS question for " + x->hostname + " sent to " + x->server +
                 ", an address that runs no DNS server, was answered anyway" +
                 (first.empty() ? " (" + x->replies.front().rcode + ")" : " with " + list_of(first)) +
                 ": the reply was forged on the path.";
    } else if (x->purpose == "duplicate_watch" && x->replies.size() >= 2) {
      const auto first = answers_of(x->replies.front());
      std::set<std::string> later;
      for (std::size_t i = 1; i < x->replies.size(); ++i)
        for (const auto& a : answers_of(x->replies[i])) later.insert(a);
      if (first == later) continue;  // a retransmitted identical answer is not a forgery
      sentence = "The resolver's answer for " + x->hostname + " was raced: a first reply said " +
                 (first.empty() ? x->replies.front().rcode : list_of(first)) + ", then a second said " +
                 (later.empty() ? x->replies[1].rcode : list_of(later)) +
                 "; two different answers to one question mean one was injected on the path.";
    } else {
      continue;
    }
    // The capture of this exchange: replies arriving with IP TTLs two or more apart came from different places.
    std::string wire;
    const auto caps = captures_of(ctx.v, *x);
    if (x->purpose == "duplicate_watch") {
      std::vector<const CapturedPacket*> replies;
      for (const auto* cap : caps)
        for (const auto& p : cap->packets)
          if (p.kind == "dns_reply") replies.push_back(&p);
      std::stable_sort(replies.begin(), replies.end(), [](const CapturedPacket* a, const CapturedPacket* b) { return a->t < b->t; });
      int lo = 256, hi = -1;
      for (const auto* p : replies) lo = std::min(lo, p->ttl), hi = std::max(hi, p->ttl);
      if (replies.size() >= 2 && hi - lo >= 2) {
        wire = " The capture shows the replies arrived with different IP TTLs (";
        for (std::size_t i = 0; i < replies.size() && i < 4; ++i) {
          std::set<std::string> a(replies[i]->answers.begin(), replies[i]->answers.end());
          wire += (i ? ", " : "") + std::string(i == 0 ? "first " : i == 1 ? "second " : i == 2 ? "third " : "fourth ") +
                  (a.empty() ? replies[i]->rcode.value_or("empty") : list_of(a, 2)) + " with TTL " + std::to_string(replies[i]->ttl);
        }
        wire += "): they were sent from different distances, not by one resolver.";
      }
    }
    Finding f = make(Attribution::network_interference, "dns.injected", Confidence::high);
    cite(f, ctx.v, x);
    if (!wire.empty() || x->purpose == "injection_check") cite(f, ctx.v, caps);
    for (const auto* q : resolve(ctx.v, x->hostname).queries) cite(f, ctx.v, q);
    if (ctx.c) {
      const Resolution cr = resolve(*ctx.c, x->hostname);
      cite(f, *ctx.c, cr.queries);
      for (const auto* cx : ctx.c->dnsx)
        if (cx->purpose == x->purpose && cx->hostname == x->hostname &&
            ((cx->purpose == "injection_check" && !cx->replies.empty()) || cx->replies.size() >= 2)) {
          f.confidence = Confidence::medium;  // the control's path is injected too: it is not a clean control
          cite(f, *ctx.c, cx);
        }
      if (!cr.addresses.empty()) sentence.pop_back(), sentence += "; the control resolved it to " + list_of(cr.addresses) + ".";
    }
    f.evidence.sentence = sentence + wire;
    return f;
  }
  return std::nullopt;
}

// A DNS answer that the catalogue knows as a government/ISP blockpage or sinkhole address.
std::optional<Finding> dns_blockpage_ip(const RuleContext& ctx) {
  const auto valid = validated_addresses(ctx.v);
  for (const auto& host : queried_hosts(ctx.v)) {
    const Resolution r = resolve(ctx.v, host);
    for (const auto& addr : r.addresses) {
      if (valid.count(addr)) continue;  // the provider proved it answers there: the fingerprint is stale
      for (const auto* fp : ctx.fp.match_dns(addr)) {
        if (fp->attribution != FpAttribution::network_interference) continue;
        bool shared = false;
        std::string control_part;
        if (ctx.c) {
          const Resolution cr = resolve(*ctx.c, host);
          shared = cr.addresses.count(addr) > 0;
          if (!shared && !cr.addresses.empty()) control_part = ", while the control resolved it to " + list_of(cr.addresses);
          if (shared) control_part = "; the control got the same answer, so the control is not clean either";
        }
        Finding f = make(Attribution::network_interference, "dns.blockpage_ip",
                         shared || fp->is_vague() ? Confidence::medium : Confidence::high);
        for (const auto* q : r.queries) cite(f, ctx.v, q);
        cite(f, ctx.v, at_address(ctx.v, addr));
        if (ctx.c) cite(f, *ctx.c, resolve(*ctx.c, host).queries);
        cite_fp(f, fp);
        f.evidence.sentence = "The DNS answer for " + host + " was " + addr + ", an address known from " +
                              fp_description(*fp) + " (fingerprint " + fp->id + ")" + control_part + ".";
        return f;
      }
    }
  }
  return std::nullopt;
}

// A private or reserved address (where no public service can live) in a DNS answer.
std::optional<Finding> dns_bogon(const RuleContext& ctx) {
  const auto valid = validated_addresses(ctx.v);
  for (const auto& host : queried_hosts(ctx.v)) {
    const Resolution r = resolve(ctx.v, host);
    for (const auto& addr : r.addresses) {
      if (valid.count(addr)) continue;
      const auto prefix = bogon_prefix(addr, ctx.bogons);
      if (!prefix) continue;
      Confidence conf = Confidence::high;
      std::string control_part;
      if (ctx.c) {
        const Resolution cr = resolve(*ctx.c, host);
        if (cr.addresses.count(addr)) continue;  // the name really points there (or the control is tampered too)
        if (cr.addresses.empty()) conf = Confidence::medium;
        else control_part = ", while the control resolved it to " + list_of(cr.addresses);
      }
      Finding f = make(Attribution::network_interference, "dns.bogon", conf);
      std::string known;
      for (const auto* fp : ctx.fp.match_dns(addr)) {
        cite_fp(f, fp);
        if (known.empty()) known = "; it is also a known censor's answer (fingerprint " + fp->id + ")";
      }
      cite(f, ctx.v, r.queries);
      cite(f, ctx.v, at_address(ctx.v, addr));
      if (ctx.c) cite(f, *ctx.c, resolve(*ctx.c, host).queries);
      f.evidence.sentence = "The DNS answer for " + host + " was " + addr + ", a private or reserved address (" +
                            *prefix + ") where no public service can be reached" + control_part + known + ".";
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
    f.evidence.sentence = "The vantage's DNS resolver said " + host +
                          " does not exist (NXDOMAIN), while the control resolved the same name to " +
                          list_of(cr.addresses) + ".";
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
    if (std::any_of(r.addresses.begin(), r.addresses.end(), [&](const std::string& a) { return cr.addresses.count(a) || valid.count(a); }))
      continue;
    std::set<std::string> cproven;
    for (const auto& a : cr.addresses)
      if (cvalid.count(a)) cproven.insert(a);
    if (cproven.empty()) continue;
    std::vector<const Observation*> proof;
    std::string what;
    for (const auto& addr : r.addresses) {
      for (const auto* o : at_address(ctx.v, addr)) {
        if (o->type == ObsType::tls_handshake && o->sni_kind == "target" && o->trusted == false) {
          proof.push_back(o);
          if (what.empty()) what = "TLS at " + addr + " showed a certificate not valid for " + host;
        } else if (o->type == ObsType::tcp_connect && o->failure && *o->failure == "connection_refused") {
          proof.push_back(o);
          if (what.empty()) what = "nothing accepted connections at " + addr + " on port " + std::to_string(o->port);
        }
      }
    }
    if (proof.empty()) continue;
    Finding f = make(Attribution::network_interference, "dns.injected", Confidence::high);
    cite(f, ctx.v, r.queries);
    cite(f, ctx.v, proof);
    cite(f, *ctx.c, cr.queries);
    cite(f, *ctx.c, authenticated_handshakes(*ctx.c));
    f.evidence.sentence = "The DNS answer for " + host + " at the vantage (" + list_of(r.addresses) +
                          ") shares no address with the control's (" + list_of(cr.addresses) + "), and " + what +
                          ", while the control's address answered with a valid certificate for " + host + ".";
    return f;
  }
  return std::nullopt;
}

// The handshake naming the service fails, while the same address completes one for a neutral name or none.
std::optional<Finding> sni_dependent_tls_failure(const RuleContext& ctx) {
  if (!authenticated_handshakes(ctx.v).empty()) return std::nullopt;
  for (const auto* t : ctx.v.tls) {
    if (t->sni_kind != "target" || t->handshake_completed) continue;
    const bool reset = reset_like(t->failure);
    if (!reset && !timeout_like(t->failure)) continue;
    const Observation* retry = nullptr;
    for (const auto* u : ctx.v.tls)
      if (u->sni_kind != "target" && u->address == t->address && u->port == t->port && u->handshake_completed &&
          (!retry || (retry->sni_kind == "none" && u->sni_kind == "neutral")))
        retry = u;  // a neutral name is the clearest contrast; no name at all will do
    if (!retry) continue;
    Confidence conf = Confidence::high;
    std::string control_part;
    std::vector<const Observation*> control_ok;
    if (ctx.c) {
      control_ok = authenticated_handshakes(*ctx.c);
      if (control_ok.empty()) conf = Confidence::medium;
      else control_part = ", and the control completed the handshake for " + name_of(ctx.v);
    }
    // Path localisation: the trigger treated differently before the hop where the server answers puts the
    // device on the path, not at the provider; that needs no control to be believed.
    const Observation* where = nullptr;
    for (const auto* p : ctx.v.paths)
      if (p->loc_kind == "tls_sni" && p->address == t->address && p->interference_ttl && p->destination_ttl &&
          *p->interference_ttl < *p->destination_ttl)
        where = p;
    // The capture: a reset whose TTL is not the server's was forged on the path, which needs no control either.
    std::optional<ResetTtl> forged;
    if (reset)
      for (auto& r : reset_ttls(ctx.v, {t}))
        if (r.cmp.match == TtlMatch::differs) forged = std::move(r);
    Finding f = make(Attribution::network_interference, reset ? "tls.sni_reset" : "tls.sni_timeout", conf);
    if (forged) {
      f.control_independent = true;
      f.confidence = Confidence::high;
      cite_reset_ttl(f, ctx.v, *forged);
    }
    if (where) {
      f.control_independent = true;
      if (!ctx.c) f.confidence = Confidence::high;
      cite(f, ctx.v, where);
    }
    if (const auto* tc = carrier(ctx.v, *t)) cite(f, ctx.v, tc);
    cite(f, ctx.v, t);
    if (const auto* rc = carrier(ctx.v, *retry)) cite(f, ctx.v, rc);
    cite(f, ctx.v, retry);
    if (ctx.c) cite(f, *ctx.c, control_ok);
    const std::string other = retry->sni_kind == "neutral" ? "a neutral name (" + retry->server_name.value_or("") + ")"
                                                           : "no name at all";
    f.evidence.sentence = "TLS to " + name_of(ctx.v) + " at " + t->address + " was " +
                          (reset ? "reset" : "silently dropped") +
                          " right after a ClientHello naming it, while the same address completed a handshake for " +
                          other + control_part +
                          (where ? "; TTL-limited copies of the ClientHello met the interference at hop " +
                                       std::to_string(*where->interference_ttl) +
                                       (where->last_router_before ? " (after router " + *where->last_router_before + ")" : "") +
                                       ", before the server at hop " + std::to_string(*where->destination_ttl)
                                 : "") +
                          "." + (forged ? " " + reset_ttl_sentence(*forged) : "");
    return f;
  }
  return std::nullopt;
}

// A reset that killed the connect or handshake arrived with an IP TTL unlike the server's own packets: it was
// forged on the path (the packet capture shows who could have sent it; the control is only corroboration).
std::optional<Finding> reset_ttl_injected(const RuleContext& ctx) {
  const Outcome ov = outcome(ctx.v);
  if (ov.stage != Stage::tcp && ov.stage != Stage::tls) return std::nullopt;
  const auto ev = reset_ttls(ctx.v, ov.obs);
  if (ev.empty()) return std::nullopt;
  // Every reset that can be compared must look forged: one that matches the server's TTL (or is one hop off,
  // which a route change explains) leaves the question open.
  if (std::any_of(ev.begin(), ev.end(), [](const ResetTtl& r) { return r.cmp.match != TtlMatch::differs; }))
    return std::nullopt;
  std::set<std::string> addrs;
  for (const auto& r : ev) addrs.insert(r.step->address);
  Confidence conf = Confidence::high;
  std::vector<const Observation*> control_ok;
  std::string control_part;
  if (ctx.c) {
    const Outcome oc = outcome(*ctx.c);
    // The control was reset too: not something only this vantage's path does (a firewall in front of the
    // service refusing everyone sends resets with its own TTL as well). The outage rule decides.
    if (oc.stage == ov.stage && reset_like(oc.obs.empty() ? std::nullopt : oc.obs.front()->failure)) return std::nullopt;
    control_ok = control_connected(*ctx.c, addrs);
    if (control_ok.empty()) conf = Confidence::medium;
    else control_part = " The control connected to the same address.";
  }
  const bool tcp = ov.stage == Stage::tcp;
  Finding f = make(Attribution::network_interference, tcp ? "tcp.reset_injected" : "tls.reset_injected", conf);
  for (const auto& r : ev) cite_reset_ttl(f, ctx.v, r);
  if (ctx.c) cite(f, *ctx.c, control_ok);
  const ResetTtl& r = ev.front();
  f.evidence.sentence = (tcp ? "The TCP connection to " + name_of(ctx.v) + " at " + r.step->address + " " +
                                   describe_failure(*r.step->failure) + ". "
                             : "The TLS handshake with " + name_of(ctx.v) + " at " + r.step->address + " was reset. ") +
                        reset_ttl_sentence(r) + control_part;
  return f;
}

// A certificate that does not validate for the service's name, where the control got a valid one.
std::optional<Finding> untrusted_certificate(const RuleContext& ctx) {
  if (!authenticated_handshakes(ctx.v).empty()) return std::nullopt;
  const Observation* bad = nullptr;
  for (const auto* t : ctx.v.tls) {
    if (t->sni_kind != "target") continue;
    if (t->trusted == false && (cert_failure(t->verification_error) || cert_failure(t->failure))) {
      bad = t;
      break;
    }
  }
  if (!bad) return std::nullopt;
  const std::string err = bad->verification_error.value_or(bad->failure.value_or("ssl_invalid_certificate"));
  Confidence conf = Confidence::high;
  std::string control_part;
  std::vector<const Observation*> control_ok;
  if (ctx.c) {
    for (const auto* t : ctx.c->tls)
      if (t->sni_kind == "target" && t->trusted == false) return std::nullopt;  // shared: the provider's certificate
    control_ok = authenticated_handshakes(*ctx.c);
    if (control_ok.empty()) conf = Confidence::medium;
    else control_part = ", while the control got a valid certificate for the same name";
  } else if (bad->trust == "pinned" || err != "ssl_unknown_authority" || is_ip_literal(ctx.v.where.host)) {
    // Without a control only an unknown authority for a name points at an interceptor: a stale pin, an
    // expired certificate or a real certificate for another name is as likely the provider's own mistake,
    // and certificates rarely name bare IP addresses at all.
    return std::nullopt;
  }
  Finding f = make(Attribution::network_interference, "tls.cert_invalid", conf);
  if (const auto* tc = carrier(ctx.v, *bad)) cite(f, ctx.v, tc);
  cite(f, ctx.v, bad);
  for (const auto* h : ctx.v.http)
    if (h->failure && cert_failure(h->failure)) cite(f, ctx.v, h);
  if (ctx.c) cite(f, *ctx.c, control_ok);
  f.evidence.sentence = "The TLS connection to " + name_of(ctx.v) + " at " + bad->address + " " + describe_failure(err) +
                        ", the mark of someone in the middle pretending to be " + name_of(ctx.v) + control_part + ".";
  return f;
}

// An unauthenticated reply matching a known government/ISP/filter blockpage.
std::optional<Finding> blockpage_fingerprint(const RuleContext& ctx) {
  for (const auto* h : ctx.v.http) {
    if (h->tls_verified.value_or(false)) continue;  // a verified reply is the provider's, never a path blockpage
    const auto fps = http_matches(ctx, *h, FpAttribution::network_interference);
    if (fps.empty()) continue;
    const Fingerprint* best = fps.front();
    for (const auto* f : fps)
      if (best->is_vague() && !f->is_vague()) best = f;
    bool shared = ctx.c && side_matches_fp(*ctx.c, ctx, best->id);
    Confidence conf = shared ? Confidence::medium : Confidence::high;
    if (best->is_vague()) {
      // A generic "blocked" phrase is only worth something when the control's page lacks it.
      if (!ctx.c || shared) continue;
      conf = Confidence::low;
    }
    Finding f = make(Attribution::network_interference, "http.blockpage", conf);
    cite(f, ctx.v, h);
    for (const auto* x : fps) cite_fp(f, x);
    std::string control_part;
    if (ctx.c) {
      if (const Observation* ch = final_http(*ctx.c)) cite(f, *ctx.c, ch);
      control_part = shared ? "; the control got the same page, so its path is filtered too"
                            : ", while " + control_result(*ctx.c);
    }
    f.evidence.sentence = "The reply for " + h->url + " came over " + channel(*h) + " and matches " +
                          fp_description(*best) + " (fingerprint " + best->id + ")" + control_part + ".";
    return f;
  }
  return std::nullopt;
}

namespace {
// Shared by the two signature rules: a reply over TLS verified for the URL's host matching a provider signature.
std::optional<Finding> provider_signature(const RuleContext& ctx, FpAttribution want, Attribution out,
                                          const char* mechanism) {
  for (const auto* h : ctx.v.http) {
    if (!h->tls_verified.value_or(false)) continue;
    const auto fps = http_matches(ctx, *h, want);
    if (fps.empty()) continue;
    const Fingerprint* fp = fps.front();
    const bool shared = ctx.c && side_matches_fp(*ctx.c, ctx, fp->id);
    Finding f = make(out, mechanism, shared ? Confidence::medium : Confidence::high);
    cite(f, ctx.v, h);
    for (const auto* x : fps) cite_fp(f, x);
    std::string control_part;
    if (ctx.c) {
      if (const Observation* ch = final_http(*ctx.c)) cite(f, *ctx.c, ch);
      control_part = shared ? "; the control was refused the same way" : ", while " + control_result(*ctx.c);
    }
    const std::string host = host_of_url(h->url);
    const std::string who = fp->provider.empty() ? "the provider's" : fp->provider + "'s";
    if (want == FpAttribution::provider_on_government_order) {
      f.evidence.sentence = host + " itself, over a connection verified as " + host + ", answered HTTP " +
                            std::to_string(h->response->status) +
                            (h->redirect_location ? " sending the visitor to " + *h->redirect_location : "") +
                            ", " + who + " marker for content blocked on a government's order (fingerprint " + fp->id +
                            ")" + control_part + ".";
    } else {
      f.evidence.sentence = host + " itself, over a connection verified as " + host + ", answered HTTP " +
                            std::to_string(h->response->status) + " with " + who +
                            " page refusing visitors from this country or region (fingerprint " + fp->id + ")" +
                            control_part + ".";
    }
    return f;
  }
  return std::nullopt;
}
}  // namespace

std::optional<Finding> provider_order_signature(const RuleContext& ctx) {
  return provider_signature(ctx, FpAttribution::provider_on_government_order, Attribution::provider_on_government_order,
                            "http.gov_order");
}

std::optional<Finding> provider_geo_signature(const RuleContext& ctx) {
  return provider_signature(ctx, FpAttribution::provider_restriction, Attribution::provider_restriction, "http.geo_page");
}

// HTTP 451 (Unavailable For Legal Reasons, RFC 7725) received over TLS verified for the URL's host.
std::optional<Finding> verified_451(const RuleContext& ctx) {
  for (const auto* h : ctx.v.http) {
    if (!h->tls_verified.value_or(false) || !h->response || h->response->status != 451) continue;
    std::optional<std::string> blocked_by;
    for (const auto& [n, val] : h->response->headers) {
      std::string ln = n, lv = val;
      for (auto& ch : ln) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      for (auto& ch : lv) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (ln == "link" && lv.find("blocked-by") != std::string::npos) {
        const auto lt = val.find('<'), gt = val.find('>');
        blocked_by = lt != std::string::npos && gt != std::string::npos && gt > lt ? val.substr(lt + 1, gt - lt - 1) : val;
      }
    }
    bool shared = false;
    if (ctx.c)
      for (const auto* ch : ctx.c->http)
        if (ch->response && ch->response->status == 451) shared = true;
    Finding f = make(Attribution::provider_on_government_order, "http.status_451",
                     blocked_by && !shared ? Confidence::high : Confidence::medium);
    cite(f, ctx.v, h);
    std::string control_part;
    if (ctx.c) {
      if (const Observation* ch = final_http(*ctx.c)) cite(f, *ctx.c, ch);
      control_part = shared ? "; the control got 451 too" : ", while " + control_result(*ctx.c);
    }
    const std::string host = host_of_url(h->url);
    f.evidence.sentence = host + " itself, over a connection verified as " + host +
                          ", answered HTTP 451 Unavailable For Legal Reasons" +
                          (blocked_by ? " and named " + *blocked_by + " as the party implementing the block" : "") +
                          control_part + ".";
    return f;
  }
  return std::nullopt;
}

// A plain 403 over verified TLS, where the control got the normal page: the provider refuses this vantage.
std::optional<Finding> verified_refusal_vs_control(const RuleContext& ctx) {
  if (!ctx.c) return std::nullopt;
  const Observation* h = final_http(ctx.v);
  if (!h || !h->response || !h->tls_verified.value_or(false) || h->response->status != 403) return std::nullopt;
  const Observation* ch = final_http(*ctx.c);
  if (!ch || !healthy(*ctx.c, *ch)) return std::nullopt;
  Finding f = make(Attribution::provider_restriction, "http.refusal", Confidence::medium);
  cite(f, ctx.v, h);
  cite(f, *ctx.c, ch);
  const std::string host = host_of_url(h->url);
  f.evidence.sentence = host + " itself, over a connection verified as " + host +
                        ", answered HTTP 403 Forbidden, while " + control_result(*ctx.c) +
                        " (no known geo-block page matched, hence medium confidence).";
  return f;
}

// A refusal-looking reply (451, 403, provider page) that did not come over TLS verified for the host.
std::optional<Finding> unauthenticated_refusal(const RuleContext& ctx) {
  if (reached(ctx.v)) return std::nullopt;
  for (const auto* h : ctx.v.http) {
    if (h->tls_verified.value_or(false) || !h->response) continue;
    std::vector<const Fingerprint*> fps = http_matches(ctx, *h, FpAttribution::provider_restriction);
    auto order = http_matches(ctx, *h, FpAttribution::provider_on_government_order);
    fps.insert(fps.end(), order.begin(), order.end());
    const int st = h->response->status;
    if (fps.empty() && st != 451 && st != 403) continue;
    const std::string mech = !order.empty() ? "http.gov_order"
                             : !fps.empty() ? "http.geo_page"
                             : st == 451    ? "http.status_451"
                                            : "http.refusal";
    Finding f = make(Attribution::inconclusive, mech, Confidence::low);
    cite(f, ctx.v, h);
    for (const auto* x : fps) cite_fp(f, x);
    if (ctx.c)
      if (const Observation* ch = final_http(*ctx.c)) cite(f, *ctx.c, ch);
    f.evidence.sentence = "The reply for " + h->url + " (HTTP " + std::to_string(st) +
                          (fps.empty() ? "" : ", looking like " + (fps.front()->provider.empty() ? std::string("a provider") : fps.front()->provider) + "'s refusal page") +
                          ") came over " + channel(*h) +
                          ", so anyone on the path could have written it; it is not blamed on the provider or the network.";
    return f;
  }
  return std::nullopt;
}

// The vantage got what a healthy service answers; earlier failed attempts are noise.
std::optional<Finding> reachable(const RuleContext& ctx) {
  const Outcome o = outcome(ctx.v);
  if (o.stage != Stage::reached) return std::nullopt;
  // An unauthenticated page is only "the service" if it looks like what the control got: without TLS, a
  // 200 with someone else's content is exactly what an unknown blockpage looks like.
  const Observation* h = final_http(ctx.v);
  if (!o.authenticated && h && h->response && !h->healthy_match && ctx.c) {
    const Observation* ch = final_http(*ctx.c);
    if (ch && ch->response && reached(*ctx.c) &&
        (ch->response->status != h->response->status ||
         (ch->response->title != h->response->title && ch->response->body_sha256 != h->response->body_sha256)))
      return std::nullopt;
  }
  Finding f = make(Attribution::reachable, "none", o.authenticated ? Confidence::high : Confidence::medium);
  f.control_independent = o.authenticated;
  cite(f, ctx.v, o.obs);
  std::size_t failed = 0;
  for (const auto* x : ctx.v.tcp) failed += x->failure ? 1 : 0;
  for (const auto* x : ctx.v.tls) failed += (x->sni_kind == "target" && x->failure) ? 1 : 0;
  std::string how;
  if (h && h->response && ctx.v.where.scheme != "tls" && ctx.v.where.scheme != "tcp")
    how = " (HTTP " + std::to_string(h->response->status) +
          (o.authenticated ? " over TLS verified as " + host_of_url(h->url) : " over " + channel(*h)) + ")";
  else if (ctx.v.where.scheme == "tls")
    how = " (TLS handshake verified as " + name_of(ctx.v) + ")";
  else if (ctx.v.where.scheme == "tcp")
    how = " (TCP connection accepted)";
  else if (ctx.v.where.scheme == "dns")
    how = " (the name resolved)";
  f.evidence.sentence = ctx.v.target->ref + " answered normally from this vantage" + how +
                        (failed ? "; " + std::to_string(failed) +
                                      " earlier attempt(s) failed before it worked, which looks like ordinary packet loss"
                                : "") +
                        ".";
  return f;
}

// The control failed at the same step: the service is down (or broken) for everyone.
std::optional<Finding> control_shares_failure(const RuleContext& ctx) {
  if (!ctx.c) return std::nullopt;
  const Outcome ov = outcome(ctx.v), oc = outcome(*ctx.c);
  if (ov.stage == Stage::reached || ov.stage == Stage::no_data || oc.stage != ov.stage) return std::nullopt;
  // A resolver nobody could reach says nothing about the service: that is the measurement's own trouble.
  auto resolver_unreachable = [](const std::string& f) {
    return f == "connection_refused" || f == "network_unreachable" || f == "host_unreachable";
  };
  if (ov.stage == Stage::dns && (resolver_unreachable(ov.failure) || resolver_unreachable(oc.failure))) return std::nullopt;
  const bool same = ov.failure == oc.failure;
  Finding f = make(Attribution::service_outage, mechanism_for(ov.stage, ov.failure, ov.status),
                   same ? Confidence::high : Confidence::medium);
  cite(f, ctx.v, ov.obs);
  cite(f, *ctx.c, oc.obs);
  f.evidence.sentence = ctx.v.target->ref + " failed the same way from the control (" + describe_failure(oc.failure) +
                        ") as from the vantage (" + describe_failure(ov.failure) +
                        "), so it looks down for everyone rather than blocked here.";
  return f;
}

// The reset arrived with the server's own TTL and the control does not share the failure: the server (or a
// device that copies its TTL exactly) refused this vantage. That names nobody, but it is not evidence
// against the network either, so the weaker reset_vs_control must not fire on it.
std::optional<Finding> reset_from_server(const RuleContext& ctx) {
  const Outcome ov = outcome(ctx.v);
  if (ov.stage != Stage::tcp && ov.stage != Stage::tls) return std::nullopt;
  const auto ev = reset_ttls(ctx.v, ov.obs);
  if (ev.empty() ||
      !std::all_of(ev.begin(), ev.end(), [](const ResetTtl& r) { return r.cmp.match == TtlMatch::same; }))
    return std::nullopt;
  const ResetTtl& r = ev.front();
  Finding f = make(Attribution::inconclusive, mechanism_for(ov.stage, *r.step->failure, 0), Confidence::low);
  for (const auto& x : ev) cite_reset_ttl(f, ctx.v, x);
  std::string control_part =
      " Without a control this cannot be told apart from a service refusing everyone.";
  if (ctx.c) {
    std::set<std::string> addrs;
    for (const auto& x : ev) addrs.insert(x.step->address);
    const auto ok = control_connected(*ctx.c, addrs);
    cite(f, *ctx.c, ok.empty() ? outcome(*ctx.c).obs : ok);
    control_part = ok.empty() ? " The control did not connect to the same address, so nothing shows whom the refusal is aimed at."
                              : " The control connected to the same address, so this vantage was refused specifically, "
                                "but a reset carries no proof of its sender: the provider and a censor that copies the "
                                "server's TTL look the same.";
  }
  const std::string what = ov.stage == Stage::tcp ? "The TCP connection to " : "The TLS handshake with ";
  f.evidence.sentence = what + name_of(ctx.v) + " at " + r.step->address + " " + describe_failure(*r.step->failure) +
                        ". " + reset_ttl_sentence(r) + control_part;
  return f;
}

// Timed-out SYNs localised by TTL-limited copies (path_localization of kind tcp_syn): where they vanish
// relative to the hop at which the target address itself answers (the companion UDP probe).
std::optional<Finding> syn_drop_localised(const RuleContext& ctx) {
  const Outcome ov = outcome(ctx.v);
  if (ov.stage != Stage::tcp || ov.failure != "generic_timeout_error") return std::nullopt;
  std::set<std::string> addrs;
  for (const auto* o : ov.obs)
    if (timeout_like(o->failure)) addrs.insert(o->address);
  for (const auto* p : ctx.v.paths) {
    if (p->loc_kind != "tcp_syn" || !addrs.count(p->address) || !p->interference_ttl || !p->destination_ttl) continue;
    const int at = *p->interference_ttl, dest = *p->destination_ttl;
    if (at > dest) continue;
    auto hop = [&](int ttl) -> const PathHop* {
      for (const auto& h : p->hops)
        if (h.ttl == ttl) return &h;
      return nullptr;
    };
    std::vector<const Observation*> timed_out;
    for (const auto* o : ov.obs)
      if (o->address == p->address) timed_out.push_back(o);
    const auto control_ok = ctx.c ? control_connected(*ctx.c, {p->address}) : std::vector<const Observation*>{};
    const std::string where = p->last_router_before ? " (after router " + *p->last_router_before + ")" : "";
    if (at <= dest - 2) {
      // Proof that the path goes on past the point where the SYNs vanish: at some TTL in between, the UDP
      // companion was answered by a router ("time exceeded") while the SYN with the same TTL met silence.
      const PathHop* passed = nullptr;
      for (int ttl = at; ttl < dest && !passed; ++ttl)
        if (const PathHop* h = hop(ttl); h && h->trigger == "silent" && h->companion == "ttl_expired") passed = h;
      if (!passed) continue;
      Finding f = make(Attribution::network_interference, "tcp.blackhole",
                       !control_ok.empty() && p->confirmed ? Confidence::high : Confidence::medium);
      f.control_independent = true;  // the localisation is the evidence; the control only corroborates
      cite(f, ctx.v, p);
      cite(f, ctx.v, timed_out);
      if (ctx.c) cite(f, *ctx.c, control_ok);
      f.evidence.sentence =
          "TCP connections to " + name_of(ctx.v) + " at " + p->address + " timed out. TTL-limited SYNs vanish from hop " +
          std::to_string(at) + where + " on, while a UDP probe to the same address was still answered by the router at hop " +
          std::to_string(passed->ttl) + (passed->router ? " (" + *passed->router + ")" : "") +
          " and the address itself answered at hop " + std::to_string(dest) + ": the SYNs are dropped on the path, " +
          plural(dest - at, "hop", "hops") + " before the server" +
          (control_ok.empty() ? "" : ", and the control connected to the same address") +
          (p->confirmed ? "" : " (the decisive hop was not confirmed by a second probe)") + ".";
      return f;
    }
    if (at == dest - 1) {
      // The router right in front of the server is, on most paths, the hosting provider's own gateway: its
      // access list and a censor sitting just before it look the same from here.
      Finding f = make(Attribution::inconclusive, "tcp.timeout", Confidence::low);
      cite(f, ctx.v, p);
      cite(f, ctx.v, timed_out);
      if (ctx.c) cite(f, *ctx.c, control_ok);
      f.evidence.sentence = "TCP connections to " + name_of(ctx.v) + " at " + p->address +
                            " timed out. TTL-limited SYNs vanish at hop " + std::to_string(at) + where +
                            ", the router right in front of the server (which answered at hop " + std::to_string(dest) +
                            "); that router is usually the provider's own, so this does not say whether the provider "
                            "or the network drops them.";
      return f;
    }
    // at == dest: the SYNs reach the hop before the server and vanish at the server's own hop, which answers UDP.
    const PathHop* before = hop(dest - 1);
    const PathHop* own = hop(dest);
    if (!own || own->trigger != "silent" || own->companion != "unreachable") continue;
    if (dest > 1 && (!before || before->trigger != "ttl_expired")) continue;
    if (control_ok.empty()) {
      Finding f = make(Attribution::inconclusive, "tcp.timeout", Confidence::low);
      cite(f, ctx.v, p);
      cite(f, ctx.v, timed_out);
      if (ctx.c) cite(f, *ctx.c, outcome(*ctx.c).obs);
      f.evidence.sentence = "TCP connections to " + name_of(ctx.v) + " at " + p->address +
                            " timed out; TTL-limited SYNs get as far as hop " + std::to_string(dest - 1) +
                            " and vanish at the server's own hop " + std::to_string(dest) +
                            " (its edge or the host), which still answers UDP. " +
                            (ctx.c ? "The control did not connect to the same address" : "There is no control measurement") +
                            ", so a provider refusing this vantage cannot be told from a server down for everyone.";
      return f;
    }
    Finding f = make(Attribution::provider_restriction, "tcp.edge_drop", Confidence::medium);
    cite(f, ctx.v, p);
    cite(f, ctx.v, timed_out);
    cite(f, *ctx.c, control_ok);
    f.evidence.sentence = "TCP connections to " + name_of(ctx.v) + " at " + p->address +
                          " timed out from the vantage, while the control connected to the same address. TTL-limited SYNs "
                          "get past every router up to hop " + std::to_string(dest - 1) +
                          " and vanish only at hop " + std::to_string(dest) +
                          ", where the address itself answers a UDP probe: they are dropped at the provider's edge or "
                          "by the host, not on the path (medium confidence: a silent drop carries no signature).";
    return f;
  }
  return std::nullopt;
}

// Active resets the control does not see at the same address: unauthenticated interference, so the network's.
std::optional<Finding> reset_vs_control(const RuleContext& ctx) {
  if (!ctx.c) return std::nullopt;
  const Outcome ov = outcome(ctx.v);
  if (ov.stage != Stage::tcp && ov.stage != Stage::tls && ov.stage != Stage::http) return std::nullopt;
  if (ov.failure != "connection_refused" && ov.failure != "connection_reset") return std::nullopt;
  if (!reached(*ctx.c)) return std::nullopt;
  // The control must have succeeded at the very address the vantage was reset at.
  std::set<std::string> reset_addrs;
  for (const auto* o : ov.obs)
    if (reset_like(o->failure) && !o->address.empty()) reset_addrs.insert(o->address);
  std::vector<const Observation*> control_ok;
  for (const auto* o : ctx.c->tcp)
    if (!o->failure && reset_addrs.count(o->address)) control_ok.push_back(o);
  for (const auto* o : ctx.c->http)
    if (o->response && reset_addrs.count(o->address)) control_ok.push_back(o);
  if (control_ok.empty()) return std::nullopt;
  const std::string stage = ov.stage == Stage::tcp ? "TCP connection" : ov.stage == Stage::tls ? "TLS handshake" : "HTTP request";
  Finding f = make(Attribution::network_interference, mechanism_for(ov.stage, ov.failure, 0), Confidence::medium);
  cite(f, ctx.v, ov.obs);
  cite(f, *ctx.c, control_ok);
  f.evidence.sentence = "Every " + stage + " to " + name_of(ctx.v) + " at " + list_of(reset_addrs) +
                        " from the vantage was cut by a reset, while the control reached the same address; a reset "
                        "carries no proof of who sent it, so confidence is medium.";
  return f;
}

// A timeout the control does not share, with nothing to say where the packets were lost.
std::optional<Finding> unlocalised_timeout(const RuleContext& ctx) {
  const Outcome ov = outcome(ctx.v);
  if (ov.failure != "generic_timeout_error" || ov.stage == Stage::reached) return std::nullopt;
  Finding f = make(Attribution::inconclusive, mechanism_for(ov.stage, ov.failure, 0), Confidence::low);
  cite(f, ctx.v, ov.obs);
  std::string control_part = " There was no control measurement to compare with";
  if (ctx.c) {
    const Outcome oc = outcome(*ctx.c);
    cite(f, *ctx.c, oc.obs);
    control_part = oc.stage == Stage::reached ? " The control reached it" : " The control " + describe_failure(oc.failure);
  }
  std::string what = ov.stage == Stage::dns ? "DNS queries for " + name_of(ctx.v)
                     : ov.stage == Stage::tcp ? "TCP connections to " + name_of(ctx.v)
                     : ov.stage == Stage::tls ? "TLS handshakes with " + name_of(ctx.v)
                                              : "The HTTP request to " + ctx.v.target->ref;
  f.evidence.sentence = what + " timed out from the vantage." + control_part +
                        (ctx.c ? ", but" : ", and") +
                        " nothing shows where the packets were lost (the network path, the provider's firewall or "
                        "plain congestion), so no one is blamed.";
  return f;
}

// Anything else: not enough evidence to name anyone.
std::optional<Finding> thin_evidence(const RuleContext& ctx) {
  const Outcome ov = outcome(ctx.v);
  Finding f = make(Attribution::inconclusive, mechanism_for(ov.stage, ov.failure, ov.status), Confidence::low);
  cite(f, ctx.v, ov.obs);
  if (ov.stage == Stage::no_data) {
    f.evidence.sentence = "No observations were recorded for " + ctx.v.target->ref +
                          (ctx.v.rec->stop_reason == "interrupted" ? " (the run was interrupted)" : "") + ".";
    return f;
  }
  if (ov.stage == Stage::reached) {
    // reachable declined: an unauthenticated page that is not what the control got.
    f.mechanism = "http.unexpected_response";
    const Observation* h = final_http(ctx.v);
    f.evidence.sentence = "At the vantage, " + ctx.v.target->ref + " answered" +
                          (h && h->response ? " HTTP " + std::to_string(h->response->status) + " over " + channel(*h) : "") +
                          " with a different page than the control got, and no known blockpage matched; without "
                          "authentication nobody can say who changed it.";
    if (ctx.c) cite(f, *ctx.c, outcome(*ctx.c).obs);
    return f;
  }
  if (ov.stage == Stage::dns &&
      (ov.failure == "connection_refused" || ov.failure == "network_unreachable" || ov.failure == "host_unreachable")) {
    f.mechanism = "dns.resolver_unreachable";
    f.evidence.sentence = "The vantage could not reach its DNS resolver at all (" + ov.failure +
                          "), so nothing was learned about " + name_of(ctx.v) + ".";
    return f;
  }
  std::string step = ov.stage == Stage::dns ? "resolving " + name_of(ctx.v)
                     : ov.stage == Stage::tcp ? "connecting to " + name_of(ctx.v)
                     : ov.stage == Stage::tls ? "the TLS handshake with " + name_of(ctx.v)
                                              : "fetching " + ctx.v.target->ref;
  if (ctx.c) {
    const Outcome oc = outcome(*ctx.c);
    cite(f, *ctx.c, oc.obs);
    f.evidence.sentence = "At the vantage, " + step + " " + describe_failure(ov.failure) + ", while " +
                          control_result(*ctx.c) +
                          "; that difference alone does not show who is responsible (ordinary failures look the same).";
  } else {
    f.evidence.sentence = "At the vantage, " + step + " " + describe_failure(ov.failure) +
                          "; without a control measurement this cannot be told apart from a problem at the service itself.";
  }
  return f;
}

}  // namespace rules

const std::vector<Rule>& rule_table() {
  static const std::vector<Rule> table = {
      {"dns_injection_seen", "the probe's DNS watch caught a forged or raced reply", rules::dns_injection_seen},
      {"dns_bogon", "DNS answer is a private/reserved address the control did not get", rules::dns_bogon},
      {"dns_blockpage_ip", "DNS answer is a known government/ISP blockpage address", rules::dns_blockpage_ip},
      {"dns_nxdomain_vs_control", "NXDOMAIN at the vantage, addresses at the control", rules::dns_nxdomain_vs_control},
      {"dns_forged_vs_control", "DNS answer disjoint from the control's and provably not the service", rules::dns_forged_vs_control},
      {"sni_dependent_tls_failure", "TLS fails naming the service, works for a neutral name on the same IP", rules::sni_dependent_tls_failure},
      {"reset_ttl_injected", "the reset's IP TTL is not the server's: forged on the path", rules::reset_ttl_injected},
      {"untrusted_certificate", "certificate not valid for the service's name, control's is", rules::untrusted_certificate},
      {"blockpage_fingerprint", "unauthenticated reply matches a government/ISP blockpage", rules::blockpage_fingerprint},
      {"provider_order_signature", "verified reply matches a provider's government-order signature", rules::provider_order_signature},
      {"provider_geo_signature", "verified reply matches a provider/CDN geo-block signature", rules::provider_geo_signature},
      {"verified_451", "HTTP 451 over TLS verified for the host", rules::verified_451},
      {"verified_refusal_vs_control", "HTTP 403 over verified TLS, control got the normal page", rules::verified_refusal_vs_control},
      {"unauthenticated_refusal", "refusal-looking reply over an unverified channel", rules::unauthenticated_refusal},
      {"reachable", "the vantage got the healthy answer", rules::reachable},
      {"control_shares_failure", "the control failed at the same step", rules::control_shares_failure},
      {"reset_from_server", "the reset arrived with the server's own TTL, control unaffected", rules::reset_from_server},
      {"syn_drop_localised", "timed-out SYNs localised against the target's own hop", rules::syn_drop_localised},
      {"reset_vs_control", "resets at an address the control reached", rules::reset_vs_control},
      {"unlocalised_timeout", "a timeout nothing localises", rules::unlocalised_timeout},
      {"thin_evidence", "anything else", rules::thin_evidence},
  };
  return table;
}

Decision decide(const RuleContext& ctx) {
  for (const auto& rule : rule_table()) {
    if (auto f = rule.fn(ctx)) {
      if (f->attribution == Attribution::inconclusive) {
        f->confidence = Confidence::low;
      } else if (!ctx.c && !f->control_independent) {
        f->confidence = lower(f->confidence);
        f->evidence.sentence += " (No control measurement was available, so confidence is one level lower.)";
      }
      return {rule.id, std::move(*f)};
    }
  }
  return {"thin_evidence", *rules::thin_evidence(ctx)};  // unreachable: thin_evidence always fires
}

}  // namespace ra
