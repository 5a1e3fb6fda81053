#include "models/caseload_clock.hpp"

#include <algorithm>
#include <cmath>

namespace frontdoor {

long CaseloadClock::capacity_of(double caseload_cap, double fte) {
  if (caseload_cap <= 0.0) return std::numeric_limits<long>::max();
  return static_cast<long>(fte * caseload_cap);
}

double CaseloadClock::share_now() const {
  if (curve_ <= 0.0) return demand_ > fte_ ? fte_ / demand_ : 1.0;
  if (demand_ <= 0.0) return 1.0;
  if (fte_ <= 0.0) return 0.0;
  return std::pow(1.0 + std::pow(demand_ / fte_, curve_), -1.0 / curve_);
}

void CaseloadClock::advance(double t) {
  virtual_time_ += pace() * (t - last_update_);
  last_update_ = t;
}

void CaseloadClock::set_staff(double t, double fte, double caseload_cap) {
  advance(t);
  fte_ = fte;
  share_ = share_now();
  capacity_ = capacity_of(caseload_cap, fte);
}

std::uint64_t CaseloadClock::allocate(double remaining, double demand, const Case& item, std::optional<int> placement) {
  const std::uint64_t sequence = next_sequence_++;
  due_.push({virtual_time_ + remaining, sequence, demand, item, placement});
  demand_ += demand;
  share_ = share_now();
  ++live_;
  return sequence;
}

std::optional<AllocatedCase> CaseloadClock::pop_due() {
  while (!due_.empty() && due_.top().due <= virtual_time_ + 1e-9 * std::max(1.0, virtual_time_)) {
    AllocatedCase next = due_.top();
    due_.pop();
    if (!cancelled_.empty() && cancelled_.erase(next.sequence) > 0) continue;  // ended early
    return next;
  }
  return std::nullopt;
}

void CaseloadClock::end(double demand) {
  --live_;
  demand_ = live_ == 0 ? 0.0 : demand_ - demand;
  share_ = share_now();
}

double CaseloadClock::next_due(double t) const {
  if (due_.empty()) return std::numeric_limits<double>::infinity();
  return t + (due_.top().due - virtual_time_) / pace();
}

}  // namespace frontdoor
