#include "models/scenario.hpp"

#include <algorithm>

namespace frontdoor {

std::vector<double> Scenario::rate_change_days(const SimCalendar& calendar) const {
  std::vector<double> days;
  for (const auto& change : changes) days.push_back(change.from_day);
  for (int m = 1; m < calendar.month_count(); ++m) {
    const double day = calendar.month_start(m);
    if (at(day).need.notice_fading()) days.push_back(day);
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

const char* source_name(SourceKind kind) {
  switch (kind) {
    case SourceKind::police:
      return "police";
    case SourceKind::schools:
      return "schools";
    case SourceKind::health:
      return "health";
    case SourceKind::local_authority:
      return "local_authority";
    case SourceKind::individuals:
      return "individuals";
    case SourceKind::other:
      return "other";
  }
  return "?";
}

bool source_from_name(const std::string& name, SourceKind& out) {
  for (SourceKind kind : all_sources) {
    if (name == source_name(kind)) {
      out = kind;
      return true;
    }
  }
  return false;
}

StreamPurpose arrival_stream(SourceKind kind) {
  return static_cast<StreamPurpose>(static_cast<std::uint64_t>(StreamPurpose::arrivals_police) +
                                    static_cast<std::uint64_t>(kind));
}

std::uint64_t fnv1a64(const std::string& bytes, std::uint64_t hash) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace frontdoor
