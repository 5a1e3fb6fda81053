// Ofsted's Annex A lists 1-11 for an inspection on the 1 April after a collection year, columns as liia-tools'
// annex-a-merge.yml gives them. The model fills what it knows (dates, sources, decisions, plans, placements);
// columns about visits, reviews, disability and workers are left blank.
#include <cmath>
#include <map>

#include "models/returns.hpp"
#include "models/returns_codes.hpp"

namespace frontdoor {

namespace {

using namespace std::chrono;
using Role = ReturnRoles::Role;
using Spell = ChildRecords::Spell;
using Fields = std::vector<std::string>;

const Fields common_columns{"Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"};

Fields with_common(const Fields& rest) {
  Fields all = common_columns;
  all.insert(all.end(), rest.begin(), rest.end());
  return all;
}

struct Window {
  const ChildCareers& careers;
  year_month_day from;        ///< first day the list covers
  year_month_day last;        ///< the day before the inspection (31 March)
  year_month_day year_first;  ///< twelve months before the inspection
  year_month_day date(double day) const { return date_of_day(careers.start, day); }
  bool by_end(double day) const { return !std::isnan(day) && date(day) <= last; }
  /// dd/mm/yyyy of a day on or before the inspection, else blank.
  std::string text(double day) const { return by_end(day) ? dmy(date(day)) : std::string(); }
  /// Under way at some time in the window: began by its end, not ended before its start.
  bool overlaps(double begin, double end) const { return date(begin) <= last && (!by_end(end) || date(end) >= from); }
  bool within(double day, year_month_day first) const { return date(day) >= first && date(day) <= last; }
  /// Days in the twelve months up to `day`: (day - 365, day].
  static bool in_12_months_before(double event, double day) { return event <= day && event > day - 365.0; }
  Fields child_fields(std::int64_t id) const {
    const ChildRecords::ChildRow& child = careers.row(id);
    const auto born = date(child.birth_day);
    return {std::to_string(id), gender_label(child.sex), std::string("t) ") + ethnicity_placeholder, dmy(born),
            std::to_string(age_on(born, last))};
  }
};

std::string rows(const Fields& header, const std::vector<Fields>& body) {
  std::string csv = csv_line(header);
  for (const auto& r : body) csv += csv_line(r);
  return csv;
}

Fields operator+(Fields a, const Fields& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The team a case was allocated to by the inspection (its service's id), else blank.
std::string team(const Window& w, const Spell* s) {
  return !std::isnan(s->allocated_day) && w.date(s->allocated_day) <= w.last ? s->service : "";
}

const char* case_status(const Window& w, const ReturnRoles& roles, const CinEpisode& episode) {
  for (const Spell* s : episode.spells) {
    if (w.date(s->start_day) > w.last || w.by_end(s->end_day)) continue;
    switch (roles.role_of(s->service)) {
      case Role::looked_after:
        return "a) Looked after child";
      case Role::cp_plan:
        return "b) Child Protection plan";
      case Role::child_in_need:
        return "c) Child in need plan";
      default:
        return "d) Open assessment";
    }
  }
  return "e) Closed episode";
}

}  // namespace

std::vector<ReturnFile> annex_a_lists(const ChildCareers& careers, const CollectionYear& year) {
  const year_month_day six_months_before = year_month_day{year.last.year() - years{1}, October, day{1}};
  const Window w{careers, six_months_before, year.last, year.first};
  const ReturnRoles& roles = careers.roles;
  const std::string dir = "annex_a/" + std::to_string(year.year) + "/";
  std::vector<ReturnFile> files;

  std::vector<Fields> contacts;
  if (!roles.front_door.empty()) {
    for (const auto* c : careers.contacts) {
      if (!w.within(c->day, w.from)) continue;
      contacts.push_back(w.child_fields(c->child) +
                         Fields{dmy(w.date(c->day)), referral_source_label(referral_source_code(c->source))});
    }
  }
  files.push_back({dir + "list_01_contacts.csv", rows(with_common({"Date of Contact", "Contact Source"}), contacts)});

  std::vector<Fields> early_help;
  for (const auto& [child, spells] : careers.spells) {
    for (const Spell* s : spells) {
      if (roles.role_of(s->service) != Role::early_help || !w.overlaps(s->start_day, s->end_day)) continue;
      early_help.push_back(w.child_fields(child) +
                           Fields{dmy(w.date(s->start_day)), w.text(s->end_day), "Local authority early help"});
    }
  }
  files.push_back(
      {dir + "list_02_early_help_assessments.csv",
       rows(with_common({"Assessment start date", "Assessment completion date", "Organisation completing assessment"}),
            early_help)});

  std::vector<Fields> referrals, assessments, section47, cin, cp;
  std::map<std::int64_t, std::vector<double>> referral_days, s47_days, icpc_days;
  for (const auto& episode : careers.cin) {
    referral_days[episode.child].push_back(episode.referral_day);
    for (const Spell* s : episode.spells) {
      if (roles.role_of(s->service) == Role::strategy_discussion) s47_days[s->child].push_back(s->start_day);
      if (roles.role_of(s->service) == Role::icpc && !std::isnan(s->end_day)) icpc_days[s->child].push_back(s->end_day);
    }
  }
  const auto count_before = [](const std::vector<double>& days, double day) {
    int n = 0;
    for (const double d : days) n += Window::in_12_months_before(d, day);
    return std::to_string(n);
  };
  for (const auto& episode : careers.cin) {
    const std::int64_t child = episode.child;
    if (w.within(episode.referral_day, w.from)) {
      const Spell* first = episode.spells.front();
      referrals.push_back(w.child_fields(child) +
                          Fields{dmy(w.date(episode.referral_day)), referral_source_label(episode.source),
                                 w.by_end(first->end_day) ? yes_no_label(episode.referral_nfa) : "",
                                 count_before(referral_days[child], episode.referral_day), team(w, first), ""});
    }
    for (const Spell* s : episode.spells) {
      const Role role = roles.role_of(s->service);
      const Spell* next = next_in(episode, s);
      if (role == Role::assessment && w.overlaps(s->start_day, s->end_day)) {
        const std::string support = w.by_end(s->end_day) ? yes_no_label(next != nullptr) : "";
        assessments.push_back(w.child_fields(child) +
                              Fields{"", dmy(w.date(s->start_day)), "", w.text(s->end_day), support, team(w, s), ""});
      }
      if (role == Role::strategy_discussion && w.within(s->start_day, w.from)) {
        const bool conference = next != nullptr && roles.role_of(next->service) == Role::icpc;
        const bool held = conference && w.by_end(next->end_day);
        const Spell* after = held ? next_in(episode, next) : nullptr;
        const bool plan = after != nullptr && roles.role_of(after->service) == Role::cp_plan;
        section47.push_back(w.child_fields(child) +
                            Fields{"", dmy(w.date(s->start_day)), w.by_end(s->end_day) ? yes_no_label(!conference) : "",
                                   held ? dmy(w.date(next->end_day)) : "", held ? yes_no_label(plan) : "",
                                   count_before(s47_days[child], s->start_day),
                                   count_before(icpc_days[child], s->start_day), team(w, s), ""});
      }
    }
    const bool only_a_referral = episode.referral && episode.spells.size() == 1;
    if (!only_a_referral && w.overlaps(episode.referral_day, episode.closure_day)) {
      const std::string closed = w.text(episode.closure_day);
      cin.push_back(w.child_fields(child) + Fields{"", dmy(w.date(episode.referral_day)),
                                                   need_label(need_code(child, episode.through_protection)), "", closed,
                                                   closed.empty() ? "" : closure_label(episode.closure_reason),
                                                   case_status(w, roles, episode), team(w, episode.spells.back()), ""});
    }
    for (const Plan& plan : plans_of(episode, roles, Role::cp_plan)) {
      if (!w.overlaps(plan.start, plan.end)) continue;
      const int previous = previous_plans(careers, child, plan.start);
      const std::string category = abuse_label(abuse_code(child, previous));
      cp.push_back(w.child_fields(child) + Fields{"", dmy(w.date(plan.start)), category, category, "", "", "",
                                                  w.text(plan.end), "", std::to_string(previous), team(w, plan.last),
                                                  ""});
    }
  }
  files.push_back({dir + "list_03_referrals.csv",
                   rows(with_common({"Date of referral", "Referral Source", "Referral NFA?",
                                     "Number of Referrals in Last 12 Months", "Allocated Team", "Allocated Worker"}),
                        referrals)});
  files.push_back(
      {dir + "list_04_assessments.csv",
       rows(with_common({"Does the Child have a Disability", "Continuous Assessment Start Date",
                         "Child Seen During Continuous Assessment", "Continuous Assessment Date of Authorisation",
                         "Was the child assessed as requiring LA children's social care support?", "Allocated Team",
                         "Allocated Worker"}),
            assessments)});
  files.push_back({dir + "list_05_section_47_enquiries_and_icpc.csv",
                   rows(with_common({"Does the Child have a Disability",
                                     "Strategy discussion initiating Section 47 Enquiry Start Date",
                                     "Was an Initial Child Protection Conference deemed unnecessary?",
                                     "Date of Initial Child Protection Conference",
                                     "Did the Initial Child Protection Conference Result in a Child Protection Plan",
                                     "Number of Section 47 Enquiries in the last 12 months",
                                     "Number of ICPCs in the last 12 months", "Allocated Team", "Allocated Worker"}),
                        section47)});
  files.push_back({dir + "list_06_children_in_need.csv",
                   rows(with_common({"Does the Child have a Disability", "CIN Start Date", "Primary Need Code",
                                     "Date Child Was Last Seen", "CIN Closure Date", "Reason for Closure",
                                     "Case Status", "Allocated Team", "Allocated Worker"}),
                        cin)});
  files.push_back(
      {dir + "list_07_child_protection.csv",
       rows(with_common({"Does the Child have a Disability", "Child Protection Plan Start Date",
                         "Initial Category of Abuse", "Latest Category of Abuse", "Date of the Last Statutory Visit",
                         "Was the Child Seen Alone?", "Date of latest review conference",
                         "Child Protection Plan End Date",
                         "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months "
                         "(Y/N)",
                         "Number of Previous Child Protection Plans", "Allocated Team", "Allocated Worker"}),
            cp)});
  for (auto& file : annex_a_care_lists(careers, year)) files.push_back(std::move(file));
  return files;
}

}  // namespace frontdoor
