// POSIX I/O on purpose: we need to know exactly which bytes reached the disk.
#include "output/jsonl_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace rp {

JsonlWriter::JsonlWriter(const std::string& path) : path_(path) {
  if (path == "-") {
    to_stdout_ = true;
    fd_ = STDOUT_FILENO;
    return;
  }
  partial_ = path + ".partial";
  fd_ = open(partial_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error("cannot write results to '" + path + "': " + std::strerror(errno));
}

JsonlWriter::~JsonlWriter() {
  if (!to_stdout_ && fd_ >= 0) close(fd_);
}

void JsonlWriter::write_line(const std::string& line) {
  const std::string data = line + "\n";
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = write(fd_, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      if (!to_stdout_ && ftruncate(fd_, size_) == 0) lseek(fd_, size_, SEEK_SET);  // drop the torn line
      throw std::runtime_error("cannot write results to '" + (to_stdout_ ? std::string("stdout") : partial_) +
                               "': " + std::strerror(n < 0 ? err : ENOSPC));
    }
    off += static_cast<std::size_t>(n);
  }
  if (!to_stdout_) fdatasync(fd_);
  size_ += static_cast<long long>(data.size());
  ++lines_;
}

void JsonlWriter::finish() {
  if (finished_ || to_stdout_) return;
  finished_ = true;
  fsync(fd_);
  close(fd_);
  fd_ = -1;
  if (std::rename(partial_.c_str(), path_.c_str()) != 0) {
    throw std::runtime_error("cannot rename '" + partial_ + "' to '" + path_ + "': " + std::strerror(errno));
  }
}

}  // namespace rp
