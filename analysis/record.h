// Measurement records as reachanalyze sees them: a typed, validated view of results-schema/measurement.schema.json.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace ra {

enum class ObsType { dns_query, dns_exchange, tcp_connect, tls_handshake, http_request, path_localization, capture_summary,
                     unknown };

struct DnsAnswer {
  std::string type;   // A, AAAA, CNAME
  std::string value;
};

// One reply to a dns_exchange question (the probe keeps the socket open after the first).
struct DnsReply {
  double after = 0;  // seconds after the question was sent
  std::string rcode;
  std::vector<DnsAnswer> answers;
};

// One TTL of a path_localization sweep: how the trigger (and the control, and the companion UDP probe) fared.
struct PathHop {
  int ttl = 0;
  std::optional<std::string> router;  // who said "time exceeded" at this TTL
  std::string trigger;                // ttl_expired | unreachable | reset | answered | closed | silent | failed
  std::optional<std::string> control, companion;
};

// One packet libpcap saw arrive on one of the probe's own flows (capture_summary).
struct CapturedPacket {
  double t = 0;
  std::string kind;  // syn_ack | rst | fin | data | dns_reply | icmp
  int ttl = 0;       // IPv4 TTL or IPv6 hop limit, as it arrived
  int ip_id = 0;
  std::optional<std::string> rcode;   // dns_reply
  std::vector<std::string> answers;   // dns_reply
  std::optional<int> icmp_type;       // icmp
  std::optional<std::string> from;    // icmp: who sent the error ("private" for the volunteer's own networks)
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in wire order, names as received
  std::optional<std::string> title;
  std::string body_prefix;
  std::string body_sha256;
  std::int64_t body_length = 0;

  // First value of the header (case-insensitive name), if present.
  std::optional<std::string> header(const std::string& name) const;
};

// One step the probe ran. Flat, like the JSON: only the fields of its type are meaningful.
struct Observation {
  std::int64_t id = 0;
  ObsType type = ObsType::dns_query;
  std::string target;
  double t0 = 0, t = 0;
  std::optional<std::string> failure;
  // dns_query
  std::string hostname;
  std::string query_type;
  std::string resolver;
  std::optional<std::string> rcode;
  std::vector<DnsAnswer> answers;
  // dns_exchange (hostname and query_type as above)
  std::string server;   // address:port the question went to
  std::string purpose;  // duplicate_watch | injection_check
  std::vector<DnsReply> replies;
  // tcp_connect, tls_handshake, http_request (address may be empty for http)
  std::string address;
  int port = 0;
  std::int64_t transaction = 0;
  // tls_handshake
  std::optional<std::string> server_name;
  std::string sni_kind;  // target | neutral | none
  std::string verify_name;
  std::string trust;
  bool handshake_completed = false;
  std::optional<bool> trusted;
  std::optional<std::string> verification_error;
  // http_request
  std::string url;
  int hop = 0;
  std::optional<bool> tls_verified;
  std::optional<bool> healthy_match;
  std::optional<HttpResponse> response;
  std::optional<std::string> redirect_location;
  // path_localization (address and port as above): TTL-limited copies of the packet that met interference
  std::string loc_kind;  // tls_sni | dns | tcp_syn
  std::optional<int> interference_ttl;  // first TTL where the trigger was treated unlike the control
  std::optional<int> destination_ttl;   // first TTL where the far end answered the control (or the SYN)
  std::optional<std::string> last_router_before, router_at;
  bool confirmed = false;
  std::vector<PathHop> hops;
  // capture_summary: the packets that arrived on one flow (a TCP transaction or a DNS exchange)
  std::vector<std::int64_t> steps;  // ids of the observations the flow served
  std::string protocol;             // tcp | udp
  std::string remote;               // "ip:port" or "[v6]:port"
  std::vector<CapturedPacket> packets;
};

struct HealthyRule {
  std::vector<int> status;
  std::optional<std::string> body_contains;
  std::optional<std::string> title_contains;
  bool any_authenticated_tls = false;
};

struct Target {
  std::string ref;
  std::string kind;  // url | endpoint | domain
  std::optional<HealthyRule> healthy;
};

struct Record {
  std::string measurement_id;
  std::string start_time;
  std::string vantage;
  std::string probe_cc;
  std::string probe_asn;
  std::string stop_reason;
  std::string capture;
  std::optional<std::string> catalogue_version;
  std::optional<std::string> service;
  std::string input_kind;
  std::string input_value;
  std::vector<Target> targets;
  std::vector<Observation> observations;
  // Where the record came from, for error messages and the report.
  std::string file;
  std::size_t line = 0;

  const Target* find_target(const std::string& ref) const;
};

// Converts one parsed JSON line into a Record; throws RecordError with a JSON path on anything malformed.
struct RecordError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
Record parse_record(const nlohmann::json& j);

struct InputError {
  std::string file;
  std::size_t line = 0;  // 0: the file as a whole
  std::string message;
  std::string to_string() const;
};

struct Limits {
  std::size_t max_line_bytes = 64u << 20;  // one service record with certificate chains stays far below this
  std::size_t max_records = 100000;
};

struct LoadResult {
  std::vector<Record> records;
  std::vector<InputError> errors;
};

// Reads a JSONL result file: every valid record is kept, every bad line becomes an InputError naming it.
LoadResult load_records(std::istream& in, const std::string& file, const Limits& limits);

}  // namespace ra
