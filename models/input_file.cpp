#include "models/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "models/utf8.hpp"

namespace frontdoor {

namespace {

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a pipe (FIFO)";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a file";
}

std::string size_text(std::size_t bytes) {
  return bytes >= (1u << 20) ? std::to_string(bytes >> 20) + " MiB" : std::to_string(bytes) + " bytes";
}

}  // namespace

std::string read_input_file(const std::string& path, const std::string& what, std::size_t limit) {
  auto fail = [&](const std::string& why) { return InputFileError(path + ": cannot read the " + what + ": " + why); };
  if (const auto at = first_invalid_utf8(path))
    throw fail("its name is not valid UTF-8 (" + describe_invalid_utf8(path, *at) + ")");
  // O_NONBLOCK: opening a FIFO with no writer must not wait; it is refused below as not a regular file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw InputFileError(path + ": cannot open the " + what + " (" + std::strerror(errno) + ")");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) throw fail(std::strerror(errno));
  if (!S_ISREG(info.st_mode)) throw fail(std::string("it is ") + kind_of(info.st_mode) + ", not a regular file");
  if (static_cast<std::size_t>(info.st_size) > limit) throw fail("it is larger than " + size_text(limit));
  std::string text;
  text.reserve(static_cast<std::size_t>(info.st_size));
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw fail(std::strerror(errno));
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > limit) throw fail("it is larger than " + size_text(limit));  // it grew while being read
  }
  return text;
}

}  // namespace frontdoor
