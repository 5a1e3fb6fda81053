#pragma once
// One reader per section of a composed scenario document: [simulation], [calendar], [need], [sources], the
// pathway ([service.<id>] and [route.<id>]), [costs], [reinvestment] and [reporting], and read_scenario(), which
// reads them all in a fixed order (the order of `frontdoor validate`'s parameter list) and then checks the
// pathway's structure. Each reader consumes its keys through a TableReader, so that a key nobody reads is
// reported as unknown; problems go to the LoadContext, never thrown.
#include <toml++/toml.h>

#include <string>
#include <vector>

#include "models/scenario.hpp"
#include "models/toml_reader.hpp"

namespace frontdoor::loader {

/// One state of the scenario (no [[change]] timeline: see scenario_timeline.hpp) from the composed document.
Scenario read_scenario(const toml::table& root, LoadContext& ctx);

/// [simulation]: years, start date and warm-up (which must end before the run does).
SimulationSpec read_simulation(TableReader t);
/// [calendar].school_holidays: England's usual holidays when absent.
std::vector<HolidayRange> read_holidays(TableReader& calendar);
/// [need]: children and their latent need. Absent: the reference model is off and decisions are fixed shares.
NeedSpec read_need(TableReader t);
/// [sources.<source>]: each declared source, in all_sources order. Reads notice rates when scenario.need is
/// enabled, contact rates otherwise.
void read_sources(TableReader sources, Scenario& scenario);
/// [service.<id>] and [route.<id>], in declaration order (or in ctx.order_like's order, for a change's copy).
/// `horizon_days` bounds a team's schedule.
Pathway read_pathway(TableReader& top, double horizon_days, bool need_enabled);
/// [reinvestment]: a share of the savings on late intervention moves into prevention each year.
ReinvestmentSpec read_reinvestment(TableReader t, const Scenario& scenario);
/// [reporting]: the measures of annual.csv, in declaration order.
std::vector<ReportMeasure> read_reporting(TableReader t, const Pathway& pathway);

}  // namespace frontdoor::loader
