// The probe's evidence beyond "it failed", checked against the lab's censor at a known hop (the vantage's
// gateway 198.18.1.1, hop 1): duplicate DNS replies, forged answers from a host with no DNS server, and
// the TTL at which SNI resets, SNI drops and a blackhole begin.
#include <gtest/gtest.h>

#include <fstream>

#include "lab_harness.h"

namespace reachprobe::lab {
namespace {

using nlohmann::json;

json run_one(const std::vector<std::string>& input) {
  const std::string out = scratch_path("evidence.jsonl");
  std::vector<std::string> argv = {REACHPROBE_BIN, "run", "-q", "--resolver", std::string(kResolver),
                                   "--ca-bundle", lab_ca_path(), "--timeout", "2", "--neutral-sni",
                                   std::string(kNeutralSni), "--injection-check-ip", std::string(kNoDnsServer),
                                   "--output", out};
  argv.insert(argv.end(), input.begin(), input.end());
  const auto r = run_in_namespace(kVantageNs, argv, 60);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string report;
  EXPECT_TRUE(validate_against_schema(out, "measurement", &report)) << report;
  std::ifstream in(out);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find(kVantageIp), std::string::npos) << "the vantage's own address leaked";
  const auto records = parse_jsonl(text);
  EXPECT_EQ(records.size(), 1u);
  return records.empty() ? json::object() : records[0];
}

std::vector<json> observations(const json& record, const std::string& type) {
  std::vector<json> out;
  for (const auto& o : record["observations"]) {
    if (o["type"] == type) out.push_back(o);
  }
  return out;
}

std::optional<json> localization(const json& record, const std::string& kind, const std::string& address) {
  for (const auto& o : observations(record, "path_localization")) {
    if (o["kind"] == kind && o["address"] == address) return o;
  }
  return std::nullopt;
}

std::vector<std::string> first_answers(const json& exchange) {
  std::vector<std::string> out;
  for (const auto& reply : exchange["replies"]) out.push_back(reply["answers"].at(0)["value"]);
  return out;
}

TEST(DnsEvidence, AnInjectedAnswerRacingTheRealOneShowsUpAsADuplicateReply) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto record = run_one({"--url", "https://inject.example.com/"});
  for (const auto& x : observations(record, "dns_exchange")) {
    if (x["purpose"] != "duplicate_watch") continue;
    EXPECT_EQ(first_answers(x), (std::vector<std::string>{std::string(kBogonIp), host_ip("inject.example.com")}));
    return;
  }
  FAIL() << "no duplicate_watch exchange";
}

TEST(DnsEvidence, AnAnswerFromAHostWithoutADnsServerIsForged) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto record = run_one({"--url", "https://inject.example.com/"});
  for (const auto& x : observations(record, "dns_exchange")) {
    if (x["purpose"] != "injection_check") continue;
    EXPECT_EQ(x["server"], std::string(kNoDnsServer) + ":53");
    EXPECT_TRUE(x["failure"].is_null());
    EXPECT_EQ(first_answers(x), std::vector<std::string>{std::string(kBogonIp)});
    const auto where = localization(record, "dns", std::string(kNoDnsServer));
    ASSERT_TRUE(where) << "the forged answer was not localized";
    EXPECT_EQ((*where)["interference_ttl"], 1);
    EXPECT_EQ((*where)["router_at"], kCensorIp);
    EXPECT_EQ((*where)["confirmed"], true);
    return;
  }
  FAIL() << "no injection_check exchange";
}

TEST(DnsEvidence, AnHonestPathAnswersNothingFromAHostWithoutADnsServer) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto record = run_one({"--url", "https://ok.example.com/"});
  bool checked = false;
  for (const auto& x : observations(record, "dns_exchange")) {
    if (x["purpose"] == "injection_check") {
      checked = true;
      EXPECT_TRUE(x["replies"].empty());
      EXPECT_FALSE(x["failure"].is_null());
    } else {
      EXPECT_EQ(x["replies"].size(), 1u);
    }
  }
  EXPECT_TRUE(checked);
  EXPECT_TRUE(observations(record, "path_localization").empty()) << "nothing to localize on a healthy path";
}

// The censor filters in its forward path: a packet that expires at hop 1 is never inspected, so the
// trigger is first treated differently at TTL 2, after the censor (198.18.1.1) and before the backbone.
TEST(PathLocalization, NamesTheCensorsHopForAnSniReset) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto record = run_one({"--endpoint", "sni-rst.example.com:443/tls"});
  const auto where = localization(record, "tls_sni", host_ip("sni-rst.example.com"));
  ASSERT_TRUE(where);
  EXPECT_EQ((*where)["interference_ttl"], 2);
  EXPECT_EQ((*where)["last_router_before"], kCensorIp);
  EXPECT_EQ((*where)["destination_ttl"], 3);
  EXPECT_EQ((*where)["hops"][1]["trigger"], "reset");
  EXPECT_EQ((*where)["hops"][1]["control"], "ttl_expired");
  EXPECT_EQ((*where)["confirmed"], true);
}

TEST(PathLocalization, NamesTheCensorsHopForAnSniDrop) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto record = run_one({"--endpoint", "sni-drop.example.com:443/tls"});
  const auto where = localization(record, "tls_sni", host_ip("sni-drop.example.com"));
  ASSERT_TRUE(where);
  EXPECT_EQ((*where)["interference_ttl"], 2);
  EXPECT_EQ((*where)["last_router_before"], kCensorIp);
  EXPECT_EQ((*where)["hops"][1]["trigger"], "silent");
}

TEST(PathLocalization, FindsWhereSynsToABlackholedAddressVanish) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto record = run_one({"--endpoint", "blackhole.example.com:443/tcp"});
  const auto where = localization(record, "tcp_syn", host_ip("blackhole.example.com"));
  ASSERT_TRUE(where);
  EXPECT_EQ((*where)["interference_ttl"], 2);
  EXPECT_EQ((*where)["last_router_before"], kCensorIp);
  EXPECT_TRUE((*where)["destination_ttl"].is_null());
}

TEST(PathLocalization, StaysWithinItsDocumentedBound) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  // Bound: 2 x (connect timeout + wait) = 2 x (2 s + 1 s) for --timeout 2; the drop case is the slowest.
  const auto record = run_one({"--endpoint", "sni-drop.example.com:443/tls"});
  const auto where = localization(record, "tls_sni", host_ip("sni-drop.example.com"));
  ASSERT_TRUE(where);
  EXPECT_LE((*where)["t"].get<double>() - (*where)["t0"].get<double>(), 6.0);
}

}  // namespace
}  // namespace reachprobe::lab
