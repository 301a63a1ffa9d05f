// The bytes of a TLS ClientHello for a given SNI, produced by OpenSSL without any network I/O.
#pragma once

#include <optional>
#include <string>

#include <openssl/ssl.h>

namespace rp {

// The first flight OpenSSL would send for server_name (nullopt: no SNI), as the probe's own handshakes
// send it (same SSL_CTX). Used to replay the exact triggering packet with a limited TTL.
std::string build_client_hello(SSL_CTX* ctx, const std::optional<std::string>& server_name);

}  // namespace rp
