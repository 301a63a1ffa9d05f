// Every broken fixture catalogue is rejected with a message that names the file or the entry at fault.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "catalogue/catalogue_lint.h"
#include "catalogue/catalogue_loader.h"

namespace rp {
namespace {

const std::filesystem::path kFixtures = CATALOGUE_FIXTURES;

struct BrokenCase {
  const char* fixture;                // file or directory under fixtures/
  const char* expected;               // must appear in one reported line
  bool allow_special_purpose = true;  // fixtures use documentation names; one case turns this off
};

// Fixtures are written in documentation names (example.org, 192.0.2.0/24), hence allow_special_purpose.
const BrokenCase kCases[] = {
    {"lint_unsourced_domain.json", "demo: domains[0] chat.example.org: no source"},
    {"lint_undated_endpoint.json", "demo: endpoints[0] chat.example.org:443/tls: no \"checked\" date"},
    {"lint_impossible_date.json",
     "demo: urls[0] https://chat.example.org/: checked \"2026-02-30\" is not a YYYY-MM-DD date"},
    {"lint_future_date.json", "demo: domains[0] chat.example.org: checked 2027-01-01 is in the future"},
    {"lint_source_not_a_url.json",
     "demo: domains[0] chat.example.org: source \"asked a friend\" is not an http(s) URL"},
    {"lint_duplicate_domain.json", "demo: domains[1] Chat.Example.org: duplicate of domains[0]"},
    {"lint_duplicate_endpoint.json", "demo: endpoints[1] chat.example.org:443/tls: duplicate of endpoints[0]"},
    {"lint_duplicate_url.json", "demo: urls[1] https://chat.example.org/: duplicate of urls[0]"},
    {"lint_invalid_hostname.json",
     "demo: domains[0] chat_server.example.org: \"chat_server.example.org\" is neither a valid hostname"},
    {"lint_invalid_ip.json",
     "demo: endpoints[0] 192.0.2.300:443/tls: \"192.0.2.300\" is neither a valid hostname nor an IP literal"},
    {"lint_domain_is_ip.json", "demo: domains[0] 192.0.2.10: \"192.0.2.10\" is an IP literal"},
    {"lint_no_healthy_rule.json", "demo: no healthy-response rule"},
    {"lint_empty_healthy_rule.json", "demo: urls[0] https://chat.example.org/: healthy rule is empty"},
    {"lint_tls_rule_on_http.json", "demo: urls[0] http://chat.example.org/: any_authenticated_tls needs an https URL"},
    {"lint_not_http_url.json", "demo: urls[0] ftp://chat.example.org/: not an absolute http(s) URL"},
    {"lint_reserved_asn.json", "demo: provider_asns[0] AS64512: AS64512 is reserved or private"},
    {"lint_garbage_pem.json", "demo: pinned_cas[0]: pem holds no PEM certificate"},
    {"lint_expired_pin.json", "demo: pinned_cas[0]: certificate 1 expired on 2023-03-23"},
    {"lint_pin_for_unknown_host.json",
     "demo: pinned_cas[0]: pinned host \"other.example.net\" is not among the service's"},
    {"lint_bad_status_signature.json",
     "demo: signatures[0] demo-geo: a status signature's pattern must be a 3-digit status code"},
    {"lint_special_address.json", "demo: endpoints[0] 10.1.2.3:443/tls: \"10.1.2.3\" is a special-purpose address",
     false},
    {"lint_bad_version.json", "catalogue: catalogue_version: \"v1\" must be YYYY.MM.DD"},
    {"lint_duplicate_service_id.json", "demo: duplicate service id"},
    {"lint_duplicate_signature_id.json",
     "demo2: signatures[0] shared-sig: signature id \"shared-sig\" is already used by service demo"},
    {"load_port_out_of_range.json", "load_port_out_of_range.json: services[0].endpoints[0].port: must be 1..65535"},
    {"load_unknown_field.json", "load_unknown_field.json: services[0].endpoints[0].prot: unknown field"},
    {"load_missing_healthy.json", "services[0].urls[0].healthy: is required"},
    {"load_http_transport.json", "services[0].endpoints[0].transport: must be \"tcp\" or \"tls\""},
    {"load_pem_file_escapes.json", "services[0].pinned_cas[0].pem_file: must stay inside the catalogue directory"},
    {"load_pem_and_pem_file.json", "services[0].pinned_cas[0]: give exactly one of \"pem\" and \"pem_file\""},
    {"load_wrong_type.json", "services[0].domains: must be an array"},
    {"load_bad_id.json", "services[0].id: must match [a-z0-9_-]+"},
    {"load_bad_attribution.json", "services[0].signatures[0].attribution: must be"},
    {"load_status_not_a_code.json", "services[0].urls[0].healthy.status[0]: must be an HTTP status code"},
    {"load_missing_version.json", "load_missing_version.json: catalogue_version: is required"},
    {"load_syntax_error.json", "load_syntax_error.json:4:21: invalid JSON"},
    {"load_deep_nesting.json", "nesting deeper than 32 levels"},
    {"dir_file_name_mismatch", "other.json: id: \"demo\" must match the file name \"other\""},
    {"dir_missing_changelog_entry", "no \"## 2026.11.29\" entry"},
};

class BrokenCatalogue : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenCatalogue, IsRejectedWithAMessageNamingTheEntry) {
  const BrokenCase& c = GetParam();
  LintOptions options;
  options.today = "2026-11-29";
  options.allow_special_purpose = c.allow_special_purpose;
  std::vector<std::string> lines = lint_targets(kFixtures / c.fixture, options);
  ASSERT_FALSE(lines.empty()) << c.fixture << " passed the lint";
  std::string all;
  bool found = false;
  for (const auto& line : lines) {
    all += line + "\n";
    found = found || line.find(c.expected) != std::string::npos;
    EXPECT_EQ(line.find('\n'), std::string::npos) << "messages are one line: " << line;
  }
  EXPECT_TRUE(found) << "expected \"" << c.expected << "\" among:\n" << all;
}

std::string case_name(const ::testing::TestParamInfo<BrokenCase>& info) {
  std::string name = info.param.fixture;
  name = name.substr(0, name.find('.'));
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BrokenCatalogue, ::testing::ValuesIn(kCases), case_name);

TEST(LintFixtures, TheCleanBaseThatEveryCaseBreaksPassesTheLint) {
  LintOptions options;
  options.today = "2026-11-29";
  options.allow_special_purpose = true;
  std::vector<std::string> lines = lint_targets(kFixtures / "lint_clean.json", options);
  EXPECT_TRUE(lines.empty()) << (lines.empty() ? "" : lines.front());
}

TEST(LintFixtures, EachLintCaseFailsOnlyForItsOwnReason) {
  LintOptions options;
  options.today = "2026-11-29";
  options.allow_special_purpose = true;
  for (const BrokenCase& c : kCases) {
    std::string name = c.fixture;
    // Loader cases stop at their one error; the special-address case also trips on the example.org names.
    if (!name.starts_with("lint_") || !c.allow_special_purpose) continue;
    std::vector<std::string> lines = lint_targets(kFixtures / c.fixture, options);
    EXPECT_EQ(lines.size(), 1u) << c.fixture << ": " << (lines.empty() ? "" : lines.back());
  }
}

TEST(LintMessages, NameTheCatalogueItselfWhenNoServiceIsAtFault) {
  LintProblem p{"", "catalogue_version", "must be set"};
  EXPECT_EQ(to_string(p), "catalogue: catalogue_version: must be set");
}

TEST(LintOfInMemoryCatalogues, FlagsAnEmptyCatalogue) {
  Catalogue c{"2026.11.29", {}};
  auto problems = lint_catalogue(c);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(to_string(problems[0]), "catalogue: services: the catalogue has no services");
}

}  // namespace
}  // namespace rp
