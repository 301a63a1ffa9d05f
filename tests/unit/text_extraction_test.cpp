// Title extraction and UTF-8 sanitising of untrusted bodies.
#include <gtest/gtest.h>

#include "html/html_title.h"
#include "util/digest.h"
#include "util/utf8.h"

namespace rp {
namespace {

TEST(HtmlTitle, FindsTheTitleWhateverTheCaseAndWhitespace) {
  EXPECT_EQ(extract_html_title("<html><TITLE lang=en>\n  Access   Denied </title>"), "Access Denied");
  EXPECT_EQ(extract_html_title("<head><titles>x</titles><title>Real</title>"), "Real");
}

TEST(HtmlTitle, ReturnsNothingWithoutATitle) {
  EXPECT_FALSE(extract_html_title("<html><body>no title</body>"));
  EXPECT_FALSE(extract_html_title("<title"));
}

TEST(HtmlTitle, CapsAnUnterminatedTitle) {
  const std::string body = "<title>" + std::string(100000, 'a');
  const auto title = extract_html_title(body);
  ASSERT_TRUE(title);
  EXPECT_EQ(title->size(), 512u);
}

TEST(Utf8, ReplacesInvalidBytesAndKeepsValidText) {
  EXPECT_EQ(sanitize_utf8("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(sanitize_utf8("a\xFF"
                          "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(sanitize_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}

TEST(Utf8, NeverSplitsACharacterAtTheCap) {
  // Cutting "é" in half leaves one invalid byte, which is replaced rather than emitted raw.
  EXPECT_EQ(sanitize_utf8("ab\xC3\xA9", 3), "ab\xEF\xBF\xBD");
}

TEST(Digest, EncodesKnownVectors) {
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace rp
