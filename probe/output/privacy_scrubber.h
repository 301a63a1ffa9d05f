// Keeps the probe's own addresses out of everything it writes, wherever a server or resolver echoed them.
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace rp {

class PrivacyScrubber {
 public:
  // The text every own address is replaced with.
  static constexpr const char* kMark = "[scrubbed]";

  // Every non-loopback address of this machine's interfaces (in the current network namespace).
  static PrivacyScrubber from_interfaces();

  // Adds an address to scrub (an IP literal in any spelling; anything else, loopback and the
  // unspecified address are ignored). Returns true if it was new.
  bool add(const std::string& address);
  // Canonical spellings (inet_ntop) of every address added.
  const std::set<std::string>& addresses() const { return canonical_; }
  // True if `address`, in any spelling, is one of ours.
  bool knows(const std::string& address) const;

  // Replaces every occurrence of an own address in text, in every spelling it rewrites: any IPv6
  // spelling (case, zero compression, embedded IPv4), IPv4 with leading zeros or a port, IPv4 with
  // dashes (ip-192-0-2-1.isp.example) and its in-addr.arpa name. A whole address only: 192.0.2.1 inside
  // 192.0.2.10 is left alone. Returns false if an own address is still recognisable afterwards (in a
  // spelling it does not rewrite, such as percent-encoding), in which case the text must not be written.
  bool scrub(std::string& text) const;

 private:
  using Key = std::array<uint8_t, 16>;  // IPv6, or IPv4 as ::ffff:a.b.c.d
  bool is_own(const Key& key) const { return keys_.count(key) != 0; }
  std::vector<std::string> spellings() const;

  std::set<Key> keys_;
  std::set<std::string> canonical_;
};

// Addresses a server says it saw us connect from, in headers that echo the client (X-Forwarded-For,
// X-Client-IP, X-Real-IP, CF-Connecting-IP, True-Client-IP, Forwarded: for=...; the first element of a
// list, which names the client, not the proxies after it), minus any in `peers`
// (addresses the probe itself talked to: a hostile server must not get evidence about itself scrubbed).
std::vector<std::string> echoed_client_addresses(const std::vector<std::pair<std::string, std::string>>& headers,
                                                 const std::set<std::string>& peers);

}  // namespace rp
