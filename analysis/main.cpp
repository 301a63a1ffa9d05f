// reachanalyze: reads reachprobe result files (vantage, optional control) and writes attribution verdicts. No network I/O.
#include <CLI/CLI.hpp>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "classify.h"
#include "fingerprints.h"
#include "netaddr.h"
#include "record.h"
#include "report.h"

namespace {

// Exit codes (documented in analysis/README.md).
constexpr int kOk = 0;
constexpr int kHardFailure = 1;  // unreadable input, invalid fingerprint catalogue, output not written
constexpr int kUsage = 2;        // bad command line
constexpr int kInputErrors = 3;  // some lines were malformed and skipped; every valid record was analysed

// Writes to a temporary file next to path, fsyncs and renames, so readers never see half a report.
bool write_atomically(const std::string& path, const std::string& text, std::string& err) {
  const std::string tmp = path + ".partial";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    err = "cannot write " + tmp;
    return false;
  }
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0 &&
                  fsync(fileno(f)) == 0;
  if (std::fclose(f) != 0 || !ok) {
    err = "cannot write " + tmp;
    std::remove(tmp.c_str());
    return false;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    err = "cannot rename " + tmp + " to " + path;
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

bool load_file(const std::string& path, const ra::Limits& limits, ra::LoadResult& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out = ra::load_records(in, path, limits);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"reachanalyze: attribute reachprobe failures to the network, the provider, an outage, or nobody"};
  app.require_subcommand(1);
  auto* cmd = app.add_subcommand("classify",
                                 "classify every target of a vantage's results, optionally against a control's");
  std::string vantage, control, output, format = "json";
  std::vector<std::string> fp_dirs;
  std::vector<std::string> extra_bogons;
  ra::Limits limits;
  cmd->add_option("--vantage", vantage, "JSONL results measured at the vantage under test")->required();
  cmd->add_option("--control", control, "JSONL results measured at a control vantage (outside the censor)");
  cmd->add_option("--fingerprints", fp_dirs,
                  "fingerprint catalogue directory (repeatable; default: the shipped targets/fingerprints)");
  cmd->add_option("--output", output, "write here (atomically) instead of standard output");
  cmd->add_option("--format", format, "json | text | markdown")->check(CLI::IsMember({"json", "text", "markdown"}));
  cmd->add_option("--bogon", extra_bogons, "extra prefix to treat as bogon, e.g. 192.0.2.0/24 (repeatable)");
  ra::AddressPolicy addresses;
  cmd->add_flag("--allow-special-purpose", addresses.allow_special_purpose,
                "treat 198.18.0.0/15 (RFC 2544 benchmarking) as an ordinary address, not a bogon (test labs only)");
  cmd->add_option("--max-line-bytes", limits.max_line_bytes, "longest result line accepted");
  cmd->add_option("--max-records", limits.max_records, "most records read per file");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kOk : kUsage;
  }

  std::vector<ra::Prefix> bogons = ra::default_bogons(addresses);
  for (const auto& b : extra_bogons) {
    auto p = ra::parse_prefix(b);
    if (!p) {
      std::cerr << "reachanalyze: --bogon " << b << ": not an address prefix\n";
      return kUsage;
    }
    bogons.push_back(*p);
  }
  if (fp_dirs.empty()) fp_dirs.push_back(std::string(REACHPROBE_DATA_DIR) + "/targets/fingerprints");

  ra::FingerprintCatalogue fp;
  try {
    fp = ra::FingerprintCatalogue::load_dirs(fp_dirs);
  } catch (const ra::FingerprintError& e) {
    std::cerr << "reachanalyze: fingerprint catalogue: " << e.what() << "\n";
    return kHardFailure;
  }

  ra::RunInfo info;
  info.vantage_file = vantage;
  info.control_file = control;
  info.fingerprint_dirs = fp_dirs;
  info.fingerprints = fp.size();
  ra::LoadResult v, c;
  if (!load_file(vantage, limits, v)) {
    std::cerr << "reachanalyze: cannot read " << vantage << "\n";
    return kHardFailure;
  }
  if (!control.empty() && !load_file(control, limits, c)) {
    std::cerr << "reachanalyze: cannot read " << control << "\n";
    return kHardFailure;
  }
  info.vantage_records = v.records.size();
  info.control_records = c.records.size();
  info.errors = v.errors;
  info.errors.insert(info.errors.end(), c.errors.begin(), c.errors.end());
  for (const auto& e : info.errors) std::cerr << "reachanalyze: " << e.to_string() << "\n";

  const ra::Analysis a = ra::classify(v.records, control.empty() ? nullptr : &c.records, fp, bogons);
  std::string text;
  if (format == "json") text = ra::to_json(a, info).dump(2) + "\n";
  else if (format == "markdown") text = ra::render_markdown(a, info);
  else text = ra::render_text(a, info);

  if (output.empty()) {
    std::cout << text;
    std::cout.flush();
    if (!std::cout) return kHardFailure;
  } else {
    std::string err;
    if (!write_atomically(output, text, err)) {
      std::cerr << "reachanalyze: " << err << "\n";
      return kHardFailure;
    }
  }
  return info.errors.empty() ? kOk : kInputErrors;
}
