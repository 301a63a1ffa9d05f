// Thread-per-connection on purpose: these servers are test fixtures, simple beats scalable.
#include "hostile_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <zlib.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

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
std::string receive_request(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, 2000) > 0) {
    char buf[4096];
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n > 0) return std::string(buf, static_cast<std::size_t>(n));
  }
  return "";
}

// One gzip layer (zlib, best compression), fed in pieces.
class GzipLayer {
 public:
  GzipLayer() {
    if (deflateInit2(&z_, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::runtime_error("hostile server: deflateInit2 failed");
    }
  }
  ~GzipLayer() { deflateEnd(&z_); }
  GzipLayer(const GzipLayer&) = delete;
  GzipLayer& operator=(const GzipLayer&) = delete;

  // Compresses input; Z_SYNC_FLUSH hands out everything so far, so the client sees data promptly.
  std::string compress(const std::string& input, int flush) {
    std::string out;
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    z_.avail_in = static_cast<uInt>(input.size());
    char buf[16384];
    do {
      z_.next_out = reinterpret_cast<Bytef*>(buf);
      z_.avail_out = sizeof buf;
      deflate(&z_, flush);
      out.append(buf, sizeof buf - z_.avail_out);
    } while (z_.avail_out == 0);
    return out;
  }

 private:
  z_stream z_{};
};

// A page that decodes to a title and then 4 GiB of zeros, gzip'd `layers` times over, handed out 1 MiB
// (decoded) at a time to `send` until it returns false.
template <typename Send>
void send_gzip_bomb(int layers, Send&& send) {
  constexpr std::size_t kDecodedTotal = std::size_t{4} << 30;
  std::vector<std::unique_ptr<GzipLayer>> stack;
  for (int i = 0; i < layers; ++i) stack.push_back(std::make_unique<GzipLayer>());
  const auto through = [&](std::string data, int flush) {
    for (auto& layer : stack) data = layer->compress(data, flush);
    return data;
  };
  const std::string zeros(1 << 20, '\0');
  if (!send(through("<html><head><title>gzip bomb</title></head><body>", Z_NO_FLUSH))) return;
  for (std::size_t decoded = 0; decoded < kDecodedTotal; decoded += zeros.size()) {
    if (!send(through(zeros, Z_SYNC_FLUSH))) return;
  }
  send(through("", Z_FINISH));
}

// A zstd frame (RFC 8878) whose header claims a 2^27-byte window (the most a default decoder accepts),
// without a content size, then RLE blocks of 128 KiB of zeros. Built by hand: 16 bytes say 512 KiB.
std::string zstd_window_frame_start() {
  std::string f = {'\x28',
                   '\xb5',
                   '\x2f',
                   '\xfd',                              // magic number
                   '\x00',                              // frame header descriptor: no content size, no checksum
                   static_cast<char>((27 - 10) << 3)};  // window descriptor: exponent 17, mantissa 0
  return f;
}
std::string zstd_rle_zero_blocks(int count) {
  constexpr uint32_t kHeader = (1u << 1) | ((128u << 10) << 3);  // not last, type RLE, 128 KiB
  std::string out;
  for (int i = 0; i < count; ++i) {
    out += {static_cast<char>(kHeader & 0xff), static_cast<char>((kHeader >> 8) & 0xff),
            static_cast<char>((kHeader >> 16) & 0xff), '\0'};
  }
  return out;
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

std::string HostileServer::last_request() const {
  std::lock_guard<std::mutex> lock(request_mutex_);
  return last_request_;
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
  const auto read_request = [&](int client) {
    std::string request = receive_request(client);
    // The probe's bare TCP connect (no bytes, then close) may finish after its HTTP request: keep the request.
    if (request.empty()) return;
    std::lock_guard<std::mutex> lock(request_mutex_);
    last_request_ = std::move(request);
  };
  switch (behaviour_) {
    case Behaviour::endless_body: {
      read_request(fd);
      if (!feed("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<title>endless</title>")) return;
      const std::string chunk(64 * 1024, 'x');
      while (feed(chunk)) {
      }
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
      while (feed(line)) {
      }
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
    case Behaviour::gzip_bomb:
    case Behaviour::double_gzip_bomb:
    case Behaviour::long_coding_chain: {
      const int layers = behaviour_ == Behaviour::gzip_bomb ? 1 : behaviour_ == Behaviour::double_gzip_bomb ? 2 : 4;
      std::string coding = "gzip";
      for (int i = 1; i < layers; ++i) coding += ", gzip";
      read_request(fd);
      if (!feed("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: " + coding + "\r\n\r\n")) return;
      send_gzip_bomb(layers, feed);  // no Content-Length: the body ends when the connection does
      return;
    }
    case Behaviour::zstd_window_bomb:
      read_request(fd);
      if (!feed("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: zstd\r\n\r\n" +
                zstd_window_frame_start())) {
        return;
      }
      while (feed(zstd_rle_zero_blocks(256))) {
      }
      return;
  }
}

}  // namespace reachprobe::hostile
