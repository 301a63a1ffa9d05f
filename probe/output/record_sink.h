// The one way a record leaves the probe: scrubbed of this machine's addresses, withheld when that cannot be
// done, written as a whole line, and scrubbed again when an address the record may name is learned late.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "output/jsonl_writer.h"
#include "output/privacy_scrubber.h"

namespace rp {

class RecordSink {
 public:
  enum class Outcome {
    written,
    withheld,     // it still named this machine after scrubbing, so it was not written
    not_written,  // the output failed (for this record or an earlier one): nothing more can be kept
  };

  // `scrubber` knows this machine's addresses so far (its interfaces', those the volunteer named).
  RecordSink(PrivacyScrubber scrubber, std::unique_ptr<JsonlWriter> writer);

  // True if `address`, in any spelling, is this machine's as far as the run knows yet. Not a redirect
  // the probe should follow.
  bool is_own_address(const std::string& address) const;

  // Learns `revealed` (the public addresses this record shows to be ours, see own_addresses.h) first,
  // so the record that reveals an address never carries it, then scrubs the record and writes it.
  Outcome write(const nlohmann::ordered_json& record, const std::vector<std::string>& revealed);

  // Scrubs the lines written before an address was learned once more (a file only: what went to
  // stdout cannot be taken back), dropping those that still name us, then gives the file its final name.
  // A failure is kept in error(), not thrown: the summary still has to be told.
  void finish();

  // Some record went out before an address it might name was known: finish() rescrubs a file, but
  // records already on stdout stay as they were.
  bool learned_after_writing() const { return learned_after_writing_; }
  // Records not written, or dropped by the rescrub, because they still named this machine.
  std::size_t withheld() const { return withheld_; }
  // The first output failure, "" if none.
  const std::string& error() const { return error_; }
  const JsonlWriter& writer() const { return *writer_; }

 private:
  PrivacyScrubber scrubber_;
  std::unique_ptr<JsonlWriter> writer_;
  bool learned_after_writing_ = false;
  std::size_t withheld_ = 0;
  std::string error_;
};

}  // namespace rp
