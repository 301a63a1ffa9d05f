// Vantage/control pairing, the per-target rule run and the per-record roll-up (see classify.h).
#include "classify.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "rules.h"
#include "target_features.h"
#include "text/text.h"

namespace ra {

const char* const kAccountLevelNote =
    "Network tests cannot see account-level blocks: an app deleting contacts, suspending accounts or hiding "
    "content for users of one country looks perfectly reachable from here.";

namespace {

std::string key_of(const Record& r) {
  return r.service ? "service:" + *r.service : "input:" + r.input_kind + ":" + r.input_value;
}

int precedence(Attribution a) {
  // Among equally confident target verdicts, the service verdict names the most consequential party first.
  switch (a) {
    case Attribution::network_interference: return 0;
    case Attribution::provider_on_government_order: return 1;
    case Attribution::provider_restriction: return 2;
    case Attribution::service_outage: return 3;
    case Attribution::inconclusive: return 4;
    case Attribution::reachable: return 5;
  }
  return 6;
}

using rp::plural;

}  // namespace

const Record* match_control(const Record& v, const std::vector<Record>& control) {
  const std::string key = key_of(v);
  const Record* found = nullptr;
  for (const auto& c : control)
    if (key_of(c) == key) found = &c;
  if (found || v.service) return found;
  // Ad-hoc inputs spelled differently may still share a target ref.
  for (const auto& c : control)
    if (!c.service)
      for (const auto& t : v.targets)
        if (c.find_target(t.ref)) found = &c;
  return found;
}

Verdict roll_up(const Record& v, const Record* control, const std::vector<Verdict>& targets) {
  Verdict out;
  out.scope = "service";
  out.vantage = &v;
  out.control = control;
  out.rule = "rollup";
  out.control_status = ControlStatus::absent;
  for (const auto& t : targets) {
    out.breakdown[to_string(t.finding.attribution)]++;
    if (t.control_status == ControlStatus::present) out.control_status = ControlStatus::present;
    else if (t.control_status == ControlStatus::unmatched && out.control_status == ControlStatus::absent)
      out.control_status = ControlStatus::unmatched;
  }
  const std::string name = v.service ? *v.service : v.input_value;
  if (targets.empty()) {
    out.finding.attribution = Attribution::inconclusive;
    out.finding.evidence.sentence = "The record for " + name + " lists no targets.";
    return out;
  }
  const int n = static_cast<int>(targets.size());
  auto count = [&](Attribution a) {
    return static_cast<int>(
        std::count_if(targets.begin(), targets.end(), [&](const Verdict& t) { return t.finding.attribution == a; }));
  };
  // The deciding target: most confident, then most consequential; reachable only if everything is.
  const Verdict* pick = nullptr;
  for (const auto& t : targets) {
    if (!pick) {
      pick = &t;
      continue;
    }
    const bool t_det = t.finding.attribution != Attribution::reachable &&
                       t.finding.attribution != Attribution::inconclusive;
    const bool p_det = pick->finding.attribution != Attribution::reachable &&
                       pick->finding.attribution != Attribution::inconclusive;
    if (t_det != p_det) {
      if (t_det) pick = &t;
      continue;
    }
    if (!t_det) {
      // Between reachable and inconclusive, uncertainty wins: one unjudged target keeps the service unjudged.
      if (precedence(t.finding.attribution) < precedence(pick->finding.attribution)) pick = &t;
      else if (t.finding.attribution == pick->finding.attribution && t.finding.confidence < pick->finding.confidence)
        pick = &t;
      continue;
    }
    if (t.finding.confidence > pick->finding.confidence ||
        (t.finding.confidence == pick->finding.confidence &&
         precedence(t.finding.attribution) < precedence(pick->finding.attribution)))
      pick = &t;
  }
  out.finding.attribution = pick->finding.attribution;
  out.finding.mechanism = pick->finding.mechanism;
  out.finding.confidence = pick->finding.confidence;
  for (const auto& t : targets) {
    if (t.finding.attribution != pick->finding.attribution) continue;
    for (const auto& o : t.finding.evidence.observations)
      if (std::find(out.finding.evidence.observations.begin(), out.finding.evidence.observations.end(), o) ==
          out.finding.evidence.observations.end())
        out.finding.evidence.observations.push_back(o);
    for (const auto& f : t.finding.evidence.fingerprints)
      if (std::find(out.finding.evidence.fingerprints.begin(), out.finding.evidence.fingerprints.end(), f) ==
          out.finding.evidence.fingerprints.end())
        out.finding.evidence.fingerprints.push_back(f);
  }
  if (n == 1) {
    out.finding.evidence.sentence = pick->finding.evidence.sentence;
    return out;
  }
  std::string summary = name + ": ";
  bool first = true;
  for (Attribution a :
       {Attribution::network_interference, Attribution::provider_on_government_order, Attribution::provider_restriction,
        Attribution::service_outage, Attribution::inconclusive, Attribution::reachable}) {
    const int k = count(a);
    if (!k) continue;
    summary += (first ? "" : "; ") + std::to_string(k) + " of " + plural(n, "target", "targets") + " " +
               (a == Attribution::reachable      ? "reachable"
                : a == Attribution::inconclusive ? "not judged (too little evidence)"
                                                 : human_label(a));
    first = false;
  }
  out.finding.evidence.sentence = summary + ". For example: " + pick->finding.evidence.sentence;
  return out;
}

Analysis classify(const std::vector<Record>& vantage, const std::vector<Record>* control,
                  const FingerprintCatalogue& fp, const std::vector<Prefix>& bogons) {
  Analysis out;
  // Indexes so pairing stays linear for archives of 100 000 records on each side (last record wins).
  std::unordered_map<std::string, const Record*> by_key, by_ref;
  if (control)
    for (const auto& c : *control) {
      by_key[key_of(c)] = &c;
      if (!c.service)
        for (const auto& t : c.targets) by_ref[t.ref] = &c;
    }
  auto pair_of = [&](const Record& v) -> const Record* {
    if (!control) return nullptr;
    if (auto it = by_key.find(key_of(v)); it != by_key.end()) return it->second;
    if (v.service) return nullptr;
    for (const auto& t : v.targets)
      if (auto it = by_ref.find(t.ref); it != by_ref.end()) return it->second;
    return nullptr;
  };
  for (const auto& v : vantage) {
    const Record* c = pair_of(v);
    std::vector<Verdict> mine;
    for (const auto& t : v.targets) {
      const Side vs = make_side(v, t);
      const Target* ct = c ? c->find_target(t.ref) : nullptr;
      std::optional<Side> cs;
      if (ct) cs = make_side(*c, *ct);
      const RuleContext ctx{vs, cs ? &*cs : nullptr, fp, bogons};
      Decision d = decide(ctx);
      Verdict vd;
      vd.scope = "target";
      vd.vantage = &v;
      vd.control = ct ? c : nullptr;
      vd.target = t.ref;
      vd.target_kind = std::string(rp::name_of(t.kind));
      vd.rule = d.rule;
      vd.control_status = ct ? ControlStatus::present : control ? ControlStatus::unmatched : ControlStatus::absent;
      vd.finding = std::move(d.finding);
      mine.push_back(std::move(vd));
    }
    out.services.push_back(roll_up(v, c, mine));
    for (auto& m : mine) out.targets.push_back(std::move(m));
  }
  return out;
}

nlohmann::json to_json(const Analysis& a, const RunInfo& info) {
  nlohmann::json j;
  j["schema_version"] = "1.0";
  j["software_name"] = "reachanalyze";
  j["software_version"] = REACHPROBE_VERSION;
  j["inputs"] = {{"vantage", {{"file", info.vantage_file}, {"records", info.vantage_records}}},
                 {"control", info.control_file.empty()
                                 ? nlohmann::json(nullptr)
                                 : nlohmann::json{{"file", info.control_file}, {"records", info.control_records}}},
                 {"fingerprint_dirs", info.fingerprint_dirs},
                 {"fingerprints", info.fingerprints}};
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : info.errors) errors.push_back({{"file", e.file}, {"line", e.line}, {"message", e.message}});
  j["input_errors"] = errors;
  nlohmann::json services = nlohmann::json::array(), targets = nlohmann::json::array();
  for (const auto& v : a.services) services.push_back(to_json(v));
  for (const auto& v : a.targets) targets.push_back(to_json(v));
  j["services"] = services;
  j["targets"] = targets;
  j["notes"] = {kAccountLevelNote,
                "Confidence: high = direct evidence corroborated by a control; medium = direct evidence without "
                "corroboration, or with a caveat; low = suggestive only. Every level drops one step without a control, "
                "except a reachable verdict proven by verified TLS."};
  if (info.control_file.empty())
    j["notes"].push_back(
        "No control measurement was given: every verdict is one confidence level lower, and rules "
        "that need a comparison could not fire.");
  return j;
}

}  // namespace ra
