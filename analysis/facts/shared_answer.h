// Whether a suspect DNS answer (a bogon, a blockpage fingerprint's address) is evidence against the network:
// only what the control resolved the same name to can tell a forged answer from the name's own.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fingerprints.h"
#include "netaddr.h"
#include "target_features.h"

namespace ra::facts {

// What the control says about one answer the vantage got for a name.
enum class ControlAnswer {
  none,     // no control: a name its owner points at this address would look the same
  differs,  // the control resolved the name to other addresses: the vantage's answer was rewritten
  nothing,  // the control got no address at all
  shared,   // the control got the same address: the name itself points there (or the control is not clean)
};
ControlAnswer control_answer(const Side* c, const std::string& host, const std::string& address);

// A suspect answer the control got too: an address no public service lives at (bogon_prefix set), or one a
// network fingerprint knows (fingerprint set), that both sides resolved the name to and nothing validated by
// TLS. The first one found, in query order; none when the control shares no suspect answer.
struct SharedSuspectAnswer {
  std::string host;
  std::string address;
  std::optional<std::string> bogon_prefix;
  const Fingerprint* fingerprint = nullptr;
};
std::optional<SharedSuspectAnswer> shared_suspect_answer(const Side& v, const Side& c, const FingerprintCatalogue& fp,
                                                         const std::vector<Prefix>& bogons);

}  // namespace ra::facts
