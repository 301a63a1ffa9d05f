// analysis/README.md's table of rules against rule_table(): the same ids, in the order rules are tried.
#include <gtest/gtest.h>

#include <cstddef>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "rules.h"

namespace ra::test {
namespace {

struct ReadmeRow {
  int number = 0;
  std::string id;
};

// The rows of the table under "## The rules": "| 3 | `dns_blockpage_ip` | ...". Other tables and sections
// are ignored, so the README can keep its scenario table and prose around it.
std::vector<ReadmeRow> readme_rule_rows(const std::string& markdown) {
  std::vector<ReadmeRow> rows;
  std::istringstream in(markdown);
  std::string line;
  bool in_section = false;
  for (int n = 0; n < 10'000 && std::getline(in, line); ++n) {
    if (line.rfind("## ", 0) == 0) in_section = line == "## The rules";
    if (!in_section || line.rfind("| ", 0) != 0) continue;
    std::vector<std::string> cells;
    std::size_t start = 1;
    for (std::size_t bar; cells.size() < 3 && (bar = line.find('|', start)) != std::string::npos; start = bar + 1) {
      std::string cell = line.substr(start, bar - start);
      const auto b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
      cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
    }
    if (cells.size() < 2 || cells[0].empty() || cells[0].find_first_not_of("0123456789") != std::string::npos) continue;
    if (cells[1].size() < 3 || cells[1].front() != '`' || cells[1].back() != '`') continue;
    rows.push_back({std::stoi(cells[0]), cells[1].substr(1, cells[1].size() - 2)});
  }
  return rows;
}

std::vector<std::string> ids_of(const std::vector<ReadmeRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.id);
  return out;
}

std::vector<std::string> table_ids() {
  std::vector<std::string> out;
  for (const auto& r : rule_table()) out.push_back(r.id);
  return out;
}

std::string readme() {
  std::ifstream f(ANALYSIS_README, std::ios::binary);
  std::string text(1 << 20, '\0');  // the README is a few kB; a megabyte bounds the read
  f.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(f.gcount()));
  return text;
}

TEST(RulesReadme, ListsEveryRuleByIdInTheOrderTheTableTriesThem) {
  const auto text = readme();
  ASSERT_FALSE(text.empty()) << "cannot read " << ANALYSIS_README;
  EXPECT_EQ(ids_of(readme_rule_rows(text)), table_ids())
      << "analysis/README.md's rule table must list rules/rules.def's ids in the same order";
}

TEST(RulesReadme, NumbersItsRulesFromOneWithoutGaps) {
  const auto rows = readme_rule_rows(readme());
  ASSERT_FALSE(rows.empty());
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].number, static_cast<int>(i + 1)) << rows[i].id;
}

TEST(RulesReadme, TwoSwappedRowsAreCaught) {
  const std::string swapped =
      "## The rules\n\n| # | Rule | Fires when |\n|---|---|---|\n"
      "| 1 | `dns_bogon` | ... |\n| 2 | `dns_injection_seen` | ... |\n\n## Next\n\n| 3 | `reachable` | ... |\n";
  const auto ids = ids_of(readme_rule_rows(swapped));
  EXPECT_EQ(ids, (std::vector<std::string>{"dns_bogon", "dns_injection_seen"}));
  const auto table = table_ids();
  ASSERT_GE(table.size(), 2u);
  EXPECT_NE(ids, (std::vector<std::string>(table.begin(), table.begin() + 2)));
}

}  // namespace
}  // namespace ra::test
