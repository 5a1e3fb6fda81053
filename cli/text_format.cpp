#include "cli/text_format.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "models/arrivals.hpp"

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
  out << "frontdoor: " << scenario.name << " " << scenario.version << ", " << results.size() << " replication"
      << (results.size() == 1 ? "" : "s") << " x " << scenario.simulation.years << " years from "
      << format_date(scenario.simulation.start_date) << ", base seed " << seed << "\n";
  out << "Statistics exclude a warm-up of " << human_number(scenario.simulation.warmup_days)
      << " days; intervals are 95% Student-t over replications.\n\n";
  out << pad("measure", 30, false) << pad("mean", 14, true) << "   " << "95% CI" << "\n";
  out << std::string(72, '-') << "\n";
  for (const auto& row : summary) {
    std::string ci = std::isfinite(row.ci95_low) ? human_number(row.ci95_low) + " to " + human_number(row.ci95_high)
                                                 : "(needs 2+ replications)";
    out << pad(row.measure, 30, false) << pad(human_number(row.mean), 14, true) << "   " << ci << "\n";
  }
  out << "\n" << human_number(static_cast<double>(events)) << " engine events in " << human_number(wall)
      << " s of replication time. Results in " << out_dir << "/ (timeseries.csv, summary.csv, manifest.json)\n";
  return out.str();
}

std::string describe_scenario(const Scenario& s) {
  std::ostringstream out;
  const SimCalendar calendar = s.make_calendar();
  out << s.name << " (version " << s.version << ") from " << s.file << "\n  " << s.description << "\n\n";
  out << "Simulation: " << s.simulation.years << " years from " << format_date(s.simulation.start_date) << " ("
      << calendar.horizon_days() << " days), warm-up " << human_number(s.simulation.warmup_days) << " days; "
      << human_number(s.children) << " children.\n\n";
  out << "Referral sources:\n";
  double total_per_day = 0.0;
  for (const auto& src : s.sources) {
    const double per_year = ArrivalProcess(src, calendar).expected_total() / s.simulation.years;
    total_per_day += per_year / 365.25;
    out << "  " << pad(source_name(src.kind), 16, false) << pad(human_number(src.contacts_per_day), 8, true)
        << " contacts/day" << (src.pattern == ArrivalPattern::deterministic ? " (evenly spaced)" : " (Poisson)")
        << (src.follows_school_calendar ? ", x" + human_number(src.holiday_factor) + " in school holidays" : "")
        << "  -> about " << human_number(per_year) << " a year\n";
  }
  const FrontDoorSpec& fd = s.front_door;
  const double load = total_per_day * fd.screening_time.mean();
  out << "\nFront door: " << fd.screeners << " screeners, first come first served; screening "
      << fd.screening_time.describe() << ".\n";
  out << "  Offered load " << human_number(load) << " screeners on average, utilisation about "
      << human_number(load / fd.screeners) << (load >= fd.screeners ? "  (WARNING: the queue will grow without bound)" : "")
      << "\n";
  for (const auto& change : fd.schedule) {
    out << "  From day " << human_number(change.from_day) << ": " << change.screeners << " screeners\n";
  }
  out << "  Decisions: no further action " << human_number(fd.decision.no_further_action) << ", early help "
      << human_number(fd.decision.early_help) << ", referral " << human_number(fd.decision.referral) << "\n";
  if (!s.overrides.empty()) {
    out << "\nOverrides:\n";
    for (const auto& o : s.overrides) out << "  --set " << o.key << "=" << o.value << "\n";
  }
  out << "\nParameters (key, value, unit, valid range, origin):\n";
  for (const auto& p : s.parameters) {
    out << "  " << pad(p.key, 44, false) << pad(p.value, 14, false) << pad(p.unit, 20, false)
        << pad(p.range, 22, false) << p.origin << "\n";
  }
  return out.str();
}

}  // namespace frontdoor
