#include "models/children.hpp"

#include <algorithm>
#include <cmath>

namespace frontdoor {

namespace {
constexpr double never = std::numeric_limits<double>::infinity();

// Per child-year, for a child in the pool on day `day` (its family chronic or not): onset, crisis and a contact
// from any source. The age factors average 1 over the pool (they are normalised over the population).
double pool_rate_per_child(const Scenario& sc, double day, bool chronic) {
  const double family = chronic ? sc.need.chronic.up : 1.0;
  double rate = (sc.need.up_per_year[0] + sc.need.crisis_per_year[0]) * family;
  const double noticing = sc.need.notice_factor_at(day);
  for (const auto& source : sc.sources) rate += source.notice_per_year[0] * noticing;
  return rate;
}
}  // namespace

ChildRates child_rates(const Child& child, const Scenario& in_force, const HelpNow& help, double day) {
  const NeedSpec& need = in_force.need;
  ChildRates r;
  const int k = child.need;
  const int b = child.band;
  const double family_up = child.chronic ? need.chronic.up : 1.0;
  const double family_down = child.chronic ? need.chronic.down : 1.0;
  const double age_up = k == 0 ? need.onset_age[b] : need.up_age[b];
  r.up = need.up_per_year[k] * age_up * family_up * (1.0 - help.protection * help.quality) / 365.25;
  r.down = need.down_per_year[k] * family_down * (1.0 + help.effect * help.quality) / 365.25;
  r.crisis = need.crisis_per_year[k] * need.crisis_age[b] * family_up * (1.0 - help.protection * help.quality) / 365.25;
  r.harm = need.harm_per_year[k] * need.harm_age[b] * (1.0 - help.protection * help.quality) / 365.25;
  r.move = help.moves_per_year / 365.25;
  r.total = r.up + r.down + r.crisis + r.harm + r.move;
  // Agencies go on noticing a child in the pathway (waiting or helped): their contacts go to the team that holds it.
  const double noticing = need.notice_factor_at(day);
  for (const auto& source : in_force.sources) {
    const double rate = source.notice_per_year[k] * source.notice_age[b] * noticing / 365.25;
    r.notice[static_cast<int>(source.kind)] = rate;
    r.total += rate;
  }
  return r;
}

bool noticed_today(const SourceSpec& source, double t, const SimCalendar& calendar, RandomStream& rng) {
  const double u = rng.uniform01();
  if (!source.follows_school_calendar) return true;
  const int day = std::min(static_cast<int>(t), calendar.horizon_days() - 1);
  return !calendar.is_school_holiday(day) || u < source.holiday_factor;
}

NeedByAge community_balance_by_age(const Scenario& sc, double children, double up, double down,
                                   const NeedByAge& removal) {
  // Gauss-Seidel on each band's balance in turn, the band below known.
  const NeedSpec& need = sc.need;
  NeedByAge stock{};
  for (int b = 0; b < age_bands; ++b) {
    const double size = children * sc.age_shares[b];
    const double years = age_band_upper_years[b] - age_band_lower_years[b];
    // Entering the band each year from the one below, at that band's mix of need; leaving it at 1/years a year.
    NeedRates entering{};
    const double below = b > 0 ? children * sc.age_shares[b - 1] : 0.0;
    for (int k = 1; k < need_levels && below > 0.0; ++k) entering[k] = stock[b - 1][k] / below * size / years;
    const double crisis_age = need.crisis_age[b] * up;
    for (int sweep = 0; sweep < 5000; ++sweep) {
      const double pool = std::max(0.0, size - stock[b][1] - stock[b][2] - stock[b][3] - stock[b][4]);
      double change = 0.0;
      for (int k = 1; k < need_levels; ++k) {
        const double from = k == 1 ? pool : stock[b][k - 1];
        const double rise = need.up_per_year[k - 1] * (k == 1 ? need.onset_age[b] : need.up_age[b]) * up;
        double inflow = from * rise + entering[k];
        if (k + 1 < need_levels) inflow += stock[b][k + 1] * need.down_per_year[k + 1] * down;
        if (k == need_levels - 1) {
          inflow += pool * need.crisis_per_year[0] * crisis_age;
          for (int j = 1; j + 1 < need_levels; ++j) inflow += stock[b][j] * need.crisis_per_year[j] * crisis_age;
        }
        double out = need.down_per_year[k] * down + removal[b][k] + 1.0 / years;
        if (k + 1 < need_levels)
          out += need.up_per_year[k] * need.up_age[b] * up + need.crisis_per_year[k] * crisis_age;
        const double next = out > 0.0 ? inflow / out : 0.0;
        change = std::max(change, std::abs(next - stock[b][k]));
        stock[b][k] = next;
      }
      if (change < 1e-9) break;
    }
    stock[b][0] = std::max(0.0, size - stock[b][1] - stock[b][2] - stock[b][3] - stock[b][4]);
  }
  return stock;
}

StartingNeed starting_need_by_family(const Scenario& scenario) {
  NeedByAge removal{};
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
      for (int b = 0; b < age_bands; ++b)
        removal[b][k] += source.notice_per_year[k] * source.notice_age[b] * scenario.need.notice_factor_at(0.0) *
                         passes * scenario.need.start_removal;
    }
  }
  const double share = std::clamp(scenario.need.chronic.share, 0.0, 1.0);
  const double children = static_cast<double>(scenario.children);
  StartingNeed start;
  start.ordinary = community_balance_by_age(scenario, children * (1.0 - share), 1.0, 1.0, removal);
  if (share > 0.0)
    start.chronic = community_balance_by_age(scenario, children * share, scenario.need.chronic.up,
                                             scenario.need.chronic.down, removal);
  return start;
}

NeedRates StartingNeed::total() const {
  NeedRates sum{};
  for (int b = 0; b < age_bands; ++b) {
    for (int k = 0; k < need_levels; ++k) sum[k] += ordinary[b][k] + chronic[b][k];
  }
  return sum;
}

double StartingNeed::chronic_probability(int level) const {
  double in_chronic = 0.0, all = 0.0;
  for (int b = 0; b < age_bands; ++b) {
    in_chronic += chronic[b][level];
    all += ordinary[b][level] + chronic[b][level];
  }
  return all > 0.0 ? in_chronic / all : 0.0;
}

NeedRates starting_need(const Scenario& scenario) { return starting_need_by_family(scenario).total(); }

ChildPopulation::ChildPopulation(long children, std::uint64_t seed)
    : children_in_area_(children),
      seed_(seed),
      pool_rng_(seed, fnv1a64("children:need")),
      child_streams_(fnv1a64("children:child")) {}

void ChildPopulation::set_population(const AgeBands& age_shares, double chronic_share, const HistorySpec& history) {
  age_shares_ = age_shares;
  chronic_share_ = chronic_share;
  history_ = history;
}

double ChildPopulation::pool_children(bool chronic) const {
  const double in_group = static_cast<double>(children_in_area_) * (chronic ? chronic_share_ : 1.0 - chronic_share_);
  const double known = static_cast<double>(chronic ? known_chronic_ : known_ - known_chronic_);
  return std::max(0.0, in_group - known);
}

int ChildPopulation::add(int need, double t, const AgeBands& age_weights, double chronic_probability, double at_birth) {
  int c;
  if (!free_.empty()) {
    c = free_.back();
    free_.pop_back();
  } else {
    c = static_cast<int>(children_.size());
    children_.emplace_back();
  }
  children_[c] = Child{};
  const std::uint64_t serial = next_serial_++;
  children_[c].rng = RandomStream(seed_, child_streams_ + 3 * serial);
  children_[c].luck = RandomStream(seed_, child_streams_ + 3 * serial + 1);
  children_[c].cases = RandomStream(seed_, child_streams_ + 3 * serial + 2);
  Child& child = children_[c];
  child.alive = true;
  child.need = need;
  child.serial = static_cast<std::int64_t>(serial);
  child.family = child.serial;
  // Age and family from the child's own stream, so that the same child is the same age in every scenario.
  double age = draw_age_years(age_shares_, age_weights, child.rng);
  if (child.rng.uniform01() < at_birth && age < age_band_upper_years[0]) age = 0.0;
  child.birth_day = t - age * days_per_year;
  child.band = age_band_of(age);
  child.chronic = child.rng.uniform01() < chronic_probability;
  child.sex = child.rng.uniform01() < 0.512 ? 'M' : 'F';  // ONS: 51.2% of children aged 0-17 are boys
  // Its history before the run: for events at a steady rate, the time back from day 0 to the last one is
  // exponential; an event happened if that time is within the years the child had lived by then.
  const double lived_days = std::max(0.0, -child.birth_day);
  const auto back = [&](double per_year) {
    const double e = child.rng.exponential(1.0);  // drawn whatever the rate, so that the stream stays in step
    return per_year > 0.0 ? e / per_year * days_per_year : never;
  };
  const double referral_back = back(child.chronic ? history_.referrals_per_year_chronic : history_.referrals_per_year);
  const double plan_back = back(child.chronic ? history_.plans_per_year_chronic : history_.plans_per_year);
  const double care_back = back(child.chronic ? history_.care_per_year_chronic : history_.care_per_year);
  if (referral_back <= lived_days) child.last_referral = -referral_back;
  child.prior_plans = plan_back <= lived_days ? 1 : 0;
  child.plans = child.prior_plans;
  child.prior_care = care_back <= lived_days ? 1 : 0;
  ++known_;
  if (child.chronic) ++known_chronic_;
  return c;
}

int ChildPopulation::add_arrival(int need, double t, double age_years) {
  const int c = add(need, t);
  Child& child = children_[c];
  const double age = std::clamp(age_years, 0.0, adult_age_years - 1e-3);
  child.birth_day = t - age * days_per_year;
  child.band = age_band_of(age);
  child.last_referral = -never;
  child.prior_plans = 0;
  child.plans = 0;
  child.prior_care = 0;
  child.unaccompanied = true;
  return c;
}

int ChildPopulation::add_sibling(int of, double t, double age_gap_years) {
  const int need = children_[of].need;
  const double chronic = children_[of].chronic ? 1.0 : 0.0;
  const int c = add(need, t, AgeBands{1.0, 1.0, 1.0, 1.0, 1.0}, chronic);  // may move children_: index again
  Child& sibling = children_[c];
  const Child& child = children_[of];
  const double child_age = (t - child.birth_day) / days_per_year;
  const double age =
      std::clamp(child_age + age_gap_years * (2.0 * sibling.rng.uniform01() - 1.0), 0.0, adult_age_years - 1e-3);
  sibling.birth_day = t - age * days_per_year;
  sibling.band = age_band_of(age);
  sibling.family = child.family;
  return c;
}

void ChildPopulation::release(int c) {
  Child& child = children_[c];
  child.alive = false;
  events_.erase(c);
  free_.push_back(c);
  --known_;
  if (child.chronic) --known_chronic_;
}

bool ChildPopulation::remembered(int c) const { return children_[c].plans > 0; }

double ChildPopulation::reschedule(int c, double t, double total_rate) {
  Child& child = children_[c];
  if (!child.residual) {
    child.residual = child.rng.exponential(1.0);
  } else {
    child.residual = std::max(0.0, *child.residual - child.clock_rate * (t - child.clock_from));
  }
  child.clock_from = t;
  child.clock_rate = total_rate;
  // The next birthday that changes the child's band (or makes it 18) comes first if it is sooner: the hazard left
  // carries over to the new band's rates.
  const double birthday = child.adult ? never : child.birth_day + age_band_upper_years[child.band] * days_per_year;
  double at = total_rate > 0.0 ? t + *child.residual / total_rate : never;
  child.birthday_next = birthday <= at && birthday < never;
  if (child.birthday_next) at = std::max(t, birthday);
  if (at < never) {
    events_.set(c, at, next_event_++);
  } else {
    events_.erase(c);
  }
  return at;
}

std::optional<int> ChildPopulation::pop_due(double t) {
  if (events_.empty() || events_.top().at > t) return std::nullopt;
  const int c = events_.top().child;
  events_.pop();
  return c;
}

double ChildPopulation::next_event_day() const { return events_.empty() ? never : events_.top().at; }

ChildOutcome ChildPopulation::child_event(int c, double t, const ChildRates& r, const Scenario& in_force,
                                          const SimCalendar& calendar) {
  Child& child = children_[c];
  ChildOutcome outcome;
  if (child.birthday_next) {
    // A birthday: the hazard drawn is not spent (the next draw rescales what is left at the new rates).
    child.birthday_next = false;
    if (child.band + 1 >= age_bands) {
      child.adult = true;
      outcome.kind = ChildOutcome::Kind::turned_18;
      if (!child.in_pathway) release(c);
    } else {
      ++child.band;
      outcome.kind = ChildOutcome::Kind::aged;
    }
    return outcome;
  }
  child.residual.reset();  // spent: the next event gets a fresh draw
  double u = child.rng.uniform01() * r.total;
  if (u < r.up + r.crisis) {
    child.need = u < r.up ? child.need + 1 : need_levels - 1;
    outcome.kind = ChildOutcome::Kind::rose;
  } else if ((u -= r.up + r.crisis) < r.down) {
    --child.need;
    outcome.kind = ChildOutcome::Kind::fell;
    if (child.need == 0 && !child.in_pathway && !remembered(c)) {
      release(c);
      outcome.kind = ChildOutcome::Kind::left;
    }
  } else if ((u -= r.down) < r.harm) {
    outcome.kind = ChildOutcome::Kind::harmed;
    outcome.within_year_of_exit = !child.in_pathway && t - child.last_exit <= 365.0;
  } else if ((u -= r.harm) < r.move) {
    outcome.kind = ChildOutcome::Kind::moved;
  } else {
    u -= r.move;
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
  return (pool_children(false) * pool_rate_per_child(in_force, day, false) +
          pool_children(true) * pool_rate_per_child(in_force, day, true)) /
         365.25;
}

double ChildPopulation::draw_pool_event(double t, const Scenario& in_force) {
  const double rate = pool_rate(in_force, t);
  return rate > 0.0 ? t + pool_rng_.exponential(1.0 / rate) : never;
}

PoolOutcome ChildPopulation::pool_event(double t, const Scenario& in_force, const SimCalendar& calendar) {
  const NeedSpec& need = in_force.need;
  const double ordinary = pool_children(false) * pool_rate_per_child(in_force, t, false);
  const double chronic = pool_children(true) * pool_rate_per_child(in_force, t, true);
  double u = pool_rng_.uniform01() * (ordinary + chronic);
  // Which family group the event falls in, then what it is, per child of that group.
  const bool in_chronic = u >= ordinary;
  u = in_chronic ? (u - ordinary) / std::max(pool_children(true), 1e-300) : u / std::max(pool_children(false), 1e-300);
  const double family = in_chronic ? need.chronic.up : 1.0;
  const double chronic_probability = in_chronic ? 1.0 : 0.0;
  if (u < need.up_per_year[0] * family)
    return {PoolOutcome::Kind::onset, add(1, t, need.onset_age, chronic_probability)};
  u -= need.up_per_year[0] * family;
  if (u < need.crisis_per_year[0] * family)
    return {PoolOutcome::Kind::crisis,
            add(need_levels - 1, t, need.crisis_age, chronic_probability, need.crisis_at_birth)};
  u -= need.crisis_per_year[0] * family;
  const double noticing = need.notice_factor_at(t);
  for (const auto& source : in_force.sources) {
    if (u < source.notice_per_year[0] * noticing) {
      if (noticed_today(source, t, calendar, pool_rng_))
        return {PoolOutcome::Kind::contact, add(0, t, source.notice_age, chronic_probability), source.kind};
      return {};
    }
    u -= source.notice_per_year[0] * noticing;
  }
  return {};
}

}  // namespace frontdoor
