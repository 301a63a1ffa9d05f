// Human-readable renderings of an analysis: plain text for terminals, Markdown for people who are not network engineers.
#pragma once

#include <string>

#include "classify.h"

namespace ra {

std::string render_text(const Analysis& a, const RunInfo& info);
std::string render_markdown(const Analysis& a, const RunInfo& info);
// Plain words for a mechanism name ("dns.nxdomain" -> "DNS said the name does not exist").
std::string mechanism_label(const std::string& mechanism);

}  // namespace ra
