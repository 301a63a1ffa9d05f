// Every length is checked against the captured bytes before it is used; IPv6 extension headers are not
// followed (the probe's own flows never carry them), so such packets are simply skipped.
#include "capture/packet.h"

#include <arpa/inet.h>

namespace rp {
namespace {

uint16_t be16(std::span<const uint8_t> b, std::size_t at) { return static_cast<uint16_t>((b[at] << 8) | b[at + 1]); }

std::string addr_text(int af, const uint8_t* raw) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(af, raw, buf, sizeof buf);
  return buf;
}

struct IpHeader {
  int family = 4;
  std::string src, dst;
  uint8_t ttl = 0;
  uint16_t ip_id = 0;
  uint8_t protocol = 0;
  std::span<const uint8_t> payload;
};

// Parses an IP header at the start of b; quoted=true tolerates a truncated payload (ICMP quotes).
std::optional<IpHeader> parse_ip(std::span<const uint8_t> b, bool quoted) {
  if (b.empty()) return std::nullopt;
  IpHeader h;
  const int version = b[0] >> 4;
  if (version == 4) {
    if (b.size() < 20) return std::nullopt;
    const std::size_t ihl = (b[0] & 0x0f) * 4u;
    const std::size_t total = be16(b, 2);
    if (ihl < 20 || b.size() < ihl || total < ihl) return std::nullopt;
    if (be16(b, 6) & 0x1fff) return std::nullopt;  // a later fragment carries no transport header
    h.family = 4;
    h.ip_id = be16(b, 4);
    h.ttl = b[8];
    h.protocol = b[9];
    h.src = addr_text(AF_INET, b.data() + 12);
    h.dst = addr_text(AF_INET, b.data() + 16);
    const std::size_t end = quoted ? b.size() : std::min(b.size(), total);
    h.payload = b.subspan(ihl, end - ihl);
    return h;
  }
  if (version == 6) {
    if (b.size() < 40) return std::nullopt;
    h.family = 6;
    h.protocol = b[6];
    h.ttl = b[7];
    h.src = addr_text(AF_INET6, b.data() + 8);
    h.dst = addr_text(AF_INET6, b.data() + 24);
    const std::size_t len = be16(b, 4);
    const std::size_t end = quoted ? b.size() : std::min(b.size(), 40 + len);
    h.payload = b.subspan(40, end - 40);
    return h;
  }
  return std::nullopt;
}

bool ports(std::span<const uint8_t> t, uint16_t& sport, uint16_t& dport) {
  if (t.size() < 4) return false;
  sport = be16(t, 0);
  dport = be16(t, 2);
  return true;
}

}  // namespace

std::optional<Packet> parse_packet(int link_type, std::span<const uint8_t> frame) {
  Packet p;
  std::span<const uint8_t> ip;
  if (link_type == kLinkLinuxSll) {
    if (frame.size() < 16) return std::nullopt;
    p.incoming = be16(frame, 0) != 4;  // packet type 4: sent by us
    ip = frame.subspan(16);
  } else if (link_type == kLinkLinuxSll2) {
    if (frame.size() < 20) return std::nullopt;
    p.incoming = frame[10] != 4;
    ip = frame.subspan(20);
  } else if (link_type == kLinkEthernet) {
    if (frame.size() < 14) return std::nullopt;
    ip = frame.subspan(14);
  } else if (link_type == kLinkRaw || link_type == 101) {
    ip = frame;
  } else {
    return std::nullopt;
  }
  auto h = parse_ip(ip, false);
  if (!h) return std::nullopt;
  p.family = h->family;
  p.src = h->src;
  p.dst = h->dst;
  p.ttl = h->ttl;
  p.ip_id = h->ip_id;
  p.protocol = h->protocol;
  const auto t = h->payload;
  switch (p.protocol) {
    case 6:
      if (t.size() < 20 || !ports(t, p.sport, p.dport)) return std::nullopt;
      p.tcp_flags = t[13];
      return p;
    case 17:
      if (t.size() < 8 || !ports(t, p.sport, p.dport)) return std::nullopt;
      p.udp_payload.assign(t.begin() + 8,
                           t.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(t.size(), 8 + 4096)));
      return p;
    case 1:
    case 58: {
      if (t.size() < 8) return std::nullopt;
      p.icmp_type = t[0];
      p.icmp_code = t[1];
      const bool error = p.protocol == 1 ? (p.icmp_type == 3 || p.icmp_type == 11)
                                         : (p.icmp_type == 1 || p.icmp_type == 3);
      if (error) {
        if (auto inner = parse_ip(t.subspan(8), true)) {
          QuotedFlow q{inner->protocol, inner->src, inner->dst, 0, 0};
          if (ports(inner->payload, q.sport, q.dport)) p.quoted = q;
        }
      }
      return p;
    }
    default: return std::nullopt;
  }
}

}  // namespace rp
