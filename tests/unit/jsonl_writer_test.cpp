// The JSONL writer: lines land whole in <path>.partial, and finish() publishes them under <path>.
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "output/jsonl_writer.h"

namespace rp {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class JsonlWriterTest : public ::testing::Test {
 protected:
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("rp-writer-" + std::to_string(getpid()));
  void SetUp() override { std::filesystem::create_directories(dir); }
  void TearDown() override { std::filesystem::remove_all(dir); }
};

TEST_F(JsonlWriterTest, WritesEachLineToThePartialFileAsItComes) {
  const std::string path = (dir / "out.jsonl").string();
  JsonlWriter w(path);
  w.write_line(R"({"a":1})");
  EXPECT_EQ(slurp(path + ".partial"), "{\"a\":1}\n");  // visible before the run ends
  EXPECT_FALSE(std::filesystem::exists(path));
  w.write_line(R"({"b":2})");
  w.finish();
  EXPECT_EQ(slurp(path), "{\"a\":1}\n{\"b\":2}\n");
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
  EXPECT_EQ(w.lines(), 2u);
}

TEST_F(JsonlWriterTest, RefusesAnUnwritablePathWithAOneLineMessage) {
  try {
    JsonlWriter w((dir / "missing-dir" / "out.jsonl").string());
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot write results to"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  }
}

// The late scrub: every line already written is passed through again, edited or dropped, and writing
// carries on after it.
TEST_F(JsonlWriterTest, RewriteEditsAndDropsWrittenLinesAndKeepsAppending) {
  const std::string path = (dir / "rewrite.jsonl").string();
  JsonlWriter w(path);
  w.write_line("keep 1");
  w.write_line("drop");
  w.write_line("keep 2");
  const auto dropped = w.rewrite([](std::string& line) {
    if (line == "drop") return false;
    line += " (seen)";
    return true;
  });
  EXPECT_EQ(dropped, 1u);
  EXPECT_EQ(w.lines(), 2u);
  w.write_line("after");
  w.finish();
  EXPECT_EQ(slurp(path), "keep 1 (seen)\nkeep 2 (seen)\nafter\n");
  EXPECT_FALSE(std::filesystem::exists(path + ".partial.rewrite"));
}

}  // namespace
}  // namespace rp
