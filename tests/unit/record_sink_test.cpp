// The record sink: nothing that names this machine is written, in any spelling, now or after the fact.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "output/record_sink.h"

namespace rp {
namespace {

using json = nlohmann::ordered_json;

constexpr const char* kInterfaceAddress = "198.51.100.7";  // as if on an interface
constexpr const char* kPublicAddress = "203.0.113.9";      // as if learned from a whoami service

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A record shaped like the real ones where it matters: addresses inside nested strings of any field.
json record_with_body(const std::string& body) {
  return json{{"schema_version", "1.0"},
              {"input", {{"kind", "url"}, {"value", "http://welcome.example/"}}},
              {"observations", json::array({{{"type", "http_request"}, {"response", {{"body_prefix", body}}}}})}};
}

class RecordSinkTest : public ::testing::Test {
 protected:
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("rp-sink-" + std::to_string(getpid()));
  std::string path = (dir / "out.jsonl").string();
  std::unique_ptr<RecordSink> sink;

  void SetUp() override {
    std::filesystem::create_directories(dir);
    PrivacyScrubber scrubber;
    scrubber.add(kInterfaceAddress);
    sink = std::make_unique<RecordSink>(std::move(scrubber), std::make_unique<JsonlWriter>(path));
  }
  void TearDown() override {
    sink.reset();
    std::filesystem::remove_all(dir);
  }
  std::string written() const { return slurp(path + ".partial"); }
  std::string published() const { return slurp(path); }
};

TEST_F(RecordSinkTest, WritesEachRecordAsOneWholeLineAndPublishesTheFileWhenFinished) {
  const json first = record_with_body("hello");
  const json second = record_with_body("line one\nline two");  // a newline in a body stays escaped
  EXPECT_EQ(sink->write(first, {}), RecordSink::Outcome::written);
  EXPECT_EQ(sink->write(second, {}), RecordSink::Outcome::written);
  EXPECT_FALSE(std::filesystem::exists(path));
  sink->finish();
  EXPECT_EQ(sink->error(), "");
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
  const std::string text = published();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  const auto lines = lines_of(text);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[0]), first);
  EXPECT_EQ(json::parse(lines[1]), second);
  EXPECT_EQ(sink->writer().lines(), 2u);
}

TEST_F(RecordSinkTest, WritesTheRecordCompactWithInvalidUtf8Replaced) {
  EXPECT_EQ(sink->write(record_with_body("caf\xe9"), {}), RecordSink::Outcome::written);
  EXPECT_EQ(written(),
            "{\"schema_version\":\"1.0\",\"input\":{\"kind\":\"url\",\"value\":\"http://welcome.example/\"},"
            "\"observations\":[{\"type\":\"http_request\",\"response\":{\"body_prefix\":\"caf\xef\xbf\xbd\"}}]}\n");
}

TEST_F(RecordSinkTest, ScrubsTheMachinesAddressInEverySpellingItRewrites) {
  PrivacyScrubber scrubber;
  scrubber.add(kInterfaceAddress);
  scrubber.add("2001:db8::7");
  sink = std::make_unique<RecordSink>(std::move(scrubber), std::make_unique<JsonlWriter>(path));
  const json record = record_with_body(
      "a 198.51.100.7 b 198.051.100.007 c 198.51.100.7:8080 d ip-198-51-100-7.isp.example e 7.100.51.198.in-addr.arpa "
      "f ::ffff:198.51.100.7 g 64:ff9b::198.51.100.7 h 2001:DB8:0:0::7 i [2001:db8::7]:443 j 198.51.100.70");
  ASSERT_EQ(sink->write(record, {}), RecordSink::Outcome::written);
  const auto lines = lines_of(written());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(json::parse(lines[0])["observations"][0]["response"]["body_prefix"],
            "a [scrubbed] b [scrubbed] c [scrubbed]:8080 d ip-[scrubbed].isp.example e [scrubbed] "
            "f [scrubbed] g [scrubbed] h [scrubbed] i [[scrubbed]]:443 j 198.51.100.70");
}

// Keys and field names are scrubbed too: the line is scrubbed, not a list of fields someone remembered.
TEST_F(RecordSinkTest, ScrubsTheAddressWhereverItIsInTheRecord) {
  const json record{{"198.51.100.7", "as a key"}, {"list", json::array({"x", "198.51.100.7"})}, {"n", 1}};
  ASSERT_EQ(sink->write(record, {}), RecordSink::Outcome::written);
  EXPECT_EQ(written(), "{\"[scrubbed]\":\"as a key\",\"list\":[\"x\",\"[scrubbed]\"],\"n\":1}\n");
}

TEST_F(RecordSinkTest, WithholdsARecordThatStillNamesTheMachineAndGoesOnWithTheNext) {
  EXPECT_EQ(sink->write(record_with_body("/next?client=198%2E51%2E100%2E7"), {}), RecordSink::Outcome::withheld);
  EXPECT_EQ(sink->withheld(), 1u);
  EXPECT_EQ(written(), "");
  EXPECT_EQ(sink->write(record_with_body("fine"), {}), RecordSink::Outcome::written);
  sink->finish();
  EXPECT_EQ(lines_of(published()).size(), 1u);
  EXPECT_EQ(sink->withheld(), 1u);
  EXPECT_EQ(sink->error(), "");  // withholding is not a failure of the output
}

TEST_F(RecordSinkTest, ScrubsAnAddressFromTheVeryRecordThatRevealsIt) {
  ASSERT_EQ(sink->write(record_with_body(std::string("your ip: ") + kPublicAddress), {kPublicAddress}),
            RecordSink::Outcome::written);
  EXPECT_EQ(written().find(kPublicAddress), std::string::npos);
  EXPECT_NE(written().find("your ip: [scrubbed]"), std::string::npos);
  EXPECT_FALSE(sink->learned_after_writing());  // nothing was out before it was known
}

TEST_F(RecordSinkTest, KnowsEveryAddressItLearnedAsTheMachinesOwnInAnySpelling) {
  EXPECT_TRUE(sink->is_own_address(kInterfaceAddress));
  EXPECT_FALSE(sink->is_own_address(kPublicAddress));
  sink->write(record_with_body("x"), {kPublicAddress, "2001:db8::9"});
  EXPECT_TRUE(sink->is_own_address("203.000.113.009"));
  EXPECT_TRUE(sink->is_own_address("2001:DB8:0::9"));
  EXPECT_FALSE(sink->is_own_address("203.0.113.90"));
}

TEST_F(RecordSinkTest, RescrubsRecordsWrittenBeforeAnAddressWasLearned) {
  ASSERT_EQ(sink->write(record_with_body(std::string("Welcome, visitor from ") + kPublicAddress), {}),
            RecordSink::Outcome::written);
  EXPECT_NE(written().find(kPublicAddress), std::string::npos);  // not known yet: nobody could tell
  ASSERT_EQ(sink->write(record_with_body(kPublicAddress), {kPublicAddress}), RecordSink::Outcome::written);
  EXPECT_TRUE(sink->learned_after_writing());
  sink->finish();
  EXPECT_EQ(sink->error(), "");
  const std::string text = published();
  EXPECT_EQ(text.find(kPublicAddress), std::string::npos);
  const auto lines = lines_of(text);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[0])["observations"][0]["response"]["body_prefix"], "Welcome, visitor from [scrubbed]");
  EXPECT_EQ(sink->withheld(), 0u);
}

TEST_F(RecordSinkTest, DropsAnEarlierRecordThatTheRescrubCannotClean) {
  ASSERT_EQ(sink->write(record_with_body("/next?client=203%2E0%2E113%2E9"), {}), RecordSink::Outcome::written);
  ASSERT_EQ(sink->write(record_with_body("kept"), {}), RecordSink::Outcome::written);
  ASSERT_EQ(sink->write(record_with_body("whoami"), {kPublicAddress}), RecordSink::Outcome::written);
  sink->finish();
  const auto lines = lines_of(published());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[0])["observations"][0]["response"]["body_prefix"], "kept");
  EXPECT_EQ(json::parse(lines[1])["observations"][0]["response"]["body_prefix"], "whoami");
  EXPECT_EQ(sink->withheld(), 1u);
}

// An address learned before anything was written costs no rewrite; one learned again is not news.
TEST_F(RecordSinkTest, RescrubsOnlyWhenANewAddressArrivesAfterARecordWasWritten) {
  sink->write(record_with_body("a"), {kPublicAddress});
  EXPECT_FALSE(sink->learned_after_writing());
  sink->write(record_with_body("b"), {kPublicAddress, kInterfaceAddress});
  EXPECT_FALSE(sink->learned_after_writing());
  sink->write(record_with_body("c"), {"not an address", "127.0.0.1"});
  EXPECT_FALSE(sink->learned_after_writing());
  sink->write(record_with_body("d"), {"2001:db8::9"});
  EXPECT_TRUE(sink->learned_after_writing());
}

// /dev/full behind the partial file: every write fails with ENOSPC, as on a full disk.
TEST_F(RecordSinkTest, WritesNothingMoreOnceTheOutputFailedAndKeepsTheFirstError) {
  const std::string full = (dir / "full.jsonl").string();
  std::filesystem::create_symlink("/dev/full", full + ".partial");
  RecordSink failing(PrivacyScrubber{}, std::make_unique<JsonlWriter>(full));
  EXPECT_EQ(failing.write(record_with_body("a"), {}), RecordSink::Outcome::not_written);
  const std::string first_error = failing.error();
  EXPECT_NE(first_error.find("cannot write results to"), std::string::npos);
  EXPECT_EQ(failing.write(record_with_body("b"), {kPublicAddress}), RecordSink::Outcome::not_written);
  EXPECT_FALSE(failing.is_own_address(kPublicAddress));  // a record not written teaches nothing either
  failing.finish();
  EXPECT_EQ(failing.error(), first_error);
  EXPECT_EQ(failing.writer().lines(), 0u);
}

// Fail-closed, over many shapes: whatever a record holds, no line on disk names a known address.
TEST_F(RecordSinkTest, NeverLeavesAKnownAddressOnDiskWhateverTheRecordHolds) {
  const std::vector<std::string> disguises = {
      "%s",   "[%s]",      "x%sx",  "%s.",     "%s:1",  "ip=%s&",    "\"%s\"",
      "%s\n", "<b>%s</b>", "%s,%s", "for=%s;", "\\t%s", "::ffff:%s", "%s/24",
  };
  const auto fill = [](std::string pattern, const std::string& address) {
    for (std::size_t at; (at = pattern.find("%s")) != std::string::npos;) pattern.replace(at, 2, address);
    return pattern;
  };
  for (const auto& d : disguises) {
    sink->write(record_with_body(fill(d, kInterfaceAddress)), {});
    sink->write(record_with_body(fill(d, kPublicAddress)), {});  // before it is learned
  }
  sink->write(record_with_body("whoami"), {kPublicAddress});
  sink->finish();
  ASSERT_EQ(sink->error(), "");
  const std::string text = published();
  EXPECT_EQ(text.find(kInterfaceAddress), std::string::npos);
  EXPECT_EQ(text.find(kPublicAddress), std::string::npos);
  PrivacyScrubber check;
  check.add(kInterfaceAddress);
  check.add(kPublicAddress);
  for (std::string line : lines_of(text)) {
    const std::string as_written = line;
    EXPECT_TRUE(check.scrub(line)) << as_written;
    EXPECT_EQ(line, as_written) << "still held an address";
  }
}

}  // namespace
}  // namespace rp
