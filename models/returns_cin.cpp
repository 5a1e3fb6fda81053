// The CIN census of a collection year, flattened as liia-tools' cin_record.py exports it: one row per dated event
// of each CIN episode open at some time in the year, the episode's and the child's fields on every row and the
// event's own module fields on its row.
#include <array>
#include <cmath>

#include "models/returns.hpp"
#include "models/returns_codes.hpp"

namespace frontdoor {

namespace {

using Role = ReturnRoles::Role;
using Spell = ChildRecords::Spell;

enum Column {
  LAchildID,
  Date,
  Type,
  CINreferralDate,
  ReferralSource,
  PrimaryNeedCode,
  CINclosureDate,
  ReasonForClosure,
  DateOfInitialCPC,
  ReferralNFA,
  CINPlanStartDate,
  CINPlanEndDate,
  S47ActualStartDate,
  InitialCPCtarget,
  ICPCnotRequired,
  AssessmentActualStartDate,
  AssessmentInternalReviewDate,
  AssessmentAuthorisationDate,
  Factors,
  CPPstartDate,
  CPPendDate,
  InitialCategoryOfAbuse,
  LatestCategoryOfAbuse,
  NumberOfPreviousCPP,
  UPN,
  FormerUPN,
  UPNunknown,
  PersonBirthDate,
  ExpectedPersonBirthDate,
  GenderCurrent,
  PersonDeathDate,
  PersonSchoolYear,
  Ethnicity,
  Disabilities,
  column_count
};
using Row = std::array<std::string, column_count>;

}  // namespace

std::string cin_census_csv(const ChildCareers& careers, const CollectionYear& year) {
  std::string csv = csv_line({"LAchildID",
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
                              "Disabilities"});
  const auto by = [&](double day) { return !std::isnan(day) && date_of_day(careers.start, day) <= year.last; };
  const auto date = [&](double day) { return by(day) ? iso(date_of_day(careers.start, day)) : std::string(); };
  const ReturnRoles& roles = careers.roles;
  for (const auto& episode : careers.cin) {
    if (date_of_day(careers.start, episode.referral_day) > year.last) continue;
    if (by(episode.closure_day) && date_of_day(careers.start, episode.closure_day) < year.first) continue;
    const ChildRecords::ChildRow& child = careers.row(episode.child);
    const auto born = date_of_day(careers.start, child.birth_day);
    // The episode's first conference: the date it was held (the conference service's decision).
    double first_icpc = open_end;
    for (const Spell* s : episode.spells) {
      if (roles.role_of(s->service) == Role::icpc && std::isnan(first_icpc)) first_icpc = s->end_day;
    }
    Row base;
    base[LAchildID] = std::to_string(episode.child);
    base[CINreferralDate] = date(episode.referral_day);
    base[ReferralSource] = episode.source;
    base[PrimaryNeedCode] = need_code(episode.child, episode.through_protection);
    base[CINclosureDate] = date(episode.closure_day);
    base[ReasonForClosure] = by(episode.closure_day) ? episode.closure_reason : "";
    base[DateOfInitialCPC] = date(first_icpc);
    base[ReferralNFA] = episode.referral_nfa && by(episode.closure_day) ? "true" : "false";
    base[UPNunknown] = upn_placeholder(age_on(born, year.last));
    base[PersonBirthDate] = iso(born);
    base[GenderCurrent] = sex_code(child.sex, year.year);
    base[Ethnicity] = ethnicity_placeholder;
    auto event = [&](double day, const char* type, const Row& fields) {
      if (!by(day)) return;
      Row row = fields;
      row[Date] = iso(date_of_day(careers.start, day));
      row[Type] = type;
      csv += csv_line(std::vector<std::string>(row.begin(), row.end()));
    };
    event(episode.referral_day, "CINreferralDate", base);
    for (const Spell* s : episode.spells) {
      const Role role = roles.role_of(s->service);
      if (role == Role::assessment) {
        // Factors are left blank: the model has need levels, not the factors an assessment records.
        Row row = base;
        row[AssessmentActualStartDate] = date(s->start_day);
        row[AssessmentAuthorisationDate] = date(s->end_day);
        event(s->start_day, "AssessmentActualStartDate", row);
        event(s->end_day, "AssessmentAuthorisationDate", row);
      } else if (role == Role::strategy_discussion) {
        const Spell* next = next_in(episode, s);
        const bool conference = next != nullptr && roles.role_of(next->service) == Role::icpc;
        Row row = base;
        row[S47ActualStartDate] = date(s->start_day);
        row[DateOfInitialCPC] = conference ? date(next->end_day) : "";
        row[ICPCnotRequired] = by(s->end_day) && !conference ? "true" : "false";
        event(s->start_day, "S47ActualStartDate", row);
      }
    }
    for (const Plan& plan : plans_of(episode, roles, Role::child_in_need)) {
      Row row = base;
      row[CINPlanStartDate] = date(plan.start);
      row[CINPlanEndDate] = date(plan.end);
      event(plan.start, "CINPlanStartDate", row);
      event(plan.end, "CINPlanEndDate", row);
    }
    for (const Plan& plan : plans_of(episode, roles, Role::cp_plan)) {
      const int previous = previous_plans(careers, episode.child, plan.start);
      Row row = base;
      row[CPPstartDate] = date(plan.start);
      row[CPPendDate] = date(plan.end);
      row[InitialCategoryOfAbuse] = abuse_code(episode.child, previous);
      row[LatestCategoryOfAbuse] = row[InitialCategoryOfAbuse];
      row[NumberOfPreviousCPP] = std::to_string(previous);
      event(plan.start, "CPPstartDate", row);
      event(plan.end, "CPPendDate", row);
    }
    event(episode.closure_day, "CINclosureDate", base);
  }
  return csv;
}

}  // namespace frontdoor
