// Which addresses a finished measurement shows to be this machine's, as the rest of the Internet sees it
// (behind a NAT, the public address never appears on an interface, so it has to be learned).
#pragma once

#include <string>
#include <vector>

#include "record/observations.h"

namespace rp {

// Addresses that servers echoed back as the client's (X-Forwarded-For and the like), that whoami names
// resolved to, and that whoami web services returned as their body. Never taken from headers or bodies:
// an address the probe talked to, an answer of another name, or a private one (a hostile server or an
// injected page must not get the evidence against it scrubbed).
std::vector<std::string> own_addresses_revealed(const std::vector<Observation>& observations);

}  // namespace rp
