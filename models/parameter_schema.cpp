#include "models/parameter_schema.hpp"

#include <ostream>
#include <sstream>
#include <stdexcept>

#include "models/toml_reader.hpp"

namespace frontdoor {

namespace {

using T = ParameterType;

// The schema. Units, ranges and defaults are the ones the loader's messages and `frontdoor validate` show, so a
// change here changes them; keep a section's rows in the order its reader asks for them.
const std::vector<ParameterSpec> schema_rows{
    // ---- the scenario itself and its composition
    {.key = "name", .type = T::text, .required = true, .description = "the scenario's name, carried into every output"},
    {.key = "version", .type = T::text, .required = true, .description = "the scenario's version"},
    {.key = "description", .type = T::text, .required = true, .description = "what the scenario shows, in a sentence"},
    {.key = "base",
     .type = T::text,
     .description = "a scenario this one changes (a path relative to this file); every key set here must exist in it"},
    {.key = "include",
     .type = T::list,
     .description = "files merged in order before this one's own keys (paths relative to this file)"},

    // ---- [simulation], [population], [calendar]
    {.key = "simulation", .type = T::table, .description = "the run's length and calendar"},
    {.key = "simulation.years",
     .type = T::whole_number,
     .unit = "years",
     .lo = 1,
     .hi = 100,
     .fallback = 10,
     .description = "simulated years"},
    {.key = "simulation.start_date",
     .type = T::text,
     .fallback_text = "2024-04-01",
     .description = "day 0, YYYY-MM-DD with a day of the month from 1 to 28"},
    {.key = "simulation.warmup_days",
     .type = T::number,
     .unit = "days",
     .lo = 0,
     .hi = 0,
     .hi_text = "horizon - 1",
     .fallback = 365,
     .description = "left out of summary statistics"},
    {.key = "population", .type = T::table, .description = "the council's children"},
    {.key = "population.children",
     .type = T::whole_number,
     .unit = "children aged 0-17",
     .lo = 1000,
     .hi = 20000000,
     .fallback = 100000,
     .description = "children in the council area"},
    {.key = "population.scale",
     .type = T::text,
     .fallback_text = "per_child",
     .choices = "per_child, absolute",
     .description = "per_child: values written for another number of children (a base's) are scaled to this one "
                    "(establishments, budgets, starting caseloads, contact rates); absolute: held as written"},
    {.key = "population.age_shares",
     .type = T::per_age_band,
     .unit = "share of the children",
     .lo = 0,
     .hi = 1,
     .default_note = "England (ONS mid-2022): 0.051, 0.214, 0.283, 0.344, 0.108",
     .description = "children by DfE age band (under 1, 1-4, 5-9, 10-15, 16-17), summing to 1"},
    {.key = "calendar", .type = T::table, .description = "school holidays"},
    {.key = "calendar.school_holidays",
     .type = T::list,
     .default_note = "England's usual 13 weeks",
     .description = "list of [\"MM-DD\", \"MM-DD\"]: first and last day of each holiday"},

    // ---- [need]: the reference model
    {.key = "need",
     .type = T::table,
     .description = "children and their latent need; absent: no need model, decisions are fixed shares"},
    {.key = "need.up_per_year",
     .type = T::per_need_level,
     .unit = "per child-year",
     .lo = 0,
     .hi = 100,
     .required = true,
     .changeable = true,
     .description = "rate at which need rises from each level (level 4: 0)"},
    {.key = "need.down_per_year",
     .type = T::per_need_level,
     .unit = "per child-year",
     .lo = 0,
     .hi = 100,
     .required = true,
     .changeable = true,
     .description = "rate at which need falls from each level (level 0: 0)"},
    {.key = "need.crisis_per_year",
     .type = T::per_need_level,
     .unit = "per child-year",
     .lo = 0,
     .hi = 100,
     .changeable = true,
     .description = "rate of a jump to level 4 from each level (level 4: 0)"},
    {.key = "need.harm_per_year",
     .type = T::per_need_level,
     .unit = "harm events per child-year",
     .lo = 0,
     .hi = 100,
     .required = true,
     .changeable = true,
     .description = "harm events at each level"},
    {.key = "need.co_location_factor",
     .type = T::number,
     .unit = "x a source's noise",
     .lo = 0,
     .hi = 1,
     .fallback = 0.5,
     .changeable = true,
     .description = "noise of a source co-located in the front door"},
    {.key = "need.threshold_shift",
     .type = T::number,
     .unit = "need levels",
     .lo = -5,
     .hi = 5,
     .changeable = true,
     .description = "added to every threshold (risk-averse drift: negative); fades with drift_half_life_days"},
    {.key = "need.notice_boost",
     .type = T::number,
     .unit = "share",
     .lo = -0.9,
     .hi = 10,
     .changeable = true,
     .description = "every agency notices children 1 + this times as often; fades with drift_half_life_days"},
    {.key = "need.drift_half_life_days",
     .type = T::number,
     .unit = "days",
     .lo = 0,
     .hi = 36525,
     .changeable = true,
     .description = "threshold_shift and notice_boost halve every this many days after the change that set them "
                    "(0: they hold)"},
    {.key = "need.quality_elasticity",
     .type = T::number,
     .lo = 0,
     .hi = 10,
     .fallback = 1,
     .changeable = true,
     .description = "how fast decision quality falls with the front door's load"},
    {.key = "need.quality_noise",
     .type = T::number,
     .unit = "x noise per unit of lost quality",
     .lo = 0,
     .hi = 20,
     .fallback = 1,
     .changeable = true,
     .description = "extra decision noise as quality falls"},
    {.key = "need.pace_curve",
     .type = T::number,
     .lo = 0,
     .hi = 100,
     .description = "caseload teams' pace (1 + load^k)^(-1/k) for load = work asked for / FTE (0: min(1, 1/load))"},
    {.key = "need.pace_floor",
     .type = T::number,
     .unit = "share of full pace",
     .lo = 0,
     .hi = 1,
     .description = "cases progress at least this fast however overloaded the team (quality still falls)"},
    {.key = "need.start_removal",
     .type = T::number,
     .unit = "share of children passing the front door",
     .lo = 0,
     .hi = 1,
     .fallback = 1,
     .description = "the starting state only: the share treated as gone from the community"},
    {.key = "need.referral_service",
     .type = T::text,
     .fallback_text = "referral",
     .description = "the service whose entries count as referrals"},
    {.key = "need.plan_service",
     .type = T::text,
     .fallback_text = "cp_plan",
     .description = "the service whose entries count as child-protection plans"},
    {.key = "need.fgc", .type = T::table, .changeable = true, .description = "family group conferences"},
    {.key = "need.fgc.coverage",
     .type = T::number,
     .unit = "share of care decisions",
     .lo = 0,
     .hi = 1,
     .changeable = true,
     .description = "care decisions that get a conference first"},
    {.key = "need.fgc.diverted",
     .type = T::number,
     .unit = "share of conferences",
     .lo = 0,
     .hi = 1,
     .changeable = true,
     .description = "conferences that divert the child from care"},
    {.key = "need.fgc.cost",
     .type = T::number,
     .unit = "pounds per conference",
     .lo = 0,
     .hi = 1e6,
     .description =
         "cost of each conference held (a coordinator's time and the meeting), in its service's activity cost"},

    {.key = "need.onset_by_age",
     .type = T::per_age_band,
     .unit = "relative",
     .lo = 0,
     .hi = 100,
     .fallback = 1,
     .description = "onset of need by age band, relative (normalised over the population: shapes, keeps the total)"},
    {.key = "need.up_by_age",
     .type = T::per_age_band,
     .unit = "relative",
     .lo = 0,
     .hi = 100,
     .fallback = 1,
     .description = "rises in need by age band, relative (normalised over the population)"},
    {.key = "need.crisis_by_age",
     .type = T::per_age_band,
     .unit = "relative",
     .lo = 0,
     .hi = 100,
     .fallback = 1,
     .description = "crises by age band, relative (normalised over the population)"},
    {.key = "need.crisis_at_birth",
     .type = T::number,
     .unit = "share",
     .lo = 0,
     .hi = 1,
     .description = "of babies' crises (under 1, from the pool), the share present at birth (known before birth)"},
    {.key = "need.harm_by_age",
     .type = T::per_age_band,
     .unit = "relative",
     .lo = 0,
     .hi = 100,
     .fallback = 1,
     .description = "harm events by age band, relative (normalised over the population)"},
    {.key = "need.chronic", .type = T::table, .description = "families with a persistent risk (chronicity)"},
    {.key = "need.chronic.share",
     .type = T::number,
     .unit = "share of children",
     .lo = 0,
     .hi = 1,
     .description = "children in families with a persistent risk"},
    {.key = "need.chronic.up",
     .type = T::number,
     .unit = "times",
     .lo = 0,
     .hi = 100,
     .fallback = 1,
     .description = "their onsets, rises in need and crises are this many times as frequent"},
    {.key = "need.chronic.down",
     .type = T::number,
     .unit = "times",
     .lo = 0,
     .hi = 100,
     .fallback = 1,
     .description = "their falls in need are this many times as frequent (below 1: slower)"},
    {.key = "need.siblings", .type = T::table, .description = "sibling groups who come into a service together"},
    {.key = "need.siblings.share",
     .type = T::number,
     .unit = "probability",
     .lo = 0,
     .hi = 0.9,
     .description = "a child arriving at the service brings a sibling with it (and another, again)"},
    {.key = "need.siblings.age_gap_years",
     .type = T::number,
     .unit = "years",
     .lo = 0,
     .hi = 17,
     .fallback = 3,
     .description = "a sibling's age is within this many years of the child's"},
    {.key = "need.siblings.service",
     .type = T::text,
     .description = "the caseload team siblings come into together (the looked-after service)"},
    {.key = "need.unaccompanied",
     .type = T::table,
     .changeable = true,
     .description = "unaccompanied asylum-seeking children, who come into care directly, not through the front door"},
    {.key = "need.unaccompanied.per_10k_per_year",
     .type = T::number,
     .unit = "per 10,000 children a year",
     .lo = 0,
     .hi = 100,
     .changeable = true,
     .description =
         "children arriving (England 2024: about 5 per 10,000 a year; a port or transfer-scheme council more)"},
    {.key = "need.unaccompanied.from_age",
     .type = T::number,
     .unit = "years",
     .lo = 0,
     .hi = 17.99,
     .fallback = 15,
     .description = "the youngest age on arrival (ages are uniform from here to to_age)"},
    {.key = "need.unaccompanied.to_age",
     .type = T::number,
     .unit = "years",
     .lo = 0.01,
     .hi = 18,
     .fallback = 18,
     .description = "the oldest age on arrival"},
    {.key = "need.unaccompanied.need",
     .type = T::whole_number,
     .unit = "level",
     .lo = 1,
     .hi = 4,
     .fallback = 3,
     .description = "their need on arrival (their care is what keeps it from harm)"},
    {.key = "need.unaccompanied.service",
     .type = T::text,
     .description = "the caseload team they come into (the looked-after service)"},
    {.key = "need.history", .type = T::table, .description = "the starting population's history before day 0"},
    {.key = "need.history.plans_per_year",
     .type = T::number,
     .unit = "per child-year",
     .lo = 0,
     .hi = 1,
     .description = "child protection plans started before the run, per year lived, ordinary families"},
    {.key = "need.history.plans_per_year_chronic",
     .type = T::number,
     .unit = "per child-year",
     .lo = 0,
     .hi = 1,
     .description = "the same, chronic families"},
    {.key = "need.history.referrals_per_year",
     .type = T::number,
     .unit = "per child-year",
     .lo = 0,
     .hi = 10,
     .description = "referrals before the run, per year lived, ordinary families"},
    {.key = "need.history.referrals_per_year_chronic",
     .type = T::number,
     .unit = "per child-year",
     .lo = 0,
     .hi = 10,
     .description = "the same, chronic families"},
    {.key = "need.history.care_per_year",
     .type = T::number,
     .unit = "per child-year",
     .lo = 0,
     .hi = 1,
     .description = "episodes of care started before the run, per year lived, ordinary families"},
    {.key = "need.history.care_per_year_chronic",
     .type = T::number,
     .unit = "per child-year",
     .lo = 0,
     .hi = 1,
     .description = "the same, chronic families"},
    // ---- [sources.<source>]: police, schools, health, local_authority, individuals, other
    {.key = "sources",
     .type = T::table,
     .required = true,
     .description = "the referral sources: police, schools, health, local_authority, individuals, other"},
    {.key = "sources.<source>", .type = T::table, .description = "one referral source"},
    {.key = "sources.<source>.notice_per_year",
     .type = T::per_need_level,
     .unit = "contacts per child-year",
     .lo = 0,
     .hi = 1000,
     .required = true,
     .changeable = true,
     .description = "with [need]: contacts about a child at each need level"},
    {.key = "sources.<source>.accuracy_sd",
     .type = T::number,
     .unit = "need levels",
     .lo = 0,
     .hi = 5,
     .changeable = true,
     .description = "with [need]: noise in the need the source describes"},
    {.key = "sources.<source>.co_located",
     .type = T::boolean,
     .changeable = true,
     .description = "with [need]: the source sits in the front door (its noise x co_location_factor)"},
    {.key = "sources.<source>.notice_by_age",
     .type = T::per_age_band,
     .unit = "relative",
     .lo = 0,
     .hi = 100,
     .fallback = 1,
     .description = "with [need]: noticing by age band, relative (normalised over the population)"},
    {.key = "sources.<source>.contacts_per_day",
     .type = T::number,
     .unit = "contacts/day",
     .lo = 0,
     .hi = 100000,
     .changeable = true,
     .description = "without [need]: contacts a day in term time"},
    {.key = "sources.<source>.arrivals",
     .type = T::text,
     .fallback_text = "poisson",
     .choices = "poisson, deterministic",
     .changeable = true,
     .description = "arrival process"},
    {.key = "sources.<source>.calendar",
     .type = T::text,
     .default_note = "school for schools, none otherwise",
     .choices = "none, school",
     .changeable = true,
     .description = "whether the rate follows school holidays"},
    {.key = "sources.<source>.holiday_factor",
     .type = T::number,
     .unit = "x term-time rate",
     .lo = 0,
     .hi = 1,
     .fallback = 1,
     .changeable = true,
     .description = "the rate in school holidays"},

    // ---- [service.<id>]
    {.key = "service",
     .type = T::table,
     .required = true,
     .description = "the pathway's services, [service.<id>] (ids: lower-case letters, digits and _)"},
    {.key = "service.<id>", .type = T::table, .description = "one service"},
    {.key = "service.<id>.kind",
     .type = T::text,
     .fallback_text = "exit",
     .choices = "screening_queue, caseload_team, decision_point, exit",
     .required = true,
     .description = "how the engine treats it"},
    {.key = "service.<id>.label", .type = T::text, .default_note = "the id", .description = "name for people"},
    {.key = "service.<id>.entry",
     .type = T::boolean,
     .description = "contacts from the sources arrive here (exactly one service)"},
    {.key = "service.<id>.leaves_population",
     .applies_to = "exit",
     .type = T::boolean,
     .description = "children who reach this exit leave the population"},
    {.key = "service.<id>.team",
     .type = T::table,
     .changeable = true,
     .description = "screening queues and caseload teams: the staff"},
    {.key = "service.<id>.team.budget_gbp",
     .type = T::number,
     .unit = "pounds a year",
     .lo = 0,
     .hi = 1e10,
     .lo_open = true,
     .changeable = true,
     .description = "caseload teams: a budget that sets the FTE at the team's cost per FTE (instead of fte)"},
    {.key = "service.<id>.team.fte",
     .applies_to = "screening_queue",
     .type = T::whole_number,
     .unit = "screeners",
     .lo = 1,
     .hi = 10000,
     .fallback = 1,
     .changeable = true,
     .description = "screeners on duty (required, or budget_gbp)"},
    {.key = "service.<id>.team.fte",
     .applies_to = "caseload_team",
     .type = T::number,
     .unit = "FTE",
     .lo = 0,
     .hi = 10000,
     .lo_open = true,
     .fallback = 1,
     .changeable = true,
     .description = "worker-days a day (required, or budget_gbp)"},
    {.key = "service.<id>.team.caseload_cap",
     .type = T::number,
     .unit = "cases/FTE",
     .lo = 0,
     .hi = 1000,
     .changeable = true,
     .description = "caseload teams: cases per FTE before new cases wait unallocated (0: no cap)"},
    {.key = "service.<id>.team.turnover_per_year",
     .type = T::number,
     .unit = "share of staff a year",
     .lo = 0,
     .hi = 5,
     .changeable = true,
     .description = "permanent staff who leave"},
    {.key = "service.<id>.team.recruitment_days",
     .type = T::number,
     .unit = "days",
     .lo = 0,
     .hi = 3650,
     .lo_open = true,
     .fallback = 90,
     .changeable = true,
     .description = "mean time to fill a vacancy"},
    {.key = "service.<id>.team.agency_cover",
     .type = T::number,
     .unit = "share of vacant FTE",
     .lo = 0,
     .hi = 1,
     .changeable = true,
     .description = "vacancies covered by agency staff"},
    {.key = "service.<id>.team.always_allocate",
     .type = T::boolean,
     .changeable = true,
     .description = "caseload teams: every case is allocated at once, beyond the cap (a statutory duty)"},
    {.key = "service.<id>.team.turnover_pressure",
     .type = T::number,
     .unit = "x turnover per unit of overload",
     .lo = 0,
     .hi = 20,
     .changeable = true,
     .description = "caseload teams: leavers come at turnover x (1 + pressure x overload)"},
    {.key = "service.<id>.team.case_holding_share",
     .type = T::number,
     .unit = "share of FTE",
     .lo = 0,
     .hi = 1,
     .lo_open = true,
     .fallback = 1,
     .description = "caseload teams: FTE in case-holding roles (not managers or senior practitioners), for caseload: "
                    "selectors only"},
    {.key = "service.<id>.team.schedule",
     .type = T::list,
     .changeable = true,
     .description = "list of {from_day, fte}: the establishment from that day, increasing days"},
    {.key = "service.<id>.team.schedule.from_day",
     .type = T::number,
     .unit = "days",
     .lo = 0,
     .hi = 0,
     .lo_open = true,
     .hi_text = "horizon",
     .fallback = 1,
     .changeable = true,
     .description = "first day of the new establishment"},
    {.key = "service.<id>.team.schedule.fte",
     .applies_to = "screening_queue",
     .type = T::whole_number,
     .unit = "screeners",
     .lo = 1,
     .hi = 10000,
     .default_note = "team.fte",
     .changeable = true,
     .description = "screeners from that day"},
    {.key = "service.<id>.team.schedule.fte",
     .applies_to = "caseload_team",
     .type = T::number,
     .unit = "FTE",
     .lo = 0,
     .hi = 10000,
     .lo_open = true,
     .default_note = "team.fte",
     .changeable = true,
     .description = "FTE from that day"},
    {.key = "service.<id>.work",
     .type = T::table,
     .changeable = true,
     .description = "a distribution: screening queues (required) and caseload teams (default 0)"},
    {.key = "service.<id>.work.distribution",
     .type = T::text,
     .fallback_text = "exponential",
     .choices = "exponential, lognormal, gamma, fixed",
     .changeable = true,
     .description = "family; switching it keeps the mean"},
    {.key = "service.<id>.work.mean_days",
     .applies_to = "screening_queue",
     .type = T::number,
     .unit = "days per item",
     .lo = 0,
     .hi = 36500,
     .lo_open = true,
     .fallback = 1,
     .changeable = true,
     .description = "mean work per item (fixed: 0 allowed)"},
    {.key = "service.<id>.work.mean_days",
     .applies_to = "caseload_team",
     .type = T::number,
     .unit = "worker-days per case",
     .lo = 0,
     .hi = 36500,
     .lo_open = true,
     .fallback = 1,
     .changeable = true,
     .description = "mean work per case (fixed: 0 allowed)"},
    {.key = "service.<id>.work.sd_days",
     .applies_to = "screening_queue",
     .type = T::number,
     .unit = "days per item",
     .lo = 0,
     .hi = 36500,
     .default_note = "mean_days",
     .changeable = true,
     .description = "lognormal: standard deviation"},
    {.key = "service.<id>.work.sd_days",
     .applies_to = "caseload_team",
     .type = T::number,
     .unit = "worker-days per case",
     .lo = 0,
     .hi = 36500,
     .default_note = "mean_days",
     .changeable = true,
     .description = "lognormal: standard deviation"},
    {.key = "service.<id>.work.shape",
     .type = T::number,
     .lo = 0,
     .hi = 1e6,
     .lo_open = true,
     .fallback = 1,
     .changeable = true,
     .description = "gamma: shape"},
    {.key = "service.<id>.duration",
     .type = T::table,
     .changeable = true,
     .description = "caseload teams (required): nominal days a case is open when the team has the FTE it asks for"},
    {.key = "service.<id>.duration.distribution",
     .type = T::text,
     .fallback_text = "exponential",
     .choices = "exponential, lognormal, gamma, fixed",
     .changeable = true,
     .description = "family; switching it keeps the mean"},
    {.key = "service.<id>.duration.mean_days",
     .type = T::number,
     .unit = "days",
     .lo = 0,
     .hi = 36500,
     .lo_open = true,
     .fallback = 1,
     .changeable = true,
     .description = "mean (fixed: 0 allowed)"},
    {.key = "service.<id>.duration.sd_days",
     .type = T::number,
     .unit = "days",
     .lo = 0,
     .hi = 36500,
     .default_note = "mean_days",
     .changeable = true,
     .description = "lognormal: standard deviation"},
    {.key = "service.<id>.duration.shape",
     .type = T::number,
     .lo = 0,
     .hi = 1e6,
     .lo_open = true,
     .fallback = 1,
     .changeable = true,
     .description = "gamma: shape"},
    {.key = "service.<id>.delay",
     .type = T::table,
     .changeable = true,
     .description = "decision points (optional): days before the decision; none: at once"},
    {.key = "service.<id>.delay.distribution",
     .type = T::text,
     .fallback_text = "exponential",
     .choices = "exponential, lognormal, gamma, fixed",
     .changeable = true,
     .description = "family; switching it keeps the mean"},
    {.key = "service.<id>.delay.mean_days",
     .type = T::number,
     .unit = "days",
     .lo = 0,
     .hi = 36500,
     .lo_open = true,
     .fallback = 1,
     .changeable = true,
     .description = "mean (fixed: 0 allowed)"},
    {.key = "service.<id>.delay.sd_days",
     .type = T::number,
     .unit = "days",
     .lo = 0,
     .hi = 36500,
     .default_note = "mean_days",
     .changeable = true,
     .description = "lognormal: standard deviation"},
    {.key = "service.<id>.delay.shape",
     .type = T::number,
     .lo = 0,
     .hi = 1e6,
     .lo_open = true,
     .fallback = 1,
     .changeable = true,
     .description = "gamma: shape"},
    {.key = "service.<id>.decisions",
     .type = T::table,
     .changeable = true,
     .description = "all but exits: { name = share, ... }; shares sum to 1 (less, with thresholds)"},
    {.key = "service.<id>.decisions.<decision>",
     .type = T::number,
     .unit = "share",
     .lo = 0,
     .hi = 1,
     .changeable = true,
     .description = "chance of this decision"},
    {.key = "service.<id>.share_by_age",
     .type = T::table,
     .description = "with thresholds: chance decisions' shares by the child's DfE age band instead of their share"},
    {.key = "service.<id>.share_by_age.<decision>",
     .type = T::per_age_band,
     .unit = "share",
     .lo = 0,
     .hi = 1,
     .required = true,
     .description = "a chance decision's share in each age band"},
    {.key = "service.<id>.thresholds",
     .type = T::table,
     .changeable = true,
     .description = "with [need]: { name = lowest observed need, ... }, decisions on observed need"},
    {.key = "service.<id>.thresholds.<decision>",
     .type = T::number,
     .unit = "need level",
     .lo = -5,
     .hi = 10,
     .changeable = true,
     .description = "from this observed need, this decision (the highest one reached wins)"},
    {.key = "service.<id>.noise_sd",
     .type = T::number,
     .unit = "need levels",
     .lo = 0,
     .hi = 5,
     .changeable = true,
     .description = "with thresholds: noise in the observed need"},
    {.key = "service.<id>.escalate",
     .type = T::table,
     .changeable = true,
     .description = "caseload teams, with [need]: a case whose need reaches a level is escalated"},
    {.key = "service.<id>.escalate.at_need",
     .type = T::whole_number,
     .unit = "need level",
     .lo = 1,
     .hi = 4,
     .fallback = 4,
     .changeable = true,
     .description = "need level that escalates"},
    {.key = "service.<id>.escalate.decision",
     .type = T::text,
     .required = true,
     .changeable = true,
     .description = "the decision an escalated case gets"},
    {.key = "service.<id>.consent",
     .type = T::table,
     .changeable = true,
     .description = "caseload teams, with [need]: families may decline help"},
    {.key = "service.<id>.consent.accept",
     .type = T::number,
     .unit = "share of families",
     .lo = 0,
     .hi = 1,
     .fallback = 1,
     .changeable = true,
     .description = "families who accept"},
    {.key = "service.<id>.consent.declined",
     .type = T::text,
     .required = true,
     .changeable = true,
     .description = "the decision a declined case gets"},
    {.key = "service.<id>.consent.withdraw_below",
     .type = T::whole_number,
     .unit = "need level",
     .lo = 1,
     .hi = 4,
     .fallback = 1,
     .changeable = true,
     .description = "a family waiting unallocated whose need falls below this level withdraws (declined)"},
    {.key = "service.<id>.help",
     .type = T::table,
     .changeable = true,
     .description = "caseload teams, with [need]: what an open case does for the child"},
    {.key = "service.<id>.help.effect",
     .type = T::number,
     .unit = "x faster fall in need",
     .lo = 0,
     .hi = 100,
     .changeable = true,
     .description = "need falls faster while the case is open"},
    {.key = "service.<id>.help.protection",
     .type = T::number,
     .unit = "share of harm prevented",
     .lo = 0,
     .hi = 1,
     .changeable = true,
     .description = "harm prevented while the case is open"},
    {.key = "service.<id>.initial",
     .type = T::table,
     .description = "caseload teams, with [need]: children allocated on the first day"},
    {.key = "service.<id>.initial.cases",
     .type = T::whole_number,
     .unit = "children",
     .lo = 0,
     .hi = 10000000,
     .description = "children already allocated"},
    {.key = "service.<id>.initial.need",
     .type = T::whole_number,
     .unit = "need level",
     .lo = 1,
     .hi = 4,
     .fallback = 3,
     .description = "their need level"},
    {.key = "service.<id>.initial.by_age",
     .type = T::per_age_band,
     .unit = "share of the cases",
     .lo = 0,
     .hi = 1,
     .default_note = "the population's",
     .description = "the starting caseload's children by age band, summing to 1"},
    {.key = "service.<id>.fgc",
     .type = T::table,
     .changeable = true,
     .description = "with [need]: a family group conference can replace one decision with another"},
    {.key = "service.<id>.fgc.instead_of",
     .type = T::text,
     .required = true,
     .changeable = true,
     .description = "the decision a conference may replace"},
    {.key = "service.<id>.fgc.decide",
     .type = T::text,
     .required = true,
     .changeable = true,
     .description = "the decision it makes instead"},
    {.key = "service.<id>.placements",
     .type = T::table,
     .description = "caseload teams: placement types drawn at allocation, shares summing to 1"},
    {.key = "service.<id>.placements.<type>",
     .type = T::table,
     .description = "one placement type (lower-case letters, digits and _)"},
    {.key = "service.<id>.placements.<type>.share",
     .type = T::number,
     .unit = "share of cases",
     .lo = 0,
     .hi = 1,
     .lo_open = true,
     .description = "cases placed so"},
    {.key = "service.<id>.placements.<type>.per_week",
     .type = T::number,
     .unit = "pounds a week",
     .lo = 0,
     .hi = 1e6,
     .description = "cost of the placement"},
    {.key = "service.<id>.placements.<type>.by_age",
     .type = T::per_age_band,
     .unit = "share of cases",
     .lo = 0,
     .hi = 1,
     .default_note = "share in every band",
     .description = "with [need]: the share by the child's age band (every type's by_age, each band summing to 1)"},
    {.key = "service.<id>.placements.<type>.moves_per_year",
     .type = T::number,
     .unit = "per child-year",
     .lo = 0,
     .hi = 50,
     .description = "with [need]: a child in this placement moves to another (drawn again by age) at this rate"},
    {.key = "service.<id>.exits",
     .type = T::table,
     .description =
         "caseload teams with [need]: ways out as hazards by age (a career, instead of duration and shares)"},
    {.key = "service.<id>.exits.<decision>", .type = T::table, .description = "one way out: a decision of the service"},
    {.key = "service.<id>.exits.<decision>.per_year",
     .type = T::per_age_band,
     .unit = "per child-year",
     .lo = 0,
     .hi = 100,
     .required = true,
     .description = "the hazard of leaving this way, by the child's age band"},
    {.key = "service.<id>.exits.<decision>.not_before_days",
     .type = T::number,
     .unit = "days",
     .lo = 0,
     .hi = 36525,
     .description = "no exit this way before this long in the service (an adoption takes time)"},
    {.key = "service.<id>.exits.<decision>.first_year_factor",
     .type = T::number,
     .unit = "times",
     .lo = 0,
     .hi = 100,
     .fallback = 1,
     .description = "the hazard is this many times as high in the first year"},
    {.key = "service.<id>.leave_at_18",
     .type = T::text,
     .description = "caseload teams with [need]: the decision taken at once when an allocated child turns 18"},
    {.key = "service.<id>.cost", .type = T::table, .description = "all but exits: costs in pounds"},
    {.key = "service.<id>.cost.per_fte_year",
     .type = T::number,
     .unit = "pounds a year per FTE",
     .lo = 0,
     .hi = 1e6,
     .description = "screening queues and caseload teams: staff cost"},
    {.key = "service.<id>.cost.per_case",
     .type = T::number,
     .unit = "pounds per case",
     .lo = 0,
     .hi = 1e7,
     .description = "cost of each case"},
    {.key = "service.<id>.cost.per_week_open",
     .type = T::number,
     .unit = "pounds per case per week",
     .lo = 0,
     .hi = 1e6,
     .description = "cost of each week a case is open"},
    {.key = "service.<id>.cost.hours_per_case",
     .type = T::number,
     .unit = "hours per case",
     .lo = 0,
     .hi = 10000,
     .description = "professional time from outside the team for each case started (conference chair, partner "
                    "agencies), at costs.hourly_rate"},
    {.key = "service.<id>.cost.review_every_days",
     .type = T::number,
     .unit = "days",
     .lo = 0,
     .hi = 3650,
     .description = "a review of each open case this often on average (0: none); with review_hours"},
    {.key = "service.<id>.cost.review_hours",
     .type = T::number,
     .unit = "hours per review",
     .lo = 0,
     .hi = 1000,
     .description = "professional time from outside the team for each review, at costs.hourly_rate"},

    // ---- [route.<id>]
    {.key = "route", .type = T::table, .description = "the pathway's routes, [route.<id>]"},
    {.key = "route.<id>", .type = T::table, .description = "one route"},
    {.key = "route.<id>.from", .type = T::text, .required = true, .description = "service id"},
    {.key = "route.<id>.to", .type = T::text, .required = true, .description = "service id"},
    {.key = "route.<id>.when",
     .type = T::text,
     .default_note = "every decision",
     .description = "a decision of from: the route applies to cases so decided"},
    {.key = "route.<id>.source",
     .type = T::list,
     .default_note = "all",
     .description = "a referral source or a list of them: the route applies to their cases only"},
    {.key = "route.<id>.probability",
     .type = T::number,
     .unit = "share",
     .lo = 0,
     .hi = 1,
     .lo_open = true,
     .fallback = 1,
     .changeable = true,
     .description = "of the cases the route applies to, the share that take it"},

    // ---- [costs], [reinvestment]
    {.key = "costs", .type = T::table, .description = "costs shared by every service"},
    {.key = "costs.agency_premium",
     .type = T::number,
     .unit = "extra share over a permanent worker",
     .lo = 0,
     .hi = 5,
     .description = "extra cost of an agency worker"},
    {.key = "costs.hourly_rate",
     .type = T::number,
     .unit = "pounds an hour",
     .lo = 0,
     .hi = 10000,
     .description = "professional time from outside a team (hours_per_case, review_hours), with on-costs"},
    {.key = "costs.overload_cover",
     .type = T::number,
     .unit = "share of the work over the staff",
     .lo = 0,
     .hi = 1,
     .description = "work a caseload team's cases ask beyond its staff in post that is bought as overtime or agency "
                    "cover (a cost only)"},
    {.key = "costs.price_year",
     .type = T::whole_number,
     .unit = "year",
     .lo = 1990,
     .hi = 2100,
     .default_note = "the year of simulation.start_date",
     .description = "the year whose prices the costs are written in; a run year starting in year Y costs "
                    "(1 + inflation)^(Y - price_year) times as much, in cash"},
    {.key = "costs.inflation", .type = T::table, .description = "yearly inflation of costs, by index (0: none)"},
    {.key = "costs.inflation.pay",
     .type = T::number,
     .unit = "a year",
     .lo = -0.5,
     .hi = 1,
     .description = "staff, overload cover, activities and professional time"},
    {.key = "costs.inflation.placements",
     .type = T::number,
     .unit = "a year",
     .lo = -0.5,
     .hi = 1,
     .description = "placements' weekly costs"},
    {.key = "costs.inflation.prices",
     .type = T::number,
     .unit = "a year",
     .lo = -0.5,
     .hi = 1,
     .description = "general prices (GDP deflator): cash costs divided by this index are the `gbp_real` rows"},
    {.key = "reinvestment",
     .type = T::table,
     .description = "a share of the savings on late intervention buys prevention staff each year"},
    {.key = "reinvestment.share",
     .type = T::number,
     .unit = "share of each pound saved",
     .lo = 0,
     .hi = 1,
     .description = "of what the watched services cost less than in the counterfactual run (against)"},
    {.key = "reinvestment.from_year",
     .type = T::whole_number,
     .unit = "year of the run (a year after the run: never)",
     .lo = 1,
     .hi = 100,
     .fallback = 1,
     .description = "first year whose savings count"},
    {.key = "reinvestment.into",
     .type = T::text,
     .required = true,
     .description = "the caseload team (with costs) that gets the money"},
    {.key = "reinvestment.watch",
     .type = T::list,
     .required = true,
     .description = "the late-intervention services whose cost is watched"},
    {.key = "reinvestment.against",
     .type = T::text,
     .description = "required with share > 0: the counterfactual, run on the same seeds, whose watched costs the "
                    "savings are measured against (relative to the file that names it)"},
    {.key = "reinvestment.counterfactual",
     .type = T::text,
     .description = "the counterfactual flattened, as a run's scenario.toml carries it; when present, against is "
                    "not read again"},

    // ---- [reporting]
    {.key = "reporting", .type = T::table, .description = "the yearly measures of annual.csv, in declaration order"},
    {.key = "reporting.<measure>",
     .type = T::selector,
     .description =
         "a selector, or a table with share/of, ratio/per, median_working_days, or within_working_days/service"},
    {.key = "reporting.<measure>.share", .type = T::text, .required = true, .description = "selector counted"},
    {.key = "reporting.<measure>.of",
     .type = T::text,
     .required = true,
     .description = "selector or measure it is a share of"},
    {.key = "reporting.<measure>.ratio", .type = T::text, .required = true, .description = "selector counted"},
    {.key = "reporting.<measure>.per", .type = T::text, .required = true, .description = "selector it is divided by"},
    {.key = "reporting.<measure>.median_working_days",
     .type = T::text,
     .required = true,
     .description = "service whose median duration in working days is reported"},
    {.key = "reporting.<measure>.within_working_days",
     .type = T::number,
     .unit = "working days",
     .lo = 0,
     .hi = 10000,
     .lo_open = true,
     .fallback = 45,
     .description = "share of cases done within this many working days"},
    {.key = "reporting.<measure>.service",
     .type = T::text,
     .required = true,
     .description = "with within_working_days: the service"},
    {.key = "reporting.<measure>.from",
     .type = T::text,
     .default_note = "the service",
     .description = "with within_working_days: counted from entry to this service"},
    {.key = "reporting.<measure>.unit",
     .type = T::text,
     .default_note = "by form",
     .description = "the unit written to annual.csv"},

    // ---- [[change]]
    {.key = "change",
     .type = T::list,
     .description = "[[change]] tables: levers from a given year or day, each cumulative with the ones before"},
    {.key = "change.from_year",
     .type = T::whole_number,
     .unit = "year of the run",
     .lo = 2,
     .hi = 0,
     .hi_text = "simulation.years",
     .fallback = 2,
     .description = "first year of the change (or from_day)"},
    {.key = "change.from_day",
     .type = T::whole_number,
     .unit = "days",
     .lo = 1,
     .hi = 0,
     .hi_text = "horizon - 1",
     .fallback = 1,
     .description = "first day of the change (or from_year)"},
    {.key = "change.label", .type = T::text, .description = "what the change is, for people"},
    {.key = "change.set",
     .type = T::table,
     .description =
         "{ \"dotted.key\" = value, ... }: keys that may change over time (a change needs set, multiply or add)"},
    {.key = "change.multiply",
     .type = T::table,
     .description = "{ \"dotted.key\" = factor, ... }: multiplies the values in force (a number, or each of a list's)"},
    {.key = "change.add",
     .type = T::table,
     .description = "{ \"dotted.key\" = amount, ... }: adds to the values in force (a number, or each of a list's)"},
};

const std::vector<CrossKeyRule> rules{
    {"simulation.warmup_days, simulation.years", "the warm-up ends before the run does"},
    {"sources", "at least one source, and not every source's rate 0"},
    {"sources.<source>.arrivals, sources.<source>.calendar",
     "deterministic arrivals cannot follow the school calendar"},
    {"sources.<source>.notice_per_year, sources.<source>.contacts_per_day",
     "with [need], notice_per_year; without it, contacts_per_day"},
    {"need.up_per_year, need.down_per_year, need.crisis_per_year", "need cannot rise above level 4 or fall below 0"},
    {"need.referral_service, need.plan_service", "name services of the pathway"},
    {"service.<id>.kind and its keys",
     "team for screening queues and caseload teams, work for screening queues, duration for caseload teams, delay for "
     "decision points, and escalate, consent, help, initial and placements for caseload teams only"},
    {"service.<id>.team.fte, service.<id>.team.budget_gbp",
     "one of them (setting one by --set or in a [[change]] drops the other); a budget needs cost.per_fte_year or "
     "cost.per_case"},
    {"service.<id>.team.schedule", "from_day increases from one change to the next"},
    {"service.<id>.decisions", "shares sum to 1; with thresholds, to less than 1"},
    {"service.<id>.thresholds",
     "need a [need] table; a name is not both a share and a threshold; a --set keeps their order"},
    {"service.<id>.escalate, consent, help, initial, fgc",
     "need a [need] table; the decisions they name are the service's"},
    {"service.<id>.placements", "shares sum to 1"},
    {"service.<id>.cost.review_every_days, service.<id>.cost.review_hours", "both or neither"},
    {"route.<id>",
     "for every decision and source of a service, the routes that apply have probabilities summing to 1; the pathway's "
     "structure is checked as a whole"},
    {"reinvestment.into, reinvestment.watch", "into is a caseload team with costs; watch lists services with costs"},
    {"reinvestment.against, reinvestment.watch",
     "against is a scenario that loads, with every watched service; it is run without a [reinvestment] of its own and "
     "for this scenario's [simulation]"},
    {"change",
     "exactly one of from_year and from_day, on increasing days; only keys that may change over time; the pathway "
     "keeps its shape"},
    {"base", "every key set on a base exists in the base; no include with a base"},
};

// A key's components, with array indices dropped ("change[0].from_year" -> change, from_year).
std::vector<std::string_view> components(std::string_view key) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= key.size()) {
    std::size_t dot = key.find('.', start);
    if (dot == std::string_view::npos) dot = key.size();
    std::string_view part = key.substr(start, dot - start);
    if (const auto bracket = part.find('['); bracket != std::string_view::npos) part = part.substr(0, bracket);
    parts.push_back(part);
    start = dot + 1;
  }
  return parts;
}

// Each row's key split into components, once: the loader asks for every key it reads.
const std::vector<std::vector<std::string_view>>& row_components() {
  static const std::vector<std::vector<std::string_view>> split = [] {
    std::vector<std::vector<std::string_view>> out;
    for (const ParameterSpec& p : schema_rows) out.push_back(components(p.key));
    return out;
  }();
  return split;
}

template <typename Part>
bool matches(const std::vector<std::string_view>& want, const std::vector<Part>& key) {
  if (want.size() != key.size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const bool placeholder = !want[i].empty() && want[i].front() == '<';
    if (!placeholder && want[i] != key[i]) return false;
  }
  return true;
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Text in a Markdown table cell: a | would end the cell, and <id> would be taken for an HTML tag.
std::string markdown_field(std::string_view text, bool code = false) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    if (c == '<' && !code) {
      out += "&lt;";
      continue;
    }
    out += c;
  }
  return out;
}

// The schema's valid range as people read it.
std::string range_of(const ParameterSpec& p) {
  switch (p.type) {
    case T::number:
    case T::whole_number:
    case T::per_need_level:
    case T::per_age_band: {
      std::string range(p.lo_open ? "(" : "[");
      range.append(loader::format_number(p.lo)).append(", ");
      range.append(p.hi_text.empty() ? loader::format_number(p.hi) : std::string(p.hi_text)).append("]");
      if (p.type == T::per_need_level || p.type == T::per_age_band) range.append(" each");
      return range;
    }
    case T::boolean:
      return "true or false";
    case T::text:
      return p.choices.empty() ? "" : std::string("one of ").append(p.choices);
    default:
      return "";
  }
}

std::string default_of(const ParameterSpec& p) {
  if (p.required) return "required";
  if (!p.default_note.empty()) return std::string(p.default_note);
  if (!p.fallback_text.empty()) return std::string(p.fallback_text);
  switch (p.type) {
    case T::number:
    case T::whole_number:
      return loader::format_number(p.fallback);
    case T::boolean:
      return p.fallback != 0.0 ? "true" : "false";
    case T::per_need_level:
      return "0 each";
    case T::per_age_band:
      return loader::format_number(p.fallback) + " each";
    default:
      return "";
  }
}

// The section a row belongs to, for the Markdown tables: its first component.
std::string_view section_of(std::string_view key) { return key.substr(0, key.find('.')); }

}  // namespace

const char* type_name(ParameterType type) {
  switch (type) {
    case T::number:
      return "number";
    case T::whole_number:
      return "whole number";
    case T::boolean:
      return "true/false";
    case T::text:
      return "text";
    case T::per_need_level:
      return "5 numbers";
    case T::per_age_band:
      return "5 numbers (age bands)";
    case T::list:
      return "list";
    case T::table:
      return "table";
    case T::selector:
      return "selector or table";
  }
  return "?";
}

const std::vector<ParameterSpec>& parameter_schema() { return schema_rows; }

const std::vector<CrossKeyRule>& cross_key_rules() { return rules; }

const ParameterSpec* find_parameter(std::string_view key, std::string_view variant) {
  const std::vector<std::string_view> parts = components(key);
  for (std::size_t i = 0; i < schema_rows.size(); ++i) {
    if (schema_rows[i].applies_to == variant && matches(row_components()[i], parts)) return &schema_rows[i];
  }
  return nullptr;
}

const ParameterSpec* find_parameter(const std::vector<std::string>& parts, std::string_view variant) {
  for (std::size_t i = 0; i < schema_rows.size(); ++i) {
    if (schema_rows[i].applies_to == variant && matches(row_components()[i], parts)) return &schema_rows[i];
  }
  return nullptr;
}

const ParameterSpec* find_parameter_of(std::string_view key,
                                       const std::function<std::string(std::string_view service_id)>& kind_of) {
  constexpr std::string_view service = "service.";
  if (key.substr(0, service.size()) == service) {
    const std::string_view::size_type dot = key.find('.', service.size());
    if (dot != std::string_view::npos) {
      const std::string kind = kind_of(key.substr(service.size(), dot - service.size()));
      if (!kind.empty()) {
        if (const ParameterSpec* row = find_parameter(key, kind)) return row;
      }
    }
  }
  if (const ParameterSpec* row = find_parameter(key, "")) return row;
  for (const ParameterSpec& row : schema_rows) {
    if (find_parameter(key, row.applies_to) == &row) return &row;
  }
  return nullptr;
}

bool may_change_over_time(const std::string& key) {
  std::vector<std::string_view> parts = components(key);
  while (!parts.empty()) {
    for (std::size_t i = 0; i < schema_rows.size(); ++i) {
      if (matches(row_components()[i], parts)) return schema_rows[i].changeable;
    }
    parts.pop_back();
  }
  return false;
}

std::string range_text(double lo, double hi, bool lo_open) {
  std::string text(lo_open ? "(" : "[");
  text += loader::format_number(lo);
  text += ", ";
  text += loader::format_number(hi);
  text += ']';
  return text;
}

void write_schema(std::ostream& out, SchemaFormat format) {
  if (format == SchemaFormat::csv) {
    out << "key,applies_to,type,unit,range,default,changes_over_time,description\n";
    for (const ParameterSpec& p : schema_rows) {
      out << csv_field(p.key) << ',' << csv_field(p.applies_to) << ',' << csv_field(type_name(p.type)) << ','
          << csv_field(p.unit) << ',' << csv_field(range_of(p)) << ',' << csv_field(default_of(p)) << ','
          << (p.changeable ? "yes" : "no") << ',' << csv_field(p.description) << '\n';
    }
    return;
  }
  std::string_view section;
  for (const ParameterSpec& p : schema_rows) {
    const std::string_view here = section_of(p.key);
    const bool top = here == p.key && p.type != T::table && p.key != "change";
    const std::string_view heading = top ? std::string_view("the scenario") : here;
    if (heading != section) {
      std::string title = top ? "The scenario" : here == "change" ? "[[change]]" : "[";
      if (title == "[") title.append(here).append("]");
      out << (section.empty() ? "" : "\n") << "**" << title
          << "**\n\n| key | type | unit | range | default | [[change]] | description "
             "|\n|---|---|---|---|---|---|---|\n";
      section = heading;
    }
    std::string key(1, '`');
    key.append(p.key).append("`");
    if (!p.applies_to.empty()) key += " (" + std::string(p.applies_to) + ")";
    out << "| " << markdown_field(key, /*code=*/true) << " | " << type_name(p.type) << " | " << markdown_field(p.unit)
        << " | " << markdown_field(range_of(p)) << " | " << markdown_field(default_of(p)) << " | "
        << (p.changeable ? "yes" : "") << " | " << markdown_field(p.description) << " |\n";
  }
  out << "\n**Rules across keys** (checked by the loader)\n\n| keys | rule |\n|---|---|\n";
  for (const CrossKeyRule& r : rules)
    out << "| `" << markdown_field(r.keys, /*code=*/true) << "` | " << markdown_field(r.rule) << " |\n";
}

}  // namespace frontdoor
