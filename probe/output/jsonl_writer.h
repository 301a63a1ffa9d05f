// Writes result records as JSONL so that a run killed at any moment leaves only whole lines behind.
#pragma once

#include <functional>
#include <string>

namespace rp {

// For a file, records go to "<path>.partial" (each line one write() and one fdatasync(); a short write
// is cut back so no partial line survives), and finish() renames it to <path>. "-" writes to stdout.
class JsonlWriter {
 public:
  // Throws std::runtime_error with a one-line message if the output cannot be created.
  explicit JsonlWriter(const std::string& path);
  ~JsonlWriter();
  JsonlWriter(const JsonlWriter&) = delete;
  JsonlWriter& operator=(const JsonlWriter&) = delete;

  // Appends one line (a newline is added). Throws std::runtime_error if it could not be written whole.
  void write_line(const std::string& line);

  // Passes every line written so far through `keep`, which may edit it, and drops the lines it rejects;
  // returns how many were dropped. The new file is written beside the old one and renamed over it, so a
  // crash leaves one or the other, never a mix. Lines already sent to stdout cannot be taken back (0).
  std::size_t rewrite(const std::function<bool(std::string&)>& keep);

  // Makes the file visible under its final name. Idempotent.
  void finish();

  const std::string& final_path() const { return path_; }
  const std::string& partial_path() const { return partial_; }
  std::size_t lines() const { return lines_; }

 private:
  std::string path_;
  std::string partial_;
  int fd_ = -1;
  bool to_stdout_ = false;
  bool finished_ = false;
  long long size_ = 0;
  std::size_t lines_ = 0;
};

}  // namespace rp
