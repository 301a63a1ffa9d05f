// Fuzzes the captured-frame parser (probe/capture/packet) on every link type libpcap hands the probe.
#include <cstdint>
#include <span>

#include "capture/packet.h"
#include "dns/dns_message.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the link type, so one corpus covers Ethernet, raw IP and both Linux "any" headers.
  static constexpr int kLinks[] = {rp::kLinkEthernet, rp::kLinkRaw, 101, rp::kLinkLinuxSll, rp::kLinkLinuxSll2};
  const int link = kLinks[data[0] % 5];
  const std::span<const uint8_t> frame(data + 1, size - 1);

  // Frames on the wire are written by anyone on the path, including the censor being measured.
  const auto p = rp::parse_packet(link, frame);
  if (!p) return 0;
  FUZZ_CHECK(p->family == 4 || p->family == 6);
  FUZZ_CHECK(p->protocol == 6 || p->protocol == 17 || p->protocol == 1 || p->protocol == 58);
  FUZZ_CHECK(p->udp_payload.size() <= 4096);
  FUZZ_CHECK(p->udp_payload.size() <= frame.size());
  if (p->protocol != 17) FUZZ_CHECK(p->udp_payload.empty());
  if (p->quoted) FUZZ_CHECK(p->protocol == 1 || p->protocol == 58);
  // The capture hands UDP payloads from port 53 to the DNS parser: do the same with every one.
  if (!p->udp_payload.empty()) (void)rp::parse_dns_message(p->udp_payload);
  return 0;
}
