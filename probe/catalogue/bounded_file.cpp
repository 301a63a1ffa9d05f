// One bounded reader for catalogue files, pinned PEMs and test lists.
#include "catalogue/bounded_file.h"

#include <fstream>

namespace rp {

std::optional<std::string> read_file_bounded(const std::filesystem::path& path, std::uintmax_t limit,
                                             std::string& error) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    error = "not a readable regular file";
    return std::nullopt;
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    error = "cannot read its size: " + ec.message();
    return std::nullopt;
  }
  if (size > limit) {
    error = "file is " + std::to_string(size) + " bytes; the limit is " + std::to_string(limit);
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (!in || static_cast<std::uintmax_t>(in.gcount()) != size) {
    error = "cannot read";
    return std::nullopt;
  }
  return text;
}

}  // namespace rp
