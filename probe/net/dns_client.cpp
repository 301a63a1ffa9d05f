// c-ares glue: socket-state callbacks become loop watches, ares_timeout() becomes a loop timer, and each
// reply's raw bytes go through our own parser so TTLs, CNAMEs and rcodes are recorded exactly.
#include "net/dns_client.h"

#include <arpa/inet.h>

#include <algorithm>
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

namespace {

struct PendingQuery {
  uint16_t type;
  std::function<void(DnsQueryResult)> cb;
};

void on_reply(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
  std::unique_ptr<PendingQuery> pending(static_cast<PendingQuery*>(arg));
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
  } else {
    result.failure = failure_from_ares(status);
    if (!result.failure) result.failure = Failure::dns_server_misbehaving;  // success without bytes
  }
  pending->cb(std::move(result));
}

}  // namespace

DnsClient::DnsClient(EventLoop& loop, const std::optional<std::string>& resolver, Duration timeout)
    : loop_(loop) {
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
  if (resolver) {
    const auto addr = parse_resolver_address(*resolver);
    if (!addr) throw std::invalid_argument("--resolver: '" + *resolver + "' is not IP, IP:PORT or [IPv6]:PORT");
    const std::string csv = host_port(addr->ip, addr->port);
    if (ares_set_servers_ports_csv(channel_, csv.c_str()) != ARES_SUCCESS) {
      throw std::invalid_argument("--resolver: c-ares rejected '" + *resolver + "'");
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
  ares_query(channel_, name.c_str(), 1 /* C_IN */, type, &on_reply, new PendingQuery{type, std::move(cb)});
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
