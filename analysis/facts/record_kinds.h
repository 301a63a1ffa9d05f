// Named predicates over the record's closed vocabularies (failures, SNI kinds, hop outcomes, packet kinds, ...),
// compared as the common model's typed enums: the one place the facts and rules ask what kind a thing is.
#pragma once

#include <optional>
#include <string>

#include "record.h"
#include "target_features.h"
#include "text/text.h"

namespace ra {

// --- Failures ----------------------------------------------------------------------------------------------

// Something actively cut the step: a reset, a refused connect, or the peer closing early.
inline bool reset_like(const rp::MaybeFailure& f) {
  return f == rp::Failure::connection_reset || f == rp::Failure::connection_refused || f == rp::Failure::eof_error;
}
inline bool timeout_like(const rp::MaybeFailure& f) { return f == rp::Failure::generic_timeout_error; }
// A reset packet ended the step (refused connect or reset connection): what a TTL can be compared for.
inline bool refused_or_reset(const rp::MaybeFailure& f) {
  return f == rp::Failure::connection_refused || f == rp::Failure::connection_reset;
}
inline bool is_refused(const rp::MaybeFailure& f) { return f == rp::Failure::connection_refused; }
inline bool is_unknown_authority(const rp::MaybeFailure& f) { return f == rp::Failure::ssl_unknown_authority; }
inline bool cert_failure(const rp::MaybeFailure& f) {
  return f == rp::Failure::ssl_unknown_authority || f == rp::Failure::ssl_invalid_hostname ||
         f == rp::Failure::ssl_invalid_certificate;
}
// The vantage could not reach its resolver at all: the measurement's own trouble, not the service's.
inline bool resolver_unreachable(const rp::MaybeFailure& f) {
  return f == rp::Failure::connection_refused || f == rp::Failure::network_unreachable ||
         f == rp::Failure::host_unreachable;
}

// An Outcome's failure is a key ("status 403" for an unhealthy reply): these read it back as a failure first.
inline rp::MaybeFailure failure_named(const std::string& key) { return rp::parse_failure(key); }
inline bool is_timeout(const std::string& key) { return timeout_like(failure_named(key)); }
inline bool is_refused_or_reset(const std::string& key) { return refused_or_reset(failure_named(key)); }
inline bool resolver_unreachable(const std::string& key) { return resolver_unreachable(failure_named(key)); }

// --- TLS handshakes ----------------------------------------------------------------------------------------

inline bool names_target(const rp::TlsHandshakeObservation& tls) { return tls.sni_kind == rp::SniKind::target; }
inline bool names_neutral(const rp::TlsHandshakeObservation& tls) { return tls.sni_kind == rp::SniKind::neutral; }
inline bool names_nothing(const rp::TlsHandshakeObservation& tls) { return tls.sni_kind == rp::SniKind::none; }
inline bool pinned(const rp::TlsHandshakeObservation& tls) { return tls.trust == "pinned"; }
// A handshake for `host` (the name it verified: the target's own, or a redirect hop's); any, for "".
inline bool for_host(const rp::TlsHandshakeObservation& tls, const std::string& host) {
  return host.empty() || rp::ascii_lower(tls.verify_name) == host;
}

// --- DNS ---------------------------------------------------------------------------------------------------

inline bool is_address_record(const rp::DnsAnswerRecord& a) { return a.type == "A" || a.type == "AAAA"; }
inline bool is_injection_check(const rp::DnsExchangeObservation& dnsx) {
  return dnsx.purpose == rp::DnsPurpose::injection_check;
}
inline bool is_duplicate_watch(const rp::DnsExchangeObservation& dnsx) {
  return dnsx.purpose == rp::DnsPurpose::duplicate_watch;
}

// --- Path localisation -------------------------------------------------------------------------------------

inline bool localises_syn(const rp::PathLocalizationObservation& path) {
  return path.kind == rp::LocalizationKind::tcp_syn;
}
inline bool localises_sni(const rp::PathLocalizationObservation& path) {
  return path.kind == rp::LocalizationKind::tls_sni;
}
inline bool trigger_silent(const rp::PathHopRecord& h) { return h.trigger == rp::HopOutcome::silent; }
inline bool trigger_expired(const rp::PathHopRecord& h) { return h.trigger == rp::HopOutcome::ttl_expired; }
inline bool companion_expired(const rp::PathHopRecord& h) { return h.companion == rp::HopOutcome::ttl_expired; }
inline bool companion_unreachable(const rp::PathHopRecord& h) { return h.companion == rp::HopOutcome::unreachable; }

// --- Captured packets --------------------------------------------------------------------------------------

inline bool is_rst(const rp::CapturedPacketRecord& p) { return p.kind == rp::PacketKind::rst; }
inline bool is_dns_reply(const rp::CapturedPacketRecord& p) { return p.kind == rp::PacketKind::dns_reply; }

// --- Targets and records -----------------------------------------------------------------------------------

inline bool is_tls_endpoint(const TargetAddress& a) { return a.scheme == "tls"; }
inline bool is_tcp_endpoint(const TargetAddress& a) { return a.scheme == "tcp"; }
inline bool is_domain(const TargetAddress& a) { return a.scheme == "dns"; }
inline bool was_interrupted(const Record& r) { return r.stop_reason == "interrupted"; }

}  // namespace ra
