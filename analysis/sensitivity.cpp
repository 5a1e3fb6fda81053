#include "analysis/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/statistics.hpp"

namespace frontdoor {

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
  for (std::size_t i = 0; i < k; ++i) {
    FactorEffect e;
    e.factor = factors[i].key;
    std::vector<double> absolute;
    for (double v : effects[i]) absolute.push_back(std::abs(v));
    e.mu = mean(effects[i]);
    e.mu_star = mean(absolute);
    e.sigma = effects[i].size() > 1 ? sample_sd(effects[i]) : 0.0;
    out.push_back(e);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const FactorEffect& a, const FactorEffect& b) { return a.mu_star > b.mu_star; });
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
