#include "cli/chart_data.hpp"

#include <cmath>

#include "common/statistics.hpp"
#include "models/measures.hpp"

namespace frontdoor {

using nlohmann::json;

json json_number(double value) { return std::isfinite(value) ? json(value) : json(); }

json monthly_band(const std::map<int, std::map<int, double>>& months, int first_month, int count) {
  json mean = json::array(), low = json::array(), high = json::array();
  for (int m = first_month; m < first_month + count; ++m) {
    std::vector<double> values;
    auto it = months.find(m);
    if (it != months.end()) {
      for (const auto& [r, v] : it->second) values.push_back(v);
    }
    const MeanInterval ci = mean_ci95(values);
    mean.push_back(json_number(values.empty() ? std::nan("") : ci.mean));
    low.push_back(json_number(ci.low));
    high.push_back(json_number(ci.high));
  }
  return {{"mean", mean}, {"low", low}, {"high", high}};
}

std::vector<std::string> month_labels(const std::string& start_date, int count) {
  int year = std::stoi(start_date.substr(0, 4)), month = std::stoi(start_date.substr(5, 2));
  std::vector<std::string> labels;
  static const char* names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int i = 0; i < count; ++i) {
    labels.push_back(std::string(names[month - 1]) + " " + std::to_string(year));
    if (++month > 12) {
      month = 1;
      ++year;
    }
  }
  return labels;
}

json pathway_flows(const Pathway& pathway, const std::map<std::string, double>& summary_means) {
  std::vector<int> depth(pathway.services().size(), -1);
  std::vector<int> queue{pathway.entry()};
  depth[pathway.entry()] = 0;
  for (std::size_t i = 0; i < queue.size(); ++i) {
    for (int r : pathway.routes_from(queue[i])) {
      const int to = pathway.find(pathway.routes()[r].to);
      if (depth[to] < 0) {
        depth[to] = depth[queue[i]] + 1;
        queue.push_back(to);
      }
    }
  }
  std::map<std::pair<std::string, std::string>, double> forward, back;
  for (const auto& route : pathway.routes()) {
    auto it = summary_means.find(measure_name::flow_per_year(route.id));
    if (it == summary_means.end() || !(it->second > 0.0)) continue;
    const bool ahead = depth[pathway.find(route.to)] > depth[pathway.find(route.from)];
    (ahead ? forward : back)[{route.from, route.to}] += it->second;
  }
  json out{{"flows", json::array()}, {"returns", json::array()}};
  for (const auto& [ends, value] : forward)
    out["flows"].push_back({{"source", ends.first}, {"target", ends.second}, {"value", value}});
  for (const auto& [ends, value] : back)
    out["returns"].push_back({{"source", ends.first}, {"target", ends.second}, {"value", value}});
  return out;
}

}  // namespace frontdoor
