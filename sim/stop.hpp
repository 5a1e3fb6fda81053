#pragma once
// Stopping cleanly. Ctrl-C (SIGINT), SIGTERM and SIGHUP do not kill a frontdoor command outright: they are
// recorded, the command stops its child processes and unwinds (removing its staging directory and temporary
// files), and exits with 128 + the signal's number. A second signal of the same kind ends it at once. Child
// processes die with their parent even when the parent is killed with SIGKILL (PR_SET_PDEATHSIG).
#include <sys/types.h>

#include <stdexcept>

namespace frontdoor {

/// Thrown where a command notices a stop signal; unwinding cleans up.
class Stopped : public std::runtime_error {
 public:
  explicit Stopped(int signal_number);
  int signal_number() const { return signal_number_; }
  /// The exit code that reports it: 128 + the signal's number (130 for Ctrl-C, 143 for SIGTERM).
  int exit_code() const { return 128 + signal_number_; }

 private:
  int signal_number_;
};

/// Installs the recording handlers for SIGINT, SIGTERM and SIGHUP in this process (no SA_RESTART, so a blocking
/// wait returns EINTR and notices).
void install_stop_handlers();

/// The signal that asked this process to stop, or 0.
int stop_signal();

/// Throws Stopped if a stop signal came.
void throw_if_stopped();

/// First thing in a child process just forked from `parent`: the default signal handlers back, and death by
/// SIGKILL when the parent dies. Ends the child at once if the parent is already gone.
void become_child_of(pid_t parent);

}  // namespace frontdoor
