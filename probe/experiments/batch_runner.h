// Runs many measurement plans on one event loop, bounded by --parallel, handing each record on as it completes.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "experiments/reachability/measurement_run.h"

namespace rp {

struct BatchOptions {
  std::size_t parallel = 64;            // steps in flight at most; records in progress: 4 times that
  std::optional<std::string> resolver;  // nullopt: the system's
  RunSettings settings;                 // settings.capture, if set, is attached to the run's loop for its duration
};

struct BatchProgress {
  std::size_t done = 0;
  std::size_t total = 0;
  const MeasurementResult* last = nullptr;
};

// Runs every plan; on_record gets each result as soon as it is complete (records cut short by stop are
// handed on too, marked interrupted). Returns true when every plan ran to the end.
// Throws std::invalid_argument if the resolver cannot be used (before anything is measured).
bool run_batch(const std::vector<MeasurementPlan>& plans, const BatchOptions& options, const std::atomic<bool>& stop,
               const std::function<void(const MeasurementResult&)>& on_record,
               const std::function<void(const BatchProgress&)>& on_progress, ResolverAddress* resolver_used);

}  // namespace rp
