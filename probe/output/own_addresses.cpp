#include "output/own_addresses.h"

#include <cctype>
#include <set>

#include "catalogue/names.h"  // parse_http_url
#include "net/ip_address.h"
#include "output/privacy_scrubber.h"
#include "output/whoami_services.h"

namespace rp {
namespace {

// Every whole token of a whoami page that is an address ("1.2.3.4\n", "Current IP Address: 1.2.3.4").
std::vector<std::string> addresses_in_text(const std::string& text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size() && out.size() < 8) {
    const auto is_part = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':'; };
    if (!is_part(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_part(text[j]) && j - i < 64) ++j;
    std::string token = text.substr(i, j - i);
    while (!token.empty() && (token.back() == '.' || token.back() == ':')) token.pop_back();
    while (!token.empty() && (token[0] == '.' || (token[0] == ':' && token.rfind("::", 0) != 0))) token.erase(0, 1);
    if (is_ip_literal(token)) out.push_back(token);
    i = j;
  }
  return out;
}

}  // namespace

std::vector<std::string> own_addresses_revealed(const std::vector<Observation>& observations) {
  std::set<std::string> peers;
  for (const auto& o : observations) {
    if (const auto* c = std::get_if<TcpConnectObservation>(&o)) peers.insert(c->address);
    if (const auto* h = std::get_if<HttpRequestObservation>(&o); h && h->address) peers.insert(*h->address);
  }
  // Evidence is never mistaken for us: a forged answer named in an (unauthenticated, maybe injected)
  // echo header must not get itself scrubbed from the record.
  std::set<std::string> answers;
  for (const auto& o : observations) {
    if (const auto* q = std::get_if<DnsQueryObservation>(&o); q && !is_dns_whoami_name(q->hostname)) {
      for (const auto& a : q->answers) answers.insert(a.value);
    }
  }
  // Servers can only have seen a public address; a private one is not identifying either. The benchmarking
  // range counts as public here whatever the run's policy: learning one address too many only scrubs more.
  const auto plausible = [&](const std::string& a) {
    return !peers.count(a) && !answers.count(a) &&
           !is_local_or_private(a, AddressPolicy{.allow_special_purpose = true});
  };
  std::vector<std::string> out;
  for (const auto& o : observations) {
    if (const auto* q = std::get_if<DnsQueryObservation>(&o); q && is_dns_whoami_name(q->hostname)) {
      for (const auto& a : q->answers) {
        if (a.type == "A" || a.type == "AAAA") out.push_back(a.value);
      }
    }
    const auto* h = std::get_if<HttpRequestObservation>(&o);
    if (h == nullptr || !h->response) continue;
    for (const auto& a : echoed_client_addresses(h->response->headers, peers)) {
      if (plausible(a)) out.push_back(a);
    }
    const auto url = parse_http_url(h->url);
    if (url && is_http_whoami_host(url->host) && h->response->status == 200) {
      for (const auto& a : addresses_in_text(h->response->body_prefix)) {
        if (plausible(a)) out.push_back(a);
      }
    }
  }
  return out;
}

}  // namespace rp
