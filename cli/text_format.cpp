#include "cli/text_format.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "analysis/warmup.hpp"
#include "models/arrivals.hpp"
#include "models/measures.hpp"

namespace frontdoor {

std::string human_number(double value) {
  if (!std::isfinite(value)) return "-";
  char buffer[64];
  if (std::abs(value) >= 1000.0) {
    std::snprintf(buffer, sizeof buffer, "%.0f", std::abs(value));
    std::string digits = buffer;
    std::string grouped;
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
      grouped += digits[i];
    }
    return (value < 0 ? "-" : "") + grouped;
  }
  if (std::abs(value) >= 100.0) {
    std::snprintf(buffer, sizeof buffer, "%.1f", value);
  } else if (std::abs(value) >= 1.0) {
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.4f", value);
  }
  return buffer;
}

namespace {
std::string pad(const std::string& text, std::size_t width, bool right) {
  if (text.size() >= width) return right ? " " + text : text + " ";
  const std::string fill(width - text.size(), ' ');
  return right ? fill + text : text + fill;
}
}  // namespace

std::string summary_table(const Scenario& scenario, std::uint64_t seed, const std::vector<ReplicationResult>& results,
                          const std::vector<SummaryRow>& summary, const std::string& out_dir) {
  std::ostringstream out;
  std::uint64_t events = 0;
  double wall = 0.0;
  for (const auto& r : results) {
    events += r.engine_events;
    wall += r.wall_seconds;
  }
  std::map<std::string, const SummaryRow*> by_name;
  for (const auto& row : summary) by_name[row.measure] = &row;
  auto value = [&](const std::string& measure) {
    auto it = by_name.find(measure);
    return it == by_name.end() ? std::string("-") : human_number(it->second->mean);
  };
  auto with_ci = [&](const std::string& measure) {
    auto it = by_name.find(measure);
    if (it == by_name.end()) return std::string("-");
    const SummaryRow& row = *it->second;
    return human_number(row.mean) + (std::isfinite(row.ci95_low) ? " (95% CI " + human_number(row.ci95_low) + " to " +
                                                                       human_number(row.ci95_high) + ")"
                                                                 : "");
  };
  out << "frontdoor: " << scenario.name << " " << scenario.version << ", " << results.size() << " replication"
      << (results.size() == 1 ? "" : "s") << " x " << scenario.simulation.years << " years from "
      << format_date(scenario.simulation.start_date) << ", base seed " << seed << "\n";
  out << "Means over replications after a warm-up of " << human_number(scenario.simulation.warmup_days)
      << " days; summary.csv has every measure with its 95% CI.\n\n";
  out << "Contacts a year: " << with_ci(measure_name::contacts_per_year()) << "\n\n";
  out << pad("service", 24, false) << pad("cases/yr", 10, true) << pad("open", 9, true) << pad("waiting", 9, true)
      << pad("wait (d)", 10, true) << pad("p90 (d)", 9, true) << pad("staff", 8, true) << "  load\n";
  out << std::string(96, '-') << "\n";
  for (const ServiceSpec& s : scenario.pathway.services()) {
    if (s.kind == ServiceKind::exit) continue;
    std::string load = "-";
    if (s.kind == ServiceKind::screening_queue) load = value(measure_name::utilisation(s.id)) + " utilisation";
    if (s.kind == ServiceKind::caseload_team) load = value(measure_name::caseload_per_fte(s.id)) + " cases/FTE";
    out << pad(s.id, 24, false) << pad(value(measure_name::entries_per_year(s.id)), 10, true)
        << pad(value(measure_name::open_mean(s.id)), 9, true) << pad(value(measure_name::queue_mean(s.id)), 9, true)
        << pad(value(measure_name::wait_days_mean(s.id)), 10, true)
        << pad(value(measure_name::wait_days_p90(s.id)), 9, true)
        << pad(s.kind == ServiceKind::screening_queue || s.kind == ServiceKind::caseload_team
                   ? value(measure_name::staff_fte_mean(s.id))
                   : "-",
               8, true)
        << "  " << load << "\n";
  }
  out << "\nLeaving a year:";
  for (const ServiceSpec& s : scenario.pathway.services()) {
    if (s.kind == ServiceKind::exit) out << "  " << s.id << " " << value(measure_name::exits_per_year(s.id));
  }
  out << "\n";
  // The warm-up check: MSER-5 on each service's monthly open cases (mean over replications).
  const std::vector<WarmupFinding> settling = warmup_check(results);
  if (!settling.empty()) {
    const double warmup_months = scenario.simulation.warmup_days / (365.25 / 12.0);
    const WarmupFinding& slowest = settling.front();
    out << "Warm-up check (MSER-5 on each service's monthly open cases): the slowest, " << slowest.series
        << (slowest.at_limit ? ", has not settled by month " : ", settles by month ") << slowest.months
        << (slowest.at_limit ? ", the furthest MSER-5 looks (half the run): it may still be drifting" : "")
        << "; the scenario's warm-up is " << std::lround(warmup_months) << " months.\n";
    if (slowest.months > warmup_months + 0.5) {
      out << "Warning: the warm-up looks too short: results include " << slowest.series
          << "'s settling; set simulation.warmup_days to at least "
          << static_cast<long>(std::ceil(slowest.months * 365.25 / 12.0)) << ".\n";
    }
  }
  out << "\n"
      << human_number(static_cast<double>(events)) << " engine events in " << human_number(wall)
      << " s of replication time. Results in " << out_dir
      << "/ (timeseries.csv, annual.csv, summary.csv, manifest.json, scenario.toml)\n";
  return out.str();
}

std::string describe_scenario(const Scenario& s) {
  std::ostringstream out;
  const SimCalendar calendar = s.make_calendar();
  out << s.name << " (version " << s.version << ") from " << s.file << "\n  " << s.description << "\n";
  for (const auto& inc : s.includes) out << "  includes " << inc << "\n";
  out << "\nSimulation: " << s.simulation.years << " years from " << format_date(s.simulation.start_date) << " ("
      << calendar.horizon_days() << " days), warm-up " << human_number(s.simulation.warmup_days) << " days; "
      << human_number(s.children) << " children.\n\n";
  out << "Referral sources:\n";
  std::array<double, 6> per_day{};
  for (const auto& src : s.sources) {
    if (s.need.enabled) {
      // Reference model: contacts come from children, so only the source's own rates can be shown.
      out << "  " << pad(source_name(src.kind), 16, false) << " notices need levels 0-4 at";
      for (double rate : src.notice_per_year) out << " " << human_number(rate);
      out << " contacts per child-year; describes need with noise sd " << human_number(src.accuracy_sd)
          << (src.co_located ? " (co-located)" : "") << "\n";
      continue;
    }
    const double per_year = ArrivalProcess(src, calendar).expected_total() / s.simulation.years;
    per_day[static_cast<int>(src.kind)] = per_year / 365.25;
    out << "  " << pad(source_name(src.kind), 16, false) << pad(human_number(src.contacts_per_day), 8, true)
        << " contacts/day" << (src.pattern == ArrivalPattern::deterministic ? " (evenly spaced)" : " (Poisson)")
        << (src.follows_school_calendar ? ", x" + human_number(src.holiday_factor) + " in school holidays" : "")
        << "  -> about " << human_number(per_year) << " a year\n";
  }

  // What the pathway implies at steady state: cases a year at each service (traffic equations), the load
  // on each team (Little's law) and whether it can keep up.
  const Pathway& p = s.pathway;
  const std::vector<double> rates = expected_arrival_rates(p, per_day);
  out << "\nPathway (" << p.services().size() << " services, " << p.routes().size() << " routes; entry "
      << p.services()[p.entry()].id << ")"
      << (rates.empty() ? ": decisions on observed need, so volumes emerge from the run (no steady-state estimate):\n"
                        : ", expected at steady state:\n");
  for (std::size_t i = 0; i < p.services().size(); ++i) {
    const ServiceSpec& sv = p.services()[i];
    const double per_year = rates.empty() ? 0.0 : rates[i] * 365.25;
    out << "  " << pad(sv.id, 22, false) << pad(kind_name(sv.kind), 16, false) << pad(human_number(per_year), 9, true)
        << " a year";
    if (sv.kind == ServiceKind::screening_queue) {
      const double load = per_year / 365.25 * sv.work.mean();
      out << "; " << human_number(sv.team.fte) << " screeners, work " << sv.work.describe() << ", utilisation about "
          << human_number(load / sv.team.fte)
          << (load >= sv.team.fte ? "  WARNING: the queue will grow without bound" : "");
    } else if (sv.kind == ServiceKind::caseload_team) {
      const double open = per_year / 365.25 * sv.duration.mean();
      const double demand = per_year / 365.25 * sv.work.mean();
      out << "; " << human_number(sv.team.fte) << " FTE, about " << human_number(open) << " open cases ("
          << human_number(open / sv.team.fte) << " per FTE), work " << human_number(demand) << " FTE"
          << (demand >= sv.team.fte ? "  WARNING: more work than staff, cases will stretch" : "");
      if (sv.team.caseload_cap > 0 && open > sv.team.fte * sv.team.caseload_cap) {
        out << "  WARNING: above the caseload cap, cases will wait unallocated";
      }
    } else if (sv.kind == ServiceKind::decision_point && sv.delay) {
      out << "; decides after " << sv.delay->describe();
    }
    out << "\n";
    for (const auto& change : sv.team.schedule) {
      out << "  " << std::string(38, ' ') << "from day " << human_number(change.from_day) << ": "
          << human_number(change.fte) << (sv.kind == ServiceKind::screening_queue ? " screeners" : " FTE") << "\n";
    }
    if (!sv.decisions.empty()) {
      out << "  " << std::string(38, ' ') << "decides:";
      for (const auto& d : sv.decisions) out << " " << d.name << " " << human_number(d.share);
      out << "\n";
    }
  }
  if (!s.changes.empty()) {
    out << "\nChanges over time:\n";
    for (const auto& change : s.changes) {
      out << "  from " << format_date(calendar.date_of(static_cast<int>(change.from_day))) << " (day "
          << human_number(change.from_day) << ")" << (change.label.empty() ? "" : ": " + change.label) << "\n";
    }
  }
  if (!s.overrides.empty()) {
    out << "\nOverrides:\n";
    for (const auto& o : s.overrides) out << "  --set " << o.text() << "\n";
  }
  out << "\nParameters (key, value, unit, valid range, origin):\n";
  for (const auto& prm : s.parameters) {
    out << "  " << pad(prm.key, 48, false) << pad(prm.value, 14, false) << pad(prm.unit, 22, false)
        << pad(prm.range, 22, false) << prm.origin << "\n";
  }
  return out.str();
}

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string per_child_check(const Scenario& s, const std::vector<CalibrationTarget>& targets) {
  std::ostringstream out;
  const double per_10k = 10000.0 / s.children;
  out << "\nStaff and spend per 10,000 children (" << human_number(s.children) << " children):\n";
  // Social workers: the services the scenario's own social_worker_fte measure counts.
  for (const ReportMeasure& m : s.reporting) {
    if (m.name != "social_worker_fte" || m.numerator.kind != Selector::Kind::fte) continue;
    double fte = 0.0;
    for (int i : m.numerator.services) fte += s.pathway.services()[i].team.fte;
    const double rate = fte * per_10k;
    out << "  social workers' establishment   " << pad(fixed(rate, 1), 9, true) << " FTE";
    for (const CalibrationTarget& t : targets) {
      if (t.measure != "social_worker_fte" || t.unit != "per_10k") continue;
      const bool inside = rate >= t.low && rate <= t.high;
      out << "    England " << fixed(t.value, 0) << " (" << fixed(t.low, 0) << " to " << fixed(t.high, 0)
          << " in post; " << t.source << ")"
          << (inside ? "" : "\n  WARNING: outside England's range: check the establishments (or population.children)");
    }
    out << "\n";
  }
  double staff = 0.0;
  double budgets = 0.0;
  for (const ServiceSpec& sv : s.pathway.services()) {
    if (sv.team.budget_gbp > 0.0) {
      budgets += sv.team.budget_gbp;
    } else {
      staff += sv.team.fte * sv.cost.per_fte_year;
    }
  }
  out << "  staff establishments            " << pad("£" + fixed(staff * per_10k / 1e6, 2) + "m", 10, true)
      << " a year (permanent staff at cost.per_fte_year)\n"
      << "  teams bought by budget_gbp      " << pad("£" + fixed(budgets * per_10k / 1e6, 2) + "m", 10, true)
      << " a year\n"
      << "  (no published range for spend on this scope: placements and activity costs come from the run)\n";
  if (!s.scaled.empty()) {
    out << "\nScaled to " << human_number(s.children) << " children (population.scale = \"per_child\"; from "
        << human_number(s.scaled_from) << " where first written), " << s.scaled.size() << " values:\n";
    for (const auto& line : s.scaled) out << "  " << line << "\n";
  }
  return out.str();
}

}  // namespace frontdoor
