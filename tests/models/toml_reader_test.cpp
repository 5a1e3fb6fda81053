// The checked TOML reader: types, ranges and defaults from the schema, records with their origin, unknown keys,
// and messages that name the file, line and key.
#include "models/toml_reader.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "models/scenario_loader.hpp"

using namespace frontdoor;
using namespace frontdoor::loader;

namespace {

toml::table parse(const std::string& text) { return parse_toml(text, "t.toml"); }

}  // namespace

TEST(TomlReader, TakesRangeUnitAndDefaultFromTheSchema) {
  const toml::table root = parse("[simulation]\nyears = 0\n\n[population]\n");
  LoadContext ctx;
  ctx.file = "t.toml";
  TableReader top(ctx, &root, "");
  TableReader sim = top.table("simulation");
  EXPECT_EQ(sim.integer("years"), 10);  // out of range: the default, and a problem
  TableReader population = top.table("population");
  EXPECT_EQ(population.integer("children"), 100000);
  ASSERT_EQ(ctx.problems.size(), 1u);
  EXPECT_EQ(ctx.problems[0], "t.toml:2: simulation.years: 0 is out of range: must be in [1, 100] years");
  ASSERT_EQ(ctx.parameters.size(), 1u);
  EXPECT_EQ(ctx.parameters[0].key, "population.children");
  EXPECT_EQ(ctx.parameters[0].value, "100000");
  EXPECT_EQ(ctx.parameters[0].unit, "children aged 0-17");
  EXPECT_EQ(ctx.parameters[0].range, "[1000, 20000000]");
  EXPECT_EQ(ctx.parameters[0].origin, "default");
}

TEST(TomlReader, VariantsAndBoundsThatDependOnTheScenario) {
  const toml::table root =
      parse("[service.q.team]\nfte = 2.5\n\n[service.t.team]\nfte = 2.5\n[simulation]\nwarmup_days = 400\n");
  LoadContext ctx;
  ctx.file = "t.toml";
  TableReader top(ctx, &root, "");
  TableReader services = top.table("service");
  TableReader q = services.table("q").table("team");
  q.integer("fte", {.variant = "screening_queue"});
  TableReader t = services.table("t").table("team");
  EXPECT_EQ(t.number("fte", {.variant = "caseload_team"}), 2.5);
  TableReader sim = top.table("simulation");
  sim.number("warmup_days", {.hi = 364});
  ASSERT_EQ(ctx.problems.size(), 2u);
  EXPECT_EQ(ctx.problems[0], "t.toml:2: service.q.team.fte: expected a whole number (screeners), got the number 2.5");
  EXPECT_EQ(ctx.problems[1], "t.toml:7: simulation.warmup_days: 400 is out of range: must be in [0, 364] days");
  // A key the schema lacks, a variant missing, a wrong type, or a bound left to the reader is a programming error.
  EXPECT_THROW(q.number("ftee"), std::logic_error);
  EXPECT_THROW(q.number("fte"), std::logic_error);
  EXPECT_THROW(q.number("fte", {.variant = "screening_queue"}), std::logic_error);
  EXPECT_THROW(sim.number("warmup_days"), std::logic_error);
}

TEST(TomlReader, TextChoicesBooleansAndRequiredKeys) {
  const toml::table root = parse("[sources.police]\narrivals = \"bursty\"\nco_located = 1\n[route.r]\nto = \"\"\n");
  LoadContext ctx;
  ctx.file = "t.toml";
  TableReader top(ctx, &root, "");
  TableReader police = top.table("sources").table("police");
  EXPECT_EQ(police.text("arrivals"), "poisson");
  EXPECT_FALSE(police.boolean("co_located"));
  EXPECT_EQ(police.text("calendar", {.fallback_text = "none"}), "none");
  TableReader route = top.table("route").table("r");
  route.text("from");
  route.text("to");
  const std::vector<std::string> expected{
      "t.toml:2: sources.police.arrivals: \"bursty\" is not allowed: use one of poisson, deterministic",
      "t.toml:3: sources.police.co_located: expected true or false, got the whole number 1",
      "t.toml:4: route.r.from: is required but missing", "t.toml:5: route.r.to: must not be empty"};
  EXPECT_EQ(ctx.problems, expected);
  ASSERT_EQ(ctx.parameters.size(), 2u);  // the calendar's default, and the empty `to`
  EXPECT_EQ(ctx.parameters[0].range, "one of none, school");
}

TEST(TomlReader, NeedLevelsAndUnknownKeys) {
  const toml::table root =
      parse("[need]\nup_per_year = [1, 2, 3, 4]\nharm_per_year = [0, 0, 0, 0.5, 200]\nextra = 1\n");
  LoadContext ctx;
  ctx.file = "t.toml";
  TableReader top(ctx, &root, "");
  TableReader need = top.table("need");
  need.need_levels_array("up_per_year");
  need.need_levels_array("down_per_year");
  const auto harm = need.need_levels_array("harm_per_year");
  EXPECT_EQ(harm[3], 0.5);
  EXPECT_EQ(harm[4], 0.0);
  need.finish();
  const std::vector<std::string> expected{
      "t.toml:2: need.up_per_year: expected 5 numbers (need levels 0 to 4), got 4",
      "t.toml:1: need.down_per_year: is required but missing: one number per need level 0 to 4",
      "t.toml:3: need.harm_per_year[4]: 200 is out of range: must be in [0, 100] harm events per child-year",
      "t.toml:4: need.extra: unknown key"};
  EXPECT_EQ(ctx.problems, expected);
}

TEST(TomlReader, AnOverridesValueIsBlamedOnTheOverride) {
  LoadContext ctx;
  ctx.file = "t.toml";
  ctx.overrides = {{"simulation.years", "0"}};
  EXPECT_EQ(ctx.where(nullptr, "simulation.years"), "--set simulation.years=0");
  EXPECT_EQ(ctx.where(nullptr, "simulation"), "--set simulation.years=0");
  EXPECT_EQ(ctx.where(nullptr, "population.children"), "t.toml");
}

TEST(TomlReader, SyntaxErrorsAndFilesThatCannotBeRead) {
  try {
    parse("a = = 1\n");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("t.toml:1:", 0), 0u) << e.what();
    EXPECT_NE(std::string(e.what()).find("TOML syntax error"), std::string::npos);
  }
  EXPECT_THROW(read_whole_file("/nonexistent/x.toml", "scenario file"), ScenarioError);
  EXPECT_THROW(read_whole_file("/", "scenario file"), ScenarioError);
}
