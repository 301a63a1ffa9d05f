// Whether TLS fails only when it names the service (see sni_contrast.h).
#include "facts/sni_contrast.h"

#include "facts/record_kinds.h"

namespace ra::facts {

std::optional<SniContrast> sni_contrast(const Side& v, const std::string& host) {
  for (const auto* t : v.tls) {
    if (!names_target(*t) || t->handshake_completed || !for_host(*t, host)) continue;
    SniContrast s;
    s.failed = t;
    s.reset = reset_like(t->failure);
    if (!s.reset && !timeout_like(t->failure)) continue;
    for (const auto* u : v.tls)
      if (!names_target(*u) && for_host(*u, host) && u->address == t->address && u->port == t->port &&
          u->handshake_completed && (!s.retry || (names_nothing(*s.retry) && names_neutral(*u))))
        s.retry = u;  // a neutral name is the clearest contrast; no name at all will do
    if (!s.retry) continue;
    // Path localisation: the trigger treated differently before the hop where the server answers puts the
    // device on the path, not at the provider; that needs no control to be believed.
    for (const auto* p : v.paths)
      if (localises_sni(*p) && p->address == t->address && p->interference_ttl && p->destination_ttl &&
          *p->interference_ttl < *p->destination_ttl)
        s.localised = p;
    // The capture: a reset whose TTL is not the server's was forged on the path, which needs no control either.
    if (s.reset)
      for (auto& r : reset_ttls(v, {t}))
        if (r.cmp.match == TtlMatch::differs) s.forged = std::move(r);
    return s;
  }
  return std::nullopt;
}

}  // namespace ra::facts
