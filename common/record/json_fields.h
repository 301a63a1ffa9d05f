// Typed, bounded reads of JSON fields that name the JSON path of whatever is wrong: the reader's toolkit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace rp {

// A record that does not have the shape results-schema/ promises; what() starts with the JSON path.
struct RecordError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

namespace json_fields {

using nlohmann::json;

[[noreturn]] void fail(const std::string& path, const std::string& what);
std::string join(const std::string& path, const char* name);  // "a.b"
std::string index(const std::string& path, std::size_t i);    // "a[3]"

const json& field(const json& obj, const char* name, const std::string& path);
std::string get_string(const json& obj, const char* name, const std::string& path);
// required: a missing field is an error; else it reads as nullopt, like null.
std::optional<std::string> get_opt_string(const json& obj, const char* name, const std::string& path,
                                          bool required = true);
std::optional<bool> get_opt_bool(const json& obj, const char* name, const std::string& path, bool required = true);
bool get_bool(const json& obj, const char* name, const std::string& path);
std::int64_t get_int(const json& obj, const char* name, const std::string& path, std::int64_t lo, std::int64_t hi);
double get_time(const json& obj, const char* name, const std::string& path);  // a number >= 0
const json& get_array(const json& obj, const char* name, const std::string& path, std::size_t max_items);
const json& get_object(const json& obj, const char* name, const std::string& path);

// An enum field spelt as EnumNames<E> says; anything else is an error naming the field.
template <typename E, typename Parse>
E get_enum(const json& obj, const char* name, const std::string& path, Parse parse) {
  const std::string text = get_string(obj, name, path);
  const auto value = parse(text);
  if (!value) fail(join(path, name), "unknown value \"" + text.substr(0, 64) + "\"");
  return *value;
}

}  // namespace json_fields
}  // namespace rp
