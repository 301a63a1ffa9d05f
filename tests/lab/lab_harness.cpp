// Implementation of the lab harness: lab discovery, bounded subprocesses, JSONL parsing and schema checks.
#include "lab_harness.h"

#include "record/observations_reader.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#ifndef REACHPROBE_LAB_SOURCE_DIR
#error "REACHPROBE_LAB_SOURCE_DIR must point at tests/lab"
#endif
#ifndef REACHPROBE_SCHEMA_DIR
#error "REACHPROBE_SCHEMA_DIR must point at results-schema"
#endif

namespace reachprobe::lab {
namespace {

constexpr std::size_t kCaptureCap = 64u << 20;

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Reads what is available on fd into sink; returns false at EOF or on a hard error.
bool drain(int fd, std::string& sink) {
  std::array<char, 65536> buf{};
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n > 0) {
      std::size_t room = kCaptureCap > sink.size() ? kCaptureCap - sink.size() : 0;
      sink.append(buf.data(), std::min(room, static_cast<std::size_t>(n)));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
    return false;
  }
}

[[noreturn]] void exec_child(const std::vector<std::string>& argv, int out_fd, int err_fd) {
  ::setpgid(0, 0);  // own process group, so a timeout kills grandchildren too
  int devnull = ::open("/dev/null", O_RDONLY);
  ::dup2(devnull, STDIN_FILENO);
  ::dup2(out_fd, STDOUT_FILENO);
  ::dup2(err_fd, STDERR_FILENO);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::execvp(args[0], args.data());
  std::string msg = "run_command: cannot execute " + argv[0] + ": " + std::strerror(errno) + "\n";
  (void)!::write(STDERR_FILENO, msg.data(), msg.size());
  ::_exit(127);
}

}  // namespace

std::string lab_run_dir() {
  const char* env = std::getenv("REACHPROBE_LAB_RUN");
  return env && *env ? env : "/run/reachprobe-lab";
}
std::string lab_ca_path() { return lab_run_dir() + "/ca/ca.pem"; }
std::string interceptor_ca_path() { return lab_run_dir() + "/ca/interceptor-ca.pem"; }
std::string lab_source_dir() { return REACHPROBE_LAB_SOURCE_DIR; }

std::string host_ip(std::string_view name) {
  std::ifstream in(lab_source_dir() + "/hosts.tsv");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string host, ip;
    if (fields >> host >> ip && host == name) return ip;
  }
  return "";
}

std::string lab_unavailable_reason() {
  if (::geteuid() != 0) return "lab unavailable: not root, so no network namespaces (lab_up skipped)";
  if (!exists("/run/netns/" + std::string(kVantageNs)))
    return "lab unavailable: namespace rp-vantage missing (run tests/lab/lab.sh up)";
  if (!exists(lab_run_dir() + "/up"))
    return "lab unavailable: lab.sh up has not finished (" + lab_run_dir() + "/up missing)";
  return "";
}

bool lab_available() { return lab_unavailable_reason().empty(); }

RunResult run_command(const std::vector<std::string>& argv, double timeout_seconds) {
  RunResult result;
  if (argv.empty()) return result;
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return result;
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return result;
  }
  auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid == 0) exec_child(argv, out_pipe[1], err_pipe[1]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (pid < 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    result.err = std::string("run_command: fork failed: ") + std::strerror(errno);
    return result;
  }
  ::setpgid(pid, pid);  // also here, so the group exists before we might need to kill it
  set_nonblocking(out_pipe[0]);
  set_nonblocking(err_pipe[0]);

  auto deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(timeout_seconds));
  std::array<pollfd, 2> fds{{{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  int open_fds = 2;
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      ::kill(-pid, SIGKILL);
      break;
    }
    if (::poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(left.count(), 100))) < 0 && errno != EINTR)
      break;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) && !drain(fds[i].fd, *sinks[i])) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) ::close(f.fd);

  // Both pipes are closed (or the group was killed). A child may close its output and keep running:
  // it still gets until the deadline to exit, then the group is killed and the child reaped.
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, WNOHANG, &usage) == 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      ::kill(-pid, SIGKILL);
      ::wait4(pid, &status, 0, &usage);
      break;
    }
    ::usleep(10 * 1000);
  }
  result.peak_rss_kib = usage.ru_maxrss;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFEXITED(status) && !result.timed_out) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  return result;
}

RunResult run_in_namespace(std::string_view ns, const std::vector<std::string>& argv, double timeout_seconds) {
  std::vector<std::string> full{"ip", "netns", "exec", std::string(ns)};
  full.insert(full.end(), argv.begin(), argv.end());
  return run_command(full, timeout_seconds);
}

std::vector<nlohmann::json> parse_jsonl(std::string_view text) {
  std::vector<nlohmann::json> records;
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    try {
      records.push_back(nlohmann::json::parse(line));
    } catch (const nlohmann::json::parse_error& e) {
      throw nlohmann::json::parse_error::create(e.id, e.byte, "line " + std::to_string(line_no) + ": " + e.what(),
                                                nullptr);
    }
  }
  return records;
}

std::vector<std::string> lab_probe_argv(const std::string& binary) {
  return {binary,        "run",
          "--quiet",     "--allow-special-purpose",
          "--resolver",  std::string(kResolver),
          "--ca-bundle", lab_ca_path(),
          "--timeout",   "2"};
}

bool validate_against_schema(const std::string& jsonl_path, std::string_view schema_name, std::string* report) {
  std::string schema(schema_name);
  if (schema.find(".json") == std::string::npos) schema += ".schema.json";
  RunResult r = run_command({"/usr/bin/python3", lab_source_dir() + "/validate_jsonl.py", "--schema-dir",
                             REACHPROBE_SCHEMA_DIR, jsonl_path, schema},
                            60);
  if (report) *report = r.out + r.err;
  if (schema != "measurement.schema.json") return r.exit_code == 0;
  std::string round_trip;
  const bool read_back = observations_read_back_identically(jsonl_path, &round_trip);
  if (report) *report += round_trip;
  return r.exit_code == 0 && read_back;
}

bool observations_read_back_identically(const std::string& jsonl_path, std::string* report) {
  std::ifstream in(jsonl_path);
  std::stringstream text;
  text << in.rdbuf();
  std::string problems;
  const auto note = [&problems](const std::string& line) {
    if (problems.size() < 4096) problems += line + "\n";
  };
  std::size_t line = 0;
  for (const auto& record : parse_jsonl(text.str())) {
    ++line;
    if (!record.contains("observations") || !record["observations"].is_array()) continue;
    const auto& observations = record["observations"];
    for (std::size_t i = 0; i < observations.size(); ++i) {
      const std::string where = jsonl_path + ":" + std::to_string(line) + ": observations[" + std::to_string(i) + "]";
      try {
        const auto read = rp::read_observation(observations[i], "observations[" + std::to_string(i) + "]");
        if (!read) {
          note(where + ": not read back (unknown type)");
        } else if (nlohmann::json(rp::to_json(*read)) != observations[i]) {
          note(where + ": reads back as " + rp::to_json(*read).dump());
        }
      } catch (const rp::RecordError& e) {
        note(where + ": " + e.what());
      }
    }
  }
  if (report) *report = problems;
  return problems.empty();
}

std::vector<std::string> with_memory_limit(std::vector<std::string> argv) {
#if defined(__SANITIZE_ADDRESS__)
  return argv;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return argv;
#endif
#endif
  argv.insert(argv.begin(), {"prlimit", "--as=" + std::to_string(kProbeAddressSpaceLimit), "--"});
  return argv;
}

namespace {

// Removes the scratch directory after the last test when every test passed; a failure leaves it behind
// for a look at the files (its path is in the failure messages).
class ScratchCleanup : public ::testing::Environment {
 public:
  explicit ScratchCleanup(std::string dir) : dir_(std::move(dir)) {}
  void TearDown() override {
    if (::testing::UnitTest::GetInstance()->Passed()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    }
  }

 private:
  std::string dir_;
};

}  // namespace

std::string scratch_path(std::string_view stem) {
  static std::atomic<unsigned> counter{0};
  static const std::string dir = [] {
    std::string d = "/tmp/reachprobe-labtest-" + std::to_string(::getpid());
    std::filesystem::create_directories(d);
    ::testing::AddGlobalTestEnvironment(new ScratchCleanup(d));  // gtest owns and deletes it
    return d;
  }();
  return dir + "/" + std::string(stem) + "-" + std::to_string(counter++);
}

std::vector<nlohmann::json> observations_of(const nlohmann::json& record, std::string_view type) {
  std::vector<nlohmann::json> out;
  if (!record.contains("observations")) return out;
  for (const auto& o : record["observations"]) {
    if (o.value("type", "") == type) out.push_back(o);
  }
  return out;
}

}  // namespace reachprobe::lab
