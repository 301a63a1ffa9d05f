// Sources, checked 2026-11-29: OpenDNS's myip.opendns.com (answered with the asker's address by
// resolver1-4.opendns.com), Akamai's whoami.akamai.net/.com (the resolver's egress address; Akamai blog
// "Introducing New WhoAmI Tool", 2018), and the widely used plain-text IP echo sites. A name listed here
// only widens what is scrubbed; it never changes what is measured.
#include "output/whoami_services.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "dns/dns_message.h"

namespace rp {
namespace {

bool is_or_under(const std::string& name, std::string_view domain) {
  if (name == domain) return true;
  return name.size() > domain.size() && name.compare(name.size() - domain.size(), domain.size(), domain) == 0 &&
         name[name.size() - domain.size() - 1] == '.';
}

}  // namespace

bool is_dns_whoami_name(const std::string& name) {
  static constexpr std::array<std::string_view, 4> kNames = {"myip.opendns.com", "whoami.akamai.net",
                                                             "whoami.akamai.com", "whoami.ds.akahelp.net"};
  const std::string n = canonical_dns_name(name);
  return std::find(kNames.begin(), kNames.end(), n) != kNames.end();
}

bool is_http_whoami_host(const std::string& host) {
  static constexpr std::array<std::string_view, 12> kHosts = {"ipify.org",          "icanhazip.com",
                                                              "ifconfig.me",        "ifconfig.co",
                                                              "ipinfo.io",          "ident.me",
                                                              "ipecho.net",         "myip.com",
                                                              "wtfismyip.com",      "checkip.amazonaws.com",
                                                              "checkip.dyndns.org", "myexternalip.com"};
  const std::string h = canonical_dns_name(host);
  return std::any_of(kHosts.begin(), kHosts.end(), [&](std::string_view d) { return is_or_under(h, d); });
}

}  // namespace rp
