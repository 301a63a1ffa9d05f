// The failure table and the results schema's failure enum must list exactly the same strings.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "failures/failure.h"

namespace rp {
namespace {

std::set<std::string> schema_failures() {
  std::ifstream in(std::string(REACHPROBE_SOURCE_DIR) + "/results-schema/failure.schema.json");
  const auto schema = nlohmann::json::parse(in);
  std::set<std::string> out;
  for (const auto& alt : schema.at("oneOf")) {
    if (alt.contains("enum")) {
      for (const auto& v : alt["enum"]) out.insert(v.get<std::string>());
    }
  }
  return out;
}

TEST(FailureTable, AgreesWithTheResultsSchema) {
  std::set<std::string> table;
  for (Failure f : all_failures()) table.insert(std::string(to_string(f)));
  EXPECT_EQ(table, schema_failures());
}

TEST(FailureTable, StringsAreSnakeCaseAndDocumented) {
  const std::regex snake("[a-z][a-z0-9_]*");
  for (Failure f : all_failures()) {
    EXPECT_TRUE(std::regex_match(std::string(to_string(f)), snake)) << to_string(f);
    EXPECT_FALSE(describe(f).empty()) << to_string(f);
  }
}

}  // namespace
}  // namespace rp
