// The probe's evidence beyond "it failed", checked against the lab's censor at a known hop (the vantage's
// gateway 198.18.1.1, hop 1): duplicate DNS replies, forged answers from a host with no DNS server, and
// the TTL at which SNI resets, SNI drops and a blackhole begin.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "lab_harness.h"

namespace reachprobe::lab {
namespace {

using nlohmann::json;

// Runs the probe in the vantage namespace, optionally as an unprivileged user (setpriv), and returns the
// one record it wrote, after checking it against the schema and for the vantage's address.
json run_one(const std::vector<std::string>& input, const std::vector<std::string>& as_user = {}) {
  std::string out = scratch_path("evidence.jsonl");
  if (!as_user.empty()) {
    // The unprivileged user needs a directory it may write to (the scratch directory is root's).
    const std::filesystem::path dir = std::filesystem::path(out).parent_path() / "unprivileged";
    std::filesystem::create_directories(dir);
    std::filesystem::permissions(dir, std::filesystem::perms::all | std::filesystem::perms::sticky_bit);
    out = (dir / std::filesystem::path(out).filename()).string();
  }
  std::vector<std::string> argv = as_user;
  std::vector<std::string> probe = lab_probe_argv(REACHPROBE_BIN);
  probe.insert(probe.end(), {"--neutral-sni", std::string(kNeutralSni), "--injection-check-ip",
                             std::string(kNoDnsServer), "--output", out});
  argv.insert(argv.end(), probe.begin(), probe.end());
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

std::optional<json> localization(const json& record, const std::string& kind, const std::string& address) {
  for (const auto& o : observations_of(record, "path_localization")) {
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
  for (const auto& x : observations_of(record, "dns_exchange")) {
    if (x["purpose"] != "duplicate_watch") continue;
    EXPECT_EQ(first_answers(x), (std::vector<std::string>{std::string(kBogonIp), host_ip("inject.example.com")}));
    return;
  }
  FAIL() << "no duplicate_watch exchange";
}

TEST(DnsEvidence, AnAnswerFromAHostWithoutADnsServerIsForged) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto record = run_one({"--url", "https://inject.example.com/"});
  for (const auto& x : observations_of(record, "dns_exchange")) {
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
  for (const auto& x : observations_of(record, "dns_exchange")) {
    if (x["purpose"] == "injection_check") {
      checked = true;
      EXPECT_TRUE(x["replies"].empty());
      EXPECT_FALSE(x["failure"].is_null());
    } else {
      EXPECT_EQ(x["replies"].size(), 1u);
    }
  }
  EXPECT_TRUE(checked);
  EXPECT_TRUE(observations_of(record, "path_localization").empty()) << "nothing to localize on a healthy path";
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

// Packets of one of the record's captured flows, by the ids of the steps it served.
std::vector<json> captured(const json& record, const std::vector<int>& steps) {
  for (const auto& c : observations_of(record, "capture_summary")) {
    if (c["steps"].get<std::vector<int>>() == steps) return c["packets"].get<std::vector<json>>();
  }
  return {};
}

std::optional<json> first_of_kind(const std::vector<json>& packets, const std::string& kind) {
  for (const auto& p : packets) {
    if (p["kind"] == kind) return p;
  }
  return std::nullopt;
}

int id_of(const json& record, const std::string& type, const std::string& key = "", const std::string& value = "") {
  for (const auto& o : observations_of(record, type)) {
    if (key.empty() || o[key] == value) return o["id"];
  }
  return -1;
}

// The censor sits one hop from the vantage, the services three: a RST it forges arrives with TTL 64,
// while everything the server sends has crossed two routers (62).
TEST(Capture, TellsAnInjectedResetFromTheServersPacketsByTtl) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto record = run_one({"--endpoint", "sni-rst.example.com:443/tls", "--no-localize"});
  EXPECT_EQ(record["capture"], "on");
  const int tcp = id_of(record, "tcp_connect");
  const int tls = id_of(record, "tls_handshake", "sni_kind", "target");
  const auto packets = captured(record, {tcp, tls});
  const auto syn_ack = first_of_kind(packets, "syn_ack");
  const auto rst = first_of_kind(packets, "rst");
  ASSERT_TRUE(syn_ack && rst) << json(packets).dump();
  EXPECT_EQ((*syn_ack)["ttl"], 62);
  EXPECT_EQ((*rst)["ttl"], 64);
}

TEST(Capture, SeesTheServersOwnResetArriveWithTheServersTtl) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  // outage.example.com: the host is up but nothing listens, so the server's kernel answers RST itself.
  const auto record = run_one({"--endpoint", "outage.example.com:443/tcp", "--no-localize"});
  const int tcp = id_of(record, "tcp_connect");
  EXPECT_EQ(observations_of(record, "tcp_connect").at(0)["failure"], "connection_refused");
  const auto rst = first_of_kind(captured(record, {tcp}), "rst");
  ASSERT_TRUE(rst);
  EXPECT_EQ((*rst)["ttl"], 62);
}

TEST(Capture, RecordsBothDnsRepliesWhenAnInjectorRacesTheResolver) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto record = run_one({"--url", "https://inject.example.com/", "--no-localize"});
  const int watch = id_of(record, "dns_exchange", "purpose", "duplicate_watch");
  const auto packets = captured(record, {watch});
  ASSERT_EQ(packets.size(), 2u) << json(packets).dump();
  EXPECT_EQ(packets[0]["answers"], json::array({std::string(kBogonIp)}));
  EXPECT_EQ(packets[1]["answers"], json::array({host_ip("inject.example.com")}));
  EXPECT_NE(packets[0]["ttl"], packets[1]["ttl"]) << "the injector's reply should not look like the resolver's";
}

// Least privilege: as an ordinary user the probe measures everything but capture, and says so; given
// CAP_NET_RAW alone (not root), it captures.
TEST(Privileges, WithoutCapNetRawEverythingButCaptureStillRuns) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto record = run_one({"--endpoint", "sni-rst.example.com:443/tls"},
                              {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"});
  EXPECT_EQ(record["capture"], "unavailable: permission denied: needs CAP_NET_RAW");
  EXPECT_TRUE(observations_of(record, "capture_summary").empty());
  EXPECT_EQ(observations_of(record, "tls_handshake").at(0)["failure"], "connection_reset");
  const auto where = localization(record, "tls_sni", host_ip("sni-rst.example.com"));
  ASSERT_TRUE(where) << "localization needs no privilege";
  EXPECT_EQ((*where)["interference_ttl"], 2);
}

TEST(Privileges, CapNetRawAloneIsEnoughToCapture) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto record = run_one({"--endpoint", "sni-rst.example.com:443/tls", "--no-localize"},
                              {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=+net_raw",
                               "--ambient-caps=+net_raw"});
  EXPECT_EQ(record["capture"], "on");
  EXPECT_FALSE(observations_of(record, "capture_summary").empty());
}

}  // namespace
}  // namespace reachprobe::lab
