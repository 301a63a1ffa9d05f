// Pairs vantage records with control records, runs the rule table per target and rolls verdicts up per record.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fingerprints.h"
#include "netaddr.h"
#include "record.h"
#include "verdict.h"

namespace ra {

struct Analysis {
  std::vector<Verdict> targets;   // one per target of every vantage record
  std::vector<Verdict> services;  // one per vantage record (a catalogue service, or an ad-hoc input)
};

// control: nullptr when no control file was given at all (every verdict says so).
Analysis classify(const std::vector<Record>& vantage, const std::vector<Record>* control,
                  const FingerprintCatalogue& fp, const std::vector<Prefix>& bogons);

// The control record measuring the same thing: same service (or, for ad-hoc inputs, same input), last one wins.
const Record* match_control(const Record& v, const std::vector<Record>& control);

// Folds one record's target verdicts into a service verdict.
Verdict roll_up(const Record& v, const Record* control, const std::vector<Verdict>& targets);

// Everything reachanalyze writes as JSON (results-schema/verdict.schema.json).
struct RunInfo {
  std::string vantage_file;
  std::string control_file;  // empty: none
  std::size_t vantage_records = 0, control_records = 0;
  std::vector<std::string> fingerprint_dirs;
  std::size_t fingerprints = 0;
  std::vector<InputError> errors;
};
nlohmann::json to_json(const Analysis& a, const RunInfo& info);

// The honest limits every report states.
extern const char* const kAccountLevelNote;

}  // namespace ra
