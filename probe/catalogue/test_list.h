// Citizen Lab test lists (url,category_code,category_description,date_added,source,notes) as probe inputs.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rp {

struct TestListEntry {
  std::string url;
  std::string category_code;
  std::string category_description;
  std::string date_added;
  std::string source;
  std::string notes;
  std::size_t line = 0;  // 1-based line where the record starts
};

// A line that was skipped, and why; the rest of the file is still used.
struct TestListProblem {
  std::size_t line = 0;
  std::string message;
};

struct TestListRead {
  std::vector<TestListEntry> entries;     // in file order, duplicates and bad lines left out
  std::vector<TestListProblem> problems;  // per-line, capped (the last one says so when the cap is hit)
  std::string error;                      // set when the file as a whole is unusable; entries is then empty
};

// Parses test-list text (RFC 4180: quoted fields, "" escapes, CRLF or LF, a UTF-8 BOM tolerated).
// With a category, only entries whose category_code matches it (case-insensitively) are kept;
// an unknown category is an error listing the known codes. NAME prefixes messages (usually the path).
TestListRead parse_test_list(std::string_view text, const std::optional<std::string>& category = std::nullopt,
                             std::string_view name = "test list");

// Reads PATH (bounded in size) and parses it as above.
TestListRead read_test_list(const std::filesystem::path& path,
                            const std::optional<std::string>& category = std::nullopt);

// Citizen Lab's 30 category codes (their lists/00-LEGEND-new_category_codes.csv), e.g. "COMT".
const std::vector<std::string>& known_test_list_categories();

}  // namespace rp
