#include "sim/stop.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace frontdoor {

namespace {

volatile sig_atomic_t received = 0;
constexpr int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

extern "C" void record_stop(int signal_number) {
  if (received == signal_number) {  // asked twice: stop at once
    ::signal(signal_number, SIG_DFL);
    ::raise(signal_number);
    return;
  }
  if (received == 0) received = signal_number;
}

}  // namespace

std::string signal_name(int signal_number) {
  const char* abbreviation = sigabbrev_np(signal_number);
  return abbreviation != nullptr ? std::string("SIG") + abbreviation : "signal " + std::to_string(signal_number);
}

Stopped::Stopped(int signal_number)
    : std::runtime_error("stopped by " + signal_name(signal_number)), signal_number_(signal_number) {}

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = record_stop;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: waitpid returns EINTR
  for (int s : stop_signals) sigaction(s, &action, nullptr);
}

int stop_signal() { return received; }

void throw_if_stopped() {
  if (received != 0) throw Stopped(received);
}

void become_child_of(pid_t parent) {
  for (int s : stop_signals) ::signal(s, SIG_DFL);
  received = 0;
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(137);  // the parent died before the line above
}

}  // namespace frontdoor
