// Fuzzes the parsers of ad-hoc inputs and names: --url, --endpoint (input_spec) and catalogue/names.h.
#include <cstdint>
#include <string>
#include <string_view>

#include "catalogue/names.h"
#include "experiments/reachability/input_spec.h"
#include "fuzz_check.h"
#include "net/ip_address.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string error;

  // --endpoint: what is accepted has a canonical ref, and that ref parses back to the same endpoint.
  if (const auto e = rp::parse_endpoint(text, error)) {
    FUZZ_CHECK(e->port != 0);
    FUZZ_CHECK(rp::is_ip_literal(e->host) || rp::is_valid_hostname(e->host));
    const std::string ref = rp::endpoint_ref(*e);
    std::string again_error;
    const auto again = rp::parse_endpoint(ref, again_error);
    FUZZ_CHECK(again);
    FUZZ_CHECK(again->host == e->host && again->port == e->port && again->transport == e->transport);
    FUZZ_CHECK(rp::endpoint_ref(*again) == ref);
    // An IDN is measured by its A-label; the Unicode spelling the record keeps names the same endpoint.
    if (e->unicode_host) {
      const auto typed = rp::parse_endpoint(rp::endpoint_input(*e), again_error);
      FUZZ_CHECK(typed && typed->host == e->host && typed->unicode_host == e->unicode_host);
    }
  } else {
    FUZZ_CHECK(!error.empty());
  }

  // --url: libcurl's parser, then our host and port checks.
  error.clear();
  const auto url = rp::parse_url(text, error);
  if (url) {
    FUZZ_CHECK(url->scheme == "http" || url->scheme == "https");
    FUZZ_CHECK(url->port != 0);
    FUZZ_CHECK(rp::is_ip_literal(url->host) || rp::is_valid_hostname(url->host));
    (void)rp::make_socket_address(url->host, url->port);
    (void)rp::is_local_or_private(url->host);
    FUZZ_CHECK(url->host.find('\0') == std::string::npos);
    FUZZ_CHECK(!url->unicode_host || url->typed_url);
  } else {
    FUZZ_CHECK(!error.empty());
  }

  // The catalogue's own URL reader (used by lint and test lists): when it and libcurl both accept a URL,
  // they must agree on the host, or lint would check a different host than the probe fetches.
  if (const auto h = rp::parse_http_url(text)) {
    FUZZ_CHECK(h->scheme == "http" || h->scheme == "https");
    if (url) {
      // IPv6 literals may be spelt differently ("0500:db8::1" vs libcurl's "500:db8::1"): compare addresses.
      const auto ours = rp::parse_ip(h->host), curls = rp::parse_ip(url->host);
      if (ours && curls) {
        FUZZ_CHECK(ours->v4 == curls->v4 && ours->bytes == curls->bytes);
      } else {
        FUZZ_CHECK(rp::ascii_lower(h->host) == url->host);
      }
    }
  }

  // Names and addresses.
  if (rp::is_valid_hostname(text)) {
    FUZZ_CHECK(text.size() <= 253);
    FUZZ_CHECK(!rp::parse_ip(text));
    (void)rp::is_reserved_name(text);
  }
  if (const auto ip = rp::parse_ip(text)) {
    (void)rp::is_special_purpose(*ip);
    // An address is the whole text: a NUL (JSON allows "\u0000") must not hide a tail from inet_pton.
    FUZZ_CHECK(text.find('\0') == std::string::npos);
  }
  (void)rp::is_iso_date(text);
  return 0;
}
