// POSIX I/O on purpose: we need to know exactly which bytes reached the disk.
#include "output/jsonl_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace rp {
namespace {

// Writes all of data; returns errno (ENOSPC for a write that made no progress), 0 on success.
int write_all(int fd, const std::string& data) {
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : ENOSPC;
    off += static_cast<std::size_t>(n);
  }
  return 0;
}

}  // namespace

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
  if (const int err = write_all(fd_, data); err != 0) {
    if (!to_stdout_ && ftruncate(fd_, size_) == 0) lseek(fd_, size_, SEEK_SET);  // drop the torn line
    throw std::runtime_error("cannot write results to '" + (to_stdout_ ? std::string("stdout") : partial_) +
                             "': " + std::strerror(err));
  }
  if (!to_stdout_) fdatasync(fd_);
  size_ += static_cast<long long>(data.size());
  ++lines_;
}

std::size_t JsonlWriter::rewrite(const std::function<bool(std::string&)>& keep) {
  if (to_stdout_ || finished_) return 0;
  const std::string fresh = partial_ + ".rewrite";
  std::ifstream in(partial_, std::ios::binary);
  const int out = open(fresh.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (!in || out < 0) {
    if (out >= 0) close(out);
    throw std::runtime_error("cannot rewrite '" + partial_ + "': " + std::strerror(errno));
  }
  std::size_t dropped = 0;
  std::size_t lines = 0;
  long long size = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (!keep(line)) {
      ++dropped;
      continue;
    }
    line += '\n';
    if (const int err = write_all(out, line); err != 0) {
      close(out);
      unlink(fresh.c_str());  // the old file stays as it was
      throw std::runtime_error("cannot rewrite '" + partial_ + "': " + std::strerror(err));
    }
    size += static_cast<long long>(line.size());
    ++lines;
  }
  fsync(out);
  close(out);
  if (std::rename(fresh.c_str(), partial_.c_str()) != 0) {
    unlink(fresh.c_str());
    throw std::runtime_error("cannot rename '" + fresh + "' to '" + partial_ + "': " + std::strerror(errno));
  }
  close(fd_);
  fd_ = open(partial_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) throw std::runtime_error("cannot reopen '" + partial_ + "': " + std::strerror(errno));
  size_ = size;
  lines_ = lines;
  return dropped;
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
