// Reading result files: valid records survive bad neighbours, every bad line is named, inputs are bounded.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <variant>

#include "jsonl.h"
#include "record_builder.h"

namespace ra::test {
namespace {

std::string line_of(const RecordBuilder& b) { return const_cast<RecordBuilder&>(b).json_ref().dump(); }

TEST(LineReader, ReadsLinesAndFlagsAnUnterminatedLast) {
  std::istringstream in("a\nb\r\nc");
  LineReader r(in, 100);
  auto l1 = r.next(), l2 = r.next(), l3 = r.next();
  ASSERT_TRUE(l1 && l2 && l3);
  EXPECT_EQ(l1->text, "a");
  EXPECT_EQ(l2->text, "b");
  EXPECT_EQ(l3->number, 3u);
  EXPECT_TRUE(l3->unterminated);
  EXPECT_FALSE(r.next());
}

TEST(LineReader, DropsOverlongLinesWithoutHoldingThem) {
  std::istringstream in(std::string(1000, 'x') + "\nok\n");
  LineReader r(in, 10);
  auto l1 = r.next(), l2 = r.next();
  ASSERT_TRUE(l1 && l2);
  EXPECT_TRUE(l1->too_long);
  EXPECT_TRUE(l1->text.empty());
  EXPECT_EQ(l2->text, "ok");
  EXPECT_EQ(l2->number, 2u);
}

TEST(LoadRecords, KeepsValidRecordsAndNamesEveryBadLine) {
  RecordBuilder a("https://a.example.com/"), b("https://b.example.com/");
  a.https_ok("https://a.example.com/", "a.example.com", "198.18.10.10");
  std::string text = line_of(a) + "\n{not json\n\n" + line_of(b) + "\n" + line_of(b).substr(0, 40);
  std::istringstream in(text);
  const LoadResult r = load_records(in, "v.jsonl", Limits{});
  ASSERT_EQ(r.records.size(), 2u);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].line, 2u);
  EXPECT_EQ(r.errors[0].to_string(), "v.jsonl:2: not valid JSON; skipped");
  EXPECT_EQ(r.errors[1].line, 5u);
  EXPECT_NE(r.errors[1].message.find("truncated"), std::string::npos);
  EXPECT_EQ(r.records[1].line, 4u);
}

TEST(LoadRecords, ContractViolationsNameTheJsonPath) {
  RecordBuilder a("https://a.example.com/");
  a.https_ok("https://a.example.com/", "a.example.com", "198.18.10.10");
  auto j = a.json_ref();
  j["observations"][2]["port"] = "443";
  std::istringstream in(j.dump() + "\n");
  const LoadResult r = load_records(in, "v.jsonl", Limits{});
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "invalid record: observations[2].port: expected an integer; skipped");
}

TEST(LoadRecords, ObservationForAnUnknownTargetIsRejected) {
  RecordBuilder a("https://a.example.com/");
  a.dns("https://elsewhere.example.com/", "a.example.com", {"198.18.10.10"});
  std::istringstream in(line_of(a) + "\n");
  const LoadResult r = load_records(in, "v.jsonl", Limits{});
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("names no entry of targets"), std::string::npos);
}

TEST(LoadRecords, DuplicateObservationIdsAreRejected) {
  RecordBuilder a("https://a.example.com/");
  a.https_ok("https://a.example.com/", "a.example.com", "198.18.10.10");
  auto j = a.json_ref();
  j["observations"][1]["id"] = 0;
  std::istringstream in(j.dump() + "\n");
  EXPECT_NE(load_records(in, "v", Limits{}).errors.at(0).message.find("duplicate observation id 0"), std::string::npos);
}

TEST(LoadRecords, UnknownObservationTypeIsLeftOutNotGuessedAndTheRecordKept) {
  RecordBuilder a("https://a.example.com/");
  a.https_ok("https://a.example.com/", "a.example.com", "198.18.10.10");
  auto j = a.json_ref();
  j["observations"][0]["type"] = "quic_handshake";
  std::istringstream in(j.dump() + "\n");
  const LoadResult r = load_records(in, "v", Limits{});
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].observations.size(), j["observations"].size() - 1);
}

TEST(LoadRecords, FailureOutsideTheProbesTableIsRejectedWithItsPath) {
  // Failures are read as rp::Failure: a string the table lacks is a malformed record, not a new kind to guess at.
  RecordBuilder a("https://a.example.com/");
  a.https_ok("https://a.example.com/", "a.example.com", "198.18.10.10");
  auto j = a.json_ref();
  j["observations"][1]["failure"] = "quantum_error";
  std::istringstream in(j.dump() + "\n");
  const LoadResult r = load_records(in, "v", Limits{});
  EXPECT_TRUE(r.records.empty());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "invalid record: observations[1].failure: unknown failure \"quantum_error\"; skipped");
}

TEST(LoadRecords, PathLocalizationIsRead) {
  RecordBuilder a("https://a.example.com/");
  auto j = a.json_ref();
  j["observations"].push_back({{"id", 7},
                               {"type", "path_localization"},
                               {"target", "https://a.example.com/"},
                               {"t0", 1},
                               {"t", 2},
                               {"failure", nullptr},
                               {"kind", "tls_sni"},
                               {"address", "198.18.10.15"},
                               {"port", 443},
                               {"trigger", "ClientHello a.example.com"},
                               {"control", "ClientHello neutral.example.org"},
                               {"max_ttl", 8},
                               {"hops", nlohmann::json::array()},
                               {"interference_ttl", 2},
                               {"last_router_before", "198.18.1.1"},
                               {"router_at", nullptr},
                               {"destination_ttl", 3},
                               {"confirmed", true}});
  std::istringstream in(j.dump() + "\n");
  const LoadResult r = load_records(in, "v", Limits{});
  ASSERT_EQ(r.records.size(), 1u);
  const auto* o = std::get_if<rp::PathLocalizationObservation>(&r.records[0].observations.back());
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->interference_ttl, 2);
  EXPECT_EQ(o->destination_ttl, 3);
  EXPECT_TRUE(o->confirmed);
}

TEST(LoadRecords, DuplicateMeasurementIdIsSkipped) {
  RecordBuilder a("https://a.example.com/");
  std::istringstream in(line_of(a) + "\n" + line_of(a) + "\n");
  const LoadResult r = load_records(in, "v", Limits{});
  EXPECT_EQ(r.records.size(), 1u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("duplicate measurement_id"), std::string::npos);
}

TEST(LoadRecords, RecordCountIsBounded) {
  std::string text;
  for (int i = 0; i < 5; ++i) text += line_of(RecordBuilder("https://a.example.com/")) + "\n";
  std::istringstream in(text);
  Limits lim;
  lim.max_records = 3;
  const LoadResult r = load_records(in, "v", lim);
  EXPECT_EQ(r.records.size(), 3u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("more than 3 records"), std::string::npos);
}

TEST(LoadRecords, OverlongLineIsReportedAndSkipped) {
  std::istringstream in(line_of(RecordBuilder("https://a.example.com/")) + "\n");
  Limits lim;
  lim.max_line_bytes = 100;
  const LoadResult r = load_records(in, "v", lim);
  EXPECT_TRUE(r.records.empty());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("longer than 100 bytes"), std::string::npos);
}

TEST(LoadRecords, DeeplyNestedJsonIsRejectedNotCrashing) {
  std::istringstream in(std::string(100000, '[') + "\n");
  const LoadResult r = load_records(in, "v", Limits{});
  EXPECT_TRUE(r.records.empty());
  EXPECT_EQ(r.errors.size(), 1u);
}

TEST(LoadRecords, CommittedFixturesFollowTheContract) {
  for (const char* name : {"vantage.jsonl", "control.jsonl"}) {
    std::ifstream in(std::string(ANALYSIS_FIXTURES) + "/" + name);
    const LoadResult r = load_records(in, name, Limits{});
    EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors[0].to_string());
    EXPECT_GT(r.records.size(), 20u);
  }
}

TEST(LoadRecords, MalformedFixtureKeepsItsTwoGoodRecords) {
  std::ifstream in(std::string(ANALYSIS_FIXTURES) + "/malformed.jsonl");
  const LoadResult r = load_records(in, "malformed.jsonl", Limits{});
  EXPECT_EQ(r.records.size(), 2u);
  ASSERT_EQ(r.errors.size(), 5u);
  EXPECT_EQ(r.errors[0].line, 2u);
  EXPECT_EQ(r.errors[4].line, 7u);
}

TEST(TargetRefs, ParseUrlsEndpointsAndDomains) {
  auto u = parse_target_ref("https://Chat.Example.com:8443/path?q", "url");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "chat.example.com");
  EXPECT_EQ(u->port, 8443);
  auto e = parse_target_ref("[2001:db8::1]:5222/tcp", "endpoint");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->host, "2001:db8::1");
  EXPECT_EQ(e->scheme, "tcp");
  auto d = parse_target_ref("dns:e1.whatsapp.net", "domain");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->host, "e1.whatsapp.net");
  EXPECT_FALSE(parse_target_ref("ftp://x/", "url"));
  EXPECT_FALSE(parse_target_ref("host:99999/tls", "endpoint"));
}

}  // namespace
}  // namespace ra::test
