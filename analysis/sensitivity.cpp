#include "analysis/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/statistics.hpp"
#include "models/random.hpp"
#include "models/scenario.hpp"  // fnv1a64

namespace frontdoor {

namespace {

// A uniform index in [0, n).
std::size_t draw_index(RandomStream& rng, std::size_t n) {
  return std::min(n - 1, static_cast<std::size_t>(rng.uniform01() * static_cast<double>(n)));
}

}  // namespace

std::vector<FactorEffect> morris_effects(const std::vector<SweepFactor>& factors,
                                         const std::vector<std::vector<double>>& points, const std::vector<double>& y) {
  const std::size_t k = factors.size();
  if (points.size() != y.size() || points.size() % (k + 1) != 0) {
    throw std::invalid_argument("a Morris design has trajectories of k + 1 points, with an output for each");
  }
  std::vector<std::vector<double>> effects(k);
  for (std::size_t start = 0; start < points.size(); start += k + 1) {
    for (std::size_t s = start + 1; s <= start + k; ++s) {
      for (std::size_t i = 0; i < k; ++i) {
        const double range = factors[i].hi - factors[i].lo;
        const double step = points[s][i] - points[s - 1][i];
        if (step != 0.0 && range > 0.0) effects[i].push_back((y[s] - y[s - 1]) / (step / range));
      }
    }
  }
  std::vector<FactorEffect> out;
  RandomStream rng(1, fnv1a64("sensitivity:morris"));
  for (std::size_t i = 0; i < k; ++i) {
    FactorEffect e;
    e.factor = factors[i].key;
    std::vector<double> absolute;
    for (double v : effects[i]) absolute.push_back(std::abs(v));
    e.mu = mean(effects[i]);
    e.mu_star = mean(absolute);
    e.sigma = effects[i].size() > 1 ? sample_sd(effects[i]) : 0.0;
    // mu*'s interval: the trajectories' effects resampled with replacement.
    std::vector<double> means;
    for (int b = 0; b < sensitivity_bootstrap && !absolute.empty(); ++b) {
      double sum = 0.0;
      for (std::size_t r = 0; r < absolute.size(); ++r) sum += absolute[draw_index(rng, absolute.size())];
      means.push_back(sum / static_cast<double>(absolute.size()));
    }
    e.mu_star_low = means.empty() ? e.mu_star : quantile(means, 0.025);
    e.mu_star_high = means.empty() ? e.mu_star : quantile(means, 0.975);
    out.push_back(e);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const FactorEffect& a, const FactorEffect& b) { return a.mu_star > b.mu_star; });
  return out;
}

namespace {

// First-order and total Sobol indices of every factor over the blocks `which` (indices into the design's blocks).
void sobol_of(std::size_t k, const std::vector<double>& y, const std::vector<std::size_t>& which,
              std::vector<double>& s1, std::vector<double>& st) {
  const std::size_t block = k + 2;
  std::vector<double> ab;  // every f(A) and f(B): the output's variance
  for (std::size_t j : which) {
    ab.push_back(y[j * block]);
    ab.push_back(y[j * block + 1]);
  }
  const double sd = sample_sd(ab);
  const double variance = sd * sd;
  s1.assign(k, 0.0);
  st.assign(k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    double first = 0.0, total = 0.0;
    for (std::size_t j : which) {
      const double fa = y[j * block], fb = y[j * block + 1], fab = y[j * block + 2 + i];
      first += fb * (fab - fa);
      total += (fa - fab) * (fa - fab);
    }
    const double n = static_cast<double>(which.size());
    s1[i] = variance > 0.0 ? first / n / variance : 0.0;
    st[i] = variance > 0.0 ? total / (2.0 * n) / variance : 0.0;
  }
}

}  // namespace

std::vector<FactorEffect> sobol_indices(const std::vector<SweepFactor>& factors, const std::vector<double>& y) {
  const std::size_t k = factors.size();
  if (k == 0 || y.size() % (k + 2) != 0 || y.size() / (k + 2) < 2) {
    throw std::invalid_argument(
        "a Saltelli design has blocks of k + 2 points (A, B and one AB per factor), at "
        "least two, with an output for each");
  }
  const std::size_t n = y.size() / (k + 2);
  std::vector<std::size_t> all(n);
  for (std::size_t j = 0; j < n; ++j) all[j] = j;
  std::vector<double> s1, st;
  sobol_of(k, y, all, s1, st);
  std::vector<std::vector<double>> boot_s1(k), boot_st(k);
  RandomStream rng(1, fnv1a64("sensitivity:sobol"));
  std::vector<std::size_t> resample(n);
  std::vector<double> b1, bt;
  for (int b = 0; b < sensitivity_bootstrap; ++b) {
    for (std::size_t j = 0; j < n; ++j) resample[j] = draw_index(rng, n);
    sobol_of(k, y, resample, b1, bt);
    for (std::size_t i = 0; i < k; ++i) {
      boot_s1[i].push_back(b1[i]);
      boot_st[i].push_back(bt[i]);
    }
  }
  std::vector<FactorEffect> out;
  for (std::size_t i = 0; i < k; ++i) {
    FactorEffect e;
    e.factor = factors[i].key;
    e.s1 = s1[i];
    e.st = st[i];
    e.s1_low = quantile(boot_s1[i], 0.025);
    e.s1_high = quantile(boot_s1[i], 0.975);
    e.st_low = quantile(boot_st[i], 0.025);
    e.st_high = quantile(boot_st[i], 0.975);
    out.push_back(e);
  }
  std::stable_sort(out.begin(), out.end(), [](const FactorEffect& a, const FactorEffect& b) { return a.st > b.st; });
  return out;
}

std::vector<FactorEffect> standardised_regression(const std::vector<SweepFactor>& factors,
                                                  const std::vector<std::vector<double>>& points,
                                                  const std::vector<double>& y, double& r_squared) {
  const std::size_t k = factors.size(), n = y.size();
  if (points.size() != n || n < k + 2)
    throw std::invalid_argument("a regression needs more runs than factors plus one");
  // Standardise every column; a factor that never varies gets no coefficient.
  std::vector<double> mx(k), sx(k);
  for (std::size_t i = 0; i < k; ++i) {
    std::vector<double> col;
    for (const auto& p : points) col.push_back(p[i]);
    mx[i] = mean(col);
    sx[i] = sample_sd(col);
  }
  const double my = mean(y), sy = sample_sd(y);
  // Normal equations (Z'Z) b = Z'y on the standardised variables, solved by Gaussian elimination with pivoting.
  std::vector<std::vector<double>> a(k, std::vector<double>(k + 1, 0.0));
  for (std::size_t r = 0; r < n; ++r) {
    std::vector<double> z(k);
    for (std::size_t i = 0; i < k; ++i) z[i] = sx[i] > 0 ? (points[r][i] - mx[i]) / sx[i] : 0.0;
    const double zy = sy > 0 ? (y[r] - my) / sy : 0.0;
    for (std::size_t i = 0; i < k; ++i) {
      for (std::size_t j = 0; j < k; ++j) a[i][j] += z[i] * z[j];
      a[i][k] += z[i] * zy;
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    if (sx[i] == 0) a[i][i] = 1.0;  // b_i = 0
  }
  for (std::size_t c = 0; c < k; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < k; ++r) {
      if (std::abs(a[r][c]) > std::abs(a[pivot][c])) pivot = r;
    }
    std::swap(a[c], a[pivot]);
    if (std::abs(a[c][c]) < 1e-12) throw std::invalid_argument("the factors are collinear in this design");
    for (std::size_t r = 0; r < k; ++r) {
      if (r == c) continue;
      const double f = a[r][c] / a[c][c];
      for (std::size_t j = c; j <= k; ++j) a[r][j] -= f * a[c][j];
    }
  }
  std::vector<FactorEffect> out;
  std::vector<double> b(k);
  for (std::size_t i = 0; i < k; ++i) b[i] = a[i][k] / a[i][i];
  for (std::size_t i = 0; i < k; ++i) {
    FactorEffect e;
    e.factor = factors[i].key;
    e.src = b[i];
    out.push_back(e);
  }
  // R^2 = 1 - SSE / SST on the standardised scale.
  double sse = 0.0, sst = 0.0;
  for (std::size_t r = 0; r < n; ++r) {
    const double zy = sy > 0 ? (y[r] - my) / sy : 0.0;
    double fit = 0.0;
    for (std::size_t i = 0; i < k; ++i) fit += b[i] * (sx[i] > 0 ? (points[r][i] - mx[i]) / sx[i] : 0.0);
    sse += (zy - fit) * (zy - fit);
    sst += zy * zy;
  }
  r_squared = sst > 0 ? 1.0 - sse / sst : 0.0;
  std::stable_sort(out.begin(), out.end(),
                   [](const FactorEffect& x, const FactorEffect& z) { return std::abs(x.src) > std::abs(z.src); });
  return out;
}

}  // namespace frontdoor
