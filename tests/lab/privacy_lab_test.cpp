// The vantage's addresses are planted by the lab's servers in every place the probe records (echo
// headers, page titles and bodies, whoami DNS answers and whoami pages, the addresses it then connects
// to and captures packets of) and must come out scrubbed everywhere; a record that names the machine
// in a spelling the probe does not rewrite is withheld. Redirects into this machine or a private
// network are refused. The probe runs as root in rp-vantage, so capture is on, under the memory limit.
#include <fstream>
#include <regex>
#include <sstream>

#include "lab_harness.h"

namespace lab = reachprobe::lab;
using nlohmann::json;

namespace {

// lab.sh's VANTAGE_PUBLIC_IP: what the echo and whoami services say they saw, standing in for the
// address a NAT in front of the vantage would show them. It is on no interface: the probe must learn it.
constexpr std::string_view kVantagePublicIp = "198.18.1.200";
constexpr std::string_view kMark = "[scrubbed]";

struct ProbeRun {
  lab::RunResult process;
  std::string output_path;
  std::string output;
  std::vector<json> records;
};

ProbeRun run_probe(const std::vector<std::string>& inputs) {
  ProbeRun run;
  run.output_path = lab::scratch_path("privacy") + ".jsonl";
  std::vector<std::string> argv = lab::lab_probe_argv(REACHPROBE_BIN);
  argv.insert(argv.end(), {"--output", run.output_path, "--probe-cc", "ZZ", "--probe-asn", "AS0"});
  argv.insert(argv.end(), inputs.begin(), inputs.end());
  run.process = lab::run_in_namespace(lab::kVantageNs, lab::with_memory_limit(argv), 90);
  std::ifstream in(run.output_path);
  std::stringstream text;
  text << in.rdbuf();
  run.output = text.str();
  run.records = lab::parse_jsonl(run.output);
  return run;
}

const json* record_for(const ProbeRun& run, std::string_view input) {
  for (const auto& r : run.records) {
    if (r.at("input").at("value") == input) return &r;
  }
  return nullptr;
}

// Every spelling of the vantage's two addresses that the lab plants (and a few it does not).
void expect_no_own_address(const std::string& text) {
  static const std::regex kOwn(
      R"((^|[^0-9.])198[.-]0?18[.-]0{0,2}1[.-](2|200)([^0-9]|$)|198%2E18%2E1%2E|200\.1\.18\.198\.in-addr|2\.1\.18\.198\.in-addr)",
      std::regex::icase);
  std::smatch m;
  if (std::regex_search(text, m, kOwn)) {
    const auto at = static_cast<std::size_t>(m.position(0));
    ADD_FAILURE() << "an own address reached the output: ..." << text.substr(at < 200 ? 0 : at - 200, 400) << "...";
  }
}

std::string header(const json& response, std::string_view name) {
  for (const auto& h : response.at("headers")) {
    if (h.at(0) == name) return h.at(1);
  }
  return "(no " + std::string(name) + " header)";
}

TEST(Privacy, PlantedAddressesAreScrubbedFromEveryFieldAndCaptureSummary) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto run = run_probe({"--url", "http://echo.example.com/", "--url", "https://echo.example.com/", "--url",
                              "https://api.ipify.org/", "--url", "http://welcome.example.com/", "--url",
                              "http://encoded.example.com/", "--url", "http://myip.opendns.com/", "--url",
                              "http://whoami.akamai.net/"});
  ASSERT_FALSE(run.process.timed_out) << run.process.err;
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  std::string report;
  EXPECT_TRUE(lab::validate_against_schema(run.output_path, "measurement", &report)) << report;
  expect_no_own_address(run.output);

  // The percent-encoded address cannot be rewritten in place: that record is withheld, and said so.
  EXPECT_EQ(run.records.size(), 6u);
  EXPECT_EQ(record_for(run, "http://encoded.example.com/"), nullptr);
  EXPECT_NE(run.process.err.find("1 record(s) withheld"), std::string::npos) << run.process.err;

  // Positive checks: each planted address was there, and is now the mark.
  const json* echo = record_for(run, "http://echo.example.com/");
  ASSERT_NE(echo, nullptr);
  const auto http = lab::observations_of(*echo, "http_request");
  ASSERT_EQ(http.size(), 1u);
  const json& response = http[0].at("response");
  EXPECT_EQ(header(response, "X-Client-IP"), kMark);
  EXPECT_EQ(header(response, "X-Forwarded-For"), std::string(kMark) + ", 198.18.2.2");  // a proxy: kept
  EXPECT_EQ(header(response, "Via"), "1.1 proxy (client ip-" + std::string(kMark) + ".vantage.example)");
  EXPECT_EQ(response.at("title"), "Your address is " + std::string(kMark));
  EXPECT_NE(response.at("body_prefix").get<std::string>().find("Seen from [scrubbed], forwarded for [scrubbed]."),
            std::string::npos);

  const json* https_echo = record_for(run, "https://echo.example.com/");
  ASSERT_NE(https_echo, nullptr);
  EXPECT_EQ(lab::observations_of(*https_echo, "http_request").at(0).at("response").at("title"),
            "Your address is " + std::string(kMark));

  const json* whoami_page = record_for(run, "https://api.ipify.org/");
  ASSERT_NE(whoami_page, nullptr);
  EXPECT_EQ(lab::observations_of(*whoami_page, "http_request").at(0).at("response").at("body_prefix"),
            std::string(kMark) + "\n");

  const json* welcome = record_for(run, "http://welcome.example.com/");
  ASSERT_NE(welcome, nullptr);
  const json page = lab::observations_of(*welcome, "http_request").at(0).at("response");
  EXPECT_EQ(page.at("title"), "Welcome, visitor from " + std::string(kMark));
  EXPECT_NE(page.at("body_prefix").get<std::string>().find("ip-[scrubbed].dsl.example ([scrubbed])"), std::string::npos)
      << page.at("body_prefix");

  for (const std::string_view name : {"http://myip.opendns.com/", "http://whoami.akamai.net/"}) {
    const json* r = record_for(run, name);
    ASSERT_NE(r, nullptr) << name;
    bool answered = false;
    for (const auto& q : lab::observations_of(*r, "dns_query")) {
      for (const auto& a : q.at("answers")) {
        if (a.at("type") == "A") {
          EXPECT_EQ(a.at("value"), kMark) << name;
          answered = true;
        }
      }
    }
    EXPECT_TRUE(answered) << name << " got no A answer";
    for (const auto& c : lab::observations_of(*r, "tcp_connect")) EXPECT_EQ(c.at("address"), kMark) << name;
  }
  // The packets of the connection to the whoami answer were captured; their summary names the flow.
  const json* myip = record_for(run, "http://myip.opendns.com/");
  ASSERT_NE(myip, nullptr);
  bool flow_summarised = false;
  for (const auto& c : lab::observations_of(*myip, "capture_summary")) {
    flow_summarised = flow_summarised || c.at("remote") == std::string(kMark) + ":80";
  }
  EXPECT_TRUE(flow_summarised) << myip->dump();

  // Capture was on, and its summaries were part of what was checked above.
  std::size_t summaries = 0;
  for (const auto& r : run.records) {
    EXPECT_EQ(r.at("capture"), "on");
    summaries += lab::observations_of(r, "capture_summary").size();
  }
  EXPECT_GE(summaries, run.records.size());

  // Scrubbed records are still results: reachanalyze reads them without complaint.
  const auto analysis = lab::run_command({REACHANALYZE_BIN, "classify", "--allow-special-purpose", "--vantage",
                                          run.output_path},
                                         30);
  EXPECT_EQ(analysis.exit_code, 0) << analysis.err;
}

// The public address is learned from a whoami answer only when that record finishes (its connection to
// the answer takes the whole 2 s timeout), long after the welcome page's record was written. The
// rewrite before the file is published must still scrub it there.
TEST(Privacy, AnAddressLearnedLateIsScrubbedFromRecordsAlreadyWritten) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto run = run_probe(
      {"--no-localize", "--url", "http://welcome.example.com/", "--url", "http://myip.opendns.com/"});
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  ASSERT_EQ(run.records.size(), 2u);
  EXPECT_EQ(run.records[0].at("input").at("value"), "http://welcome.example.com/");  // written first
  expect_no_own_address(run.output);
  EXPECT_EQ(lab::observations_of(run.records[0], "http_request").at(0).at("response").at("title"),
            "Welcome, visitor from " + std::string(kMark));
}

// Without any source revealing it, the public address is not known, and says so by being there: the
// positive control that shows the checks above are not passing because nothing was planted.
TEST(Privacy, WithoutASourceThePublicAddressIsNotGuessed) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const auto run = run_probe({"--no-localize", "--url", "http://welcome.example.com/"});
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  EXPECT_NE(run.output.find("Welcome, visitor from " + std::string(kVantagePublicIp)), std::string::npos);
  // ... and --scrub-address is how a volunteer who knows it says so.
  const auto told = run_probe(
      {"--no-localize", "--scrub-address", std::string(kVantagePublicIp), "--url", "http://welcome.example.com/"});
  ASSERT_EQ(told.process.exit_code, 0) << told.process.err;
  expect_no_own_address(told.output);
}

struct RedirectCase {
  std::string path;
  std::string target;  // as recorded (scrubbed where it is this machine)
};

TEST(Redirects, IntoThisMachineOrAPrivateNetworkAreRefused) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  const std::vector<RedirectCase> refused = {
      {"/to-self", "http://[scrubbed]/"},
      {"/to-private", "http://10.1.2.3/"},
      {"/to-loopback", "http://127.0.0.1:9/"},
      {"/to-v6-loopback", "http://[::1]:9/"},
      {"/to-private-name", "http://intranet.example.com/"},
  };
  std::vector<std::string> inputs;
  for (const auto& c : refused) inputs.insert(inputs.end(), {"--url", "http://redirector.example.com" + c.path});
  inputs.insert(inputs.end(), {"--url", "http://redirector.example.com/to-public", "--no-localize"});
  const auto run = run_probe(inputs);
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  ASSERT_EQ(run.records.size(), refused.size() + 1);
  std::string report;
  EXPECT_TRUE(lab::validate_against_schema(run.output_path, "measurement", &report)) << report;
  expect_no_own_address(run.output);

  for (const auto& c : refused) {
    const json* r = record_for(run, "http://redirector.example.com" + c.path);
    ASSERT_NE(r, nullptr) << c.path;
    const auto http = lab::observations_of(*r, "http_request");
    ASSERT_EQ(http.size(), 2u) << c.path << ": " << r->dump();
    EXPECT_EQ(http[0].at("response").at("status"), 302) << c.path;
    EXPECT_EQ(http[1].at("hop"), 1) << c.path;
    EXPECT_EQ(http[1].at("url"), c.target) << c.path;
    EXPECT_EQ(http[1].at("failure"), "http_forbidden_redirect") << c.path;
    // Refused means not even tried: no connection goes anywhere but the redirector.
    for (const auto& t : lab::observations_of(*r, "tcp_connect")) {
      EXPECT_EQ(t.at("address"), lab::host_ip("redirector.example.com")) << c.path;
    }
  }
  // The control: a redirect to a public lab host is followed.
  const json* followed = record_for(run, "http://redirector.example.com/to-public");
  ASSERT_NE(followed, nullptr);
  const auto http = lab::observations_of(*followed, "http_request");
  ASSERT_EQ(http.size(), 2u);
  EXPECT_EQ(http[1].at("response").at("status"), 200);
  EXPECT_EQ(http[1].at("response").at("title"), lab::kHealthyTitle);
}

}  // namespace
