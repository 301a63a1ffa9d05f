// Parsing of ad-hoc inputs (--url, --endpoint) into validated parts, with one-line errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "catalogue/catalogue.h"
#include "catalogue/names.h"  // is_valid_hostname

namespace rp {

// An internationalized name is measured by its A-label (xn--...), the spelling DNS and TLS use, and keeps its
// Unicode form for the record, so a reader sees both the name the user meant and the name that was resolved.
struct UrlParts {
  std::string url;                          // normalised by libcurl's URL parser, an IDN host as its A-label
  std::string scheme;                       // http | https
  std::string host;                         // lower-case name (A-label for an IDN) or IP literal (no brackets)
  uint16_t port = 0;                        // explicit or the scheme's default
  std::optional<std::string> unicode_host;  // an IDN's Unicode form (UTS #46 mapped); nullopt for ASCII names
  std::optional<std::string> typed_url;     // the URL as given, normalised, when its host was not ASCII
};

struct EndpointParts {
  std::string host;  // name (A-label for an IDN) or IP literal (no brackets)
  uint16_t port = 0;
  Transport transport = Transport::tcp;
  std::optional<std::string> unicode_host;  // an IDN's Unicode form; nullopt for ASCII input
};

// Accepts absolute http(s) URLs only, their host ASCII or an IDN (IDNA2008 with UTS #46 mapping).
// On failure returns nullopt and sets error.
std::optional<UrlParts> parse_url(const std::string& text, std::string& error);

// Accepts host:port, host:port/tcp, host:port/tls, [v6]:port/...; default transport tcp; IDN hosts as for URLs.
std::optional<EndpointParts> parse_endpoint(const std::string& text, std::string& error);

// The canonical ref of an endpoint, e.g. "chat.example.com:443/tls" or "[2001:db8::1]:443/tcp".
std::string endpoint_ref(const EndpointParts& e);

// The endpoint as the user named it: its ref, with an IDN host in its Unicode form.
std::string endpoint_input(const EndpointParts& e);

}  // namespace rp
