// The closed vocabularies of a measurement record (SNI kinds, hop outcomes, packet kinds, ...) as typed enums,
// each with its one stable JSON spelling: parsed once at the edge, compared as values everywhere else.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rp {

// Which name a TLS ClientHello carried: the target's, a neutral one (to tell SNI filtering apart), or none.
enum class SniKind { target, neutral, none };

// Why the probe sent a DNS question of its own: to catch raced replies, or to a host that runs no DNS server.
enum class DnsPurpose { duplicate_watch, injection_check };

// What a path localization repeated TTL by TTL.
enum class LocalizationKind {
  tls_sni,  // TCP payload: ClientHello with the target SNI vs a neutral one
  dns,      // UDP: the target name's question vs a neutral name's
  tcp_syn,  // SYN to the address, no control: where do the SYNs stop being answered
};

// How the path answered one hop-limited packet.
enum class HopOutcome {
  ttl_expired,  // a router said "time exceeded": the packet got that far and no further
  unreachable,  // an ICMP destination-unreachable (e.g. port unreachable at a host with no such service)
  reset,        // a TCP RST
  answered,     // the far end (or someone pretending to be it) replied
  closed,       // the far end closed the connection without a reply
  silent,       // nothing came back in time
  failed,       // the probe could not be sent (e.g. the preliminary connect failed)
};

// What one captured packet of a watched flow was.
enum class PacketKind { syn_ack, rst, fin, data, dns_reply, icmp };

// The transport of a captured flow.
enum class FlowProtocol { tcp, udp };

// DNS record types the probe asks for or reads back, with their wire numbers (RFC 1035, RFC 3596).
enum class DnsType : std::uint16_t { A = 1, CNAME = 5, AAAA = 28 };

// The kinds of target a record lists.
enum class TargetRefKind { url, endpoint, domain };

// The JSON spelling of each enum, in declaration order (DnsType is looked up by value instead).
template <typename E>
struct EnumNames;
template <>
struct EnumNames<SniKind> {
  static constexpr std::array<std::string_view, 3> names{"target", "neutral", "none"};
};
template <>
struct EnumNames<DnsPurpose> {
  static constexpr std::array<std::string_view, 2> names{"duplicate_watch", "injection_check"};
};
template <>
struct EnumNames<LocalizationKind> {
  static constexpr std::array<std::string_view, 3> names{"tls_sni", "dns", "tcp_syn"};
};
template <>
struct EnumNames<HopOutcome> {
  static constexpr std::array<std::string_view, 7> names{"ttl_expired", "unreachable", "reset", "answered",
                                                         "closed",      "silent",      "failed"};
};
template <>
struct EnumNames<PacketKind> {
  static constexpr std::array<std::string_view, 6> names{"syn_ack", "rst", "fin", "data", "dns_reply", "icmp"};
};
template <>
struct EnumNames<FlowProtocol> {
  static constexpr std::array<std::string_view, 2> names{"tcp", "udp"};
};
template <>
struct EnumNames<TargetRefKind> {
  static constexpr std::array<std::string_view, 3> names{"url", "endpoint", "domain"};
};

template <typename E>
constexpr std::string_view name_of(E value) {
  return EnumNames<E>::names[static_cast<std::size_t>(value)];
}

// nullopt for any spelling the enum does not have (the caller says which field was wrong).
template <typename E>
constexpr std::optional<E> parse_enum(std::string_view text) {
  const auto& names = EnumNames<E>::names;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == text) return static_cast<E>(i);
  return std::nullopt;
}

std::string_view name_of(DnsType type);  // "A", "CNAME", "AAAA"
std::optional<DnsType> parse_dns_type(std::string_view text);
std::optional<DnsType> dns_type_from_wire(std::uint16_t number);

// Kept for the call sites that build strings: the same spelling as name_of().
inline std::string to_string(LocalizationKind kind) { return std::string(name_of(kind)); }
inline std::string to_string(HopOutcome outcome) { return std::string(name_of(outcome)); }

}  // namespace rp
