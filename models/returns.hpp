#pragma once
// The statutory returns a council files, written from one replication's child-level records
// (models/child_records.hpp) for every collection year of the run after its warm-up: SSDA903's header and
// episodes, a CIN census in the flat shape of Social Finance's liia-tools, and Ofsted's Annex A lists 1 to 11.
// Columns, their order, date formats and code lists follow ../shared/formats/returns.md; the codes chosen for
// what the model does not know are in models/returns_codes.hpp and README.md ("Statutory returns"). Plain C++:
// the files come back as strings; `frontdoor run --returns` writes them (cli/run_files.cpp).
#include <chrono>
#include <string>
#include <vector>

#include "models/child_records.hpp"
#include "models/returns_careers.hpp"
#include "models/scenario.hpp"

namespace frontdoor {

/// One file of the returns: its path below the run's returns/ directory and its text.
struct ReturnFile {
  std::string path;  ///< e.g. "ssda903/2028/episodes.csv"
  std::string content;
};

/// A collection year: 1 April of `year - 1` to 31 March of `year` (the 2027/28 return has year 2028).
struct CollectionYear {
  int year = 0;
  std::chrono::year_month_day first;  ///< 1 April
  std::chrono::year_month_day last;   ///< 31 March
};

/// The collection years a scenario's run covers whole, after its warm-up: each begins on or after the day the
/// warm-up ends and ends by the run's last day. A run from 1 April has one per simulated year after the warm-up.
std::vector<CollectionYear> collection_years(const Scenario& scenario);

/// `roles` with every role whose service the scenario does not have made empty (absent: no rows).
ReturnRoles roles_in(const Scenario& scenario, ReturnRoles roles);

/// Every file of the returns for every collection year, in a fixed order; the same records give the same bytes.
std::vector<ReturnFile> statutory_returns(const ChildRecords& records, const Scenario& scenario,
                                          const ReturnRoles& roles = {});

/// SSDA903 header.csv of one year: CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB, one row per child with an episode in
/// the year's episodes.csv.
std::string ssda903_header_csv(const ChildCareers& careers, const CollectionYear& year);
/// SSDA903 episodes.csv of one year: CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,
/// HOME_POST,PL_POST,URN, every episode open at some time in the year; an episode still open on 31 March has DEC,
/// REC and REASON_PLACE_CHANGE blank. Dates dd/mm/yyyy.
std::string ssda903_episodes_csv(const ChildCareers& careers, const CollectionYear& year);
/// SSDA903 UASC table (CHILD, SEX, DOB, DUC) of the year: the unaccompanied asylum-seeking children with an episode
/// in it, DUC the day before the 18th birthday once that day is in or before the year.
std::string ssda903_uasc_csv(const ChildCareers& careers, const CollectionYear& year);
/// The CIN census of one year as one flat CSV, liia-tools' event log (one row per dated event, columns as its
/// cin_record.py exports them): every CIN episode open at some time in the year, with its events up to 31 March.
/// Dates yyyy-mm-dd.
std::string cin_census_csv(const ChildCareers& careers, const CollectionYear& year);
/// Annex A lists 1-11 for an inspection on 1 April after the year (lists cover the six months before it, list
/// 10 the twelve months), paths "annex_a/<year>/list_NN_<name>.csv". Lists 9 (care leavers) and 11 (adopters)
/// have their header only: the model does not follow children after care or adopters.
std::vector<ReturnFile> annex_a_lists(const ChildCareers& careers, const CollectionYear& year);
/// Annex A lists 8-11 (children in care, leaving care, adoption, adopters), part of annex_a_lists.
std::vector<ReturnFile> annex_a_care_lists(const ChildCareers& careers, const CollectionYear& year);

}  // namespace frontdoor
