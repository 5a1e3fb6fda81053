#include "models/scenario.hpp"

#include <algorithm>

namespace frontdoor {

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

StreamPurpose arrival_stream(SourceKind kind) {
  return static_cast<StreamPurpose>(static_cast<std::uint64_t>(StreamPurpose::arrivals_police) +
                                    static_cast<std::uint64_t>(kind));
}

const char* decision_name(Decision decision) {
  switch (decision) {
    case Decision::no_further_action:
      return "no_further_action";
    case Decision::early_help:
      return "early_help";
    case Decision::referral:
      return "referral";
  }
  return "?";
}

int FrontDoorSpec::screeners_at(double day) const {
  int on_duty = screeners;
  for (const auto& change : schedule) {
    if (change.from_day > day) break;
    on_duty = change.screeners;
  }
  return on_duty;
}

int FrontDoorSpec::max_screeners() const {
  int most = screeners;
  for (const auto& change : schedule) most = std::max(most, change.screeners);
  return most;
}

std::uint64_t fnv1a64(const std::string& bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace frontdoor
