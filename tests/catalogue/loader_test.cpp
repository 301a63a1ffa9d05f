// load_catalogue on single files and directories: what it accepts, and how it reports what it refuses.
#include "catalogue/catalogue_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace rp {
namespace {

const std::filesystem::path kFixtures = CATALOGUE_FIXTURES;

TEST(LoadCatalogue, ReadsASingleFileWithInlineServices) {
  auto load = load_catalogue(kFixtures / "lint_clean.json");
  ASSERT_TRUE(load.catalogue) << load.error;
  ASSERT_EQ(load.catalogue->services.size(), 1u);
  const Service& s = load.catalogue->services[0];
  EXPECT_EQ(s.id, "demo");
  ASSERT_EQ(s.endpoints.size(), 1u);
  EXPECT_EQ(s.endpoints[0].port, 443);
  EXPECT_EQ(s.endpoints[0].transport, Transport::tls);
  ASSERT_EQ(s.urls.size(), 1u);
  EXPECT_EQ(s.urls[0].healthy.status, std::vector<int>{200});
  EXPECT_EQ(s.domains[0].provenance.checked, "2026-11-01");
}

TEST(LoadCatalogue, ReadsAPemFileRelativeToTheCatalogueFile) {
  auto load = load_catalogue(kFixtures / "lint_pin_for_unknown_host.json");
  ASSERT_TRUE(load.catalogue) << load.error;
  ASSERT_EQ(load.catalogue->services[0].pinned_cas.size(), 1u);
  EXPECT_EQ(load.catalogue->services[0].pinned_cas[0].pem.rfind("-----BEGIN CERTIFICATE-----", 0), 0u);
}

TEST(LoadCatalogue, LeavesMissingProvenanceToTheLintSoAllGapsAreReportedAtOnce) {
  auto load = load_catalogue(kFixtures / "lint_unsourced_domain.json");
  ASSERT_TRUE(load.catalogue) << load.error;
  EXPECT_TRUE(load.catalogue->services[0].domains[0].provenance.source.empty());
}

TEST(LoadCatalogue, GivesLineAndColumnForJsonSyntaxErrors) {
  auto load = load_catalogue(kFixtures / "load_syntax_error.json");
  EXPECT_FALSE(load.catalogue);
  EXPECT_NE(load.error.find("load_syntax_error.json:4:21: invalid JSON"), std::string::npos) << load.error;
}

TEST(LoadCatalogue, RefusesAFileLargerThanTheBound) {
  auto path = std::filesystem::temp_directory_path() / "reachprobe-huge-catalogue.json";
  {
    std::ofstream out(path);
    out << "{\"catalogue_version\": \"2026.11.29\", \"$comment\": \"" << std::string(5u << 20, 'x') << "\"}";
  }
  auto load = load_catalogue(path);
  std::filesystem::remove(path);
  EXPECT_FALSE(load.catalogue);
  EXPECT_NE(load.error.find("the limit is"), std::string::npos) << load.error;
}

TEST(LoadCatalogue, SaysSoWhenThePathDoesNotExist) {
  auto load = load_catalogue("/nonexistent/targets");
  EXPECT_FALSE(load.catalogue);
  EXPECT_EQ(load.error, "/nonexistent/targets: not a readable regular file");
}

TEST(LoadCatalogue, RefusesAPemFileSymlinkThatLeadsOutOfTheCatalogue) {
  auto dir = std::filesystem::temp_directory_path() / "reachprobe-symlink-catalogue";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::create_symlink("/etc/hostname", dir / "root.pem");
  {
    std::ofstream out(dir / "catalogue.json");
    out << R"({"catalogue_version": "2026.11.29", "services": [{"id": "demo", "name": "Demo", "provider": "P",
             "urls": [{"url": "https://chat.example.org/", "healthy": {"status": [200]}}],
             "pinned_cas": [{"pem_file": "root.pem"}]}]})";
  }
  auto load = load_catalogue(dir / "catalogue.json");
  std::filesystem::remove_all(dir);
  EXPECT_FALSE(load.catalogue);
  EXPECT_NE(load.error.find("pinned_cas[0].pem_file: must stay inside the catalogue directory"), std::string::npos)
      << load.error;
}

TEST(LoadCatalogue, ReportsAMissingCatalogueJsonInADirectory) {
  auto dir = std::filesystem::temp_directory_path() / "reachprobe-empty-catalogue";
  std::filesystem::create_directories(dir);
  auto load = load_catalogue(dir);
  std::filesystem::remove_all(dir);
  EXPECT_FALSE(load.catalogue);
  EXPECT_NE(load.error.find("catalogue.json: not a readable regular file"), std::string::npos) << load.error;
}

TEST(LoadCatalogue, RecordsWhichFileEachServiceCameFrom) {
  auto load = load_catalogue(SHIPPED_CATALOGUE);
  ASSERT_TRUE(load.catalogue) << load.error;
  EXPECT_NE(load.catalogue->services[0].origin.find("services/"), std::string::npos);
}

}  // namespace
}  // namespace rp
