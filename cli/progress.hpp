#pragma once
// A one-line progress bar with an ETA on stderr (only when it is a terminal).
#include <chrono>
#include <cstdio>
#include <string>

namespace frontdoor {

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled, std::string what = "replications")
      : enabled_(enabled), what_(std::move(what)), start_(std::chrono::steady_clock::now()) {}
  void update(int done, int total) {
    if (!enabled_) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const int width = 30;
    const int filled = total > 0 ? done * width / total : width;
    const double eta = done > 0 ? elapsed / done * (total - done) : 0.0;
    std::fprintf(stderr, "\r  %s %d/%d [%s%s] %.1fs elapsed, ETA %.1fs ", what_.c_str(), done, total,
                 std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(), elapsed, eta);
    if (done == total) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  std::string what_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace frontdoor
