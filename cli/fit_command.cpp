#include "cli/fit_command.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlopt.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "analysis/calibration.hpp"
#include "analysis/council_figures.hpp"
#include "analysis/run_reader.hpp"
#include "cli/exit_codes.hpp"
#include "cli/scratch_dir.hpp"
#include "cli/text_format.hpp"
#include "common/statistics.hpp"
#include "models/scenario_loader.hpp"
#include "sim/output_files.hpp"
#include "sim/run_plan.hpp"
#include "sim/runner.hpp"
#include "sim/stop.hpp"

namespace fs = std::filesystem;

namespace frontdoor {

namespace {

// How a lever's number becomes the scenario's values.
enum class Form {
  value,   ///< the key's value
  factor,  ///< the base's values (in force for the council's children) times the number
  below,   ///< the key's value is the `below` lever's value minus the number
  trend,   ///< the keys' values rise by the number a year over the figures' years ([[change]] tables)
};

struct Lever {
  const char* name;
  Form form;
  std::vector<std::string> keys;  ///< dotted keys; one <name> segment matches every source, service or exit
  double low;
  double high;
  const char* words;  ///< what it is
  const char* moves;  ///< the figures it moves most
  const char* below = nullptr;
  /// Form::trend and Form::factor: how much of the change each element of a list key takes (empty: all of it). A
  /// factor f with profile p multiplies element e by 1 + (f - 1) p[e].
  std::vector<double> profile = {};
  /// Form::factor: the council's figure whose first year, over the simulated one at the start, is the lever's
  /// start (none: 1).
  const char* start_from = nullptr;
};

// The documented set (README "Fitting a council"). Threshold ranges keep each decision's order: the front door's
// early help below its referral, an assessment's child in need below its section 47.
const std::vector<Lever>& levers() {
  static const std::vector<Lever> all = {
      {"noticing",
       Form::factor,
       {"sources.<source>.notice_per_year"},
       0.5,
       2.0,
       "how often agencies notice a child's need: every source's contacts per child-year, times",
       "contacts",
       nullptr,
       {},
       "contacts"},
      {"noticing_trend",
       Form::trend,
       {"sources.<source>.notice_per_year"},
       -0.10,
       0.15,
       "the yearly rise in noticing over the figures' years (0.05: 5% more each year)",
       "the trend of contacts"},
      {"need_trend",
       Form::trend,
       {"need.up_per_year"},
       -0.10,
       0.15,
       "the yearly rise in the rates at which children's need rises to moderate and high levels, over the "
       "figures' years (the rise into significant harm is not changed: more of it follows from more children below)",
       "the trend of referrals and assessments more than of conferences and plans",
       nullptr,
       {1.0, 1.0, 1.0, 0.0, 0.0}},
      {"referral_threshold",
       Form::value,
       {"service.front_door.thresholds.referral"},
       2.2,
       3.2,
       "the need at which the front door refers a contact to children's social care",
       "referrals"},
      {"early_help_gap",
       Form::below,
       {"service.front_door.thresholds.early_help"},
       0.05,
       1.0,
       "how far below the referral threshold the front door offers early help",
       "early-help assessments",
       "referral_threshold"},
      {"assessment_threshold",
       Form::value,
       {"service.referral.thresholds.assessment"},
       1.0,
       2.6,
       "the need at which a referral goes on to an assessment",
       "referrals with no further action"},
      {"child_in_need_threshold",
       Form::value,
       {"service.assessment.thresholds.child_in_need"},
       2.0,
       3.05,
       "the need at which an assessment finds a child in need",
       "children assessed not in need"},
      {"section_47_threshold",
       Form::value,
       {"service.assessment.thresholds.section_47"},
       3.1,
       4.0,
       "the need at which an assessment leads to a strategy discussion and section 47 enquiry",
       "section 47 enquiries"},
      {"conference_threshold",
       Form::value,
       {"service.strategy_discussion.thresholds.conference"},
       3.4,
       4.4,
       "the need at which an enquiry leads to an initial child protection conference",
       "initial conferences"},
      {"plan_threshold",
       Form::value,
       {"service.icpc.thresholds.plan"},
       3.0,
       4.2,
       "the need at which a conference makes a child protection plan",
       "child protection plans"},
      {"conference_delay",
       Form::factor,
       {"service.icpc.delay.mean_days"},
       0.5,
       3.0,
       "the wait from the enquiry's end to the conference (the chair's and partners' diaries), times",
       "conferences within 15 working days"},
      {"chronic_share",
       Form::value,
       {"need.chronic.share"},
       0.02,
       0.2,
       "the share of families whose need is persistent (comes back after help)",
       "second or later plans"},
      {"care_threshold",
       Form::value,
       {"service.cp_plan.thresholds.care"},
       2.9,
       4.5,
       "the need at which a plan ends in care",
       "children starting to be looked after"},
      {"plan_duration",
       Form::factor,
       {"service.cp_plan.duration.mean_days"},
       0.5,
       2.0,
       "the length of a child protection plan, times",
       "plans at 31 March and plans over two years"},
      {"child_in_need_duration",
       Form::factor,
       {"service.child_in_need.duration.mean_days"},
       0.5,
       2.0,
       "the length of a child in need plan, times",
       "children in need at 31 March"},
      {"child_in_need_duration_trend",
       Form::trend,
       {"service.child_in_need.duration.mean_days"},
       -0.15,
       0.10,
       "the yearly change in the length of a child in need plan over the figures' years (-0.05: 5% shorter each "
       "year)",
       "the trend of children in need at 31 March against the trend of assessments"},
      {"assessment_duration",
       Form::factor,
       {"service.assessment.duration.mean_days"},
       0.6,
       1.6,
       "the length of an assessment, times",
       "assessments' duration"},
      {"care_exits",
       Form::factor,
       {"service.looked_after.exits.<exit>.per_year"},
       0.5,
       2.0,
       "how fast children leave care (every exit's rate), times",
       "children looked after at 31 March"},
      {"adolescent_returns_home",
       Form::factor,
       {"service.looked_after.exits.return_home.per_year"},
       0.5,
       4.0,
       "how often children in care aged 10 to 15 go home, times (the other ages keep the base's rates)",
       "the 10-15s' share of the children looked after",
       nullptr,
       {0.0, 0.0, 0.0, 1.0, 0.0}},
      {"unaccompanied",
       Form::value,
       {"need.unaccompanied.per_10k_per_year"},
       0.0,
       15.0,
       "unaccompanied asylum-seeking children coming into care directly at 15 to 17, per 10,000 children a year",
       "the ages of the children looked after (more 16-17s) and care starts"},
      {"early_help_capacity",
       Form::factor,
       {"service.early_help.team.budget_gbp", "service.early_help.team.fte"},
       0.3,
       3.0,
       "early help's budget (or key workers), times",
       "early-help assessments and early help's wait"},
      {"step_up_threshold",
       Form::value,
       {"service.early_help.thresholds.step_up"},
       2.5,
       4.2,
       "the need at which early help, at its end, steps a family up to a social-work assessment",
       "assessments beyond referrals (a stepped-up family is assessed without a new referral)"},
  };
  return all;
}

std::string number_text(double v) {
  char buffer[48];
  if (std::abs(v) >= 1000.0) {
    std::snprintf(buffer, sizeof buffer, "%.0f", v);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.6g", v);
  }
  return buffer;
}

// A factor lever's value on a key, with the share of it each element of a list takes (Lever::profile).
struct Scaling {
  double factor;
  const std::vector<double>* profile;
};

// A value as loaded ("2.7", "[0.1, 0.2]") times every factor on its key, as TOML: a list's element i takes the
// share profile[i] of each factor's change (all of it without a profile; a single value takes all of it).
std::string times(const std::string& loaded, const std::vector<Scaling>& by) {
  const auto multiplier = [&](std::size_t i) {
    double m = 1.0;
    for (const Scaling& s : by) {
      const double share = s.profile != nullptr && i < s.profile->size() ? (*s.profile)[i] : 1.0;
      m *= share == 1.0 ? s.factor : 1.0 + (s.factor - 1.0) * share;  // exactly the factor where it all applies
    }
    return m;
  };
  const toml::table t = toml::parse("v = " + loaded);
  if (const toml::array* a = t["v"].as_array()) {
    std::string out = "[";
    for (std::size_t i = 0; i < a->size(); ++i) {
      if (i > 0) out += ", ";
      out += number_text(a->at(i).value<double>().value_or(0.0) * multiplier(i));
    }
    return out + "]";
  }
  return number_text(t["v"].value<double>().value_or(0.0) * multiplier(static_cast<std::size_t>(-1)));
}

// The section ("service.front_door", "need") and the rest ("thresholds.referral", "up_by_age") of a key.
std::pair<std::string, std::string> split_section(const std::string& key) {
  const auto first = key.find('.');
  const auto second = key.find('.', first + 1);
  if (second == std::string::npos) return {key.substr(0, first), key.substr(first + 1)};  // "need.up_by_age"
  return {key.substr(0, second), key.substr(second + 1)};
}

// Whether `key` matches `pattern`, whose one <name> segment matches any one segment.
bool matches(const std::string& pattern, const std::string& key) {
  const auto open = pattern.find('<');
  if (open == std::string::npos) return key == pattern;
  const auto close = pattern.find('>', open);
  const std::string prefix = pattern.substr(0, open);
  const std::string suffix = pattern.substr(close + 1);
  if (key.size() <= prefix.size() + suffix.size() || key.compare(0, prefix.size(), prefix) != 0 ||
      key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  return key.substr(prefix.size(), key.size() - prefix.size() - suffix.size()).find('.') == std::string::npos;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i > 0 ? separator : std::string()) + parts[i];
  return out;
}

std::string slug(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "council" : out;
}

// One figure of the council's, with the simulated value.
struct Figure {
  CouncilFigure figure;
  bool fitted = true;  ///< false: forecast (after --until)
  std::vector<double> per_replication;
  MeanInterval ci;
  double miss = 0.0;  ///< (simulated - value) over the band's half on that side
};

double scaled_miss(double simulated, const CalibrationTarget& t) {
  const double half = simulated < t.value ? t.value - t.low : t.high - t.value;
  const double floor = 1e-9 + 1e-6 * std::abs(t.value);
  return (simulated - t.value) / std::max(half, floor);
}

// A lever the base has: its keys there and their values in force for the council's children.
struct ActiveLever {
  const Lever* lever;
  std::vector<std::pair<std::string, std::string>> values;  ///< key, value as loaded
  double start = 0.0;                                       ///< in the lever's units
  int below_index = -1;                                     ///< Form::below: the active lever it stays below
};

class Fit {
 public:
  Fit(const FitOptions& o, CouncilFigures council, std::vector<ActiveLever> active, fs::path base, int warmup_years,
      int first_year, int fit_last, long children)
      : o_(o),
        council_(std::move(council)),
        active_(std::move(active)),
        base_(std::move(base)),
        warmup_years_(warmup_years),
        first_year_(first_year),
        fit_last_(fit_last),
        children_(children),
        scratch_("frontdoor-fit"),
        executor_(o.jobs, o.engine_args) {}

  // The lever's value at a point in [0, 1] of its range.
  double value_at(std::size_t i, double unit) const {
    const Lever& l = *active_[i].lever;
    return l.low + unit * (l.high - l.low);
  }
  double unit_of(std::size_t i, double value) const {
    const Lever& l = *active_[i].lever;
    return std::clamp((value - l.low) / (l.high - l.low), 0.0, 1.0);
  }

  // The scenario at `x` (units), on the base at `base_text`, run for `years` simulated years.
  std::string scenario_text(const std::vector<double>& x, const std::string& base_text, int years,
                            const std::string& header) const {
    std::ostringstream out;
    out << header;
    out << "name = \"" << slug(council_.council) << "\"\nversion = \"0.1.0\"\n";
    out << "description = \"" << council_.council << ": fitted to its published figures for " << first_year_ << " to "
        << fit_last_ << "\"\n";
    out << "base = \"" << base_text << "\"\n\n";
    const int start = first_year_ - warmup_years_ - 1;
    out << "[simulation]\nstart_date = \"" << start << "-04-01\"   # year " << warmup_years_ + 1
        << ", the first after the warm-up, is the council's " << first_year_ << " (1 April " << first_year_ - 1
        << " to 31 March " << first_year_ << ")\n";
    out << "warmup_days = " << static_cast<int>(std::floor(warmup_years_ * 365.25))
        << "   # the years before the council's first settle the model's start (fit --warmup-years)\n";
    out << "years = " << years << "   # to 31 March " << start + years << "\n\n";
    out << "[population]\nchildren = " << children_ << "   # the council's children aged 0-17 in " << fit_last_ << "\n";
    // Each key's line, by section, in the order of the levers.
    std::vector<std::string> sections;
    std::map<std::string, std::vector<std::string>> lines;
    auto line = [&](const std::string& key, const std::string& value, const std::string& comment) {
      const auto [section, rest] = split_section(key);
      if (!lines.count(section)) sections.push_back(section);
      lines[section].push_back(rest + " = " + value + "   # " + comment);
    };
    std::vector<std::pair<const ActiveLever*, double>> trends;
    // Factor levers that share a key (every exit's rate, and the 10-15s' returns home) multiply: one line a key.
    std::map<std::string, std::vector<Scaling>> scalings;
    std::map<std::string, std::string> scaled_by;
    for (std::size_t i = 0; i < active_.size(); ++i) {
      const Lever& l = *active_[i].lever;
      if (l.form != Form::factor) continue;
      const double v = value_at(i, x[i]);
      for (const auto& [key, loaded] : active_[i].values) {
        scalings[key].push_back({v, &l.profile});
        scaled_by[key] += (scaled_by[key].empty() ? "" : " and ") + std::string(l.name) + " " + number_text(v);
      }
    }
    for (std::size_t i = 0; i < active_.size(); ++i) {
      const ActiveLever& a = active_[i];
      const Lever& l = *a.lever;
      const double v = value_at(i, x[i]);
      const std::string range = " (fitted in " + number_text(l.low) + " to " + number_text(l.high) + ")";
      switch (l.form) {
        case Form::value:
          for (const auto& [key, loaded] : a.values)
            line(key, number_text(v), "fitted: " + std::string(l.words) + range);
          break;
        case Form::below: {
          const double above = value_at(static_cast<std::size_t>(a.below_index), x[a.below_index]);
          for (const auto& [key, loaded] : a.values) {
            line(key, number_text(above - v),
                 "fitted: " + number_text(v) + " below the referral threshold (" + l.name + range + ")");
          }
          break;
        }
        case Form::factor:
          for (const auto& [key, loaded] : a.values) {
            const auto todo = scalings.find(key);
            if (todo == scalings.end()) continue;  // written with an earlier lever's
            line(key, times(loaded, todo->second), "fitted: " + scaled_by[key] + ", times the base's " + loaded);
            scalings.erase(todo);
          }
          break;
        case Form::trend:
          trends.emplace_back(&a, v);
          break;
      }
    }
    for (const auto& [key, value] : establishment_) line(key, value.first, value.second);
    for (const auto& [key, value] : starting_) line(key, value.first, value.second);
    for (const auto& section : sections) {
      out << "\n[" << section << "]\n";
      for (const auto& l : lines[section]) out << l << "\n";
    }
    // The trends: one change a year over the fitted years after the first, compounding; none after them. The same
    // change sets the values taken from that year's figures (the workforce's turnover).
    if ((!trends.empty() || !yearly_.empty()) && fit_last_ > first_year_) {
      for (int year = first_year_ + 1; year <= fit_last_; ++year) {
        out << "\n[[change]]\nfrom_year = " << year - first_year_ + warmup_years_ + 1 << "\n";
        out << "label = \"" << year << ": ";
        if (!trends.empty()) {
          out << "the fitted trends of " << first_year_ << " to " << fit_last_;
          for (const auto& [a, g] : trends) out << ", " << a->lever->name << " " << number_text(g);
          out << " a year (none after " << fit_last_ << ")";
        }
        if (const auto it = yearly_.find(year); it != yearly_.end()) {
          out << (trends.empty() ? "" : "; ") << "the workforce's turnover of " << year;
          out << "\"\nset = { ";
          bool first = true;
          for (const auto& [key, value] : it->second) {
            out << (first ? "" : ", ") << "\"" << key << "\" = " << value;
            first = false;
          }
          out << " }\n";
        } else {
          out << "\"\n";
        }
        if (trends.empty()) continue;
        out << "multiply = { ";
        bool first = true;
        for (const auto& [a, g] : trends) {
          for (const auto& [key, loaded] : a->values) {
            out << (first ? "" : ", ") << "\"" << key << "\" = ";
            if (a->lever->profile.empty()) {
              out << number_text(1.0 + g);
            } else {
              // A list: each element takes its share of the change.
              out << "[";
              for (std::size_t e = 0; e < a->lever->profile.size(); ++e)
                out << (e > 0 ? ", " : "") << number_text(1.0 + g * a->lever->profile[e]);
              out << "]";
            }
            first = false;
          }
        }
        out << " }\n";
      }
    }
    return out.str();
  }

  // Runs the scenario at `x` with `replications` for the years to `last` and fills each figure's value.
  std::vector<Figure> simulate(const std::vector<double>& x, int replications, int last) {
    throw_if_stopped();
    const int years = last - first_year_ + warmup_years_ + 1;
    const fs::path dir = scratch_.path() / std::to_string(runs_++);
    fs::create_directory(dir);
    const fs::path file = dir / "scenario.toml";
    write_file_atomically(file, scenario_text(x, fs::absolute(base_).string(), years, ""));
    const CarriedScenario carried = carry_scenario(file.string(), {});
    const std::vector<ReplicationResult> results =
        execute(run_plan(carried, o_.seed, replications), executor_, dir, {});
    std::vector<Figure> figures;
    for (const CouncilFigure& f : council_.rows) {
      if (f.year > last) continue;
      Figure fig;
      fig.figure = f;
      fig.fitted = f.year <= fit_last_;
      const int sim_year = f.year - first_year_ + warmup_years_ + 1;
      for (const ReplicationResult& r : results) {
        for (const AnnualValue& a : r.annual) {
          if (a.year == sim_year && a.measure == f.target.measure && a.unit == f.target.unit) {
            fig.per_replication.push_back(a.value);
          }
        }
      }
      if (fig.per_replication.size() != results.size()) {
        throw ScenarioError({o_.council + ":" + std::to_string(f.line) + ": " + f.target.measure + " in " +
                             f.target.unit + " is not reported by the scenario (annual.csv) in year " +
                             std::to_string(sim_year)});
      }
      fig.ci = mean_ci95(fig.per_replication);
      fig.miss = scaled_miss(fig.ci.mean, f.target);
      figures.push_back(std::move(fig));
    }
    fs::remove_all(dir);
    return figures;
  }

  // Each fitted figure's weight, in order: a strategist's projection starts from the council's latest year, so the
  // years weigh from 1 (the first fitted) to 2 (the latest), in a straight line.
  static std::vector<double> year_weights(const std::vector<Figure>& figures) {
    int first = 0;
    int last = 0;
    for (const Figure& f : figures) {
      if (!f.fitted) continue;
      first = first == 0 ? f.figure.year : std::min(first, f.figure.year);
      last = std::max(last, f.figure.year);
    }
    std::vector<double> weights;
    for (const Figure& f : figures) {
      if (f.fitted) weights.push_back(last == first ? 1.0 : 1.0 + double(f.figure.year - first) / (last - first));
    }
    return weights;
  }
  // The weighted mean of the squared misses (year_weights). `squares_sum`: the plain sum.
  static double misfit(const std::vector<Figure>& figures, bool squares_sum = false) {
    const std::vector<double> year_weight = year_weights(figures);
    double sum = 0.0;
    double weights = 0.0;
    std::size_t i = 0;
    for (const Figure& f : figures) {
      if (!f.fitted) continue;
      const double w = squares_sum ? 1.0 : year_weight[i];
      ++i;
      sum += w * f.miss * f.miss;
      weights += w;
    }
    return squares_sum ? sum : sum / std::max(weights, 1.0);
  }
  // The misses as a vector whose sum of squares is the misfit: each fitted figure's miss times the square root of
  // its year's share of the weights.
  static std::vector<double> residuals(const std::vector<Figure>& figures) {
    const std::vector<double> weights = year_weights(figures);
    double total = 0.0;
    for (double w : weights) total += w;
    std::vector<double> r;
    std::size_t i = 0;
    for (const Figure& f : figures) {
      if (f.fitted) r.push_back(f.miss * std::sqrt(weights[i++] / std::max(total, 1.0)));
    }
    return r;
  }
  static int inside(const std::vector<Figure>& figures, bool fitted) {
    int n = 0;
    for (const Figure& f : figures) n += (f.fitted == fitted && std::abs(f.miss) <= 1.0) ? 1 : 0;
    return n;
  }

  // Establishments from the workforce figure: every team counted by the social_worker_fte measure, times the
  // council's social workers in post per 10,000 over the simulated ones at the start.
  void set_establishments(const std::vector<Figure>& at_start, const Scenario& scenario) {
    double council_fte = NAN;
    double simulated = NAN;
    for (const Figure& f : at_start) {
      if (f.figure.target.measure == "social_worker_fte" && f.figure.target.unit == "per_10k" && f.fitted &&
          f.figure.year == latest_with(f.figure.target.measure)) {
        council_fte = f.figure.target.value;
        simulated = f.ci.mean;
      }
    }
    if (!std::isfinite(council_fte) || !(simulated > 0.0)) {
      establishment_note_ =
          "The council's file has no social workers per 10,000 (social_worker_fte): the base's "
          "establishments are kept, scaled to its children.";
      return;
    }
    const double factor = council_fte / simulated;
    int teams = 0;
    for (const ReportMeasure& m : scenario.reporting) {
      if (m.name != "social_worker_fte" || m.numerator.kind != Selector::Kind::fte) continue;
      for (int i : m.numerator.services) {
        const ServiceSpec& s = scenario.pathway.services()[i];
        if (s.team.budget_gbp > 0.0) continue;
        const std::string key = "service." + s.id + ".team.fte";
        char comment[200];
        std::snprintf(comment, sizeof comment, "from the workforce: %.4g times the base's %.4g FTE", factor,
                      s.team.fte);
        establishment_[key] = {number_text(s.team.fte * factor), comment};
        ++teams;
      }
    }
    char note[400];
    std::snprintf(note, sizeof note,
                  "Establishments from the council's workforce: %.1f social workers in post per 10,000 in %d, "
                  "where the base gave %.1f: the %d case-holding teams' FTE times %.3f.",
                  council_fte, latest_with("social_worker_fte"), simulated, teams, factor);
    establishment_note_ = note;
  }
  // Starting caseloads from the council's stocks in its first year: a service whose open cases a per-10,000
  // measure counts on its own (looked after, child protection plans) starts with the council's number of children,
  // and by the council's age bands where it gives all five. The model's start is then the council's, not England's,
  // and the warm-up only settles what the figures do not give (need in the community, the queues).
  void set_starting_caseloads(const Scenario& scenario) {
    auto council_value = [&](const std::string& measure, const std::string& unit) -> std::optional<double> {
      for (const CouncilFigure& f : council_.rows) {
        if (f.year == first_year_ && f.target.measure == measure && f.target.unit == unit) return f.target.value;
      }
      return std::nullopt;
    };
    const auto& services = scenario.pathway.services();
    for (const ReportMeasure& m : scenario.reporting) {
      if (m.type != ReportMeasure::Type::rate || m.numerator.kind != Selector::Kind::open ||
          m.numerator.services.size() != 1) {
        continue;
      }
      const ServiceSpec& s = services[m.numerator.services.front()];
      const std::optional<double> per_10k = council_value(m.name, m.unit);
      if (s.initial_cases <= 0 || !per_10k) continue;
      const long cases = std::lround(*per_10k * static_cast<double>(children_) / 10000.0);
      starting_["service." + s.id + ".initial.cases"] = {
          std::to_string(cases), "from the council: " + number_text(*per_10k) + " per 10,000 at 31 March " +
                                     std::to_string(first_year_) + " (" + m.name + "); the base's " +
                                     std::to_string(s.initial_cases)};
      // The ages of those children: every band's share of the stock, when the council gives all five.
      AgeBands shares{};
      int given = 0;
      for (const ReportMeasure& a : scenario.reporting) {
        if (a.type != ReportMeasure::Type::share || a.numerator.kind != Selector::Kind::ages ||
            a.numerator.service != m.numerator.services.front() || a.numerator.band < 0) {
          continue;
        }
        if (const std::optional<double> share = council_value(a.name, a.unit)) {
          shares[static_cast<std::size_t>(a.numerator.band)] = *share;
          ++given;
        }
      }
      double sum = 0.0;
      for (double v : shares) sum += v;
      if (given != age_bands || !(sum > 0.0)) continue;
      // Four decimals each, the last what the others leave, so that they sum to 1 as the loader checks.
      std::string list = "[";
      long left = 10000;
      for (std::size_t b = 0; b < shares.size(); ++b) {
        const long share = b + 1 < shares.size() ? std::lround(10000.0 * shares[b] / sum) : left;
        left -= share;
        char text[16];
        std::snprintf(text, sizeof text, "%.4f", static_cast<double>(share) / 10000.0);
        list += (b > 0 ? ", " : "") + std::string(text);
      }
      starting_["service." + s.id + ".initial.by_age"] = {
          list + "]", "from the council: its children's age bands at 31 March " + std::to_string(first_year_)};
    }
  }
  // The share of the workforce that holds cases, from the council's caseload figure: caseload per case-holding
  // social worker is what the model reports with the teams' case_holding_share, and the share decides nothing
  // else (it is read by the caseload selector only), so it is set straight from the figures rather than fitted:
  // the share in force times the simulated caseload over the council's, in its latest fitted year. Called at the
  // start and again at the best point; returns whether it changed anything.
  bool set_case_holding(const std::vector<Figure>& figures, const Scenario& scenario) {
    double council = NAN;
    double simulated = NAN;
    for (const Figure& f : figures) {
      if (f.figure.target.measure == "caseload_per_sw_fte" && f.fitted &&
          f.figure.year == latest_with(f.figure.target.measure)) {
        council = f.figure.target.value;
        simulated = f.ci.mean;
      }
    }
    if (!(council > 0.0) || !(simulated > 0.0)) return false;
    bool changed = false;
    for (const ReportMeasure& m : scenario.reporting) {
      if (m.name != "caseload_per_sw_fte" || m.numerator.kind != Selector::Kind::caseload) continue;
      for (int i : m.numerator.services) {
        const ServiceSpec& s = scenario.pathway.services()[i];
        const std::string key = "service." + s.id + ".team.case_holding_share";
        const auto it = starting_.find(key);
        const double now = it == starting_.end() ? s.team.case_holding_share : std::stod(it->second.first);
        const double share = std::clamp(now * simulated / council, 0.05, 1.0);
        char comment[240];
        std::snprintf(comment, sizeof comment,
                      "from the workforce: the council's caseload, %.3g cases per case-holding social worker in %d; "
                      "the base's %.3g",
                      council, latest_with("caseload_per_sw_fte"), s.team.case_holding_share);
        starting_[key] = {number_text(share), comment};
        changed = changed || std::abs(share - now) > 1e-9;
      }
    }
    return changed;
  }
  // The workforce's flows from the council's figures, not fitted: each year's turnover (the teams of the
  // turnover measure leave at the base's rate times the council's turnover over the simulated one at the start, that
  // year), and the time to recruit from the vacancies of the first year (vacancies are about turnover times the time
  // to fill a post: the base's time times the council's vacancy rate over the simulated one, over the turnover's
  // factor that year). Without the figures, the base's flows stand.
  void set_workforce_flows(const std::vector<Figure>& at_start, const Scenario& scenario) {
    auto by_year = [&](const std::string& measure) {
      std::map<int, std::pair<double, double>> out;  // year -> council, simulated
      for (const Figure& f : at_start) {
        if (f.fitted && f.figure.target.measure == measure && f.ci.mean > 0.0 && f.figure.target.value > 0.0)
          out[f.figure.year] = {f.figure.target.value, f.ci.mean};
      }
      return out;
    };
    const auto turnover = by_year("sw_turnover_rate");
    const auto vacancy = by_year("sw_vacancy_rate");
    if (!turnover.count(first_year_)) return;
    std::vector<const ServiceSpec*> teams;
    for (const ReportMeasure& m : scenario.reporting) {
      if (m.name != "sw_turnover_rate" || m.numerator.kind != Selector::Kind::turnover) continue;
      for (int i : m.numerator.services) {
        const ServiceSpec& t = scenario.pathway.services()[i];
        if (t.team.turnover_per_year > 0.0) teams.push_back(&t);
      }
    }
    if (teams.empty()) return;
    const double first_factor = turnover.at(first_year_).first / turnover.at(first_year_).second;
    for (const ServiceSpec* t : teams) {
      const std::string key = "service." + t->id + ".team.turnover_per_year";
      for (const auto& [year, values] : turnover) {
        const double v = std::clamp(t->team.turnover_per_year * values.first / values.second, 0.0, 5.0);
        if (year == first_year_) {
          starting_[key] = {number_text(v), "from the workforce: the council's turnover, " + number_text(values.first) +
                                                " in " + std::to_string(year) + " (the base's " +
                                                number_text(t->team.turnover_per_year) +
                                                "); each later year's in the changes"};
        } else {
          yearly_[year][key] = number_text(v);
        }
      }
      if (const auto v = vacancy.find(first_year_); v != vacancy.end() && t->team.recruitment_days > 0.0) {
        const double days =
            std::clamp(t->team.recruitment_days * v->second.first / v->second.second / first_factor, 1.0, 3650.0);
        starting_["service." + t->id + ".team.recruitment_days"] = {
            number_text(days), "from the workforce: the council's vacancy rate, " + number_text(v->second.first) +
                                   " in " + std::to_string(first_year_) + ", over its turnover (the base's " +
                                   number_text(t->team.recruitment_days) + " days)"};
      }
    }
  }

  int latest_with(const std::string& measure) const {
    int year = 0;
    for (const CouncilFigure& f : council_.rows) {
      if (f.target.measure == measure && f.year <= fit_last_) year = std::max(year, f.year);
    }
    return year;
  }
  const std::string& establishment_note() const { return establishment_note_; }

 private:
  const FitOptions& o_;
  CouncilFigures council_;
  std::vector<ActiveLever> active_;
  fs::path base_;
  int warmup_years_;
  int first_year_;
  int fit_last_;
  long children_;
  ScratchDir scratch_;
  ForkExecutor executor_;
  int runs_ = 0;
  std::map<std::string, std::pair<std::string, std::string>> establishment_;  ///< key -> value, comment
  std::string establishment_note_;
  std::map<std::string, std::pair<std::string, std::string>> starting_;  ///< key -> value, comment
  /// Values set from a later year of the council's figures: year -> key -> value (in the change of that year).
  std::map<int, std::map<std::string, std::string>> yearly_;
};

}  // namespace

// Gauss-Newton steps from `x` (units of the levers' ranges, in [0, 1]); see its call in command_fit. `evaluate`
// runs a point, counts the evaluation and keeps the best point, from which BOBYQA goes on.
template <typename Evaluate>
void gauss_newton(Evaluate& evaluate, std::vector<double> x, std::size_t n, int max_evaluations, const int& evaluations,
                  bool quiet) {
  // A tenth of each lever's range: wide enough to see past the steps that common random numbers make in the misses.
  constexpr double step = 0.1;
  // The misfit is the sum of the squared residuals.
  const std::vector<Figure> start = evaluate(x);
  std::vector<double> r = Fit::residuals(start);
  double f = Fit::misfit(start);
  double radius = 0.2;
  // Each iteration costs n evaluations for the Jacobian and at least one for the step; BOBYQA keeps 2n + 2 and more.
  while (max_evaluations - evaluations >= static_cast<int>(3 * n + 4)) {
    const std::size_t m = r.size();
    std::vector<std::vector<double>> jacobian(n, std::vector<double>(m, 0.0));  // by lever, then by figure
    for (std::size_t j = 0; j < n; ++j) {
      std::vector<double> moved = x;
      const double h = x[j] + step <= 1.0 ? step : -step;
      moved[j] += h;
      const std::vector<double> rj = Fit::residuals(evaluate(moved));
      for (std::size_t i = 0; i < m && i < rj.size(); ++i) jacobian[j][i] = (rj[i] - r[i]) / h;
    }
    // The linear model's sum of squares at a step d: |r + J d|^2, with its gradient 2 J^T (r + J d).
    struct Model {
      const std::vector<double>* r;
      const std::vector<std::vector<double>>* jacobian;
    } model{&r, &jacobian};
    auto model_value = [](const std::vector<double>& d, std::vector<double>& gradient, void* data) -> double {
      const auto* mdl = static_cast<const Model*>(data);
      const std::vector<double>& res = *mdl->r;
      const auto& jac = *mdl->jacobian;
      std::vector<double> predicted = res;
      for (std::size_t j = 0; j < d.size(); ++j) {
        for (std::size_t i = 0; i < res.size(); ++i) predicted[i] += jac[j][i] * d[j];
      }
      double value = 0.0;
      for (double v : predicted) value += v * v;
      if (!gradient.empty()) {
        for (std::size_t j = 0; j < d.size(); ++j) {
          double g = 0.0;
          for (std::size_t i = 0; i < res.size(); ++i) g += jac[j][i] * predicted[i];
          gradient[j] = 2.0 * g;
        }
      }
      return value;
    };
    bool accepted = false;
    double gain = 0.0;
    for (int attempt = 0; attempt < 3 && max_evaluations - evaluations >= static_cast<int>(2 * n + 3); ++attempt) {
      nlopt::opt opt(nlopt::LD_LBFGS, static_cast<unsigned>(n));
      std::vector<double> low(n), high(n), d(n, 0.0);
      for (std::size_t j = 0; j < n; ++j) {
        low[j] = std::max(-radius, -x[j]);
        high[j] = std::min(radius, 1.0 - x[j]);
      }
      opt.set_lower_bounds(low);
      opt.set_upper_bounds(high);
      opt.set_min_objective(model_value, &model);
      opt.set_xtol_abs(1e-4);
      opt.set_maxeval(2000);
      double predicted = f;
      try {
        opt.optimize(d, predicted);
      } catch (const std::exception&) {
        std::vector<double> no_gradient;
        predicted = model_value(d, no_gradient, &model);
      }
      double longest = 0.0;
      for (double v : d) longest = std::max(longest, std::abs(v));
      if (longest < 0.005 || !(predicted < f)) break;  // the model sees no descent worth a step
      std::vector<double> next = x;
      for (std::size_t j = 0; j < n; ++j) next[j] = std::clamp(x[j] + d[j], 0.0, 1.0);
      const std::vector<Figure> at_next = evaluate(next);
      const std::vector<double> r_next = Fit::residuals(at_next);
      const double f_next = Fit::misfit(at_next);
      const double ratio = (f - f_next) / (f - predicted);
      if (f_next < f) {
        gain = (f - f_next) / f;
        x = next;
        r = r_next;
        f = f_next;
        accepted = true;
        if (ratio > 0.75) radius = std::min(2.0 * radius, 0.5);
        if (ratio < 0.25) radius = std::max(radius / 2.0, 0.02);
        break;
      }
      radius = std::max(longest / 2.0, 0.02);
    }
    if (!quiet) {
      std::fprintf(stderr, "frontdoor: fit: Gauss-Newton step %s: misfit %.3f (trust region %.2f of the ranges)\n",
                   accepted ? "taken" : "not taken", f, radius);
    }
    if (!accepted || gain < 0.01) break;
  }
}

std::string fit_lever_table() {
  std::ostringstream out;
  for (const Lever& l : levers()) {
    const std::string name = l.name;
    out << "  " << name << std::string(std::max<std::size_t>(1, 25 - std::min<std::size_t>(name.size(), 24)), ' ')
        << number_text(l.low) << " to " << number_text(l.high) << ": " << l.words << " (moves " << l.moves << ")\n";
  }
  return out.str();
}

int command_fit(const FitOptions& o) {
  // Everything is checked before a replication runs: the figures, the base, the levers, the files to write.
  const fs::path out = o.out;
  if (out.extension() != ".toml") return bad_input("--out " + o.out + ": the fitted scenario is a .toml file");
  const fs::path report = out.parent_path() / (out.stem().string() + "_fit.csv");
  const fs::path out_dir = out.parent_path().empty() ? fs::path(".") : out.parent_path();
  if (!fs::is_directory(out_dir))
    return bad_input("--out " + o.out + ": the directory " + out_dir.string() + " does not exist");
  if (!o.force) {
    for (const fs::path& p : {out, report}) {
      if (fs::exists(p)) return bad_input(p.string() + " exists: choose another --out, or add --force to replace it");
    }
  }
  CouncilFigures council;
  try {
    const std::vector<CalibrationTarget> known =
        read_targets(std::string(FRONTDOOR_SOURCE_ROOT) + "/calibration/england_targets.csv");
    council = read_council_figures(o.council, known);
  } catch (const RunReadError& e) {
    return bad_input(e.what());
  }
  const std::vector<int> years = council.years();
  const int first_year = years.front();
  const int all_last = years.back();
  int fit_last = all_last;
  if (o.until != 0) {
    if (o.until < first_year || o.until >= all_last) {
      return bad_input("--until " + std::to_string(o.until) + ": " + o.council + " has figures for " +
                       std::to_string(first_year) + " to " + std::to_string(all_last) +
                       ": give a year from the first to the one before the last, so that some years are left to "
                       "forecast");
    }
    fit_last = o.until;
  }
  long children = 0;
  for (const auto& [year, n] : council.population) {
    if (year <= fit_last) children = n;
  }
  // The levers asked for, by name.
  std::set<std::string> wanted;
  if (!o.parameters.empty()) {
    std::stringstream list(o.parameters);
    std::string name;
    while (std::getline(list, name, ',')) {
      const bool known = std::any_of(levers().begin(), levers().end(), [&](const Lever& l) { return name == l.name; });
      if (!known) {
        return bad_input("--parameters: no lever \"" + name + "\"; fit knows:\n" + fit_lever_table());
      }
      wanted.insert(name);
    }
  }
  // The base for the council's children: its values in force, and its warm-up.
  Scenario plain;
  try {
    plain = carry_scenario(o.base, {{"population.children", std::to_string(children)}}).scenario;
  } catch (const ScenarioError& e) {
    return bad_input(e.what());
  }
  const int warmup_years = o.warmup_years;
  std::vector<ActiveLever> active;
  std::vector<std::string> absent;
  for (const Lever& l : levers()) {
    if (!wanted.empty() && !wanted.count(l.name)) continue;
    if (l.form == Form::trend && fit_last == first_year) continue;  // one year has no trend
    ActiveLever a{&l, {}, 0.0, -1};
    for (const std::string& pattern : l.keys) {
      for (const ParameterRecord& p : plain.parameters) {
        if (matches(pattern, p.key) && p.origin != "default") a.values.emplace_back(p.key, p.value);
      }
      if (!a.values.empty()) break;  // the first of the keys the base has (a budget, else an establishment)
    }
    if (a.values.empty()) {
      absent.push_back(l.name);
      continue;
    }
    if (l.form == Form::value) a.start = std::stod(a.values.front().second);
    if (l.form == Form::factor) a.start = 1.0;
    if (l.form == Form::below) {
      const auto it = std::find_if(active.begin(), active.end(),
                                   [&](const ActiveLever& b) { return std::string(b.lever->name) == l.below; });
      if (it == active.end()) {
        // Without its referral threshold, the early-help gap is the base's.
        absent.push_back(l.name);
        continue;
      }
      a.below_index = static_cast<int>(it - active.begin());
      a.start = it->start - std::stod(a.values.front().second);
    }
    active.push_back(std::move(a));
  }
  if (active.empty()) return bad_input("--parameters: the base " + o.base + " has none of the levers asked for");
  // The written scenario runs to five years after the council's last: the years a strategist projects.
  const int written_years = all_last - first_year + warmup_years + 1 + 5;
  std::vector<double> x0;
  Fit fit(o, council, active, o.base, warmup_years, first_year, fit_last, children);
  fit.set_starting_caseloads(plain);
  for (std::size_t i = 0; i < active.size(); ++i) x0.push_back(fit.unit_of(i, active[i].start));
  // Both corners of the ranges must be valid scenarios: a range crossing another key's rule is refused here.
  try {
    for (double corner : {0.0, 1.0}) {
      ScratchDir check("frontdoor-fit-check");
      const fs::path file = check.path() / "scenario.toml";
      write_file_atomically(file, fit.scenario_text(std::vector<double>(active.size(), corner),
                                                    fs::absolute(o.base).string(), written_years, ""));
      carry_scenario(file.string(), {});
    }
  } catch (const ScenarioError& e) {
    return bad_input(std::string("the levers' ranges break a rule of the base ") + o.base + ":\n" + e.what());
  }

  if (!o.quiet) {
    std::fprintf(stderr, "frontdoor: fit: %zu levers to %s's figures for %d to %d, %d replications an evaluation\n",
                 active.size(), council.council.c_str(), first_year, fit_last, o.replications);
  }
  int evaluations = 0;
  double best = INFINITY;
  std::vector<double> best_x = x0;
  std::exception_ptr failure;
  bool converged = false;
  std::string stopped_because;
  std::vector<Figure> best_figures;
  try {
    // The start fixes the establishments from the workforce figure.
    const std::vector<Figure> at_start = fit.simulate(x0, o.replications, fit_last);
    fit.set_establishments(at_start, plain);
    fit.set_case_holding(at_start, plain);
    fit.set_workforce_flows(at_start, plain);
    // A factor with a figure to start from: the council's figure in its first year over the simulated one.
    for (std::size_t i = 0; i < active.size(); ++i) {
      const Lever& l = *active[i].lever;
      if (l.form != Form::factor || l.start_from == nullptr) continue;
      for (const Figure& f : at_start) {
        if (f.figure.year == first_year && f.figure.target.measure == l.start_from && f.ci.mean > 0.0) {
          x0[i] = fit.unit_of(i, fit.value_at(i, x0[i]) * f.figure.target.value / f.ci.mean);
        }
      }
    }
    best_x = x0;
    auto evaluate = [&](const std::vector<double>& x) {
      std::vector<Figure> figures = fit.simulate(x, o.replications, fit_last);
      const double f = Fit::misfit(figures);
      ++evaluations;
      if (f < best) {
        best = f;
        best_x = x;
        best_figures = figures;
      }
      if (!o.quiet) {
        std::fprintf(
            stderr, "frontdoor: fit: evaluation %d of at most %d: misfit %.3f (best %.3f, %d of %zu figures in band)\n",
            evaluations, o.max_evaluations, f, best, Fit::inside(best_figures, true),
            static_cast<std::size_t>(
                std::count_if(best_figures.begin(), best_figures.end(), [](const Figure& g) { return g.fitted; })));
      }
      return figures;
    };
    auto objective = [&](const std::vector<double>& x) { return Fit::misfit(evaluate(x)); };
    // First, Gauss-Newton on the misses (--optimiser bobyqa): the misfit is a sum of squares, so a Jacobian of the
    // misses by forward steps of a tenth of each lever's range (on common random numbers, one evaluation a
    // lever) gives a linear model of all of them at once, which NLopt's bounded L-BFGS minimises inside a trust
    // region; the step is taken if the simulated misfit falls, and the region widens or narrows as the model
    // predicted well or badly. It ends when a step gains under 1% or would leave too few evaluations for BOBYQA,
    // which then polishes from the best point (the search of one number cannot see which figures a lever moves).
    if (o.optimiser == "bobyqa") gauss_newton(evaluate, best_x, active.size(), o.max_evaluations, evaluations, o.quiet);
    const std::map<std::string, nlopt::algorithm> algorithms = {{"bobyqa", nlopt::LN_BOBYQA},
                                                                {"sbplx", nlopt::LN_SBPLX},
                                                                {"neldermead", nlopt::LN_NELDERMEAD},
                                                                {"cobyla", nlopt::LN_COBYLA}};
    const nlopt::algorithm algorithm = algorithms.at(o.optimiser);
    struct Data {
      decltype(objective)* f;
      std::exception_ptr* failure;
    } data{&objective, &failure};
    // BOBYQA, restarted from the best point with a fresh trust region: on common random numbers the misfit is flat
    // over small steps, so one round can stop on a plateau. A round that improves the misfit by less than 1% is
    // followed by one from a trust region twice as wide as the first, to step off the plateau; two such rounds in a
    // row end the fit.
    nlopt::result result = nlopt::FAILURE;
    int stalled = 0;
    for (int round = 1;; ++round) {
      const int left = o.max_evaluations - evaluations;
      if (left < 2 * static_cast<int>(active.size()) + 2) {
        result = nlopt::MAXEVAL_REACHED;
        break;
      }
      nlopt::opt opt(algorithm, static_cast<unsigned>(active.size()));
      opt.set_lower_bounds(std::vector<double>(active.size(), 0.0));
      opt.set_upper_bounds(std::vector<double>(active.size(), 1.0));
      opt.set_initial_step(round == 1 ? 0.1 : stalled > 0 ? 0.2 : 0.05);
      opt.set_xtol_abs(0.005);  // half a percent of each lever's range
      opt.set_maxeval(left);
      opt.set_min_objective(
          [](const std::vector<double>& x, std::vector<double>&, void* d) -> double {
            auto* call = static_cast<Data*>(d);
            try {
              return (*call->f)(x);
            } catch (...) {
              *call->failure = std::current_exception();
              throw nlopt::forced_stop();
            }
          },
          &data);
      const double before = best;
      std::vector<double> x = best_x;
      double minimum = 0.0;
      try {
        result = opt.optimize(x, minimum);
      } catch (const nlopt::forced_stop&) {
        if (failure) std::rethrow_exception(failure);
        throw;
      } catch (const nlopt::roundoff_limited&) {
        result = nlopt::ROUNDOFF_LIMITED;
      }
      if (failure) std::rethrow_exception(failure);
      if (result == nlopt::MAXEVAL_REACHED || result < 0) break;
      stalled = best < before * 0.99 ? 0 : stalled + 1;
      if (stalled == 2) {
        // Two rounds in a row gained under 1%. Before calling it converged, step each lever a tenth of its range
        // either way from the best point: a trust region that shrank on a noisy plateau can miss a descent along
        // one lever that a step of that size finds. A gain of 1% or more starts the rounds again from there.
        const double settled = best;
        for (std::size_t i = 0; i < active.size() && evaluations + 1 < o.max_evaluations; ++i) {
          for (const double step : {-0.1, 0.1}) {
            std::vector<double> probe = best_x;
            probe[i] = std::clamp(probe[i] + step, 0.0, 1.0);
            if (probe[i] != best_x[i] && evaluations < o.max_evaluations) objective(probe);
          }
        }
        if (!(best < settled * 0.99)) break;  // converged
        stalled = 0;
        if (!o.quiet) {
          std::fprintf(stderr, "frontdoor: fit: a step of a tenth of a lever's range lowered the misfit to %.3f\n",
                       best);
        }
      }
      if (!o.quiet) {
        std::fprintf(stderr, "frontdoor: fit: round %d ended at misfit %.3f; again from there%s\n", round, best,
                     stalled > 0 ? ", with a wider step" : "");
      }
    }
    converged = result == nlopt::FTOL_REACHED || result == nlopt::XTOL_REACHED || result == nlopt::ROUNDOFF_LIMITED ||
                result == nlopt::SUCCESS || result == nlopt::STOPVAL_REACHED;
    stopped_because = result == nlopt::MAXEVAL_REACHED
                          ? "the evaluations ran out at --max-evaluations " + std::to_string(o.max_evaluations)
                          : "the optimiser stopped (NLopt result " + std::to_string(static_cast<int>(result)) + ")";
    // The caseload at the best point, not the start, sets the share that holds cases.
    fit.set_case_holding(best_figures, plain);
  } catch (const ScenarioError& e) {
    return bad_input(e.what());
  } catch (const RunError& e) {
    std::cerr << "frontdoor: error: the simulation failed:\n" << e.what() << "\n";
    return exit_run_failed;
  }
  // Which levers the figures pin down: a tenth of its range either way changes the sum of squared misses by 1 or
  // more (a change of that size is what the figures' bands can tell apart).
  std::vector<std::string> unpinned;
  std::vector<double> rise(active.size(), 0.0);
  try {
    const double at_best = Fit::misfit(fit.simulate(best_x, o.replications, fit_last), true);
    for (std::size_t i = 0; i < active.size(); ++i) {
      double smallest = INFINITY;
      for (double step : {-0.1, 0.1}) {
        std::vector<double> x = best_x;
        x[i] = std::clamp(x[i] + step, 0.0, 1.0);
        if (x[i] == best_x[i]) continue;
        smallest = std::min(smallest, std::abs(Fit::misfit(fit.simulate(x, o.replications, fit_last), true) - at_best));
      }
      rise[i] = smallest;
      if (!(smallest >= 1.0)) unpinned.push_back(active[i].lever->name);
      if (!o.quiet)
        std::fprintf(stderr, "frontdoor: fit: probing %s: the sum of squared misses changes by %.2f\n",
                     active[i].lever->name, smallest);
    }
  } catch (const RunError& e) {
    std::cerr << "frontdoor: error: the simulation failed:\n" << e.what() << "\n";
    return exit_run_failed;
  }
  // The report: the best point on more replications, every figure to the last year (the forecast too).
  std::vector<Figure> figures;
  try {
    figures = fit.simulate(best_x, o.check_replications, all_last);
  } catch (const RunError& e) {
    std::cerr << "frontdoor: error: the simulation failed:\n" << e.what() << "\n";
    return exit_run_failed;
  }
  const double final_misfit = Fit::misfit(figures);
  const int fitted_count =
      static_cast<int>(std::count_if(figures.begin(), figures.end(), [](const Figure& f) { return f.fitted; }));

  // The base as given, or relative to the working directory when it is below it (the default is absolute).
  std::string base_shown = o.base;
  if (const fs::path relative = fs::absolute(o.base).lexically_relative(fs::current_path());
      !relative.empty() && *relative.begin() != "..") {
    base_shown = relative.generic_string();
  }
  std::ostringstream text;
  text << (converged ? "Fitted " : "NOT CONVERGED: ") << council.council << " (" << o.council << ") on " << base_shown
       << ", the figures of " << first_year << " to " << fit_last << ": " << evaluations << " evaluations of "
       << o.replications << " replications (seed " << o.seed << "), NLopt's " << o.optimiser << ".\n";
  if (!converged) text << "The fit did not converge: " << stopped_because << ". The best point is written.\n";
  text << "Misfit " << fixed(final_misfit, 3) << " on " << o.check_replications
       << " replications (the mean squared miss, each miss scaled by its figure's band: 1 or less is inside on "
          "average); "
       << Fit::inside(figures, true) << " of " << fitted_count << " figures in band.\n\n";
  text << "Levers (fitted value; its range; the change in the sum of squared misses a tenth of its range away (the "
          "smaller side)):\n";
  for (std::size_t i = 0; i < active.size(); ++i) {
    const Lever& l = *active[i].lever;
    char row[400];
    std::snprintf(row, sizeof row, "  %-24s %10s   %6s to %-6s %8s  %s%s\n", l.name,
                  number_text(fit.value_at(i, best_x[i])).c_str(), number_text(l.low).c_str(),
                  number_text(l.high).c_str(), std::isfinite(rise[i]) ? fixed(rise[i], 1).c_str() : "-", l.moves,
                  std::find(unpinned.begin(), unpinned.end(), l.name) != unpinned.end() ? "  NOT PINNED DOWN" : "");
    text << row;
  }
  if (!absent.empty()) {
    text << "  (not fitted, the base has no such keys or the lever they follow: " << join(absent, ", ") << ")\n";
  }
  text << (unpinned.empty() ? "Every lever is pinned down by the figures.\n"
                            : "The figures could not pin down: " + join(unpinned, ", ") +
                                  " (their values are the fit's, not the figures').\n");
  text << fit.establishment_note() << "\n\n";
  char head[300];
  std::snprintf(head, sizeof head, "%-5s %-44s %-22s %10s %21s %28s\n", "year", "measure", "unit", "figure", "band",
                "simulated (95% CI)");
  text << head;
  for (const Figure& f : figures) {
    if (!f.fitted) continue;
    const CalibrationTarget& t = f.figure.target;
    char row[400];
    std::snprintf(
        row, sizeof row, "%-5d %-44s %-22s %10s %21s %28s  %s\n", f.figure.year, t.measure.c_str(), t.unit.c_str(),
        human_number(t.value).c_str(), (human_number(t.low) + " to " + human_number(t.high)).c_str(),
        (human_number(f.ci.mean) + " (" + human_number(f.ci.low) + "-" + human_number(f.ci.high) + ")").c_str(),
        std::abs(f.miss) <= 1.0 ? "in" : "OUT");
    text << row;
  }
  if (fit_last < all_last) {
    text << "\nBack-test: fitted on " << first_year << " to " << fit_last << ", forecast for " << fit_last + 1 << " to "
         << all_last << " (noticing holds at " << fit_last << "'s level after it):\n";
    std::snprintf(head, sizeof head, "%-44s %-22s %8s %16s %14s\n", "measure", "unit", "years", "mean abs. error",
                  "inside band");
    text << head;
    std::map<std::pair<std::string, std::string>, std::vector<const Figure*>> by_measure;
    std::vector<std::pair<std::string, std::string>> order;
    for (const Figure& f : figures) {
      if (f.fitted) continue;
      const auto key = std::make_pair(f.figure.target.measure, f.figure.target.unit);
      if (!by_measure.count(key)) order.push_back(key);
      by_measure[key].push_back(&f);
    }
    for (const auto& key : order) {
      double error = 0.0;
      int in = 0;
      for (const Figure* f : by_measure[key]) {
        error += std::abs(f->ci.mean - f->figure.target.value) / std::max(std::abs(f->figure.target.value), 1e-12);
        in += std::abs(f->miss) <= 1.0 ? 1 : 0;
      }
      const auto n = by_measure[key].size();
      char row[300];
      std::snprintf(row, sizeof row, "%-44s %-22s %8zu %15s%% %8d of %zu\n", key.first.c_str(), key.second.c_str(), n,
                    fixed(100.0 * error / static_cast<double>(n), 1).c_str(), in, n);
      text << row;
    }
    text << Fit::inside(figures, false) << " of " << figures.size() - static_cast<std::size_t>(fitted_count)
         << " forecast figures inside their band.\n";
  }

  // The files: the scenario (each fitted value commented) and the report's figures.
  // What reproduces it: every option that changes the answer (not --jobs, --quiet or --force).
  std::string command = "frontdoor fit " + o.council + " --base " + base_shown;
  if (o.until) command += " --until " + std::to_string(o.until);
  if (!o.parameters.empty()) command += " --parameters " + o.parameters;
  command += " --warmup-years " + std::to_string(o.warmup_years) + " --optimiser " + o.optimiser +
             " --max-evaluations " + std::to_string(o.max_evaluations) + " -r " + std::to_string(o.replications) +
             " --check-replications " + std::to_string(o.check_replications) + " --seed " + std::to_string(o.seed);
  std::string header = "# " + council.council + ", fitted to its figures of " + std::to_string(first_year) + " to " +
                       std::to_string(fit_last) + " by\n#   " + command + "\n# " +
                       (converged ? "Converged" : "NOT CONVERGED (" + stopped_because + ")") + ": misfit " +
                       fixed(final_misfit, 3) + ", " + std::to_string(Fit::inside(figures, true)) + " of " +
                       std::to_string(fitted_count) + " figures in band. The figures and the simulated values are in " +
                       report.filename().string() + ".\n";
  if (!unpinned.empty()) {
    header += "# Not pinned down by the figures: " + join(unpinned, " ") + ".\n";
  }
  header += "\n";
  const fs::path base_relative = fs::relative(fs::absolute(o.base), fs::absolute(out_dir));
  const std::string scenario_toml = fit.scenario_text(best_x, base_relative.generic_string(), written_years, header);
  std::ostringstream csv;
  csv << "year,measure,unit,value,low,high,simulated,ci95_low,ci95_high,inside,used\n";
  for (const Figure& f : figures) {
    const CalibrationTarget& t = f.figure.target;
    csv << f.figure.year << "," << t.measure << "," << t.unit << "," << number_text(t.value) << ","
        << number_text(t.low) << "," << number_text(t.high) << "," << number_text(f.ci.mean) << ","
        << number_text(f.ci.low) << "," << number_text(f.ci.high) << "," << (std::abs(f.miss) <= 1.0 ? "yes" : "no")
        << "," << (f.fitted ? "fit" : "forecast") << "\n";
  }
  try {
    write_file_atomically(out, scenario_toml);
    write_file_atomically(report, csv.str());
  } catch (const OutputError& e) {
    std::cerr << "frontdoor: error: " << e.what() << "\n";
    return exit_run_failed;
  }
  std::cout << text.str() << "\nWrote " << out.string() << " and " << report.string() << ".\n";
  return converged ? exit_ok : exit_run_failed;
}

}  // namespace frontdoor
