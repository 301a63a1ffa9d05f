// Services whose whole job is to tell the asker its own address. Whatever they answer is the probe's
// public address (or its resolver's), so it is scrubbed like the machine's own.
#pragma once

#include <string>

namespace rp {

// A name whose A/AAAA answers are the asker's (or its resolver's) address, e.g. myip.opendns.com.
bool is_dns_whoami_name(const std::string& name);

// A web host whose response body is the asker's address, e.g. api.ipify.org; subdomains count
// (ipv4.icanhazip.com).
bool is_http_whoami_host(const std::string& host);

}  // namespace rp
