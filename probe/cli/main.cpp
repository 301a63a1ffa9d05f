// reachprobe's entry point: parses the command line and hands over to a subcommand.
#include <ares.h>
#include <curl/curl.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/catalogue_commands.h"
#include "cli/run_command.h"

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  ares_library_init(ARES_LIB_INIT_ALL);

  CLI::App app{
      "reachprobe measures whether messaging services (WhatsApp, Telegram, Signal, ...) can be reached from\n"
      "this network: DNS, TCP, TLS and HTTP, with the evidence reachanalyze needs to tell censorship on the\n"
      "path apart from a provider refusing this country, or an outage.\n\n"
      "Start with:  reachprobe run              (every service in the shipped catalogue)\n"
      "             reachprobe run --services whatsapp,signal\n"
      "             reachprobe run --url https://web.telegram.org/ --endpoint 149.154.167.51:443/tcp\n"
      "             reachprobe list            (what the catalogue holds)\n",
      "reachprobe"};
  app.set_version_flag("--version", std::string("reachprobe ") + REACHPROBE_VERSION);
  app.require_subcommand(1);

  rp::RunOptions run_opts;
  auto* run = rp::add_run_command(app, run_opts);
  rp::CatalogueCommandOptions cat_opts;
  rp::add_catalogue_commands(app, cat_opts);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (run->parsed()) return rp::run_command(run_opts);
  return rp::run_catalogue_command(app, cat_opts);
}
