// Helpers for GoogleTest suites that run real binaries inside reachprobe's network-namespace lab (tests/lab/lab.sh).
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace reachprobe::lab {

// Namespaces and addresses of the lab; tests/lab/README.md has the diagram.
inline constexpr std::string_view kVantageNs = "rp-vantage";
inline constexpr std::string_view kControlNs = "rp-control";
inline constexpr std::string_view kCensorNs = "rp-censor";
inline constexpr std::string_view kServicesNs = "rp-services";
inline constexpr std::string_view kVantageIp = "198.18.1.2";
inline constexpr std::string_view kControlIp = "198.18.3.2";
inline constexpr std::string_view kCensorIp = "198.18.1.1";  // the vantage's gateway
inline constexpr std::string_view kResolver = "198.18.4.53";
inline constexpr std::string_view kNoDnsServer = "198.18.4.99";  // routed, but nothing answers there
inline constexpr std::string_view kBogonIp = "10.10.34.36";      // the censor's forged DNS answer
inline constexpr std::string_view kNeutralSni = "neutral.example.org";
inline constexpr std::string_view kBlockpageText = "blocked by order of the Telecommunications Authority";
inline constexpr std::string_view kHealthyTitle = "OK service";

std::string lab_run_dir();                   // /run/reachprobe-lab, or $REACHPROBE_LAB_RUN
std::string lab_ca_path();                   // the lab CA every service certificate chains to
std::string interceptor_ca_path();           // the censor's untrusted CA (mitm.example.com)
std::string lab_source_dir();                // tests/lab in the source tree
std::string host_ip(std::string_view name);  // real address of a scenario host (hosts.tsv); "" if unknown

// True when lab.sh up has finished and the namespaces exist.
bool lab_available();
std::string lab_unavailable_reason();

// Skips the current test, saying why, when the lab is not up (not root, or lab_up was skipped).
#define REACHPROBE_SKIP_WITHOUT_LAB()                                                                     \
  do {                                                                                                    \
    if (!::reachprobe::lab::lab_available()) GTEST_SKIP() << ::reachprobe::lab::lab_unavailable_reason(); \
  } while (0)

struct RunResult {
  int exit_code = -1;      // the command's exit status; -1 when it was killed or never started
  int term_signal = 0;     // signal that ended it, if any
  bool timed_out = false;  // killed by run_command's hard timeout
  double seconds = 0;      // wall time
  long peak_rss_kib = 0;   // the child's peak resident set (wait4's ru_maxrss), in KiB. Linux keeps it
                           // across exec, so it covers prlimit / `ip netns exec` (which exec in place) and
                           // the program they run, and is at least this process's RSS when it forked.
  std::string out;
  std::string err;
};

// Runs argv directly (fork/execvp, no shell) with a hard timeout; the whole process group is killed
// when it expires. stdin is /dev/null; stdout and stderr are captured (up to 64 MiB each).
RunResult run_command(const std::vector<std::string>& argv, double timeout_seconds);

// The address space a probe run against a hostile peer must stay under: bodies, headers, DNS replies and
// captures are all bounded, so a run that needs more than this has lost a bound somewhere.
inline constexpr long long kProbeAddressSpaceLimit = 256LL << 20;  // 256 MiB of virtual memory

// argv prefixed with `prlimit --as=kProbeAddressSpaceLimit --`, so exceeding the bound makes the probe
// fail (allocation failure, abort) instead of quietly growing. Unchanged under AddressSanitizer, whose
// shadow memory alone reserves terabytes of address space.
std::vector<std::string> with_memory_limit(std::vector<std::string> argv);

// Same, inside a lab namespace (`ip netns exec NS argv...`).
RunResult run_in_namespace(std::string_view ns, const std::vector<std::string>& argv, double timeout_seconds);

// One JSON value per non-empty line; throws nlohmann::json::parse_error naming the bad line.
std::vector<nlohmann::json> parse_jsonl(std::string_view text);

// The observations of one measurement record that have the given type (e.g. "tls_handshake"), in order.
std::vector<nlohmann::json> observations_of(const nlohmann::json& record, std::string_view type);

// `binary run` as every lab measurement starts: quiet, the lab's address range allowed (--allow-special-purpose),
// the lab resolver, the lab CA and 2 s steps. Callers append their output, inputs and anything else.
std::vector<std::string> lab_probe_argv(const std::string& binary);

// Validates every line of a JSONL file against results-schema/<schema_name> (".schema.json" optional)
// with tests/lab/validate_jsonl.py. On failure, *report (if given) holds one line per invalid record.
// Measurement records are also read back through reachanalyze's reader (common/record/): every observation
// the real probe wrote must read back and write out again as exactly the same JSON.
bool validate_against_schema(const std::string& jsonl_path, std::string_view schema_name,
                             std::string* report = nullptr);

// Every observation of every record in a JSONL file, read back with rp::read_observation and written again,
// is the JSON it was; on failure, *report (if given) names each one that is not.
bool observations_read_back_identically(const std::string& jsonl_path, std::string* report = nullptr);

// A fresh path in a per-process scratch directory under /tmp (the file is not created). The directory is
// removed after the last test if all passed, and kept for inspection otherwise.
std::string scratch_path(std::string_view stem);

}  // namespace reachprobe::lab
