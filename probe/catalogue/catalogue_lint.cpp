// The lint behind `reachprobe lint-targets`: rules an analyst relies on when reading old results.
#include "catalogue/catalogue_lint.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>

#include "catalogue/bounded_file.h"
#include "catalogue/catalogue_loader.h"
#include "catalogue/names.h"

namespace rp {

namespace {

// Collects problems for one service with the id filled in.
class Report {
 public:
  Report(std::vector<LintProblem>& out, std::string service) : out_(out), service_(std::move(service)) {}
  void add(std::string entry, std::string message) { out_.push_back({service_, std::move(entry), std::move(message)}); }

 private:
  std::vector<LintProblem>& out_;
  std::string service_;
};

// "endpoints[2] chat.signal.org:443/tls": where an entry sits, and what it is when that helps.
std::string indexed(const char* list, std::size_t i, const std::string& label = "") {
  std::string out = std::string(list) + "[" + std::to_string(i) + "]";
  return label.empty() ? out : out + " " + label;
}

// Sources must be links a reviewer can open; "checked" must be a real date not in the future.
void check_provenance(const Provenance& p, Report& r, const std::string& entry, const LintOptions& opt) {
  if (p.source.empty()) {
    r.add(entry, "no source: add \"source\" (the URL the fact was taken from)");
  } else if (!parse_http_url(p.source)) {
    r.add(entry, "source \"" + p.source + "\" is not an http(s) URL");
  }
  if (p.checked.empty()) {
    r.add(entry, "no \"checked\" date: add the YYYY-MM-DD on which someone verified the fact");
  } else if (!is_iso_date(p.checked)) {
    r.add(entry, "checked \"" + p.checked + "\" is not a YYYY-MM-DD date");
  } else if (!opt.today.empty() && p.checked > opt.today) {
    r.add(entry, "checked " + p.checked + " is in the future (today is " + opt.today + ")");
  }
}

// A host that the probe will resolve or connect to: a hostname or an IP literal.
void check_host(const std::string& host, Report& r, const std::string& entry, const LintOptions& opt) {
  if (auto ip = parse_ip(host)) {
    if (!opt.allow_special_purpose && is_special_purpose(*ip)) {
      r.add(entry, "\"" + host + "\" is a special-purpose address (private, documentation, ...), not a provider's");
    }
    return;
  }
  if (!is_valid_hostname(host)) {
    r.add(entry, "\"" + host + "\" is neither a valid hostname nor an IP literal");
  } else if (!opt.allow_special_purpose && is_reserved_name(host)) {
    r.add(entry, "\"" + host + "\" is a reserved name (RFC 2606/6761), not a provider's");
  }
}

template <typename Key>
void check_duplicate(std::map<Key, std::size_t>& seen, const Key& key, std::size_t index, const char* list, Report& r,
                     const std::string& entry) {
  auto [it, fresh] = seen.emplace(key, index);
  if (!fresh) r.add(entry, std::string("duplicate of ") + list + "[" + std::to_string(it->second) + "]");
}

// ASNs that can never be a provider's public network (RFC 7607, 6793, 5398, 6996, 7300).
bool is_reserved_asn(uint32_t asn) {
  return asn == 0 || asn == 23456 || (asn >= 64496 && asn <= 65551) || asn >= 4200000000u;
}

std::string date_of(const ASN1_TIME* t) {
  std::tm tm{};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return {};
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// Pins are only useful if they parse, are CA certificates and are still valid.
void check_pem(const std::string& pem, Report& r, const std::string& entry, const LintOptions& opt) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  int count = 0;
  while (bio) {
    std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr),
                                                     X509_free);
    if (!cert) break;
    ++count;
    if (X509_check_ca(cert.get()) == 0) {
      r.add(entry, "certificate " + std::to_string(count) + " is not a CA certificate");
    }
    std::string expiry = date_of(X509_get0_notAfter(cert.get()));
    if (!opt.today.empty() && !expiry.empty() && expiry < opt.today) {
      r.add(entry, "certificate " + std::to_string(count) + " expired on " + expiry);
    }
  }
  ERR_clear_error();  // the loop ends on "no start line", which is not an error here
  if (count == 0) r.add(entry, "pem holds no PEM certificate");
}

std::set<std::string> hosts_of(const Service& s) {
  std::set<std::string> hosts;
  for (const auto& d : s.domains) hosts.insert(ascii_lower(d.name));
  for (const auto& e : s.endpoints) hosts.insert(ascii_lower(e.host));
  for (const auto& u : s.urls)
    if (auto parsed = parse_http_url(u.url)) hosts.insert(parsed->host);
  return hosts;
}

bool has_criterion(const HealthyRule& h) {
  return !h.status.empty() || h.body_contains || h.title_contains || h.any_authenticated_tls;
}

void lint_urls(const Service& s, Report& r, const LintOptions& opt) {
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < s.urls.size(); ++i) {
    const UrlEntry& u = s.urls[i];
    std::string entry = indexed("urls", i, u.url);
    check_provenance(u.provenance, r, entry, opt);
    auto parsed = parse_http_url(u.url);
    if (!parsed) {
      r.add(entry, "not an absolute http(s) URL with a valid host");
    } else {
      check_host(parsed->host, r, entry, opt);
    }
    check_duplicate(seen, u.url, i, "urls", r, entry);
    const HealthyRule& h = u.healthy;
    if (!has_criterion(h)) {
      r.add(entry, "healthy rule is empty: give status, body_contains, title_contains or any_authenticated_tls");
    }
    for (int code : h.status)
      if (code < 100 || code > 599) r.add(entry, "healthy status " + std::to_string(code) + " is not an HTTP status");
    if (h.body_contains && h.body_contains->empty()) r.add(entry, "healthy body_contains is empty");
    if (h.title_contains && h.title_contains->empty()) r.add(entry, "healthy title_contains is empty");
    if (h.any_authenticated_tls && parsed && parsed->scheme != "https") {
      r.add(entry, "any_authenticated_tls needs an https URL");
    }
  }
}

void lint_service(const Service& s, std::vector<LintProblem>& out, const LintOptions& opt,
                  std::map<std::string, std::string>& signature_owner) {
  Report r(out, s.id);
  static const std::regex id_pattern("[a-z0-9_-]{1,64}");
  if (!std::regex_match(s.id, id_pattern)) r.add("", "id \"" + s.id + "\" must match [a-z0-9_-]{1,64}");
  if (s.name.empty()) r.add("", "name is empty");
  if (s.provider.empty()) r.add("", "provider is empty");
  if (s.urls.empty()) {
    r.add("", "no healthy-response rule: add at least one entry to urls with a \"healthy\" rule");
  }

  std::map<uint32_t, std::size_t> asns;
  for (std::size_t i = 0; i < s.provider_asns.size(); ++i) {
    const AsnEntry& a = s.provider_asns[i];
    std::string entry = indexed("provider_asns", i, "AS" + std::to_string(a.asn));
    check_provenance(a.provenance, r, entry, opt);
    if (is_reserved_asn(a.asn)) r.add(entry, "AS" + std::to_string(a.asn) + " is reserved or private");
    check_duplicate(asns, a.asn, i, "provider_asns", r, entry);
  }

  std::map<std::string, std::size_t> domains;
  for (std::size_t i = 0; i < s.domains.size(); ++i) {
    const DomainEntry& d = s.domains[i];
    std::string entry = indexed("domains", i, d.name);
    check_provenance(d.provenance, r, entry, opt);
    if (parse_ip(d.name)) r.add(entry, "\"" + d.name + "\" is an IP literal: domains are names to resolve");
    else check_host(d.name, r, entry, opt);
    check_duplicate(domains, ascii_lower(d.name), i, "domains", r, entry);
  }

  std::map<std::string, std::size_t> endpoints;
  for (std::size_t i = 0; i < s.endpoints.size(); ++i) {
    const EndpointEntry& e = s.endpoints[i];
    std::string key = ascii_lower(e.host) + ":" + std::to_string(e.port) +
                      (e.transport == Transport::tls ? "/tls" : "/tcp");
    std::string entry = indexed("endpoints", i, key);
    check_provenance(e.provenance, r, entry, opt);
    check_host(e.host, r, entry, opt);
    if (e.port == 0) r.add(entry, "port must be 1..65535");
    check_duplicate(endpoints, key, i, "endpoints", r, entry);
  }

  lint_urls(s, r, opt);

  std::set<std::string> service_hosts = hosts_of(s);
  for (std::size_t i = 0; i < s.pinned_cas.size(); ++i) {
    const PinnedCa& ca = s.pinned_cas[i];
    std::string entry = indexed("pinned_cas", i);
    check_provenance(ca.provenance, r, entry, opt);
    check_pem(ca.pem, r, entry, opt);
    for (const auto& h : ca.hosts) {
      if (!service_hosts.count(ascii_lower(h))) {
        r.add(entry, "pinned host \"" + h + "\" is not among the service's domains, endpoints or urls");
      }
    }
  }

  for (std::size_t i = 0; i < s.signatures.size(); ++i) {
    const SignatureEntry& g = s.signatures[i];
    std::string entry = indexed("signatures", i, g.id);
    check_provenance(g.provenance, r, entry, opt);
    if (g.id.empty()) r.add(entry, "signature id is empty");
    auto [it, fresh] = signature_owner.emplace(g.id, s.id);
    if (!fresh) r.add(entry, "signature id \"" + g.id + "\" is already used by service " + it->second);
    if (g.attribution != "provider_restriction" && g.attribution != "provider_on_government_order") {
      r.add(entry, "attribution must be provider_restriction or provider_on_government_order");
    }
    if (g.pattern.empty()) r.add(entry, "pattern is empty");
    if (g.location == "status" && !std::regex_match(g.pattern, std::regex("[1-5][0-9][0-9]"))) {
      r.add(entry, "a status signature's pattern must be a 3-digit status code");
    }
    if (g.location != "body" && g.location != "status" && !g.location.starts_with("header.")) {
      r.add(entry, "location must be body, status or header.<name>");
    }
    if (g.pattern_type != "contains" && g.pattern_type != "prefix" && g.pattern_type != "full") {
      r.add(entry, "pattern_type must be contains, prefix or full");
    }
  }
}

// A "## <version>" heading (alone or followed by a space) anywhere in CHANGELOG.md.
bool changelog_mentions(const std::filesystem::path& changelog, const std::string& version) {
  std::string error;
  auto text = read_file_bounded(changelog, 1u << 20, error);
  if (!text) return false;
  const std::string heading = "## " + version;
  for (std::size_t at = text->find(heading); at != std::string::npos; at = text->find(heading, at + 1)) {
    const bool line_start = at == 0 || (*text)[at - 1] == '\n';
    const std::size_t end = at + heading.size();
    const bool word_end = end == text->size() || (*text)[end] == ' ' || (*text)[end] == '\n' || (*text)[end] == '\r';
    if (line_start && word_end) return true;
  }
  return false;
}

}  // namespace

std::string to_string(const LintProblem& p) {
  std::string out = p.service.empty() ? "catalogue" : p.service;
  if (!p.entry.empty()) out += ": " + p.entry;
  return out + ": " + p.message;
}

std::vector<LintProblem> lint_catalogue(const Catalogue& catalogue, const LintOptions& options) {
  std::vector<LintProblem> out;
  static const std::regex version_pattern("[0-9]{4}\\.[0-9]{2}\\.[0-9]{2}(\\.[0-9]+)?");
  if (!std::regex_match(catalogue.version, version_pattern)) {
    out.push_back({"", "catalogue_version", "\"" + catalogue.version + "\" must be YYYY.MM.DD or YYYY.MM.DD.N"});
  }
  if (catalogue.services.empty()) out.push_back({"", "services", "the catalogue has no services"});
  std::map<std::string, std::string> origin_of;
  std::map<std::string, std::string> signature_owner;
  for (const Service& s : catalogue.services) {
    auto [it, fresh] = origin_of.emplace(s.id, s.origin);
    if (!fresh) {
      out.push_back({s.id, "", "duplicate service id (first in " + it->second + ", again in " + s.origin + ")"});
    }
    lint_service(s, out, options, signature_owner);
  }
  return out;
}

std::vector<std::string> lint_targets(const std::filesystem::path& path, const LintOptions& options) {
  CatalogueLoad load = load_catalogue(path);
  if (!load.catalogue) return {load.error};
  std::vector<std::string> lines;
  for (const auto& p : lint_catalogue(*load.catalogue, options)) lines.push_back(to_string(p));
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    auto changelog = path / "CHANGELOG.md";
    if (!changelog_mentions(changelog, load.catalogue->version)) {
      lines.push_back("catalogue: " + changelog.string() + ": no \"## " + load.catalogue->version +
                      "\" entry: describe what changed in this version");
    }
  }
  return lines;
}

std::string utc_today() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace rp
