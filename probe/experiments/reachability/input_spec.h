// Parsing of ad-hoc inputs (--url, --endpoint) into validated parts, with one-line errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "catalogue/catalogue.h"
#include "catalogue/names.h"  // is_valid_hostname

namespace rp {

struct UrlParts {
  std::string url;     // normalised by libcurl's URL parser
  std::string scheme;  // http | https
  std::string host;    // lower-case name or IP literal (no brackets)
  uint16_t port = 0;   // explicit or the scheme's default
};

struct EndpointParts {
  std::string host;  // name or IP literal (no brackets)
  uint16_t port = 0;
  Transport transport = Transport::tcp;
};

// Accepts absolute http(s) URLs only. On failure returns nullopt and sets error.
std::optional<UrlParts> parse_url(const std::string& text, std::string& error);

// Accepts host:port, host:port/tcp, host:port/tls, [v6]:port/...; default transport tcp.
std::optional<EndpointParts> parse_endpoint(const std::string& text, std::string& error);

// The canonical ref of an endpoint, e.g. "chat.example.com:443/tls" or "[2001:db8::1]:443/tcp".
std::string endpoint_ref(const EndpointParts& e);

}  // namespace rp
