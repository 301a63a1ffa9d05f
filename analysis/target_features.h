// Per-target features: the observations of one target in one record, and the facts rules ask about them.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "record.h"

namespace ra {

// How a target ref is reached: parsed once from its canonical spelling.
struct TargetAddress {
  std::string scheme;  // https | http (url), tls | tcp (endpoint), dns (domain)
  std::string host;    // lowercased, IPv6 without brackets
  int port = 0;
};
// Parses "https://host[:port]/...", "host:port/tls|tcp" and "dns:host"; nullopt if it is none of them.
std::optional<TargetAddress> parse_target_ref(const std::string& ref, rp::TargetRefKind kind);
// The same, for a kind still spelt as in JSON ("url", "endpoint", "domain"); nullopt for any other spelling.
std::optional<TargetAddress> parse_target_ref(const std::string& ref, const std::string& kind);

// One target as seen from one vantage (or the control).
struct Side {
  const Record* rec = nullptr;
  const Target* target = nullptr;
  TargetAddress where;
  std::vector<const rp::DnsQueryObservation*> dns;
  std::vector<const rp::TcpConnectObservation*> tcp;
  std::vector<const rp::TlsHandshakeObservation*> tls;
  std::vector<const rp::HttpRequestObservation*> http;         // sorted by hop, then start time
  std::vector<const rp::DnsExchangeObservation*> dnsx;         // the probe's own injection watches
  std::vector<const rp::PathLocalizationObservation*> paths;   // where on the path interference starts
  std::vector<const rp::CaptureSummaryObservation*> captures;  // packets that arrived on the probe's flows

  bool empty() const { return dns.empty() && tcp.empty() && tls.empty() && http.empty(); }
  bool uses_tls() const { return where.scheme == "https" || where.scheme == "tls"; }
  // "<measurement_id>#<id>": how verdicts cite an observation.
  std::string cite(const rp::ObservationBase* o) const;
};
Side make_side(const Record& rec, const Target& target);

// The address a connect, handshake, HTTP request or path localisation of this side went to; empty for any
// other step (and for an HTTP request that never got as far as an address).
std::string address_of(const Side& s, const rp::ObservationBase* o);

// Name resolution of one hostname, merged over its A and AAAA queries.
struct Resolution {
  std::vector<const rp::DnsQueryObservation*> queries;
  std::set<std::string> addresses;  // A/AAAA answer values
  bool nxdomain = false;
  rp::MaybeFailure failure;  // first failure, when no address came back
};
Resolution resolve(const Side& s, const std::string& host);
// Every hostname the side queried (the target's own, then redirect hosts), in first-query order.
std::vector<std::string> queried_hosts(const Side& s);

// True for a target-SNI handshake that completed with a chain trusted for the target's name.
bool authenticated(const rp::TlsHandshakeObservation& tls);
// Addresses proven to be the provider's: a target-SNI handshake verified there, or an HTTP response
// arrived from there over TLS verified for the URL's host.
std::set<std::string> validated_addresses(const Side& s);

// The last HTTP request of the redirect chain, if any.
const rp::HttpRequestObservation* final_http(const Side& s);
// Whether an HTTP observation's response is what the target's healthy rule expects (probe's own verdict first).
bool healthy(const Side& s, const rp::HttpRequestObservation& http);
// The first value of a response header, its name compared case-insensitively; nullopt when absent.
std::optional<std::string> first_header(const rp::HttpResponseRecord& r, std::string_view name);

// Where a side stopped getting closer to the service.
enum class Stage { reached, no_data, dns, tcp, tls, http, http_status };
std::string to_string(Stage s);
struct Outcome {
  Stage stage = Stage::no_data;
  std::string failure;  // failure string, or "status <n>" for http_status
  int status = 0;
  std::vector<const rp::ObservationBase*> obs;  // the observations that show it
  bool authenticated = false;                   // reached: over TLS verified for the name
};
// A chain that stopped at a redirect hop's new host before its HTTP step (its name did not resolve, or no
// connection to it worked) is judged at that host, as the first hop would be.
Outcome outcome(const Side& s);

// Mechanism name for a failure at a stage (dns.nxdomain, tcp.timeout, tls.cert_invalid, http.server_error, ...).
std::string mechanism_for(Stage stage, const std::string& failure, int status);
// A few plain words for a failure string, for the evidence sentence.
std::string describe_failure(const std::string& failure);

// --- Packets from the wire (capture_summary) ------------------------------------------------------------------

// The address part of a capture's "ip:port" / "[v6]:port" remote.
std::string remote_address(const std::string& remote);
// Capture summaries anywhere in the side's record whose flow served the observation.
std::vector<const rp::CaptureSummaryObservation*> captures_of(const Side& s, const rp::ObservationBase& step);

// The server's own IP TTLs as they arrive at the vantage: the SYN-ACK and data packets of the given flows
// (when they have any), else every packet that provably came from that address elsewhere in the record
// (SYN-ACKs and data of other TCP flows to it, ICMP errors whose sender is the address itself). Resets,
// FINs and DNS replies never count: those are exactly what a device on the path forges.
struct TtlBaseline {
  std::set<int> ttls;
  std::vector<const rp::CaptureSummaryObservation*> from;  // the capture summaries that show them
  bool same_flow = false;
};
TtlBaseline server_ttl_baseline(const Record& rec, const std::string& address,
                                const std::vector<const rp::CaptureSummaryObservation*>& flows);

// How an arriving packet's TTL compares with the server's baseline.
enum class TtlMatch { none, same, near, differs };  // none: nothing to compare; near: off by one (path change)
struct TtlComparison {
  TtlMatch match = TtlMatch::none;
  int ttl = 0;                     // the packet's
  int baseline = 0;                // the closest baseline TTL
  std::optional<int> hops_closer;  // baseline's hops minus the packet's, when both start from the same initial TTL
};
TtlComparison compare_ttl(int ttl, const std::set<int>& baseline);

}  // namespace ra
