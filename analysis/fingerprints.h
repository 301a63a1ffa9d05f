// The fingerprint catalogue (targets/fingerprints/*.json): who writes which DNS answers and pages.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "record.h"

namespace ra {

// What a match says about who produced the answer.
enum class FpAttribution {
  network_interference,          // a government/ISP/middlebox blockpage or forged DNS answer
  provider_restriction,          // the provider's (or its CDN's) own geo/sanctions refusal
  provider_on_government_order,  // the provider refusing because a government ordered it
  false_positive,                // looks like a blockpage but is known not to be one
};
std::string to_string(FpAttribution a);

struct Condition {
  std::string location;      // dns.answer | body | title | status | header.<lowercase name>
  std::string pattern_type;  // full | contains | prefix
  std::string pattern;
  bool case_insensitive = false;
};

struct Fingerprint {
  std::string id;
  FpAttribution attribution = FpAttribution::network_interference;
  std::string scope;             // nat isp prod inst vbw injb fp prov cdn, as in OONI's list; "cdn" for provider CDNs
  std::vector<Condition> match;  // all must hold
  int strength = 5;  // OONI's confidence_no_fp, 0-10; 10: never seen on a legitimate page, 0: not rated upstream
  std::vector<std::string> countries;
  std::string provider;
  std::string source;
  std::string checked;
  std::string notes;
  std::string file;  // where it was loaded from

  bool is_dns() const { return !match.empty() && match.front().location == "dns.answer"; }
  bool is_vague() const { return scope == "vbw"; }
};

struct FingerprintError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class FingerprintCatalogue {
 public:
  // Loads every *.json file of each directory, in name order; throws FingerprintError naming file, entry
  // and field on any invalid entry (a catalogue that is half right is worse than none).
  static FingerprintCatalogue load_dirs(const std::vector<std::string>& dirs);
  // Loads one catalogue document already parsed (used by load_dirs and tests).
  void add_document(const nlohmann::json& doc, const std::string& file);

  const std::vector<Fingerprint>& all() const { return entries_; }
  std::size_t size() const { return entries_.size(); }

  // Fingerprints whose conditions all hold for a DNS answer value.
  std::vector<const Fingerprint*> match_dns(const std::string& answer) const;
  // Fingerprints whose conditions all hold for an HTTP response; redirect_location counts as header.location.
  std::vector<const Fingerprint*> match_http(const rp::HttpResponseRecord& r,
                                             const std::optional<std::string>& redirect_location) const;

 private:
  std::vector<Fingerprint> entries_;
};

}  // namespace ra
