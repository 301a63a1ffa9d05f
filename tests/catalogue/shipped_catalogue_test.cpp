// The shipped catalogue (targets/) loads, passes the lint, and covers every service the issue names.
#include <gtest/gtest.h>

#include <algorithm>

#include "catalogue/catalogue_lint.h"
#include "catalogue/catalogue_loader.h"

namespace rp {
namespace {

TEST(ShippedCatalogue, LoadsWithoutError) {
  CatalogueLoad load = load_catalogue(SHIPPED_CATALOGUE);
  ASSERT_TRUE(load.catalogue) << load.error;
  EXPECT_EQ(load.catalogue->version, "2026.11.29");
}

TEST(ShippedCatalogue, PassesTheLintWithNoProblems) {
  LintOptions options;
  options.today = utc_today();
  std::vector<std::string> problems = lint_targets(SHIPPED_CATALOGUE, options);
  std::string joined;
  for (const auto& p : problems) joined += p + "\n";
  EXPECT_TRUE(problems.empty()) << joined;
}

TEST(ShippedCatalogue, ContainsEveryServiceTheIssueNames) {
  CatalogueLoad load = load_catalogue(SHIPPED_CATALOGUE);
  ASSERT_TRUE(load.catalogue) << load.error;
  for (const char* id :
       {"imo", "whatsapp", "telegram", "signal", "facebook_messenger", "instagram", "slack", "viber", "teams", "zoom",
        "discord", "line", "wechat", "element", "google_meet", "threema", "wire", "jitsi"}) {
    bool present = std::any_of(load.catalogue->services.begin(), load.catalogue->services.end(),
                               [&](const Service& s) { return s.id == id; });
    EXPECT_TRUE(present) << id;
  }
}

TEST(ShippedCatalogue, ReadsSignalsPinnedRootFromItsPemFile) {
  CatalogueLoad load = load_catalogue(SHIPPED_CATALOGUE);
  ASSERT_TRUE(load.catalogue) << load.error;
  auto signal = std::find_if(load.catalogue->services.begin(), load.catalogue->services.end(),
                             [](const Service& s) { return s.id == "signal"; });
  ASSERT_NE(signal, load.catalogue->services.end());
  ASSERT_EQ(signal->pinned_cas.size(), 1u);
  EXPECT_NE(signal->pinned_cas[0].pem.find("-----BEGIN CERTIFICATE-----"), std::string::npos);
}

TEST(DefaultCataloguePath, PointsAtTheDataDirectorysTargets) {
  EXPECT_EQ(default_catalogue_path().filename(), "targets");
}

}  // namespace
}  // namespace rp
