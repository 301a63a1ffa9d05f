// Field readers for the record reader (see json_fields.h).
#include "record/json_fields.h"

namespace rp::json_fields {

void fail(const std::string& path, const std::string& what) { throw RecordError(path + ": " + what); }

std::string join(const std::string& path, const char* name) { return path.empty() ? name : path + "." + name; }

std::string index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

const json& field(const json& obj, const char* name, const std::string& path) {
  auto it = obj.find(name);
  if (it == obj.end()) fail(join(path, name), "missing");
  return *it;
}

std::string get_string(const json& obj, const char* name, const std::string& path) {
  const json& v = field(obj, name, path);
  if (!v.is_string()) fail(join(path, name), "expected a string");
  return v.get<std::string>();
}

std::optional<std::string> get_opt_string(const json& obj, const char* name, const std::string& path, bool required) {
  auto it = obj.find(name);
  if (it == obj.end()) {
    if (required) fail(join(path, name), "missing");
    return std::nullopt;
  }
  if (it->is_null()) return std::nullopt;
  if (!it->is_string()) fail(join(path, name), "expected a string or null");
  return it->get<std::string>();
}

std::optional<bool> get_opt_bool(const json& obj, const char* name, const std::string& path, bool required) {
  auto it = obj.find(name);
  if (it == obj.end()) {
    if (required) fail(join(path, name), "missing");
    return std::nullopt;
  }
  if (it->is_null()) return std::nullopt;
  if (!it->is_boolean()) fail(join(path, name), "expected a boolean or null");
  return it->get<bool>();
}

bool get_bool(const json& obj, const char* name, const std::string& path) {
  const json& v = field(obj, name, path);
  if (!v.is_boolean()) fail(join(path, name), "expected a boolean");
  return v.get<bool>();
}

std::int64_t get_int(const json& obj, const char* name, const std::string& path, std::int64_t lo, std::int64_t hi) {
  const json& v = field(obj, name, path);
  if (!v.is_number_integer()) fail(join(path, name), "expected an integer");
  // Unsigned values above INT64_MAX read back as negative through get<int64_t>: judge them as unsigned.
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
    fail(join(path, name), "out of range");
  const auto x = v.get<std::int64_t>();
  if (x < lo || x > hi) fail(join(path, name), "out of range");
  return x;
}

double get_time(const json& obj, const char* name, const std::string& path) {
  const json& v = field(obj, name, path);
  if (!v.is_number()) fail(join(path, name), "expected a number");
  const double x = v.get<double>();
  if (!(x >= 0)) fail(join(path, name), "expected a number >= 0");
  return x;
}

const json& get_array(const json& obj, const char* name, const std::string& path, std::size_t max_items) {
  const json& v = field(obj, name, path);
  if (!v.is_array()) fail(join(path, name), "expected an array");
  if (v.size() > max_items) fail(join(path, name), "more than " + std::to_string(max_items) + " items");
  return v;
}

const json& get_object(const json& obj, const char* name, const std::string& path) {
  const json& v = field(obj, name, path);
  if (!v.is_object()) fail(join(path, name), "expected an object");
  return v;
}

}  // namespace rp::json_fields
