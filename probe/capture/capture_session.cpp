// One capture handle for the whole run (opening one per step would cost a buffer each); packets are
// matched to flows the probe registered and everything else is dropped on the spot, so the capture
// never keeps other programs' traffic, and never our own address.
#include "capture/capture_session.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "capture/packet.h"
#include "dns/dns_message.h"

namespace rp {
namespace {

std::optional<std::pair<std::string, uint16_t>> endpoint_of(const sockaddr_storage& ss) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &a->sin_addr, buf, sizeof buf);
    return std::make_pair(std::string(buf), ntohs(a->sin_port));
  }
  if (ss.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof buf);
    return std::make_pair(std::string(buf), ntohs(a->sin6_port));
  }
  return std::nullopt;
}

}  // namespace

std::unique_ptr<CaptureSession> CaptureSession::open(std::string& reason) {
  char err[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_create("any", err);
  if (p == nullptr) {
    reason = std::string("cannot open capture: ") + err;
    return nullptr;
  }
  pcap_set_snaplen(p, 2048);
  pcap_set_immediate_mode(p, 1);
  pcap_set_buffer_size(p, 4 << 20);
  const int rc = pcap_activate(p);
  if (rc < 0) {
    reason = rc == PCAP_ERROR_PERM_DENIED ? "permission denied: needs CAP_NET_RAW"
                                          : std::string("cannot start capture: ") + pcap_geterr(p);
    pcap_close(p);
    return nullptr;
  }
  bpf_program prog{};
  if (pcap_compile(p, &prog, "tcp or udp or icmp or icmp6", 1, PCAP_NETMASK_UNKNOWN) != 0 ||
      pcap_setfilter(p, &prog) != 0 || pcap_setnonblock(p, 1, err) != 0) {
    reason = std::string("cannot filter capture: ") + pcap_geterr(p);
    pcap_freecode(&prog);
    pcap_close(p);
    return nullptr;
  }
  pcap_freecode(&prog);
  return std::unique_ptr<CaptureSession>(new CaptureSession(p));
}

CaptureSession::CaptureSession(pcap_t* handle) : handle_(handle), link_type_(pcap_datalink(handle)) {}

CaptureSession::~CaptureSession() {
  detach();
  pcap_close(handle_);
}

void CaptureSession::attach(EventLoop& loop) {
  loop_ = &loop;
  fd_ = pcap_get_selectable_fd(handle_);
  if (fd_ >= 0) loop.watch(fd_, POLLIN, [this](short) { drain(); });
}

void CaptureSession::detach() {
  if (loop_ != nullptr && fd_ >= 0) loop_->unwatch(fd_);
  loop_ = nullptr;
}

uint64_t CaptureSession::watch(int fd, const std::string& remote_ip, uint16_t remote_port) {
  sockaddr_storage local{};
  socklen_t ll = sizeof local;
  int type = 0;
  socklen_t tl = sizeof type;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &ll) != 0 ||
      getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) != 0) {
    return 0;
  }
  const auto l = endpoint_of(local);
  if (!l || l->second == 0) return 0;
  const uint8_t protocol = type == SOCK_STREAM ? 6 : 17;
  // inet_ntop's spelling, so that keys compare equal to what the packet parser produces.
  char canonical[INET6_ADDRSTRLEN] = {};
  unsigned char raw[16];
  const int af = remote_ip.find(':') != std::string::npos ? AF_INET6 : AF_INET;
  if (inet_pton(af, remote_ip.c_str(), raw) != 1) return 0;
  inet_ntop(af, raw, canonical, sizeof canonical);
  FlowKey key{protocol, canonical, remote_port, l->second};
  const uint64_t id = next_id_++;
  by_key_[key] = id;
  flows_[id] = {key, {}};
  return id;
}

std::vector<CapturedPacket> CaptureSession::take(uint64_t id) {
  drain();  // whatever the kernel already has belongs in the summary
  auto it = flows_.find(id);
  if (it == flows_.end()) return {};
  auto packets = std::move(it->second.second);
  if (auto k = by_key_.find(it->second.first); k != by_key_.end() && k->second == id) by_key_.erase(k);
  flows_.erase(it);
  return packets;
}

void CaptureSession::drain() {
  // Bounded: at most 16 batches of 256 frames per wake-up; the rest waits for the next turn.
  for (int i = 0; i < 16; ++i) {
    const int n = pcap_dispatch(
        handle_, 256,
        [](u_char* self, const pcap_pkthdr* h, const u_char* bytes) {
          reinterpret_cast<CaptureSession*>(self)->on_frame(bytes, h->caplen);
        },
        reinterpret_cast<u_char*>(this));
    if (n <= 0) return;
  }
}

void CaptureSession::on_frame(const uint8_t* bytes, std::size_t length) {
  if (flows_.empty()) return;
  const auto p = parse_packet(link_type_, {bytes, length});
  if (!p || !p->incoming) return;
  FlowKey key;
  CapturedPacket c;
  c.at = Clock::now();
  c.ttl = p->ttl;
  c.ip_id = p->ip_id;
  if (p->protocol == 6 || p->protocol == 17) {
    key = FlowKey{p->protocol, p->src, p->sport, p->dport};
    if (p->protocol == 6) {
      const bool syn = p->tcp_flags & 0x02, ack = p->tcp_flags & 0x10, rst = p->tcp_flags & 0x04,
                 fin = p->tcp_flags & 0x01;
      c.kind = rst ? PacketKind::rst : fin ? PacketKind::fin : (syn && ack) ? PacketKind::syn_ack : PacketKind::data;
    } else {
      c.kind = PacketKind::data;
      if (const auto msg = parse_dns_message(p->udp_payload); msg && msg->is_response) {
        c.kind = PacketKind::dns_reply;
        c.dns_id = msg->id;
        c.rcode = msg->rcode;
        c.question = msg->question_name;
        for (const auto& a : msg->answers) c.answers.push_back(a.value);
      }
    }
  } else if (p->quoted) {
    key = FlowKey{p->quoted->protocol, p->quoted->dst, p->quoted->dport, p->quoted->sport};
    c.kind = PacketKind::icmp;
    c.icmp_type = p->icmp_type;
    c.icmp_code = p->icmp_code;
    c.from = p->src;
  } else {
    return;
  }
  const auto it = by_key_.find(key);
  if (it == by_key_.end()) return;
  auto& packets = flows_[it->second].second;
  if (packets.size() < kMaxPacketsPerFlow) packets.push_back(std::move(c));
}

}  // namespace rp
