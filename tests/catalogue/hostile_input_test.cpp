// Mutated and random bytes never crash, hang or leak through the catalogue loader or the test-list reader.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "catalogue/catalogue_lint.h"
#include "catalogue/catalogue_loader.h"
#include "catalogue/test_list.h"

namespace rp {
namespace {

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Flips, inserts and deletes a few bytes: cheap structure-aware fuzzing of a valid document.
std::string mutate(std::string text, std::mt19937& rng) {
  std::uniform_int_distribution<int> count(1, 8), op(0, 2), byte(0, 255);
  for (int i = count(rng); i > 0 && !text.empty(); --i) {
    std::uniform_int_distribution<std::size_t> at(0, text.size() - 1);
    std::size_t pos = at(rng);
    switch (op(rng)) {
      case 0: text[pos] = static_cast<char>(byte(rng)); break;
      case 1: text.insert(pos, 1, "{}[],:\"\\0-e"[static_cast<std::size_t>(byte(rng)) % 11]); break;
      default: text.erase(pos, 1); break;
    }
  }
  return text;
}

TEST(HostileCatalogue, MutatedFilesLoadOrFailWithOneLineAndNeverThrow) {
  const std::string seed = read_all(std::filesystem::path(CATALOGUE_FIXTURES) / "lint_clean.json");
  const auto path = std::filesystem::temp_directory_path() / "reachprobe-mutated-catalogue.json";
  std::mt19937 rng(20261129);
  for (int i = 0; i < 1500; ++i) {
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << mutate(seed, rng);
    }
    CatalogueLoad load = load_catalogue(path);
    if (load.catalogue) {
      (void)lint_catalogue(*load.catalogue);  // whatever loaded must also lint without trouble
    } else {
      EXPECT_FALSE(load.error.empty());
      EXPECT_EQ(load.error.find('\n'), std::string::npos) << load.error;
    }
  }
  std::filesystem::remove(path);
}

TEST(HostileTestList, RandomBytesAfterAValidHeaderNeverThrow) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255), len(0, 4000);
  for (int i = 0; i < 1500; ++i) {
    std::string text = "url,category_code,category_description,date_added,source,notes\n";
    for (int n = len(rng); n > 0; --n)
      text += static_cast<char>(byte(rng) % 3 == 0 ? ",\"\n"[byte(rng) % 3] : byte(rng));
    TestListRead r = parse_test_list(text);
    EXPECT_TRUE(r.error.empty());
    EXPECT_LE(r.problems.size(), 1001u);
  }
}

}  // namespace
}  // namespace rp
