// `reachprobe run`: validate everything up front (nothing is measured on bad input), then measure,
// streaming each record to disk as it completes, and print a summary people can read.
#include "cli/run_command.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <variant>

#include "catalogue/catalogue_loader.h"
#include "catalogue/selection.h"
#include "catalogue/test_list.h"
#include "cli/checked_run_options.h"
#include "cli/privileged_capture.h"
#include "experiments/batch_runner.h"
#include "experiments/reachability/input_spec.h"
#include "output/jsonl_writer.h"
#include "output/own_addresses.h"
#include "output/privacy_scrubber.h"
#include "output/record_envelope.h"
#include "output/record_sink.h"
#include "output/run_summary.h"
#include "util/ids.h"

namespace rp {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) {
  g_stop = true;
  // A second Ctrl-C ends the process at once (the records already written are whole lines).
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

void stop_on_signals() {
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGPIPE, SIG_IGN);
}

struct InputError {
  std::string message;
};

// Bad input ends the run before anything is measured.
int refuse(const std::string& message) {
  std::cerr << "reachprobe: " << message << "\n";
  return 2;
}

std::vector<MeasurementPlan> expand_inputs(const RunOptions& o, std::optional<std::string>& catalogue_version) {
  std::vector<MeasurementPlan> plans;
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
    for (const auto& p : read.problems)
      std::cerr << "reachprobe: " << o.test_list << ":" << p.line << ": " << p.message << " (skipped)\n";
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

// The system's trust anchors (with --ca-bundle's), and one store per certificate a target pins.
// Throws std::invalid_argument for a bundle or pinned certificate that cannot be read.
void add_trust_stores(RunSettings& settings, const std::string& ca_bundle, const std::vector<MeasurementPlan>& plans) {
  settings.system_trust = TrustStore::system(ca_bundle);
  for (const auto& p : plans) {
    for (const auto& t : p.targets) {
      if (t.pinned_pem && !settings.pinned_trust.count(*t.pinned_pem)) {
        settings.pinned_trust[*t.pinned_pem] = TrustStore::pinned(*t.pinned_pem);
      }
    }
  }
}

std::string default_output_name() { return "reachprobe-" + compact_utc(std::chrono::system_clock::now()) + ".jsonl"; }

// What the summary keeps of a record (not the record itself: a long run must not hold every body).
struct SummaryRow {
  std::string name;
  bool interrupted = false;
  std::vector<TargetOutcome> targets;
};

void print_summary(std::ostream& out, const std::vector<SummaryRow>& results, double seconds, const RunIdentity& id,
                   const JsonlWriter& writer, bool interrupted) {
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

void show_progress(const BatchProgress& p) {
  std::fprintf(stderr, "\r\033[K[%zu/%zu] %s", p.done, p.total,
               p.last ? (p.last->plan.service ? p.last->plan.service->c_str() : p.last->plan.input_value.c_str()) : "");
}

// The machine's own addresses (its interfaces', and those given with --scrub-address) are scrubbed from
// everything written; the run adds every public one it learns. nullptr, said why, if the output cannot
// be created.
std::unique_ptr<RecordSink> open_record_sink(const RunOptions& o) {
  std::unique_ptr<JsonlWriter> writer;
  try {
    writer = std::make_unique<JsonlWriter>(o.output.empty() ? default_output_name() : o.output);
  } catch (const std::exception& e) {
    std::cerr << "reachprobe: " << e.what() << "\n";
    return nullptr;
  }
  PrivacyScrubber scrubber = PrivacyScrubber::from_interfaces();
  for (const auto& a : o.scrub_addresses) scrubber.add(a);
  return std::make_unique<RecordSink>(std::move(scrubber), std::move(writer));
}

// What the output layer needs of a finished measurement (it never sees plans or the experiment's types).
MeasuredRecord measured_record_of(const MeasurementResult& result) {
  MeasuredRecord r = measured_record_of(result.plan);
  r.start_time = result.start_time;
  r.runtime = result.runtime;
  r.interrupted = result.interrupted;
  r.observations = result.observations;
  return r;
}

// Measures every plan, handing each record to the sink as it completes. Returns true if every plan ran
// to the end (false when interrupted, or stopped because the output failed).
bool measure(const std::vector<MeasurementPlan>& plans, const BatchOptions& batch, RunIdentity& id, RecordSink& sink,
             std::vector<SummaryRow>& results, bool progress) {
  const bool complete = run_batch(
      plans, batch, g_stop,
      [&](const MeasurementResult& result) {
        const MeasuredRecord r = measured_record_of(result);
        results.push_back({r.service.value_or(r.input_value), r.interrupted, summarize_targets(r)});
        if (sink.write(make_record(id, r), own_addresses_revealed(r.observations)) ==
            RecordSink::Outcome::not_written) {
          g_stop = true;  // nothing more can be kept: stop measuring
        }
      },
      [&](const BatchProgress& p) {
        if (progress) show_progress(p);
      },
      &id.resolver);
  if (progress) std::fprintf(stderr, "\r\033[K");
  return complete;
}

// Tells the volunteer how the run went; returns the exit code.
int report(const RunOptions& o, const RecordSink& sink, const std::vector<SummaryRow>& results, double seconds,
           const RunIdentity& id, bool complete) {
  if (!o.quiet) {
    std::ostream& out = o.output == "-" ? std::cerr : std::cout;
    print_summary(out, results, seconds, id, sink.writer(), !complete);
  }
  if (sink.withheld() > 0) {
    std::cerr << "reachprobe: " << sink.withheld()
              << " record(s) withheld: they still named this machine after scrubbing\n";
  }
  if (!sink.error().empty()) {
    std::cerr << "reachprobe: " << sink.error() << "\n";
    return 1;
  }
  return complete ? 0 : 130;
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
  run->add_option("--services", o.services,
                  "Only these catalogue services (comma-separated ids; see `reachprobe list`)")
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
  run->add_option("--probe-cc", o.probe_cc, "Country of this vantage (ISO 3166 alpha-2; ZZ: unknown)")
      ->capture_default_str();
  run->add_option("--probe-asn", o.probe_asn, "Network of this vantage (e.g. AS12345; AS0: unknown)")
      ->capture_default_str();
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
  auto checked = check_run_options(o);
  if (const auto* rejection = std::get_if<std::string>(&checked)) return refuse(*rejection);
  BatchOptions& batch = std::get<CheckedRunOptions>(checked).batch;
  RunIdentity& id = std::get<CheckedRunOptions>(checked).identity;

  std::vector<MeasurementPlan> plans;
  try {
    plans = expand_inputs(o, id.catalogue_version);
    add_trust_stores(batch.settings, o.ca_bundle, plans);
  } catch (const InputError& e) {
    return refuse(e.message);
  } catch (const std::invalid_argument& e) {
    return refuse(e.what());
  }
  if (plans.empty()) return refuse("nothing to measure (the catalogue selection is empty)");

  const std::unique_ptr<RecordSink> sink = open_record_sink(o);
  if (!sink) return 1;

  const PrivilegedCapture capture = open_capture_then_drop_privileges(!o.no_capture);
  id.capture = capture.state;
  batch.settings.capture = capture.session.get();
  if (!capture.drop_failure.empty() && !o.quiet) {
    std::cerr << "reachprobe: note: could not drop capabilities (" << capture.drop_failure << ")\n";
  }
  // A redirect to this machine is refused, like one into a private network.
  batch.settings.is_own_address = [&sink](const std::string& a) { return sink->is_own_address(a); };

  stop_on_signals();
  const auto started = Clock::now();
  std::vector<SummaryRow> results;
  bool complete = false;
  try {
    complete = measure(plans, batch, id, *sink, results, !o.quiet && isatty(STDERR_FILENO));
  } catch (const std::invalid_argument& e) {
    return refuse(e.what());
  }

  if (sink->learned_after_writing() && o.output == "-") {
    std::cerr << "reachprobe: warning: this machine's public address was learned after some records went to "
                 "stdout; write to a file to have them scrubbed\n";
  }
  sink->finish();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return report(o, *sink, results, seconds, id, complete);
}

}  // namespace rp
