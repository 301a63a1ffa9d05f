// c-ares glue: socket-state callbacks become loop watches, ares_timeout() becomes a loop timer, and each
// reply's raw bytes go through our own parser so TTLs, CNAMEs and rcodes are recorded exactly.
#include "net/dns_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <stdexcept>

#include "failures/classify.h"
#include "net/ip_address.h"

namespace rp {

std::optional<ResolverAddress> parse_resolver_address(const std::string& text) {
  ResolverAddress out;
  std::string host = text;
  std::string port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos) return std::nullopt;
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return std::nullopt;
      port = text.substr(close + 2);
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    host = text.substr(0, text.find(':'));
    port = text.substr(text.find(':') + 1);
  }
  unsigned char buf[16];
  if (inet_pton(AF_INET, host.c_str(), buf) != 1 && inet_pton(AF_INET6, host.c_str(), buf) != 1) {
    return std::nullopt;
  }
  out.ip = host;
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) return std::nullopt;
    const int p = std::stoi(port);
    if (p < 1 || p > 65535) return std::nullopt;
    out.port = static_cast<uint16_t>(p);
  }
  return out;
}

std::optional<DnsQuestionKey> stray_datagram(std::span<const uint8_t> bytes,
                                             const std::map<uint16_t, DnsQuestionKey>& sent) {
  const auto msg = parse_dns_message(bytes);
  const auto it = bytes.size() >= 2 ? sent.find(static_cast<uint16_t>((bytes[0] << 8) | bytes[1])) : sent.end();
  if (msg && msg->is_response && it != sent.end() &&
      it->second == DnsQuestionKey{msg->question_name, msg->question_type}) {
    return std::nullopt;
  }
  if (msg && !msg->question_name.empty()) return DnsQuestionKey{msg->question_name, msg->question_type};
  if (it != sent.end()) return it->second;
  return DnsQuestionKey{};
}

struct DnsClient::Pending {
  DnsClient* client;
  std::string name;  // lower-case, no trailing dot
  uint16_t type;
  std::function<void(DnsQueryResult)> cb;
  int strays = 0;  // datagrams about this question (or about none) that c-ares dropped
};

struct DnsClient::Hooks {
  static void on_reply(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
    std::unique_ptr<Pending> pending(static_cast<Pending*>(arg));
    pending->client->pending_.erase(pending.get());
    DnsQueryResult result;
    if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) {
      result.failure = Failure::generic_timeout_error;  // the run is stopping; this query never finished
    } else if (abuf != nullptr && alen > 0) {
      const auto msg = parse_dns_message({abuf, static_cast<std::size_t>(alen)});
      if (!msg || !msg->is_response) {
        result.failure = Failure::dns_server_misbehaving;
      } else {
        result.rcode = msg->rcode;
        result.answers = msg->answers;
        result.failure = failure_from_rcode(msg->rcode);
        if (!result.failure && status != ARES_SUCCESS) result.failure = failure_from_ares(status);
        // A NOERROR reply with only CNAMEs (or nothing) of another type still leaves us with no address.
        const bool has_type = std::any_of(result.answers.begin(), result.answers.end(),
                                          [&](const DnsAnswer& a) { return a.type == pending->type; });
        if (!result.failure && !has_type) result.failure = Failure::dns_no_answer;
      }
    } else if (status == ARES_ETIMEOUT && pending->strays > 0) {
      result.failure = Failure::dns_server_misbehaving;  // datagrams came, none was an answer
    } else {
      result.failure = failure_from_ares(status);
      if (!result.failure) result.failure = Failure::dns_server_misbehaving;  // success without bytes
    }
    pending->cb(std::move(result));
  }

  // Plain syscalls, as c-ares would make them, plus a look at every UDP datagram going either way.
  static ares_socket_t open(int af, int type, int protocol, void* self) {
    const int fd = ::socket(af, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
    if (fd < 0) return ARES_SOCKET_BAD;
    if (type == SOCK_DGRAM) static_cast<DnsClient*>(self)->udp_fds_.insert(fd);
    if (type == SOCK_STREAM) {
      const int one = 1;
      (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
  }
  static int close_fd(ares_socket_t fd, void* self) {
    static_cast<DnsClient*>(self)->udp_fds_.erase(fd);
    return ::close(fd);
  }
  static int connect_fd(ares_socket_t fd, const sockaddr* addr, ares_socklen_t len, void*) {
    return ::connect(fd, addr, len);
  }
  static ares_ssize_t recv_from(ares_socket_t fd, void* buf, size_t len, int flags, sockaddr* from,
                                ares_socklen_t* from_len, void* self) {
    const ssize_t n = ::recvfrom(fd, buf, len, flags, from, from_len);
    auto* client = static_cast<DnsClient*>(self);
    if (n > 0 && client->udp_fds_.count(fd) != 0) {
      const int saved = errno;
      client->saw_received({static_cast<const uint8_t*>(buf), static_cast<std::size_t>(n)});
      errno = saved;
    }
    return n;
  }
  static ares_ssize_t send_v(ares_socket_t fd, const iovec* iov, int iovcnt, void* self) {
    const ssize_t n = ::writev(fd, iov, iovcnt);
    auto* client = static_cast<DnsClient*>(self);
    if (n > 0 && client->udp_fds_.count(fd) != 0) {
      const int saved = errno;
      std::vector<uint8_t> query;
      for (int i = 0; i < iovcnt; ++i) {
        const auto* p = static_cast<const uint8_t*>(iov[i].iov_base);
        query.insert(query.end(), p, p + iov[i].iov_len);
      }
      client->saw_sent(query);
      errno = saved;
    }
    return n;
  }
};

void DnsClient::install_socket_functions() {
  static const ares_socket_functions functions = {&Hooks::open, &Hooks::close_fd, &Hooks::connect_fd, &Hooks::recv_from,
                                                  &Hooks::send_v};
  ares_set_socket_functions(channel_, &functions, this);
}

void DnsClient::saw_sent(std::span<const uint8_t> query) {
  const auto msg = parse_dns_message(query);
  if (!msg) return;
  if (sent_.size() >= 4096) sent_.erase(sent_.begin());  // bounded; the oldest ids matter least
  sent_[msg->id] = {msg->question_name, msg->question_type};
}

void DnsClient::saw_received(std::span<const uint8_t> datagram) {
  const auto key = stray_datagram(datagram, sent_);
  if (!key) return;
  for (Pending* p : pending_) {
    if (key->first.empty() || (p->name == key->first && p->type == key->second)) ++p->strays;
  }
}

DnsClient::DnsClient(EventLoop& loop, const std::optional<std::string>& resolver, Duration timeout) : loop_(loop) {
  ares_options opts{};
  int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB | ARES_OPT_FLAGS;
  // c-ares doubles the timeout on each try: 1 + 2 + 4 = 7 slices fit the step's budget, and the
  // retries ride out packet loss. FLAG_NOCHECKRESP hands SERVFAIL/REFUSED replies to us as they are.
  opts.tries = 3;
  opts.timeout = static_cast<int>(std::max<int64_t>(timeout.count() / 7, 50));
  opts.flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_NOSEARCH;
  opts.sock_state_cb = &DnsClient::on_socket_state;
  opts.sock_state_cb_data = this;
  if (const int rc = ares_init_options(&channel_, &opts, mask); rc != ARES_SUCCESS) {
    throw std::invalid_argument(std::string("cannot initialise the DNS resolver: ") + ares_strerror(rc));
  }
  install_socket_functions();
  // The destructor does not run for a constructor that throws: the channel is released here instead.
  const auto refuse = [this](const std::string& why) {
    ares_destroy(channel_);
    throw std::invalid_argument(why);
  };
  if (resolver) {
    const auto addr = parse_resolver_address(*resolver);
    if (!addr) refuse("--resolver: '" + *resolver + "' is not IP, IP:PORT or [IPv6]:PORT");
    const std::string csv = host_port(addr->ip, addr->port);
    if (ares_set_servers_ports_csv(channel_, csv.c_str()) != ARES_SUCCESS) {
      refuse("--resolver: c-ares rejected '" + *resolver + "'");
    }
    resolver_ = *addr;
  } else {
    ares_addr_port_node* servers = nullptr;
    if (ares_get_servers_ports(channel_, &servers) == ARES_SUCCESS && servers != nullptr) {
      char buf[INET6_ADDRSTRLEN] = {};
      inet_ntop(servers->family, &servers->addr, buf, sizeof buf);
      resolver_.ip = buf;
      resolver_.port = static_cast<uint16_t>(servers->udp_port != 0 ? servers->udp_port : 53);
    }
    ares_free_data(servers);
  }
}

DnsClient::~DnsClient() {
  if (timeout_timer_) loop_.cancel_timer(*timeout_timer_);
  ares_destroy(channel_);  // runs pending callbacks with ARES_EDESTRUCTION
}

void DnsClient::query(const std::string& name, uint16_t type, std::function<void(DnsQueryResult)> cb) {
  auto* pending = new Pending{this, canonical_dns_name(name), type, std::move(cb)};
  pending_.insert(pending);
  ares_query(channel_, name.c_str(), 1 /* C_IN */, type, &Hooks::on_reply, pending);
  reschedule_timeout();
}

void DnsClient::on_socket_state(void* self_ptr, ares_socket_t fd, int readable, int writable) {
  auto* self = static_cast<DnsClient*>(self_ptr);
  if (!readable && !writable) {
    self->loop_.unwatch(fd);
    return;
  }
  const short events = static_cast<short>((readable ? POLLIN : 0) | (writable ? POLLOUT : 0));
  self->loop_.watch(fd, events, [self, fd](short revents) {
    const bool in = (revents & (POLLIN | POLLERR | POLLHUP)) != 0;
    const bool out = (revents & POLLOUT) != 0;
    ares_process_fd(self->channel_, in ? fd : ARES_SOCKET_BAD, out ? fd : ARES_SOCKET_BAD);
    self->reschedule_timeout();
  });
}

void DnsClient::reschedule_timeout() {
  if (timeout_timer_) loop_.cancel_timer(*timeout_timer_);
  timeout_timer_.reset();
  timeval tv{};
  if (ares_timeout(channel_, nullptr, &tv) == nullptr) return;  // nothing pending
  const Duration after{tv.tv_sec * 1000 + tv.tv_usec / 1000};
  timeout_timer_ = loop_.add_timer(after, [this] {
    timeout_timer_.reset();
    ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
    reschedule_timeout();
  });
}

}  // namespace rp
