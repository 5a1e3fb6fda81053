#include "models/returns.hpp"

#include <cmath>
#include <set>

#include "models/ages.hpp"
#include "models/returns_codes.hpp"

namespace frontdoor {

namespace {

using namespace std::chrono;

// Open at some time in the year: began by its 31 March and had not ended before its 1 April.
bool in_year(const ChildCareers& careers, double begin, double end, const CollectionYear& year) {
  if (date_of_day(careers.start, begin) > year.last) return false;
  return std::isnan(end) || date_of_day(careers.start, end) >= year.first;
}

// An end after the year's 31 March had not happened when the return was made.
bool ended_by(const ChildCareers& careers, double end, const CollectionYear& year) {
  return !std::isnan(end) && date_of_day(careers.start, end) <= year.last;
}

std::vector<const CareEpisode*> episodes_of(const ChildCareers& careers, const CollectionYear& year) {
  std::vector<const CareEpisode*> episodes;
  for (const auto& e : careers.episodes) {
    if (in_year(careers, e.decom, e.dec, year)) episodes.push_back(&e);
  }
  return episodes;
}

// The children with an episode in the year, each once, in the order of their first.
std::vector<std::int64_t> children_in_care(const ChildCareers& careers, const CollectionYear& year) {
  std::vector<std::int64_t> children;
  std::set<std::int64_t> done;
  for (const CareEpisode* e : episodes_of(careers, year)) {
    if (done.insert(e->child).second) children.push_back(e->child);
  }
  return children;
}

}  // namespace

std::vector<CollectionYear> collection_years(const Scenario& scenario) {
  const year_month_day start = scenario.simulation.start_date;
  const int horizon = day_of_date(start, start + years{scenario.simulation.years});
  std::vector<CollectionYear> out;
  const int first_year = static_cast<int>(start.year());
  for (int y = first_year; y <= first_year + scenario.simulation.years + 1; ++y) {
    CollectionYear c;
    c.year = y;
    c.first = year{y - 1} / April / 1;
    c.last = year{y} / March / 31;
    const int first_day = day_of_date(start, c.first);
    const int end_day = day_of_date(start, c.last) + 1;
    if (first_day >= scenario.simulation.warmup_days && first_day >= 0 && end_day <= horizon) out.push_back(c);
  }
  return out;
}

ReturnRoles roles_in(const Scenario& scenario, ReturnRoles roles) {
  auto keep = [&](std::string& id) {
    for (const auto& s : scenario.pathway.services()) {
      if (s.id == id) return;
    }
    id.clear();
  };
  for (std::string* id :
       {&roles.front_door, &roles.early_help, &roles.referral, &roles.assessment, &roles.strategy_discussion,
        &roles.icpc, &roles.child_in_need, &roles.cp_plan, &roles.looked_after}) {
    keep(*id);
  }
  return roles;
}

std::vector<ReturnFile> statutory_returns(const ChildRecords& records, const Scenario& scenario,
                                          const ReturnRoles& roles) {
  const ChildCareers careers = build_careers(records, scenario.simulation.start_date, roles_in(scenario, roles));
  std::vector<ReturnFile> files;
  for (const auto& year : collection_years(scenario)) {
    const std::string y = std::to_string(year.year);
    files.push_back({"ssda903/" + y + "/header.csv", ssda903_header_csv(careers, year)});
    files.push_back({"ssda903/" + y + "/episodes.csv", ssda903_episodes_csv(careers, year)});
    files.push_back({"ssda903/" + y + "/uasc.csv", ssda903_uasc_csv(careers, year)});
    files.push_back({"cin_census/" + y + "/cin_census.csv", cin_census_csv(careers, year)});
    for (auto& list : annex_a_lists(careers, year)) files.push_back(std::move(list));
  }
  return files;
}

std::string ssda903_header_csv(const ChildCareers& careers, const CollectionYear& year) {
  std::string csv = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n";
  for (const std::int64_t id : children_in_care(careers, year)) {
    const ChildRecords::ChildRow& child = careers.row(id);
    const year_month_day born = date_of_day(careers.start, child.birth_day);
    // MOTHER and MC_DOB are left blank: the model has no children of children.
    csv += csv_line({std::to_string(id), sex_code(child.sex, year.year), dmy(born), ethnicity_placeholder,
                     upn_placeholder(age_on(born, year.last)), "", ""});
  }
  return csv;
}

std::string ssda903_uasc_csv(const ChildCareers& careers, const CollectionYear& year) {
  std::string csv = "CHILD,SEX,DOB,DUC\n";
  for (const std::int64_t id : children_in_care(careers, year)) {
    const ChildRecords::ChildRow& child = careers.row(id);
    if (!child.unaccompanied) continue;
    const year_month_day born = date_of_day(careers.start, child.birth_day);
    // UASC status ceases at 18 (the day before the 18th birthday): given once that day is in or before the year.
    const year_month_day adult = date_of_day(careers.start, child.birth_day + adult_age_years * days_per_year - 1.0);
    csv +=
        csv_line({std::to_string(id), sex_code(child.sex, year.year), dmy(born), adult <= year.last ? dmy(adult) : ""});
  }
  return csv;
}

std::string ssda903_episodes_csv(const ChildCareers& careers, const CollectionYear& year) {
  std::string csv = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n";
  for (const CareEpisode* e : episodes_of(careers, year)) {
    const std::string place = place_code(e->placement, year.year);
    const bool ceased = ended_by(careers, e->dec, year);
    // Postcodes are blank: simulated children have no addresses (V903 derives distances from them only when
    // given).
    csv +=
        csv_line({std::to_string(e->child), dmy(date_of_day(careers.start, e->decom)), std::string(1, e->rne), e->ls,
                  e->cin, place, place_provider(place, e->child), ceased ? dmy(date_of_day(careers.start, e->dec)) : "",
                  ceased ? e->rec : "", ceased ? e->reason_place_change : "", "", "", place_urn(place)});
  }
  return csv;
}

}  // namespace frontdoor
