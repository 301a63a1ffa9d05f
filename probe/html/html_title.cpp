// A tolerant title scan rather than an HTML parser: blockpages are often broken HTML, and all we need is the title.
#include "html/html_title.h"

#include <algorithm>
#include <cctype>

#include "util/utf8.h"

namespace rp {
namespace {

constexpr std::size_t kMaxTitleBytes = 512;

std::size_t find_ci(std::string_view hay, std::string_view needle, std::size_t from) {
  auto it = std::search(hay.begin() + static_cast<std::ptrdiff_t>(std::min(from, hay.size())), hay.end(),
                        needle.begin(), needle.end(), [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) ==
                                 std::tolower(static_cast<unsigned char>(b));
                        });
  return it == hay.end() ? std::string_view::npos : static_cast<std::size_t>(it - hay.begin());
}

}  // namespace

std::optional<std::string> extract_html_title(std::string_view body) {
  std::size_t open = find_ci(body, "<title", 0);
  while (open != std::string_view::npos) {
    const std::size_t after = open + 6;
    // "<title>" or "<title attr=...>", but not "<titles>".
    if (after < body.size() && (body[after] == '>' || std::isspace(static_cast<unsigned char>(body[after])))) break;
    open = find_ci(body, "<title", after);
  }
  if (open == std::string_view::npos) return std::nullopt;
  const std::size_t gt = body.find('>', open);
  if (gt == std::string_view::npos) return std::nullopt;
  std::size_t close = find_ci(body, "</title", gt + 1);
  if (close == std::string_view::npos) close = body.size();

  std::string collapsed;
  bool pending_space = false;
  for (std::size_t i = gt + 1; i < close && collapsed.size() < kMaxTitleBytes; ++i) {
    const char c = body[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !collapsed.empty();
      continue;
    }
    if (pending_space) collapsed.push_back(' ');
    pending_space = false;
    collapsed.push_back(c);
  }
  // The cap can stop the loop right after a pending space was written: no trailing space either way.
  std::string title = sanitize_utf8(collapsed, kMaxTitleBytes);
  while (!title.empty() && title.back() == ' ') title.pop_back();
  return title;
}

}  // namespace rp
