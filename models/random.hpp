#pragma once
// Portable random numbers. Every run owns one RandomStream per purpose (arrivals of each source, screening
// durations, decisions), so two scenarios run with the same seed share their arrivals (common random numbers).
// The generator is xoshiro256** seeded through splitmix64, and every distribution is written here rather than
// taken from <random>, whose distributions give different numbers on different standard libraries.
#include <cstdint>
#include <string_view>

namespace frontdoor {

/// One step of splitmix64: a bijective 64-bit mixer, used to derive seeds.
std::uint64_t splitmix64(std::uint64_t x);

/// The seed of replication `replication` (0-based) of a run whose base seed is `base_seed`:
/// splitmix64(splitmix64(base_seed) ^ (replication + 1) * 0x9E3779B97F4A7C15). Stable across releases.
std::uint64_t replication_seed(std::uint64_t base_seed, std::uint64_t replication);

/// Purposes that own a random stream. Numbers are part of the seed derivation: never renumber, only append.
enum class StreamPurpose : std::uint64_t {
  arrivals_police = 1,
  arrivals_schools = 2,
  arrivals_health = 3,
  arrivals_local_authority = 4,
  arrivals_individuals = 5,
  arrivals_other = 6,
  screening_duration = 20,
  front_door_decision = 21,
  unaccompanied_arrivals = 22,
};

/// A xoshiro256** stream. Same seed and purpose, same numbers, on every platform.
class RandomStream {
 public:
  RandomStream(std::uint64_t run_seed, StreamPurpose purpose);
  /// A stream for a purpose named by a 64-bit code (a hash of a service id, say).
  RandomStream(std::uint64_t run_seed, std::uint64_t purpose_code);
  explicit RandomStream(std::uint64_t seed);

  /// Next raw 64-bit value.
  std::uint64_t next_u64();
  /// Uniform on the open interval (0, 1), 53 bits of resolution.
  double uniform01();
  /// Exponential with the given mean (> 0).
  double exponential(double mean);
  /// Standard normal (Box-Muller; the second value of each pair is kept for the next call).
  double standard_normal();
  /// Lognormal whose underlying normal has parameters mu and sigma (sigma >= 0).
  double lognormal(double mu, double sigma);
  /// Gamma with shape k > 0 and scale theta > 0 (Marsaglia and Tsang 2000, with the k < 1 boost).
  double gamma(double shape, double scale);

 private:
  std::uint64_t state_[4];
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

}  // namespace frontdoor
