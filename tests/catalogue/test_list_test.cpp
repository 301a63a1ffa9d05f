// Citizen Lab test-list CSV parsing: quoting, bad lines, duplicates, the category filter, hostile input.
#include "catalogue/test_list.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace rp {
namespace {

const char* kHeader = "url,category_code,category_description,date_added,source,notes\n";

TEST(TestList, ReadsEveryColumnOfAWellFormedLine) {
  auto r = parse_test_list(std::string(kHeader) +
                           "https://www.example.org/,COMT,Communication Tools,2017-04-12,citizenlab,\n");
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].url, "https://www.example.org/");
  EXPECT_EQ(r.entries[0].category_code, "COMT");
  EXPECT_EQ(r.entries[0].category_description, "Communication Tools");
  EXPECT_EQ(r.entries[0].date_added, "2017-04-12");
  EXPECT_EQ(r.entries[0].source, "citizenlab");
  EXPECT_EQ(r.entries[0].line, 2u);
  EXPECT_TRUE(r.problems.empty());
}

TEST(TestList, HonoursRfc4180QuotingWithCommasEscapedQuotesAndNewlines) {
  auto r = parse_test_list(
      std::string(kHeader) +
      "\"https://chat.example.org/a,b\",COMT,\"Tools, \"\"chat\"\"\",2020-01-01,x,\"two\r\nlines\"\r\n"
      "https://www.example.net/,NEWS,News Media,2020-01-01,y,\n");
  ASSERT_EQ(r.entries.size(), 2u) << (r.problems.empty() ? "" : r.problems[0].message);
  EXPECT_EQ(r.entries[0].url, "https://chat.example.org/a,b");
  EXPECT_EQ(r.entries[0].category_description, "Tools, \"chat\"");
  EXPECT_EQ(r.entries[0].notes, "two\r\nlines");
  EXPECT_EQ(r.entries[1].line, 4u) << "the quoted newline counts as a line";
}

TEST(TestList, SkipsBadLinesAndSaysWhichLineAndWhy) {
  auto r = parse_test_list(std::string(kHeader) +
                           "https://ok.example.org/,COMT,Communication Tools,2020-01-01,x,\n"
                           "https://short.example.org/,COMT\n"
                           "not a url,COMT,Communication Tools,2020-01-01,x,\n"
                           "https://bad\"quote.example.org/,COMT,Communication Tools,2020-01-01,x,\n"
                           "https://nocat.example.org/,,Communication Tools,2020-01-01,x,\n"
                           "https://ok.example.org/,COMT,Communication Tools,2020-01-01,x,\n"
                           "\"https://open.example.org/,COMT,never closed\n");
  ASSERT_EQ(r.entries.size(), 1u);
  ASSERT_EQ(r.problems.size(), 6u);
  EXPECT_EQ(r.problems[0].line, 3u);
  EXPECT_EQ(r.problems[0].message, "expected 6 fields, found 2");
  EXPECT_EQ(r.problems[1].line, 4u);
  EXPECT_NE(r.problems[1].message.find("is not an http(s) URL"), std::string::npos);
  EXPECT_EQ(r.problems[2].message, "a quote inside an unquoted field");
  EXPECT_EQ(r.problems[3].message, "empty category_code");
  EXPECT_NE(r.problems[4].message.find("duplicate URL"), std::string::npos);
  EXPECT_EQ(r.problems[5].message, "unterminated quoted field");
}

TEST(TestList, KeepsOnlyTheRequestedCategoryIgnoringCase) {
  auto r = parse_test_list(std::string(kHeader) +
                               "https://chat.example.org/,COMT,Communication Tools,2020-01-01,x,\n"
                               "https://news.example.org/,NEWS,News Media,2020-01-01,x,\n",
                           std::string("comt"));
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].url, "https://chat.example.org/");
}

TEST(TestList, KnowsExactlyTheThirtyCodesOfCitizenLabsLegend) { EXPECT_EQ(known_test_list_categories().size(), 30u); }

TEST(TestList, RejectsAnUnknownCategoryListingTheKnownOnes) {
  auto r = parse_test_list(kHeader, std::string("CHAT"));
  EXPECT_NE(r.error.find("unknown category \"CHAT\""), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("COMT"), std::string::npos);
}

TEST(TestList, RefusesAFileWithoutTheCitizenLabHeader) {
  auto r = parse_test_list("https://chat.example.org/,COMT,Communication Tools,2020-01-01,x,\n", std::nullopt,
                           "list.csv");
  EXPECT_NE(r.error.find("list.csv: line 1: not a Citizen Lab test list"), std::string::npos) << r.error;
  EXPECT_TRUE(r.entries.empty());
}

TEST(TestList, ToleratesAByteOrderMarkAndBlankLines) {
  auto r = parse_test_list(std::string("\xEF\xBB\xBF") + kHeader + "\n" +
                           "https://chat.example.org/,COMT,Communication Tools,2020-01-01,x,\n\n");
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.entries.size(), 1u);
  EXPECT_TRUE(r.problems.empty());
}

TEST(TestList, BoundsAHostileRecordAndTheNumberOfProblemsReported) {
  std::string text = kHeader;
  text += "\"" + std::string(200000, 'a') + "\",COMT,x,2020-01-01,x,\n";
  for (int i = 0; i < 3000; ++i) text += "junk\n";
  auto r = parse_test_list(text);
  ASSERT_FALSE(r.problems.empty());
  EXPECT_EQ(r.problems[0].message, "record longer than 64 KiB");
  EXPECT_EQ(r.problems.size(), 1001u);
  EXPECT_EQ(r.problems.back().message, "too many problems; stopped listing them");
}

TEST(TestList, ReadsAFileFromDisk) {
  auto path = std::filesystem::temp_directory_path() / "reachprobe-test-list.csv";
  {
    std::ofstream out(path);
    out << kHeader << "https://chat.example.org/,COMT,Communication Tools,2020-01-01,x,\n";
  }
  auto r = read_test_list(path, std::nullopt);
  std::filesystem::remove(path);
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.entries.size(), 1u);
}

TEST(TestList, SaysSoWhenTheFileIsMissing) {
  auto r = read_test_list("/nonexistent/list.csv", std::nullopt);
  EXPECT_EQ(r.error, "/nonexistent/list.csv: not a readable regular file");
}

}  // namespace
}  // namespace rp
