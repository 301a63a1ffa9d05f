// The shared text helpers: ASCII only, whatever the locale, and counts that read as English.
#include <gtest/gtest.h>

#include "text/text.h"

namespace rp {
namespace {

TEST(Text, LowerCasesAsciiLettersOnly) {
  EXPECT_EQ(ascii_lower("WhatsApp.NET"), "whatsapp.net");
  EXPECT_EQ(ascii_lower("ЯСЕНЬ.test"), "ЯСЕНЬ.test");  // multi-byte UTF-8 passes through untouched
  EXPECT_EQ(ascii_lower(std::string_view("A\0B", 3)), std::string("a\0b", 3));
}

TEST(Text, ComparesIgnoringTheCaseOfAsciiLetters) {
  EXPECT_TRUE(iequals_ascii("Content-Encoding", "content-encoding"));
  EXPECT_FALSE(iequals_ascii("Content-Encoding", "content-encodings"));
  EXPECT_FALSE(iequals_ascii("a", "b"));
}

TEST(Text, TrimsAsciiWhitespaceAtBothEnds) {
  EXPECT_EQ(trim_ascii(" \t 1.2.3.4\r\n"), "1.2.3.4");
  EXPECT_EQ(trim_ascii("a b"), "a b");
  EXPECT_EQ(trim_ascii(" \n "), "");
}

TEST(Text, PluralPicksTheWordThatFitsTheCount) {
  EXPECT_EQ(plural(1, "hop", "hops"), "1 hop");
  EXPECT_EQ(plural(0, "hop", "hops"), "0 hops");
  EXPECT_EQ(plural(3, "reply", "replies"), "3 replies");
}

}  // namespace
}  // namespace rp
