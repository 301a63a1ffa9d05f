// IP_RECVERR puts ICMP errors about our own packets on the socket's error queue, with the sender's
// address (for UDP, and for TCP while the SYN is outstanding). For an established TCP connection the
// kernel only reports EHOSTUNREACH, so callers learn that hop's address from a companion UDP probe.
#include "net/ttl_probe.h"

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <cerrno>
#include <memory>

#include "net/ip_address.h"
#include "net/tcp_connect.h"

namespace rp {

namespace {

bool limit_ttl(int fd, int family, int ttl) {
  const int on = 1;
  if (family == AF_INET6) {
    return setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof on) == 0 &&
           setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof ttl) == 0;
  }
  return setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on) == 0 &&
         setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl) == 0;
}

struct IcmpReport {
  HopOutcome outcome;
  std::optional<std::string> from;
};

// Reads one entry of the socket's error queue, if there is one.
std::optional<IcmpReport> read_error_queue(int fd) {
  char control[512];
  char data[64];
  iovec iov{data, sizeof data};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) return std::nullopt;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    const bool v4 = c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR;
    const bool v6 = c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR;
    if (!v4 && !v6) continue;
    const auto* ee = reinterpret_cast<const sock_extended_err*>(CMSG_DATA(c));
    IcmpReport r{HopOutcome::unreachable, std::nullopt};
    if (ee->ee_origin == SO_EE_ORIGIN_ICMP && ee->ee_type == 11) r.outcome = HopOutcome::ttl_expired;
    if (ee->ee_origin == SO_EE_ORIGIN_ICMP6 && ee->ee_type == 3) r.outcome = HopOutcome::ttl_expired;
    const auto* off = SO_EE_OFFENDER(ee);
    char buf[INET6_ADDRSTRLEN] = {};
    if (off->sa_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(off)->sin_addr, buf, sizeof buf);
      r.from = buf;
    } else if (off->sa_family == AF_INET6) {
      inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(off)->sin6_addr, buf, sizeof buf);
      r.from = buf;
    }
    return r;
  }
  return std::nullopt;
}

// Shared bookkeeping of one probe: its socket, its deadline, and settling exactly once.
struct ProbeState {
  EventLoop& loop;
  int fd = -1;
  Clock::time_point sent{};
  EventLoop::TimerId timer = 0;
  TtlProbeDone cb;
  bool done = false;
  std::optional<IcmpReport> icmp;  // for UDP: held until the wait ends, in case a reply follows

  void finish(HopOutcome outcome, std::optional<std::string> from = std::nullopt) {
    if (done) return;
    done = true;
    if (fd >= 0) {
      loop.unwatch(fd);
      close(fd);
    }
    loop.cancel_timer(timer);
    cb(TtlProbeResult{outcome, std::move(from), std::chrono::duration<double>(Clock::now() - sent).count()});
  }
};

TtlProbeResult failed_now() { return TtlProbeResult{HopOutcome::failed, std::nullopt, 0}; }

}  // namespace

void ttl_probe_tcp_payload(EventLoop& loop, const std::string& ip, uint16_t port, std::string payload, int ttl,
                           Duration connect_timeout, Duration wait, TtlProbeDone cb) {
  tcp_connect(loop, ip, port, connect_timeout,
              [&loop, ip, payload = std::move(payload), ttl, wait, cb = std::move(cb)](TcpConnectResult c) mutable {
                if (c.failure) return cb(failed_now());
                auto s = std::make_shared<ProbeState>(
                    ProbeState{loop, c.fd, Clock::now(), 0, std::move(cb), false, std::nullopt});
                const auto addr = make_socket_address(ip, 0);
                if (!limit_ttl(c.fd, addr->family(), ttl) ||
                    send(c.fd, payload.data(), payload.size(), MSG_NOSIGNAL) < 0) {
                  return s->finish(HopOutcome::failed);
                }
                s->timer = loop.add_timer(wait, [s] { s->finish(HopOutcome::silent); });
                loop.watch(c.fd, POLLIN, [s](short) {
                  if (auto icmp = read_error_queue(s->fd)) return s->finish(icmp->outcome, icmp->from);
                  char buf[512];
                  const ssize_t n = recv(s->fd, buf, sizeof buf, MSG_DONTWAIT);
                  if (n > 0) return s->finish(HopOutcome::answered);
                  if (n == 0) return s->finish(HopOutcome::closed);
                  if (errno == EAGAIN || errno == EINTR) return;
                  if (errno == ECONNRESET) return s->finish(HopOutcome::reset);
                  if (errno == EHOSTUNREACH || errno == ENETUNREACH) return s->finish(HopOutcome::ttl_expired);
                  s->finish(HopOutcome::failed);
                });
              });
}

void ttl_probe_udp(EventLoop& loop, const std::string& ip, uint16_t port, std::string payload, int ttl, Duration wait,
                   TtlProbeDone cb) {
  const auto addr = make_socket_address(ip, port);
  const int fd = addr ? socket(addr->family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0) : -1;
  auto s = std::make_shared<ProbeState>(ProbeState{loop, fd, Clock::now(), 0, std::move(cb), false, std::nullopt});
  if (fd < 0 || !limit_ttl(fd, addr->family(), ttl) ||
      connect(fd, reinterpret_cast<const sockaddr*>(&addr->storage), addr->length) != 0 ||
      send(fd, payload.data(), payload.size(), 0) < 0) {
    s->timer = loop.add_timer(Duration{0}, [s] { s->finish(HopOutcome::failed); });
    return;
  }
  s->timer = loop.add_timer(wait, [s] {
    if (s->icmp) return s->finish(s->icmp->outcome, s->icmp->from);
    s->finish(HopOutcome::silent);
  });
  loop.watch(fd, POLLIN, [s, ip](short) {
    // Bounded drain: at most 16 queued errors or datagrams per wake-up.
    for (int i = 0; i < 16 && !s->done; ++i) {
      if (auto icmp = read_error_queue(s->fd)) {
        if (!s->icmp) s->icmp = icmp;
        continue;
      }
      char buf[2048];
      const ssize_t n = recv(s->fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n >= 0) return s->finish(HopOutcome::answered, ip);
      return;  // EAGAIN, or an error already reported through the error queue
    }
  });
}

void ttl_probe_syn(EventLoop& loop, const std::string& ip, uint16_t port, int ttl, Duration wait, TtlProbeDone cb) {
  const auto addr = make_socket_address(ip, port);
  const int fd = addr ? socket(addr->family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0) : -1;
  auto s = std::make_shared<ProbeState>(ProbeState{loop, fd, Clock::now(), 0, std::move(cb), false, std::nullopt});
  if (fd < 0 || !limit_ttl(fd, addr->family(), ttl) ||
      (connect(fd, reinterpret_cast<const sockaddr*>(&addr->storage), addr->length) != 0 && errno != EINPROGRESS)) {
    s->timer = loop.add_timer(Duration{0}, [s] { s->finish(HopOutcome::failed); });
    return;
  }
  s->timer = loop.add_timer(wait, [s] { s->finish(HopOutcome::silent); });
  loop.watch(fd, POLLOUT, [s](short) {
    if (auto icmp = read_error_queue(s->fd)) return s->finish(icmp->outcome, icmp->from);
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err == 0) return s->finish(HopOutcome::answered);
    if (err == ECONNREFUSED) return s->finish(HopOutcome::reset);
    if (err == EHOSTUNREACH || err == ENETUNREACH) return s->finish(HopOutcome::ttl_expired);
    s->finish(HopOutcome::failed);
  });
}

}  // namespace rp
