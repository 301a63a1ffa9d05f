// The evidence sentences of every finding, built in one place from the facts a rule established. Plain words
// for people who are not network engineers; the exact text is part of the output and must not drift.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "facts/dns_watch.h"
#include "facts/observations.h"
#include "facts/reset_ttl.h"
#include "facts/shared_answer.h"
#include "facts/sni_contrast.h"
#include "facts/syn_drop.h"
#include "fingerprints.h"
#include "target_features.h"
#include "text/text.h"

namespace ra::sentences {

// --- Pieces ------------------------------------------------------------------------------------------------

// "a, b and c", or "a, b, c and 2 more" past max items.
std::string list_of(const std::set<std::string>& items, std::size_t max = 3);
using rp::plural;  // "1 hop", "3 hops"
// The host the side's target names, else its ref.
std::string name_of(const Side& s);
std::string host_of_url(const std::string& url);
// What an HTTP reply arrived over: "plain, unencrypted HTTP" or an unverified TLS connection.
std::string channel(const rp::HttpRequestObservation& h);
// "the control got the normal page (HTTP 200)", "the control's attempt timed out", ...
std::string control_result(const Side& c);
// "Provider a national blockpage (RU)", "an ISP's blockpage", ...
std::string fp_description(const Fingerprint& f);
// "The reset arrived with IP TTL 64, but the server's own packets arrive with TTL 62: ..."
std::string reset_ttl(const facts::ResetTtl& r);
// Appended by decide() when confidence drops for want of a control.
std::string no_control_note();

// --- DNS ---------------------------------------------------------------------------------------------------

// control_addresses: what the control resolved the name to (empty: nothing, or no control).
std::string dns_injection(const facts::DnsForgery& g, const std::set<std::string>& control_addresses,
                          const std::vector<const rp::CapturedPacketRecord*>& replies_from_different_distances);
// control_addresses: nullptr without a control.
std::string dns_blockpage_ip(const std::string& host, const std::string& addr, const Fingerprint& fp,
                             const std::set<std::string>* control_addresses);
std::string dns_bogon(const std::string& host, const std::string& addr, const std::string& prefix,
                      const std::set<std::string>& control_addresses, const Fingerprint* known_censor_answer);
// Why a suspect answer proves nothing: the control got it too, or there was no control to tell.
std::string dns_blockpage_ip_shared(const std::string& host, const std::string& addr, const Fingerprint& fp);
std::string dns_vague_answer_without_control(const std::string& host, const std::string& addr, const Fingerprint& fp);
std::string dns_bogon_without_control(const std::string& host, const std::string& addr, const std::string& prefix);
std::string dns_nxdomain(const std::string& host, const std::set<std::string>& control_addresses);
// not_the_service: the first step at the vantage's address that proved it is not the service.
std::string dns_forged(const std::string& host, const std::set<std::string>& addresses,
                       const std::set<std::string>& control_addresses, const facts::NotTheService& not_the_service);

// --- TLS ---------------------------------------------------------------------------------------------------

std::string sni_dependent(const Side& v, const facts::SniContrast& s, bool control_completed);
std::string untrusted_certificate(const Side& v, const std::string& address, rp::Failure error, bool control_valid);
// Why an untrusted certificate without a control blames no one: the server's own looks the same.
std::string untrusted_certificate_without_control(const Side& v, const std::string& address, rp::Failure error);

// --- TCP ---------------------------------------------------------------------------------------------------

std::string reset_ttl_injected(const Side& v, bool tcp, const facts::ResetTtl& r, bool control_connected);
// c: the control, if any.
std::string reset_from_server(const Side& v, bool tcp, const facts::ResetTtl& r, const Side* c, bool control_connected);
std::string syn_dropped_on_path(const Side& v, const facts::SynDrop& d, bool control_connected);
std::string syn_dropped_in_front_of_server(const Side& v, const facts::SynDrop& d);
std::string syn_dropped_at_server_hop_unexplained(const Side& v, const facts::SynDrop& d, bool have_control);
std::string syn_dropped_at_edge(const Side& v, const facts::SynDrop& d);
std::string reset_vs_control(const Side& v, Stage stage, const std::set<std::string>& reset_addresses);

// --- HTTP --------------------------------------------------------------------------------------------------

// c: the control, if any; shared: the control got the same page (refusal).
std::string blockpage(const rp::HttpRequestObservation& h, const Fingerprint& best, const Side* c, bool shared);
std::string provider_signature(const rp::HttpRequestObservation& h, const Fingerprint& fp, bool government_order,
                               const Side* c, bool shared);
std::string verified_451(const rp::HttpRequestObservation& h, const std::optional<std::string>& blocked_by,
                         const Side* c, bool shared);
std::string verified_refusal(const rp::HttpRequestObservation& h, const Side& c);
std::string unauthenticated_refusal(const rp::HttpRequestObservation& h, const std::vector<const Fingerprint*>& fps);

// --- The whole outcome -------------------------------------------------------------------------------------

// failed: earlier attempts that failed before it worked.
std::string reachable(const Side& v, const Outcome& o, const rp::HttpRequestObservation* final_http,
                      std::size_t failed);
// shared_answer: a suspect DNS answer both sides got, said to be the name's own (nullptr: none).
std::string control_shares_failure(const Side& v, const Outcome& ov, const Outcome& oc,
                                   const facts::SharedSuspectAnswer* shared_answer);
// oc: the control's outcome, if any.
std::string unlocalised_timeout(const Side& v, const Outcome& ov, const Outcome* oc);
std::string no_data(const Side& v);
std::string unexpected_page(const Side& v, const rp::HttpRequestObservation* final_http);
std::string resolver_unreachable(const Side& v, const std::string& failure);
std::string unexplained_failure(const Side& v, const Outcome& ov, const Side* c);

}  // namespace ra::sentences
