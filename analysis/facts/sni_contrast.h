// Whether TLS fails only when it names the service: a failed handshake naming it beside one on the same address
// that completed for a neutral name (or none), and what localises or fingerprints the failure.
#pragma once

#include <optional>

#include "facts/reset_ttl.h"
#include "target_features.h"

namespace ra::facts {

struct SniContrast {
  const Observation* failed = nullptr;  // the handshake naming the service, reset or timed out
  const Observation* retry = nullptr;   // same address and port, completed; a neutral name preferred over none
  bool reset = false;                   // else timed out
  // A tls_sni path localisation that meets the interference before the hop where the server answers.
  const Observation* localised = nullptr;
  // The failed handshake's reset, when its TTL is unlike the server's.
  std::optional<ResetTtl> forged;
};

// The first failed handshake naming the service that has such a contrast.
std::optional<SniContrast> sni_contrast(const Side& v);

}  // namespace ra::facts
