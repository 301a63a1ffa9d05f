// The probe's failure vocabulary: one enum generated from failures.def, and its stable strings.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace rp {

enum class Failure {
#define X(id, str, doc) id,
#include "failures/failures.def"
#undef X
};

// The stable JSON string of a failure (e.g. "connection_reset").
std::string_view to_string(Failure f);

// The failure a stable string names; nullopt for a string not in the table.
std::optional<Failure> parse_failure(std::string_view text);

// The one-sentence documentation of a failure.
std::string_view describe(Failure f);

// Every failure, in table order (used by --help and by the schema agreement test).
std::span<const Failure> all_failures();

// A step's outcome: nullopt is success, serialised as JSON null.
using MaybeFailure = std::optional<Failure>;

}  // namespace rp
