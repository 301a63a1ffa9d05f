// The evidence sentences of every finding (see sentences.h).
#include "rules/sentences.h"

#include "facts/record_kinds.h"

namespace ra::sentences {

// --- Pieces ------------------------------------------------------------------------------------------------

std::string list_of(const std::set<std::string>& items, std::size_t max) {
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

std::string name_of(const Side& s) { return s.where.host.empty() ? s.target->ref : s.where.host; }

std::string host_of_url(const std::string& url) {
  auto a = parse_target_ref(url, "url");
  return a ? a->host : url;
}

std::string channel(const rp::HttpRequestObservation& h) {
  return h.tls_verified.has_value() ? "a TLS connection that was not verified as " + host_of_url(h.url)
                                    : "plain, unencrypted HTTP";
}

std::string control_result(const Side& c) {
  const Outcome o = outcome(c);
  if (o.stage == Stage::reached) {
    if (const rp::HttpRequestObservation* h = final_http(c); h && h->response)
      return "the control got the normal page (HTTP " + std::to_string(h->response->status) + ")";
    return "the control reached it normally";
  }
  if (o.stage == Stage::no_data) return "the control has no data for it";
  return "the control's attempt " + describe_failure(o.failure);
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

std::string reset_ttl(const facts::ResetTtl& r) {
  const std::string whose = r.baseline.same_flow ? "the server's own packets on the same connection"
                                                 : "the server's own packets (on other connections to it, or its "
                                                   "ICMP replies)";
  std::string s = "The reset arrived with IP TTL " + std::to_string(r.cmp.ttl);
  if (r.cmp.match == TtlMatch::same) return s + ", the same as " + whose + ": it looks like the server's own.";
  s += ", but " + whose + " arrive with TTL " + std::to_string(r.cmp.baseline) + ": ";
  if (r.cmp.hops_closer && *r.cmp.hops_closer > 0)
    return s + "it was sent by something on the path, " + plural(*r.cmp.hops_closer, "hop", "hops") +
           " closer than the server.";
  if (r.cmp.hops_closer)
    return s + "it was not sent by the server (it looks " + plural(-*r.cmp.hops_closer, "hop", "hops") +
           " farther away than the server, a TTL chosen by whoever forged it).";
  return s +
         "it was sent by a different machine than the server (its TTL started from a different value), "
         "somewhere on the path.";
}

std::string no_control_note() { return " (No control measurement was available, so confidence is one level lower.)"; }

// --- DNS ---------------------------------------------------------------------------------------------------

std::string dns_injection(const facts::DnsForgery& g, const std::set<std::string>& control_addresses,
                          const std::vector<const rp::CapturedPacketRecord*>& replies) {
  const rp::DnsExchangeObservation* x = g.exchange;
  std::string sentence;
  if (!g.raced) {
    sentence = "A DNS question for " + x->hostname + " sent to " + x->server +
               ", an address that runs no DNS server, was answered anyway" +
               (g.first.empty() ? " (" + x->replies.front().rcode + ")" : " with " + list_of(g.first)) +
               ": the reply was forged on the path.";
  } else {
    sentence = "The resolver's answer for " + x->hostname + " was raced: a first reply said " +
               (g.first.empty() ? x->replies.front().rcode : list_of(g.first)) + ", then a second said " +
               (g.later.empty() ? x->replies[1].rcode : list_of(g.later)) +
               "; two different answers to one question mean one was injected on the path.";
  }
  if (!control_addresses.empty())
    sentence.pop_back(), sentence += "; the control resolved it to " + list_of(control_addresses) + ".";
  // The capture of this exchange: replies arriving with IP TTLs two or more apart came from different places.
  std::string wire;
  if (!replies.empty()) {
    wire = " The capture shows the replies arrived with different IP TTLs (";
    for (std::size_t i = 0; i < replies.size() && i < 4; ++i) {
      std::set<std::string> a(replies[i]->answers.begin(), replies[i]->answers.end());
      wire += (i ? ", " : "") +
              std::string(i == 0   ? "first "
                          : i == 1 ? "second "
                          : i == 2 ? "third "
                                   : "fourth ") +
              (a.empty() ? replies[i]->rcode.value_or("empty") : list_of(a, 2)) + " with TTL " +
              std::to_string(replies[i]->ttl);
    }
    wire += "): they were sent from different distances, not by one resolver.";
  }
  return sentence + wire;
}

std::string dns_blockpage_ip(const std::string& host, const std::string& addr, const Fingerprint& fp,
                             const std::set<std::string>* control_addresses) {
  std::string control_part;
  if (control_addresses) {
    const bool shared = control_addresses->count(addr) > 0;
    if (!shared && !control_addresses->empty())
      control_part = ", while the control resolved it to " + list_of(*control_addresses);
  }
  return "The DNS answer for " + host + " was " + addr + ", an address known from " + fp_description(fp) +
         " (fingerprint " + fp.id + ")" + control_part + ".";
}

namespace {
// What a control would have told about a suspect answer: the one thing that separates a forged answer from
// the name's own.
std::string what_a_control_would_tell(const std::string& host, const std::string& addr) {
  return ". Without a control this cannot be told apart from a name its owner points there: a control that "
         "resolved " +
         host + " elsewhere would show the answer was rewritten on this vantage's path, one that got " + addr +
         " too would show the name itself points there.";
}
}  // namespace

std::string dns_blockpage_ip_shared(const std::string& host, const std::string& addr, const Fingerprint& fp) {
  return "The DNS answer for " + host + " was " + addr + ", an address known from " + fp_description(fp) +
         " (fingerprint " + fp.id +
         "), but the control got the same answer, so it is no evidence against this vantage's network: either "
         "the name really points there or the control's resolver is filtered too.";
}

std::string dns_vague_answer_without_control(const std::string& host, const std::string& addr, const Fingerprint& fp) {
  return "The DNS answer for " + host + " was " + addr + ", which a vague fingerprint (" + fp.id +
         ") lists as a way to block, though many names' owners and resolvers answer it too" +
         what_a_control_would_tell(host, addr);
}

std::string dns_bogon(const std::string& host, const std::string& addr, const std::string& prefix,
                      const std::set<std::string>& control_addresses, const Fingerprint* known_censor_answer) {
  const std::string control_part = control_addresses.empty()
                                       ? ""
                                       : ", while the control resolved it to " + list_of(control_addresses);
  const std::string known = known_censor_answer
                                ? "; it is also a known censor's answer (fingerprint " + known_censor_answer->id + ")"
                                : "";
  return "The DNS answer for " + host + " was " + addr + ", a private or reserved address (" + prefix +
         ") where no public service can be reached" + control_part + known + ".";
}

std::string dns_bogon_without_control(const std::string& host, const std::string& addr, const std::string& prefix) {
  return "The DNS answer for " + host + " was " + addr + ", a private or reserved address (" + prefix +
         ") where no public service can be reached" + what_a_control_would_tell(host, addr);
}

std::string dns_nxdomain(const std::string& host, const std::set<std::string>& control_addresses) {
  return "The vantage's DNS resolver said " + host +
         " does not exist (NXDOMAIN), while the control resolved the same name to " + list_of(control_addresses) + ".";
}

std::string dns_forged(const std::string& host, const std::set<std::string>& addresses,
                       const std::set<std::string>& control_addresses, const facts::NotTheService& not_the_service) {
  const facts::NotTheService& o = not_the_service;
  const std::string what = o.certificate
                               ? "TLS at " + o.address + " showed a certificate not valid for " + host
                               : "nothing accepted connections at " + o.address + " on port " + std::to_string(o.port);
  return "The DNS answer for " + host + " at the vantage (" + list_of(addresses) +
         ") shares no address with the control's (" + list_of(control_addresses) + "), and " + what +
         ", while the control's address answered with a valid certificate for " + host + ".";
}

// --- TLS ---------------------------------------------------------------------------------------------------

std::string sni_dependent(const Side& v, const facts::SniContrast& s, bool control_completed) {
  const rp::PathLocalizationObservation* where = s.localised;
  // A redirect hop's host is named as itself, after the redirect that led there.
  const std::string hop_host = rp::ascii_lower(s.failed->verify_name);
  const bool redirected = !hop_host.empty() && hop_host != rp::ascii_lower(name_of(v));
  const std::string name = redirected ? hop_host : name_of(v);
  const std::string lead = redirected ? name_of(v) + " redirected to " + name + ". " : "";
  const std::string control_part = control_completed ? ", and the control completed the handshake for " + name : "";
  const std::string other = names_neutral(*s.retry) ? "a neutral name (" + s.retry->server_name.value_or("") + ")"
                                                    : "no name at all";
  return lead + "TLS to " + name + " at " + s.failed->address + " was " + (s.reset ? "reset" : "silently dropped") +
         " right after a ClientHello naming it, while the same address completed a handshake for " + other +
         control_part +
         (where ? "; TTL-limited copies of the ClientHello met the interference at hop " +
                      std::to_string(*where->interference_ttl) +
                      (where->last_router_before ? " (after router " + *where->last_router_before + ")" : "") +
                      ", before the server at hop " + std::to_string(*where->destination_ttl)
                : "") +
         "." + (s.forged ? " " + reset_ttl(*s.forged) : "");
}

std::string untrusted_certificate(const Side& v, const std::string& address, rp::Failure error, bool control_valid) {
  const std::string control_part = control_valid ? ", while the control got a valid certificate for the same name" : "";
  return "The TLS connection to " + name_of(v) + " at " + address + " " +
         describe_failure(std::string(rp::to_string(error))) + ", the mark of someone in the middle pretending to be " +
         name_of(v) + control_part + ".";
}

std::string untrusted_certificate_without_control(const Side& v, const std::string& address, rp::Failure error) {
  return "The TLS connection to " + name_of(v) + " at " + address + " " +
         describe_failure(std::string(rp::to_string(error))) +
         ". Without a control this cannot be told apart from a certificate the server gives everyone (self-signed, "
         "expired, pinned or for another name): a control that got a valid certificate for " +
         name_of(v) +
         " would show someone in the middle, one that got the same certificate the service's own "
         "mistake.";
}

// --- TCP ---------------------------------------------------------------------------------------------------

std::string reset_ttl_injected(const Side& v, bool tcp, const facts::ResetTtl& r, bool control_connected) {
  const std::string control_part = control_connected ? " The control connected to the same address." : "";
  return (tcp ? "The TCP connection to " + name_of(v) + " at " + r.address + " " +
                    describe_failure(std::string(rp::to_string(*r.step->failure))) + ". "
              : "The TLS handshake with " + name_of(v) + " at " + r.address + " was reset. ") +
         reset_ttl(r) + control_part;
}

std::string reset_from_server(const Side& v, bool tcp, const facts::ResetTtl& r, const Side* c,
                              bool control_connected) {
  std::string control_part = " Without a control this cannot be told apart from a service refusing everyone.";
  if (c)
    control_part =
        !control_connected
            ? " The control did not connect to the same address, so nothing shows whom the refusal is aimed at."
            : " The control connected to the same address, so this vantage was refused specifically, "
              "but a reset carries no proof of its sender: the provider and a censor that copies the "
              "server's TTL look the same.";
  const std::string what = tcp ? "The TCP connection to " : "The TLS handshake with ";
  return what + name_of(v) + " at " + r.address + " " + describe_failure(std::string(rp::to_string(*r.step->failure))) +
         ". " + reset_ttl(r) + control_part;
}

namespace {
std::string after_router(const facts::SynDrop& d) {
  return d.path->last_router_before ? " (after router " + *d.path->last_router_before + ")" : "";
}
}  // namespace

std::string syn_dropped_on_path(const Side& v, const facts::SynDrop& d, bool control_connected) {
  const rp::PathLocalizationObservation* p = d.path;
  return "TCP connections to " + name_of(v) + " at " + p->address + " timed out. TTL-limited SYNs vanish from hop " +
         std::to_string(d.at) + after_router(d) +
         " on, while a UDP probe to the same address was still answered by the router at hop " +
         std::to_string(d.passed->ttl) + (d.passed->router ? " (" + *d.passed->router + ")" : "") +
         " and the address itself answered at hop " + std::to_string(d.dest) + ": the SYNs are dropped on the path, " +
         plural(d.dest - d.at, "hop", "hops") + " before the server" +
         (control_connected ? ", and the control connected to the same address" : "") +
         (p->confirmed ? "" : " (the decisive hop was not confirmed by a second probe)") + ".";
}

std::string syn_dropped_in_front_of_server(const Side& v, const facts::SynDrop& d) {
  return "TCP connections to " + name_of(v) + " at " + d.path->address + " timed out. TTL-limited SYNs vanish at hop " +
         std::to_string(d.at) + after_router(d) + ", the router right in front of the server (which answered at hop " +
         std::to_string(d.dest) +
         "); that router is usually the provider's own, so this does not say whether the provider "
         "or the network drops them.";
}

std::string syn_dropped_at_server_hop_unexplained(const Side& v, const facts::SynDrop& d, bool have_control) {
  return "TCP connections to " + name_of(v) + " at " + d.path->address +
         " timed out; TTL-limited SYNs get as far as hop " + std::to_string(d.dest - 1) +
         " and vanish at the server's own hop " + std::to_string(d.dest) +
         " (its edge or the host), which still answers UDP. " +
         (have_control ? "The control did not connect to the same address" : "There is no control measurement") +
         ", so a provider refusing this vantage cannot be told from a server down for everyone.";
}

std::string syn_dropped_at_edge(const Side& v, const facts::SynDrop& d) {
  return "TCP connections to " + name_of(v) + " at " + d.path->address +
         " timed out from the vantage, while the control connected to the same address. TTL-limited SYNs "
         "get past every router up to hop " +
         std::to_string(d.dest - 1) + " and vanish only at hop " + std::to_string(d.dest) +
         ", where the address itself answers a UDP probe: they are dropped at the provider's edge or "
         "by the host, not on the path (medium confidence: a silent drop carries no signature).";
}

std::string reset_vs_control(const Side& v, Stage stage, const std::set<std::string>& reset_addresses) {
  const std::string what = stage == Stage::tcp   ? "TCP connection"
                           : stage == Stage::tls ? "TLS handshake"
                                                 : "HTTP request";
  return "Every " + what + " to " + name_of(v) + " at " + list_of(reset_addresses) +
         " from the vantage was cut by a reset, while the control reached the same address; a reset "
         "carries no proof of who sent it, so confidence is medium.";
}

// --- HTTP --------------------------------------------------------------------------------------------------

std::string blockpage(const rp::HttpRequestObservation& h, const Fingerprint& best, const Side* c, bool shared) {
  std::string control_part;
  if (c)
    control_part = shared ? "; the control got the same page, so its path is filtered too"
                          : ", while " + control_result(*c);
  return "The reply for " + h.url + " came over " + channel(h) + " and matches " + fp_description(best) +
         " (fingerprint " + best.id + ")" + control_part + ".";
}

std::string provider_signature(const rp::HttpRequestObservation& h, const Fingerprint& fp, bool government_order,
                               const Side* c, bool shared) {
  std::string control_part;
  if (c) control_part = shared ? "; the control was refused the same way" : ", while " + control_result(*c);
  const std::string host = host_of_url(h.url);
  const std::string who = fp.provider.empty() ? "the provider's" : fp.provider + "'s";
  if (government_order)
    return host + " itself, over a connection verified as " + host + ", answered HTTP " +
           std::to_string(h.response->status) +
           (h.redirect_location ? " sending the visitor to " + *h.redirect_location : "") + ", " + who +
           " marker for content blocked on a government's order (fingerprint " + fp.id + ")" + control_part + ".";
  return host + " itself, over a connection verified as " + host + ", answered HTTP " +
         std::to_string(h.response->status) + " with " + who +
         " page refusing visitors from this country or region (fingerprint " + fp.id + ")" + control_part + ".";
}

std::string verified_451(const rp::HttpRequestObservation& h, const std::optional<std::string>& blocked_by,
                         const Side* c, bool shared) {
  std::string control_part;
  if (c) control_part = shared ? "; the control got 451 too" : ", while " + control_result(*c);
  const std::string host = host_of_url(h.url);
  return host + " itself, over a connection verified as " + host + ", answered HTTP 451 Unavailable For Legal Reasons" +
         (blocked_by ? " and named " + *blocked_by + " as the party implementing the block" : "") + control_part + ".";
}

std::string verified_refusal(const rp::HttpRequestObservation& h, const Side& c) {
  const std::string host = host_of_url(h.url);
  return host + " itself, over a connection verified as " + host + ", answered HTTP 403 Forbidden, while " +
         control_result(c) + " (no known geo-block page matched, hence medium confidence).";
}

std::string unauthenticated_refusal(const rp::HttpRequestObservation& h, const std::vector<const Fingerprint*>& fps) {
  return "The reply for " + h.url + " (HTTP " + std::to_string(h.response->status) +
         (fps.empty() ? ""
                      : ", looking like " +
                            (fps.front()->provider.empty() ? std::string("a provider") : fps.front()->provider) +
                            "'s refusal page") +
         ") came over " + channel(h) +
         ", so anyone on the path could have written it; it is not blamed on the provider or the network.";
}

// --- The whole outcome -------------------------------------------------------------------------------------

std::string reachable(const Side& v, const Outcome& o, const rp::HttpRequestObservation* h, std::size_t failed) {
  std::string how;
  if (h && h->response && !is_tls_endpoint(v.where) && !is_tcp_endpoint(v.where))
    how = " (HTTP " + std::to_string(h->response->status) +
          (o.authenticated ? " over TLS verified as " + host_of_url(h->url) : " over " + channel(*h)) + ")";
  else if (is_tls_endpoint(v.where)) how = " (TLS handshake verified as " + name_of(v) + ")";
  else if (is_tcp_endpoint(v.where)) how = " (TCP connection accepted)";
  else if (is_domain(v.where)) how = " (the name resolved)";
  return v.target->ref + " answered normally from this vantage" + how +
         (failed ? "; " + std::to_string(failed) +
                       " earlier attempt(s) failed before it worked, which looks like ordinary packet loss"
                 : "") +
         ".";
}

std::string control_shares_failure(const Side& v, const Outcome& ov, const Outcome& oc,
                                   const facts::SharedSuspectAnswer* shared_answer) {
  std::string answer_part;
  if (shared_answer) {
    const auto& a = *shared_answer;
    const std::string what = a.bogon_prefix ? "a private or reserved address (" + *a.bogon_prefix + ")"
                                            : "an address a blockpage fingerprint lists (" + a.fingerprint->id + ")";
    answer_part = " Both resolved " + a.host + " to " + a.address + ", " + what +
                  ": an answer the control shares is the name's own, not evidence against this vantage's network.";
  }
  return v.target->ref + " failed the same way from the control (" + describe_failure(oc.failure) +
         ") as from the vantage (" + describe_failure(ov.failure) +
         "), so it looks down for everyone rather than blocked here." + answer_part;
}

std::string unlocalised_timeout(const Side& v, const Outcome& ov, const Outcome* oc) {
  std::string control_part = " There was no control measurement to compare with";
  if (oc)
    control_part = oc->stage == Stage::reached ? " The control reached it"
                                               : " The control " + describe_failure(oc->failure);
  const std::string what = ov.stage == Stage::dns   ? "DNS queries for " + name_of(v)
                           : ov.stage == Stage::tcp ? "TCP connections to " + name_of(v)
                           : ov.stage == Stage::tls ? "TLS handshakes with " + name_of(v)
                                                    : "The HTTP request to " + v.target->ref;
  return what + " timed out from the vantage." + control_part + (oc ? ", but" : ", and") +
         " nothing shows where the packets were lost (the network path, the provider's firewall or "
         "plain congestion), so no one is blamed.";
}

std::string no_data(const Side& v) {
  return "No observations were recorded for " + v.target->ref +
         (was_interrupted(*v.rec) ? " (the run was interrupted)" : "") + ".";
}

std::string unexpected_page(const Side& v, const rp::HttpRequestObservation* h) {
  return "At the vantage, " + v.target->ref + " answered" +
         (h && h->response ? " HTTP " + std::to_string(h->response->status) + " over " + channel(*h) : "") +
         " with a different page than the control got, and no known blockpage matched; without "
         "authentication nobody can say who changed it.";
}

std::string resolver_unreachable(const Side& v, const std::string& failure) {
  return "The vantage could not reach its DNS resolver at all (" + failure + "), so nothing was learned about " +
         name_of(v) + ".";
}

std::string unexplained_failure(const Side& v, const Outcome& ov, const Side* c) {
  const std::string step = ov.stage == Stage::dns   ? "resolving " + name_of(v)
                           : ov.stage == Stage::tcp ? "connecting to " + name_of(v)
                           : ov.stage == Stage::tls ? "the TLS handshake with " + name_of(v)
                                                    : "fetching " + v.target->ref;
  if (c)
    return "At the vantage, " + step + " " + describe_failure(ov.failure) + ", while " + control_result(*c) +
           "; that difference alone does not show who is responsible (ordinary failures look the same).";
  return "At the vantage, " + step + " " + describe_failure(ov.failure) +
         "; without a control measurement this cannot be told apart from a problem at the service itself.";
}

}  // namespace ra::sentences
