// Loading, validating and matching the fingerprint catalogue (see fingerprints.h and targets/fingerprints/README.md).
#include "fingerprints.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include "text/text.h"

namespace ra {

using nlohmann::json;

std::string to_string(FpAttribution a) {
  switch (a) {
    case FpAttribution::network_interference: return "network_interference";
    case FpAttribution::provider_restriction: return "provider_restriction";
    case FpAttribution::provider_on_government_order: return "provider_on_government_order";
    case FpAttribution::false_positive: return "false_positive";
  }
  return "?";
}

namespace {

constexpr std::size_t kMaxCatalogueBytes = 32u << 20;
constexpr std::size_t kMaxPattern = 4096;

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw FingerprintError(where + ": " + what);
}

std::string req_string(const json& o, const char* name, const std::string& where, std::size_t max = 4096) {
  auto it = o.find(name);
  if (it == o.end()) bad(where, std::string("missing '") + name + "'");
  if (!it->is_string() || it->get<std::string>().empty())
    bad(where, std::string("'") + name + "' must be a non-empty string");
  if (it->get<std::string>().size() > max) bad(where, std::string("'") + name + "' is too long");
  return it->get<std::string>();
}

std::string opt_string(const json& o, const char* name, const std::string& where) {
  auto it = o.find(name);
  if (it == o.end()) return "";
  if (!it->is_string()) bad(where, std::string("'") + name + "' must be a string");
  return it->get<std::string>();
}

void only_keys(const json& o, std::initializer_list<const char*> allowed, const std::string& where) {
  for (auto it = o.begin(); it != o.end(); ++it) {
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return it.key() == a; }))
      bad(where, "unknown field '" + it.key() + "'");
  }
}

FpAttribution parse_attribution(const std::string& s, const std::string& where) {
  if (s == "network_interference") return FpAttribution::network_interference;
  if (s == "provider_restriction") return FpAttribution::provider_restriction;
  if (s == "provider_on_government_order") return FpAttribution::provider_on_government_order;
  if (s == "false_positive") return FpAttribution::false_positive;
  bad(where,
      "attribution '" + s +
          "' is not one of network_interference, provider_restriction, provider_on_government_order, false_positive");
}

bool valid_location(const std::string& loc) {
  if (loc == "dns.answer" || loc == "body" || loc == "title" || loc == "status") return true;
  if (loc.rfind("header.", 0) == 0 && loc.size() > 7) {
    return std::all_of(loc.begin() + 7, loc.end(), [](char c) {
      return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-';
    });
  }
  return false;
}

Condition parse_condition(const json& c, const std::string& where) {
  if (!c.is_object()) bad(where, "a match condition must be an object");
  only_keys(c, {"location", "pattern_type", "pattern", "case_insensitive"}, where);
  Condition out;
  out.location = req_string(c, "location", where);
  if (!valid_location(out.location))
    bad(where, "location '" + out.location + "' is not dns.answer, body, title, status or header.<lowercase-name>");
  out.pattern_type = req_string(c, "pattern_type", where);
  if (out.pattern_type == "regexp")
    bad(where, "pattern_type regexp is not supported (hostile bodies could make a regex engine run away)");
  if (out.pattern_type != "full" && out.pattern_type != "contains" && out.pattern_type != "prefix")
    bad(where, "pattern_type '" + out.pattern_type + "' is not full, contains or prefix");
  out.pattern = req_string(c, "pattern", where, kMaxPattern);
  if (auto it = c.find("case_insensitive"); it != c.end()) {
    if (!it->is_boolean()) bad(where, "'case_insensitive' must be a boolean");
    out.case_insensitive = it->get<bool>();
  }
  if (out.location == "dns.answer" && out.pattern_type != "full") bad(where, "dns.answer patterns must be full");
  if (out.location == "status") {
    if (out.pattern_type != "full" || out.pattern.size() != 3 ||
        !std::all_of(out.pattern.begin(), out.pattern.end(),
                     [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }))
      bad(where, "status patterns must be a full three-digit code");
  }
  if (out.case_insensitive) out.pattern = rp::ascii_lower(out.pattern);
  return out;
}

bool date_ok(const std::string& d) {
  static const std::regex re("^[0-9]{4}-[0-9]{2}-[0-9]{2}$");  // catalogue text only, never measured data
  return std::regex_match(d, re);
}

bool text_matches(const Condition& c, const std::string& value) {
  if (c.case_insensitive) {
    const std::string v = rp::ascii_lower(value);
    if (c.pattern_type == "full") return v == c.pattern;
    if (c.pattern_type == "prefix") return v.rfind(c.pattern, 0) == 0;
    return v.find(c.pattern) != std::string::npos;
  }
  if (c.pattern_type == "full") return value == c.pattern;
  if (c.pattern_type == "prefix") return value.rfind(c.pattern, 0) == 0;
  return value.find(c.pattern) != std::string::npos;
}

bool http_condition(const Condition& c, const rp::HttpResponseRecord& r, const std::optional<std::string>& redirect) {
  if (c.location == "body") return text_matches(c, r.body_prefix);
  if (c.location == "title") return r.title && text_matches(c, *r.title);
  if (c.location == "status") return std::to_string(r.status) == c.pattern;
  if (c.location.rfind("header.", 0) == 0) {
    const std::string name = c.location.substr(7);
    if (name == "location" && redirect && text_matches(c, *redirect)) return true;
    for (const auto& [n, v] : r.headers)
      if (rp::ascii_lower(n) == name && text_matches(c, v)) return true;
    return false;
  }
  return false;
}

}  // namespace

void FingerprintCatalogue::add_document(const json& doc, const std::string& file) {
  if (!doc.is_object()) bad(file, "expected a JSON object");
  only_keys(doc, {"format", "description", "generated_by", "fingerprints"}, file);
  if (doc.value("format", "") != "reachprobe-fingerprints/1")
    bad(file, "'format' must be \"reachprobe-fingerprints/1\"");
  auto list = doc.find("fingerprints");
  if (list == doc.end() || !list->is_array()) bad(file, "'fingerprints' must be an array");
  std::set<std::string> ids;
  for (const auto& e : entries_) ids.insert(e.id);
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& e = (*list)[i];
    std::string where = file + ": fingerprints[" + std::to_string(i) + "]";
    if (!e.is_object()) bad(where, "expected an object");
    if (auto it = e.find("id"); it != e.end() && it->is_string()) where += " (" + it->get<std::string>() + ")";
    only_keys(e,
              {"id", "attribution", "scope", "match", "strength", "countries", "provider", "source", "checked",
               "notes"},
              where);
    Fingerprint f;
    f.id = req_string(e, "id", where, 128);
    if (!ids.insert(f.id).second) bad(where, "duplicate id '" + f.id + "'");
    f.attribution = parse_attribution(req_string(e, "attribution", where), where);
    f.scope = req_string(e, "scope", where, 16);
    static const std::set<std::string> scopes = {"nat", "isp", "prod", "inst", "vbw", "injb", "fp", "prov", "cdn"};
    if (!scopes.count(f.scope))
      bad(where, "scope '" + f.scope + "' is not one of nat isp prod inst vbw injb fp prov cdn");
    auto m = e.find("match");
    if (m == e.end() || !m->is_array() || m->empty() || m->size() > 8)
      bad(where, "'match' must be an array of 1-8 conditions");
    for (std::size_t k = 0; k < m->size(); ++k)
      f.match.push_back(parse_condition((*m)[k], where + ".match[" + std::to_string(k) + "]"));
    const bool dns = f.match.front().location == "dns.answer";
    for (const auto& c : f.match)
      if ((c.location == "dns.answer") != dns)
        bad(where, "a fingerprint is either all dns.answer or all HTTP conditions");
    if (auto it = e.find("strength"); it != e.end()) {
      if (!it->is_number_integer() || it->get<int>() < 0 || it->get<int>() > 10)
        bad(where, "'strength' must be an integer 0-10");
      f.strength = it->get<int>();
    }
    if (auto it = e.find("countries"); it != e.end()) {
      if (!it->is_array()) bad(where, "'countries' must be an array");
      for (const auto& c : *it) {
        if (!c.is_string() || c.get<std::string>().size() != 2)
          bad(where, "'countries' must hold ISO 3166 alpha-2 codes");
        f.countries.push_back(c.get<std::string>());
      }
    }
    f.provider = opt_string(e, "provider", where);
    f.source = req_string(e, "source", where);
    f.checked = req_string(e, "checked", where, 10);
    if (!date_ok(f.checked)) bad(where, "'checked' must be a YYYY-MM-DD date");
    f.notes = opt_string(e, "notes", where);
    if (f.attribution != FpAttribution::network_interference && f.attribution != FpAttribution::false_positive && dns)
      bad(where, "provider fingerprints must be HTTP: a DNS answer cannot be authenticated");
    f.file = file;
    entries_.push_back(std::move(f));
  }
}

FingerprintCatalogue FingerprintCatalogue::load_dirs(const std::vector<std::string>& dirs) {
  namespace fs = std::filesystem;
  FingerprintCatalogue cat;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) bad(dir, "not a directory");
    std::vector<fs::path> files;
    for (const auto& de : fs::directory_iterator(dir, ec))
      if (de.path().extension() == ".json") files.push_back(de.path());
    if (ec) bad(dir, ec.message());
    std::sort(files.begin(), files.end());
    if (files.empty()) bad(dir, "holds no *.json fingerprint file");
    for (const auto& p : files) {
      if (fs::file_size(p, ec) > kMaxCatalogueBytes) bad(p.string(), "larger than 32 MiB");
      std::ifstream in(p);
      if (!in) bad(p.string(), "cannot be read");
      json doc = json::parse(in, nullptr, false);
      if (doc.is_discarded()) bad(p.string(), "not valid JSON");
      cat.add_document(doc, p.string());
    }
  }
  return cat;
}

std::vector<const Fingerprint*> FingerprintCatalogue::match_dns(const std::string& answer) const {
  std::vector<const Fingerprint*> out;
  for (const auto& f : entries_) {
    if (!f.is_dns()) continue;
    if (std::all_of(f.match.begin(), f.match.end(), [&](const Condition& c) { return text_matches(c, answer); }))
      out.push_back(&f);
  }
  return out;
}

std::vector<const Fingerprint*> FingerprintCatalogue::match_http(const rp::HttpResponseRecord& r,
                                                                 const std::optional<std::string>& redirect) const {
  std::vector<const Fingerprint*> out;
  for (const auto& f : entries_) {
    if (f.is_dns()) continue;
    if (std::all_of(f.match.begin(), f.match.end(), [&](const Condition& c) { return http_condition(c, r, redirect); }))
      out.push_back(&f);
  }
  return out;
}

}  // namespace ra
