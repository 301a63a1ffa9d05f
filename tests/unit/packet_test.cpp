// The capture's packet parser on hand-built frames: what it extracts, and what it refuses.
#include <gtest/gtest.h>

#include <vector>

#include "capture/packet.h"

namespace rp {
namespace {

using Bytes = std::vector<uint8_t>;

// A Linux "cooked" (SLL) header: packet type 0 = addressed to us, 4 = sent by us.
Bytes sll(uint16_t packet_type) {
  Bytes b(16, 0);
  b[1] = static_cast<uint8_t>(packet_type);
  b[14] = 0x08;  // protocol IPv4
  return b;
}

// Appends byte by byte: GCC 12 at -O2 mistakes vector::insert of short vectors for an overflow.
void append(Bytes& to, const Bytes& from) {
  for (uint8_t byte : from) to.push_back(byte);
}

Bytes ipv4(uint8_t protocol, uint8_t ttl, uint16_t id, const Bytes& payload, Bytes src = {198, 51, 100, 7},
           Bytes dst = {192, 0, 2, 1}) {
  const uint16_t total = static_cast<uint16_t>(20 + payload.size());
  Bytes b;
  b.reserve(total);
  append(b, {0x45, 0, static_cast<uint8_t>(total >> 8), static_cast<uint8_t>(total), static_cast<uint8_t>(id >> 8),
             static_cast<uint8_t>(id), 0x40, 0, ttl, protocol, 0, 0});
  append(b, src);
  append(b, dst);
  append(b, payload);
  return b;
}

Bytes tcp(uint16_t sport, uint16_t dport, uint8_t flags) {
  Bytes t(20, 0);
  t[0] = static_cast<uint8_t>(sport >> 8);
  t[1] = static_cast<uint8_t>(sport);
  t[2] = static_cast<uint8_t>(dport >> 8);
  t[3] = static_cast<uint8_t>(dport);
  t[12] = 0x50;
  t[13] = flags;
  return t;
}

Bytes frame(Bytes link, const Bytes& ip) {
  append(link, ip);
  return link;
}

TEST(Packet, ReadsTtlIpIdAndFlagsOfAnIncomingReset) {
  const auto p = parse_packet(kLinkLinuxSll, frame(sll(0), ipv4(6, 64, 0x1234, tcp(443, 40000, 0x04))));
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->incoming);
  EXPECT_EQ(p->src, "198.51.100.7");
  EXPECT_EQ(p->ttl, 64);
  EXPECT_EQ(p->ip_id, 0x1234);
  EXPECT_EQ(p->sport, 443);
  EXPECT_EQ(p->dport, 40000);
  EXPECT_EQ(p->tcp_flags, 0x04);
}

TEST(Packet, KnowsWhatWeSentOurselves) {
  const auto p = parse_packet(kLinkLinuxSll, frame(sll(4), ipv4(6, 64, 1, tcp(40000, 443, 0x02))));
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->incoming);
}

TEST(Packet, ReadsTheFlowQuotedInAnIcmpTimeExceeded) {
  // The router quotes our own packet: from 192.0.2.1:40000 to 198.51.100.7:443.
  const Bytes quoted = ipv4(6, 1, 7, tcp(40000, 443, 0x18), {192, 0, 2, 1}, {198, 51, 100, 7});
  Bytes icmp = {11, 0, 0, 0, 0, 0, 0, 0};
  append(icmp, Bytes(quoted.begin(), quoted.begin() + 28));  // IP header + 8 bytes, as RFC 792 asks
  const auto p = parse_packet(kLinkLinuxSll, frame(sll(0), ipv4(1, 254, 9, icmp, {203, 0, 113, 1})));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->icmp_type, 11);
  EXPECT_EQ(p->src, "203.0.113.1");
  ASSERT_TRUE(p->quoted);
  EXPECT_EQ(p->quoted->dst, "198.51.100.7");
  EXPECT_EQ(p->quoted->sport, 40000);
  EXPECT_EQ(p->quoted->dport, 443);
}

TEST(Packet, KeepsTheUdpPayloadForDnsReplies) {
  Bytes udp = {0, 53, 0x9c, 0x40, 0, 12, 0, 0, 'a', 'b', 'c', 'd'};
  const auto p = parse_packet(kLinkRaw, ipv4(17, 60, 2, udp));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->sport, 53);
  EXPECT_EQ(p->udp_payload, (Bytes{'a', 'b', 'c', 'd'}));
}

TEST(Packet, RefusesTruncatedAndForeignFrames) {
  EXPECT_FALSE(parse_packet(kLinkLinuxSll, Bytes(10, 0)));
  auto f = frame(sll(0), ipv4(6, 64, 1, tcp(1, 2, 0)));
  f.resize(f.size() - 10);  // TCP header cut short
  EXPECT_FALSE(parse_packet(kLinkLinuxSll, f));
  EXPECT_FALSE(parse_packet(kLinkLinuxSll, frame(sll(0), ipv4(47, 64, 1, Bytes(20, 0)))));  // GRE
  EXPECT_FALSE(parse_packet(999, Bytes(64, 0)));
  Bytes bad_ihl = ipv4(6, 64, 1, tcp(1, 2, 0));
  bad_ihl[0] = 0x4f;  // header longer than the packet
  EXPECT_FALSE(parse_packet(kLinkRaw, bad_ihl));
}

}  // namespace
}  // namespace rp
