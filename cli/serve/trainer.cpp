#include "cli/serve/trainer.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>

#include "analysis/calibration.hpp"
#include "analysis/compare.hpp"
#include "build_info.hpp"
#include "cli/chart_data.hpp"
#include "common/statistics.hpp"
#include "models/measures.hpp"
#include "models/scenario_loader.hpp"
#include "sim/output_files.hpp"

namespace frontdoor {

using nlohmann::json;

namespace {

// The yearly measures the page shows, in this order, with their names for a room of practitioners.
const std::vector<std::pair<std::string, std::string>> shown_measures{
    {"referrals", "Referrals to social care"},
    {"repeat_contacts_within_12m_share", "Children contacted again within 12 months"},
    {"rereferrals_within_12m_share", "Re-referrals within 12 months"},
    {"harm_events_after_nfa_or_closure_12m", "Harm within 12 months of no further action or closure"},
    {"harm_events", "Harm to children, all told"},
    {"section47", "Section 47 enquiries"},
    {"looked_after_starts", "Children entering care"},
    {"caseload_per_sw_fte", "Cases per case-holding social worker"},
    {"unallocated_cases", "Cases waiting for a worker (31 March)"},
    {"front_door_wait_days", "Days a contact waits at the front door"},
    {"assessment_wait_days", "Days a referral waits for an assessment"},
    {"early_help_assessments", "Families starting early help"},
    {"total_cost_gbp", "Total cost a year"}};

std::string show(double v) {
  std::ostringstream out;
  out.precision(6);
  out << v;
  return out.str();
}

std::string toml_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

AnnualTable annual_table_of(const std::vector<ReplicationResult>& results) {
  AnnualTable table;
  for (const auto& r : results) {
    for (const auto& a : r.annual) table.values[{a.measure, a.unit}][a.year][r.replication + 1] = a.value;
  }
  return table;
}

std::string start_date_text(const std::chrono::year_month_day& date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()));
  return text;
}

// A JSON library error without its "[json.exception.parse_error.101] " tag, which means nothing to a trainer.
std::string json_message(const json::exception& e) {
  const std::string text = e.what();
  const auto tag_end = text.rfind("] ", text.find(' '));
  return text.rfind("[json.exception.", 0) == 0 && tag_end != std::string::npos ? text.substr(tag_end + 2) : text;
}

const MonthlySeries* series(const ReplicationResult& r, const std::string& measure) {
  for (const auto& s : r.monthly) {
    if (s.measure == measure) return &s;
  }
  return nullptr;
}

}  // namespace

Trainer::Trainer(std::string scenario_path, const std::string& levers_path)
    : path_(std::move(scenario_path)), scenario_(load_scenario(path_)), base_text_(flatten_scenario(path_, {})) {
  if (!scenario_.need.enabled) {
    throw ScenarioError({path_ + ": the trainer needs a scenario with children and latent need ([need]), such as "
                                 "scenarios/england_baseline.toml"});
  }
  warmup_years_ = first_year_after_warmup(scenario_.simulation.warmup_days) - 1;
  // The levers are data (scenarios/trainer/levers.toml), their keys checked against the parameter schema; their
  // starting values are the scenario's own.
  specs_ = read_levers(levers_path);
  resolve_levers(specs_, scenario_, base_text_, warmup_years_);
  for (LeverSpec& spec : specs_) {
    const std::string placeholder = "{warmup}";
    if (const auto at = spec.lever.help.find(placeholder); at != std::string::npos) {
      spec.lever.help.replace(at, placeholder.size(), std::to_string(warmup_years_));
    }
    levers_.push_back(spec.lever);
    // The caseload chart follows the teams whose posts the workforce lever scales (service.<team>.team.fte).
    for (const std::string& key : spec.lever.id == "social_worker_posts_pct" ? spec.sets : std::vector<std::string>{}) {
      social_work_teams_.push_back(key.substr(8, key.find('.', 8) - 8));
    }
  }
}

const Lever* Trainer::find(const std::string& id) const {
  for (const auto& l : levers_) {
    if (l.id == id) return &l;
  }
  return nullptr;
}

TrainerSettings Trainer::defaults() const {
  TrainerSettings settings;
  for (const auto& l : levers_) settings[l.id] = l.value;
  return settings;
}

TrainerSettings Trainer::parse(const std::string& body) const {
  json request;
  std::string last_lever;  // the key whose value was being read when the parser stopped
  const json::parser_callback_t remember = [&](int depth, json::parse_event_t event, json& parsed) {
    if (depth == 1 && event == json::parse_event_t::key && parsed.is_string()) last_lever = parsed.get<std::string>();
    return true;
  };
  try {
    request = json::parse(body, remember);
  } catch (const json::out_of_range& e) {
    // A number no double can hold, such as 1e999: the parser refuses it rather than give infinity.
    throw BadRequest((last_lever.empty() ? std::string() : last_lever + ": ") + "not a number the server can use (" +
                     json_message(e) + ")");
  } catch (const json::exception& e) {
    throw BadRequest("the request is not JSON: " + json_message(e));
  }
  if (!request.is_object())
    throw BadRequest("the request must be a JSON object of lever values, such as {\"referral_threshold\": 3.3}");
  TrainerSettings settings = defaults();
  for (const auto& [key, value] : request.items()) {
    const Lever* l = find(key);
    if (l == nullptr) {
      std::string ids;
      for (const auto& candidate : levers_) ids += (ids.empty() ? "" : ", ") + candidate.id;
      throw BadRequest(key + ": not a lever (the levers are " + ids + ")");
    }
    if (l->type == "switch") {
      if (!value.is_boolean()) throw BadRequest(key + ": expected true or false, got " + value.dump());
      settings[key] = value.get<bool>() ? 1.0 : 0.0;
      continue;
    }
    if (!value.is_number()) throw BadRequest(key + ": expected a number (" + l->unit + "), got " + value.dump());
    const double v = value.get<double>();
    if (!std::isfinite(v)) throw BadRequest(key + ": expected a finite number (" + l->unit + "), got " + value.dump());
    if (l->type == "integer" && v != std::floor(v))
      throw BadRequest(key + ": expected a whole number, got " + value.dump());
    if (!(v >= l->min && v <= l->max)) {
      throw BadRequest(key + ": " + value.dump() + " is out of range: " + l->label + " must be between " +
                       show(l->min) + " and " + show(l->max) + " (" + l->unit + ")");
    }
    settings[key] = v;
  }
  for (const LeverSpec& spec : specs_) {
    if (spec.at_most.empty() || settings.at(spec.lever.id) <= settings.at(spec.at_most)) continue;
    std::string other = find(spec.at_most)->label;
    other[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(other[0])));
    throw BadRequest(spec.lever.id + ": " + show(settings.at(spec.lever.id)) + " is above the " + other + " " +
                     show(settings.at(spec.at_most)) + (spec.at_most_note.empty() ? "" : "; " + spec.at_most_note));
  }
  return settings;
}

std::vector<std::pair<const Lever*, double>> Trainer::moved(const TrainerSettings& settings) const {
  std::vector<std::pair<const Lever*, double>> out;
  for (const auto& l : levers_) {
    if (l.group == "lever" && settings.at(l.id) != l.value) out.emplace_back(&l, settings.at(l.id));
  }
  return out;
}

std::vector<std::string> Trainer::changes(const TrainerSettings& settings) const {
  std::vector<std::string> out;
  for (const auto& [l, v] : moved(settings)) {
    out.push_back(l->label + ": " +
                  (l->type == "switch" ? std::string(v > 0.5 ? "on" : "off")
                                       : show(l->value) + " → " + show(v) + " (" + l->unit + ")"));
  }
  return out;
}

std::string Trainer::file_name(const TrainerSettings& settings) const {
  // Appended piece by piece: GCC 12 at -O3 without LTO warns falsely (-Wrestrict) about "_" + a temporary string.
  std::string name = "trainer";
  for (const auto& [l, v] : moved(settings)) {
    name += '_';
    name += l->id;
    name += '_';
    name += l->type == "switch" ? (v > 0.5 ? "on" : "off") : show(v);
  }
  if (name == "trainer") name += "_baseline";
  return name + ".toml";
}

std::string Trainer::scenario_toml(const TrainerSettings& s, Scenario* loaded) const {
  std::vector<Override> overrides;
  auto set = [&](const std::string& key, double value) { overrides.push_back({key, format_double(value)}); };
  auto changed = [&](const std::string& id) { return s.at(id) != find(id)->value; };
  const int years = warmup_years_ + static_cast<int>(s.at("years"));
  std::string name = file_name(s);
  name = name.substr(0, name.size() - 5);
  const std::vector<std::string> what = changes(s);
  std::string description = what.empty() ? "the scenario unchanged" : "";
  for (const auto& c : what) description += (description.empty() ? "" : "; ") + c;
  overrides.push_back({"name", toml_string(name)});
  overrides.push_back({"description", toml_string(scenario_.name + " with " + description)});
  overrides.push_back({"simulation.years", std::to_string(years)});
  std::string appended;
  for (const LeverSpec& spec : specs_) {
    if (spec.kind == "run") continue;
    const double v = s.at(spec.lever.id);
    if (spec.kind == "policy" && v > 0.5 && !scenario_.changes.empty()) {
      throw BadRequest(spec.lever.id + ": " + scenario_.name + " has changes over time of its own ([[change]]); the " +
                       spec.lever.id + " lever works on a scenario without them, such as the England baseline");
    }
    if (!changed(spec.lever.id)) continue;
    // Rounded to a multiple of spec.round by dividing by its inverse: 0.1 is not exact, 10 is.
    const double per = spec.round > 0.0 ? 1.0 / spec.round : 0.0;
    for (std::size_t k = 0; k < spec.sets.size(); ++k) {
      const std::string& key = spec.sets[k];
      if (spec.kind == "value") {
        set(key, per > 0.0 ? std::round(v * spec.scale * per) / per : v * spec.scale);
      } else if (spec.kind == "percent") {
        const double value = per > 0.0 ? std::round(spec.own[k] * v / (100.0 / per)) / per : spec.own[k] * v / 100.0;
        set(key, std::max(spec.at_least, value));
      } else if (spec.kind == "switch") {
        overrides.push_back({key, v > 0.5 ? "true" : "false"});
      }
    }
    for (std::size_t k = 0; k < spec.when_on.size() && spec.kind == "switch" && v > 0.5; ++k) {
      set(spec.when_on[k].first, std::min(spec.when_on[k].second, spec.when_on_own[k]));
    }
    // A policy lever: the policy file's own [[change]] tables, moved to start in the first year shown.
    if (spec.kind == "policy" && v > 0.5) appended += spec.appended;
  }
  std::string header = "# A scenario saved from frontdoor serve (trainer mode), frontdoor " +
                       std::string(build_info::program_version) + ".\n# It is " +
                       std::filesystem::path(path_).filename().string() +
                       " (with its base and included files merged in) and these settings:\n";
  for (const auto& c : what) header += "#   " + c + "\n";
  if (what.empty()) header += "#   none changed\n";
  header += "# " + std::to_string(years) + " simulated years: a " + std::to_string(warmup_years_) +
            "-year warm-up, then the " + std::to_string(years - warmup_years_) +
            " years the page shows. `frontdoor run` accepts this file as it is; with the page's seed and\n"
            "# replications (frontdoor run FILE --seed SEED -r REPLICATIONS) it gives the page's figures.\n\n";
  return flatten_scenario_text(base_text_, path_, overrides, appended, header, loaded);
}

json Trainer::levers_json(std::uint64_t seed) const {
  json levers = json::array();
  for (const auto& l : levers_) {
    json j{{"id", l.id}, {"group", l.group}, {"label", l.label}, {"unit", l.unit}, {"help", l.help}, {"type", l.type}};
    if (l.type == "switch") {
      j["value"] = l.value > 0.5;
    } else {
      j["min"] = l.min;
      j["max"] = l.max;
      j["step"] = l.step;
      j["value"] = l.type == "integer" ? json(static_cast<int>(l.value)) : json(l.value);
    }
    levers.push_back(j);
  }
  return {{"scenario",
           {{"name", scenario_.name}, {"description", scenario_.description}, {"children", scenario_.children}}},
          {"seed", seed},
          {"warmup_years", warmup_years_},
          {"levers", levers}};
}

json Trainer::view_json(const std::string& name, const Scenario& scenario,
                        const std::vector<ReplicationResult>& results, int years_shown) const {
  const int first_year = warmup_years_ + 1, last_year = warmup_years_ + years_shown;
  json view{{"name", name},
            {"replications", results.size()},
            {"year_labels", json::array()},
            {"annual", json::object()},
            {"measures", json::array()}};
  for (int y = 1; y <= years_shown; ++y) view["year_labels"].push_back("Year " + std::to_string(y));
  const AnnualTable table = annual_table_of(results);
  for (const auto& [measure, label] : shown_measures) {
    for (const auto& [key, by_year] : table.values) {
      if (key.first != measure) continue;
      json m{{"label", label},
             {"unit", key.second},
             {"mean", json::array()},
             {"low", json::array()},
             {"high", json::array()}};
      for (int y = first_year; y <= last_year; ++y) {
        std::vector<double> values;
        if (auto it = by_year.find(y); it != by_year.end()) {
          for (const auto& [r, v] : it->second) {
            if (std::isfinite(v)) values.push_back(v);
          }
        }
        const MeanInterval ci = mean_ci95(values);
        m["mean"].push_back(json_number(values.empty() ? std::nan("") : ci.mean));
        m["low"].push_back(json_number(ci.low));
        m["high"].push_back(json_number(ci.high));
      }
      view["annual"][measure] = m;
      view["measures"].push_back(measure);
    }
  }

  // Month by month: social-work cases allocated per FTE in post, over the social-work teams, and each team's own.
  const int first_month = 12 * warmup_years_ + 1, months = 12 * years_shown;
  const auto labels = month_labels(start_date_text(scenario.simulation.start_date), 12 * last_year);
  view["month_labels"] = std::vector<std::string>(labels.begin() + (first_month - 1), labels.end());
  std::map<int, std::map<int, double>> overall;
  view["caseload_by_team"] = json::array();
  std::map<std::string, std::map<int, std::map<int, double>>> by_team;
  for (const auto& r : results) {
    for (int m = first_month; m < first_month + months; ++m) {
      double active = 0.0, staff = 0.0;
      for (const auto& team : social_work_teams_) {
        const MonthlySeries* open = series(r, measure_name::open_mean(team));
        const MonthlySeries* queue = series(r, measure_name::queue_mean(team));
        const MonthlySeries* fte = series(r, measure_name::staff_fte(team));
        const MonthlySeries* load = series(r, measure_name::caseload_per_fte(team));
        const auto at = static_cast<std::size_t>(m - 1);
        if (open == nullptr || queue == nullptr || fte == nullptr || at >= open->values.size()) continue;
        active += open->values[at] - queue->values[at];
        staff += fte->values[at];
        if (load != nullptr && std::isfinite(load->values[at])) by_team[team][m][r.replication] = load->values[at];
      }
      if (staff > 0.0) overall[m][r.replication] = active / staff;
    }
  }
  view["caseload"] = monthly_band(overall, first_month, months);
  for (const auto& team : social_work_teams_) {
    json band = monthly_band(by_team[team], first_month, months);
    const int index = scenario.pathway.find(team);
    view["caseload_by_team"].push_back({{"team", team},
                                        {"label", index >= 0 ? scenario.pathway.services()[index].label : team},
                                        {"mean", band["mean"]}});
  }

  // Where children went: each route's cases a year after the warm-up, averaged over the replications.
  std::map<std::string, double> means;
  for (const auto& r : results) {
    for (const auto& v : r.summary) means[v.measure] += v.value / static_cast<double>(results.size());
  }
  json flows = pathway_flows(scenario.pathway, means);
  json nodes = json::array();
  std::set<std::string> seen;
  for (const auto& link : flows["flows"]) {
    for (const char* end : {"source", "target"}) {
      const std::string id = link[end];
      if (!seen.insert(id).second) continue;
      const int index = scenario.pathway.find(id);
      nodes.push_back({{"name", id}, {"label", index >= 0 ? scenario.pathway.services()[index].label : id}});
    }
  }
  view["flows"] = {{"nodes", nodes}, {"links", flows["flows"]}, {"returns", flows["returns"]}};
  return view;
}

json Trainer::difference_json(const std::vector<ReplicationResult>& base,
                              const std::vector<ReplicationResult>& changed) const {
  const Comparison c = compare_tables("changed", annual_table_of(base), annual_table_of(changed), warmup_years_ + 1);
  json rows = json::array();
  for (const auto& [measure, label] : shown_measures) {
    for (const auto& row : c.rows) {
      if (row.year != 0 || row.measure != measure) continue;
      rows.push_back({{"measure", measure},
                      {"label", label},
                      {"unit", row.unit},
                      {"base", json_number(row.base_mean)},
                      {"changed", json_number(row.alt_mean)},
                      {"diff", json_number(row.diff_mean)},
                      {"low", json_number(row.diff_low)},
                      {"high", json_number(row.diff_high)},
                      {"clear", !row.indistinguishable_from_zero()},
                      {"pairs", row.pairs}});
    }
  }
  return rows;
}

}  // namespace frontdoor
