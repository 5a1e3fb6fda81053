#include "sim/replication_result.hpp"

#include <cmath>
#include <limits>

namespace frontdoor {

namespace {
nlohmann::json number_or_null(double value) { return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(); }
double number_from(const nlohmann::json& j) {
  return j.is_null() ? std::numeric_limits<double>::quiet_NaN() : j.get<double>();
}
}  // namespace

nlohmann::json to_json(const ReplicationResult& r) {
  nlohmann::json j;
  if (r.run_id) j["run_id"] = *r.run_id;
  j["replication"] = r.replication;
  j["seed"] = r.seed;
  j["simulated_days"] = r.simulated_days;
  j["engine_events"] = r.engine_events;
  j["balance"] = {{"arrived", r.balance.arrived},
                  {"left", r.balance.left},
                  {"waiting", r.balance.waiting},
                  {"in_progress", r.balance.in_progress},
                  {"initial", r.balance.initial}};
  auto& monthly = j["monthly"] = nlohmann::json::array();
  for (const auto& series : r.monthly) {
    nlohmann::json values = nlohmann::json::array();
    for (double v : series.values) values.push_back(number_or_null(v));
    monthly.push_back({{"measure", series.measure}, {"values", values}});
  }
  auto& annual = j["annual"] = nlohmann::json::array();
  for (const auto& a : r.annual) annual.push_back({a.year, a.measure, a.unit, number_or_null(a.value)});
  auto& summary = j["summary"] = nlohmann::json::array();
  for (const auto& s : r.summary) summary.push_back({{"measure", s.measure}, {"value", number_or_null(s.value)}});
  return j;
}

ReplicationResult replication_from_json(const nlohmann::json& j) {
  ReplicationResult r;
  if (j.contains("run_id")) r.run_id = j.at("run_id").get<int>();
  r.replication = j.at("replication").get<int>();
  r.seed = j.at("seed").get<std::uint64_t>();
  r.simulated_days = j.at("simulated_days").get<double>();
  r.engine_events = j.at("engine_events").get<std::uint64_t>();
  const auto& b = j.at("balance");
  r.balance = {b.at("arrived").get<std::uint64_t>(), b.at("left").get<std::uint64_t>(),
               b.at("waiting").get<std::uint64_t>(), b.at("in_progress").get<std::uint64_t>(),
               b.value("initial", std::uint64_t{0})};
  for (const auto& series : j.at("monthly")) {
    MonthlySeries s{series.at("measure").get<std::string>(), {}};
    for (const auto& v : series.at("values")) s.values.push_back(number_from(v));
    r.monthly.push_back(std::move(s));
  }
  for (const auto& a : j.at("annual")) {
    r.annual.push_back(
        {a.at(0).get<int>(), a.at(1).get<std::string>(), a.at(2).get<std::string>(), number_from(a.at(3))});
  }
  for (const auto& s : j.at("summary"))
    r.summary.push_back({s.at("measure").get<std::string>(), number_from(s.at("value"))});
  return r;
}

}  // namespace frontdoor
