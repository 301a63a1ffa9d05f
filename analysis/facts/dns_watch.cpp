// What the probe's own DNS watches prove (see dns_watch.h).
#include "facts/dns_watch.h"

#include <algorithm>

#include "facts/record_kinds.h"

namespace ra::facts {
namespace {

std::set<std::string> answers_of(const rp::DnsExchangeReplyRecord& r) {
  std::set<std::string> out;
  for (const auto& a : r.answers)
    if (is_address_record(a)) out.insert(a.value);
  return out;
}

}  // namespace

std::set<std::string> genuine_addresses(const Side& v, const Side* c) {
  std::set<std::string> genuine = validated_addresses(v);
  if (c)
    for (const auto& h : queried_hosts(*c))
      for (const auto& a : resolve(*c, h).addresses) genuine.insert(a);
  return genuine;
}

std::optional<DnsForgery> forgery_in(const rp::DnsExchangeObservation& x, const std::set<std::string>& genuine) {
  DnsForgery out;
  out.exchange = &x;
  if (is_injection_check(x) && !x.replies.empty()) {
    out.first = answers_of(x.replies.front());
    bool forged = false;
    for (const auto& r : x.replies)
      for (const auto& a : answers_of(r)) forged |= !genuine.count(a);
    if (!forged) return std::nullopt;
    return out;
  }
  if (is_duplicate_watch(x) && x.replies.size() >= 2) {
    out.raced = true;
    out.first = answers_of(x.replies.front());
    for (std::size_t i = 1; i < x.replies.size(); ++i)
      for (const auto& a : answers_of(x.replies[i])) out.later.insert(a);
    if (out.first == out.later) return std::nullopt;
    return out;
  }
  return std::nullopt;
}

std::vector<const rp::CapturedPacketRecord*> replies_from_different_distances(
    const std::vector<const rp::CaptureSummaryObservation*>& captures) {
  std::vector<const rp::CapturedPacketRecord*> replies;
  for (const auto* cap : captures)
    for (const auto& p : cap->packets)
      if (is_dns_reply(p)) replies.push_back(&p);
  std::stable_sort(replies.begin(), replies.end(),
                   [](const rp::CapturedPacketRecord* a, const rp::CapturedPacketRecord* b) { return a->t < b->t; });
  int lo = 256, hi = -1;
  for (const auto* p : replies) lo = std::min(lo, p->ttl), hi = std::max(hi, p->ttl);
  if (replies.size() >= 2 && hi - lo >= 2) return replies;
  return {};
}

std::vector<const rp::DnsExchangeObservation*> control_watches_tripped(const Side& c,
                                                                       const rp::DnsExchangeObservation& x) {
  std::vector<const rp::DnsExchangeObservation*> out;
  for (const auto* cx : c.dnsx)
    if (cx->purpose == x.purpose && cx->hostname == x.hostname &&
        ((is_injection_check(*cx) && !cx->replies.empty()) || cx->replies.size() >= 2))
      out.push_back(cx);
  return out;
}

}  // namespace ra::facts
