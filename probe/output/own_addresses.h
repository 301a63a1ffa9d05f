// Which addresses a finished measurement shows to be this machine's, as the rest of the Internet sees it
// (behind a NAT, the public address never appears on an interface, so it has to be learned).
#pragma once

#include <string>
#include <vector>

#include "observe/observations.h"

namespace rp {

// Addresses that servers echoed back as the client's (X-Forwarded-For and the like), that whoami names
// resolved to, and that whoami web services returned as their body. An address the probe itself talked
// to is never taken from headers or bodies: a hostile server must not get evidence about itself scrubbed.
std::vector<std::string> own_addresses_revealed(const std::vector<Observation>& observations);

}  // namespace rp
