// Reads the catalogue's JSON into catalogue.h types, refusing anything of the wrong shape with one clear line.
#include "catalogue/catalogue_loader.h"

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "catalogue/bounded_file.h"

namespace rp {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A catalogue may come from a stranger (a pull request, a copied directory): every size is bounded so
// a hostile file cannot exhaust memory or the stack. The shipped catalogue is far below each bound.
constexpr std::uintmax_t kMaxFileBytes = 4u << 20;
constexpr std::uintmax_t kMaxPemBytes = 256u << 10;
constexpr std::size_t kMaxDepth = 32;
constexpr std::size_t kMaxServiceFiles = 1024;
constexpr std::size_t kMaxServices = 1024;
constexpr std::size_t kMaxEntries = 4096;  // per list in a service
constexpr std::size_t kMaxShortText = 256;
constexpr std::size_t kMaxLongText = 4096;

// Thrown inside this file only; load_catalogue turns it into CatalogueLoad::error.
struct ShapeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Where a value sits: the file, and a JSON path such as "endpoints[2].port".
struct Where {
  std::string file;
  std::string path;
  Where operator/(const std::string& key) const { return {file, path.empty() ? key : path + "." + key}; }
  Where operator[](std::size_t i) const { return {file, path + "[" + std::to_string(i) + "]"}; }
  [[noreturn]] void fail(const std::string& message) const {
    throw ShapeError(file + ": " + (path.empty() ? "" : path + ": ") + message);
  }
};

// Context shared by everything read from one file.
struct FileContext {
  fs::path dir;   // directory holding the file: pem_file paths are relative to it
  fs::path root;  // catalogue root: pem_file may not leave it
};

std::string read_bounded(const fs::path& path, std::uintmax_t limit, const std::string& shown) {
  std::string error;
  auto text = read_file_bounded(path, limit, error);
  if (!text) throw ShapeError(shown + ": " + error);
  return std::move(*text);
}

// Line and column (1-based) of a byte offset, for syntax errors an editor can jump to.
std::pair<std::size_t, std::size_t> line_and_column(const std::string& text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// Refuses deep nesting before the recursive DOM is built from it.
void check_depth(const std::string& text, const std::string& shown) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) {
        auto [line, column] = line_and_column(text, i);
        throw ShapeError(shown + ":" + std::to_string(line) + ":" + std::to_string(column) + ": nesting deeper than " +
                         std::to_string(kMaxDepth) + " levels");
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

json parse_json(const std::string& text, const std::string& shown) {
  check_depth(text, shown);
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    auto [line, column] = line_and_column(text, e.byte == 0 ? 0 : e.byte - 1);
    std::string what = e.what();
    // nlohmann prefixes its own position; keep only the description after the last ": ".
    auto cut = what.find(": syntax error");
    std::string detail = cut == std::string::npos ? what : what.substr(cut + 2);
    throw ShapeError(shown + ":" + std::to_string(line) + ":" + std::to_string(column) + ": invalid JSON: " + detail);
  }
}

// --- typed accessors -------------------------------------------------------------------------------

void check_object(const json& j, const Where& at, std::initializer_list<const char*> allowed) {
  if (!j.is_object()) at.fail("must be an object");
  for (const auto& item : j.items()) {
    // Not a structured binding: clang before 16 cannot capture one in the lambda below (fuzz builds use clang 14).
    const std::string& key = item.key();
    if (key == "$comment" || key == "$schema") continue;
    bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* k) { return key == k; });
    if (!known) (at / key).fail("unknown field (typo?)");
  }
}

std::string get_string(const json& obj, const char* key, const Where& at, bool required,
                       std::size_t max_len = kMaxShortText) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) (at / key).fail("is required");
    return {};
  }
  if (!it->is_string()) (at / key).fail("must be a string");
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > max_len) (at / key).fail("longer than " + std::to_string(max_len) + " bytes");
  return s;
}

const json* get_array(const json& obj, const char* key, const Where& at) {
  auto it = obj.find(key);
  if (it == obj.end()) return nullptr;
  if (!it->is_array()) (at / key).fail("must be an array");
  if (it->size() > kMaxEntries) (at / key).fail("more than " + std::to_string(kMaxEntries) + " entries");
  return &*it;
}

template <typename T, typename Parse>
std::vector<T> get_list(const json& obj, const char* key, const Where& at, Parse parse) {
  std::vector<T> out;
  if (const json* arr = get_array(obj, key, at)) {
    out.reserve(arr->size());
    for (std::size_t i = 0; i < arr->size(); ++i) out.push_back(parse((*arr)[i], (at / key)[i]));
  }
  return out;
}

// Missing provenance is not a shape error: lint-targets reports every unsourced fact at once.
Provenance get_provenance(const json& obj, const Where& at) {
  return {get_string(obj, "source", at, false, kMaxLongText), get_string(obj, "checked", at, false)};
}

// --- facts -----------------------------------------------------------------------------------------

AsnEntry parse_asn(const json& j, const Where& at) {
  check_object(j, at, {"asn", "source", "checked"});
  auto it = j.find("asn");
  if (it == j.end()) (at / "asn").fail("is required");
  if (!it->is_number_integer()) (at / "asn").fail("must be an integer");
  auto value = it->get<int64_t>();
  if (value < 1 || value > 4294967295LL) (at / "asn").fail("must be 1..4294967295");
  return {static_cast<uint32_t>(value), get_provenance(j, at)};
}

DomainEntry parse_domain(const json& j, const Where& at) {
  check_object(j, at, {"name", "source", "checked"});
  return {get_string(j, "name", at, true), get_provenance(j, at)};
}

Transport parse_transport(const json& j, const Where& at) {
  std::string t = get_string(j, "transport", at, true);
  if (t == "tcp") return Transport::tcp;
  if (t == "tls") return Transport::tls;
  (at / "transport").fail("must be \"tcp\" or \"tls\" (put http(s) checks in urls)");
}

EndpointEntry parse_endpoint(const json& j, const Where& at) {
  check_object(j, at, {"host", "port", "transport", "note", "source", "checked"});
  EndpointEntry e;
  e.host = get_string(j, "host", at, true);
  auto it = j.find("port");
  if (it == j.end()) (at / "port").fail("is required");
  if (!it->is_number_integer()) (at / "port").fail("must be an integer");
  auto port = it->get<int64_t>();
  if (port < 1 || port > 65535) (at / "port").fail("must be 1..65535");
  e.port = static_cast<uint16_t>(port);
  e.transport = parse_transport(j, at);
  e.note = get_string(j, "note", at, false, 1024);
  e.provenance = get_provenance(j, at);
  return e;
}

HealthyRule parse_healthy(const json& j, const Where& at) {
  check_object(j, at, {"status", "body_contains", "title_contains", "any_authenticated_tls"});
  HealthyRule rule;
  if (const json* codes = get_array(j, "status", at)) {
    if (codes->size() > 32) (at / "status").fail("more than 32 status codes");
    for (std::size_t i = 0; i < codes->size(); ++i) {
      const json& c = (*codes)[i];
      if (!c.is_number_integer() || c.get<int64_t>() < 100 || c.get<int64_t>() > 599) {
        (at / "status")[i].fail("must be an HTTP status code 100..599");
      }
      rule.status.push_back(c.get<int>());
    }
  }
  if (j.contains("body_contains")) rule.body_contains = get_string(j, "body_contains", at, true);
  if (j.contains("title_contains")) rule.title_contains = get_string(j, "title_contains", at, true);
  if (auto it = j.find("any_authenticated_tls"); it != j.end()) {
    if (!it->is_boolean()) (at / "any_authenticated_tls").fail("must be true or false");
    rule.any_authenticated_tls = it->get<bool>();
  }
  return rule;
}

UrlEntry parse_url(const json& j, const Where& at) {
  check_object(j, at, {"url", "healthy", "source", "checked"});
  UrlEntry u;
  u.url = get_string(j, "url", at, true, 2048);
  auto it = j.find("healthy");
  if (it == j.end()) (at / "healthy").fail("is required: say what a healthy response looks like");
  u.healthy = parse_healthy(*it, at / "healthy");
  u.provenance = get_provenance(j, at);
  return u;
}

// pem_file stays inside the catalogue so a catalogue cannot make the probe read arbitrary files.
std::string read_pem_file(const std::string& relative, const Where& at, const FileContext& ctx) {
  fs::path rel(relative);
  if (rel.is_absolute()) (at / "pem_file").fail("must be relative to the catalogue file");
  std::error_code ec;  // weakly_canonical resolves symlinks too, so a link cannot lead outside either
  fs::path full = fs::weakly_canonical(ctx.dir / rel, ec);
  fs::path root = fs::weakly_canonical(ctx.root, ec);
  if (ec) (at / "pem_file").fail("cannot resolve: " + ec.message());
  auto [root_end, full_it] = std::mismatch(root.begin(), root.end(), full.begin(), full.end());
  if (root_end != root.end()) (at / "pem_file").fail("must stay inside the catalogue directory");
  try {
    return read_bounded(full, kMaxPemBytes, full.string());
  } catch (const ShapeError& e) {
    (at / "pem_file").fail(e.what());
  }
}

PinnedCa parse_pinned_ca(const json& j, const Where& at, const FileContext& ctx) {
  check_object(j, at, {"pem", "pem_file", "hosts", "source", "checked"});
  PinnedCa ca;
  bool inline_pem = j.contains("pem"), file_pem = j.contains("pem_file");
  if (inline_pem == file_pem) at.fail("give exactly one of \"pem\" and \"pem_file\"");
  if (inline_pem) ca.pem = get_string(j, "pem", at, true, kMaxPemBytes);
  else ca.pem = read_pem_file(get_string(j, "pem_file", at, true, 1024), at, ctx);
  ca.hosts = get_list<std::string>(j, "hosts", at, [](const json& h, const Where& w) {
    if (!h.is_string()) w.fail("must be a string");
    if (h.get_ref<const std::string&>().size() > 253) w.fail("longer than 253 bytes");
    return h.get<std::string>();
  });
  ca.provenance = get_provenance(j, at);
  return ca;
}

SignatureEntry parse_signature(const json& j, const Where& at) {
  check_object(j, at, {"id", "attribution", "location", "pattern_type", "pattern", "source", "checked"});
  SignatureEntry s;
  s.id = get_string(j, "id", at, true);
  s.attribution = get_string(j, "attribution", at, true);
  if (s.attribution != "provider_restriction" && s.attribution != "provider_on_government_order") {
    (at / "attribution").fail("must be \"provider_restriction\" or \"provider_on_government_order\"");
  }
  s.location = get_string(j, "location", at, true);
  if (s.location != "body" && s.location != "status" && !(s.location.starts_with("header.") && s.location.size() > 7)) {
    (at / "location").fail("must be \"body\", \"status\" or \"header.<name>\"");
  }
  s.pattern_type = get_string(j, "pattern_type", at, true);
  if (s.pattern_type != "contains" && s.pattern_type != "prefix" && s.pattern_type != "full") {
    (at / "pattern_type").fail("must be \"contains\", \"prefix\" or \"full\"");
  }
  s.pattern = get_string(j, "pattern", at, true, 1024);
  s.provenance = get_provenance(j, at);
  return s;
}

Service parse_service(const json& j, const Where& at, const FileContext& ctx) {
  check_object(j, at,
               {"id", "name", "provider", "provider_asns", "domains", "endpoints", "urls", "pinned_cas", "signatures",
                "notes"});
  Service s;
  s.id = get_string(j, "id", at, true, 64);
  static const std::regex id_pattern("[a-z0-9_-]+");
  if (!std::regex_match(s.id, id_pattern)) (at / "id").fail("must match [a-z0-9_-]+ (it is typed on the command line)");
  s.name = get_string(j, "name", at, true);
  s.provider = get_string(j, "provider", at, true);
  s.provider_asns = get_list<AsnEntry>(j, "provider_asns", at, parse_asn);
  s.domains = get_list<DomainEntry>(j, "domains", at, parse_domain);
  s.endpoints = get_list<EndpointEntry>(j, "endpoints", at, parse_endpoint);
  s.urls = get_list<UrlEntry>(j, "urls", at, parse_url);
  s.pinned_cas = get_list<PinnedCa>(j, "pinned_cas", at,
                                    [&](const json& e, const Where& w) { return parse_pinned_ca(e, w, ctx); });
  s.signatures = get_list<SignatureEntry>(j, "signatures", at, parse_signature);
  s.notes = get_string(j, "notes", at, false, kMaxLongText);
  s.origin = at.file;
  return s;
}

// --- files -----------------------------------------------------------------------------------------

// The top-level object: {"catalogue_version": ..., "services": [...]}.
Catalogue parse_catalogue_file(const fs::path& path, const std::string& shown, const FileContext& ctx) {
  json j = parse_json(read_bounded(path, kMaxFileBytes, shown), shown);
  Where at{shown, ""};
  check_object(j, at, {"catalogue_version", "services"});
  Catalogue c;
  c.version = get_string(j, "catalogue_version", at, true, 64);
  if (c.version.empty()) (at / "catalogue_version").fail("must not be empty");
  if (const json* arr = get_array(j, "services", at)) {
    for (std::size_t i = 0; i < arr->size(); ++i)
      c.services.push_back(parse_service((*arr)[i], (at / "services")[i], ctx));
  }
  return c;
}

Service parse_service_file(const fs::path& path, const std::string& shown, const FileContext& ctx) {
  json j = parse_json(read_bounded(path, kMaxFileBytes, shown), shown);
  Service s = parse_service(j, Where{shown, ""}, ctx);
  if (s.id != path.stem().string()) {
    Where{shown, "id"}.fail("\"" + s.id + "\" must match the file name \"" + path.stem().string() + "\"");
  }
  return s;
}

// How a path appears in messages: relative to the working directory when that is shorter.
std::string shown_path(const fs::path& p) {
  std::error_code ec;
  fs::path rel = fs::relative(p, fs::current_path(ec), ec);
  if (!ec && !rel.empty() && *rel.begin() != "..") return rel.string();
  return p.string();
}

Catalogue load_directory(const fs::path& dir) {
  FileContext ctx{dir, dir};
  Catalogue c = parse_catalogue_file(dir / "catalogue.json", shown_path(dir / "catalogue.json"), ctx);
  fs::path services_dir = dir / "services";
  std::error_code ec;
  if (!fs::is_directory(services_dir, ec)) return c;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(services_dir, ec)) {
    if (entry.path().extension() != ".json") continue;
    files.push_back(entry.path());
    if (files.size() > kMaxServiceFiles) {
      throw ShapeError(shown_path(services_dir) + ": more than " + std::to_string(kMaxServiceFiles) + " service files");
    }
  }
  if (ec) throw ShapeError(shown_path(services_dir) + ": cannot list: " + ec.message());
  std::sort(files.begin(), files.end());  // stable order whatever the file system returns
  FileContext service_ctx{services_dir, dir};
  for (const auto& f : files) c.services.push_back(parse_service_file(f, shown_path(f), service_ctx));
  return c;
}

}  // namespace

CatalogueLoad load_catalogue(const fs::path& path) {
  CatalogueLoad out;
  try {
    std::error_code ec;
    Catalogue c;
    if (fs::is_directory(path, ec)) {
      c = load_directory(path);
    } else {
      fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
      c = parse_catalogue_file(path, shown_path(path), FileContext{dir, dir});
    }
    if (c.services.size() > kMaxServices) {
      throw ShapeError(shown_path(path) + ": more than " + std::to_string(kMaxServices) + " services");
    }
    out.catalogue = std::move(c);
  } catch (const ShapeError& e) {
    out.error = e.what();
  } catch (const std::exception& e) {  // file-system or allocation trouble: still one line, never a throw
    out.error = shown_path(path) + ": " + e.what();
  }
  // Messages quote the file's own keys and values: control bytes are escaped so that a hostile catalogue
  // cannot add lines of its own to what lint-targets prints.
  std::string one_line;
  for (const char ch : out.error) {
    const auto u = static_cast<unsigned char>(ch);
    if (u >= 0x20 && u != 0x7F) {
      one_line += ch;
    } else {
      one_line += {'\\', 'x', "0123456789abcdef"[u >> 4], "0123456789abcdef"[u & 15]};
    }
  }
  out.error = std::move(one_line);
  return out;
}

fs::path default_catalogue_path() {
  if (const char* env = std::getenv("REACHPROBE_DATA_DIR"); env && *env) return fs::path(env) / "targets";
#ifdef REACHPROBE_DATA_DIR
  return fs::path(REACHPROBE_DATA_DIR) / "targets";
#else
  return fs::path("targets");
#endif
}

}  // namespace rp
