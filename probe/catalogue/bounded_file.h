// Reading a whole file that may come from a stranger, with a size limit checked before any byte is read.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace rp {

// The file's bytes, or nullopt with `error` set to a short reason ("not a readable regular file",
// "file is N bytes; the limit is M", ...) that callers prefix with the path.
std::optional<std::string> read_file_bounded(const std::filesystem::path& path, std::uintmax_t limit,
                                             std::string& error);

}  // namespace rp
