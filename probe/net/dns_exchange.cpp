// A connected UDP socket: the kernel drops datagrams from other addresses and reports ICMP errors to us,
// which is what tells "nobody answers DNS there" (refused) apart from "somebody answered for it".
#include "net/dns_exchange.h"

#include <openssl/rand.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <memory>

#include "dns/dns_query.h"
#include "failures/classify.h"
#include "net/ip_address.h"

namespace rp {
namespace {

struct ExchangeState {
  EventLoop& loop;
  int fd = -1;
  uint16_t id = 0;
  std::string name;  // as the parser reports question names: lower-case, no trailing dot
  uint16_t type = 0;
  Clock::time_point sent{};
  Duration linger{};
  EventLoop::TimerId timer = 0;
  DnsExchangeResult result;
  std::function<void(DnsExchangeResult)> cb;
  bool done = false;

  void finish(MaybeFailure failure) {
    if (done) return;
    done = true;
    loop.unwatch(fd);
    loop.cancel_timer(timer);
    close(fd);
    result.failure = exchange_failure(!result.replies.empty(), result.malformed, failure);
    cb(std::move(result));
  }
};

void on_readable(const std::shared_ptr<ExchangeState>& s) {
  std::array<uint8_t, kMaxUdpReplyBytes + 1> buf{};
  // Bounded: drain what is queued now, at most 64 datagrams per wake-up. MSG_TRUNC: n is the datagram's
  // real length even when it did not fit.
  for (int i = 0; i < 64 && !s->done; ++i) {
    const ssize_t n = recv(s->fd, buf.data(), buf.size(), MSG_DONTWAIT | MSG_TRUNC);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
      return s->finish(failure_from_errno(errno));
    }
    const auto length = static_cast<std::size_t>(n);
    auto msg = exchange_reply({buf.data(), std::min(length, buf.size())}, length, s->id, s->name, s->type);
    if (!msg) {
      ++s->result.malformed;
      continue;
    }
    const double after = std::chrono::duration<double>(Clock::now() - s->sent).count();
    const bool first = s->result.replies.empty();
    s->result.replies.push_back({after, std::move(*msg)});
    if (s->result.replies.size() >= kMaxExchangeReplies) return s->finish(std::nullopt);
    if (first) {
      s->loop.cancel_timer(s->timer);
      auto weak = std::weak_ptr<ExchangeState>(s);
      s->timer = s->loop.add_timer(s->linger, [weak] {
        if (auto locked = weak.lock()) locked->finish(std::nullopt);
      });
    }
  }
}

}  // namespace

std::optional<DnsMessage> exchange_reply(std::span<const uint8_t> bytes, std::size_t length, uint16_t id,
                                         const std::string& name, uint16_t type) {
  if (length > kMaxUdpReplyBytes || length != bytes.size()) return std::nullopt;
  auto msg = parse_dns_message(bytes);
  if (!msg || !msg->is_response || msg->id != id) return std::nullopt;
  if (msg->question_name != canonical_dns_name(name) || msg->question_type != type) return std::nullopt;
  return msg;
}

MaybeFailure exchange_failure(bool any_reply, int malformed, MaybeFailure ended_by) {
  if (any_reply) return std::nullopt;
  if (ended_by == Failure::generic_timeout_error && malformed > 0) return Failure::dns_server_misbehaving;
  return ended_by;
}

void dns_exchange(EventLoop& loop, const std::string& server, uint16_t port, const std::string& name, uint16_t type,
                  Duration timeout, Duration linger, std::function<void(DnsExchangeResult)> cb,
                  const std::function<void(int fd)>& on_socket) {
  auto fail_later = [&loop](std::function<void(DnsExchangeResult)> done, Failure f) {
    loop.add_timer(Duration{0}, [done = std::move(done), f] {
      DnsExchangeResult r;
      r.failure = f;
      done(std::move(r));
    });
  };
  uint16_t id = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&id), sizeof id);
  const auto query = build_dns_query(id, name, type);
  const auto addr = make_socket_address(server, port);
  if (!query || !addr) return fail_later(std::move(cb), Failure::address_invalid);
  const int fd = socket(addr->family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail_later(std::move(cb), failure_from_errno(errno));
  if (connect(fd, reinterpret_cast<const sockaddr*>(&addr->storage), addr->length) != 0 ||
      send(fd, query->data(), query->size(), 0) < 0) {
    const Failure f = failure_from_errno(errno);
    close(fd);
    return fail_later(std::move(cb), f);
  }
  if (on_socket) on_socket(fd);
  auto s = std::make_shared<ExchangeState>(
      ExchangeState{loop, fd, id, canonical_dns_name(name), type, Clock::now(), linger, 0, {}, std::move(cb)});
  s->timer = loop.add_timer(timeout, [s] { s->finish(Failure::generic_timeout_error); });
  loop.watch(fd, POLLIN, [s](short) { on_readable(s); });
}

}  // namespace rp
