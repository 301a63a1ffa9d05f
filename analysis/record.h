// Measurement records as reachanalyze sees them: the envelope of results-schema/measurement.schema.json around
// the common observation model (common/record/), validated as a whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/healthy_rule.h"
#include "record/enums.h"
#include "record/json_fields.h"
#include "record/observations.h"

namespace ra {

struct Target {
  std::string ref;
  rp::TargetRefKind kind = rp::TargetRefKind::url;
  std::optional<rp::HealthyRule> healthy;
};

struct Record {
  std::string measurement_id;
  std::string start_time;
  std::string vantage;
  std::string probe_cc;
  std::string probe_asn;
  std::string stop_reason;
  std::string capture;
  std::optional<std::string> catalogue_version;
  std::optional<std::string> service;
  std::string input_kind;
  std::string input_value;
  std::vector<Target> targets;
  std::vector<rp::Observation> observations;  // the kinds this analyser knows, in record order
  // Where the record came from, for error messages and the report.
  std::string file;
  std::size_t line = 0;

  const Target* find_target(const std::string& ref) const;
};

// A record that does not have the shape results-schema/ promises; what() starts with the JSON path.
using RecordError = rp::RecordError;
// Converts one parsed JSON line into a Record; throws RecordError with a JSON path on anything malformed.
Record parse_record(const nlohmann::json& j);

struct InputError {
  std::string file;
  std::size_t line = 0;  // 0: the file as a whole
  std::string message;
  std::string to_string() const;
};

struct Limits {
  std::size_t max_line_bytes = 64u << 20;  // one service record with certificate chains stays far below this
  std::size_t max_records = 100000;
};

struct LoadResult {
  std::vector<Record> records;
  std::vector<InputError> errors;
};

// Reads a JSONL result file: every valid record is kept, every bad line becomes an InputError naming it.
LoadResult load_records(std::istream& in, const std::string& file, const Limits& limits);

}  // namespace ra
