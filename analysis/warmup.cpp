#include "analysis/warmup.hpp"

#include <algorithm>
#include <map>

namespace frontdoor {

int mser_truncation(const std::vector<double>& series, int batch) {
  batch = std::max(batch, 1);
  const std::size_t n = series.size() / static_cast<std::size_t>(batch);
  if (n < 4) return -1;
  std::vector<double> b(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (int j = 0; j < batch; ++j) b[i] += series[i * batch + j];
    b[i] /= batch;
  }
  // Sums from the end, so each truncation's mean and squares cost O(1).
  std::vector<double> sum(n + 1, 0.0), squares(n + 1, 0.0);
  for (std::size_t i = n; i-- > 0;) {
    sum[i] = sum[i + 1] + b[i];
    squares[i] = squares[i + 1] + b[i] * b[i];
  }
  std::size_t best = 0;
  double best_value = 0.0;
  for (std::size_t d = 0; d <= n / 2; ++d) {
    const double left = static_cast<double>(n - d);
    const double mean = sum[d] / left;
    const double spread = std::max(squares[d] - left * mean * mean, 0.0);  // sum of (b - mean)^2
    const double value = spread / (left * left);
    if (d == 0 || value < best_value) {
      best = d;
      best_value = value;
    }
  }
  return static_cast<int>(best) * batch;
}

std::vector<WarmupFinding> warmup_check(const std::vector<ReplicationResult>& replications) {
  std::map<std::string, std::vector<double>> means;  // measure -> the mean series over replications
  std::map<std::string, int> counts;
  const std::string suffix = "_open_mean";
  for (const ReplicationResult& r : replications) {
    for (const MonthlySeries& s : r.monthly) {
      if (s.measure.size() <= suffix.size() ||
          s.measure.compare(s.measure.size() - suffix.size(), suffix.size(), suffix) != 0) {
        continue;
      }
      std::vector<double>& m = means[s.measure];
      if (m.size() < s.values.size()) m.resize(s.values.size(), 0.0);
      for (std::size_t i = 0; i < s.values.size(); ++i) m[i] += s.values[i];
      ++counts[s.measure];
    }
  }
  std::vector<WarmupFinding> found;
  for (auto& [measure, values] : means) {
    if (values.size() < 20) continue;
    for (double& v : values) v /= counts[measure];
    const int months = mser_truncation(values, 5);
    const int limit = static_cast<int>(values.size() / 5 / 2) * 5;
    if (months >= 0) found.push_back({measure.substr(0, measure.size() - suffix.size()), months, months >= limit});
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const WarmupFinding& a, const WarmupFinding& b) { return a.months > b.months; });
  return found;
}

}  // namespace frontdoor
