// End to end: the real reachprobe in the lab's vantage (behind the censor) and control namespaces, then
// reachanalyze; every scenario of docs/lab.md must get its exact attribution and mechanism.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "lab_harness.h"

namespace lab = reachprobe::lab;
using nlohmann::json;

namespace {

struct Scenario {
  const char* host;
  const char* scheme;
  const char* attribution;  // nullptr: noise; anything but a party (reachable or inconclusive) is acceptable
  const char* mechanism;
};

// The table: name, how the lab's censor or service behaves (tests/lab/README.md), expected verdict.
const Scenario kScenarios[] = {
    {"ok", "https", "reachable", "none"},
    {"nx", "https", "network_interference", "dns.nxdomain"},            // censor DNS: NXDOMAIN
    {"bogon", "https", "network_interference", "dns.bogon"},            // censor DNS: 10.10.34.36
    {"inject", "https", "network_interference", "dns.injected"},        // forged reply races the real one
    {"rst-ip", "https", "network_interference", "tcp.reset_injected"},  // RST to SYNs for the IP (TTL 64, server 62)
    {"blackhole", "https", "inconclusive", "tcp.timeout"},              // drops all: not localisable
    {"sni-rst", "https", "network_interference", "tls.sni_reset"},      // RST on the SNI
    {"short", "https", "network_interference", "tls.sni_reset"},        // redirects to sni-rst: RST on hop 1
    {"sni-drop", "https", "network_interference", "tls.sni_timeout"},   // drop on the SNI
    {"mitm", "https", "network_interference", "tls.cert_invalid"},      // untrusted interceptor CA
    {"blockpage", "http", "network_interference", "http.blockpage"},    // plain-HTTP blockpage
    {"geo451", "https", "provider_on_government_order", "http.status_451"},    // 451 + Link rel=blocked-by
    {"cf-geo", "https", "provider_restriction", "http.geo_page"},              // Cloudflare 1009
    {"cloudfront-geo", "https", "provider_restriction", "http.geo_page"},      // CloudFront geo block
    {"akamai-geo", "https", "provider_restriction", "http.geo_page"},          // Akamai Access Denied
    {"gov-order", "https", "provider_on_government_order", "http.gov_order"},  // 302 to /blank.php?rkn=
    {"outage", "https", "service_outage", "tcp.reset"},                        // refused for everyone
    {"err500", "https", "service_outage", "http.server_error"},                // 500 for everyone
    {"slow", "https", "reachable", "none"},                                    // answers after 0.5 s
    {"edge-drop", "https", "provider_restriction", "tcp.edge_drop"},  // far provider's edge drops our SYNs (hop 8)
    {"lossy", "https", nullptr, nullptr},                             // 20 % loss: noise, never censorship
};

std::string url_of(const Scenario& s) { return std::string(s.scheme) + "://" + s.host + ".example.com/"; }

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// One probe run per side for every scenario at once, and reachanalyze over them, shared by all tests.
struct LabRun {
  std::string vantage_path, control_path;
  lab::RunResult vantage_probe, control_probe, analyze, analyze_no_control, markdown;
  json verdicts, verdicts_no_control;
  std::map<std::string, json> by_input, by_input_no_control;
};

std::vector<std::string> probe_args(const std::string& output, const std::string& label) {
  std::vector<std::string> argv = lab::lab_probe_argv(REACHPROBE_BIN);
  argv.insert(argv.end(), {"--neutral-sni", std::string(lab::kNeutralSni), "--output", output, "--vantage", label,
                           "--probe-cc", "ZZ", "--probe-asn", "AS0", "--parallel", "16"});
  for (const auto& s : kScenarios) {
    argv.push_back("--url");
    argv.push_back(url_of(s));
  }
  return argv;
}

std::map<std::string, json> index_services(const json& doc) {
  std::map<std::string, json> out;
  for (const auto& s : doc.at("services")) out[s.at("input").at("value").get<std::string>()] = s;
  return out;
}

// CTest runs each discovered test in its own process; the two probe runs (~10 s) are shared through a
// cache directory keyed by the lab instance (its "up" timestamp), created under an exclusive lock.
std::string cache_dir() {
  struct stat st {};
  ::stat(REACHPROBE_BIN, &st);  // a rebuilt probe must be measured again
  std::string key = slurp(lab::lab_run_dir() + "/up") + "-" + std::to_string(st.st_mtime);
  // ... and by the scenario list: a run cached before a scenario was added has no verdict for it.
  std::string names;
  for (const auto& s : kScenarios) names += std::string(s.host) + ",";
  // Two appends, not `"-" + std::to_string(...)`: at -O3 GCC 12 inlines that operator+ (an insert at the
  // front) into a false -Werror=restrict (GCC bug 105329).
  key += "-";
  key += std::to_string(std::hash<std::string>{}(names));
  for (auto& c : key)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return "/tmp/reachanalyze-lab-" + key;
}

void run_probes_once(LabRun& r) {
  const std::string dir = cache_dir();
  ::mkdir(dir.c_str(), 0700);
  const int lock = ::open((dir + "/lock").c_str(), O_CREAT | O_RDWR, 0600);
  if (lock >= 0) ::flock(lock, LOCK_EX);
  r.vantage_path = dir + "/vantage.jsonl";
  r.control_path = dir + "/control.jsonl";
  if (slurp(dir + "/done") != "ok") {
    r.vantage_probe = lab::run_in_namespace(lab::kVantageNs, probe_args(r.vantage_path, "lab-vantage"), 240);
    r.control_probe = lab::run_in_namespace(lab::kControlNs, probe_args(r.control_path, "lab-control"), 240);
    if (r.vantage_probe.exit_code == 0 && r.control_probe.exit_code == 0) std::ofstream(dir + "/done") << "ok";
  } else {
    r.vantage_probe.exit_code = r.control_probe.exit_code = 0;
  }
  if (lock >= 0) ::close(lock);  // releases the lock
}

const LabRun& lab_run() {
  static LabRun* run = [] {
    auto* r = new LabRun;
    run_probes_once(*r);
    const std::string out = lab::scratch_path("verdicts") + ".json";
    const std::string out_nc = lab::scratch_path("verdicts-no-control") + ".json";
    r->analyze = lab::run_command({REACHANALYZE_BIN, "classify", "--allow-special-purpose", "--vantage",
                                   r->vantage_path, "--control", r->control_path, "--output", out},
                                  60);
    r->analyze_no_control = lab::run_command({REACHANALYZE_BIN, "classify", "--allow-special-purpose", "--vantage",
                                              r->vantage_path, "--output", out_nc},
                                             60);
    r->markdown = lab::run_command({REACHANALYZE_BIN, "classify", "--allow-special-purpose", "--vantage",
                                    r->vantage_path, "--control", r->control_path, "--format", "markdown"},
                                   60);
    r->verdicts = json::parse(slurp(out), nullptr, false);
    r->verdicts_no_control = json::parse(slurp(out_nc), nullptr, false);
    if (r->verdicts.is_object()) r->by_input = index_services(r->verdicts);
    if (r->verdicts_no_control.is_object()) r->by_input_no_control = index_services(r->verdicts_no_control);
    return r;
  }();
  return *run;
}

class AttributionLab : public ::testing::TestWithParam<Scenario> {};

TEST(AttributionLabRun, ProbeAndAnalyserRunCleanlyOnBothSides) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const LabRun& r = lab_run();
  EXPECT_EQ(r.vantage_probe.exit_code, 0) << r.vantage_probe.err;
  EXPECT_EQ(r.control_probe.exit_code, 0) << r.control_probe.err;
  EXPECT_EQ(r.analyze.exit_code, 0) << r.analyze.err;
  EXPECT_EQ(r.analyze_no_control.exit_code, 0) << r.analyze_no_control.err;
  ASSERT_TRUE(r.verdicts.is_object());
  EXPECT_EQ(r.by_input.size(), std::size(kScenarios));
  std::string report;
  EXPECT_TRUE(lab::validate_against_schema(r.vantage_path, "measurement", &report)) << report;
}

TEST(AttributionLabRun, VerdictsFollowTheVerdictSchema) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const LabRun& r = lab_run();
  ASSERT_TRUE(r.verdicts.is_object());
  // validate_against_schema reads JSONL: one verdict document per line.
  for (const auto* doc : {&r.verdicts, &r.verdicts_no_control}) {
    const std::string path = lab::scratch_path("verdict-doc") + ".jsonl";
    std::ofstream(path) << doc->dump() << "\n";
    std::string report;
    EXPECT_TRUE(lab::validate_against_schema(path, "verdict", &report)) << report;
  }
}

TEST_P(AttributionLab, ScenarioGetsTheExactAttributionAndMechanism) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const Scenario& s = GetParam();
  const LabRun& r = lab_run();
  auto it = r.by_input.find(url_of(s));
  ASSERT_NE(it, r.by_input.end()) << "no verdict for " << url_of(s);
  const json& v = it->second;
  const std::string why = v.at("rule").get<std::string>() + ": " + v.at("evidence").at("sentence").get<std::string>();
  if (s.attribution) {
    EXPECT_EQ(v.at("attribution"), s.attribution) << why;
    EXPECT_EQ(v.at("mechanism"), s.mechanism) << why;
  } else {
    EXPECT_TRUE(v.at("attribution") == "reachable" || v.at("attribution") == "inconclusive") << why;
  }
  EXPECT_EQ(v.at("control"), "present");
  if (v.at("attribution") != "inconclusive") {
    EXPECT_FALSE(v.at("evidence").at("observations").empty()) << why;
  }
}

TEST_P(AttributionLab, WithoutControlTheScenarioIsNeverBlamedOnTheWrongParty) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const Scenario& s = GetParam();
  const LabRun& r = lab_run();
  auto it = r.by_input_no_control.find(url_of(s));
  ASSERT_NE(it, r.by_input_no_control.end());
  const json& v = it->second;
  const std::string why = v.at("rule").get<std::string>() + ": " + v.at("evidence").at("sentence").get<std::string>();
  const std::string want = s.attribution ? s.attribution : "reachable";
  EXPECT_TRUE(v.at("attribution") == want || v.at("attribution") == "inconclusive" ||
              (!s.attribution && v.at("attribution") == "inconclusive"))
      << "got " << v.at("attribution") << ", want " << want << " or inconclusive; " << why;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, AttributionLab, ::testing::ValuesIn(kScenarios),
                         [](const ::testing::TestParamInfo<Scenario>& p) {
                           std::string n = p.param.host;
                           for (auto& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

TEST(AttributionLabRun, MarkdownReportNamesThePartiesAndItsLimits) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const LabRun& r = lab_run();
  EXPECT_EQ(r.markdown.exit_code, 0);
  EXPECT_NE(r.markdown.out.find("| Service | What was tested | Verdict | How | Confidence |"), std::string::npos);
  EXPECT_NE(r.markdown.out.find("Refused by the provider"), std::string::npos);
  EXPECT_NE(r.markdown.out.find("Blocked on the network"), std::string::npos);
  EXPECT_NE(r.markdown.out.find("account-level blocks"), std::string::npos);
}

}  // namespace
