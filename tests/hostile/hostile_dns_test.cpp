// The real reachprobe binary against a DNS server that misbehaves on purpose, over loopback UDP and TCP:
// every DNS observation ends with an exact failure string, within the step's time bound, under the
// memory limit, and the hostile bytes show up as counted-and-discarded rather than as answers.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "hostile_dns_server.h"
#include "lab_harness.h"

namespace reachprobe::hostile {
namespace {

using nlohmann::json;
namespace lab = reachprobe::lab;

constexpr double kStepTimeout = 2.0;
// c-ares spends the step's budget on its three tries, the exchange waits the step timeout: a run that
// gets nothing usable ends a little after one step timeout, never two.
constexpr double kRunBound = kStepTimeout + 1.5;

struct ProbeRun {
  lab::RunResult run;
  json record;
  std::vector<json> queries;    // dns_query, c-ares: A then AAAA
  std::vector<json> exchanges;  // dns_exchange, the probe's own UDP question
};

// The victim URL's port is 1 (tcpmux: nobody listens), so any address a reply smuggles through is
// refused at once on loopback instead of costing a connect timeout.
ProbeRun probe(const HostileDnsServer& server) {
  const std::string out = lab::scratch_path("hostile-dns.jsonl");
  const auto argv = lab::with_memory_limit({REACHPROBE_BIN, "run", "-q", "--resolver", server.address(), "--timeout",
                                            std::to_string(kStepTimeout), "--no-capture", "--no-localize", "--output",
                                            out, "--url", "http://victim.example:1/"});
  ProbeRun r;
  r.run = lab::run_command(argv, 30);
  std::ifstream in(out);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto records = lab::parse_jsonl(text);
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_FALSE(r.run.timed_out);
  if (records.size() != 1u) {
    ADD_FAILURE() << "expected one record, got " << records.size() << "\n" << r.run.err;
    return r;
  }
  std::string report;
  EXPECT_TRUE(lab::validate_against_schema(out, "measurement", &report)) << report;
  r.record = records[0];
  r.queries = lab::observations_of(r.record, "dns_query");
  r.exchanges = lab::observations_of(r.record, "dns_exchange");
  return r;
}

// Both c-ares questions (A and AAAA) end with `failure`, with no answers and no rcode.
void expect_queries_failed(const ProbeRun& r, const std::string& failure) {
  ASSERT_EQ(r.queries.size(), 2u) << r.record.dump(1);
  for (const auto& q : r.queries) {
    EXPECT_EQ(q["failure"], failure) << q.dump();
    EXPECT_TRUE(q["answers"].empty()) << q.dump();
    EXPECT_TRUE(q["rcode"].is_null()) << q.dump();
  }
  EXPECT_EQ(r.queries[0]["query_type"], "A");
  EXPECT_EQ(r.queries[1]["query_type"], "AAAA");
}

// The probe's own question saw `malformed` datagrams, kept none of them, and says the server misbehaved.
void expect_exchange_misbehaving(const ProbeRun& r, int malformed) {
  ASSERT_EQ(r.exchanges.size(), 1u) << r.record.dump(1);
  const auto& x = r.exchanges[0];
  EXPECT_EQ(x["purpose"], "duplicate_watch");
  EXPECT_EQ(x["failure"], "dns_server_misbehaving") << x.dump();
  EXPECT_TRUE(x["replies"].empty()) << x.dump();
  EXPECT_EQ(x["malformed"], malformed) << x.dump();
}

TEST(HostileDns, RepliesWithTheWrongIdAreDiscardedAndCalledMisbehaving) {
  HostileDnsServer server(DnsBehaviour::wrong_id);
  const auto r = probe(server);
  expect_queries_failed(r, "dns_server_misbehaving");
  expect_exchange_misbehaving(r, 3);
  EXPECT_TRUE(lab::observations_of(r.record, "tcp_connect").empty());  // no forged address was used
  EXPECT_EQ(server.tcp_queries(), 0);
  EXPECT_LT(r.run.seconds, kRunBound);
}

TEST(HostileDns, AReplyCutInsideItsAnswerIsMisbehaving) {
  HostileDnsServer server(DnsBehaviour::truncated);
  const auto r = probe(server);
  expect_queries_failed(r, "dns_server_misbehaving");
  expect_exchange_misbehaving(r, 1);
  EXPECT_TRUE(lab::observations_of(r.record, "tcp_connect").empty());
  EXPECT_LT(r.run.seconds, kRunBound);
}

TEST(HostileDns, CompressionLoopsAreRejectedWithoutHanging) {
  HostileDnsServer server(DnsBehaviour::compression_loop);
  const auto r = probe(server);
  expect_queries_failed(r, "dns_server_misbehaving");
  expect_exchange_misbehaving(r, 2);  // the self-pointer and the two-pointer cycle
  EXPECT_TRUE(lab::observations_of(r.record, "tcp_connect").empty());
  EXPECT_LT(r.run.seconds, kRunBound);
}

// Over UDP without EDNS a reply may not exceed 512 bytes (RFC 1035 §4.2.1). c-ares treats a longer one as
// truncated and asks again over TCP, where the same 400 records are legitimate; the probe's own UDP
// exchange counts the 6 KiB datagram as malformed instead of parsing a silently cut copy of it.
TEST(HostileDns, AnOversizedUdpReplyIsRefusedAndTheTcpAnswerUsedBounded) {
  HostileDnsServer server(DnsBehaviour::oversized);
  ASSERT_GT(HostileDnsServer::replies(DnsBehaviour::oversized, std::string("\0\1\1\0\0\1\0\0\0\0\0\0\1v\0\0\1\0\1", 19),
                                      false)[0]
                .size(),
            4096u);
  const auto r = probe(server);
  ASSERT_EQ(r.queries.size(), 2u) << r.record.dump(1);
  for (const auto& q : r.queries) {
    EXPECT_TRUE(q["failure"].is_null()) << q.dump();
    EXPECT_EQ(q["rcode"], "NOERROR");
    EXPECT_EQ(q["answers"].size(), 400u);
  }
  EXPECT_EQ(r.queries[0]["answers"][399]["value"], "127.0.1.150");
  EXPECT_GE(server.tcp_queries(), 2);
  expect_exchange_misbehaving(r, 1);
  // At most 8 addresses per name are connected to, however many the replies hold (800 here).
  const auto tcp = lab::observations_of(r.record, "tcp_connect");
  EXPECT_EQ(tcp.size(), 8u);
  for (const auto& c : tcp) EXPECT_EQ(c["failure"], "connection_refused") << c.dump();
  EXPECT_LT(r.run.seconds, kRunBound);
}

// ANCOUNT says 10,000; UDP carries what fits in 512 bytes with TC set, TCP a full 65,535-byte message of
// real records (4,093 A or 2,339 AAAA), still far short of the count: not a valid answer, nothing kept.
TEST(HostileDns, TenThousandRecordsClaimedAreMisbehavingAndBounded) {
  HostileDnsServer server(DnsBehaviour::ten_thousand_records);
  const auto r = probe(server);
  expect_queries_failed(r, "dns_server_misbehaving");
  EXPECT_GE(server.tcp_queries(), 2);
  expect_exchange_misbehaving(r, 1);
  EXPECT_TRUE(lab::observations_of(r.record, "tcp_connect").empty());
  EXPECT_LT(r.run.seconds, kRunBound);
}

}  // namespace
}  // namespace reachprobe::hostile
