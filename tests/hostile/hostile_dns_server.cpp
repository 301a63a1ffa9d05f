// One thread polls the UDP socket, the TCP listener and the open TCP connections; replies are built from
// the query's own bytes so the question always matches and only the intended trick is wrong.
#include "hostile_dns_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>

namespace reachprobe::hostile {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kMaxConnectionTime = std::chrono::seconds(10);
constexpr std::size_t kMaxConnections = 16;
constexpr std::size_t kMaxBytesSent = 64u << 20;
constexpr std::size_t kMaxQueryBytes = 4096;

void put16(std::string& m, unsigned v) {
  m.push_back(static_cast<char>((v >> 8) & 0xff));
  m.push_back(static_cast<char>(v & 0xff));
}

void put32(std::string& m, unsigned v) {
  put16(m, v >> 16);
  put16(m, v & 0xffff);
}

struct Question {
  unsigned id = 0;
  unsigned type = 1;
  std::string raw;  // name, type and class, as the client wrote them (offset 12 in every reply)
};

bool parse_question(const std::string& q, Question& out) {
  if (q.size() < 17) return false;
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(q[i]); };
  out.id = (byte(0) << 8) | byte(1);
  std::size_t pos = 12;
  while (pos < q.size() && byte(pos) != 0) {
    if ((byte(pos) & 0xC0) != 0) return false;
    pos += 1u + byte(pos);
  }
  if (pos + 5 > q.size()) return false;
  out.type = (byte(pos + 1) << 8) | byte(pos + 2);
  out.raw = q.substr(12, pos + 5 - 12);
  return true;
}

constexpr unsigned kResponse = 0x8180;  // QR, RD, RA, NOERROR
constexpr unsigned kTc = 0x0200;

std::string header(unsigned id, unsigned flags, unsigned ancount) {
  std::string m;
  put16(m, id & 0xffff);
  put16(m, flags);
  put16(m, 1);        // QDCOUNT
  put16(m, ancount);  // ANCOUNT
  put16(m, 0);
  put16(m, 0);
  return m;
}

// Type, class, TTL, RDLENGTH and RDATA of record number i (the owner name is written by the caller).
std::string record_tail(unsigned type, unsigned i) {
  std::string m;
  put16(m, type);
  put16(m, 1);
  put32(m, 60);
  if (type == 28) {
    put16(m, 16);
    m.append(15, '\0');
    m.push_back('\1');  // ::1
  } else {
    put16(m, 4);
    m += {'\x7f', '\0', static_cast<char>(i / 250), static_cast<char>(i % 250 + 1)};  // 127.0.x.y
  }
  return m;
}

std::string record(unsigned type, unsigned i) { return std::string("\xC0\x0C", 2) + record_tail(type, i); }

std::string pointer_to(std::size_t offset) {
  return {static_cast<char>(0xC0 | ((offset >> 8) & 0x3F)), static_cast<char>(offset & 0xff)};
}

}  // namespace

std::vector<std::string> HostileDnsServer::replies(DnsBehaviour behaviour, const std::string& query, bool over_tcp) {
  Question q;
  if (!parse_question(query, q)) return {};
  const unsigned type = q.type == 28 ? 28 : 1;
  switch (behaviour) {
    case DnsBehaviour::wrong_id: {
      std::vector<std::string> out;
      for (const unsigned flip : {0x0001u, 0x0100u, 0xFFFFu})
        out.push_back(header(q.id ^ flip, kResponse, 1) + q.raw + record(type, 0));
      return out;
    }
    case DnsBehaviour::truncated: {
      std::string m = header(q.id, kResponse, 1) + q.raw + record(type, 0);
      m.resize(m.size() - 2);  // cut inside the address
      return {m};
    }
    case DnsBehaviour::oversized: {
      std::string m = header(q.id, kResponse, 400) + q.raw;
      for (unsigned i = 0; i < 400; ++i) m += record(type, i);
      return {m};
    }
    case DnsBehaviour::compression_loop: {
      std::string self_loop = header(q.id, kResponse, 1) + q.raw;
      self_loop += pointer_to(self_loop.size()) + record_tail(type, 0);
      std::string cycle = header(q.id, kResponse, 2) + q.raw;
      const std::size_t first = cycle.size();
      const std::size_t second = first + 2 + record_tail(type, 0).size();
      cycle += pointer_to(second) + record_tail(type, 0) + pointer_to(first) + record_tail(type, 1);
      if (over_tcp) return {self_loop};
      return {self_loop, cycle};
    }
    case DnsBehaviour::ten_thousand_records: {
      const std::size_t limit = over_tcp ? 65535 : 512;
      std::string m = header(q.id, kResponse | (over_tcp ? 0 : kTc), 10000) + q.raw;
      const std::size_t size = record(type, 0).size();
      for (unsigned i = 0; m.size() + size <= limit; ++i) m += record(type, i);
      return {m};
    }
  }
  return {};
}

HostileDnsServer::HostileDnsServer(DnsBehaviour behaviour) : behaviour_(behaviour) {
  udp_fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  tcp_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (udp_fd_ < 0 || tcp_fd_ < 0 || bind(udp_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(udp_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
      bind(tcp_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(tcp_fd_, 16) != 0) {
    if (udp_fd_ >= 0) close(udp_fd_);
    if (tcp_fd_ >= 0) close(tcp_fd_);
    throw std::runtime_error("hostile DNS server: cannot bind UDP and TCP on one loopback port");
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve_loop(); });
}

HostileDnsServer::~HostileDnsServer() {
  stop_ = true;
  thread_.join();
  close(udp_fd_);
  close(tcp_fd_);
}

void HostileDnsServer::serve_loop() {
  struct Connection {
    int fd;
    Clock::time_point deadline;
    std::string in;
  };
  std::vector<Connection> conns;
  std::size_t sent = 0;
  // Blocking-with-deadline send on a non-blocking TCP socket; false when the connection is over.
  const auto send_all = [&](Connection& c, const std::string& data) {
    std::size_t off = 0;
    while (off < data.size()) {
      if (stop_ || Clock::now() >= c.deadline || sent >= kMaxBytesSent) return false;
      const ssize_t n = send(c.fd, data.data() + off, data.size() - off, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        off += static_cast<std::size_t>(n);
        sent += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
      pollfd p{c.fd, POLLOUT, 0};
      (void)poll(&p, 1, 50);
    }
    return true;
  };

  while (!stop_) {
    std::vector<pollfd> fds = {{udp_fd_, POLLIN, 0}, {tcp_fd_, POLLIN, 0}};
    for (const auto& c : conns) fds.push_back({c.fd, POLLIN, 0});
    if (poll(fds.data(), fds.size(), 50) < 0) continue;

    if (fds[0].revents & POLLIN) {
      char buf[kMaxQueryBytes];
      sockaddr_storage from{};
      socklen_t from_len = sizeof from;
      const ssize_t n = recvfrom(udp_fd_, buf, sizeof buf, MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&from), &from_len);
      if (n > 0) {
        ++udp_queries_;
        for (const auto& r : replies(behaviour_, std::string(buf, static_cast<std::size_t>(n)), false)) {
          if (sent >= kMaxBytesSent) break;
          if (sendto(udp_fd_, r.data(), r.size(), 0, reinterpret_cast<sockaddr*>(&from), from_len) > 0)
            sent += r.size();
        }
      }
    }
    if (fds[1].revents & POLLIN) {
      const int fd = accept4(tcp_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd >= 0 && conns.size() < kMaxConnections) {
        conns.push_back({fd, Clock::now() + kMaxConnectionTime, {}});
      } else if (fd >= 0) {
        close(fd);
      }
    }
    std::vector<Connection> open;
    for (std::size_t i = 0; i < conns.size(); ++i) {
      Connection& c = conns[i];
      bool alive = Clock::now() < c.deadline;
      const short revents = i + 2 < fds.size() && fds[i + 2].fd == c.fd ? fds[i + 2].revents : 0;
      if (alive && (revents & (POLLIN | POLLHUP | POLLERR))) {
        char buf[kMaxQueryBytes];
        const ssize_t n = recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n <= 0) {
          alive = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
        } else {
          c.in.append(buf, static_cast<std::size_t>(n));
          // Every complete length-prefixed query gets its replies; a client may pipeline several.
          while (alive && c.in.size() >= 2) {
            const std::size_t len = (static_cast<unsigned char>(c.in[0]) << 8) | static_cast<unsigned char>(c.in[1]);
            if (c.in.size() < 2 + len) break;
            ++tcp_queries_;
            for (const auto& r : replies(behaviour_, c.in.substr(2, len), true)) {
              std::string framed;
              put16(framed, static_cast<unsigned>(r.size()));
              if (!(alive = send_all(c, framed + r))) break;
            }
            c.in.erase(0, 2 + len);
          }
          if (c.in.size() > kMaxQueryBytes) alive = false;
        }
      }
      if (alive) {
        open.push_back(std::move(c));
      } else {
        close(c.fd);
      }
    }
    conns = std::move(open);
  }
  for (const auto& c : conns) close(c.fd);
}

}  // namespace reachprobe::hostile
