// URL parsing is libcurl's (the same parser that later fetches the URL); endpoints are simple enough to parse here.
#include "experiments/reachability/input_spec.h"

#include <curl/curl.h>
#include <idn2.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "net/ip_address.h"
#include "text/text.h"

namespace rp {
namespace {

std::optional<uint16_t> parse_port(const std::string& s) {
  if (s.empty() || s.size() > 5 || !std::all_of(s.begin(), s.end(), ::isdigit)) return std::nullopt;
  const int p = std::stoi(s);
  if (p < 1 || p > 65535) return std::nullopt;
  return static_cast<uint16_t>(p);
}

struct UrlHandle {
  CURLU* h = curl_url();
  ~UrlHandle() { curl_url_cleanup(h); }
  std::optional<std::string> get(CURLUPart part, unsigned flags = 0) const {
    char* out = nullptr;
    if (curl_url_get(h, part, &out, flags) != CURLUE_OK || out == nullptr) return std::nullopt;
    std::string s(out);
    curl_free(out);
    return s;
  }
};

bool is_ascii(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// A host in both spellings: the A-label the probe resolves, and the Unicode form for the record.
struct IdnHost {
  std::string a_label;
  std::string unicode;
};

// UTS #46 non-transitional mapping (what browsers do: case folded, "ß" kept), then IDNA2008's rules.
// ASCII names are left to is_valid_hostname, as before IDN support, so their handling does not change.
std::optional<IdnHost> to_idn_host(const std::string& host, std::string& why) {
  // libidn2 reads C strings: a NUL would cut the name short and a different host would be measured.
  if (host.find('\0') != std::string::npos) {
    why = "it contains a NUL byte";
    return std::nullopt;
  }
  uint8_t* a_label = nullptr;
  const int rc = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(host.c_str()), &a_label,
                                IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  if (rc != IDN2_OK || a_label == nullptr) {
    why = idn2_strerror(rc);
    return std::nullopt;
  }
  IdnHost out{reinterpret_cast<char*>(a_label), ""};
  idn2_free(a_label);
  char* unicode = nullptr;
  if (idn2_to_unicode_8z8z(out.a_label.c_str(), &unicode, 0) != IDN2_OK || unicode == nullptr) {
    why = "its A-label does not convert back";
    return std::nullopt;
  }
  out.unicode = unicode;
  idn2_free(unicode);
  if (!is_valid_hostname(out.a_label)) {
    why = "its A-label '" + out.a_label + "' is not a valid host name";
    return std::nullopt;
  }
  return out;
}

// What the record keeps beside the A-label: nothing when the mapping left plain ASCII (a full-width
// "ｅxample.com" is just example.com), so a unicode_host always names a different spelling.
// to_idn_host for a host taken from the input `text`; on refusal, error names both.
std::optional<IdnHost> idn_host_of_input(const std::string& text, const std::string& host, std::string& error) {
  std::string why;
  auto idn = to_idn_host(host, why);
  if (!idn) error = "'" + text + "': '" + host + "' is not a valid internationalized host name (" + why + ")";
  return idn;
}

std::optional<std::string> unicode_form(const IdnHost& idn) {
  if (idn.unicode == idn.a_label) return std::nullopt;
  return idn.unicode;
}

}  // namespace

std::optional<UrlParts> parse_url(const std::string& text, std::string& error) {
  if (text.size() > 2048) {
    error = "URL longer than 2048 characters";
    return std::nullopt;
  }
  UrlHandle u;
  if (curl_url_set(u.h, CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    error = "'" + text + "' is not an absolute URL";
    return std::nullopt;
  }
  UrlParts out;
  out.scheme = ascii_lower(u.get(CURLUPART_SCHEME).value_or(""));
  if (out.scheme != "http" && out.scheme != "https") {
    error = "'" + text + "': only http:// and https:// URLs can be measured";
    return std::nullopt;
  }
  std::string host = ascii_lower(u.get(CURLUPART_HOST).value_or(""));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (!is_ascii(host)) {
    const auto idn = idn_host_of_input(text, host, error);
    if (!idn) return std::nullopt;
    out.typed_url = u.get(CURLUPART_URL).value_or(text);
    if (curl_url_set(u.h, CURLUPART_HOST, idn->a_label.c_str(), 0) != CURLUE_OK) {
      error = "'" + text + "': '" + host + "' is not a valid host name";
      return std::nullopt;
    }
    host = idn->a_label;
    out.unicode_host = unicode_form(*idn);
  }
  if (!is_ip_literal(host) && !is_valid_hostname(host)) {
    error = "'" + text + "': '" + host + "' is not a valid host name";
    return std::nullopt;
  }
  out.host = host;
  const auto port = parse_port(u.get(CURLUPART_PORT, CURLU_DEFAULT_PORT).value_or(""));
  if (!port) {
    error = "'" + text + "': invalid port";
    return std::nullopt;
  }
  out.port = *port;
  out.url = u.get(CURLUPART_URL).value_or(text);
  return out;
}

std::optional<EndpointParts> parse_endpoint(const std::string& text, std::string& error) {
  EndpointParts out;
  std::string rest = text;
  if (const auto slash = rest.rfind('/'); slash != std::string::npos) {
    const std::string t = ascii_lower(rest.substr(slash + 1));
    if (t == "tls") {
      out.transport = Transport::tls;
    } else if (t != "tcp") {
      error = "'" + text + "': transport must be /tcp or /tls";
      return std::nullopt;
    }
    rest = rest.substr(0, slash);
  }
  std::string host, port;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find("]:");
    if (close == std::string::npos) {
      error = "'" + text + "': expected [IPv6]:PORT";
      return std::nullopt;
    }
    host = rest.substr(1, close - 1);
    port = rest.substr(close + 2);
  } else {
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos || rest.find(':') != colon) {
      error = "'" + text + "': expected HOST:PORT (IPv6 in brackets)";
      return std::nullopt;
    }
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  host = ascii_lower(host);
  if (!is_ascii(host)) {
    const auto idn = idn_host_of_input(text, host, error);
    if (!idn) return std::nullopt;
    host = idn->a_label;
    out.unicode_host = unicode_form(*idn);
  }
  if (!is_ip_literal(host) && !is_valid_hostname(host)) {
    error = "'" + text + "': '" + host + "' is not a valid host name or IP address";
    return std::nullopt;
  }
  const auto p = parse_port(port);
  if (!p) {
    error = "'" + text + "': port must be 1..65535";
    return std::nullopt;
  }
  out.host = host;
  out.port = *p;
  return out;
}

std::string endpoint_ref(const EndpointParts& e) {
  return host_port(e.host, e.port) + (e.transport == Transport::tls ? "/tls" : "/tcp");
}

std::string endpoint_input(const EndpointParts& e) {
  if (!e.unicode_host) return endpoint_ref(e);
  EndpointParts as_typed = e;
  as_typed.host = *e.unicode_host;
  return endpoint_ref(as_typed);
}

}  // namespace rp
