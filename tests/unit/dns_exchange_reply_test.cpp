// Which datagrams count as a reply to the probe's own DNS question, which ones c-ares dropped as strays,
// and how an exchange that only received strays is recorded.
#include <gtest/gtest.h>

#include <vector>

#include "dns/dns_query.h"
#include "net/dns_client.h"
#include "net/dns_exchange.h"

namespace rp {
namespace {

using Bytes = std::vector<uint8_t>;

// A reply to `query` (its question copied), id replaced by `id`, with one A record 198.51.100.7.
Bytes reply_to(const Bytes& query, uint16_t id) {
  Bytes m = query;
  m[0] = static_cast<uint8_t>(id >> 8);
  m[1] = static_cast<uint8_t>(id & 0xff);
  m[2] = 0x81;
  m[3] = 0x80;
  m[7] = 1;  // ANCOUNT
  const Bytes answer = {0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 198, 51, 100, 7};
  m.insert(m.end(), answer.begin(), answer.end());
  return m;
}

const Bytes kQuery = *build_dns_query(0x1234, "Chat.Example.com", 1);

TEST(DnsExchangeReply, AcceptsTheReplyToItsQuestion) {
  const Bytes r = reply_to(kQuery, 0x1234);
  const auto msg = exchange_reply(r, r.size(), 0x1234, "chat.example.com.", 1);
  ASSERT_TRUE(msg);
  ASSERT_EQ(msg->answers.size(), 1u);
  EXPECT_EQ(msg->answers[0].value, "198.51.100.7");
}

TEST(DnsExchangeReply, RefusesTheWrongIdAnotherQuestionAndAQuery) {
  const Bytes r = reply_to(kQuery, 0x1234);
  EXPECT_FALSE(exchange_reply(r, r.size(), 0x1235, "chat.example.com", 1));
  EXPECT_FALSE(exchange_reply(r, r.size(), 0x1234, "other.example.com", 1));
  EXPECT_FALSE(exchange_reply(r, r.size(), 0x1234, "chat.example.com", 28));
  EXPECT_FALSE(exchange_reply(kQuery, kQuery.size(), 0x1234, "chat.example.com", 1));
}

TEST(DnsExchangeReply, RefusesADatagramOverFiveHundredTwelveBytesEvenIfItsStartParses) {
  const Bytes r = reply_to(kQuery, 0x1234);
  EXPECT_FALSE(exchange_reply(r, kMaxUdpReplyBytes + 1, 0x1234, "chat.example.com", 1));  // cut by recv
  EXPECT_FALSE(exchange_reply(r, 6000, 0x1234, "chat.example.com", 1));
  Bytes big = r;
  big.resize(kMaxUdpReplyBytes + 1, 0);  // trailing bytes after a valid message, but too long for UDP
  EXPECT_FALSE(exchange_reply(big, big.size(), 0x1234, "chat.example.com", 1));
}

TEST(DnsExchangeFailure, OnlyMalformedDatagramsBeforeTheTimeoutMeanTheServerMisbehaved) {
  EXPECT_EQ(exchange_failure(false, 3, Failure::generic_timeout_error), Failure::dns_server_misbehaving);
  EXPECT_EQ(exchange_failure(false, 0, Failure::generic_timeout_error), Failure::generic_timeout_error);
  EXPECT_EQ(exchange_failure(false, 2, Failure::connection_refused), Failure::connection_refused);
  EXPECT_EQ(exchange_failure(true, 5, Failure::generic_timeout_error), std::nullopt);
  EXPECT_EQ(exchange_failure(true, 0, std::nullopt), std::nullopt);
}

TEST(DnsClientStrays, AReplyToASentQuestionIsNoStray) {
  const std::map<uint16_t, DnsQuestionKey> sent = {{0x1234, {"chat.example.com", 1}}};
  EXPECT_EQ(stray_datagram(reply_to(kQuery, 0x1234), sent), std::nullopt);
}

TEST(DnsClientStrays, AWrongIdIsAStrayForTheQuestionItNames) {
  const std::map<uint16_t, DnsQuestionKey> sent = {{0x1234, {"chat.example.com", 1}}};
  EXPECT_EQ(stray_datagram(reply_to(kQuery, 0x1235), sent), (DnsQuestionKey{"chat.example.com", 1}));
  // The right id with another question: c-ares drops it too.
  const std::map<uint16_t, DnsQuestionKey> other = {{0x1234, {"other.example.com", 1}}};
  EXPECT_EQ(stray_datagram(reply_to(kQuery, 0x1234), other), (DnsQuestionKey{"chat.example.com", 1}));
}

TEST(DnsClientStrays, AnUnparseableDatagramNamesTheQuestionOfItsIdOrNone) {
  const std::map<uint16_t, DnsQuestionKey> sent = {{0x1234, {"chat.example.com", 1}}};
  Bytes cut = reply_to(kQuery, 0x1234);
  cut.resize(cut.size() - 2);
  EXPECT_EQ(stray_datagram(cut, sent), (DnsQuestionKey{"chat.example.com", 1}));
  EXPECT_EQ(stray_datagram(Bytes{0xde, 0xad, 0xbe, 0xef}, sent), DnsQuestionKey{});
  EXPECT_EQ(stray_datagram(Bytes{0x12}, sent), DnsQuestionKey{});
}

}  // namespace
}  // namespace rp
