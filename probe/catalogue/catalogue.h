// The target catalogue in memory: services, and what to measure for each (see targets/README.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http/healthy_rule.h"

namespace rp {

// Where a fact came from and when a person last checked it (required on every fact by lint-targets).
struct Provenance {
  std::string source;   // URL or citation
  std::string checked;  // YYYY-MM-DD
};

enum class Transport { tcp, tls };

struct DomainEntry {
  std::string name;
  Provenance provenance;
};

struct EndpointEntry {
  std::string host;  // hostname or IP literal
  uint16_t port = 0;
  Transport transport = Transport::tls;
  std::string note;  // e.g. "the app speaks MTProto here"
  Provenance provenance;
};

struct UrlEntry {
  std::string url;
  HealthyRule healthy;
  Provenance provenance;
};

// Trust anchors the real app pins: TLS to these hosts is verified against them alone.
struct PinnedCa {
  std::string pem;                 // PEM text of one or more certificates
  std::vector<std::string> hosts;  // hosts the pin applies to; empty: every host of the service
  Provenance provenance;
};

struct AsnEntry {
  uint32_t asn = 0;
  Provenance provenance;
};

// A response pattern known to come from the provider (e.g. a geo-block page).
struct SignatureEntry {
  std::string id;
  std::string attribution;   // provider_restriction | provider_on_government_order
  std::string location;      // body | status | header.<name>
  std::string pattern_type;  // contains | prefix | full
  std::string pattern;
  Provenance provenance;
};

struct Service {
  std::string id;    // [a-z0-9_-]+, used by --services
  std::string name;  // for humans
  std::string provider;
  std::vector<AsnEntry> provider_asns;
  std::vector<DomainEntry> domains;
  std::vector<EndpointEntry> endpoints;
  std::vector<UrlEntry> urls;
  std::vector<PinnedCa> pinned_cas;
  std::vector<SignatureEntry> signatures;
  std::string notes;
  std::string origin;  // file the service was read from (for messages; not part of the format)
};

struct Catalogue {
  std::string version;
  std::vector<Service> services;
};

}  // namespace rp
