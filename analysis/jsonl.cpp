// Bounded JSONL line reader (see jsonl.h).
#include "jsonl.h"

namespace ra {

std::optional<Line> LineReader::next() {
  Line line;
  bool any = false;
  // Character-wise reading through the stream buffer keeps memory bounded even for a 10 GB line.
  std::streambuf* buf = in_.rdbuf();
  for (;;) {
    const int c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      if (!any) return std::nullopt;
      line.unterminated = true;
      break;
    }
    any = true;
    if (c == '\n') break;
    if (line.too_long) continue;
    if (line.text.size() >= max_bytes_) {
      line.too_long = true;
      line.text.clear();
      line.text.shrink_to_fit();
      continue;
    }
    line.text.push_back(static_cast<char>(c));
  }
  line.number = ++number_;
  if (!line.text.empty() && line.text.back() == '\r') line.text.pop_back();
  return line;
}

}  // namespace ra
