// Non-blocking connect + loop watch + loop timer; the first of "writable" and "timer" settles the step.
#include "net/tcp_connect.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "failures/classify.h"
#include "net/ip_address.h"

namespace rp {
namespace {

struct ConnectState {
  EventLoop& loop;
  int fd = -1;
  EventLoop::TimerId timer = 0;
  std::function<void(TcpConnectResult)> cb;
  bool done = false;

  void finish(MaybeFailure failure) {
    if (done) return;
    done = true;
    loop.unwatch(fd);
    loop.cancel_timer(timer);
    TcpConnectResult r;
    r.failure = failure;
    if (failure) {
      close(fd);
    } else {
      r.fd = fd;
    }
    cb(r);
  }
};

}  // namespace

void tcp_connect(EventLoop& loop, const std::string& ip, uint16_t port, Duration timeout,
                 std::function<void(TcpConnectResult)> cb, const OnSocket& on_socket) {
  const auto addr = make_socket_address(ip, port);
  auto settle_later = [&loop, &cb](MaybeFailure f) {
    loop.add_timer(Duration{0}, [cb = std::move(cb), f] { cb(TcpConnectResult{-1, f}); });
  };
  if (!addr) return settle_later(Failure::address_invalid);
  const int fd = socket(addr->family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return settle_later(failure_from_errno(errno));

  auto state = std::make_shared<ConnectState>(ConnectState{loop, fd, 0, std::move(cb)});
  const bool connected = connect(fd, reinterpret_cast<const sockaddr*>(&addr->storage), addr->length) == 0;
  const int connect_errno = errno;
  if (on_socket && (connected || connect_errno == EINPROGRESS)) on_socket(fd);
  errno = connect_errno;
  if (connected) {
    state->timer = loop.add_timer(Duration{0}, [state] { state->finish(std::nullopt); });
    return;
  }
  if (errno != EINPROGRESS) {
    const Failure f = failure_from_errno(errno);
    state->timer = loop.add_timer(Duration{0}, [state, f] { state->finish(f); });
    return;
  }
  state->timer = loop.add_timer(timeout, [state] { state->finish(Failure::generic_timeout_error); });
  loop.watch(fd, POLLOUT, [state](short) {
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(state->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err == 0) {
      state->finish(std::nullopt);
    } else {
      state->finish(failure_from_errno(err));
    }
  });
}

}  // namespace rp
