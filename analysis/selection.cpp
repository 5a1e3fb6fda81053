#include "analysis/selection.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace frontdoor {

double kn_h_squared(int systems, int n0, double alpha) {
  const double eta = 0.5 * (std::pow(2.0 * alpha / (systems - 1), -2.0 / (n0 - 1)) - 1.0);
  return 2.0 * eta * (n0 - 1);
}

Selection kn_select(const std::vector<std::vector<double>>& outputs, int n0, double alpha, double delta,
                    bool maximise) {
  const int k = static_cast<int>(outputs.size());
  if (k < 2) throw std::invalid_argument("ranking and selection needs two systems or more");
  if (n0 < 2) throw std::invalid_argument("the first stage needs at least 2 replications");
  if (!(delta > 0.0)) throw std::invalid_argument("the indifference zone must be above 0");
  if (!(alpha > 0.0 && alpha < 1.0)) throw std::invalid_argument("alpha must be between 0 and 1");
  for (const auto& o : outputs) {
    if (static_cast<int>(o.size()) < n0) throw std::invalid_argument("every system needs the first stage's outputs");
  }
  // Oriented so that more is better.
  auto x = [&](int i, int r) { return maximise ? outputs[i][r] : -outputs[i][r]; };
  const double h2 = kn_h_squared(k, n0, alpha);
  // First stage: the variances of the pairwise differences.
  std::vector<std::vector<double>> s2(k, std::vector<double>(k, 0.0));
  int needed = 0;
  for (int i = 0; i < k; ++i) {
    for (int l = 0; l < k; ++l) {
      if (i == l) continue;
      double m = 0.0;
      for (int r = 0; r < n0; ++r) m += x(i, r) - x(l, r);
      m /= n0;
      double v = 0.0;
      for (int r = 0; r < n0; ++r) v += (x(i, r) - x(l, r) - m) * (x(i, r) - x(l, r) - m);
      s2[i][l] = v / (n0 - 1);
      needed = std::max(needed, static_cast<int>(std::floor(h2 * s2[i][l] / (delta * delta))));
    }
  }
  Selection out;
  out.needed_at_most = std::max(needed, n0);
  out.eliminated_at.assign(k, 0);
  std::vector<double> sum(k, 0.0);
  std::vector<bool> alive(k, true);
  for (int i = 0; i < k; ++i) {
    for (int r = 0; r < n0; ++r) sum[i] += x(i, r);
  }
  for (int r = n0;; ++r) {
    // Screening at r replications.
    std::vector<bool> next = alive;
    for (int i = 0; i < k; ++i) {
      if (!alive[i]) continue;
      for (int l = 0; l < k; ++l) {
        if (l == i || !alive[l]) continue;
        const double w = std::max(0.0, delta / (2.0 * r) * (h2 * s2[i][l] / (delta * delta) - r));
        if (sum[i] / r < sum[l] / r - w) {
          next[i] = false;
          out.eliminated_at[i] = r;
          break;
        }
      }
    }
    alive = next;
    out.replications = r;
    const int left = static_cast<int>(std::count(alive.begin(), alive.end(), true));
    bool more = true;
    for (int i = 0; i < k; ++i) {
      if (alive[i] && static_cast<int>(outputs[i].size()) <= r) more = false;
    }
    if (left == 1 || !more) {
      out.decided = left == 1;
      break;
    }
    for (int i = 0; i < k; ++i) {
      if (alive[i]) sum[i] += x(i, r);
    }
  }
  out.means.resize(k);
  double best = -INFINITY;
  for (int i = 0; i < k; ++i) {
    const int used = out.eliminated_at[i] > 0 ? out.eliminated_at[i] : out.replications;
    out.means[i] = (maximise ? 1.0 : -1.0) * sum[i] / used;
    if (alive[i] && sum[i] / used > best) {
      best = sum[i] / used;
      out.best = i;
    }
  }
  return out;
}

}  // namespace frontdoor
