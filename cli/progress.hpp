#pragma once
// Progress on stderr: a one-line bar with an ETA when stderr is a terminal, and a line every 5% when it is not (a
// run piped through `tee`, a batch log), so that a long job is never silent.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace frontdoor {

class ProgressBar {
 public:
  /// `show`: progress wanted (not --quiet); the form follows whether stderr is a terminal. `command` names the
  /// lines' source ("frontdoor run").
  ProgressBar(bool show, std::string what = "replications", std::string command = "frontdoor")
      : ProgressBar(show, isatty(STDERR_FILENO) != 0, std::move(what), std::move(command)) {}
  ProgressBar(bool show, bool terminal, std::string what, std::string command)
      : bar_(show && terminal),
        lines_(show && !terminal),
        what_(std::move(what)),
        command_(std::move(command)),
        start_(std::chrono::steady_clock::now()) {}

  void update(int done, int total) {
    if (!bar_ && !lines_) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double eta = done > 0 ? elapsed / done * (total - done) : 0.0;
    if (lines_) {
      // A line each time another 5% is done, and at the end.
      const int twentieths = total > 0 ? done * 20 / total : 20;
      if (twentieths <= printed_ && done != total) return;
      printed_ = twentieths;
      std::fprintf(stderr, "%s: %d/%d %s (%d%%), %.0fs elapsed, ETA %.0fs\n", command_.c_str(), done, total,
                   what_.c_str(), total > 0 ? done * 100 / total : 100, elapsed, eta);
      std::fflush(stderr);
      return;
    }
    const int width = 30;
    const int filled = total > 0 ? done * width / total : width;
    std::fprintf(stderr, "\r  %s %d/%d [%s%s] %.1fs elapsed, ETA %.1fs ", what_.c_str(), done, total,
                 std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(), elapsed, eta);
    if (done == total) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  bool bar_;
  bool lines_;
  std::string what_;
  std::string command_;
  std::chrono::steady_clock::time_point start_;
  int printed_ = 0;
};

}  // namespace frontdoor
