#pragma once
// Reading the files a user names (scenarios, targets, grids, a run's outputs) safely: only regular files, and only
// up to a size, so that a FIFO, a device such as /dev/zero or a directory named by mistake is a clear error at once
// rather than a hang, an endless read or "an empty file".
#include <cstddef>
#include <stdexcept>
#include <string>

namespace frontdoor {

/// The largest table a user names (calibration targets, a grid of design points) that is read.
constexpr std::size_t largest_input_table = std::size_t{64} << 20;

/// A named file could not be read; what() is "PATH: cannot open the WHAT (reason)" or "PATH: cannot read the WHAT:
/// reason".
class InputFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The whole of `path` (`what` names it in messages: "scenario file", "targets file"), which must be a regular
/// file of at most `limit` bytes. Throws InputFileError.
std::string read_input_file(const std::string& path, const std::string& what, std::size_t limit);

}  // namespace frontdoor
