// Evidence on a long path: the lab's far hosts (rp-far, 198.18.12.0/24) are 8 hops from the vantage
// (censor 1, backbone 2, rp-r1..rp-r4 3..6, the far provider's edge router rp-edge 7, the host 8). The
// probe must still name the censor's hop for an SNI reset, tell a provider that drops the vantage's SYNs
// at its own edge from the network, and finish localizing within its documented bound.
#include <gtest/gtest.h>

#include <fstream>

#include "lab_harness.h"

namespace reachprobe::lab {
namespace {

using nlohmann::json;

constexpr std::string_view kEdgeRouterIp = "198.18.20.18";  // rp-edge, on its link towards rp-r4 (hop 7)
constexpr int kFarHops = 8;
// Documented bound for --timeout 2: 2 x (connect timeout + per-probe wait) = 2 x (2 s + min(1 s, 2 s / 2)).
constexpr double kLocalizationBound = 2 * (2.0 + 1.0);

json run_one(std::string_view ns, const std::vector<std::string>& input) {
  const std::string out = scratch_path("multihop.jsonl");
  std::vector<std::string> argv = lab_probe_argv(REACHPROBE_BIN);
  argv.insert(argv.end(), {"--neutral-sni", std::string(kNeutralSni), "--output", out});
  argv.insert(argv.end(), input.begin(), input.end());
  const auto r = run_in_namespace(ns, argv, 60);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string report;
  EXPECT_TRUE(validate_against_schema(out, "measurement", &report)) << report;
  std::ifstream in(out);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string_view own = ns == kVantageNs ? kVantageIp : kControlIp;
  EXPECT_EQ(text.find(own), std::string::npos) << "the probe's own address leaked";
  const auto records = parse_jsonl(text);
  EXPECT_EQ(records.size(), 1u);
  return records.empty() ? json::object() : records[0];
}

std::optional<json> only(const json& record, const std::string& type) {
  const auto all = observations_of(record, type);
  EXPECT_EQ(all.size(), 1u) << type << " in " << record.dump();
  if (all.size() != 1) return std::nullopt;
  return all[0];
}

std::optional<json> tls_with(const json& record, const std::string& sni_kind) {
  for (const auto& o : observations_of(record, "tls_handshake")) {
    if (o["sni_kind"] == sni_kind) return o;
  }
  return std::nullopt;
}

std::optional<json> localization(const json& record, const std::string& kind, const std::string& address) {
  for (const auto& o : observations_of(record, "path_localization")) {
    if (o["kind"] == kind && o["address"] == address) return o;
  }
  return std::nullopt;
}

// TTLs of the packets the server sent on the flow that served step `id`.
std::vector<int> server_ttls(const json& record, int id, const std::string& kind) {
  std::vector<int> out;
  for (const auto& c : observations_of(record, "capture_summary")) {
    const auto steps = c["steps"].get<std::vector<int>>();
    if (std::find(steps.begin(), steps.end(), id) == steps.end()) continue;
    for (const auto& p : c["packets"]) {
      if (p["kind"] == kind) out.push_back(p["ttl"]);
    }
  }
  return out;
}

TEST(LongPath, AFarHealthyHostIsHealthyAndEightHopsAway) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto record = run_one(kVantageNs, {"--url", "https://far.example.com/"});
  const auto tcp = only(record, "tcp_connect");
  ASSERT_TRUE(tcp);
  EXPECT_EQ((*tcp)["address"], host_ip("far.example.com"));
  EXPECT_TRUE((*tcp)["failure"].is_null()) << tcp->dump();
  const auto tls = tls_with(record, "target");
  ASSERT_TRUE(tls);
  EXPECT_TRUE((*tls)["failure"].is_null()) << tls->dump();
  EXPECT_EQ((*tls)["verification"]["trusted"], true);
  EXPECT_FALSE(tls_with(record, "neutral")) << "no retry needed when the target SNI works";
  const auto http = only(record, "http_request");
  ASSERT_TRUE(http);
  EXPECT_TRUE((*http)["failure"].is_null()) << http->dump();
  EXPECT_EQ((*http)["response"]["status"], 200);
  EXPECT_EQ((*http)["tls_verified"], true);
  EXPECT_TRUE(observations_of(record, "path_localization").empty()) << "nothing to localize on a healthy path";
  // The server's SYN-ACK crossed the 7 routers between it and the vantage: 64 - 7.
  EXPECT_EQ(server_ttls(record, (*tcp)["id"], "syn_ack"), std::vector<int>{64 - (kFarHops - 1)}) << record.dump();
}

// The censor is still at hop 1; the reset is localized at TTL 2 (after 198.18.1.1), and the neutral
// ClientHello reaches the far host itself at TTL 8.
TEST(LongPath, NamesTheCensorsHopForAnSniResetEightHopsOut) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto record = run_one(kVantageNs, {"--endpoint", "far-sni-rst.example.com:443/tls"});
  const auto target = tls_with(record, "target");
  ASSERT_TRUE(target);
  EXPECT_EQ((*target)["failure"], "connection_reset");
  EXPECT_EQ((*target)["server_name"], "far-sni-rst.example.com");
  const auto neutral = tls_with(record, "neutral");
  ASSERT_TRUE(neutral) << "a reset handshake is retried with a neutral SNI";
  EXPECT_TRUE((*neutral)["failure"].is_null()) << neutral->dump();
  EXPECT_EQ((*neutral)["handshake_completed"], true);

  const auto where = localization(record, "tls_sni", host_ip("far-sni-rst.example.com"));
  ASSERT_TRUE(where) << record.dump();
  EXPECT_EQ((*where)["interference_ttl"], 2);
  EXPECT_EQ((*where)["last_router_before"], kCensorIp);
  EXPECT_EQ((*where)["destination_ttl"], kFarHops);
  EXPECT_EQ((*where)["confirmed"], true);
  EXPECT_EQ((*where)["hops"][1]["trigger"], "reset");
  EXPECT_EQ((*where)["hops"][1]["control"], "ttl_expired");
  EXPECT_LE((*where)["t"].get<double>() - (*where)["t0"].get<double>(), kLocalizationBound);
}

// rp-edge drops SYNs from the vantage's /24 to edge-drop.example.com but forwards UDP: the companion
// UDP probe reaches the host at TTL 8 (port unreachable from the address itself), which is exactly
// where the SYNs stop. Interference at the destination's own hop is the provider's, not the network's.
TEST(LongPath, ASynDropAtTheProvidersEdgeIsLocalizedAtTheDestinationsHop) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto record = run_one(kVantageNs, {"--endpoint", "edge-drop.example.com:443/tcp"});
  const auto tcp = only(record, "tcp_connect");
  ASSERT_TRUE(tcp);
  EXPECT_EQ((*tcp)["failure"], "generic_timeout_error");
  const auto where = localization(record, "tcp_syn", host_ip("edge-drop.example.com"));
  ASSERT_TRUE(where) << record.dump();
  EXPECT_EQ((*where)["interference_ttl"], kFarHops) << where->dump();
  EXPECT_EQ((*where)["destination_ttl"], kFarHops) << where->dump();
  EXPECT_EQ((*where)["last_router_before"], kEdgeRouterIp) << where->dump();
  EXPECT_LE((*where)["t"].get<double>() - (*where)["t0"].get<double>(), kLocalizationBound);
}

TEST(LongPath, TheControlReachesTheEdgeDroppedHost) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto record = run_one(kControlNs, {"--endpoint", "edge-drop.example.com:443/tcp"});
  const auto tcp = only(record, "tcp_connect");
  ASSERT_TRUE(tcp);
  EXPECT_EQ((*tcp)["address"], host_ip("edge-drop.example.com"));
  EXPECT_TRUE((*tcp)["failure"].is_null()) << tcp->dump();
  EXPECT_TRUE(observations_of(record, "path_localization").empty());
}

}  // namespace
}  // namespace reachprobe::lab
