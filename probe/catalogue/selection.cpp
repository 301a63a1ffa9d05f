// select_services and format_service_list: pure functions over an already loaded catalogue.
#include "catalogue/selection.h"

#include <algorithm>
#include <sstream>

#include "catalogue/names.h"

namespace rp {

namespace {

std::vector<std::string> split_names(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& arg : names) {
    std::stringstream in(arg);
    std::string part;
    while (std::getline(in, part, ',')) {
      auto b = part.find_first_not_of(" \t");
      auto e = part.find_last_not_of(" \t");
      if (b == std::string::npos) continue;
      out.push_back(ascii_lower(part.substr(b, e - b + 1)));
    }
  }
  return out;
}

// Edit distance, for "did you mean": ids are short, so the quadratic table is fine.
std::size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The id within two edits of NAME, else the first id NAME (3+ letters) begins; empty when neither.
std::string closest_id(const Catalogue& c, const std::string& name) {
  std::string best;
  std::size_t best_d = 3;
  for (const auto& s : c.services) {
    if (std::size_t d = distance(name, s.id); d < best_d) {
      best = s.id;
      best_d = d;
    }
  }
  if (best.empty() && name.size() >= 3) {
    for (const auto& s : c.services)
      if (s.id.starts_with(name)) return s.id;
  }
  return best;
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

std::string describe(const HealthyRule& h) {
  std::vector<std::string> parts;
  if (!h.status.empty()) {
    std::vector<std::string> codes;
    for (int c : h.status) codes.push_back(std::to_string(c));
    parts.push_back("status " + join(codes, "|"));
  }
  if (h.title_contains) parts.push_back("title contains \"" + *h.title_contains + "\"");
  if (h.body_contains) parts.push_back("body contains \"" + *h.body_contains + "\"");
  if (h.any_authenticated_tls) parts.push_back("any response over verified TLS");
  return parts.empty() ? "any 2xx/3xx" : join(parts, ", ");
}

void list_service(std::ostringstream& out, const Service& s) {
  out << "\n" << s.id << "  " << s.name << " (" << s.provider << ")\n";
  if (!s.provider_asns.empty()) {
    std::vector<std::string> asns;
    for (const auto& a : s.provider_asns) asns.push_back("AS" + std::to_string(a.asn));
    out << "  provider ASNs: " << join(asns, ", ") << "\n";
  }
  for (const auto& d : s.domains) out << "  dns       " << d.name << "\n";
  for (const auto& e : s.endpoints) {
    out << "  endpoint  " << e.host << ":" << e.port << "/" << (e.transport == Transport::tls ? "tls" : "tcp");
    if (!e.note.empty()) out << "  (" << e.note << ")";
    out << "\n";
  }
  for (const auto& u : s.urls) out << "  url       " << u.url << "  healthy: " << describe(u.healthy) << "\n";
  for (const auto& p : s.pinned_cas) {
    out << "  pinned CA for " << (p.hosts.empty() ? std::string("every host") : join(p.hosts, ", ")) << "\n";
  }
  for (const auto& g : s.signatures) {
    out << "  signature " << g.id << " (" << g.attribution << ": " << g.location << " " << g.pattern_type << " \""
        << g.pattern << "\")\n";
  }
}

}  // namespace

ServiceSelection select_services(const Catalogue& catalogue, const std::vector<std::string>& names) {
  ServiceSelection out;
  std::vector<std::string> wanted = split_names(names);
  Catalogue chosen{catalogue.version, {}};
  if (wanted.empty()) {
    out.catalogue = catalogue;
    return out;
  }
  std::vector<std::string> unknown;
  for (const auto& name : wanted) {
    auto it = std::find_if(catalogue.services.begin(), catalogue.services.end(),
                           [&](const Service& s) { return s.id == name; });
    if (it == catalogue.services.end()) {
      std::string hint = closest_id(catalogue, name);
      unknown.push_back("\"" + name + "\"" + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
      continue;
    }
    bool already = std::any_of(chosen.services.begin(), chosen.services.end(),
                               [&](const Service& s) { return s.id == name; });
    if (!already) chosen.services.push_back(*it);
  }
  if (!unknown.empty()) {
    std::vector<std::string> valid;
    for (const auto& s : catalogue.services) valid.push_back(s.id);
    std::sort(valid.begin(), valid.end());
    out.error = std::string(unknown.size() == 1 ? "unknown service " : "unknown services ") + join(unknown, ", ") +
                "; valid services: " + join(valid, ", ");
    return out;
  }
  out.catalogue = std::move(chosen);
  return out;
}

std::string format_service_list(const Catalogue& catalogue) {
  std::ostringstream out;
  out << "Target catalogue " << catalogue.version << ": " << catalogue.services.size()
      << (catalogue.services.size() == 1 ? " service" : " services") << "\n";
  for (const auto& s : catalogue.services) list_service(out, s);
  return out.str();
}

}  // namespace rp
