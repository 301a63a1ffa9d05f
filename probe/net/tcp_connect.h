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

// Called with the socket as soon as its SYN is on the way (e.g. to start capturing its flow).
using OnSocket = std::function<void(int fd)>;

// Connects to ip:port within timeout; cb runs once, from the loop (never from inside this call).
void tcp_connect(EventLoop& loop, const std::string& ip, uint16_t port, Duration timeout,
                 std::function<void(TcpConnectResult)> cb, const OnSocket& on_socket = nullptr);

}  // namespace rp
