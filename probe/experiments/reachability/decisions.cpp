// Each decision is written once, here, and the experiment only carries it out.
#include "experiments/reachability/decisions.h"

#include <algorithm>
#include <set>
#include <utility>

#include "net/ip_address.h"

namespace rp {

SniChoice first_sni(const std::string& host) {
  if (is_ip_literal(host)) return {std::nullopt, SniKind::none};
  return {host, SniKind::target};
}

std::vector<SniChoice> sni_retries(const std::optional<SniChoice>& sent, const StepOutcome& outcome,
                                   const std::string& neutral_sni) {
  if (!sent || sent->kind != SniKind::target || !outcome.tcp_ok || outcome.tls_ok) return {};
  return {{neutral_sni, SniKind::neutral}, {std::nullopt, SniKind::none}};
}

bool is_interference_like(const MaybeFailure& f) {
  return f == Failure::connection_reset || f == Failure::generic_timeout_error || f == Failure::eof_error;
}

bool sni_was_refused(const StepOutcome& target, const StepOutcome& neutral) {
  return neutral.tls_ok && is_interference_like(target.failure);
}

bool syn_went_unanswered(const StepOutcome& first) {
  return !first.tcp_ok && first.failure == Failure::generic_timeout_error;
}

Addresses answered_addresses(const std::vector<DnsAnswer>& answers, DnsType type) {
  Addresses addrs;
  for (const auto& a : answers) {
    if (a.type == static_cast<uint16_t>(type)) addrs.push_back(a.value);
  }
  return addrs;
}

Addresses merge_addresses(const Addresses& v4, const Addresses& v6, std::size_t max_addresses) {
  Addresses all;
  for (const auto* list : {&v4, &v6}) {
    for (const auto& a : *list) {
      if (all.size() < max_addresses && std::find(all.begin(), all.end(), a) == all.end()) all.push_back(a);
    }
  }
  return all;
}

std::optional<std::string> address_to_fetch_through(const std::vector<AddressOutcome>& outcomes, bool tls) {
  auto pick = std::find_if(outcomes.begin(), outcomes.end(),
                           [&](const AddressOutcome& o) { return tls ? o.tls_ok : o.tcp_ok; });
  if (pick == outcomes.end()) {
    pick = std::find_if(outcomes.begin(), outcomes.end(), [](const AddressOutcome& o) { return o.tcp_ok; });
  }
  if (pick == outcomes.end()) return std::nullopt;
  return pick->address;
}

std::optional<std::string> injection_check_target(const std::optional<std::string>& configured, const Addresses& v4,
                                                  const AddressPolicy& policy) {
  if (configured) return configured;
  const auto pick = std::find_if(v4.begin(), v4.end(),
                                 [&](const std::string& a) { return !is_local_or_private(a, policy); });
  if (pick == v4.end()) return std::nullopt;
  return *pick;
}

namespace {

// Two replies to one question that do not say the same thing: someone other than the resolver spoke.
bool replies_disagree(const DnsExchangeResult& r) {
  const auto values = [](const DnsExchangeReply& reply) {
    std::set<std::string> v;
    for (const auto& a : reply.message.answers) v.insert(a.value);
    return std::make_pair(reply.message.rcode, v);
  };
  for (std::size_t i = 1; i < r.replies.size(); ++i) {
    if (values(r.replies[i]) != values(r.replies[0])) return true;
  }
  return false;
}

}  // namespace

bool exchange_shows_injection(DnsPurpose purpose, const DnsExchangeResult& result) {
  if (purpose == DnsPurpose::injection_check) return !result.replies.empty();
  return purpose == DnsPurpose::duplicate_watch && replies_disagree(result);
}

RedirectPlan plan_redirect(const UrlParts& from, const UrlParts& to, int to_hop, int max_redirects, bool private_ok,
                           const IsPrivate& is_private) {
  if (to_hop > max_redirects) return RedirectPlan::too_many;
  if (is_ip_literal(to.host) && !private_ok && is_private(to.host)) return RedirectPlan::forbidden;
  if (to.host != from.host) return RedirectPlan::new_host;
  if (to.scheme == from.scheme && to.port == from.port) return RedirectPlan::same_connection;
  return RedirectPlan::same_host_again;
}

Addresses redirect_addresses(const Addresses& resolved, bool private_ok, const IsPrivate& is_private) {
  Addresses allowed;
  for (const auto& a : resolved)
    if (private_ok || !is_private(a)) allowed.push_back(a);
  return allowed;
}

}  // namespace rp
