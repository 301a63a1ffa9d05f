// The reachability experiment's decisions, apart from the plumbing that carries them out: which handshakes
// are retried, which address an HTTP fetch goes through, where a redirect may lead, where the injection
// check is aimed and which failures are worth localizing. Pure functions of what was measured.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dns/dns_message.h"
#include "experiments/reachability/input_spec.h"
#include "failures/failure.h"
#include "net/dns_exchange.h"
#include "net/special_ranges.h"
#include "record/enums.h"

namespace rp {

using Addresses = std::vector<std::string>;

// How one connection attempt (TCP, then TLS if asked) ended.
struct StepOutcome {
  bool tcp_ok = false;
  bool tls_ok = false;
  MaybeFailure failure;  // of the last step attempted
};

// What the first attempt at one address showed.
struct AddressOutcome {
  std::string address;
  bool tcp_ok = false;
  bool tls_ok = false;
};

// The SNI of a handshake and how the record names it.
struct SniChoice {
  std::optional<std::string> server_name;
  SniKind kind = SniKind::target;
};

// The first handshake sends the target's name; an IP target gets none (SNI carries names only, RFC 6066).
SniChoice first_sni(const std::string& host);

// The handshakes retried at the same address after a handshake that sent the target name failed where TCP
// worked, in order: a neutral name, then none. If those work, the target name is what was refused.
std::vector<SniChoice> sni_retries(const std::optional<SniChoice>& sent, const StepOutcome& outcome,
                                   const std::string& neutral_sni);

// Failures an on-path device produces when it kills a connection it dislikes.
bool is_interference_like(const MaybeFailure& failure);

// A handshake with the target name killed the way a censor does, while the neutral name's went through.
bool sni_was_refused(const StepOutcome& target, const StepOutcome& neutral);

// A SYN that nobody answered (not refused, not unreachable): worth finding where it was dropped.
bool syn_went_unanswered(const StepOutcome& first);

// The addresses a query for `type` was answered with (CNAMEs on the way are left out).
Addresses answered_addresses(const std::vector<DnsAnswer>& answers, DnsType type);

// IPv4 answers first, then IPv6, without duplicates, at most max_addresses.
Addresses merge_addresses(const Addresses& v4, const Addresses& v6, std::size_t max_addresses);

// The address most likely to show what the service says: one where TLS worked (for HTTPS), else one where
// TCP did; nullopt when there is nothing to talk HTTP to.
std::optional<std::string> address_to_fetch_through(const std::vector<AddressOutcome>& outcomes, bool tls);

// Where the injection check's question goes (to a host that runs no DNS server): the configured address,
// else the name's first answered IPv4 address that is not private or local: unsolicited DNS is never aimed
// at the volunteer's own networks, whatever a (possibly forged) answer says.
std::optional<std::string> injection_check_target(const std::optional<std::string>& configured, const Addresses& v4,
                                                  const AddressPolicy& policy);

// The probe's own DNS question was answered by someone other than the resolver: any reply at all to the
// injection check (sent to a host that runs no DNS server), or duplicate-watch replies that disagree.
bool exchange_shows_injection(DnsPurpose purpose, const DnsExchangeResult& result);

// What happens to a redirect. `private_ok`: the input itself lives on this machine or in a private network,
// so its redirects may lead there too. A hop to a new host is measured like the first hop (DNS, then TCP
// and TLS with the SNI retries at each address it may lead to), so that interference on a later hop of a
// chain is as plain in the record as on the first.
enum class RedirectPlan {
  too_many,         // refused: more hops than allowed
  forbidden,        // refused: into this machine or a private network
  same_connection,  // same host, scheme and port: fetched through the address the previous hop used
  same_host_again,  // same host, another scheme or port: TCP (and TLS) to the address used, then fetched
  new_host,         // another host: resolved (an IP literal resolves to itself), probed, then fetched
};
using IsPrivate = std::function<bool(const std::string& ip)>;  // this machine or a private network
RedirectPlan plan_redirect(const UrlParts& from, const UrlParts& to, int to_hop, int max_redirects, bool private_ok,
                           const IsPrivate& is_private);

// The resolved addresses a redirect to another host may be measured and fetched at, in order; empty: every
// one is forbidden.
Addresses redirect_addresses(const Addresses& resolved, bool private_ok, const IsPrivate& is_private);

}  // namespace rp
