// `reachprobe run`: validate everything up front (nothing is measured on bad input), then measure,
// streaming each record to disk as it completes, and print a summary people can read.
#include "cli/run_command.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <regex>
#include <set>

#include "catalogue/catalogue_loader.h"
#include "catalogue/selection.h"
#include "catalogue/test_list.h"
#include "experiments/batch_runner.h"
#include "experiments/reachability/input_spec.h"
#include "capture/capture_session.h"
#include "net/ip_address.h"
#include "output/jsonl_writer.h"
#include "output/own_addresses.h"
#include "output/privacy_scrubber.h"
#include "output/record_envelope.h"
#include "output/run_summary.h"
#include "util/ids.h"
#include "util/privileges.h"

namespace rp {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) {
  g_stop = true;
  // A second Ctrl-C ends the process at once (the records already written are whole lines).
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

struct InputError {
  std::string message;
};

std::vector<MeasurementPlan> expand_inputs(const RunOptions& o, std::optional<std::string>& catalogue_version) {
  std::vector<MeasurementPlan> plans;
  if (!o.category.empty() && o.test_list.empty()) throw InputError{"--category needs --test-list"};
  const bool ad_hoc = !o.urls.empty() || !o.endpoints.empty() || !o.test_list.empty();
  if (!ad_hoc || !o.services.empty()) {
    const auto path = o.targets.empty() ? default_catalogue_path() : std::filesystem::path(o.targets);
    auto loaded = load_catalogue(path);
    if (!loaded.catalogue) throw InputError{loaded.error};
    auto selection = select_services(*loaded.catalogue, o.services);
    if (!selection.catalogue) throw InputError{"--services: " + selection.error};
    catalogue_version = selection.catalogue->version;
    for (const auto& s : selection.catalogue->services) plans.push_back(plan_service(s));
  }
  if (!o.test_list.empty()) {
    const auto read = read_test_list(o.test_list, o.category.empty() ? std::nullopt : std::optional(o.category));
    if (!read.error.empty()) throw InputError{"--test-list: " + read.error};
    // Bad lines are reported and skipped: one broken row must not cost the whole list.
    for (const auto& p : read.problems) std::cerr << "reachprobe: " << o.test_list << ":" << p.line << ": " << p.message << " (skipped)\n";
    for (const auto& e : read.entries) {
      std::string error;
      if (auto parts = parse_url(e.url, error)) {
        plans.push_back(plan_url(*parts));
      } else {
        std::cerr << "reachprobe: " << o.test_list << ":" << e.line << ": " << error << " (skipped)\n";
      }
    }
  }
  for (const auto& u : o.urls) {
    std::string error;
    auto parts = parse_url(u, error);
    if (!parts) throw InputError{"--url: " + error};
    plans.push_back(plan_url(*parts));
  }
  for (const auto& e : o.endpoints) {
    std::string error;
    auto parts = parse_endpoint(e, error);
    if (!parts) throw InputError{"--endpoint: " + error};
    plans.push_back(plan_endpoint(*parts));
  }
  return plans;
}

std::string default_output_name() {
  return "reachprobe-" + compact_utc(std::chrono::system_clock::now()) + ".jsonl";
}

void validate_identity(const RunOptions& o) {
  if (!std::regex_match(o.probe_cc, std::regex("[A-Z]{2}"))) {
    throw InputError{"--probe-cc: '" + o.probe_cc + "' is not a two-letter country code (e.g. IR, or ZZ)"};
  }
  if (!std::regex_match(o.probe_asn, std::regex("AS[0-9]{1,10}"))) {
    throw InputError{"--probe-asn: '" + o.probe_asn + "' is not like AS12345"};
  }
  if (o.vantage.size() > 128) throw InputError{"--vantage: longer than 128 characters"};
  for (const auto& a : o.scrub_addresses) {
    if (!is_ip_literal(a)) throw InputError{"--scrub-address: '" + a + "' is not an IP address"};
  }
  if (!(o.timeout > 0 && o.timeout <= 300)) throw InputError{"--timeout: must be between 0 and 300 seconds"};
  if (o.parallel < 1 || o.parallel > 4096) throw InputError{"--parallel: must be between 1 and 4096"};
}

// What the summary keeps of a record (not the record itself: a long run must not hold every body).
struct SummaryRow {
  std::string name;
  bool interrupted = false;
  std::vector<TargetOutcome> targets;
};

void print_summary(std::ostream& out, const std::vector<SummaryRow>& results, double seconds,
                   const RunIdentity& id, const JsonlWriter& writer, bool interrupted) {
  std::size_t ok = 0, total = 0;
  for (const auto& r : results) {
    for (const auto& t : r.targets) {
      ++total;
      ok += t.ok ? 1 : 0;
    }
  }
  out << "\nreachprobe " << REACHPROBE_VERSION << ": " << results.size() << " record(s), " << ok << "/" << total
      << " targets reachable, " << std::fixed;
  out.precision(1);
  out << seconds << " s (vantage " << id.vantage << ", " << id.probe_cc << "/" << id.probe_asn << ", resolver "
      << (id.resolver.ip.empty() ? "unknown" : id.resolver.ip) << ")\n";
  for (const auto& r : results) {
    out << "  " << r.name << (r.interrupted ? " (interrupted)" : "") << "\n";
    for (const auto& t : r.targets) {
      out << "    " << (t.ok ? "ok   " : "FAIL ") << t.ref << "  " << t.text << "\n";
    }
  }
  if (interrupted) out << "interrupted: unfinished records are marked stop_reason=interrupted\n";
  out << "results: " << writer.final_path() << " (" << writer.lines() << " records)\n";
  out << "next: reachanalyze classify --vantage " << writer.final_path() << " --control CONTROL.jsonl\n";
}

}  // namespace

CLI::App* add_run_command(CLI::App& app, RunOptions& o) {
  auto* run = app.add_subcommand("run", "Measure services and write one JSONL record per input");
  run->footer(
      "Inputs: with no --url/--endpoint/--test-list, every service of the catalogue (or those named by\n"
      "--services) is measured. Each input becomes one JSON line: DNS (A, AAAA) through the resolver,\n"
      "TCP to every answer, TLS with the service's name (and, when that fails, with a neutral name and\n"
      "with none, to tell SNI filtering apart), and HTTP(S) GET with each redirect hop recorded.\n"
      "Exit status: 0 measured (failures are data, not errors), 1 could not write results,\n"
      "2 bad arguments or target file, 130 interrupted (finished records are kept).\n"
      "Privacy: records hold the country and ASN you give, never this machine's addresses.");
  run->add_option("--targets", o.targets, "Target catalogue: a directory or a JSON file (default: the shipped one)");
  run->add_option("--services", o.services, "Only these catalogue services (comma-separated ids; see `reachprobe list`)")
      ->delimiter(',');
  run->add_option("--url", o.urls, "Measure this http(s) URL (repeatable)");
  run->add_option("--endpoint", o.endpoints, "Measure HOST:PORT, HOST:PORT/tcp or HOST:PORT/tls (repeatable)");
  run->add_option("--test-list", o.test_list, "Measure the URLs of a Citizen Lab test-list CSV");
  run->add_option("--category", o.category, "With --test-list: only this category code (e.g. COMT)");
  run->add_option("--resolver", o.resolver, "DNS resolver IP[:PORT] (default: the system's, from resolv.conf)");
  run->add_option("--ca-bundle", o.ca_bundle, "Extra trust anchors (PEM), added to the system store");
  run->add_option("--timeout", o.timeout, "Seconds each step may take")->capture_default_str();
  run->add_option("--parallel", o.parallel, "Steps (and records) in flight at most")->capture_default_str();
  run->add_option("--output", o.output, "JSONL file to write, or - for stdout (default: reachprobe-<UTC time>.jsonl)");
  run->add_option("--vantage", o.vantage, "A label for this vantage point")->capture_default_str();
  run->add_option("--probe-cc", o.probe_cc, "Country of this vantage (ISO 3166 alpha-2; ZZ: unknown)")->capture_default_str();
  run->add_option("--probe-asn", o.probe_asn, "Network of this vantage (e.g. AS12345; AS0: unknown)")->capture_default_str();
  run->add_option("--neutral-sni", o.neutral_sni, "Server name for the neutral-SNI TLS retry")->capture_default_str();
  run->add_option("--injection-check-ip", o.injection_check_ip,
                  "Send each name's DNS question to this IP, which must run no DNS server: any answer is forged\n"
                  "(default: the name's own first public address)");
  run->add_flag("--no-dns-evidence", o.no_dns_evidence,
                "Skip the extra DNS questions that catch injection (duplicate replies, injection checks)");
  run->add_flag("--no-capture", o.no_capture,
                "Do not capture packets (capture needs CAP_NET_RAW; without it the run goes on and says so)");
  run->add_flag("--no-localize", o.no_localize,
                "Skip path localization (TTL-limited copies of the packet that met interference)");
  run->add_option("--max-ttl", o.max_ttl, "Hops to probe when localizing interference (1..32)")->capture_default_str();
  run->add_option("--scrub-address", o.scrub_addresses,
                  "Your public address, to keep out of the results wherever and however it appears\n"
                  "(repeatable). This machine's interface addresses, addresses servers echo back as the\n"
                  "client's, and what whoami services answer are scrubbed anyway; a record that still\n"
                  "names one afterwards is withheld");
  run->add_flag("--allow-special-purpose", o.allow_special_purpose,
                "Treat 198.18.0.0/15 (RFC 2544 benchmarking) as an ordinary address, for test labs only. By default\n"
                "it is special-purpose like private ranges: never a target of the probe's own choosing, nor a\n"
                "redirect it follows, and routers there are recorded as \"private\"");
  run->add_flag("--quiet,-q", o.quiet, "No progress and no summary");
  return run;
}

int run_command(const RunOptions& o) {
  std::optional<std::string> catalogue_version;
  std::vector<MeasurementPlan> plans;
  BatchOptions batch;
  RunIdentity id;
  try {
    validate_identity(o);
    plans = expand_inputs(o, catalogue_version);
    batch.parallel = o.parallel;
    batch.resolver = o.resolver;
    batch.settings.timeout = Duration{static_cast<int64_t>(o.timeout * 1000)};
    batch.settings.neutral_sni = o.neutral_sni;
    batch.settings.dns_exchanges = !o.no_dns_evidence;
    batch.settings.injection_check_ip = o.injection_check_ip;
    batch.settings.localize = !o.no_localize;
    batch.settings.addresses.allow_special_purpose = o.allow_special_purpose;
    if (o.max_ttl < 1 || o.max_ttl > 32) throw InputError{"--max-ttl: must be between 1 and 32"};
    batch.settings.localization.max_ttl = o.max_ttl;
    // Each TTL probe waits at most half a step (and at most a second): localization stays a fraction
    // of the run even on a slow path.
    batch.settings.localization.wait = std::min(Duration{1000}, batch.settings.timeout / 2);
    batch.settings.localization.connect_timeout = std::min(Duration{2000}, batch.settings.timeout);
    if (o.injection_check_ip && !is_ip_literal(*o.injection_check_ip)) {
      throw InputError{"--injection-check-ip: '" + *o.injection_check_ip + "' is not an IP address"};
    }
    batch.settings.system_trust = TrustStore::system(o.ca_bundle);
    for (const auto& p : plans) {
      for (const auto& t : p.targets) {
        if (t.pinned_pem && !batch.settings.pinned_trust.count(*t.pinned_pem)) {
          batch.settings.pinned_trust[*t.pinned_pem] = TrustStore::pinned(*t.pinned_pem);
        }
      }
    }
    if (o.resolver && !parse_resolver_address(*o.resolver)) {
      throw InputError{"--resolver: '" + *o.resolver + "' is not IP, IP:PORT or [IPv6]:PORT"};
    }
  } catch (const InputError& e) {
    std::cerr << "reachprobe: " << e.message << "\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "reachprobe: " << e.what() << "\n";
    return 2;
  }
  if (plans.empty()) {
    std::cerr << "reachprobe: nothing to measure (the catalogue selection is empty)\n";
    return 2;
  }

  std::unique_ptr<JsonlWriter> writer;
  try {
    writer = std::make_unique<JsonlWriter>(o.output.empty() ? default_output_name() : o.output);
  } catch (const std::exception& e) {
    std::cerr << "reachprobe: " << e.what() << "\n";
    return 1;
  }

  id.vantage = o.vantage;
  id.probe_cc = o.probe_cc;
  id.probe_asn = o.probe_asn;
  id.resolver_source = o.resolver ? "cli" : "system";
  id.catalogue_version = catalogue_version;
  id.timeout_seconds = o.timeout;
  id.neutral_sni = o.neutral_sni;
  id.extra_trust_anchors = !o.ca_bundle.empty();

  // Capture is the only privileged thing the probe does: open it first, then give up every capability.
  std::unique_ptr<CaptureSession> capture;
  if (o.no_capture) {
    id.capture = "off: --no-capture";
  } else {
    std::string reason;
    capture = CaptureSession::open(reason);
    id.capture = capture ? "on" : "unavailable: " + reason;
  }
  batch.settings.capture = capture.get();

  // The machine's own addresses, and every public one the run learns (echoed back, or told by a whoami
  // service), are scrubbed from what is written and are never a redirect the probe follows.
  PrivacyScrubber scrubber = PrivacyScrubber::from_interfaces();
  for (const auto& a : o.scrub_addresses) scrubber.add(a);
  batch.settings.is_own_address = [&scrubber](const std::string& a) { return scrubber.knows(a); };
  bool learned_after_writing = false;
  if (const std::string why = drop_all_capabilities(); !why.empty() && !o.quiet) {
    std::cerr << "reachprobe: note: could not drop capabilities (" << why << ")\n";
  }

  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGPIPE, SIG_IGN);

  const bool progress = !o.quiet && isatty(STDERR_FILENO);
  const auto started = Clock::now();
  std::vector<SummaryRow> results;
  std::string write_error;
  bool complete = false;
  std::size_t withheld = 0;
  try {
    complete = run_batch(
        plans, batch, g_stop,
        [&](const MeasurementResult& r) {
          results.push_back({r.plan.service.value_or(r.plan.input_value), r.interrupted, summarize_targets(r)});
          if (!write_error.empty()) return;
          for (const auto& a : own_addresses_revealed(r.observations)) {
            if (scrubber.add(a) && writer->lines() > 0) learned_after_writing = true;
          }
          std::string line = make_record(id, r).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
          if (!scrubber.scrub(line)) {
            ++withheld;  // never write a record that still names this machine
            return;
          }
          try {
            writer->write_line(line);
          } catch (const std::exception& e) {
            write_error = e.what();
            g_stop = true;  // nothing more can be kept: stop measuring
          }
        },
        [&](const BatchProgress& p) {
          if (!progress) return;
          std::fprintf(stderr, "\r\033[K[%zu/%zu] %s", p.done, p.total,
                       p.last ? (p.last->plan.service ? p.last->plan.service->c_str() : p.last->plan.input_value.c_str())
                              : "");
        },
        &id.resolver);
  } catch (const std::invalid_argument& e) {
    std::cerr << "reachprobe: " << e.what() << "\n";
    return 2;
  }
  if (progress) std::fprintf(stderr, "\r\033[K");

  try {
    // Records written before an address was learned are scrubbed again now, before the file gets its
    // final name (what is already on stdout cannot be taken back).
    if (learned_after_writing) {
      if (o.output == "-") {
        std::cerr << "reachprobe: warning: this machine's public address was learned after some records went to "
                     "stdout; write to a file to have them scrubbed\n";
      }
      withheld += writer->rewrite([&scrubber](std::string& line) { return scrubber.scrub(line); });
    }
    writer->finish();
  } catch (const std::exception& e) {
    if (write_error.empty()) write_error = e.what();
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (!o.quiet) {
    std::ostream& out = o.output == "-" ? std::cerr : std::cout;
    print_summary(out, results, seconds, id, *writer, !complete);
  }
  if (withheld > 0) {
    std::cerr << "reachprobe: " << withheld << " record(s) withheld: they still named this machine after scrubbing\n";
  }
  if (!write_error.empty()) {
    std::cerr << "reachprobe: " << write_error << "\n";
    return 1;
  }
  return complete ? 0 : 130;
}

}  // namespace rp
