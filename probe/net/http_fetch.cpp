// libcurl easy handle setup. Redirects are not followed here: the caller follows them hop by hop so each
// hop is resolved through our resolver and recorded.
#include "net/http_fetch.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include "failures/classify.h"
#include "text/text.h"

namespace rp {
namespace {

// Looks like a browser: some providers answer non-browsers differently, which would read as interference.
constexpr const char* kUserAgent =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";

struct Transfer {
  CURL* easy = nullptr;
  curl_slist* resolve = nullptr;
  HttpFetchRequest req;
  HttpFetchResponse response;
  std::size_t header_bytes = 0;
  bool header_overflow = false;
  bool refused_coding = false;      // a Content-Encoding we did not offer, or too long a chain
  std::size_t content_codings = 0;  // of the current response
  bool saw_status_line = false;
  std::function<void(HttpFetchResult)> cb;

  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (resolve != nullptr) curl_slist_free_all(resolve);
  }
};

// Checks one Content-Encoding header value before libcurl decodes anything: every coding must be one we
// offered, and the chain (over all Content-Encoding lines of the response) must stay short, so decoder
// memory is bounded by us and not by whichever libcurl is installed (before 7.88 the chain was unbounded).
bool accept_content_codings(Transfer& t, std::string_view value) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    const std::string_view token = trim_ascii(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    if (token.empty()) continue;
    if (!is_accepted_content_coding(token)) return false;
    if (!iequals_ascii(token, "identity") && ++t.content_codings > t.req.limits.max_content_codings) return false;
  }
  return true;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t len = size * n;
  t->header_bytes += len;
  if (t->header_bytes > t->req.limits.max_header_bytes) {
    t->header_overflow = true;
    return 0;  // abort the transfer
  }
  const std::string_view line(data, len);
  if (line.rfind("HTTP/", 0) == 0) {  // a new response (e.g. after 100 Continue) starts afresh
    t->response.headers.clear();
    t->content_codings = 0;
    t->saw_status_line = true;
    return len;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return len;  // blank line or junk
  if (t->response.headers.size() >= t->req.limits.max_headers) {
    t->header_overflow = true;
    return 0;
  }
  t->response.headers.emplace_back(std::string(trim_ascii(line.substr(0, colon))),
                                   std::string(trim_ascii(line.substr(colon + 1))));
  const auto& [name, value] = t->response.headers.back();
  if (iequals_ascii(name, "Content-Encoding") && !accept_content_codings(*t, value)) {
    t->refused_coding = true;
    return 0;  // abort before a single body byte is decoded
  }
  return len;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t len = size * n;
  const std::size_t room = t->req.limits.max_body_bytes - t->response.body.size();
  if (len > room) {
    t->response.body.append(data, room);
    t->response.body_truncated = true;
    return 0;  // stop reading: an endless body must not keep us here until the timeout
  }
  t->response.body.append(data, len);
  return len;
}

CURLcode on_ssl_ctx(CURL*, void* ssl_ctx, void* user) {
  static_cast<const TrustStore*>(user)->install_into(static_cast<SSL_CTX*>(ssl_ctx));
  return CURLE_OK;
}

void finish(Transfer& t, CURLcode code) {
  HttpFetchResult r;
  r.over_tls = t.req.url.rfind("https://", 0) == 0;
  long os_errno = 0;
  curl_easy_getinfo(t.easy, CURLINFO_OS_ERRNO, &os_errno);
  char* ip = nullptr;
  if (curl_easy_getinfo(t.easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != nullptr && *ip != '\0') {
    r.server_address = ip;
  }
  curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &t.response.status);

  const bool stopped_at_cap = code == CURLE_WRITE_ERROR && t.response.body_truncated;
  if (t.header_overflow || t.refused_coding) {
    r.failure = Failure::http_invalid_response;
  } else if (code == CURLE_PEER_FAILED_VERIFICATION) {
    long verify = 0;
    curl_easy_getinfo(t.easy, CURLINFO_SSL_VERIFYRESULT, &verify);
    r.failure = verify != 0 ? failure_from_x509(verify) : Failure::ssl_invalid_hostname;
  } else if (!stopped_at_cap) {
    r.failure = failure_from_curl(code, os_errno);
  }
  if (!r.failure || stopped_at_cap) {
    char* location = nullptr;
    if (curl_easy_getinfo(t.easy, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location != nullptr) {
      r.redirect_location = location;
    }
    r.response = std::move(t.response);
  }
  t.cb(std::move(r));
}

}  // namespace

bool is_accepted_content_coding(std::string_view token) {
  for (const char* ok : {"gzip", "x-gzip", "deflate", "br", "identity"}) {
    if (iequals_ascii(token, ok)) return true;
  }
  return false;
}

void http_fetch(EventLoop& loop, HttpFetchRequest req, std::function<void(HttpFetchResult)> cb) {
  auto t = std::make_shared<Transfer>();
  t->req = std::move(req);
  t->cb = std::move(cb);
  t->easy = curl_easy_init();
  CURL* e = t->easy;
  if (e == nullptr) {
    loop.add_timer(Duration{0}, [t] {
      HttpFetchResult r;
      r.failure = Failure::unknown_failure;
      t->cb(std::move(r));
    });
    return;
  }
  if (t->req.address) {
    const std::string addr = t->req.address->find(':') != std::string::npos ? "[" + *t->req.address + "]"
                                                                            : *t->req.address;
    t->resolve = curl_slist_append(nullptr, (t->req.host + ":" + std::to_string(t->req.port) + ":" + addr).c_str());
    curl_easy_setopt(e, CURLOPT_RESOLVE, t->resolve);
  }
  curl_easy_setopt(e, CURLOPT_URL, t->req.url.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_NOPROXY, "*");  // a proxy from the environment would measure the proxy's path
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(t->req.timeout.count()));
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(t->req.timeout.count()));
  curl_easy_setopt(e, CURLOPT_USERAGENT, kUserAgent);
  // Decode as a browser does: a censor's blockpage or a provider's refusal may come compressed. The body
  // cap applies to decoded bytes (on_body sees them), so a gzip bomb ends at the cap like an endless body.
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, kAcceptEncoding);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, &on_ssl_ctx);
  curl_easy_setopt(e, CURLOPT_SSL_CTX_DATA, t->req.trust.get());
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
  loop.add_transfer(e, [t](CURLcode code) { finish(*t, code); });
}

}  // namespace rp
