#include "analysis/sweep_design.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "models/random.hpp"
#include "models/scenario.hpp"

namespace frontdoor {

namespace {

double number_in(const std::string& text, const std::string& whole) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  throw std::invalid_argument("--vary " + whole + ": \"" + text + "\" is not a number");
}

// A uniformly random permutation of 0..n-1 (Fisher-Yates).
std::vector<int> permutation(int n, RandomStream& rng) {
  std::vector<int> p(n);
  std::iota(p.begin(), p.end(), 0);
  for (int i = n - 1; i > 0; --i) {
    const int j = static_cast<int>(rng.uniform01() * (i + 1));
    std::swap(p[i], p[std::min(j, i)]);
  }
  return p;
}

int morris_levels(const std::vector<SweepFactor>& factors) {
  int p = 4;
  for (const auto& f : factors) p = std::max(p, f.levels);
  return p;
}

}  // namespace

SweepFactor parse_sweep_factor(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) throw std::invalid_argument("--vary " + text + ": expected key=lo:hi:n");
  SweepFactor f;
  f.key = text.substr(0, eq);
  const std::string range = text.substr(eq + 1);
  const auto a = range.find(':');
  const auto b = a == std::string::npos ? std::string::npos : range.find(':', a + 1);
  if (b == std::string::npos)
    throw std::invalid_argument("--vary " + text +
                                ": expected key=lo:hi:n, for example service.front_door.team.fte=16:24:5");
  f.lo = number_in(range.substr(0, a), text);
  f.hi = number_in(range.substr(a + 1, b - a - 1), text);
  const double n = number_in(range.substr(b + 1), text);
  if (n < 1 || n > 1000 || n != std::floor(n))
    throw std::invalid_argument("--vary " + text + ": n must be a whole number from 1 to 1000");
  f.levels = static_cast<int>(n);
  if (f.hi < f.lo) throw std::invalid_argument("--vary " + text + ": hi is below lo");
  if (f.levels == 1 && f.hi != f.lo) throw std::invalid_argument("--vary " + text + ": one level needs lo = hi");
  return f;
}

std::vector<std::vector<double>> grid_design(const std::vector<SweepFactor>& factors) {
  std::vector<std::vector<double>> points{{}};
  for (const auto& f : factors) {
    std::vector<std::vector<double>> next;
    for (const auto& p : points) {
      for (int i = 0; i < f.levels; ++i) {
        auto q = p;
        q.push_back(f.levels == 1 ? f.lo : f.lo + (f.hi - f.lo) * i / (f.levels - 1));
        next.push_back(q);
      }
    }
    points = std::move(next);
  }
  return points;
}

std::vector<std::vector<double>> lhs_design(const std::vector<SweepFactor>& factors, int points,
                                            std::uint64_t design_seed) {
  RandomStream rng(design_seed, fnv1a64("sweep:lhs"));
  std::vector<std::vector<double>> design(points, std::vector<double>(factors.size()));
  for (std::size_t k = 0; k < factors.size(); ++k) {
    const std::vector<int> strata = permutation(points, rng);
    for (int i = 0; i < points; ++i) {
      const double u = (strata[i] + rng.uniform01()) / points;
      design[i][k] = factors[k].lo + (factors[k].hi - factors[k].lo) * u;
    }
  }
  return design;
}

double morris_delta(const std::vector<SweepFactor>& factors) {
  const int p = morris_levels(factors);
  return p / (2.0 * (p - 1));
}

std::vector<std::vector<double>> morris_design(const std::vector<SweepFactor>& factors, int trajectories,
                                               std::uint64_t design_seed) {
  RandomStream rng(design_seed, fnv1a64("sweep:morris"));
  const int p = morris_levels(factors);
  const double delta = morris_delta(factors);
  const int k = static_cast<int>(factors.size());
  // Start levels: 0, 1/(p-1), ..., up to 1 - delta, so that a step of +delta stays inside [0, 1].
  const int starts = static_cast<int>(std::floor((1.0 - delta) * (p - 1) + 1e-9)) + 1;
  std::vector<std::vector<double>> design;
  for (int t = 0; t < trajectories; ++t) {
    std::vector<double> x(k);
    for (int i = 0; i < k; ++i) x[i] = std::floor(rng.uniform01() * starts) / (p - 1);
    auto scaled = [&](const std::vector<double>& unit) {
      std::vector<double> v(k);
      for (int i = 0; i < k; ++i) v[i] = factors[i].lo + (factors[i].hi - factors[i].lo) * unit[i];
      return v;
    };
    design.push_back(scaled(x));
    for (int i : permutation(k, rng)) {
      x[i] += delta;
      design.push_back(scaled(x));
    }
  }
  return design;
}

std::vector<std::vector<double>> saltelli_design(const std::vector<SweepFactor>& factors, int base,
                                                 std::uint64_t design_seed) {
  // A and B from two independent hypercubes (their own streams of the design seed).
  const std::vector<std::vector<double>> a = lhs_design(factors, base, design_seed);
  const std::vector<std::vector<double>> b = lhs_design(factors, base, splitmix64(design_seed ^ fnv1a64("sobol:B")));
  std::vector<std::vector<double>> design;
  for (int j = 0; j < base; ++j) {
    design.push_back(a[j]);
    design.push_back(b[j]);
    for (std::size_t i = 0; i < factors.size(); ++i) {
      std::vector<double> ab = a[j];
      ab[i] = b[j][i];
      design.push_back(ab);
    }
  }
  return design;
}

std::uint64_t sweep_run_seed(std::uint64_t seed, int replication) {
  return replication_seed(seed, static_cast<std::uint64_t>(replication));
}

}  // namespace frontdoor
