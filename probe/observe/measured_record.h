// A finished measurement as the output layer sees it: what was asked (the input and its targets) and what was
// observed. Experiments fill it; the record writer, the privacy sink and the summary read it, never a plan.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "http/healthy_rule.h"
#include "record/enums.h"
#include "record/observations.h"

namespace rp {

struct MeasuredTarget {
  std::string ref;  // canonical spelling, the `target` of every observation made for it
  TargetRefKind kind = TargetRefKind::domain;
  std::string host;  // the name or address it is reached at (for the summary; the record lists only the ref)
  std::optional<HealthyRule> healthy;
  std::string note;
  std::optional<std::string> unicode_host;  // an IDN's Unicode form; the ref spells the host as its A-label
};

struct MeasuredRecord {
  std::optional<std::string> service;  // catalogue id, or nullopt for ad-hoc inputs
  std::string input_kind;              // service | url | endpoint
  std::string input_value;
  std::vector<MeasuredTarget> targets;
  std::chrono::system_clock::time_point start_time;
  double runtime = 0;  // seconds
  bool interrupted = false;
  std::vector<Observation> observations;  // by id
};

}  // namespace rp
