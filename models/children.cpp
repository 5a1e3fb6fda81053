#include "models/children.hpp"

#include <algorithm>
#include <cmath>

namespace frontdoor {

namespace {
constexpr double never = std::numeric_limits<double>::infinity();

// Per child-year, for a child in the pool on day `day`: onset, crisis and a contact from any source.
double pool_rate_per_child(const Scenario& sc, double day) {
  double rate = sc.need.up_per_year[0] + sc.need.crisis_per_year[0];
  const double noticing = sc.need.notice_factor_at(day);
  for (const auto& source : sc.sources) rate += source.notice_per_year[0] * noticing;
  return rate;
}
}  // namespace

ChildRates child_rates(const Child& child, const Scenario& in_force, const HelpNow& help, double day) {
  const NeedSpec& need = in_force.need;
  ChildRates r;
  const int k = child.need;
  r.up = need.up_per_year[k] * (1.0 - help.protection * help.quality) / 365.25;
  r.down = need.down_per_year[k] * (1.0 + help.effect * help.quality) / 365.25;
  r.crisis = need.crisis_per_year[k] * (1.0 - help.protection * help.quality) / 365.25;
  r.harm = need.harm_per_year[k] * (1.0 - help.protection * help.quality) / 365.25;
  r.total = r.up + r.down + r.crisis + r.harm;
  // Agencies go on noticing a child in the pathway (waiting or helped): their contacts go to the team that holds it.
  const double noticing = need.notice_factor_at(day);
  for (const auto& source : in_force.sources) {
    r.notice[static_cast<int>(source.kind)] = source.notice_per_year[k] * noticing / 365.25;
    r.total += source.notice_per_year[k] * noticing / 365.25;
  }
  return r;
}

bool noticed_today(const SourceSpec& source, double t, const SimCalendar& calendar, RandomStream& rng) {
  const double u = rng.uniform01();
  if (!source.follows_school_calendar) return true;
  const int day = std::min(static_cast<int>(t), calendar.horizon_days() - 1);
  return !calendar.is_school_holiday(day) || u < source.holiday_factor;
}

NeedRates starting_need(const Scenario& scenario) {
  NeedRates removal{};
  const Pathway& pathway = scenario.pathway;
  const ServiceSpec& entry = pathway.services()[pathway.entry()];
  double bar = never;
  if (entry.need_rule.active) {
    double lowest = never;
    for (double threshold : entry.need_rule.thresholds) {
      if (!std::isnan(threshold)) lowest = std::min(lowest, threshold);
    }
    for (double threshold : entry.need_rule.thresholds) {
      if (!std::isnan(threshold) && threshold > lowest)
        bar = std::min(bar, threshold + scenario.need.threshold_shift_at(0.0));
    }
  }
  for (const auto& source : scenario.sources) {
    const double sd = std::hypot(entry.need_rule.noise_sd,
                                 source.accuracy_sd * (source.co_located ? scenario.need.co_location_factor : 1.0));
    for (int k = 1; k < need_levels; ++k) {
      const double passes = bar == never ? 1.0
                            : sd > 0.0   ? 0.5 * std::erfc((bar - k) / (sd * std::sqrt(2.0)))
                                         : (k >= bar ? 1.0 : 0.0);
      removal[k] +=
          source.notice_per_year[k] * scenario.need.notice_factor_at(0.0) * passes * scenario.need.start_removal;
    }
  }
  return community_equilibrium(scenario.need, scenario.children, removal);
}

ChildPopulation::ChildPopulation(long children, std::uint64_t seed)
    : children_in_area_(children),
      seed_(seed),
      pool_rng_(seed, fnv1a64("children:need")),
      child_streams_(fnv1a64("children:child")) {}

int ChildPopulation::add(int need) {
  int c;
  if (!free_.empty()) {
    c = free_.back();
    free_.pop_back();
  } else {
    c = static_cast<int>(children_.size());
    children_.emplace_back();
  }
  const std::uint32_t version = children_[c].version + 1;
  children_[c] = Child{};
  children_[c].version = version;
  const std::uint64_t serial = next_serial_++;
  children_[c].rng = RandomStream(seed_, child_streams_ + 3 * serial);
  children_[c].luck = RandomStream(seed_, child_streams_ + 3 * serial + 1);
  children_[c].cases = RandomStream(seed_, child_streams_ + 3 * serial + 2);
  children_[c].alive = true;
  children_[c].need = need;
  ++known_;
  return c;
}

void ChildPopulation::release(int c) {
  Child& child = children_[c];
  child.alive = false;
  ++child.version;
  free_.push_back(c);
  --known_;
}

double ChildPopulation::reschedule(int c, double t, double total_rate) {
  Child& child = children_[c];
  ++child.version;
  if (!child.residual) {
    child.residual = child.rng.exponential(1.0);
  } else {
    child.residual = std::max(0.0, *child.residual - child.clock_rate * (t - child.clock_from));
  }
  child.clock_from = t;
  child.clock_rate = total_rate;
  if (total_rate <= 0.0) return never;
  const double at = t + *child.residual / total_rate;
  events_.push({at, next_event_++, c, child.version});
  return at;
}

std::optional<int> ChildPopulation::pop_due(double t) {
  while (!events_.empty() && events_.top().at <= t) {
    const Event e = events_.top();
    events_.pop();
    if (children_[e.child].version == e.version) return e.child;  // else superseded
  }
  return std::nullopt;
}

double ChildPopulation::next_event_day() {
  // Superseded draws stay in the heap until they reach its top: dropping them here spares a wake-up for nothing.
  while (!events_.empty() && children_[events_.top().child].version != events_.top().version) events_.pop();
  return events_.empty() ? never : events_.top().at;
}

ChildOutcome ChildPopulation::child_event(int c, double t, const ChildRates& r, const Scenario& in_force,
                                          const SimCalendar& calendar) {
  Child& child = children_[c];
  child.residual.reset();  // spent: the next event gets a fresh draw
  ChildOutcome outcome;
  double u = child.rng.uniform01() * r.total;
  if (u < r.up + r.crisis) {
    child.need = u < r.up ? child.need + 1 : need_levels - 1;
    outcome.kind = ChildOutcome::Kind::rose;
  } else if ((u -= r.up + r.crisis) < r.down) {
    --child.need;
    outcome.kind = ChildOutcome::Kind::fell;
    if (child.need == 0 && !child.in_pathway) {
      release(c);
      outcome.kind = ChildOutcome::Kind::left;
    }
  } else if ((u -= r.down) < r.harm) {
    outcome.kind = ChildOutcome::Kind::harmed;
    outcome.within_year_of_exit = !child.in_pathway && t - child.last_exit <= 365.0;
  } else {
    u -= r.harm;
    for (const auto& source : in_force.sources) {
      const double rate = r.notice[static_cast<int>(source.kind)];
      if (u < rate) {
        if (noticed_today(source, t, calendar, child.rng)) {
          outcome.kind = ChildOutcome::Kind::contact;
          outcome.source = source.kind;
        }
        break;
      }
      u -= rate;
    }
  }
  return outcome;
}

double ChildPopulation::pool_rate(const Scenario& in_force, double day) const {
  return std::max(0.0, static_cast<double>(children_in_area_ - known_)) * pool_rate_per_child(in_force, day) / 365.25;
}

double ChildPopulation::draw_pool_event(double t, const Scenario& in_force) {
  const double rate = pool_rate(in_force, t);
  return rate > 0.0 ? t + pool_rng_.exponential(1.0 / rate) : never;
}

PoolOutcome ChildPopulation::pool_event(double t, const Scenario& in_force, const SimCalendar& calendar) {
  const NeedSpec& need = in_force.need;
  double u = pool_rng_.uniform01() * pool_rate_per_child(in_force, t);
  if (u < need.up_per_year[0]) return {PoolOutcome::Kind::onset, add(1)};
  u -= need.up_per_year[0];
  if (u < need.crisis_per_year[0]) return {PoolOutcome::Kind::crisis, add(need_levels - 1)};
  u -= need.crisis_per_year[0];
  const double noticing = need.notice_factor_at(t);
  for (const auto& source : in_force.sources) {
    if (u < source.notice_per_year[0] * noticing) {
      if (noticed_today(source, t, calendar, pool_rng_)) return {PoolOutcome::Kind::contact, add(0), source.kind};
      return {};
    }
    u -= source.notice_per_year[0] * noticing;
  }
  return {};
}

}  // namespace frontdoor
