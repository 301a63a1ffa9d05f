// `reachprobe run`'s options checked before anything is read or measured, and turned into what the run uses.
#pragma once

#include <string>
#include <variant>

#include "cli/run_command.h"
#include "experiments/batch_runner.h"
#include "output/record_envelope.h"

namespace rp {

// What the options alone decide. Trust stores, capture and the own-address check are left unset, and so
// are the identity's resolver, catalogue version and capture: they need I/O, or the run finds them out.
struct CheckedRunOptions {
  BatchOptions batch;
  RunIdentity identity;
};

// The options as the run uses them, or the one-line message (without the "reachprobe: " prefix) for
// the first one rejected. Pure: no file is read and nothing is sent.
std::variant<CheckedRunOptions, std::string> check_run_options(const RunOptions& options);

}  // namespace rp
