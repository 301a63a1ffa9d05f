// Asynchronous, time-bounded TCP connect.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "failures/failure.h"
#include "net/event_loop.h"

namespace rp {

struct TcpConnectResult {
  int fd = -1;  // connected, non-blocking socket owned by the caller; -1 on failure
  MaybeFailure failure;
};

// Connects to ip:port within timeout; cb runs once, from the loop (never from inside this call).
void tcp_connect(EventLoop& loop, const std::string& ip, uint16_t port, Duration timeout,
                 std::function<void(TcpConnectResult)> cb);

}  // namespace rp
