// The child records handed from the recording process to its parent: JSON Lines that read back to the same
// records (open ends and negative birth days included), malformed lines named, and a recorded replication that is
// the same on every recording.
#include "sim/returns_run.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "test_support.hpp"

namespace frontdoor {
namespace {

ChildRecords sample() {
  ChildRecords r;
  r.children.push_back({1, 'F', -2345.75, 9, 2, 1});
  r.children.push_back({2, 'M', 12.5, 9, 0, 0});
  ChildRecords::Spell open;
  open.child = 1;
  open.service = "looked_after";
  open.start_day = 0.0;
  open.initial = true;
  open.source = SourceKind::health;
  r.spells.push_back(open);
  ChildRecords::Spell closed;
  closed.child = 2;
  closed.service = "assessment";
  closed.start_day = 100.125;
  closed.allocated_day = 101.0 / 3.0;
  closed.end_day = 140.0 + 1.0 / 7.0;
  closed.decision = "child_in_need";
  closed.source = SourceKind::individuals;
  r.spells.push_back(closed);
  r.placements.push_back({1, 0.0, "kinship_and_other", false});
  r.placements.push_back({1, 200.2, "residential", true});
  r.contacts.push_back({2, 100.125, SourceKind::local_authority, "referral"});
  return r;
}

TEST(ReturnsRun, RecordsReadBackExactlyFromJsonLines) {
  const ChildRecords a = sample();
  const ChildRecords b = child_records_from_jsonl(child_records_jsonl(a));
  ASSERT_EQ(b.children.size(), 2u);
  EXPECT_EQ(b.children[0].sex, 'F');
  EXPECT_EQ(b.children[0].birth_day, -2345.75);
  EXPECT_EQ(b.children[0].family, 9);
  EXPECT_EQ(b.children[0].prior_plans, 2);
  EXPECT_EQ(b.children[0].prior_care, 1);
  ASSERT_EQ(b.spells.size(), 2u);
  EXPECT_TRUE(std::isnan(b.spells[0].end_day));
  EXPECT_TRUE(std::isnan(b.spells[0].allocated_day));
  EXPECT_TRUE(b.spells[0].initial);
  EXPECT_EQ(b.spells[0].source, SourceKind::health);
  EXPECT_EQ(b.spells[1].allocated_day, a.spells[1].allocated_day);  // doubles exactly, not rounded
  EXPECT_EQ(b.spells[1].end_day, a.spells[1].end_day);
  EXPECT_EQ(b.spells[1].decision, "child_in_need");
  EXPECT_EQ(b.spells[1].source, SourceKind::individuals);
  ASSERT_EQ(b.placements.size(), 2u);
  EXPECT_EQ(b.placements[1].type, "residential");
  EXPECT_TRUE(b.placements[1].move);
  EXPECT_EQ(b.placements[1].start_day, 200.2);
  ASSERT_EQ(b.contacts.size(), 1u);
  EXPECT_EQ(b.contacts[0].source, SourceKind::local_authority);
  EXPECT_EQ(child_records_jsonl(b), child_records_jsonl(a));
}

TEST(ReturnsRun, AMalformedLineIsNamed) {
  const std::string text = child_records_jsonl(sample()) + "[\"spell\", 1]\n";
  try {
    child_records_from_jsonl(text);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("line 8"), std::string::npos) << e.what();
  }
  EXPECT_THROW(child_records_from_jsonl("[\"unknown\"]\n"), std::runtime_error);
}

TEST(ReturnsRun, ARecordedReplicationIsTheSameEveryTime) {
  const Scenario scenario = load_scenario(test_support::source_path("scenarios/england_baseline.toml"),
                                          {{"simulation.years", "1"}, {"simulation.warmup_days", "0"}});
  test_support::TempDir scratch;
  const std::string first = child_records_jsonl(record_replication(scenario, 7, 1, {}, scratch.path()));
  const std::string second = child_records_jsonl(record_replication(scenario, 7, 1, {}, scratch.path()));
  EXPECT_NE(first.find("[\"spell\""), std::string::npos);  // the simulation filled the records
  EXPECT_EQ(first, second);
  EXPECT_TRUE(std::filesystem::is_empty(scratch.path()));  // the hand-over file is removed
}

}  // namespace
}  // namespace frontdoor
