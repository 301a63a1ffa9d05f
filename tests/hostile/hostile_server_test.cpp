// The real reachprobe binary against servers that misbehave on purpose, over loopback: every case ends
// with a documented failure string, within its time bound, and nothing already measured is lost.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "hostile_server.h"
#include "lab_harness.h"

namespace reachprobe::hostile {
namespace {

using nlohmann::json;
namespace lab = reachprobe::lab;

constexpr double kStepTimeout = 2.0;

// Peak resident memory a probe run against one hostile HTTP server may reach. Measured (Release, Debian
// 12, libcurl 7.88): 24 MiB for a run that gets no answer at all (libraries, trust store, catalogue), at
// most 26.4 MiB here (the endless body: the 1 MiB cap plus curl's buffers). 48 MiB leaves ~1.8x headroom
// for other builds and libraries, while a lost bound shows: the endless-body server sends 64 MiB, the
// gzip bombs decode to gigabytes, so keeping either whole overshoots it.
constexpr long kPeakRssBoundKib = 48 << 10;

// Far below the ~36 MiB of address space the probe maps to load its libraries and start (VmPeak, Release).
constexpr long long kTinyAddressSpace = 16LL << 20;

// The probe always runs under lab::with_memory_limit (prlimit --as), so losing a bound makes it fail
// rather than quietly grow; this is false under AddressSanitizer, where no limit is applied.
bool memory_limit_applies() { return lab::with_memory_limit({"probe"}).size() > 1; }

struct ProbeRun {
  lab::RunResult run;
  std::vector<json> records;
};

ProbeRun probe(const std::vector<std::string>& inputs) {
  const std::string out = lab::scratch_path("hostile.jsonl");
  std::vector<std::string> argv = {
      REACHPROBE_BIN, "run", "-q", "--resolver", "127.0.0.1:1", "--timeout", std::to_string(kStepTimeout),
      "--output",     out};
  argv.insert(argv.end(), inputs.begin(), inputs.end());
  ProbeRun r;
  r.run = lab::run_command(lab::with_memory_limit(argv), 30);
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  r.records = lab::parse_jsonl(text);
  if (!r.records.empty()) {
    std::string report;
    EXPECT_TRUE(lab::validate_against_schema(out, "measurement", &report)) << report;
  }
  return r;
}

std::string url(const HostileServer& s) { return "http://127.0.0.1:" + std::to_string(s.port()) + "/"; }

// Checked only where the address-space limit applies too: AddressSanitizer's shadow memory and quarantine
// make resident memory say nothing about the probe's own bounds.
void expect_within_memory_bound(const ProbeRun& r) {
  EXPECT_GT(r.run.peak_rss_kib, 0);
  if (memory_limit_applies()) {
    EXPECT_LT(r.run.peak_rss_kib, kPeakRssBoundKib) << "peak RSS " << r.run.peak_rss_kib << " KiB";
  }
  ::testing::Test::RecordProperty("peak_rss_kib", std::to_string(r.run.peak_rss_kib));
  ::testing::Test::RecordProperty("seconds", std::to_string(r.run.seconds));
}

// The one http_request of a run against a single hostile HTTP server, after what every such run must show:
// exit 0, done within the step timeout, under the memory bound.
json single_request_in_bounds(const ProbeRun& r) {
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_LT(r.run.seconds, kStepTimeout);
  expect_within_memory_bound(r);
  if (r.records.size() != 1u) {
    ADD_FAILURE() << "expected one record, got " << r.records.size() << "\n" << r.run.err;
    return json::object();
  }
  const auto http = lab::observations_of(r.records[0], "http_request");
  if (http.size() != 1u) {
    ADD_FAILURE() << "expected one http_request: " << r.records[0].dump();
    return json::object();
  }
  return http[0];
}

// A bomb ends like an endless body: no failure, the body cut at the 1 MiB cap of decoded bytes.
void expect_cut_at_the_cap(json http, const std::string& title) {
  EXPECT_TRUE(http["failure"].is_null()) << http.dump();
  EXPECT_EQ(http["response"]["body_truncated"], true);
  EXPECT_EQ(http["response"]["body_length"], 1 << 20);  // decoded bytes, not what was on the wire
  EXPECT_EQ(http["response"]["title"], title);
}

// Refused from its headers, before a single body byte is decoded: an invalid response, none recorded.
void expect_refused_as_invalid(Behaviour behaviour) {
  HostileServer server(behaviour);
  json http = single_request_in_bounds(probe({"--url", url(server)}));
  EXPECT_EQ(http["failure"], "http_invalid_response");
  EXPECT_TRUE(http["response"].is_null());
}

TEST(HostileServers, AnEndlessBodyIsCutAtTheCapWithoutWaitingForTheTimeout) {
  HostileServer server(Behaviour::endless_body);
  expect_cut_at_the_cap(single_request_in_bounds(probe({"--url", url(server)})), "endless");
}

TEST(HostileServers, AServerThatNeverAnswersTimesOutWithinTheStepBound) {
  HostileServer server(Behaviour::never_answers);
  const auto r = probe({"--url", url(server)});
  ASSERT_EQ(r.run.exit_code, 0) << r.run.err;
  const auto http = lab::observations_of(r.records.at(0), "http_request");
  ASSERT_EQ(http.size(), 1u);
  EXPECT_EQ(http[0]["failure"], "generic_timeout_error");
  EXPECT_TRUE(http[0]["response"].is_null());
  EXPECT_LT(r.run.seconds, kStepTimeout + 1.5);
  expect_within_memory_bound(r);
}

TEST(HostileServers, HeadersThatNeverEndAreAnInvalidResponse) {
  HostileServer server(Behaviour::endless_headers);
  const auto r = probe({"--url", url(server)});
  const auto http = lab::observations_of(r.records.at(0), "http_request");
  ASSERT_EQ(http.size(), 1u);
  EXPECT_EQ(http[0]["failure"], "http_invalid_response");
  EXPECT_LT(r.run.seconds, kStepTimeout);
  expect_within_memory_bound(r);
}

TEST(HostileServers, ASlowTrickleIsStoppedByTheStepTimeout) {
  HostileServer server(Behaviour::slow_trickle);
  const auto r = probe({"--url", url(server)});
  const auto http = lab::observations_of(r.records.at(0), "http_request");
  ASSERT_EQ(http.size(), 1u);
  EXPECT_EQ(http[0]["failure"], "generic_timeout_error");
  EXPECT_LT(r.run.seconds, kStepTimeout + 1.5);
  expect_within_memory_bound(r);
}

TEST(HostileServers, GarbageInsteadOfTlsIsAFailedHandshake) {
  HostileServer server(Behaviour::garbage);
  const auto r = probe({"--endpoint", "127.0.0.1:" + std::to_string(server.port()) + "/tls"});
  const auto tls = lab::observations_of(r.records.at(0), "tls_handshake");
  ASSERT_EQ(tls.size(), 1u);  // an IP target gets no SNI, hence no SNI retries
  EXPECT_EQ(tls[0]["failure"], "ssl_failed_handshake");
  EXPECT_EQ(tls[0]["handshake_completed"], false);
  EXPECT_TRUE(tls[0]["server_name"].is_null());
  expect_within_memory_bound(r);
}

TEST(HostileServers, ARedirectLoopStopsAfterTenHops) {
  HostileServer server(Behaviour::redirect_loop);
  const auto r = probe({"--url", url(server)});
  const auto http = lab::observations_of(r.records.at(0), "http_request");
  ASSERT_EQ(http.size(), 12u);  // hops 0..10 answered 302, hop 11 is refused
  for (std::size_t i = 0; i + 1 < http.size(); ++i) {
    EXPECT_EQ(http[i]["hop"], i);
    EXPECT_EQ(http[i]["response"]["status"], 302);
  }
  EXPECT_EQ(http.back()["failure"], "http_too_many_redirects");
  expect_within_memory_bound(r);
}

// A gzip'd body is decoded as a browser would (a blockpage may come compressed), and the body cap applies
// to the decoded bytes: a bomb ends at the cap exactly like an endless body, promptly and in bounded memory.
TEST(HostileServers, AGzipBombIsDecodedOnlyUpToTheBodyCap) {
  HostileServer server(Behaviour::gzip_bomb);
  json http = single_request_in_bounds(probe({"--url", url(server)}));
  EXPECT_NE(server.last_request().find("\r\nAccept-Encoding: gzip, deflate, br\r\n"), std::string::npos)
      << server.last_request();
  expect_cut_at_the_cap(http, "gzip bomb");
  EXPECT_EQ(http["response"]["status"], 200);
  EXPECT_EQ(http["response"]["body_prefix"].get<std::string>().rfind("<html><head><title>gzip bomb", 0), 0u);
}

TEST(HostileServers, ADoublyGzippedBombIsDecodedOnlyUpToTheBodyCap) {
  HostileServer server(Behaviour::double_gzip_bomb);
  expect_cut_at_the_cap(single_request_in_bounds(probe({"--url", url(server)})), "gzip bomb");
}

// More than three codings is no real server; refusing it keeps decoder memory bounded whatever libcurl does.
TEST(HostileServers, AChainOfFourContentCodingsIsAnInvalidResponse) {
  expect_refused_as_invalid(Behaviour::long_coding_chain);
}

// zstd was not offered; decoding it anyway would let the peer pick a 128 MiB window (libcurl sets no limit).
TEST(HostileServers, AZstdBodyThatWasNeverOfferedIsAnInvalidResponse) {
  expect_refused_as_invalid(Behaviour::zstd_window_bomb);
}

// The memory limit is real: the same run succeeds under lab::with_memory_limit and fails under a limit far
// too small (the loader cannot even map the probe's libraries), so a check that passes means something.
TEST(MemoryLimit, AProbeUnderATinyAddressSpaceLimitFails) {
  if (!memory_limit_applies()) GTEST_SKIP() << "AddressSanitizer build: no address-space limit applies";
  HostileServer server(Behaviour::endless_body);
  const auto run_under = [&](const std::string& limit) {
    const std::string out = lab::scratch_path("limit.jsonl");
    const auto run = lab::run_command({"prlimit", "--as=" + limit, "--", REACHPROBE_BIN, "run", "-q", "--resolver",
                                       "127.0.0.1:1", "--timeout", std::to_string(kStepTimeout), "--output", out,
                                       "--url", url(server)},
                                      30);
    return std::make_pair(run, std::filesystem::exists(out));
  };
  const auto [normal, normal_wrote] = run_under(std::to_string(lab::kProbeAddressSpaceLimit));
  EXPECT_EQ(normal.exit_code, 0) << normal.err;
  EXPECT_TRUE(normal_wrote);
  const auto [tiny, tiny_wrote] = run_under(std::to_string(kTinyAddressSpace));
  EXPECT_TRUE(tiny.exit_code != 0 || tiny.term_signal != 0)
      << "the probe ran whole in " << kTinyAddressSpace << " bytes of address space";
  EXPECT_FALSE(tiny_wrote);
}

TEST(BadInput, AMalformedCatalogueIsRefusedNamingTheLineAndNothingIsMeasured) {
  const std::string path = lab::scratch_path("bad-catalogue.json");
  std::ofstream(path) << "{\n  \"catalogue_version\": \"1\",\n  \"services\": [ oops ]\n}\n";
  const std::string out = lab::scratch_path("never.jsonl");
  const auto r = lab::run_command({REACHPROBE_BIN, "run", "--targets", path, "--output", out}, 10);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(path + ":3:"), std::string::npos) << r.err;  // file:line:column
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
}

TEST(BadInput, AnUnknownServiceIsRefusedListingTheValidOnes) {
  const auto r = lab::run_command({REACHPROBE_BIN, "run", "--services", "whatsapp,notaservice", "--output", "-"}, 10);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("notaservice"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("telegram"), std::string::npos) << r.err;
}

TEST(BadInput, BadArgumentsGetOneLineAndExitTwo) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--endpoint", "example.com:99999/tls"},
                                                                {"--url", "ftp://example.com/"},
                                                                {"--probe-cc", "Iran"},
                                                                {"--resolver", "not-an-ip"},
                                                                {"--timeout", "0"}}) {
    std::vector<std::string> argv = {REACHPROBE_BIN, "run", "--output", "-"};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = lab::run_command(argv, 10);
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

// SIGTERM half-way: the finished record is kept whole, the unfinished one is written as interrupted,
// and the file is published under its final name.
TEST(Interruption, KeepsEveryFinishedRecordAndMarksTheRest) {
  HostileServer slow(Behaviour::never_answers);
  HostileServer fast(Behaviour::redirect_loop);
  const std::string out = lab::scratch_path("interrupted.jsonl");
  // Built before fork: the child only execs. prlimit execs the probe in place, so pid is the probe's.
  const std::vector<std::string> argv = lab::with_memory_limit({REACHPROBE_BIN, "run", "-q", "--resolver",
                                                                "127.0.0.1:1", "--timeout", "20", "--output", out,
                                                                "--url", url(slow), "--url", url(fast)});
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    execvp(args[0], args.data());
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  kill(pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 100 && waitpid(pid, &status, WNOHANG) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (waitpid(pid, &status, WNOHANG) == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    FAIL() << "the probe did not stop within 5 s of SIGTERM";
  }
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto records = lab::parse_jsonl(text);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0]["input"]["value"], url(fast));
  EXPECT_EQ(records[0]["stop_reason"], "done");
  EXPECT_EQ(records[1]["input"]["value"], url(slow));
  EXPECT_EQ(records[1]["stop_reason"], "interrupted");
  EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
}

}  // namespace
}  // namespace reachprobe::hostile
