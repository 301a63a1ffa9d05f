// Fills an observation from the result of the network operation it observed (after OONI's measurexlite),
// so experiment code never copies result fields by hand. Every untrusted string is sanitized here.
#pragma once

#include <cstddef>

#include "net/dns_client.h"
#include "net/dns_exchange.h"
#include "net/http_fetch.h"
#include "net/tcp_connect.h"
#include "net/tls_handshake.h"
#include "record/observations.h"

namespace rp {

void record_result(DnsQueryObservation& obs, const DnsQueryResult& result);
void record_result(DnsExchangeObservation& obs, const DnsExchangeResult& result);
void record_result(TcpConnectObservation& obs, const TcpConnectResult& result);
void record_result(TlsHandshakeObservation& obs, const TlsHandshakeResult& result);
// Everything but healthy_match (the experiment's judgement); the body is kept as its length, hash, title
// and first body_prefix_bytes.
void record_result(HttpRequestObservation& obs, const HttpFetchResult& result, std::size_t body_prefix_bytes);

}  // namespace rp
