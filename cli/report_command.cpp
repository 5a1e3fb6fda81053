#include "cli/report_command.hpp"

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "analysis/calibration.hpp"
#include "analysis/compare.hpp"
#include "analysis/run_reader.hpp"
#include "analysis/run_scenario.hpp"
#include "build_info.hpp"
#include "cli/chart_data.hpp"
#include "cli/report_assets.hpp"
#include "cli/report_print.hpp"
#include "cli/report_workbook.hpp"
#include "common/statistics.hpp"
#include "models/measures.hpp"
#include "models/parameter_schema.hpp"
#include "models/reporting.hpp"
#include "models/scenario_loader.hpp"
#include "sim/output_files.hpp"
#include "sim/run_plan.hpp"
#include "sim/stop.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace frontdoor {

namespace {

// The yearly measures a strategist looks at first, in this order (those a run reports).
const std::vector<std::string> key_measures{"referrals",
                                            "section47",
                                            "looked_after_starts",
                                            "looked_after_at_31_march",
                                            "caseload_per_sw_fte",
                                            "unallocated_cases",
                                            "harm_events_after_nfa_or_closure_12m",
                                            "rereferrals_within_12m_share",
                                            "assessment_duration_median",
                                            "total_cost_gbp"};

// Monthly series drawn with their bands: measure, title, unit, and the name a run made before the series took
// their `_per_month` names wrote instead ("" where the name never changed).
const std::vector<std::array<std::string, 4>> monthly_measures{
    {measure_name::contacts_per_month(), "Contacts a month", "count", "contacts"},
    {measure_name::entries("referral"), "Referrals a month", "count", ""},
    {measure_name::entries("strategy_discussion"), "Section 47 enquiries a month", "count", ""},
    {measure_name::open_mean("looked_after"), "Children looked after", "count", ""},
    {measure_name::child_count_per_month(ChildCount::harm), "Harm events a month", "count", "harm_events"},
    {measure_name::child_count_per_month(ChildCount::harm_after_exit),
     "Harm within 12 months of no further action or closure", "count", "harm_events_after_nfa_or_closure_12m"}};

// Everything the page draws for one run directory.
json run_data(const fs::path& dir, const std::string& name, const std::string& targets_path) {
  const json manifest = read_manifest(dir);
  const int years = manifest.at("simulation").at("years").get<int>();
  const double warmup = manifest.at("simulation").at("warmup_days").get<double>();
  const int from_year = first_year_after_warmup(warmup);
  const int month_count = 12 * years;
  json run;
  run["name"] = name;
  run["replications"] = manifest.at("replications").size();
  run["warmup_years"] = from_year - 1;
  run["month_labels"] = month_labels(manifest.at("simulation").at("start_date").get<std::string>(), month_count);

  const MonthlyTable monthly = read_monthly_table(dir);
  run["monthly"] = json::array();
  for (const auto& [measure, title, unit, earlier_name] : monthly_measures) {
    auto it = monthly.find(measure);
    if (it == monthly.end() && !earlier_name.empty()) it = monthly.find(earlier_name);
    if (it == monthly.end()) continue;
    json series = monthly_band(it->second, 1, month_count);
    series["title"] = title;
    series["unit"] = unit;
    run["monthly"].push_back(series);
  }
  // The run's own scenario names its teams' caseload series (and draws the flows, below).
  std::optional<Scenario> scenario;
  std::string scenario_error;
  try {
    scenario = scenario_of_run(dir.string());
  } catch (const std::exception& e) {
    scenario_error = e.what();
  }
  run["caseload"] = json::array();
  if (!scenario) run["caseload_note"] = scenario_error;
  if (scenario) {
    const MeasureCatalogue catalogue(*scenario);
    for (const auto& [measure, months] : monthly) {
      const Measure* m = catalogue.find(measure, OutputFile::timeseries);
      if (m == nullptr || m->kind != MeasureKind::caseload_per_fte) continue;
      json series = monthly_band(months, 1, month_count);
      series["team"] = m->subject;
      run["caseload"].push_back(series);
    }
  }

  // The yearly table: per measure and year, the mean and its interval over replications.
  const AnnualTable annual = read_annual_table(dir);
  run["annual"] = json::object();
  for (const auto& [key, by_year] : annual.values) {
    if (unit_from_text(key.second) == Unit::count) continue;
    json m{{"unit", key.second},
           {"years", json::array()},
           {"mean", json::array()},
           {"low", json::array()},
           {"high", json::array()}};
    for (const auto& [year, by_replication] : by_year) {
      std::vector<double> values;
      for (const auto& [r, v] : by_replication) values.push_back(v);
      const MeanInterval ci = mean_ci95(values);
      m["years"].push_back(year);
      m["mean"].push_back(json_number(ci.mean));
      m["low"].push_back(json_number(ci.low));
      m["high"].push_back(json_number(ci.high));
    }
    run["annual"][key.first] = m;
  }

  run["targets"] = json::array();
  for (const auto& row : compare_with_targets(dir, read_targets(targets_path), from_year)) {
    run["targets"].push_back({{"measure", row.target.measure},
                              {"unit", row.target.unit},
                              {"value", row.target.value},
                              {"low", row.target.low},
                              {"high", row.target.high},
                              {"source", row.target.source},
                              {"simulated", row.simulated},
                              {"mean", json_number(row.mean)},
                              {"ci_low", json_number(row.ci95_low)},
                              {"ci_high", json_number(row.ci95_high)},
                              {"inside", row.inside}});
  }

  // Flows: each route's cases a year from the run's summary, on its scenario's pathway.
  try {
    if (!scenario) throw std::runtime_error(scenario_error);
    const json flows = pathway_flows(scenario->pathway, read_summary_means(dir));
    run["flows"] = flows.at("flows");
    run["returns"] = flows.at("returns");
  } catch (const std::exception& e) {
    run["flows"] = json::array();
    run["returns"] = json::array();
    run["flows_note"] = e.what();
  }
  return run;
}

// The headline cards of a comparison: this council's numbers a strategist reads first, each with the difference
// and its 95% interval, and which way is better (lower, for every one of them).
json headline_cards(const Comparison& c) {
  struct Card {
    const char* measure;
    const char* unit;
    const char* title;
    bool last_year;  ///< the last year's row (a total to date) rather than the measured years pooled
  };
  static const Card cards[] = {
      {"total_cost_gbp", "gbp", "Cost a year (cash)", false},
      {"total_cost_gbp_to_date", "gbp", "Cost over the years measured (cash)", true},
      {"total_cost_gbp_to_date_real", "gbp_real", "Cost over the years measured (base-year prices)", true},
      {"looked_after_starts_count", "count", "Children entering care a year", false},
      {"cp_plans_at_31_march_count", "count", "Children on child protection plans at 31 March", false},
      {"caseload_per_sw_fte", "cases_per_case_holding_fte", "Cases per case-holding social worker", false},
      {"harm_events_after_nfa_or_closure_12m_count", "count",
       "Harm to children within a year of being turned away or closed", false},
      {"early_help_wait_days", "days", "Days a family waits for early help", false},
  };
  json out = json::array();
  for (const Card& card : cards) {
    for (const auto& row : c.rows) {
      if (row.measure != card.measure || row.unit != card.unit) continue;
      if (card.last_year ? row.year != c.last_year : row.year != 0) continue;
      out.push_back({{"measure", row.measure},
                     {"unit", row.unit},
                     {"title", card.title},
                     {"year", row.year},
                     {"base_mean", json_number(row.base_mean)},
                     {"alt_mean", json_number(row.alt_mean)},
                     {"diff_mean", json_number(row.diff_mean)},
                     {"diff_low", json_number(row.diff_low)},
                     {"diff_high", json_number(row.diff_high)},
                     {"unclear", row.indistinguishable_from_zero()},
                     {"better", "lower"}});
    }
  }
  return out;
}

// What an alternative changes from the base, in words: each parameter whose value differs (the schema's words for
// it, the base's value and the alternative's) and each change over time the base does not have.
std::vector<std::string> what_changes(const Scenario& base, const Scenario& alt) {
  std::vector<std::string> out;
  std::map<std::string, std::string> before;
  for (const ParameterRecord& p : base.parameters) before[p.key] = p.value;
  for (const ParameterRecord& p : alt.parameters) {
    if (p.key == "name" || p.key == "version" || p.key == "description" || p.key == "base") continue;
    const auto it = before.find(p.key);
    if (it != before.end() && it->second == p.value) continue;
    const ParameterSpec* spec = find_parameter(p.key);
    const std::string words = spec != nullptr && !spec->description.empty() ? std::string(spec->description) : p.key;
    out.push_back(words + " (" + p.key + "): " + (it == before.end() ? std::string("not set") : it->second) + " → " +
                  p.value + (p.unit.empty() ? "" : " " + p.unit));
  }
  std::set<std::string> labels;
  for (const ScenarioChange& ch : base.changes) labels.insert(ch.label);
  for (const ScenarioChange& ch : alt.changes) {
    if (labels.count(ch.label) > 0) continue;
    out.push_back("From day " + std::to_string(static_cast<long>(ch.from_day)) + " (year " +
                  std::to_string(static_cast<long>(ch.from_day / 365.25) + 1) + "): " + ch.label);
  }
  return out;
}

// A run's copy of its scenario, or nothing (with the reason in `error`).
std::optional<Scenario> scenario_copy(const fs::path& run_dir, std::string& error) {
  try {
    return load_scenario((run_dir / scenario_copy_name).string());
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
}

// The size of a difference in standard deviations of the measure between replications (the two scenarios'
// pooled: Cohen's d), so that measures in different units can be ranked; infinite when the measure does not vary
// but differs, 0 when it neither varies nor differs, NaN with fewer than two pairs.
double standardised_effect(const DifferenceRow& row) {
  if (row.pairs < 2 || std::isnan(row.diff_mean)) return std::nan("");
  const double sd = std::sqrt(row.var_independent / 2.0);
  if (sd > 0.0) return row.diff_mean / sd;
  if (row.diff_mean == 0.0) return 0.0;
  return row.diff_mean > 0 ? HUGE_VAL : -HUGE_VAL;
}

json comparison_data(const Comparison& c, const json& alternative) {
  json alt;
  alt["headline"] = headline_cards(c);
  alt["name"] = c.scenario;
  alt["crn"] = alternative.value("crn_variance_reduction", json());
  alt["only_in_base"] = c.only_in_base;
  alt["only_in_alternative"] = c.only_in_alt;
  alt["rows"] = json::array();
  alt["by_year"] = json::object();
  const std::set<std::string> keys(key_measures.begin(), key_measures.end());
  // The pooled counts behind the rates ("looked_after_starts_count" behind "looked_after_starts"), to show beside.
  std::map<std::string, const DifferenceRow*> counts;
  for (const auto& row : c.rows) {
    if (row.year == 0 && unit_from_text(row.unit) == Unit::count) counts[row.measure] = &row;
  }
  for (const auto& row : c.rows) {
    if (unit_from_text(row.unit) == Unit::count) continue;
    if (row.year == 0) {
      const double effect = standardised_effect(row);
      json r{{"measure", row.measure},
             {"unit", row.unit},
             {"base_mean", json_number(row.base_mean)},
             {"alt_mean", json_number(row.alt_mean)},
             {"diff_mean", json_number(row.diff_mean)},
             {"diff_low", json_number(row.diff_low)},
             {"diff_high", json_number(row.diff_high)},
             {"effect", json_number(effect)},
             {"effect_exact", std::isinf(effect)},
             {"unclear", row.indistinguishable_from_zero()}};
      if (const auto it = counts.find(row.measure + "_count"); it != counts.end()) {
        r["count_base"] = json_number(it->second->base_mean);
        r["count_alt"] = json_number(it->second->alt_mean);
        r["count_diff"] = json_number(it->second->diff_mean);
      }
      alt["rows"].push_back(r);
    } else if (keys.count(row.measure) > 0) {
      json& m = alt["by_year"][row.measure];
      if (m.is_null())
        m = {{"unit", row.unit},
             {"years", json::array()},
             {"diff", json::array()},
             {"low", json::array()},
             {"high", json::array()}};
      m["years"].push_back(row.year);
      m["diff"].push_back(json_number(row.diff_mean));
      m["low"].push_back(json_number(row.diff_low));
      m["high"].push_back(json_number(row.diff_high));
    }
  }
  return alt;
}

// Inside a <script>, "</" would end it early.
std::string script_safe(std::string text) {
  for (std::size_t at = 0; (at = text.find("</", at)) != std::string::npos; at += 3) text.replace(at, 2, "<\\/");
  return text;
}

std::string fill(std::string_view page, const json& data) {
  std::string html = with_formatting(page);
  const std::string data_mark = "/*DATA*/", library_mark = "/*ECHARTS*/";
  html.replace(html.find(data_mark), data_mark.size(), script_safe(json_text(data)));
  html.replace(html.find(library_mark), library_mark.size(), script_safe(std::string(chart_library_js())));
  return html;
}

}  // namespace

int command_report(const ReportOptions& options) {
  const fs::path dir(options.dir);
  const fs::path out = options.out.empty() ? dir / "report.html" : fs::path(options.out);
  auto fail = [](const std::string& message) {
    std::cerr << "frontdoor: error: " << message << "\n";
    return 2;
  };
  // Every file to write is checked before anything is made.
  const std::vector<std::pair<std::string, fs::path>> files{
      {"--out", out}, {"--pdf", fs::path(options.pdf)}, {"--xlsx", fs::path(options.xlsx)}};
  for (const auto& [flag, path] : files) {
    if (path.empty()) continue;
    if (fs::exists(path) && !options.force) {
      return fail(path.string() + " already exists; choose another " + flag + " or add --force to replace it");
    }
    const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
    if (!fs::is_directory(parent)) return fail(flag + " " + path.string() + ": no directory " + parent.string());
  }
  const bool is_comparison = fs::exists(dir / "compare.json") && !fs::exists(dir / "sweep.json");
  if (!options.xlsx.empty() && !is_comparison) {
    return fail("--xlsx writes a comparison's workbook: " + options.dir +
                " is not a directory written by frontdoor compare");
  }
  const std::string chromium = options.pdf.empty() ? std::string() : find_chromium();
  if (!options.pdf.empty() && chromium.empty()) {
    return fail(
        "--pdf prints the page with Chromium, which is not on PATH: install the chromium package "
        "(apt-get install chromium), or set FRONTDOOR_CHROMIUM to its path");
  }
  WorkbookInput workbook;
  json data;
  data["generator"] = std::string("frontdoor ") + build_info::program_version + " (git " + build_info::git_commit + ")";
  try {
    if (fs::exists(dir / "sweep.json")) {
      // A sweep: its sensitivity analysis (sweep analyse writes sensitivity.csv).
      const json meta = json::parse(read_output_file(dir / "sweep.json"));
      // Before `sweep analyse` there is nothing to rank yet: the page says so, and analyse refreshes it.
      const std::string text = fs::exists(dir / "sensitivity.csv") ? read_output_file(dir / "sensitivity.csv") : "";
      std::istringstream in(text);
      std::string line;
      std::getline(in, line);
      json outputs = json::array();
      // The method the design calls for, until an analysis says.
      const std::string design = meta.at("design").get<std::string>();
      std::string method = design == "morris" || design == "sobol" ? design : "src";
      for (int number = 2; std::getline(in, line); ++number) {
        const auto c = split_csv_line(line);
        const std::string where = (dir / "sensitivity.csv").string() + ":" + std::to_string(number);
        if (c.size() != 16) throw RunReadError(where + ": expected 16 columns");
        method = c[2];
        if (outputs.empty() || outputs.back()["output"] != c[0])
          outputs.push_back({{"output", c[0]}, {"effects", json::array()}});
        auto value = [&](const std::string& v) { return v.empty() ? json() : json(csv_number(v, where)); };
        outputs.back()["effects"].push_back({{"factor", c[1]},
                                             {"mu_star", value(c[3])},
                                             {"mu_star_low", value(c[4])},
                                             {"mu_star_high", value(c[5])},
                                             {"mu", value(c[6])},
                                             {"sigma", value(c[7])},
                                             {"src", value(c[8])},
                                             {"s1", value(c[9])},
                                             {"s1_low", value(c[10])},
                                             {"s1_high", value(c[11])},
                                             {"st", value(c[12])},
                                             {"st_low", value(c[13])},
                                             {"st_high", value(c[14])}});
      }
      data["kind"] = "sweep";
      data["runs"] = json::array();
      data["sweep"] = {{"method", method},
                       {"runs", meta.at("points").get<int>() * meta.at("replications").get<int>()},
                       {"outputs", outputs}};
      const std::size_t levers = meta.at("keys").size();
      data["title"] = "Sensitivity of " + meta.at("scenario_name").get<std::string>() + " to " +
                      std::to_string(levers) + (levers == 1 ? " lever" : " levers");
      data["subtitle"] = "A " + meta.at("design").get<std::string>() + " design of " +
                         std::to_string(meta.at("points").get<int>()) + " points x " +
                         std::to_string(meta.at("replications").get<int>()) + " replications. " +
                         data["generator"].get<std::string>() + ".";
      if (outputs.empty())
        data["sweep"]["note"] = "No sensitivity analysis yet: run frontdoor sweep analyse DIR --outputs ...";
    } else if (fs::exists(dir / "compare.json")) {
      const json manifest = json::parse(read_output_file(dir / "compare.json"));
      const json& base = manifest.at("base");
      const int from_year = manifest.at("years_compared_from").get<int>();
      data["kind"] = "compare";
      data["runs"] = json::array({run_data(dir / base.at("dir").get<std::string>(), base.at("name"), options.targets)});
      const AnnualTable base_table = read_annual_table(dir / base.at("dir").get<std::string>());
      json cmp{{"base", base.at("name")},
               {"from_year", from_year},
               {"pairs", manifest.at("replications")},
               {"last_year", data["runs"][0]["month_labels"].size() / 12},
               {"key_measures", key_measures},
               {"alternatives", json::array()}};
      std::string names;
      std::string base_error;
      workbook.base_name = base.at("name").get<std::string>();
      workbook.base = scenario_copy(dir / base.at("dir").get<std::string>(), base_error);
      const std::optional<Scenario>& base_scenario = workbook.base;
      for (const auto& alternative : manifest.at("alternatives")) {
        const fs::path alt_dir = dir / alternative.at("dir").get<std::string>();
        const std::string name = alternative.at("name");
        data["runs"].push_back(run_data(alt_dir, name, options.targets));
        Comparison comparison = compare_tables(name, base_table, read_annual_table(alt_dir), from_year);
        json one = comparison_data(comparison, alternative);
        std::string alt_error;
        std::optional<Scenario> alt_scenario = scenario_copy(alt_dir, alt_error);
        std::vector<std::string> changes;
        if (base_scenario && alt_scenario) {
          changes = what_changes(*base_scenario, *alt_scenario);
        } else {
          changes.push_back("(the scenarios' copies could not be read: " + base_error + alt_error + ")");
        }
        one["changes"] = changes;
        one["description"] = alt_scenario ? alt_scenario->description : std::string();
        workbook.alternatives.push_back(
            {name, one["description"], changes, one["headline"], std::move(comparison), std::move(alt_scenario)});
        cmp["alternatives"].push_back(one);
        names += (names.empty() ? "" : ", ") + name;
      }
      data["compare"] = cmp;
      data["title"] = "Policy comparison: " + names + " against " + base.at("name").get<std::string>();
      data["subtitle"] = std::to_string(manifest.at("replications").get<int>()) +
                         " replications of each scenario on the same seeds (base seed " +
                         std::to_string(manifest.at("base_seed").get<std::uint64_t>()) + "). " +
                         data["generator"].get<std::string>() + ".";
    } else {
      const json manifest = read_manifest(dir);
      const std::string name = manifest.at("scenario").at("name");
      data["kind"] = "run";
      data["runs"] = json::array({run_data(dir, name, options.targets)});
      data["title"] = "Run of " + name;
      data["subtitle"] = std::to_string(manifest.at("replications").size()) + " replications of " +
                         std::to_string(manifest.at("simulation").at("years").get<int>()) + " years from " +
                         manifest.at("simulation").at("start_date").get<std::string>() + ". " +
                         data["generator"].get<std::string>() + ".";
    }
  } catch (const RunReadError& e) {
    return fail(std::string(e.what()) + " (report needs a directory written by frontdoor run or frontdoor compare)");
  } catch (const json::exception& e) {
    return fail(options.dir + " is not a complete run or compare directory: " + e.what());
  }
  // Everything is made before anything is written: a failure leaves no file behind.
  try {
    const std::string html = fill(report_template_html(), data);
    std::string pdf, xlsx;
    if (!options.pdf.empty()) pdf = print_pdf(html, chromium);
    if (!options.xlsx.empty()) {
      workbook.title = data["title"].get<std::string>();
      workbook.subtitle = data["subtitle"].get<std::string>();
      xlsx = comparison_workbook(workbook);
    }
    write_file_atomically(out, html);
    if (!options.pdf.empty()) write_file_atomically(options.pdf, pdf);
    if (!options.xlsx.empty()) write_file_atomically(options.xlsx, xlsx);
  } catch (const OutputError& e) {
    return fail(e.what());
  } catch (const Stopped&) {
    throw;
  } catch (const std::runtime_error& e) {  // WriteError, Chromium or libxlsxwriter failing
    std::cerr << "frontdoor: error: " << e.what() << "\n";
    return 1;
  }
  std::cout << "Report written to " << out.string() << " (one file; it opens offline in any browser)\n";
  if (!options.pdf.empty()) std::cout << "PDF written to " << options.pdf << " (A4)\n";
  if (!options.xlsx.empty()) {
    std::cout << "Workbook written to " << options.xlsx << " (sheets: Answer, Differences, Costs, Parameters)\n";
  }
  return 0;
}

}  // namespace frontdoor
