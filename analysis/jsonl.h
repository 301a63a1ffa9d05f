// Bounded JSONL line reader: hostile result files cannot make it allocate more than the line limit.
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <string>

namespace ra {

struct Line {
  std::size_t number = 0;     // 1-based line number in the file
  std::string text;           // without the trailing newline (empty when too_long)
  bool too_long = false;      // longer than the limit: text dropped, reader skipped to the next newline
  bool unterminated = false;  // last line of the file had no newline (often a truncated write)
};

// Reads one line at a time, never holding more than max_bytes of it in memory.
class LineReader {
 public:
  LineReader(std::istream& in, std::size_t max_bytes) : in_(in), max_bytes_(max_bytes) {}
  std::optional<Line> next();

 private:
  std::istream& in_;
  std::size_t max_bytes_;
  std::size_t number_ = 0;
};

}  // namespace ra
