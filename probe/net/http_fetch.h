// One HTTP(S) GET through libcurl, pinned to an address we resolved ourselves, with bounded reads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "failures/failure.h"
#include "net/event_loop.h"
#include "net/trust_store.h"

namespace rp {

struct HttpFetchLimits {
  std::size_t max_body_bytes = 1 << 20;     // of the decoded body; the rest of a longer body is not read
  std::size_t max_header_bytes = 64 << 10;  // a longer header block is an invalid response
  std::size_t max_headers = 200;
  std::size_t max_content_codings = 3;  // a longer Content-Encoding chain is an invalid response
};

// What the probe asks for, as a browser would (Safari sends this list; Chrome adds zstd). A body in one of
// these codings is decoded by libcurl before it reaches the body cap, so the cap, the hash, the title and
// the prefix are all of the decoded page, which is what blockpage fingerprints match. Each coding's decoder state is bounded
// (gzip/deflate: a 32 KiB window; brotli: at most 16 MiB) whatever the peer claims.
inline constexpr const char* kAcceptEncoding = "gzip, deflate, br";

// True for a Content-Encoding token the probe decodes ("gzip", "x-gzip", "deflate", "br", "identity",
// any case). Anything else (zstd, which this libcurl would decode with a window of the peer's choosing,
// up to 128 MiB; an unknown coding) was not offered, so the response is refused as invalid.
bool is_accepted_content_coding(std::string_view token);

struct HttpFetchRequest {
  std::string url;
  std::string host;  // URL host, for pinning
  uint16_t port = 0;
  std::optional<std::string> address;  // the IP to use for host; nullopt when host is an IP literal
  std::shared_ptr<TrustStore> trust;
  Duration timeout{10000};
  HttpFetchLimits limits;
};

struct HttpFetchResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;             // decoded, at most limits.max_body_bytes
  bool body_truncated = false;  // the decoded body was longer than the cap
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
