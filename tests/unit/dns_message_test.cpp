// The DNS reply parser on hand-built byte tables, including hostile ones.
#include <gtest/gtest.h>

#include <vector>

#include "dns/dns_message.h"
#include "dns/dns_query.h"

namespace rp {
namespace {

using Bytes = std::vector<uint8_t>;

// Header: id 0x1234, response flags with rcode, 1 question, `answers` answers.
Bytes header(int rcode, uint16_t answers) {
  return {0x12, 0x34, 0x81, static_cast<uint8_t>(0x80 | rcode), 0, 1, 0, static_cast<uint8_t>(answers), 0, 0, 0, 0};
}

void append(Bytes& b, const Bytes& more) { b.insert(b.end(), more.begin(), more.end()); }

// Question for chat.example.com (name at offset 12), type A.
const Bytes kQuestion = {4, 'c', 'h', 'a', 't', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1};

TEST(DnsMessage, ParsesAnAnswerWithACompressedName) {
  Bytes m = header(0, 1);
  append(m, kQuestion);
  append(m, {0xC0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 198, 51, 100, 7});
  const auto msg = parse_dns_message(m);
  ASSERT_TRUE(msg);
  EXPECT_EQ(msg->id, 0x1234);
  EXPECT_TRUE(msg->is_response);
  EXPECT_EQ(msg->rcode, 0);
  ASSERT_EQ(msg->answers.size(), 1u);
  EXPECT_EQ(msg->answers[0].name, "chat.example.com");
  EXPECT_EQ(msg->answers[0].value, "198.51.100.7");
  EXPECT_EQ(msg->answers[0].ttl, 3600u);
}

TEST(DnsMessage, ParsesCnameThenAaaa) {
  Bytes m = header(0, 2);
  append(m, kQuestion);
  // CNAME chat.example.com -> edge.example.com (compressed suffix at offset 17 "example.com")
  append(m, {0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 7, 4, 'e', 'd', 'g', 'e', 0xC0, 17});
  append(m, {0xC0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  const auto msg = parse_dns_message(m);
  ASSERT_TRUE(msg);
  ASSERT_EQ(msg->answers.size(), 2u);
  EXPECT_EQ(dns_type_name(msg->answers[0].type), "CNAME");
  EXPECT_EQ(msg->answers[0].value, "edge.example.com");
  EXPECT_EQ(msg->answers[1].value, "2001:db8::1");
}

TEST(DnsMessage, ReadsTheRcodeOfAnNxdomainReply) {
  Bytes m = header(3, 0);
  append(m, kQuestion);
  const auto msg = parse_dns_message(m);
  ASSERT_TRUE(msg);
  EXPECT_EQ(dns_rcode_name(msg->rcode), "NXDOMAIN");
  EXPECT_TRUE(msg->answers.empty());
}

TEST(DnsMessage, RejectsACompressionPointerToItself) {
  Bytes m = header(0, 1);
  append(m, kQuestion);
  const uint8_t self = static_cast<uint8_t>(m.size());
  append(m, {0xC0, self, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4});
  EXPECT_FALSE(parse_dns_message(m));
}

TEST(DnsMessage, RejectsAForwardPointerThatCouldLoop) {
  Bytes m = header(0, 0);
  m[5] = 1;
  append(m, {0xC0, 14, 0xC0, 12, 0, 1, 0, 1});
  EXPECT_FALSE(parse_dns_message(m));
}

TEST(DnsMessage, RejectsTruncatedRecordsAndShortHeaders) {
  Bytes m = header(0, 1);
  append(m, kQuestion);
  append(m, {0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2});  // rdata cut short
  EXPECT_FALSE(parse_dns_message(m));
  EXPECT_FALSE(parse_dns_message(Bytes{0x12, 0x34, 0x81}));
}

TEST(DnsMessage, RejectsAnAddressRecordOfTheWrongSize) {
  Bytes m = header(0, 1);
  append(m, kQuestion);
  append(m, {0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 3, 1, 2, 3});
  EXPECT_FALSE(parse_dns_message(m));
}

TEST(DnsMessage, CapsTheNumberOfAnswersKept) {
  Bytes m = header(0, 0);
  const uint16_t n = 1000;
  m[6] = static_cast<uint8_t>(n >> 8);
  m[7] = static_cast<uint8_t>(n & 0xff);
  append(m, kQuestion);
  for (int i = 0; i < n; ++i) append(m, {0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 10, 0, 0, 1});
  const auto msg = parse_dns_message(m);
  ASSERT_TRUE(msg);
  EXPECT_EQ(msg->answers.size(), kMaxDnsAnswers);
}

// A hostile resolver's "10,000 records": ANCOUNT says 10000, a full 65,535-byte TCP message holds 4,093.
TEST(DnsMessage, RejectsAnAnswerCountTheMessageDoesNotHold) {
  Bytes m = header(0, 0);
  m[6] = 10000 >> 8;
  m[7] = 10000 & 0xff;
  append(m, kQuestion);
  while (m.size() + 16 <= 65535) append(m, {0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 10, 0, 0, 1});
  EXPECT_FALSE(parse_dns_message(m));
  m[6] = 4093 >> 8;  // the same records, counted honestly: parsed, and only kMaxDnsAnswers kept
  m[7] = 4093 & 0xff;
  const auto msg = parse_dns_message(m);
  ASSERT_TRUE(msg);
  EXPECT_EQ(msg->answers.size(), kMaxDnsAnswers);
}

// Two answers whose names point at each other: the second pointer goes forward, which is refused.
TEST(DnsMessage, RejectsATwoPointerCycle) {
  Bytes m = header(0, 2);
  append(m, kQuestion);  // answers start at 34; the second at 34 + 16 = 50
  append(m, {0xC0, 50, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 10, 0, 0, 1});
  append(m, {0xC0, 34, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 10, 0, 0, 2});
  EXPECT_FALSE(parse_dns_message(m));
}

}  // namespace
}  // namespace rp

namespace rp {
namespace {

TEST(DnsQuery, BuildsAQueryThatOurParserReadsBack) {
  const auto q = build_dns_query(0xBEEF, "chat.example.com.", 28);
  ASSERT_TRUE(q);
  EXPECT_EQ((*q)[0], 0xBE);
  EXPECT_EQ((*q)[2], 0x01);  // RD
  EXPECT_EQ(q->size(), 12u + 18u + 4u);
  auto copy = *q;
  copy[2] |= 0x80;  // pretend it is a response
  const auto msg = parse_dns_message(copy);
  ASSERT_TRUE(msg);
  EXPECT_EQ(msg->id, 0xBEEF);
}

TEST(DnsQuery, RefusesNamesThatCannotBeEncoded) {
  EXPECT_FALSE(build_dns_query(1, "", 1));
  EXPECT_FALSE(build_dns_query(1, "a..b", 1));
  EXPECT_FALSE(build_dns_query(1, std::string(64, 'a') + ".com", 1));
  EXPECT_FALSE(build_dns_query(1, std::string(254, 'a'), 1));
}

}  // namespace
}  // namespace rp
