// One HTTP(S) GET through libcurl, pinned to an address we resolved ourselves, with bounded reads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "failures/failure.h"
#include "net/event_loop.h"
#include "net/trust_store.h"

namespace rp {

struct HttpFetchLimits {
  std::size_t max_body_bytes = 1 << 20;     // the rest of a longer body is not read
  std::size_t max_header_bytes = 64 << 10;  // a longer header block is an invalid response
  std::size_t max_headers = 200;
};

struct HttpFetchRequest {
  std::string url;
  std::string host;            // URL host, for pinning
  uint16_t port = 0;
  std::optional<std::string> address;  // the IP to use for host; nullopt when host is an IP literal
  std::shared_ptr<TrustStore> trust;
  Duration timeout{10000};
  HttpFetchLimits limits;
};

struct HttpFetchResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // at most limits.max_body_bytes
  bool body_truncated = false;
};

struct HttpFetchResult {
  MaybeFailure failure;
  std::optional<HttpFetchResponse> response;
  std::optional<std::string> redirect_location;  // absolute URL from Location, if any
  std::optional<std::string> server_address;     // the peer's IP, when a connection was made
  bool over_tls = false;
};

void http_fetch(EventLoop& loop, HttpFetchRequest req, std::function<void(HttpFetchResult)> cb);

}  // namespace rp
