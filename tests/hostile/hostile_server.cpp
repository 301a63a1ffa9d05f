// Thread-per-connection on purpose: these servers are test fixtures, simple beats scalable.
#include "hostile_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>

namespace reachprobe::hostile {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kMaxConnectionTime = std::chrono::seconds(20);
constexpr std::size_t kMaxBytes = 64u << 20;

// Sends all of data unless the peer is gone or the server stops; false when the connection is over.
bool send_all(int fd, const std::string& data, const std::atomic<bool>& stop) {
  std::size_t off = 0;
  while (off < data.size() && !stop) {
    const ssize_t n = send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return !stop;
}

// Reads whatever the client sent first (the request), with a short bound.
void read_request(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, 2000) > 0) {
    char buf[4096];
    (void)recv(fd, buf, sizeof buf, 0);
  }
}

}  // namespace

HostileServer::HostileServer(Behaviour behaviour) : behaviour_(behaviour) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listen_fd_, 64) != 0 || getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("hostile server: cannot listen on loopback");
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

HostileServer::~HostileServer() {
  stop_ = true;
  acceptor_.join();
  close(listen_fd_);
  // Connection threads are detached; wait (bounded) until they have all noticed stop_.
  for (int i = 0; i < 400 && active_ > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

void HostileServer::accept_loop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    ++active_;
    std::thread([this, fd] {
      serve(fd);
      close(fd);
      --active_;
    }).detach();
  }
}

void HostileServer::serve(int fd) {
  const auto deadline = Clock::now() + kMaxConnectionTime;
  const auto alive = [&] { return !stop_ && Clock::now() < deadline; };
  std::size_t sent = 0;
  const auto feed = [&](const std::string& chunk) {
    sent += chunk.size();
    return sent < kMaxBytes && alive() && send_all(fd, chunk, stop_);
  };
  switch (behaviour_) {
    case Behaviour::endless_body: {
      read_request(fd);
      if (!feed("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<title>endless</title>")) return;
      const std::string chunk(64 * 1024, 'x');
      while (feed(chunk)) {}
      return;
    }
    case Behaviour::never_answers:
      read_request(fd);
      while (alive()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      return;
    case Behaviour::endless_headers: {
      read_request(fd);
      if (!feed("HTTP/1.1 200 OK\r\n")) return;
      const std::string line = "X-Filler: " + std::string(1000, 'a') + "\r\n";
      while (feed(line)) {}
      return;
    }
    case Behaviour::slow_trickle:
      read_request(fd);
      if (!feed("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")) return;
      while (feed("x")) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      return;
    case Behaviour::garbage: {
      read_request(fd);
      std::string junk(4096, '\0');
      for (std::size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 131 + 7) & 0xff);
      feed(junk);
      return;
    }
    case Behaviour::redirect_loop:
      read_request(fd);
      feed("HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n");
      return;
  }
}

}  // namespace reachprobe::hostile
