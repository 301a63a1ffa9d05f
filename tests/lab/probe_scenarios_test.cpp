// Runs the real reachprobe binary in rp-vantage against every lab scenario and checks the exact observations.
//
// Each scenario is a row: a name, the probe's inputs, and a check of the one record it writes. Every
// run is also validated against results-schema/measurement.schema.json and searched for the vantage's
// own address, which must never appear in results.
#include <fstream>
#include <functional>
#include <sstream>

#include "lab_harness.h"

namespace lab = reachprobe::lab;
using nlohmann::json;

namespace {

constexpr double kStepTimeout = 2;  // the probe's --timeout: blackhole and sni-drop cost this much

struct ProbeRun {
  lab::RunResult process;
  std::string output_path;
  std::string output;  // the JSONL text
  std::vector<json> records;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> common_args(const std::string& output, std::string_view parallel = "8") {
  std::vector<std::string> argv = lab::lab_probe_argv(REACHPROBE_BIN);
  argv.insert(argv.end(),
              {"--neutral-sni", std::string(lab::kNeutralSni), "--output", output, "--vantage", "lab-vantage",
               "--probe-cc", "ZZ", "--probe-asn", "AS0", "--parallel", std::string(parallel)});
  return argv;
}

ProbeRun run_probe(const std::vector<std::string>& inputs, std::string_view parallel = "8",
                   std::string_view ns = lab::kVantageNs) {
  ProbeRun run;
  run.output_path = lab::scratch_path("probe") + ".jsonl";
  auto argv = common_args(run.output_path, parallel);
  argv.insert(argv.end(), inputs.begin(), inputs.end());
  run.process = lab::run_in_namespace(ns, argv, 60);
  run.output = slurp(run.output_path);
  run.records = lab::parse_jsonl(run.output);
  return run;
}

// --- looking things up in a record ---------------------------------------------------------------

using Filter = std::function<bool(const json&)>;

std::vector<json> observations(const json& record, std::string_view type, const Filter& keep = nullptr) {
  std::vector<json> out;
  for (const auto& o : record.at("observations"))
    if (o.at("type") == type && (!keep || keep(o))) out.push_back(o);
  return out;
}

Filter query_type(std::string_view t) {
  return [t](const json& o) { return o.at("query_type") == t; };
}
Filter to_address(std::string_view a) {
  return [a](const json& o) { return o.at("address") == a; };
}
Filter sni_kind(std::string_view k) {
  return [k](const json& o) { return o.at("sni_kind") == k; };
}
Filter hop(int n) {
  return [n](const json& o) { return o.at("hop") == n; };
}

// The single observation matching; fails the test (and returns null) when there is not exactly one.
json only(const json& record, std::string_view type, const Filter& keep, std::string_view what) {
  auto found = observations(record, type, keep);
  EXPECT_EQ(found.size(), 1u) << "expected exactly one " << type << " observation " << what << "; record:\n"
                              << record.at("observations").dump(1);
  return found.size() == 1 ? found[0] : json();
}

bool has_answer(const json& dns, std::string_view value) {
  for (const auto& a : dns.at("answers"))
    if (a.at("type") == "A" && a.at("value") == value) return true;
  return false;
}

// --- expectations shared by several scenarios -----------------------------------------------------

void expect_dns_a(const json& r, std::string_view host, std::string_view address) {
  auto dns = only(
      r, "dns_query",
      [&](const json& o) {
        return o.at("query_type") == "A" && o.at("hostname") == host &&
               o.at("resolver") == std::string(lab::kResolver) + ":53";
      },
      "for A " + std::string(host));
  if (dns.is_null()) return;
  EXPECT_TRUE(dns.at("failure").is_null()) << dns.dump();
  EXPECT_TRUE(has_answer(dns, address)) << dns.dump();
}

void expect_tls(const json& r, std::string_view kind, const json& failure, bool completed) {
  auto tls = only(r, "tls_handshake", sni_kind(kind), "with sni_kind " + std::string(kind));
  if (tls.is_null()) return;
  EXPECT_EQ(tls.at("failure"), failure) << tls.dump();
  EXPECT_EQ(tls.at("handshake_completed"), completed) << tls.dump();
}

void expect_healthy_https(const json& r, std::string_view host, std::string_view address) {
  expect_dns_a(r, host, address);
  auto aaaa = only(
      r, "dns_query",
      [&](const json& o) {
        return o.at("query_type") == "AAAA" && o.at("hostname") == host &&
               o.at("resolver") == std::string(lab::kResolver) + ":53";
      },
      "for AAAA");
  if (!aaaa.is_null()) {
    EXPECT_EQ(aaaa.at("failure"), "dns_no_answer") << aaaa.dump();
  }
  auto tcp = only(r, "tcp_connect", to_address(address), "to the answer");
  if (!tcp.is_null()) {
    EXPECT_TRUE(tcp.at("failure").is_null()) << tcp.dump();
  }
  auto tls = only(r, "tls_handshake", sni_kind("target"), "with the target SNI");
  if (!tls.is_null()) {
    EXPECT_TRUE(tls.at("failure").is_null()) << tls.dump();
    EXPECT_EQ(tls.at("verification").at("trusted"), true) << tls.dump();
    EXPECT_EQ(tls.at("server_name"), host);
  }
  EXPECT_TRUE(observations(r, "tls_handshake", sni_kind("neutral")).empty())
      << "no retry needed when the target SNI works";
}

json expect_http(const json& r, int status, const json& tls_verified) {
  auto http = only(r, "http_request", hop(0), "for hop 0");
  if (http.is_null()) return http;
  EXPECT_TRUE(http.at("failure").is_null()) << http.dump();
  EXPECT_EQ(http.at("tls_verified"), tls_verified) << http.dump();
  if (http.at("response").is_null()) {
    ADD_FAILURE() << "no response: " << http.dump();
    return json();
  }
  EXPECT_EQ(http.at("response").at("status"), status) << http.dump();
  return http;
}

void expect_body_contains(const json& http, std::string_view text) {
  if (http.is_null()) return;
  EXPECT_NE(http.at("response").at("body_prefix").get<std::string>().find(text), std::string::npos)
      << "body_prefix lacks \"" << text << "\": " << http.at("response").at("body_prefix");
}

// The probe's TTL-limited retries must put the interference right after the censor: hop 1 is the
// censor (198.18.1.1), which answers time-exceeded for TTL 1 and acts on everything with TTL >= 2.
void expect_localized_after_censor(const json& r, std::string_view kind) {
  auto loc = only(
      r, "path_localization", [&](const json& o) { return o.at("kind") == kind; }, "of kind " + std::string(kind));
  if (loc.is_null()) return;
  EXPECT_EQ(loc.at("interference_ttl"), 2) << loc.dump();
  EXPECT_EQ(loc.at("last_router_before"), lab::kCensorIp) << loc.dump();
  EXPECT_EQ(loc.at("confirmed"), true) << loc.dump();
}

// --- the scenario table ---------------------------------------------------------------------------

struct Scenario {
  std::string name;                 // reads as a sentence in the test name
  std::vector<std::string> inputs;  // --url / --endpoint arguments
  std::function<void(const json& record)> check;
};

// gtest prints parameters in failure messages; the name says it all.
void PrintTo(const Scenario& s, std::ostream* os) { *os << s.name; }

const std::vector<Scenario>& scenarios() {
  static const std::vector<Scenario> table = {
      {"HealthyServiceIsReachableOverVerifiedHttps",
       {"--url", "https://ok.example.com/"},
       [](const json& r) {
         expect_healthy_https(r, "ok.example.com", "198.18.10.10");
         expect_body_contains(expect_http(r, 200, true), "<title>OK service</title>");
       }},
      {"HealthyServiceIsReachableOverPlainHttp",
       {"--url", "http://ok.example.com/"},
       [](const json& r) {
         expect_dns_a(r, "ok.example.com", "198.18.10.10");
         expect_body_contains(expect_http(r, 200, nullptr), "<title>OK service</title>");
       }},
      {"NxdomainFromTheCensorsResolverStopsTheChain",
       {"--url", "https://nx.example.com/"},
       [](const json& r) {
         auto dns = only(r, "dns_query", query_type("A"), "for A");
         if (!dns.is_null()) {
           EXPECT_EQ(dns.at("failure"), "dns_nxdomain_error") << dns.dump();
         }
         EXPECT_TRUE(observations(r, "tcp_connect").empty());
         EXPECT_TRUE(observations(r, "http_request").empty());
       }},
      {"BogonAnswerLeadsToNetworkUnreachable",
       {"--url", "https://bogon.example.com/"},
       [](const json& r) {
         expect_dns_a(r, "bogon.example.com", lab::kBogonIp);
         auto tcp = only(r, "tcp_connect", to_address(lab::kBogonIp), "to the bogon");
         if (!tcp.is_null()) {
           EXPECT_EQ(tcp.at("failure"), "network_unreachable") << tcp.dump();
         }
       }},
      {"TcpResetOnTheIpIsConnectionRefused",
       {"--endpoint", "rst-ip.example.com:443/tcp"},
       [](const json& r) {
         auto tcp = only(r, "tcp_connect", to_address("198.18.10.13"), "to rst-ip");
         if (!tcp.is_null()) {
           EXPECT_EQ(tcp.at("failure"), "connection_refused") << tcp.dump();
         }
       }},
      {"BlackholedIpTimesOut",
       {"--endpoint", "blackhole.example.com:443/tcp"},
       [](const json& r) {
         auto tcp = only(r, "tcp_connect", to_address("198.18.10.14"), "to blackhole");
         if (tcp.is_null()) return;
         EXPECT_EQ(tcp.at("failure"), "generic_timeout_error") << tcp.dump();
         EXPECT_LE(tcp.at("t").get<double>() - tcp.at("t0").get<double>(), kStepTimeout + 0.5);
         expect_localized_after_censor(r, "tcp_syn");
       }},
      {"SniResetIsToldApartByNeutralAndNoSniRetries",
       {"--endpoint", "sni-rst.example.com:443/tls"},
       [](const json& r) {
         expect_tls(r, "target", "connection_reset", false);
         expect_tls(r, "neutral", nullptr, true);
         expect_tls(r, "none", nullptr, true);
         expect_localized_after_censor(r, "tls_sni");
       }},
      {"SniDropTimesOutWhileNeutralSniWorks",
       {"--endpoint", "sni-drop.example.com:443/tls"},
       [](const json& r) {
         expect_tls(r, "target", "generic_timeout_error", false);
         expect_tls(r, "neutral", nullptr, true);
         expect_localized_after_censor(r, "tls_sni");
       }},
      {"InterceptedTlsHasAnUnknownAuthority",
       {"--endpoint", "mitm.example.com:443/tls"},
       [](const json& r) {
         expect_tls(r, "target", "ssl_unknown_authority", true);
         auto tls = only(r, "tls_handshake", sni_kind("target"), "with the target SNI");
         if (!tls.is_null()) {
           EXPECT_EQ(tls.at("verification").at("trusted"), false) << tls.dump();
           EXPECT_FALSE(tls.at("peer_certificates").empty());
         }
       }},
      {"PlainHttpBlockpageIsRecordedWithItsBody",
       {"--url", "http://blockpage.example.com/"},
       [](const json& r) {
         auto http = expect_http(r, 200, nullptr);
         expect_body_contains(http, lab::kBlockpageText);
         if (!http.is_null()) {
           EXPECT_EQ(http.at("response").at("title"), "Access Denied");
         }
       }},
      {"ProviderRefusalWith451ComesOverVerifiedTls",
       {"--url", "https://geo451.example.com/"},
       [](const json& r) {
         auto http = expect_http(r, 451, true);
         if (http.is_null()) return;
         bool link = false;
         for (const auto& h : http.at("response").at("headers"))
           link |= h[1].get<std::string>().find("rel=\"blocked-by\"") != std::string::npos;
         EXPECT_TRUE(link) << http.dump();
       }},
      {"InjectedDnsAnswerArrivesBeforeTheRealOne",
       {"--injection-check-ip", std::string(lab::kNoDnsServer), "--url", "https://inject.example.com/"},
       [](const json& r) {
         expect_dns_a(r, "inject.example.com", lab::kBogonIp);
         auto watch = only(
             r, "dns_exchange", [](const json& o) { return o.at("purpose") == "duplicate_watch"; },
             "watching for duplicates");
         if (!watch.is_null()) {
           ASSERT_EQ(watch.at("replies").size(), 2u) << watch.dump();
           EXPECT_EQ(watch.at("replies")[0].at("answers")[0].at("value"), lab::kBogonIp);
           EXPECT_EQ(watch.at("replies")[1].at("answers")[0].at("value"), "198.18.10.19");
         }
         auto check = only(
             r, "dns_exchange", [](const json& o) { return o.at("purpose") == "injection_check"; },
             "to the address without a DNS server");
         if (!check.is_null()) {
           EXPECT_EQ(check.at("server"), std::string(lab::kNoDnsServer) + ":53");
           ASSERT_EQ(check.at("replies").size(), 1u) << check.dump();
           EXPECT_EQ(check.at("replies")[0].at("answers")[0].at("value"), lab::kBogonIp);
         }
         // The injector sits in the censor, hop 1: the question to a host without DNS is answered from there.
         auto loc = only(
             r, "path_localization",
             [](const json& o) { return o.at("kind") == "dns" && o.at("address") == lab::kNoDnsServer; },
             "of the injection check");
         if (!loc.is_null()) {
           EXPECT_EQ(loc.at("interference_ttl"), 1) << loc.dump();
           EXPECT_EQ(loc.at("router_at"), lab::kCensorIp) << loc.dump();
         }
         auto tcp = only(r, "tcp_connect", to_address(lab::kBogonIp), "to the forged answer");
         if (!tcp.is_null()) {
           EXPECT_EQ(tcp.at("failure"), "network_unreachable") << tcp.dump();
         }
       }},
      {"CloudflareCountryBanComesOverVerifiedTls",
       {"--url", "https://cf-geo.example.com/"},
       [](const json& r) {
         expect_body_contains(expect_http(r, 403, true), "has banned the country or region your IP address is in");
       }},
      {"CloudfrontGeoBlockComesOverVerifiedTls",
       {"--url", "https://cloudfront-geo.example.com/"},
       [](const json& r) {
         expect_body_contains(expect_http(r, 403, true),
                              "The Amazon CloudFront distribution is configured to block access from your country.");
       }},
      {"AkamaiDenialComesOverVerifiedTls",
       {"--url", "https://akamai-geo.example.com/"},
       [](const json& r) { expect_body_contains(expect_http(r, 403, true), "Reference #18."); }},
      {"GovernmentOrderRedirectIsFollowedHopByHop",
       {"--url", "https://gov-order.example.com/"},
       [](const json& r) {
         auto first = expect_http(r, 302, true);
         if (!first.is_null()) {
           EXPECT_EQ(first.at("redirect_location"), "https://gov-order.example.com/blank.php?rkn=12345");
         }
         auto second = only(r, "http_request", hop(1), "for hop 1");
         if (second.is_null()) return;
         EXPECT_EQ(second.at("url"), "https://gov-order.example.com/blank.php?rkn=12345");
         EXPECT_EQ(second.at("tls_verified"), true);
         EXPECT_EQ(second.at("response").at("status"), 200);
         expect_body_contains(second, "Roskomnadzor");
       }},
      {"ServerErrorIsRecordedAsAResponseNotAFailure",
       {"--url", "https://err500.example.com/"},
       [](const json& r) { expect_http(r, 500, true); }},
      {"OutageRefusesTheConnection",
       {"--endpoint", "outage.example.com:443/tcp"},
       [](const json& r) {
         auto tcp = only(r, "tcp_connect", to_address("198.18.11.15"), "to outage");
         if (!tcp.is_null()) {
           EXPECT_EQ(tcp.at("failure"), "connection_refused") << tcp.dump();
         }
       }},
      {"SlowServerIsStillAnsweredWithinTheTimeout",
       {"--url", "https://slow.example.com/"},
       [](const json& r) { expect_body_contains(expect_http(r, 200, true), "<title>OK service</title>"); }},
  };
  return table;
}

class ProbeScenario : public ::testing::TestWithParam<Scenario> {};

TEST_P(ProbeScenario, ObservesExactlyWhatTheCensorDoes) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto& s = GetParam();
  ProbeRun run = run_probe(s.inputs);
  ASSERT_FALSE(run.process.timed_out) << "reachprobe hung; stderr:\n" << run.process.err;
  ASSERT_EQ(run.process.exit_code, 0) << "stderr:\n" << run.process.err;
  ASSERT_EQ(run.records.size(), 1u) << run.output;
  s.check(run.records[0]);

  std::string report;
  EXPECT_TRUE(lab::validate_against_schema(run.output_path, "measurement", &report)) << report;
  EXPECT_EQ(run.output.find(lab::kVantageIp), std::string::npos) << "the vantage's own address leaked:\n" << run.output;
}

INSTANTIATE_TEST_SUITE_P(Lab, ProbeScenario, ::testing::ValuesIn(scenarios()),
                         [](const ::testing::TestParamInfo<Scenario>& param_info) { return param_info.param.name; });

TEST(ProbeOutput, UnwritableOutputPathFailsWithOneLineAndNonZeroExit) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  auto argv = common_args("/etc/hostname/cannot-be-a-directory.jsonl");
  argv.insert(argv.end(), {"--url", "https://ok.example.com/"});
  auto r = lab::run_in_namespace(lab::kVantageNs, argv, 30);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(r.timed_out);
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "expected exactly one line on stderr:\n" << r.err;
}

TEST(ProbeOutput, OneRunOverEveryScenarioWritesOneValidRecordPerInput) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  std::vector<std::string> inputs;
  for (const auto& s : scenarios()) inputs.insert(inputs.end(), s.inputs.begin(), s.inputs.end());
  ProbeRun run = run_probe(inputs, "64");  // every input in flight at once
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  EXPECT_EQ(run.records.size(), scenarios().size());
  std::string report;
  EXPECT_TRUE(lab::validate_against_schema(run.output_path, "measurement", &report)) << report;
  EXPECT_EQ(run.output.find(lab::kVantageIp), std::string::npos);
  // The engine overlaps records: run one by one they take ~45 s. Path localization (TTL-limited
  // retries) currently runs one record at a time, ~kStepTimeout each for the four interfered targets,
  // so the bound leaves room for that on top of one slow chain.
  EXPECT_LT(run.process.seconds, 7 * kStepTimeout + 1) << "took " << run.process.seconds << " s";
}

// An internationalized name is resolved and fetched by its A-label, and the record keeps both spellings:
// the input as typed, the target's ref by A-label, its Unicode form beside it.
TEST(ProbeInternationalizedName, ResolvesTheALabelAndRecordsBothForms) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  ProbeRun run = run_probe({"--url", "http://ясень.example.com/"});
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  ASSERT_EQ(run.records.size(), 1u) << run.output;
  const json& r = run.records[0];
  EXPECT_EQ(r.at("input").at("value"), "http://ясень.example.com/");
  ASSERT_EQ(r.at("targets").size(), 1u);
  EXPECT_EQ(r.at("targets")[0].at("ref"), "http://xn--e1aqk0cl.example.com/");
  EXPECT_EQ(r.at("targets")[0].at("unicode_host"), "ясень.example.com");
  expect_dns_a(r, "xn--e1aqk0cl.example.com", "198.18.10.10");
  auto http = expect_http(r, 200, nullptr);
  if (!http.is_null()) {
    EXPECT_EQ(http.at("url"), "http://xn--e1aqk0cl.example.com/");
  }
  expect_body_contains(http, "<title>OK service</title>");
  std::string report;
  EXPECT_TRUE(lab::validate_against_schema(run.output_path, "measurement", &report)) << report;
}

TEST(ProbeInternationalizedName, RefusesADisallowedNameWithExitTwoAndMeasuresNothing) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  ProbeRun run = run_probe({"--url", "http://☃.example.com/"});
  EXPECT_EQ(run.process.exit_code, 2);
  EXPECT_NE(run.process.err.find("http://☃.example.com/"), std::string::npos) << run.process.err;
  EXPECT_TRUE(run.records.empty()) << run.output;
}

// A link shortener (short.example.com) redirects to sni-rst.example.com: hop 1 is measured like a first
// hop, so the censor's SNI reset is as plain there as when sni-rst is the input. Not in the scenario table,
// whose all-at-once run is timed against a fixed number of localizations.
TEST(ProbeRedirectHops, ASecondHopToAnSniResetHostIsConnectedHandshakenAndRetriedLikeTheFirst) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  ProbeRun run = run_probe({"--url", "https://short.example.com/"});
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  ASSERT_EQ(run.records.size(), 1u) << run.output;
  const json& r = run.records[0];
  const std::string reset_ip = lab::host_ip("sni-rst.example.com");

  auto first = expect_http(r, 302, true);
  if (!first.is_null()) {
    EXPECT_EQ(first.at("redirect_location"), "https://sni-rst.example.com/");
  }
  expect_dns_a(r, "sni-rst.example.com", reset_ip);
  auto tcp = observations(r, "tcp_connect", ::to_address(reset_ip));
  ASSERT_EQ(tcp.size(), 3u) << "one connection per handshake (target, neutral, none): " << r.dump(1);
  for (const auto& t : tcp) {
    EXPECT_TRUE(t.at("failure").is_null()) << t.dump();
    EXPECT_EQ(t.at("hostname"), "sni-rst.example.com") << t.dump();
  }
  const auto at_hop = [&](std::string_view kind) {
    return only(
        r, "tls_handshake", [&](const json& o) { return o.at("address") == reset_ip && o.at("sni_kind") == kind; },
        "at sni-rst with sni_kind " + std::string(kind));
  };
  auto target = at_hop("target");
  if (!target.is_null()) {
    EXPECT_EQ(target.at("failure"), "connection_reset") << target.dump();
    EXPECT_EQ(target.at("server_name"), "sni-rst.example.com") << target.dump();
    EXPECT_EQ(target.at("verify_name"), "sni-rst.example.com") << target.dump();
  }
  auto neutral = at_hop("neutral");
  if (!neutral.is_null()) {
    EXPECT_TRUE(neutral.at("failure").is_null()) << neutral.dump();
    EXPECT_EQ(neutral.at("handshake_completed"), true) << neutral.dump();
  }
  expect_localized_after_censor(r, "tls_sni");
  auto second = only(r, "http_request", hop(1), "for hop 1");
  if (!second.is_null()) {
    EXPECT_EQ(second.at("url"), "https://sni-rst.example.com/");
    EXPECT_EQ(second.at("address"), reset_ip) << second.dump();
    EXPECT_EQ(second.at("failure"), "connection_reset") << second.dump();
  }
  std::string report;
  EXPECT_TRUE(lab::validate_against_schema(run.output_path, "measurement", &report)) << report;
  EXPECT_EQ(run.output.find(lab::kVantageIp), std::string::npos);
}

}  // namespace

namespace {

TEST(ProbeFromControl, SeesEveryCensoredServiceHealthyBecauseTheControlBypassesTheCensor) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const std::vector<std::string> inputs = {
      "--url",      "https://nx.example.com/",       "--url",      "https://bogon.example.com/",
      "--url",      "https://inject.example.com/",   "--endpoint", "rst-ip.example.com:443/tcp",
      "--endpoint", "blackhole.example.com:443/tcp", "--endpoint", "sni-rst.example.com:443/tls",
      "--endpoint", "sni-drop.example.com:443/tls",  "--endpoint", "mitm.example.com:443/tls",
      "--url",      "http://blockpage.example.com/", "--url",      "https://geo451.example.com/"};
  ProbeRun run = run_probe(inputs, "64", lab::kControlNs);
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  ASSERT_EQ(run.records.size(), inputs.size() / 2);
  for (const auto& r : run.records) {
    for (const auto& o : r.at("observations")) {
      const auto type = o.at("type").get<std::string>();
      if (type == "dns_query" && o.at("query_type") == "AAAA") {
        EXPECT_EQ(o.at("failure"), "dns_no_answer") << o.dump();
      } else if (type == "dns_query" || type == "tcp_connect" || type == "tls_handshake" || type == "http_request") {
        EXPECT_TRUE(o.at("failure").is_null()) << r.at("input").at("value") << ": " << o.dump();
      }
      if (type == "http_request") {
        EXPECT_EQ(o.at("response").at("status"), 200) << o.dump();
      }
      if (type == "tls_handshake") {
        EXPECT_EQ(o.at("sni_kind"), "target") << "no retries needed from the control: " << o.dump();
      }
    }
  }
  std::string report;
  EXPECT_TRUE(lab::validate_against_schema(run.output_path, "measurement", &report)) << report;
  EXPECT_EQ(run.output.find(lab::kControlIp), std::string::npos) << "the control's own address leaked";
}

}  // namespace
