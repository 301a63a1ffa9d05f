// Reads observations back from the JSON the writer produced (results-schema/measurement.schema.json), with
// every field typed and bounded; errors are RecordError naming the JSON path that is wrong.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "record/json_fields.h"
#include "record/observations.h"

namespace rp {

// nullopt for an observation type this reader does not know (a newer probe's): the caller keeps it out of the
// analysis, never guesses at it. Throws RecordError for a known type with a missing or malformed field.
std::optional<Observation> read_observation(const nlohmann::json& j, const std::string& path);

// The type name an observation is written with ("dns_query", "tls_handshake", ...).
std::string_view type_name(const Observation& obs);

}  // namespace rp
