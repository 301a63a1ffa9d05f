// Strings and docs for the failure table; see failures.def.
#include "failures/failure.h"

#include <array>

namespace rp {
namespace {

struct Row {
  Failure failure;
  std::string_view name;
  std::string_view doc;
};

constexpr std::array kRows{
#define X(id, str, doc) Row{Failure::id, str, doc},
#include "failures/failures.def"
#undef X
};

constexpr std::array kAll = [] {
  std::array<Failure, kRows.size()> all{};
  for (std::size_t i = 0; i < kRows.size(); ++i) all[i] = kRows[i].failure;
  return all;
}();

}  // namespace

std::string_view to_string(Failure f) { return kRows[static_cast<std::size_t>(f)].name; }
std::optional<Failure> parse_failure(std::string_view text) {
  for (const Row& row : kRows)
    if (row.name == text) return row.failure;
  return std::nullopt;
}

std::string_view describe(Failure f) { return kRows[static_cast<std::size_t>(f)].doc; }
std::span<const Failure> all_failures() { return kAll; }

}  // namespace rp
