// The messages name the flag first, so a volunteer sees at once which one to fix.
#include "cli/checked_run_options.h"

#include <algorithm>
#include <regex>

#include "net/dns_client.h"
#include "net/ip_address.h"

namespace rp {
namespace {

// The first option that cannot be used as given, "" when there is none.
std::string first_rejection(const RunOptions& o) {
  if (!std::regex_match(o.probe_cc, std::regex("[A-Z]{2}"))) {
    return "--probe-cc: '" + o.probe_cc + "' is not a two-letter country code (e.g. IR, or ZZ)";
  }
  if (!std::regex_match(o.probe_asn, std::regex("AS[0-9]{1,10}"))) {
    return "--probe-asn: '" + o.probe_asn + "' is not like AS12345";
  }
  if (o.vantage.size() > 128) return "--vantage: longer than 128 characters";
  for (const auto& a : o.scrub_addresses) {
    if (!is_ip_literal(a)) return "--scrub-address: '" + a + "' is not an IP address";
  }
  if (!(o.timeout > 0 && o.timeout <= 300)) return "--timeout: must be between 0 and 300 seconds";
  if (o.parallel < 1 || o.parallel > 4096) return "--parallel: must be between 1 and 4096";
  if (!o.category.empty() && o.test_list.empty()) return "--category needs --test-list";
  if (o.max_ttl < 1 || o.max_ttl > 32) return "--max-ttl: must be between 1 and 32";
  if (o.injection_check_ip && !is_ip_literal(*o.injection_check_ip)) {
    return "--injection-check-ip: '" + *o.injection_check_ip + "' is not an IP address";
  }
  if (o.resolver && !parse_resolver_address(*o.resolver)) {
    return "--resolver: '" + *o.resolver + "' is not IP, IP:PORT or [IPv6]:PORT";
  }
  return "";
}

}  // namespace

std::variant<CheckedRunOptions, std::string> check_run_options(const RunOptions& o) {
  if (std::string rejection = first_rejection(o); !rejection.empty()) return rejection;

  CheckedRunOptions checked;
  BatchOptions& batch = checked.batch;
  batch.parallel = o.parallel;
  batch.resolver = o.resolver;
  batch.settings.timeout = Duration{static_cast<int64_t>(o.timeout * 1000)};
  batch.settings.neutral_sni = o.neutral_sni;
  batch.settings.dns_exchanges = !o.no_dns_evidence;
  batch.settings.injection_check_ip = o.injection_check_ip;
  batch.settings.localize = !o.no_localize;
  batch.settings.addresses.allow_special_purpose = o.allow_special_purpose;
  batch.settings.localization.max_ttl = o.max_ttl;
  // Each TTL probe waits at most half a step (and at most a second): localization stays a fraction
  // of the run even on a slow path.
  batch.settings.localization.wait = std::min(Duration{1000}, batch.settings.timeout / 2);
  batch.settings.localization.connect_timeout = std::min(Duration{2000}, batch.settings.timeout);

  RunIdentity& id = checked.identity;
  id.vantage = o.vantage;
  id.probe_cc = o.probe_cc;
  id.probe_asn = o.probe_asn;
  id.resolver_source = o.resolver ? "cli" : "system";
  id.timeout_seconds = o.timeout;
  id.neutral_sni = o.neutral_sni;
  id.extra_trust_anchors = !o.ca_bundle.empty();
  return checked;
}

}  // namespace rp
