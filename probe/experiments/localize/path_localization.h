// Finds the hop at which interference starts: the triggering packet and a control packet, each sent
// with TTL 1..max, and the first TTL at which they are treated differently (after CenTrace and OONI's
// tlsmiddlebox).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "net/event_loop.h"
#include "net/ttl_probe.h"
#include "record/enums.h"

namespace rp {

// LocalizationKind is part of the record vocabulary: record/enums.h.

struct LocalizationRequest {
  LocalizationKind kind = LocalizationKind::tcp_syn;
  std::string address;
  uint16_t port = 0;
  std::string trigger;                 // the triggering payload (empty for tcp_syn)
  std::optional<std::string> control;  // the control payload, if the kind has one
  std::string trigger_label;           // e.g. "ClientHello SNI=chat.example.com"
  std::optional<std::string> control_label;
};

struct LocalizationSettings {
  int max_ttl = 8;
  Duration wait{1000};             // per probe, for a reaction
  Duration connect_timeout{2000};  // for the preliminary connect of TCP payload probes
};

struct HopRecord {
  int ttl = 0;
  std::optional<std::string> router;  // who answered "time exceeded" at this TTL, if anyone said
  TtlProbeResult trigger;
  std::optional<TtlProbeResult> control;
  // A plain UDP probe to the same address (traceroute-style, to an unused port): it names the router
  // at this TTL, and says whether the target itself was reached (its "port unreachable" came back).
  std::optional<TtlProbeResult> companion;
  bool reached_target = false;
};

struct LocalizationResult {
  std::vector<HopRecord> hops;          // ttl 1..max_ttl
  std::optional<int> interference_ttl;  // first TTL at which the trigger meets interference
  std::optional<int> destination_ttl;   // first TTL at which the far end answered the control (or the SYN),
                                        // or, for SYNs nobody answers, at which the target answered UDP
  bool confirmed = false;               // a second probe at interference_ttl saw the same
};

// Pure: where the trigger first differs from the control (or, without a control, where SYNs vanish
// for good after routers stopped answering), and where the destination is.
void analyse_hops(LocalizationKind kind, LocalizationResult& result);

// Runs every TTL at once (each router sees at most three probes), then repeats the decisive TTL.
// Takes at most about 2 × (connect_timeout + wait).
void localize_path(EventLoop& loop, const LocalizationRequest& request, const LocalizationSettings& settings,
                   std::function<void(LocalizationResult)> cb);

}  // namespace rp
