// Parsing and validation of measurement records (see record.h); errors name the JSON path that is wrong.
// Observations are read by the common reader; this file checks the envelope and how the parts refer to each other.
#include "record.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_set>

#include "jsonl.h"
#include "record/observations_reader.h"

namespace ra {

using nlohmann::json;

namespace {

using namespace rp::json_fields;

rp::HealthyRule parse_healthy(const json& h, const std::string& path) {
  if (!h.is_object()) fail(path, "expected an object");
  rp::HealthyRule out;
  if (auto it = h.find("status"); it != h.end()) {
    if (!it->is_array()) fail(path + ".status", "expected an array");
    for (const auto& s : *it) {
      if (!s.is_number_integer()) fail(path + ".status", "expected integers");
      out.status.push_back(s.get<int>());
    }
  }
  out.body_contains = get_opt_string(h, "body_contains", path, false);
  out.title_contains = get_opt_string(h, "title_contains", path, false);
  out.any_authenticated_tls = get_opt_bool(h, "any_authenticated_tls", path, false).value_or(false);
  return out;
}

}  // namespace

const Target* Record::find_target(const std::string& ref) const {
  for (const auto& t : targets)
    if (t.ref == ref) return &t;
  return nullptr;
}

Record parse_record(const json& j) {
  if (!j.is_object()) fail("(record)", "expected a JSON object");
  Record r;
  r.measurement_id = get_string(j, "measurement_id", "");
  if (r.measurement_id.empty() || r.measurement_id.size() > 64) fail("measurement_id", "empty or too long");
  for (char c : r.measurement_id)
    if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == '-')) fail("measurement_id", "not a UUID");
  if (auto sv = j.find("schema_version"); sv != j.end() && (!sv->is_string() || sv->get<std::string>() != "1.0"))
    fail("schema_version", "unsupported (this reachanalyze reads 1.0)");
  r.start_time = get_string(j, "measurement_start_time", "");
  r.vantage = get_string(j, "vantage", "");
  r.probe_cc = get_string(j, "probe_cc", "");
  r.probe_asn = get_string(j, "probe_asn", "");
  r.stop_reason = get_string(j, "stop_reason", "");
  r.capture = get_opt_string(j, "capture", "", false).value_or("");
  r.catalogue_version = get_opt_string(j, "catalogue_version", "");
  r.service = get_opt_string(j, "service", "");
  const json& input = get_object(j, "input", "");
  r.input_kind = get_string(input, "kind", "input");
  r.input_value = get_string(input, "value", "input");

  const json& targets = get_array(j, "targets", "", 4096);
  std::unordered_set<std::string> refs;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const std::string p = rp::json_fields::index("targets", i);
    if (!targets[i].is_object()) fail(p, "expected an object");
    Target t;
    t.ref = get_string(targets[i], "ref", p);
    const auto kind = rp::parse_enum<rp::TargetRefKind>(get_string(targets[i], "kind", p));
    if (!kind) fail(p + ".kind", "expected url, endpoint or domain");
    t.kind = *kind;
    if (auto it = targets[i].find("healthy"); it != targets[i].end()) t.healthy = parse_healthy(*it, p + ".healthy");
    if (!refs.insert(t.ref).second) fail(p + ".ref", "duplicate target ref");
    r.targets.push_back(std::move(t));
  }

  const json& obs = get_array(j, "observations", "", 100000);
  std::set<std::int64_t> ids;
  r.observations.reserve(obs.size());
  for (std::size_t i = 0; i < obs.size(); ++i) {
    const std::string p = rp::json_fields::index("observations", i);
    // A newer probe may record kinds of steps this analyser does not know: the reader leaves them out (never
    // guessed at) without losing the rest of the record, but their common fields must still hold.
    std::optional<rp::Observation> o = rp::read_observation(obs[i], p);
    const std::int64_t id = o ? rp::base_of(*o).id : get_int(obs[i], "id", p, 0, INT64_MAX);
    const std::string target = o ? rp::base_of(*o).target : get_string(obs[i], "target", p);
    if (!ids.insert(id).second) fail(p + ".id", "duplicate observation id " + std::to_string(id));
    if (!refs.count(target)) fail(p + ".target", "names no entry of targets");
    if (o) r.observations.push_back(std::move(*o));
  }
  return r;
}

std::string InputError::to_string() const {
  if (line == 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ": " + message;
}

LoadResult load_records(std::istream& in, const std::string& file, const Limits& limits) {
  LoadResult out;
  LineReader reader(in, limits.max_line_bytes);
  std::unordered_set<std::string> seen_ids;
  std::size_t accepted_or_tried = 0;
  while (auto line = reader.next()) {
    if (line->too_long) {
      out.errors.push_back(
          {file, line->number, "line longer than " + std::to_string(limits.max_line_bytes) + " bytes; skipped"});
      continue;
    }
    // Blank lines are harmless (e.g. a trailing newline pair); ignore them.
    if (std::all_of(line->text.begin(), line->text.end(), [](char c) { return c == ' ' || c == '\t'; })) continue;
    if (++accepted_or_tried > limits.max_records) {
      out.errors.push_back(
          {file, line->number,
           "more than " + std::to_string(limits.max_records) + " records; the rest of the file was not read"});
      break;
    }
    json j = json::parse(line->text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      out.errors.push_back({file, line->number,
                            line->unterminated ? "not valid JSON (the file ends mid-record: truncated?); skipped"
                                               : "not valid JSON; skipped"});
      continue;
    }
    try {
      Record r = parse_record(j);
      r.file = file;
      r.line = line->number;
      if (!seen_ids.insert(r.measurement_id).second) {
        out.errors.push_back({file, line->number, "duplicate measurement_id " + r.measurement_id + "; skipped"});
        continue;
      }
      out.records.push_back(std::move(r));
    } catch (const RecordError& e) {
      out.errors.push_back({file, line->number, std::string("invalid record: ") + e.what() + "; skipped"});
    }
  }
  return out;
}

}  // namespace ra
