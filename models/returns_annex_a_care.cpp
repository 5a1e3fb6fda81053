// Annex A lists 8-11: children in care (from the SSDA903 episodes), adoptions, and the two lists the model cannot
// fill, care leavers and adopters, written with their headers only (README.md says why).
#include <cmath>

#include "models/returns.hpp"
#include "models/returns_codes.hpp"

namespace frontdoor {

namespace {

using namespace std::chrono;
using Fields = std::vector<std::string>;

// A period of care: its episodes, the first one an S.
struct Period {
  std::vector<const CareEpisode*> episodes;
  double start() const { return episodes.front()->decom; }
  double end() const { return episodes.back()->dec; }
};

std::vector<Period> periods_of(const ChildCareers& careers) {
  std::vector<Period> periods;
  for (const auto& e : careers.episodes) {
    if (e.rne == 'S' || periods.empty() || periods.back().episodes.back()->child != e.child) periods.emplace_back();
    periods.back().episodes.push_back(&e);
  }
  return periods;
}

std::string csv_of(const Fields& header, const std::vector<Fields>& body) {
  std::string csv = csv_line(header);
  for (const auto& r : body) csv += csv_line(r);
  return csv;
}

}  // namespace

std::vector<ReturnFile> annex_a_care_lists(const ChildCareers& careers, const CollectionYear& year) {
  const auto date = [&](double day) { return date_of_day(careers.start, day); };
  const auto by = [&](double day) { return !std::isnan(day) && date(day) <= year.last; };
  const auto text = [&](double day) { return by(day) ? dmy(date(day)) : std::string(); };
  const year_month_day six_months_before{year.last.year() - years{1}, October, day{1}};
  const auto child_fields = [&](std::int64_t id, bool family) {
    const ChildRecords::ChildRow& child = careers.row(id);
    const auto born = date(child.birth_day);
    Fields f{std::to_string(id)};
    if (family) f.push_back(std::to_string(child.family));
    for (std::string v : {std::string(gender_label(child.sex)), std::string("t) ") + ethnicity_placeholder, dmy(born),
                          std::to_string(age_on(born, year.last))})
      f.push_back(v);
    return f;
  };
  const std::vector<Period> periods = periods_of(careers);
  std::vector<Fields> in_care, adopted;
  for (std::size_t i = 0; i < periods.size(); ++i) {
    const Period& p = periods[i];
    const CareEpisode& first = *p.episodes.front();
    if (date(p.start()) > year.last) continue;
    const bool ended = by(p.end());
    const std::int64_t child = first.child;
    // A second period within twelve months: the child's previous period ended in the year before this began.
    const bool again = i > 0 && periods[i - 1].episodes.front()->child == child && !std::isnan(periods[i - 1].end()) &&
                       periods[i - 1].end() > p.start() - 365.0;
    const CareEpisode* latest = p.episodes.front();
    int placements_12m = 0;
    for (const CareEpisode* e : p.episodes) {
      if (date(e->decom) > year.last) break;
      latest = e;
      if (!by(e->dec) || date(e->dec) >= year.first) ++placements_12m;
    }
    if (!ended || date(p.end()) >= six_months_before) {
      const std::string place = place_code(latest->placement, year.year);
      const std::string provider = place_provider(place, child);
      Fields row = child_fields(child, false);
      for (std::string v : {std::string(careers.row(child).unaccompanied ? "a) Yes" : "b) No"),
                            std::string(),
                            dmy(date(p.start())),
                            need_label(first.cin),
                            std::string(yes_no_label(again)),
                            dmy(date(p.start())),
                            std::string(legal_status_label(first.ls)),
                            std::string(),
                            std::string(),
                            std::string(),
                            std::string(),
                            std::string(),
                            std::string(),
                            std::to_string(placements_12m),
                            text(p.end()),
                            ended ? ceasing_label(p.episodes.back()->rec) : std::string(),
                            dmy(date(latest->decom)),
                            place,
                            provider_label(provider),
                            std::string(),
                            place_urn(place),
                            std::string(),
                            std::string(),
                            std::string(),
                            std::string(),
                            std::string(),
                            std::string(),
                            careers.roles.looked_after,
                            std::string()})
        row.push_back(v);
      in_care.push_back(row);
    }
    if (ended && p.episodes.back()->decision == "adoption" && date(p.end()) >= year.first) {
      Fields row = child_fields(child, true);
      for (std::string v : {std::string(), dmy(date(p.start())), std::string(), std::string(), std::string(),
                            std::string(), dmy(date(p.end())), std::string(), std::string(), std::string()})
        row.push_back(v);
      adopted.push_back(row);
    }
  }
  const Fields common{"Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"};
  const auto with = [](Fields head, const Fields& rest) {
    head.insert(head.end(), rest.begin(), rest.end());
    return head;
  };
  const std::string dir = "annex_a/" + std::to_string(year.year) + "/";
  std::vector<ReturnFile> files;
  files.push_back(
      {dir + "list_08_children_in_care.csv",
       csv_of(with(common,
                   {"Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
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
                    "Allocated Worker"}),
              in_care)});
  // Care leavers: the model follows children only until they leave care (at 18, they leave its population).
  files.push_back({dir + "list_09_leaving_care_services.csv",
                   csv_of(with(common, {"Does the Child have a Disability", "Allocated Team", "Allocated Worker",
                                        "Eligibility Category", "LA in Touch", "Type of Accommodation",
                                        "Suitability of Accommodation", "Activity Status"}),
                          {})});
  files.push_back(
      {dir + "list_10_adoption.csv",
       csv_of(Fields{"Child Unique ID", "Family identifier", "Gender", "Ethnicity", "Date of Birth",
                     "Age of Child (Years)", "Does the Child have a Disability", "Date the Child Entered Care",
                     "Date of Decision that Child Should be Placed for Adoption", "Date of Placement Order",
                     "Date of Matching Child and Prospective Adopters", "Date Placed for Adoption",
                     "Date of Adoption Order", "Date of Decision that Child Should No Longer be Placed for Adoption",
                     "Reason Why Child No Longer Placed for Adoption",
                     "Date the child was placed for fostering in FFA or concurrent planning placement"},
              adopted)});
  // Adopters: the model has none.
  files.push_back(
      {dir + "list_11_adopters.csv",
       csv_of(Fields{"Individual adopter identifier", "Family identifier", "Gender", "Ethnicity", "Disability",
                     "Is the (prospective) adopter fostering for adoption?", "Date enquiry received",
                     "Date Stage 1 started", "Date Stage 1 ended", "Date Stage 2 started", "Date Stage 2 ended",
                     "Date application submitted", "Date application approved", "Date adopter matched with child(ren)",
                     "Date child/children placed with adopter(s)", "No. of children placed", "Date of Adoption Order",
                     "Date of leaving adoption process", "Reason for leaving adoption process"},
              {})});
  return files;
}

}  // namespace frontdoor
