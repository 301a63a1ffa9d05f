// Runs a fuzz target's entry point over files and directories without libFuzzer: corpus regression tests under g++.
//
// The same *_fuzz.cpp files linked with this main give one executable per target in the normal and the
// sanitizer builds; ctest runs each over its seed corpus and regressions/, so every crash once found
// stays fixed even where clang's libFuzzer is not available.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

void run_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A copy on the heap of exactly the input's size, as libFuzzer does, so ASan sees reads past the end.
  std::vector<uint8_t> copy(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(copy.data(), copy.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  std::size_t files = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    std::vector<std::filesystem::path> inputs;
    if (std::filesystem::is_directory(arg)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(arg))
        if (e.is_regular_file()) inputs.push_back(e.path());
    } else if (std::filesystem::exists(arg)) {
      inputs.push_back(arg);
    } else {
      std::fprintf(stderr, "replay: %s does not exist\n", argv[i]);
      return 2;
    }
    std::sort(inputs.begin(), inputs.end());  // a stable order makes a failure easy to reproduce
    for (const auto& p : inputs) {
      std::fprintf(stderr, "replay: %s\n", p.c_str());  // the last one named is the one that failed
      run_file(p);
      ++files;
    }
  }
  std::printf("replay: %zu inputs, no failure\n", files);
  return 0;
}
