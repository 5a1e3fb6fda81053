// Composing a scenario's document: base scenarios, included files, --set overrides, appended text, and changes
// after the run. Messages name the file and line (or the --set) where a problem is.
#include "models/scenario_document.hpp"

#include <gtest/gtest.h>

#include "models/scenario_loader.hpp"
#include "test_support.hpp"

using namespace frontdoor;
using namespace frontdoor::loader;
using test_support::TempDir;
using test_support::write_file;

TEST(ScenarioDocument, BaseThenIncludesThenOverridesInThatOrder) {
  TempDir dir;
  write_file(dir.path() / "part.toml", "[a]\nx = 1\ny = 2\n");
  write_file(dir.path() / "base.toml", "name = \"b\"\ninclude = \"part.toml\"\n[a]\ny = 3\n");
  const std::string policy = (dir.path() / "policy.toml").string();
  write_file(policy, "name = \"p\"\nbase = \"base.toml\"\n[a]\nx = 4\n");
  LoadContext ctx;
  ScenarioDocument doc = compose_scenario(test_support::read_file(policy), policy, {{"a.z", "\"text\""}}, ctx);
  EXPECT_EQ(doc.root.at_path("a.x").value<int>(), 4);  // the policy's own value wins
  EXPECT_EQ(doc.root.at_path("a.y").value<int>(), 3);  // the base's wins over its include
  EXPECT_EQ(doc.root.at_path("a.z").value<std::string>(), "text");
  EXPECT_EQ(doc.root.get("base"), nullptr);
  EXPECT_EQ(doc.root.get("include"), nullptr);
  ASSERT_EQ(doc.includes.size(), 2u);
  EXPECT_EQ(doc.includes[0], (dir.path() / "part.toml").string());
  EXPECT_EQ(doc.includes[1], (dir.path() / "base.toml").string());
  EXPECT_EQ(ctx.file_order.back(), policy);
  EXPECT_TRUE(ctx.problems.empty());
  // Each value keeps the file it came from, so messages point there.
  EXPECT_EQ(*doc.root.at_path("a.y").node()->source().path, (dir.path() / "base.toml").string());
}

TEST(ScenarioDocument, AKeyNotInTheBaseIsAnErrorNamingFileAndLine) {
  TempDir dir;
  write_file(dir.path() / "base.toml", "name = \"b\"\n[a]\nx = 1\n");
  const std::string policy = (dir.path() / "policy.toml").string();
  write_file(policy, "name = \"p\"\nbase = \"base.toml\"\n\n[a]\nxx = 4\n");
  LoadContext ctx;
  try {
    compose_scenario(test_support::read_file(policy), policy, {}, ctx);
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(std::string(e.what()), policy + ":5: a.xx: is not a key of the base scenario (" +
                                         (dir.path() / "base.toml").string() +
                                         "); a scenario on a base changes its keys");
  }
}

TEST(ScenarioDocument, AnOverrideThatCannotBeSetIsAProblemNamingIt) {
  LoadContext ctx;
  ScenarioDocument doc = compose_scenario("[a]\nx = 1\n", "s.toml", {{"a.x.y", "2"}}, ctx);
  ASSERT_EQ(ctx.problems.size(), 1u);
  EXPECT_EQ(ctx.problems[0], "--set a.x.y=2: a.x.y: cannot be set, because x is the whole number 1, not a table");
  // A value that is not TOML is taken as text.
  LoadContext text_ctx;
  doc = compose_scenario("[a]\nx = 1\n", "s.toml", {{"a.x", "hello"}}, text_ctx);
  EXPECT_EQ(doc.root.at_path("a.x").value<std::string>(), "hello");
  EXPECT_EQ(set_text({"a.x", "hello"}), "--set a.x=hello");
}

TEST(ScenarioDocument, AppendedChangesJoinTheTimelineInYearOrderAndLateOnesAreDropped) {
  toml::table root = parse_toml(
      "[simulation]\nyears = 5\n\n[[change]]\nfrom_year = 2\nlabel = \"a\"\n\n[[change]]\nfrom_year = 6\nlabel = "
      "\"late\"\n",
      "s.toml");
  merge_appended(root, "[simulation]\nwarmup_days = 10\n\n[[change]]\nfrom_year = 3\nlabel = \"b\"\n");
  EXPECT_EQ(root.at_path("simulation.warmup_days").value<int>(), 10);
  EXPECT_EQ(root.at_path("simulation.years").value<int>(), 5);
  const toml::array* changes = root.get_as<toml::array>("change");
  ASSERT_NE(changes, nullptr);
  ASSERT_EQ(changes->size(), 3u);
  EXPECT_EQ(changes->at(1).as_table()->at_path("label").value<std::string>(), "b");
  drop_changes_after_run(root);
  ASSERT_EQ(root.get_as<toml::array>("change")->size(), 2u);
  EXPECT_EQ(root.get_as<toml::array>("change")->at(1).as_table()->at_path("label").value<std::string>(), "b");
}

TEST(ScenarioDocument, SetDottedCreatesTablesAlongThePath) {
  toml::table root;
  EXPECT_EQ(set_dotted(root, "a.b.c", toml::value<double>(0.5)), "");
  EXPECT_EQ(root.at_path("a.b.c").value<double>(), 0.5);
  toml::table from = parse_toml("[a.b]\nd = 1\n", "f.toml");
  merge_into(root, from);
  EXPECT_EQ(root.at_path("a.b.c").value<double>(), 0.5);  // tables in both are merged key by key
  EXPECT_EQ(root.at_path("a.b.d").value<int>(), 1);
}
