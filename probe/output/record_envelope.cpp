// Record assembly: envelope fields first, then the targets and observations in id order.
#include "output/record_envelope.h"

#include "util/ids.h"

namespace rp {

nlohmann::ordered_json make_record(const RunIdentity& run, const MeasuredRecord& r) {
  using json = nlohmann::ordered_json;
  json targets = json::array();
  for (const auto& t : r.targets) {
    json tj{{"ref", t.ref}, {"kind", std::string(name_of(t.kind))}};
    if (t.unicode_host) tj["unicode_host"] = *t.unicode_host;
    if (t.healthy) {
      json h = json::object();
      if (!t.healthy->status.empty()) h["status"] = t.healthy->status;
      if (t.healthy->body_contains) h["body_contains"] = *t.healthy->body_contains;
      if (t.healthy->title_contains) h["title_contains"] = *t.healthy->title_contains;
      if (t.healthy->any_authenticated_tls) h["any_authenticated_tls"] = true;
      tj["healthy"] = std::move(h);
    }
    if (!t.note.empty()) tj["note"] = t.note;
    targets.push_back(std::move(tj));
  }
  json observations = json::array();
  for (const auto& o : r.observations) observations.push_back(to_json(o));

  return json{
      {"schema_version", "1.0"},
      {"software_name", "reachprobe"},
      {"software_version", REACHPROBE_VERSION},
      {"measurement_id", random_uuid4()},
      {"measurement_start_time", rfc3339_utc(r.start_time)},
      {"runtime", r.runtime},
      {"stop_reason", r.interrupted ? "interrupted" : "done"},
      {"vantage", run.vantage},
      {"probe_cc", run.probe_cc},
      {"probe_asn", run.probe_asn},
      {"resolver",
       {{"address", run.resolver.ip.empty() ? json(nullptr) : json(run.resolver.ip)},
        {"port", run.resolver.port},
        {"source", run.resolver_source}}},
      {"catalogue_version", run.catalogue_version ? json(*run.catalogue_version) : json(nullptr)},
      {"service", r.service ? json(*r.service) : json(nullptr)},
      {"input", {{"kind", r.input_kind}, {"value", r.input_value}}},
      {"targets", std::move(targets)},
      {"options",
       {{"timeout", run.timeout_seconds},
        {"neutral_sni", run.neutral_sni},
        {"extra_trust_anchors", run.extra_trust_anchors}}},
      {"capture", run.capture},
      {"observations", std::move(observations)},
  };
}

}  // namespace rp
