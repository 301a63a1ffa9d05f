// Scrubbing works on the serialised line, never on fields: nothing a record holds can be forgotten, and
// the line checked is exactly the line written.
#include "output/record_sink.h"

#include <exception>
#include <utility>

namespace rp {

RecordSink::RecordSink(PrivacyScrubber scrubber, std::unique_ptr<JsonlWriter> writer)
    : scrubber_(std::move(scrubber)), writer_(std::move(writer)) {}

bool RecordSink::is_own_address(const std::string& address) const { return scrubber_.knows(address); }

RecordSink::Outcome RecordSink::write(const nlohmann::ordered_json& record, const std::vector<std::string>& revealed) {
  if (!error_.empty()) return Outcome::not_written;
  for (const auto& a : revealed) {
    if (scrubber_.add(a) && writer_->lines() > 0) learned_after_writing_ = true;
  }
  // Invalid UTF-8 from the network is replaced, not fatal: the record is still evidence.
  std::string line = record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  if (!scrubber_.scrub(line)) {
    ++withheld_;
    return Outcome::withheld;
  }
  try {
    writer_->write_line(line);
  } catch (const std::exception& e) {
    error_ = e.what();
    return Outcome::not_written;
  }
  return Outcome::written;
}

void RecordSink::finish() {
  try {
    if (learned_after_writing_) {
      withheld_ += writer_->rewrite([this](std::string& line) { return scrubber_.scrub(line); });
    }
    writer_->finish();
  } catch (const std::exception& e) {
    if (error_.empty()) error_ = e.what();
  }
}

}  // namespace rp
