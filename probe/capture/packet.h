// A pure, bounded parser of captured frames: just the IP/TCP/UDP/ICMP facts the evidence needs.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rp {

// The flow an ICMP error is about (the first bytes of our own packet, quoted back by a router).
struct QuotedFlow {
  uint8_t protocol = 0;
  std::string src, dst;
  uint16_t sport = 0, dport = 0;
};

struct Packet {
  bool incoming = true;  // from the link-layer header where it says; otherwise assumed
  int family = 4;        // 4 or 6
  std::string src, dst;  // addresses as text
  uint8_t ttl = 0;       // IPv4 TTL or IPv6 hop limit
  uint16_t ip_id = 0;    // IPv4 identification (0 for IPv6)
  uint8_t protocol = 0;  // 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6
  uint16_t sport = 0, dport = 0;
  uint8_t tcp_flags = 0;             // FIN 0x01, SYN 0x02, RST 0x04, ACK 0x10
  std::vector<uint8_t> udp_payload;  // at most 4096 bytes
  uint8_t icmp_type = 0, icmp_code = 0;
  std::optional<QuotedFlow> quoted;  // for ICMP errors
};

inline constexpr int kLinkEthernet = 1;     // DLT_EN10MB
inline constexpr int kLinkRaw = 12;         // DLT_RAW (also 101, LINKTYPE_RAW)
inline constexpr int kLinkLinuxSll = 113;   // DLT_LINUX_SLL ("any" device)
inline constexpr int kLinkLinuxSll2 = 276;  // DLT_LINUX_SLL2

// nullopt for anything that is not a well-formed IPv4/IPv6 packet carrying TCP, UDP or ICMP.
std::optional<Packet> parse_packet(int link_type, std::span<const uint8_t> frame);

}  // namespace rp
