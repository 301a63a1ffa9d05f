// Fuzzes reachanalyze end to end on arbitrary result files: JSONL reading, record validation, verdicts, reports.
//
// Input: vantage JSONL, optionally followed by a NUL byte and control JSONL (a NUL never occurs in valid
// JSON text, so the split does not take anything meaningful away from either file).
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include "classify.h"
#include "fingerprints.h"
#include "fuzz_check.h"
#include "netaddr.h"
#include "record.h"
#include "report.h"

namespace {

// The shipped fingerprints, loaded once: verdicts are computed against what users actually run with.
// REACHPROBE_FUZZ_FINGERPRINTS overrides the directory; an unloadable catalogue falls back to none,
// so the target still fuzzes the record reader while targets/fingerprints is being edited.
const ra::FingerprintCatalogue& fingerprints() {
  static const ra::FingerprintCatalogue fp = [] {
    const char* env = std::getenv("REACHPROBE_FUZZ_FINGERPRINTS");
    const std::string dir = env && *env ? env : std::string(REACHPROBE_DATA_DIR) + "/targets/fingerprints";
    try {
      return ra::FingerprintCatalogue::load_dirs({dir});
    } catch (const ra::FingerprintError&) {
      return ra::FingerprintCatalogue{};
    }
  }();
  return fp;
}

ra::LoadResult load(std::string_view text, const std::string& name, const ra::Limits& limits) {
  std::istringstream in{std::string(text)};
  ra::LoadResult r = ra::load_records(in, name, limits);
  // Every record kept is within the limits, and every error names its file.
  FUZZ_CHECK(r.records.size() <= limits.max_records);
  for (const auto& e : r.errors) {
    FUZZ_CHECK(e.file == name);
    (void)e.to_string();
  }
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fingerprints();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const auto nul = all.find('\0');
  const std::string_view vantage_text = all.substr(0, nul);
  const bool has_control = nul != std::string_view::npos;
  const std::string_view control_text = has_control ? all.substr(nul + 1) : std::string_view{};

  // Small limits so the fuzzer reaches the "too long" and "too many" paths with small inputs.
  ra::Limits limits;
  limits.max_line_bytes = 8192;
  limits.max_records = 16;
  const ra::LoadResult v = load(vantage_text, "vantage.jsonl", limits);
  const ra::LoadResult c = load(control_text, "control.jsonl", limits);

  const std::vector<ra::Prefix> bogons = ra::default_bogons();
  const ra::Analysis a = ra::classify(v.records, has_control ? &c.records : nullptr, fingerprints(), bogons);
  FUZZ_CHECK(a.services.size() == v.records.size());

  ra::RunInfo info;
  info.vantage_file = "vantage.jsonl";
  info.control_file = has_control ? "control.jsonl" : "";
  info.vantage_records = v.records.size();
  info.control_records = c.records.size();
  info.fingerprints = fingerprints().size();
  info.errors = v.errors;
  info.errors.insert(info.errors.end(), c.errors.begin(), c.errors.end());

  // The three outputs: JSON must serialise (measured strings may hold any bytes; dump() throws on
  // invalid UTF-8 unless the report sanitises them), text and Markdown must render.
  const std::string json = ra::to_json(a, info).dump(2);
  FUZZ_CHECK(!json.empty());
  (void)ra::render_text(a, info);
  (void)ra::render_markdown(a, info);
  return 0;
}
