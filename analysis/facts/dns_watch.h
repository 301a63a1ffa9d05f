// What the probe's own DNS watches (dns_exchange) prove: a forged or raced reply, and the capture's TTLs for it.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "target_features.h"

namespace ra::facts {

// Addresses known to be genuine: proven by TLS at the vantage, or what the control resolved.
std::set<std::string> genuine_addresses(const Side& v, const Side* c);

// A watch that caught a forgery. An injection check (a question aimed at an address that runs no DNS server)
// proves one only when a reply carries an address that is not genuine: if the target is itself a DNS server,
// the reply is the genuine answer or no address at all. A duplicate watch proves one when the later replies
// disagree with the first (a retransmitted identical answer is not a forgery).
struct DnsForgery {
  const rp::DnsExchangeObservation* exchange = nullptr;
  bool raced = false;           // duplicate watch; else injection check
  std::set<std::string> first;  // addresses in the first reply
  std::set<std::string> later;  // addresses in the later replies (raced only)
};
std::optional<DnsForgery> forgery_in(const rp::DnsExchangeObservation& exchange, const std::set<std::string>& genuine);

// The DNS replies of these captures in arrival order, when their IP TTLs are two or more apart (they came
// from different distances); empty otherwise.
std::vector<const rp::CapturedPacketRecord*> replies_from_different_distances(
    const std::vector<const rp::CaptureSummaryObservation*>& captures);

// The control's watches of the same kind for the same name that caught something too: its path is not clean.
std::vector<const rp::DnsExchangeObservation*> control_watches_tripped(const Side& c,
                                                                       const rp::DnsExchangeObservation& exchange);

}  // namespace ra::facts
