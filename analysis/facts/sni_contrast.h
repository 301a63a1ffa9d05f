// Whether TLS fails only when it names the service: a failed handshake naming it beside one on the same address
// that completed for a neutral name (or none), and what localises or fingerprints the failure.
#pragma once

#include <optional>
#include <string>

#include "facts/reset_ttl.h"
#include "target_features.h"

namespace ra::facts {

struct SniContrast {
  const rp::TlsHandshakeObservation* failed = nullptr;  // the handshake naming the service, reset or timed out
  // Same address and port, completed; a neutral name preferred over none.
  const rp::TlsHandshakeObservation* retry = nullptr;
  bool reset = false;  // else timed out
  // A tls_sni path localisation that meets the interference before the hop where the server answers.
  const rp::PathLocalizationObservation* localised = nullptr;
  // The failed handshake's reset, when its TTL is unlike the server's.
  std::optional<ResetTtl> forged;
};

// The first failed handshake naming the service that has such a contrast; with `host`, among the handshakes
// for that host only (see for_host(): the target's own, or a redirect hop's).
std::optional<SniContrast> sni_contrast(const Side& v, const std::string& host = "");

}  // namespace ra::facts
