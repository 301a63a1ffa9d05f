// Packet capture (libpcap) during a run, demultiplexed to the probe's own flows.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <pcap/pcap.h>

#include "net/event_loop.h"
#include "record/enums.h"

namespace rp {

// One incoming packet of a watched flow (or an ICMP error about it). Never anything about our own side.
struct CapturedPacket {
  Clock::time_point at;
  PacketKind kind = PacketKind::data;
  uint8_t ttl = 0;
  uint16_t ip_id = 0;
  // dns_reply
  uint16_t dns_id = 0;
  int rcode = 0;
  std::string question;
  std::vector<std::string> answers;
  // icmp
  uint8_t icmp_type = 0, icmp_code = 0;
  std::string from;  // the ICMP sender
};

class CaptureSession {
 public:
  // Opens capture on every interface. nullptr when that is not possible here, with the reason set
  // (e.g. "permission denied: needs CAP_NET_RAW"); a run goes on without capture.
  static std::unique_ptr<CaptureSession> open(std::string& reason);
  ~CaptureSession();
  CaptureSession(const CaptureSession&) = delete;
  CaptureSession& operator=(const CaptureSession&) = delete;

  // Starts reading packets in the loop (and stops when the loop is destroyed or detach() is called).
  void attach(EventLoop& loop);
  void detach();

  // Begins collecting packets of the flow between fd (its local port) and remote ip:port; 0 if fd has
  // no local port yet. The remote is given, not read back: a connecting socket has no peer yet.
  uint64_t watch(int fd, const std::string& remote_ip, uint16_t remote_port);
  // Stops collecting and returns what arrived (at most kMaxPacketsPerFlow, in arrival order).
  std::vector<CapturedPacket> take(uint64_t id);

  static constexpr std::size_t kMaxPacketsPerFlow = 64;

 private:
  explicit CaptureSession(pcap_t* handle);
  void drain();
  void on_frame(const uint8_t* bytes, std::size_t length);

  // protocol, remote address, remote port, local port
  using FlowKey = std::tuple<uint8_t, std::string, uint16_t, uint16_t>;
  pcap_t* handle_;
  int link_type_;
  EventLoop* loop_ = nullptr;
  int fd_ = -1;
  std::map<FlowKey, uint64_t> by_key_;
  std::unordered_map<uint64_t, std::pair<FlowKey, std::vector<CapturedPacket>>> flows_;
  uint64_t next_id_ = 1;
};

}  // namespace rp
