// Text and Markdown reports (see report.h).
#include "report.h"

#include <map>
#include <sstream>

namespace ra {

std::string mechanism_label(const std::string& m) {
  static const std::map<std::string, std::string> words = {
      {"none", "—"},
      {"dns.nxdomain", "DNS said the name does not exist"},
      {"dns.bogon", "DNS gave a private/reserved address"},
      {"dns.injected", "DNS gave a forged address"},
      {"dns.blockpage_ip", "DNS pointed to a known blockpage server"},
      {"dns.servfail", "DNS resolver failure"},
      {"dns.refused", "DNS resolver refused"},
      {"dns.no_answer", "DNS gave no address"},
      {"dns.timeout", "DNS timed out"},
      {"dns.malformed", "malformed DNS reply"},
      {"dns.resolver_unreachable", "DNS resolver unreachable"},
      {"dns.failure", "DNS failed"},
      {"tcp.reset", "connection reset"},
      {"tcp.reset_injected", "connection reset by a forged packet"},
      {"tcp.blackhole", "connection attempts dropped on the way"},
      {"tcp.edge_drop", "connection attempts dropped by the provider"},
      {"tcp.timeout", "connection timed out"},
      {"tcp.unreachable", "address unreachable"},
      {"tcp.failure", "connection failed"},
      {"tls.sni_reset", "reset when the service's name was seen"},
      {"tls.sni_timeout", "dropped when the service's name was seen"},
      {"tls.cert_invalid", "fake or invalid certificate"},
      {"tls.reset", "secure connection reset"},
      {"tls.reset_injected", "secure connection reset by a forged packet"},
      {"tls.timeout", "secure connection timed out"},
      {"tls.handshake_failure", "secure connection failed"},
      {"tls.failure", "secure connection failed"},
      {"http.blockpage", "a blockpage was served"},
      {"http.status_451", "HTTP 451 (unavailable for legal reasons)"},
      {"http.geo_page", "the provider's geo-block page"},
      {"http.gov_order", "the provider's government-order page"},
      {"http.refusal", "HTTP 403 refusal"},
      {"http.server_error", "server error"},
      {"http.reset", "web request reset"},
      {"http.timeout", "web request timed out"},
      {"http.invalid_response", "invalid web reply"},
      {"http.redirect_failure", "broken redirect"},
      {"http.unexpected_response", "unexpected web reply"},
      {"http.failure", "web request failed"},
  };
  auto it = words.find(m);
  return it == words.end() ? m : it->second;
}

namespace {

std::string cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

std::string service_name(const Verdict& v) { return v.vantage->service ? *v.vantage->service : v.vantage->input_value; }

void header_lines(std::ostream& o, const Analysis& a, const RunInfo& info, bool md) {
  std::map<std::string, std::string> vantages;
  for (const auto& s : a.services) vantages[s.vantage->vantage] = s.vantage->probe_cc + ", " + s.vantage->probe_asn;
  for (const auto& [label, where] : vantages)
    o << (md ? "- Vantage: **" : "Vantage: ") << label << (md ? "** (" : " (") << where << ")\n";
  o << (md ? "- Results file: `" : "Results file: ") << info.vantage_file << (md ? "`" : "") << " ("
    << info.vantage_records << " records)\n";
  if (info.control_file.empty())
    o << (md ? "- Control: **none** — verdicts are less certain without one\n" : "Control: none (lower confidence)\n");
  else
    o << (md ? "- Control: `" : "Control: ") << info.control_file << (md ? "`" : "") << " (" << info.control_records
      << " records)\n";
}

}  // namespace

std::string render_markdown(const Analysis& a, const RunInfo& info) {
  std::ostringstream o;
  o << "# Reachability report\n\n";
  header_lines(o, a, info, true);
  o << "\n| Service | What was tested | Verdict | How | Confidence |\n|---|---|---|---|---|\n";
  for (const auto& s : a.services) {
    o << "| **" << cell(service_name(s)) << "** | overall | **" << human_label(s.finding.attribution) << "** | "
      << cell(mechanism_label(s.finding.mechanism)) << " | " << to_string(s.finding.confidence) << " |\n";
    if (s.vantage->targets.size() > 1 || (s.vantage->targets.size() == 1 && s.vantage->input_kind == "service")) {
      for (const auto& t : a.targets) {
        if (t.vantage != s.vantage) continue;
        o << "| | " << cell(t.target) << " | " << human_label(t.finding.attribution) << " | "
          << cell(mechanism_label(t.finding.mechanism)) << " | " << to_string(t.finding.confidence) << " |\n";
      }
    }
  }
  o << "\n## What we saw\n\n";
  for (const auto& t : a.targets) {
    o << "- **" << cell(service_name(t)) << "** — `" << t.target << "`: " << t.finding.evidence.sentence
      << "  \n  <sub>rule `" << t.rule << "`";
    if (!t.finding.evidence.observations.empty()) {
      o << "; observations ";
      for (std::size_t i = 0; i < t.finding.evidence.observations.size(); ++i)
        o << (i ? ", " : "") << "`" << t.finding.evidence.observations[i] << "`";
    }
    if (!t.finding.evidence.fingerprints.empty()) {
      o << "; fingerprints ";
      for (std::size_t i = 0; i < t.finding.evidence.fingerprints.size(); ++i)
        o << (i ? ", " : "") << "`" << t.finding.evidence.fingerprints[i] << "`";
    }
    o << "</sub>\n";
  }
  o << "\n## What the verdicts mean\n\n"
       "- **Blocked on the network**: something between this vantage and the service (usually the government or "
       "the internet provider) interfered, e.g. by lying in DNS or cutting connections.\n"
       "- **Refused by the provider**: the service itself, over a connection proven to be the service, refused this "
       "country or region (often over-compliance with sanctions).\n"
       "- **Blocked by the provider on a government's order**: the service says it blocks because of a legal order.\n"
       "- **Down everywhere**: the control vantage, outside the censor, failed the same way.\n"
       "- **Not enough evidence to say**: something failed, but the data cannot show who is responsible; we do not "
       "guess.\n"
       "- Confidence is *high* when direct evidence is corroborated by the control, *medium* without corroboration, "
       "*low* when only suggestive.\n";
  o << "\n## What these tests cannot see\n\n- " << kAccountLevelNote << "\n";
  if (info.control_file.empty())
    o << "- No control measurement was given, so every verdict is one confidence level lower and some comparisons "
         "were not possible.\n";
  if (!info.errors.empty()) {
    o << "\n## Problems with the input files\n\n";
    for (const auto& e : info.errors) o << "- `" << cell(e.to_string()) << "`\n";
  }
  return o.str();
}

std::string render_text(const Analysis& a, const RunInfo& info) {
  std::ostringstream o;
  header_lines(o, a, info, false);
  o << "\n";
  for (const auto& s : a.services) {
    o << service_name(s) << ": " << to_string(s.finding.attribution) << " (" << s.finding.mechanism << ", "
      << to_string(s.finding.confidence) << ")\n";
    for (const auto& t : a.targets) {
      if (t.vantage != s.vantage) continue;
      o << "  " << t.target << ": " << to_string(t.finding.attribution) << " (" << t.finding.mechanism << ", "
        << to_string(t.finding.confidence) << ", rule " << t.rule << ")\n    " << t.finding.evidence.sentence << "\n";
    }
  }
  o << "\nNote: " << kAccountLevelNote << "\n";
  for (const auto& e : info.errors) o << "input error: " << e.to_string() << "\n";
  return o.str();
}

}  // namespace ra
