// The statutory returns written from hand-made child records: every file's columns are the spec's, in order
// (../shared/formats/returns.md, typed out here rather than taken from the writer), every code is in its list,
// dates are in each return's format, a care career gives the episodes it should, and the counts in each year's
// files are what the records say.
#include "models/returns.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "models/random.hpp"
#include "models/returns_codes.hpp"
#include "test_support.hpp"

namespace frontdoor {
namespace {

using Table = std::vector<std::vector<std::string>>;
using Strings = std::vector<std::string>;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Reads CSV with RFC 4180 quoting; the first row is the header.
Table parse_csv(const std::string& text) {
  Table rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
    } else if (c == '\n') {
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
    } else {
      field += c;
    }
  }
  return rows;
}

std::size_t column(const Table& t, const std::string& name) {
  const auto it = std::find(t.front().begin(), t.front().end(), name);
  if (it == t.front().end()) throw std::runtime_error("no column " + name);
  return static_cast<std::size_t>(it - t.front().begin());
}

// Four simulated years from 1 April 2024 with one of warm-up: collection years 2025/26, 2026/27 and 2027/28.
const Scenario& scenario() {
  static const Scenario s = load_scenario(test_support::source_path("scenarios/england_baseline.toml"),
                                          {{"simulation.years", "4"}, {"simulation.warmup_days", "365"}});
  return s;
}

ChildRecords::Spell spell(std::int64_t child, const std::string& service, double start, double end,
                          const std::string& decision, SourceKind source = SourceKind::police) {
  ChildRecords::Spell s;
  s.child = child;
  s.service = service;
  s.start_day = start;
  s.allocated_day = start;
  s.end_day = end;
  s.decision = decision;
  s.source = source;
  return s;
}

// Child 7's career: a police contact, referral, assessment, section 47, conference, plan, then care from day 700
// (placed in foster care on day 702), a move to a children's home on day 900 and adoption on day 1200.
ChildRecords care_career() {
  ChildRecords r;
  r.children.push_back({7, 'F', -3000.0, 70, 0, 0});
  r.contacts.push_back({7, 400.0, SourceKind::police, "referral"});
  r.spells.push_back(spell(7, "referral", 400.0, 400.0, "assessment"));
  r.spells.push_back(spell(7, "assessment", 400.0, 440.0, "section_47"));
  r.spells.push_back(spell(7, "strategy_discussion", 440.0, 450.0, "conference"));
  r.spells.push_back(spell(7, "icpc", 450.0, 455.0, "plan"));
  r.spells.push_back(spell(7, "cp_plan", 455.0, 700.0, "care"));
  r.spells.push_back(spell(7, "looked_after", 700.0, 1200.0, "adoption"));
  r.placements.push_back({7, 702.0, "foster_care", false});
  r.placements.push_back({7, 900.0, "residential", true});
  return r;
}

// Many children on random paths through the England pathway (a fixed seed), for the code lists and the counts.
ChildRecords random_careers(int children) {
  ChildRecords r;
  RandomStream rng(20261129);
  const std::array<SourceKind, 6> sources = all_sources;
  const std::array<const char*, 6> exits{"return_home", "special_guardianship", "adoption",
                                         "turned_18",   "moved_away",           "other"};
  const std::array<const char*, 4> types{"foster_care", "residential", "kinship_and_other", "supported_lodgings"};
  for (int i = 0; i < children; ++i) {
    const std::int64_t id = 100 + i;
    r.children.push_back({id, rng.uniform01() < 0.5 ? 'M' : 'F', -6500.0 * rng.uniform01(), id / 3,
                          static_cast<int>(rng.uniform01() * 2), 0});
    double t = 1400.0 * rng.uniform01();
    if (rng.uniform01() < 0.1) {  // on the starting caseload, in care since day 0
      auto s = spell(id, "looked_after", 0.0, rng.uniform01() < 0.5 ? nan : 300.0 + 1000.0 * rng.uniform01(), "");
      s.initial = true;
      if (!std::isnan(s.end_day)) s.decision = exits[static_cast<std::size_t>(rng.uniform01() * 6)];
      r.spells.push_back(s);
      r.placements.push_back({id, 0.0, "foster_care", false});
      continue;
    }
    const SourceKind source = sources[static_cast<std::size_t>(rng.uniform01() * 6)];
    r.contacts.push_back({id, t, source, "referral"});
    if (rng.uniform01() < 0.2) {  // early help, then a step up
      r.spells.push_back(spell(id, "early_help", t, t + 60.0, "step_up", source));
      t += 60.0;
    } else {
      r.spells.push_back(
          spell(id, "referral", t, t, rng.uniform01() < 0.1 ? "no_further_action" : "assessment", source));
      if (r.spells.back().decision == "no_further_action") continue;
    }
    const double a = 10.0 + 60.0 * rng.uniform01();
    const double u = rng.uniform01();
    r.spells.push_back(spell(id, "assessment", t, t + a,
                             u < 0.3   ? "not_in_need"
                             : u < 0.6 ? "child_in_need"
                                       : "section_47",
                             source));
    t += a;
    std::string next = r.spells.back().decision;
    if (next == "not_in_need") continue;
    if (next == "section_47") {
      const bool conference = rng.uniform01() < 0.6;
      r.spells.push_back(
          spell(id, "strategy_discussion", t, t + 10.0, conference ? "conference" : "child_in_need", source));
      t += 10.0;
      if (conference) {
        const double wait = 3.0 + 5.0 * rng.uniform01();
        const bool plan = rng.uniform01() < 0.8;
        r.spells.push_back(spell(id, "icpc", t, t + wait, plan ? "plan" : "no_plan", source));
        t += wait;
        if (plan) {
          const double length = 100.0 + 300.0 * rng.uniform01();
          const bool care = rng.uniform01() < 0.4;
          const double end = t + length > 1461.0 ? nan : t + length;
          r.spells.push_back(spell(id, "cp_plan", t, end, std::isnan(end) ? "" : care ? "care" : "step_down", source));
          if (std::isnan(end)) continue;
          t = end;
          next = care ? "care" : "child_in_need";
        } else {
          next = "child_in_need";
        }
      } else {
        next = "child_in_need";
      }
    }
    if (next == "child_in_need") {
      for (int review = 0; review < 3; ++review) {  // plans reviewed: back-to-back spells of one plan
        const double end = t + 100.0 > 1461.0 ? nan : t + 100.0;
        const bool more = review < 2 && rng.uniform01() < 0.5;
        r.spells.push_back(spell(id, "child_in_need", t, end,
                                 std::isnan(end) ? ""
                                 : more          ? "review"
                                                 : "closed",
                                 source));
        if (std::isnan(end) || !more) break;
        t = end;
      }
      continue;
    }
    const double length = 200.0 + 900.0 * rng.uniform01();
    const double end = t + length > 1461.0 ? nan : t + length;
    r.spells.push_back(spell(id, "looked_after", t, end,
                             std::isnan(end) ? "" : exits[static_cast<std::size_t>(rng.uniform01() * 6)], source));
    r.placements.push_back({id, t + 2.0, types[static_cast<std::size_t>(rng.uniform01() * 4)], false});
    for (double m = t + 150.0; m < (std::isnan(end) ? 1461.0 : end); m += 150.0 + 200.0 * rng.uniform01()) {
      r.placements.push_back({id, m, types[static_cast<std::size_t>(rng.uniform01() * 4)], true});
    }
  }
  return r;
}

std::map<std::string, std::string> files_of(const ChildRecords& records) {
  std::map<std::string, std::string> files;
  for (auto& f : statutory_returns(records, scenario())) files[f.path] = f.content;
  return files;
}

const Strings common{"Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"};
Strings with_common(const Strings& rest) {
  Strings all = common;
  all.insert(all.end(), rest.begin(), rest.end());
  return all;
}

// The spec's columns, file by file (returns.md sections 1.2, 3.4 and 4.2).
std::map<std::string, Strings> spec_columns() {
  return {
      {"ssda903/header.csv", {"CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"}},
      {"ssda903/uasc.csv", {"CHILD", "SEX", "DOB", "DUC"}},
      {"ssda903/episodes.csv",
       {"CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE",
        "HOME_POST", "PL_POST", "URN"}},
      {"cin_census/cin_census.csv",
       {"LAchildID",
        "Date",
        "Type",
        "CINreferralDate",
        "ReferralSource",
        "PrimaryNeedCode",
        "CINclosureDate",
        "ReasonForClosure",
        "DateOfInitialCPC",
        "ReferralNFA",
        "CINPlanStartDate",
        "CINPlanEndDate",
        "S47ActualStartDate",
        "InitialCPCtarget",
        "ICPCnotRequired",
        "AssessmentActualStartDate",
        "AssessmentInternalReviewDate",
        "AssessmentAuthorisationDate",
        "Factors",
        "CPPstartDate",
        "CPPendDate",
        "InitialCategoryOfAbuse",
        "LatestCategoryOfAbuse",
        "NumberOfPreviousCPP",
        "UPN",
        "FormerUPN",
        "UPNunknown",
        "PersonBirthDate",
        "ExpectedPersonBirthDate",
        "GenderCurrent",
        "PersonDeathDate",
        "PersonSchoolYear",
        "Ethnicity",
        "Disabilities"}},
      {"annex_a/list_01_contacts.csv", with_common({"Date of Contact", "Contact Source"})},
      {"annex_a/list_02_early_help_assessments.csv",
       with_common({"Assessment start date", "Assessment completion date", "Organisation completing assessment"})},
      {"annex_a/list_03_referrals.csv",
       with_common({"Date of referral", "Referral Source", "Referral NFA?", "Number of Referrals in Last 12 Months",
                    "Allocated Team", "Allocated Worker"})},
      {"annex_a/list_04_assessments.csv",
       with_common({"Does the Child have a Disability", "Continuous Assessment Start Date",
                    "Child Seen During Continuous Assessment", "Continuous Assessment Date of Authorisation",
                    "Was the child assessed as requiring LA children's social care support?", "Allocated Team",
                    "Allocated Worker"})},
      {"annex_a/list_05_section_47_enquiries_and_icpc.csv",
       with_common({"Does the Child have a Disability", "Strategy discussion initiating Section 47 Enquiry Start Date",
                    "Was an Initial Child Protection Conference deemed unnecessary?",
                    "Date of Initial Child Protection Conference",
                    "Did the Initial Child Protection Conference Result in a Child Protection Plan",
                    "Number of Section 47 Enquiries in the last 12 months", "Number of ICPCs in the last 12 months",
                    "Allocated Team", "Allocated Worker"})},
      {"annex_a/list_06_children_in_need.csv",
       with_common({"Does the Child have a Disability", "CIN Start Date", "Primary Need Code",
                    "Date Child Was Last Seen", "CIN Closure Date", "Reason for Closure", "Case Status",
                    "Allocated Team", "Allocated Worker"})},
      {"annex_a/list_07_child_protection.csv",
       with_common({"Does the Child have a Disability", "Child Protection Plan Start Date", "Initial Category of Abuse",
                    "Latest Category of Abuse", "Date of the Last Statutory Visit", "Was the Child Seen Alone?",
                    "Date of latest review conference", "Child Protection Plan End Date",
                    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
                    "Number of Previous Child Protection Plans", "Allocated Team", "Allocated Worker"})},
      {"annex_a/list_08_children_in_care.csv",
       with_common({"Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
                    "Does the Child have a Disability",
                    "Date Started to be Looked After",
                    "Child's Category of Need",
                    "Is this a second or subsequent period of being a Looked After Child within the last 12 months "
                    "(Y/N)",
                    "Start date of current legal status",
                    "Child's Legal Status",
                    "Date of Latest Statutory Review",
                    "Date of Last Social Work Visit",
                    "What is the permanence plan for this child?",
                    "Date of Last IRO Visit / Contact to the Child",
                    "Date of Last Health Assessment",
                    "Date of Last Dental Check",
                    "Number of Placements in the Last 12 months",
                    "Date Ceased to be Looked After",
                    "Reason Ceased to be Looked After",
                    "Start Date of Most Recent Placement",
                    "Placement Type",
                    "Placement Provider",
                    "Placement postcode",
                    "URN of Placement",
                    "Placement Location",
                    "LA of Placement",
                    "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
                    "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
                    "Was the child offered a Return Interview after their last missing episode (Y/N)?",
                    "Did the child accept a Return Interview after their last missing episode (Y/N)?",
                    "Allocated Team",
                    "Allocated Worker"})},
      {"annex_a/list_09_leaving_care_services.csv",
       with_common({"Does the Child have a Disability", "Allocated Team", "Allocated Worker", "Eligibility Category",
                    "LA in Touch", "Type of Accommodation", "Suitability of Accommodation", "Activity Status"})},
      {"annex_a/list_10_adoption.csv",
       {"Child Unique ID", "Family identifier", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)",
        "Does the Child have a Disability", "Date the Child Entered Care",
        "Date of Decision that Child Should be Placed for Adoption", "Date of Placement Order",
        "Date of Matching Child and Prospective Adopters", "Date Placed for Adoption", "Date of Adoption Order",
        "Date of Decision that Child Should No Longer be Placed for Adoption",
        "Reason Why Child No Longer Placed for Adoption",
        "Date the child was placed for fostering in FFA or concurrent planning placement"}},
      {"annex_a/list_11_adopters.csv",
       {"Individual adopter identifier", "Family identifier", "Gender", "Ethnicity", "Disability",
        "Is the (prospective) adopter fostering for adoption?", "Date enquiry received", "Date Stage 1 started",
        "Date Stage 1 ended", "Date Stage 2 started", "Date Stage 2 ended", "Date application submitted",
        "Date application approved", "Date adopter matched with child(ren)",
        "Date child/children placed with adopter(s)", "No. of children placed", "Date of Adoption Order",
        "Date of leaving adoption process", "Reason for leaving adoption process"}},
  };
}

// "ssda903/2027/episodes.csv" -> "ssda903/episodes.csv"
std::string kind_of(const std::string& path) {
  const auto first = path.find('/');
  const auto second = path.find('/', first + 1);
  return path.substr(0, first) + path.substr(second);
}

TEST(Returns, CollectionYearsAreTheWholeYearsTo31MarchAfterTheWarmUp) {
  const auto years = collection_years(scenario());
  ASSERT_EQ(years.size(), 3u);
  EXPECT_EQ(years[0].year, 2026);
  EXPECT_EQ(dmy(years[0].first), "01/04/2025");
  EXPECT_EQ(dmy(years[2].last), "31/03/2028");
  // A run from 1 January covers only the whole years to 31 March inside it.
  const Scenario january = load_scenario(
      test_support::source_path("scenarios/england_baseline.toml"),
      {{"simulation.years", "4"}, {"simulation.warmup_days", "0"}, {"simulation.start_date", "\"2024-01-01\""}});
  const auto inside = collection_years(january);
  ASSERT_EQ(inside.size(), 3u);
  EXPECT_EQ(inside.front().year, 2025);
  EXPECT_EQ(inside.back().year, 2027);
}

TEST(Returns, EveryFileHasTheSpecsColumnsInOrderAndEveryRowAsManyFields) {
  const auto files = files_of(random_careers(400));
  const auto spec = spec_columns();
  std::set<std::string> kinds;
  for (const auto& [path, text] : files) {
    const std::string kind = kind_of(path);
    ASSERT_TRUE(spec.count(kind)) << path;
    kinds.insert(kind);
    const Table t = parse_csv(text);
    ASSERT_FALSE(t.empty()) << path;
    EXPECT_EQ(t.front(), spec.at(kind)) << path;
    for (const auto& row : t) EXPECT_EQ(row.size(), t.front().size()) << path;
  }
  EXPECT_EQ(kinds.size(), spec.size());  // every file of the spec, every year
  EXPECT_EQ(files.size(), 3 * spec.size());
}

TEST(Returns, EveryCodeIsInItsCodeListAndEveryDateInItsFormat) {
  const auto files = files_of(random_careers(400));
  const std::regex dmy_date(R"(\d\d/\d\d/\d{4})");
  const std::regex iso_date(R"(\d{4}-\d\d-\d\d)");
  const std::set<std::string> ethnic{"WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND",
                                     "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"};
  const std::set<std::string> upn{"UN1", "UN2", "UN3", "UN4", "UN5"};
  const std::set<std::string> rne{"S", "L", "P", "T", "B", "U"};
  const std::set<std::string> ls{"C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3"};
  const std::set<std::string> cin{"N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"};
  // PLACE in 2025/26 and later (lac2025_26 rule 146): no H5, P2 or Z1; K3 and Z11-Z14 instead.
  const std::set<std::string> place{"A3", "A4", "A5", "A6", "K1", "K2",  "K3",  "P1",  "P3", "R1",
                                    "R2", "R3", "R5", "S1", "T0", "T1",  "T2",  "T3",  "T4", "U1",
                                    "U2", "U3", "U4", "U5", "U6", "Z11", "Z12", "Z13", "Z14"};
  const std::set<std::string> provider{"", "PR0", "PR1", "PR2", "PR3", "PR4", "PR5"};
  const std::set<std::string> rec{"",    "X1",  "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46",
                                  "E47", "E48", "E5",  "E6",  "E7", "E8", "E9",  "E14", "E15", "E16", "E17"};
  const std::set<std::string> reason{"",      "CARPL", "CLOSE", "ALLEG", "STAND",  "APPRR", "CREQB",
                                     "CREQO", "CHILD", "LAREQ", "PLACE", "CUSTOD", "OTHER"};
  const std::set<std::string> source{"1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E",
                                     "3F", "4",  "5A", "5B", "5C", "5D", "6",  "7",  "8",  "9",  "10"};
  const std::set<std::string> need{"N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"};
  const std::set<std::string> closure{"", "RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8", "RC9"};
  const std::set<std::string> abuse{"", "NEG", "PHY", "SAB", "EMO", "MUL"};
  const std::set<std::string> types{
      "CINreferralDate",  "CINclosureDate", "AssessmentActualStartDate", "AssessmentAuthorisationDate",
      "CINPlanStartDate", "CINPlanEndDate", "S47ActualStartDate",        "CPPstartDate",
      "CPPendDate",       "CPPreviewDate"};
  const std::set<std::string> yes_no{"true", "false"};
  const std::set<std::string> sex{"M", "F", "U"};  // every year here is 2024/25 or later
  const std::set<std::string> gender{"a) Male", "b) Female", "c) Not stated/recorded", "d) Neither"};
  const std::set<std::string> yes_no_label{"", "a) Yes", "b) No"};
  auto check = [](const Table& t, const std::string& name, const std::set<std::string>& allowed,
                  const std::string& path) {
    const std::size_t c = column(t, name);
    int rows = 0;
    for (std::size_t i = 1; i < t.size(); ++i, ++rows)
      EXPECT_TRUE(allowed.count(t[i][c])) << path << " " << name << "=" << t[i][c];
    return rows;
  };
  auto dates = [](const Table& t, const std::string& name, const std::regex& format, const std::string& path) {
    const std::size_t c = column(t, name);
    for (std::size_t i = 1; i < t.size(); ++i) {
      if (!t[i][c].empty()) {
        EXPECT_TRUE(std::regex_match(t[i][c], format)) << path << " " << name << "=" << t[i][c];
      }
    }
  };
  int episodes = 0, events = 0;
  for (const auto& [path, text] : files) {
    const Table t = parse_csv(text);
    const std::string kind = kind_of(path);
    if (kind == "ssda903/header.csv") {
      check(t, "SEX", sex, path);
      check(t, "ETHNIC", ethnic, path);
      check(t, "UPN", upn, path);
      dates(t, "DOB", dmy_date, path);
    } else if (kind == "ssda903/episodes.csv") {
      episodes += check(t, "RNE", rne, path);
      check(t, "LS", ls, path);
      check(t, "CIN", cin, path);
      check(t, "PLACE", place, path);
      check(t, "PLACE_PROVIDER", provider, path);
      check(t, "REC", rec, path);
      check(t, "REASON_PLACE_CHANGE", reason, path);
      check(t, "URN", {"", "XXXXXXX"}, path);
      for (const char* d : {"DECOM", "DEC"}) dates(t, d, dmy_date, path);
    } else if (kind == "cin_census/cin_census.csv") {
      events += check(t, "Type", types, path);
      check(t, "ReferralSource", source, path);
      check(t, "PrimaryNeedCode", need, path);
      check(t, "ReasonForClosure", closure, path);
      check(t, "InitialCategoryOfAbuse", abuse, path);
      check(t, "LatestCategoryOfAbuse", abuse, path);
      check(t, "ReferralNFA", yes_no, path);
      check(t, "GenderCurrent", sex, path);
      check(t, "Ethnicity", ethnic, path);
      check(t, "UPNunknown", upn, path);
      for (const char* d : {"Date", "CINreferralDate", "CINclosureDate", "DateOfInitialCPC", "CINPlanStartDate",
                            "CINPlanEndDate", "S47ActualStartDate", "AssessmentActualStartDate",
                            "AssessmentAuthorisationDate", "CPPstartDate", "CPPendDate", "PersonBirthDate"})
        dates(t, d, iso_date, path);
    } else if (kind.rfind("annex_a/", 0) == 0 && kind.find("list_11") == std::string::npos) {
      check(t, "Gender", gender, path);
      dates(t, "Date of Birth", dmy_date, path);
      if (kind.find("list_03") != std::string::npos) check(t, "Referral NFA?", yes_no_label, path);
      if (kind.find("list_08") != std::string::npos) {
        check(t, "Placement Type", place, path);
        dates(t, "Date Started to be Looked After", dmy_date, path);
        dates(t, "Date Ceased to be Looked After", dmy_date, path);
      }
    }
  }
  EXPECT_GT(episodes, 100);  // the lists were checked on real rows
  EXPECT_GT(events, 1000);
}

TEST(Returns, CodesFollowTheCollectionYear) {
  EXPECT_EQ(sex_code('F', 2024), "2");  // 2023/24: 1/2
  EXPECT_EQ(sex_code('M', 2024), "1");
  EXPECT_EQ(sex_code('F', 2025), "F");  // 2024/25 on: M/F/U
  EXPECT_EQ(place_code("supported_accommodation", 2025), "H5");
  EXPECT_EQ(place_code("supported_accommodation", 2026), "K3");
  EXPECT_EQ(place_code("something_new", 2025), "Z1");
  EXPECT_EQ(place_code("something_new", 2026), "Z14");
  EXPECT_EQ(place_code("", 2026), "Z14");
  EXPECT_EQ(place_code("foster_care", 2026), "U6");
  EXPECT_EQ(place_code("residential", 2026), "K2");
  EXPECT_EQ(place_code("kinship_and_other", 2026), "U3");
  EXPECT_EQ(place_provider("Z14", 1), "");
  EXPECT_EQ(place_urn("P1"), "");
  EXPECT_EQ(ceasing_code("special_guardianship", "U3"), "E45");
  EXPECT_EQ(ceasing_code("special_guardianship", "U6"), "E46");
  EXPECT_EQ(ceasing_code("no_such_decision", "U6"), "E8");
  EXPECT_EQ(date_of_day(std::chrono::year{2024} / std::chrono::April / 1, -1.5),
            std::chrono::year{2024} / std::chrono::March / 30);  // before the run: floored
  EXPECT_EQ(age_on(std::chrono::year{2010} / std::chrono::April / 2, std::chrono::year{2028} / std::chrono::April / 1),
            17);
  EXPECT_EQ(age_on(std::chrono::year{2010} / std::chrono::April / 1, std::chrono::year{2028} / std::chrono::April / 1),
            18);
}

TEST(Returns, ACareCareerGivesItsEpisodes) {
  const auto files = files_of(care_career());
  const std::string provider = place_provider("U6", 7);
  const std::string head =
      "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n";
  // 2025/26: in care from 2 March 2026 (day 700), placed in foster care on 4 March; open at 31 March.
  EXPECT_EQ(files.at("ssda903/2026/episodes.csv"), head + "7,02/03/2026,S,C2,N1,U6," + provider + ",,,,,,XXXXXXX\n");
  // 2026/27: the move to a children's home on 18 September 2026 ends the first episode (X1) and begins one (P).
  EXPECT_EQ(files.at("ssda903/2027/episodes.csv"), head + "7,02/03/2026,S,C2,N1,U6," + provider +
                                                       ",18/09/2026,X1,OTHER,,,XXXXXXX\n"
                                                       "7,18/09/2026,P,C2,N1,K2,PR4,,,,,,XXXXXXX\n");
  // 2027/28: adopted on 15 July 2027 (E11).
  EXPECT_EQ(files.at("ssda903/2028/episodes.csv"), head + "7,18/09/2026,P,C2,N1,K2,PR4,15/07/2027,E11,,,,XXXXXXX\n");
  EXPECT_EQ(files.at("ssda903/2028/header.csv"), "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n7,F,14/01/2016,NOBT,UN5,,\n");
  // The adoption in Annex A list 10 (the twelve months to 31 March 2028) and the child in care in list 8.
  const Table adoption = parse_csv(files.at("annex_a/2028/list_10_adoption.csv"));
  ASSERT_EQ(adoption.size(), 2u);
  EXPECT_EQ(adoption[1][column(adoption, "Date of Adoption Order")], "15/07/2027");
  EXPECT_EQ(adoption[1][column(adoption, "Date the Child Entered Care")], "02/03/2026");
  EXPECT_EQ(adoption[1][column(adoption, "Family identifier")], "70");
  const Table in_care = parse_csv(files.at("annex_a/2027/list_08_children_in_care.csv"));
  ASSERT_EQ(in_care.size(), 2u);
  EXPECT_EQ(in_care[1][column(in_care, "Placement Type")], "K2");
  EXPECT_EQ(in_care[1][column(in_care, "Number of Placements in the Last 12 months")], "2");
  EXPECT_EQ(in_care[1][column(in_care, "Child's Legal Status")], "C2: FCO");
  // The CIN census of 2025/26: one episode from the referral, with its conference and plan.
  const Table census = parse_csv(files.at("cin_census/2026/cin_census.csv"));
  std::vector<std::string> types;
  for (std::size_t i = 1; i < census.size(); ++i) types.push_back(census[i][column(census, "Type")]);
  EXPECT_EQ(types, (Strings{"CINreferralDate", "AssessmentActualStartDate", "AssessmentAuthorisationDate",
                            "S47ActualStartDate", "CPPstartDate", "CPPendDate"}));
  EXPECT_EQ(census[4][column(census, "DateOfInitialCPC")], "2025-06-30");
  EXPECT_EQ(census[4][column(census, "ICPCnotRequired")], "false");
  EXPECT_EQ(census[1][column(census, "ReferralSource")], "6");
  EXPECT_EQ(census[5][column(census, "NumberOfPreviousCPP")], "0");
}

TEST(Returns, AnUnaccompaniedChildIsInTheUascTableAndAccommodatedForAbsentParenting) {
  // Arrived on day 400 (6 May 2025) aged 16.5, in foster care until 18.
  ChildRecords r;
  r.children.push_back({9, 'M', 400.0 - 16.5 * 365.25, 9, 0, 0, true});
  r.spells.push_back(spell(9, "looked_after", 400.0, 400.0 + 1.5 * 365.25, "turned_18"));
  r.placements.push_back({9, 400.0, "foster_care", false});
  const auto files = files_of(r);
  const Table episodes = parse_csv(files.at("ssda903/2026/episodes.csv"));
  ASSERT_EQ(episodes.size(), 2u);
  EXPECT_EQ(episodes[1][column(episodes, "LS")], "V2");
  EXPECT_EQ(episodes[1][column(episodes, "CIN")], "N8");
  // In the UASC table of each year it is in care; DUC (the day before its 18th birthday) once that day has come.
  const Table before = parse_csv(files.at("ssda903/2026/uasc.csv"));
  ASSERT_EQ(before.size(), 2u);
  EXPECT_EQ(before[0], (Strings{"CHILD", "SEX", "DOB", "DUC"}));
  EXPECT_EQ(before[1][column(before, "CHILD")], "9");
  EXPECT_EQ(before[1][column(before, "DUC")], "");
  const Table header = parse_csv(files.at("ssda903/2026/header.csv"));
  EXPECT_EQ(before[1][column(before, "DOB")], header[1][column(header, "DOB")]);
  const Table after = parse_csv(files.at("ssda903/2027/uasc.csv"));
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[1][column(after, "DUC")], "03/11/2026");
  const Table in_care = parse_csv(files.at("annex_a/2026/list_08_children_in_care.csv"));
  ASSERT_EQ(in_care.size(), 2u);
  EXPECT_EQ(in_care[1][column(in_care, "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)")],
            "a) Yes");
  // A child who came through the front door is in no UASC table.
  EXPECT_EQ(files_of(care_career()).at("ssda903/2026/uasc.csv"), "CHILD,SEX,DOB,DUC\n");
}

TEST(Returns, AYearsCountsAreWhatTheRecordsSay) {
  const ChildRecords records = random_careers(600);
  const auto files = files_of(records);
  const Scenario& s = scenario();
  for (const auto& year : collection_years(s)) {
    const std::string y = std::to_string(year.year);
    const int first = day_of_date(s.simulation.start_date, year.first);
    const int end = day_of_date(s.simulation.start_date, year.last) + 1;
    auto in_year = [&](double day) { return !std::isnan(day) && day >= first && day < end; };
    // What the records say, straight from them.
    std::map<std::string, int> expected;
    std::set<std::int64_t> in_care_at_end;
    for (const auto& sp : records.spells) {
      if (in_year(sp.start_day)) ++expected[sp.service + " starts"];
      if (sp.service == "icpc" && in_year(sp.end_day)) ++expected["icpc held"];
      if (sp.service == "looked_after" && sp.start_day < end && (std::isnan(sp.end_day) || sp.end_day >= end))
        in_care_at_end.insert(sp.child);
    }
    // What the files say.
    const Table census = parse_csv(files.at("cin_census/" + y + "/cin_census.csv"));
    std::map<std::string, int> found;
    const std::size_t type = column(census, "Type"), date = column(census, "Date"),
                      source = column(census, "ReferralSource"), icpc = column(census, "DateOfInitialCPC");
    const std::string from = iso(year.first), to = iso(year.last);
    for (std::size_t i = 1; i < census.size(); ++i) {
      const auto& row = census[i];
      if (row[date] < from || row[date] > to) continue;
      if (row[type] == "CINreferralDate" && row[source] != "5D") ++found["referral starts"];
      if (row[type] == "AssessmentActualStartDate") ++found["assessment starts"];
      if (row[type] == "S47ActualStartDate") ++found["strategy_discussion starts"];
      if (row[type] == "CPPstartDate") ++found["cp_plan starts"];
    }
    for (std::size_t i = 1; i < census.size(); ++i) {
      const auto& row = census[i];
      if (row[type] == "S47ActualStartDate" && !row[icpc].empty() && row[icpc] >= from && row[icpc] <= to)
        ++found["icpc held"];
    }
    const Table episodes = parse_csv(files.at("ssda903/" + y + "/episodes.csv"));
    std::set<std::string> open_children;
    for (std::size_t i = 1; i < episodes.size(); ++i) {
      const auto& row = episodes[i];
      const std::string decom = row[1].substr(6, 4) + "-" + row[1].substr(3, 2) + "-" + row[1].substr(0, 2);
      if (row[2] == "S" && decom >= from) ++found["looked_after starts"];
      if (row[7].empty()) open_children.insert(row[0]);
    }
    for (const char* measure : {"referral starts", "assessment starts", "strategy_discussion starts", "icpc held",
                                "cp_plan starts", "looked_after starts"}) {
      EXPECT_EQ(found[measure], expected[measure]) << y << " " << measure;
      EXPECT_GT(expected[measure], 0) << y << " " << measure;  // the comparison is not of two zeros
    }
    EXPECT_EQ(open_children.size(), in_care_at_end.size()) << y;
    EXPECT_GT(in_care_at_end.size(), 0u);
  }
}

TEST(Returns, TheSameRecordsGiveTheSameBytesAndAnAbsentRoleGivesNoRows) {
  const ChildRecords records = random_careers(200);
  EXPECT_EQ(files_of(records), files_of(records));
  ReturnRoles no_care;
  no_care.looked_after = "no_such_service";
  for (const auto& f : statutory_returns(records, scenario(), no_care)) {
    if (f.path.find("episodes.csv") != std::string::npos || f.path.find("list_08") != std::string::npos) {
      EXPECT_EQ(std::count(f.content.begin(), f.content.end(), '\n'), 1) << f.path;
    }
  }
  const ReturnRoles kept = roles_in(scenario(), ReturnRoles{});
  EXPECT_EQ(kept.looked_after, "looked_after");
  EXPECT_EQ(roles_in(scenario(), no_care).looked_after, "");
}

}  // namespace
}  // namespace frontdoor
