// `reachprobe run`: options, input expansion, and the run itself.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace rp {

struct RunOptions {
  std::string targets;                // catalogue path; empty: the shipped one
  std::vector<std::string> services;  // ids to select
  std::vector<std::string> urls;
  std::vector<std::string> endpoints;
  std::string test_list;
  std::string category;
  std::optional<std::string> resolver;
  std::string ca_bundle;
  double timeout = 5.0;
  std::size_t parallel = 64;
  std::string output;  // empty: reachprobe-<UTC time>.jsonl
  std::string vantage = "unnamed";
  std::string probe_cc = "ZZ";
  std::string probe_asn = "AS0";
  std::string neutral_sni = "example.com";
  std::optional<std::string> injection_check_ip;
  bool no_dns_evidence = false;
  bool no_localize = false;
  bool no_capture = false;
  std::vector<std::string> scrub_addresses;  // the volunteer's own public address(es), if known
  int max_ttl = 8;
  bool allow_special_purpose = false;  // 198.18.0.0/15 is ordinary (test labs only)
  bool quiet = false;
};

// Adds the `run` subcommand with its options bound to opts.
CLI::App* add_run_command(CLI::App& app, RunOptions& opts);

// Runs; returns the process exit code (0 ok, 1 runtime error, 2 bad input, 130 interrupted).
int run_command(const RunOptions& opts);

}  // namespace rp
