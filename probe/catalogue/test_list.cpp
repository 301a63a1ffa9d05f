// A small RFC 4180 reader specialised to the Citizen Lab test-list columns, bounded against hostile files.
#include "catalogue/test_list.h"

#include <algorithm>
#include <set>

#include "catalogue/bounded_file.h"
#include "catalogue/names.h"

namespace rp {

namespace {

// Real lists are well under 1 MiB (global.csv is ~150 KiB); these bounds only stop abuse.
constexpr std::uintmax_t kMaxFileBytes = 32u << 20;
constexpr std::size_t kMaxRecordBytes = 64u << 10;
constexpr std::size_t kMaxFields = 64;
constexpr std::size_t kMaxEntries = 200000;
constexpr std::size_t kMaxProblems = 1000;

const char* const kColumns[] = {"url", "category_code", "category_description", "date_added", "source", "notes"};

struct Record {
  std::vector<std::string> fields;
  std::size_t line = 0;
  std::string error;  // why the record cannot be used (bad quoting, too long, ...)
};

// Splits the next record off `text` at `pos`; quoted fields may span lines. Advances `line`.
Record next_record(std::string_view text, std::size_t& pos, std::size_t& line) {
  Record rec;
  rec.line = line;
  std::string field;
  bool quoted = false, after_quote = false;
  std::size_t start = pos;
  auto finish_field = [&] {
    if (rec.fields.size() < kMaxFields) rec.fields.push_back(std::move(field));
    else if (rec.error.empty()) rec.error = "more than " + std::to_string(kMaxFields) + " fields";
    field.clear();
    after_quote = false;
  };
  while (pos < text.size()) {
    char c = text[pos++];
    if (pos - start > kMaxRecordBytes && rec.error.empty()) rec.error = "record longer than 64 KiB";
    if (quoted) {
      if (c == '"') {
        if (pos < text.size() && text[pos] == '"') {
          field += '"';
          ++pos;
        } else {
          quoted = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line;
        if (field.size() < kMaxRecordBytes) field += c;
      }
      continue;
    }
    if (c == ',') {
      finish_field();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
      ++line;
      finish_field();
      return rec;
    } else if (c == '"' && field.empty() && !after_quote) {
      quoted = true;
    } else {
      if (after_quote && rec.error.empty()) rec.error = "text after a closing quote";
      if ((c == '"') && rec.error.empty()) rec.error = "a quote inside an unquoted field";
      if (field.size() < kMaxRecordBytes) field += c;
    }
  }
  if (quoted && rec.error.empty()) rec.error = "unterminated quoted field";
  finish_field();
  return rec;
}

std::string trim(std::string s) {
  auto not_space = [](unsigned char c) { return c != ' ' && c != '\t'; };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

bool is_header(const Record& rec) {
  if (rec.fields.size() != std::size(kColumns)) return false;
  for (std::size_t i = 0; i < rec.fields.size(); ++i)
    if (ascii_lower(trim(rec.fields[i])) != kColumns[i]) return false;
  return true;
}

bool is_blank(const Record& rec) { return rec.fields.size() == 1 && trim(rec.fields[0]).empty(); }

std::string upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

std::string joined_categories() {
  std::string out;
  for (const auto& c : known_test_list_categories()) out += (out.empty() ? "" : ", ") + c;
  return out;
}

}  // namespace

// The 30 codes of https://github.com/citizenlab/test-lists/blob/master/lists/00-LEGEND-new_category_codes.csv
// (checked 2026-11-29); a new code there needs adding here.
const std::vector<std::string>& known_test_list_categories() {
  static const std::vector<std::string> codes = {"ALDR", "ANON", "COMM", "COMT", "CTRL", "CULTR", "DATE", "ECON",
                                                 "ENV",  "FILE", "GAME", "GMB",  "GOVT", "GRP",   "HACK", "HATE",
                                                 "HOST", "HUMR", "IGO",  "LGBT", "MILX", "MMED",  "NEWS", "POLR",
                                                 "PORN", "PROV", "PUBH", "REL",  "SRCH", "XED"};
  return codes;
}

TestListRead parse_test_list(std::string_view text, const std::optional<std::string>& category, std::string_view name) {
  TestListRead out;
  std::string prefix = std::string(name) + ": ";
  std::optional<std::string> wanted;
  if (category) {
    wanted = upper(trim(*category));
    const auto& known = known_test_list_categories();
    if (std::find(known.begin(), known.end(), *wanted) == known.end()) {
      out.error = "unknown category \"" + *category + "\"; Citizen Lab categories are: " + joined_categories();
      return out;
    }
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::size_t pos = 0, line = 1;
  Record header = next_record(text, pos, line);
  if (!is_header(header)) {
    out.error = prefix +
                "line 1: not a Citizen Lab test list: expected the header "
                "url,category_code,category_description,date_added,source,notes";
    return out;
  }
  auto problem = [&](std::size_t at, std::string message) {
    if (out.problems.size() < kMaxProblems) out.problems.push_back({at, std::move(message)});
    else if (out.problems.size() == kMaxProblems)
      out.problems.push_back({at, "too many problems; stopped listing them"});
  };
  std::set<std::string> seen;
  while (pos < text.size()) {
    Record rec = next_record(text, pos, line);
    if (is_blank(rec)) continue;
    if (!rec.error.empty()) {
      problem(rec.line, rec.error);
      continue;
    }
    if (rec.fields.size() != std::size(kColumns)) {
      problem(rec.line, "expected 6 fields, found " + std::to_string(rec.fields.size()));
      continue;
    }
    TestListEntry e{trim(rec.fields[0]),
                    upper(trim(rec.fields[1])),
                    rec.fields[2],
                    trim(rec.fields[3]),
                    rec.fields[4],
                    rec.fields[5],
                    rec.line};
    if (!parse_http_url(e.url)) {
      problem(rec.line, "\"" + e.url.substr(0, 200) + "\" is not an http(s) URL with a valid host");
      continue;
    }
    if (e.category_code.empty()) {
      problem(rec.line, "empty category_code");
      continue;
    }
    if (wanted && e.category_code != *wanted) continue;
    if (!seen.insert(e.url).second) {
      problem(rec.line, "duplicate URL " + e.url + " (kept the first)");
      continue;
    }
    if (out.entries.size() >= kMaxEntries) {
      problem(rec.line, "more than " + std::to_string(kMaxEntries) + " entries; the rest is ignored");
      break;
    }
    out.entries.push_back(std::move(e));
  }
  return out;
}

TestListRead read_test_list(const std::filesystem::path& path, const std::optional<std::string>& category) {
  std::string error;
  auto text = read_file_bounded(path, kMaxFileBytes, error);
  if (!text) {
    TestListRead out;
    out.error = path.string() + ": " + error;
    return out;
  }
  return parse_test_list(*text, category, path.string());
}

}  // namespace rp
