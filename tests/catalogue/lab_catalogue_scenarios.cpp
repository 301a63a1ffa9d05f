// A catalogue-shaped lab service run by the real probe: every field of the catalogue is honoured
// (domains, endpoints, URLs with healthy rules, a pinned CA), and the record carries the catalogue version.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lab_harness.h"

namespace reachprobe::lab {
namespace {

using nlohmann::json;

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json fact(json body) {
  body["source"] = "https://lab.test/setup";
  body["checked"] = "2026-11-29";
  return body;
}

// The lab CA is pinned for ok.example.com and mitm.example.com. The censor answers for mitm.example.com
// with a certificate from its interceptor CA, which the run's --ca-bundle also trusts: valid by the
// system store plus extras, but not by the pin.
std::string write_catalogue() {
  json service = {
      {"id", "labchat"},
      {"name", "Lab Chat"},
      {"provider", "Lab"},
      {"domains", {fact({{"name", "ok.example.com"}})}},
      {"endpoints",
       {fact({{"host", "ok.example.com"}, {"port", 443}, {"transport", "tls"}}),
        fact({{"host", "mitm.example.com"}, {"port", 443}, {"transport", "tls"}})}},
      {"urls",
       {fact({{"url", "https://ok.example.com/"}, {"healthy", {{"status", {200}}, {"title_contains", kHealthyTitle}}}}),
        fact({{"url", "https://geo451.example.com/"}, {"healthy", {{"status", {200}}}}})}},
      {"pinned_cas", {fact({{"pem", slurp(lab_ca_path())}, {"hosts", {"ok.example.com", "mitm.example.com"}}})}},
  };
  const std::string path = scratch_path("labchat-catalogue.json");
  std::ofstream(path) << json{{"catalogue_version", "2026.11.29"}, {"services", {service}}}.dump(2);
  return path;
}

std::string write_bundle() {
  const std::string path = scratch_path("both-cas.pem");
  std::ofstream(path) << slurp(lab_ca_path()) << slurp(interceptor_ca_path());
  return path;
}

class CatalogueService : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!lab_available()) return;
    const std::string catalogue = write_catalogue();
    const std::string out = scratch_path("labchat.jsonl");
    const auto r = run_in_namespace(kVantageNs,
                                    {REACHPROBE_BIN, "run", "-q", "--allow-special-purpose", "--targets", catalogue,
                                     "--services", "labchat", "--endpoint", "mitm.example.com:443/tls", "--resolver",
                                     std::string(kResolver), "--ca-bundle", write_bundle(), "--timeout", "2",
                                     "--no-localize", "--output", out},
                                    60);
    exit_code_ = r.exit_code;
    stderr_ = r.err;
    std::string report;
    schema_ok_ = validate_against_schema(out, "measurement", &report);
    schema_report_ = report;
    for (const auto& rec : parse_jsonl(slurp(out))) {
      (rec["service"].is_null() ? adhoc_ : service_) = rec;
    }
    lint_ = run_command({REACHPROBE_BIN, "lint-targets", catalogue, "--allow-special-purpose"}, 20);
  }
  void SetUp() override {
    REACHPROBE_SKIP_WITHOUT_LAB();
    ASSERT_EQ(exit_code_, 0) << stderr_;
    ASSERT_TRUE(schema_ok_) << schema_report_;
  }

  static std::vector<json> of(const json& record, const std::string& type, const std::string& target) {
    std::vector<json> out;
    for (const auto& o : record["observations"]) {
      if (o["type"] == type && o["target"] == target) out.push_back(o);
    }
    return out;
  }

  static inline int exit_code_ = -1;
  static inline bool schema_ok_ = false;
  static inline std::string stderr_, schema_report_;
  static inline json service_, adhoc_;
  static inline RunResult lint_;
};

TEST_F(CatalogueService, RecordsTheCatalogueVersionAndEveryTarget) {
  EXPECT_EQ(service_["catalogue_version"], "2026.11.29");
  EXPECT_EQ(service_["input"], (json{{"kind", "service"}, {"value", "labchat"}}));
  std::vector<std::string> refs;
  for (const auto& t : service_["targets"]) refs.push_back(t["ref"]);
  EXPECT_EQ(refs,
            (std::vector<std::string>{"https://ok.example.com/", "https://geo451.example.com/",
                                      "ok.example.com:443/tls", "mitm.example.com:443/tls", "dns:ok.example.com"}));
  EXPECT_EQ(of(service_, "dns_query", "dns:ok.example.com").size(), 2u);  // A and AAAA
}

TEST_F(CatalogueService, AcceptsTheServersCertificateUnderThePinnedCa) {
  const auto tls = of(service_, "tls_handshake", "ok.example.com:443/tls");
  ASSERT_EQ(tls.size(), 1u);
  EXPECT_EQ(tls[0]["trust"], "pinned");
  EXPECT_TRUE(tls[0]["failure"].is_null());
  EXPECT_EQ(tls[0]["verification"]["trusted"], true);
}

TEST_F(CatalogueService, FlagsAnOtherwiseValidCertificateFromAnotherCa) {
  const auto pinned = of(service_, "tls_handshake", "mitm.example.com:443/tls");
  ASSERT_FALSE(pinned.empty());
  EXPECT_EQ(pinned[0]["trust"], "pinned");
  EXPECT_EQ(pinned[0]["sni_kind"], "target");
  EXPECT_EQ(pinned[0]["handshake_completed"], true);
  EXPECT_EQ(pinned[0]["failure"], "ssl_unknown_authority");
  // The same certificate, measured without the pin in the same run, verifies.
  const auto unpinned = of(adhoc_, "tls_handshake", "mitm.example.com:443/tls");
  ASSERT_FALSE(unpinned.empty());
  EXPECT_EQ(unpinned[0]["trust"], "system+extra");
  EXPECT_TRUE(unpinned[0]["failure"].is_null());
  EXPECT_EQ(unpinned[0]["peer_certificates"][0], pinned[0]["peer_certificates"][0]);
}

TEST_F(CatalogueService, RecordsWhetherEachUrlMetItsHealthyRule) {
  const auto ok = of(service_, "http_request", "https://ok.example.com/");
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0]["healthy_match"], true);
  const auto refused = of(service_, "http_request", "https://geo451.example.com/");
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0]["response"]["status"], 451);
  EXPECT_EQ(refused[0]["healthy_match"], false);
  for (const auto& t : service_["targets"]) {
    if (t["ref"] == "https://geo451.example.com/") {
      EXPECT_EQ(t["healthy"], (json{{"status", {200}}}));
    }
  }
}

TEST_F(CatalogueService, TheLabCatalogueLintsCleanWithLabAddressesAllowed) {
  EXPECT_EQ(lint_.exit_code, 0) << lint_.err;
}

}  // namespace
}  // namespace reachprobe::lab
