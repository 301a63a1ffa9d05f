// The observation records a measurement is made of, one struct per shape in results-schema/measurement.schema.json:
// the probe fills them, the writer turns them into JSON, the reader turns JSON back into them for reachanalyze.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "failures/failure.h"
#include "record/enums.h"

namespace rp {

// Fields every observation has. t0/t are seconds since the measurement's start.
struct ObservationBase {
  int id = 0;
  std::string target;  // ref of the target this step serves
  double t0 = 0;
  double t = 0;
  MaybeFailure failure;
  bool operator==(const ObservationBase&) const = default;
};

struct DnsAnswerRecord {
  std::string type;  // A, AAAA, CNAME (or another type's name, as the wire said)
  std::string name;
  std::string value;
  uint32_t ttl = 0;
  bool operator==(const DnsAnswerRecord&) const = default;
};

struct DnsQueryObservation : ObservationBase {
  std::string hostname;
  DnsType query_type = DnsType::A;
  std::string resolver;  // ip:port
  std::optional<std::string> rcode;
  std::vector<DnsAnswerRecord> answers;
  bool operator==(const DnsQueryObservation&) const = default;
};

struct DnsExchangeReplyRecord {
  double after = 0;  // seconds after the query was sent
  std::string rcode;
  std::vector<DnsAnswerRecord> answers;
  bool operator==(const DnsExchangeReplyRecord&) const = default;
};

// The probe's own UDP question, kept open after the first reply: duplicates mean someone raced the
// resolver; any reply to an injection_check (sent to a host that runs no DNS server) was forged.
struct DnsExchangeObservation : ObservationBase {
  std::string hostname;
  DnsType query_type = DnsType::A;
  std::string server;  // ip:port
  DnsPurpose purpose = DnsPurpose::duplicate_watch;
  std::vector<DnsExchangeReplyRecord> replies;
  int malformed = 0;
  bool operator==(const DnsExchangeObservation&) const = default;
};

struct TcpConnectObservation : ObservationBase {
  std::string address;
  uint16_t port = 0;
  std::optional<std::string> hostname;
  int transaction = 0;
  bool operator==(const TcpConnectObservation&) const = default;
};

struct TlsHandshakeObservation : ObservationBase {
  std::string address;
  uint16_t port = 0;
  int transaction = 0;
  std::optional<std::string> server_name;
  SniKind sni_kind = SniKind::target;
  std::string verify_name;
  std::string trust;  // system | system+extra | pinned
  bool handshake_completed = false;
  std::optional<std::string> tls_version;
  std::optional<std::string> cipher_suite;
  std::optional<std::string> negotiated_alpn;
  std::vector<std::string> peer_certificates;  // base64 DER
  std::optional<bool> trusted;
  MaybeFailure verification_error;
  std::optional<std::string> verification_detail;
  bool operator==(const TlsHandshakeObservation&) const = default;
};

struct HttpResponseRecord {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t body_length = 0;
  bool body_truncated = false;
  std::string body_sha256;
  std::optional<std::string> title;
  std::string body_prefix;
  bool operator==(const HttpResponseRecord&) const = default;
};

struct HttpRequestObservation : ObservationBase {
  std::string url;
  int hop = 0;
  std::optional<std::string> address;
  std::optional<bool> tls_verified;
  std::optional<bool> healthy_match;
  std::optional<HttpResponseRecord> response;
  std::optional<std::string> redirect_location;
  bool operator==(const HttpRequestObservation&) const = default;
};

struct PathHopRecord {
  int ttl = 0;
  std::optional<std::string> router;  // who said "time exceeded" at this TTL; "private" for local networks
  HopOutcome trigger = HopOutcome::silent;
  std::optional<HopOutcome> control;
  std::optional<HopOutcome> companion;  // the traceroute-style UDP probe at this TTL, when one was sent
  bool operator==(const PathHopRecord&) const = default;
};

// Where on the path the interference starts: the triggering packet and a control, TTL by TTL.
struct PathLocalizationObservation : ObservationBase {
  LocalizationKind kind = LocalizationKind::tcp_syn;
  std::string address;
  uint16_t port = 0;
  std::string trigger;                 // what was sent, in words (e.g. "ClientHello SNI=chat.example.com")
  std::optional<std::string> control;  // the control packet, in words
  int max_ttl = 0;
  std::vector<PathHopRecord> hops;
  std::optional<int> interference_ttl;
  std::optional<std::string> last_router_before;  // router at interference_ttl - 1
  std::optional<std::string> router_at;           // router at interference_ttl
  std::optional<int> destination_ttl;
  bool confirmed = false;
  bool operator==(const PathLocalizationObservation&) const = default;
};

struct CapturedPacketRecord {
  double t = 0;  // seconds since the measurement's start
  PacketKind kind = PacketKind::data;
  int ttl = 0;
  int ip_id = 0;
  std::optional<int> dns_id;
  std::optional<std::string> rcode;
  std::vector<std::string> answers;
  std::optional<int> icmp_type, icmp_code;
  std::optional<std::string> from;  // ICMP sender; "private" for the volunteer's own networks
  bool operator==(const CapturedPacketRecord&) const = default;
};

// What libpcap saw arrive for one flow of the probe's own (a TCP transaction or a DNS exchange):
// the TTL and IP-ID of every packet, so an injected RST or a forged DNS reply stands out.
struct CaptureSummaryObservation : ObservationBase {
  std::vector<int> steps;  // ids of the observations this flow served
  FlowProtocol protocol = FlowProtocol::tcp;
  std::string remote;  // ip:port
  std::vector<CapturedPacketRecord> packets;
  bool operator==(const CaptureSummaryObservation&) const = default;
};

using Observation =
    std::variant<DnsQueryObservation, DnsExchangeObservation, TcpConnectObservation, TlsHandshakeObservation,
                 HttpRequestObservation, PathLocalizationObservation, CaptureSummaryObservation>;

nlohmann::ordered_json to_json(const Observation& obs);

// The common fields of any observation.
const ObservationBase& base_of(const Observation& obs);

}  // namespace rp
