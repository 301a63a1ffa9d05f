// Keeps the probe's own addresses out of everything it writes, wherever a server or resolver echoed them.
#pragma once

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

  // Adds an address to scrub (an IP literal; anything else, and loopback, is ignored).
  void add(const std::string& address);
  const std::set<std::string>& addresses() const { return addresses_; }

  // Replaces every occurrence of an own address in text (as a whole address: 192.0.2.1 inside
  // 192.0.2.10 is left alone). Returns false if one is still there afterwards, in which case the text
  // must not be written.
  bool scrub(std::string& text) const;

 private:
  std::set<std::string> addresses_;
};

// Addresses a server says it saw us connect from, in headers that echo the client (X-Forwarded-For,
// X-Client-IP, X-Real-IP, CF-Connecting-IP, True-Client-IP, Forwarded: for=...), minus any in `peers`
// (addresses the probe itself talked to: a hostile server must not get evidence about itself scrubbed).
std::vector<std::string> echoed_client_addresses(const std::vector<std::pair<std::string, std::string>>& headers,
                                                 const std::set<std::string>& peers);

}  // namespace rp
