// Writing a composed document back as TOML: name, version and description first, then keys in declaration order
// (file by file, then by line), plain keys before sub-tables, numbers in their shortest exact form. Inline tables
// keep TOML's key order, and strings are written as toml++ writes them.
#include "models/scenario_writer.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "models/scenario_document.hpp"
#include "models/toml_reader.hpp"

using namespace frontdoor::loader;

namespace {

std::string written(const toml::table& root, const std::vector<std::string>& file_order) {
  std::ostringstream out;
  write_scenario_toml(out, root, file_order);
  return out.str();
}

}  // namespace

TEST(ScenarioWriter, DeclarationOrderNotKeyOrder) {
  const toml::table root = parse_toml(
      "description = \"d\"\nname = \"n\"\nversion = \"1\"\n\n[service.zeta]\nkind = \"exit\"\n\n"
      "[service.alpha]\nkind = \"exit\"\nshare = 0.6\nteam = { fte = 3, cap = 1e-3 }\n\n[[change]]\nfrom_year = 2\n",
      "s.toml");
  EXPECT_EQ(
      written(root, {"s.toml"}),
      "name = 'n'\nversion = '1'\ndescription = 'd'\n\n[service]\n\n[service.zeta]\nkind = 'exit'\n\n"
      "[service.alpha]\nkind = 'exit'\nshare = 0.6\nteam = { cap = 0.001, fte = 3 }\n\n[[change]]\nfrom_year = 2\n");
}

TEST(ScenarioWriter, AnEarlierFileComesFirstAndValuesWithoutALineLast) {
  toml::table root = parse_toml("[b]\nx = 1\n", "scenario.toml");
  toml::table part = parse_toml("\n\n[a]\ny = 2.0\n", "part.toml");
  merge_into(root, part);                       // moved, so that its nodes keep their file and line
  root.insert("c", toml::table{{"z", "set"}});  // as an override writes it: no source line
  EXPECT_EQ(written(root, {"part.toml", "scenario.toml"}), "\n[a]\ny = 2.0\n\n[b]\nx = 1\n\n[c]\nz = 'set'\n");
}

TEST(ScenarioWriter, KeysThatAreNotBareAreQuoted) {
  const toml::table root = parse_toml("[change.set]\n\"service.x.fte\" = 2\n", "s.toml");
  EXPECT_EQ(written(root, {"s.toml"}), "\n[change]\n\n[change.set]\n'service.x.fte' = 2\n");
}
