// Named predicates over the record's string-typed kinds (failures, SNI kinds, hop triggers, ...): the one place
// the facts and rules compare those strings, so a move to typed enums changes this file and nothing else.
#pragma once

#include <optional>
#include <string>

#include "record.h"
#include "target_features.h"

namespace ra {

// --- Failures ----------------------------------------------------------------------------------------------

// Something actively cut the step: a reset, a refused connect, or the peer closing early.
inline bool reset_like(const std::optional<std::string>& f) {
  return f && (*f == "connection_reset" || *f == "connection_refused" || *f == "eof_error");
}
inline bool timeout_like(const std::optional<std::string>& f) { return f && *f == "generic_timeout_error"; }
inline bool is_timeout(const std::string& f) { return f == "generic_timeout_error"; }
// A reset packet ended the step (refused connect or reset connection): what a TTL can be compared for.
inline bool is_refused_or_reset(const std::string& f) { return f == "connection_refused" || f == "connection_reset"; }
inline bool is_refused(const std::optional<std::string>& f) { return f && *f == "connection_refused"; }
inline bool cert_failure(const std::optional<std::string>& f) {
  return f && (*f == "ssl_unknown_authority" || *f == "ssl_invalid_hostname" || *f == "ssl_invalid_certificate");
}
inline bool is_unknown_authority(const std::string& f) { return f == "ssl_unknown_authority"; }
// The vantage could not reach its resolver at all: the measurement's own trouble, not the service's.
inline bool resolver_unreachable(const std::string& f) {
  return f == "connection_refused" || f == "network_unreachable" || f == "host_unreachable";
}

// --- TLS handshakes ----------------------------------------------------------------------------------------

inline bool names_target(const Observation& tls) { return tls.sni_kind == "target"; }
inline bool names_neutral(const Observation& tls) { return tls.sni_kind == "neutral"; }
inline bool names_nothing(const Observation& tls) { return tls.sni_kind == "none"; }
inline bool pinned(const Observation& tls) { return tls.trust == "pinned"; }

// --- DNS ---------------------------------------------------------------------------------------------------

inline bool is_address_record(const DnsAnswer& a) { return a.type == "A" || a.type == "AAAA"; }
inline bool is_injection_check(const Observation& dnsx) { return dnsx.purpose == "injection_check"; }
inline bool is_duplicate_watch(const Observation& dnsx) { return dnsx.purpose == "duplicate_watch"; }

// --- Path localisation -------------------------------------------------------------------------------------

inline bool localises_syn(const Observation& path) { return path.loc_kind == "tcp_syn"; }
inline bool localises_sni(const Observation& path) { return path.loc_kind == "tls_sni"; }
inline bool trigger_silent(const PathHop& h) { return h.trigger == "silent"; }
inline bool trigger_expired(const PathHop& h) { return h.trigger == "ttl_expired"; }
inline bool companion_expired(const PathHop& h) { return h.companion == "ttl_expired"; }
inline bool companion_unreachable(const PathHop& h) { return h.companion == "unreachable"; }

// --- Captured packets --------------------------------------------------------------------------------------

inline bool is_rst(const CapturedPacket& p) { return p.kind == "rst"; }
inline bool is_dns_reply(const CapturedPacket& p) { return p.kind == "dns_reply"; }

// --- Targets and records -----------------------------------------------------------------------------------

inline bool is_tls_endpoint(const TargetAddress& a) { return a.scheme == "tls"; }
inline bool is_tcp_endpoint(const TargetAddress& a) { return a.scheme == "tcp"; }
inline bool is_domain(const TargetAddress& a) { return a.scheme == "dns"; }
inline bool was_interrupted(const Record& r) { return r.stop_reason == "interrupted"; }

}  // namespace ra
