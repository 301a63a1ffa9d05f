// Where timed-out SYNs vanish, from a tcp_syn path localisation: against the hop where the address itself answers.
#pragma once

#include <optional>
#include <vector>

#include "target_features.h"

namespace ra::facts {

struct SynDrop {
  enum class Where {
    on_path,             // two or more hops before the address's own, with a router answering in between
    in_front_of_server,  // at the hop right before the address's own: usually the provider's own router
    at_server_hop,       // at the address's own hop (the SYNs reached the hop before), which answers UDP
  };
  Where where = Where::on_path;
  const Observation* path = nullptr;  // the path_localization
  int at = 0;                         // the TTL where the SYNs vanish
  int dest = 0;                       // the TTL where the address itself answered the companion UDP probe
  const PathHop* passed = nullptr;    // on_path: a hop where UDP was answered by a router while the SYN was silent
  std::vector<const Observation*> timed_out;  // the vantage's timed-out connects to the path's address
};

// The first path localisation of a timed-out connect that places the drop. ov is the vantage's outcome.
std::optional<SynDrop> localise_syn_drop(const Side& v, const Outcome& ov);

}  // namespace ra::facts
