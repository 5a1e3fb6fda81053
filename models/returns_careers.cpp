#include "models/returns_careers.hpp"

#include <algorithm>
#include <cmath>

#include "models/returns_codes.hpp"

namespace frontdoor {

namespace {

using Role = ReturnRoles::Role;
using Spell = ChildRecords::Spell;

// Routes through zero-time services hand a case on at the same instant, so back to back means equal days; the
// tolerance only absorbs the rounding of times that went through the engine.
constexpr double same_time = 1e-6;

bool statutory(Role role) {
  return role == Role::referral || role == Role::assessment || role == Role::strategy_discussion ||
         role == Role::icpc || role == Role::child_in_need || role == Role::cp_plan || role == Role::looked_after;
}

bool protection(Role role) { return role == Role::strategy_discussion || role == Role::icpc || role == Role::cp_plan; }

const char* role_name(Role role) {
  switch (role) {
    case Role::referral:
      return "referral";
    case Role::assessment:
      return "assessment";
    case Role::strategy_discussion:
      return "strategy_discussion";
    case Role::icpc:
      return "icpc";
    case Role::child_in_need:
      return "child_in_need";
    case Role::cp_plan:
      return "cp_plan";
    case Role::looked_after:
      return "looked_after";
    default:
      return "";
  }
}

// A period of care cut into episodes: an S episode at its start, a P episode at each move on a later date (a
// second placement on the day of the first replaces it: an episode cannot begin and end on one day).
void add_period(ChildCareers& careers, const Spell& spell,
                const std::vector<const ChildRecords::Placement*>& placements, bool through_protection) {
  const double end = std::isnan(spell.end_day) ? INFINITY : spell.end_day;
  std::vector<CareEpisode> episodes(1);
  episodes.front().child = spell.child;
  episodes.front().decom = spell.start_day;
  episodes.front().ls = legal_status(through_protection);
  episodes.front().cin = need_code(spell.child, through_protection);
  // An unaccompanied child is accommodated (section 20) for absent parenting (DfE: N8 for most of them).
  if (careers.row(spell.child).unaccompanied) {
    episodes.front().ls = legal_status(false);
    episodes.front().cin = "N8";
  }
  for (const auto* p : placements) {
    if (p->start_day < spell.start_day - same_time || p->start_day >= end) continue;
    CareEpisode& current = episodes.back();
    const bool same_day = date_of_day(careers.start, p->start_day) == date_of_day(careers.start, current.decom);
    if (!p->move || same_day || current.placement.empty()) {
      current.placement = p->type;
      continue;
    }
    current.dec = p->start_day;
    current.rec = "X1";
    current.reason_place_change = "OTHER";
    CareEpisode next = current;
    next.decom = p->start_day;
    next.rne = 'P';
    next.placement = p->type;
    next.dec = open_end;
    next.rec.clear();
    next.reason_place_change.clear();
    episodes.push_back(next);
  }
  if (!std::isnan(spell.end_day)) {
    CareEpisode& last = episodes.back();
    last.dec = spell.end_day;
    last.decision = spell.decision;
    last.rec = ceasing_code(spell.decision, place_code(last.placement, 2000));
  }
  careers.episodes.insert(careers.episodes.end(), episodes.begin(), episodes.end());
}

}  // namespace

ReturnRoles::Role ReturnRoles::role_of(const std::string& id) const {
  if (id.empty()) return Role::none;
  if (id == looked_after) return Role::looked_after;
  if (id == cp_plan) return Role::cp_plan;
  if (id == child_in_need) return Role::child_in_need;
  if (id == icpc) return Role::icpc;
  if (id == strategy_discussion) return Role::strategy_discussion;
  if (id == assessment) return Role::assessment;
  if (id == referral) return Role::referral;
  if (id == early_help) return Role::early_help;
  if (id == front_door) return Role::front_door;
  return Role::none;
}

ChildCareers build_careers(const ChildRecords& records, std::chrono::year_month_day start, const ReturnRoles& roles) {
  ChildCareers careers;
  careers.start = start;
  careers.roles = roles;
  for (const auto& child : records.children) careers.children[child.id] = child;
  for (const auto& spell : records.spells) careers.spells[spell.child].push_back(&spell);
  for (auto& [child, spells] : careers.spells) {
    std::stable_sort(spells.begin(), spells.end(),
                     [](const Spell* a, const Spell* b) { return a->start_day < b->start_day; });
  }
  for (const auto& contact : records.contacts) careers.contacts.push_back(&contact);
  std::stable_sort(careers.contacts.begin(), careers.contacts.end(), [](const auto* a, const auto* b) {
    return a->day != b->day ? a->day < b->day : a->child < b->child;
  });
  std::map<std::int64_t, std::vector<const ChildRecords::Placement*>> placements;
  for (const auto& p : records.placements) placements[p.child].push_back(&p);
  for (auto& [child, list] : placements) {
    std::stable_sort(list.begin(), list.end(),
                     [](const auto* a, const auto* b) { return a->start_day < b->start_day; });
  }

  for (const auto& [child, spells] : careers.spells) {
    const int prior_plans = careers.row(child).prior_plans;
    CinEpisode* current = nullptr;  // the child's latest episode, re-pointed at the back after every push_back
    double current_end = 0.0;
    for (const Spell* spell : spells) {
      const Role role = roles.role_of(spell->service);
      if (!statutory(role)) continue;
      const bool continues = current != nullptr && role != Role::referral &&
                             (std::isnan(current_end) || std::abs(spell->start_day - current_end) < same_time);
      if (!continues) {
        CinEpisode episode;
        episode.child = child;
        episode.referral_day = spell->start_day;
        episode.referral = role == Role::referral;
        // A case at a statutory service that did not come through the referral service stepped up from early
        // help (or was open on the first day: then its own source stands).
        episode.source = episode.referral || spell->initial ? referral_source_code(spell->source) : step_up_source_code;
        episode.through_protection = spell->initial && prior_plans > 0;
        careers.cin.push_back(episode);
        current = &careers.cin.back();
      }
      if (role == Role::looked_after) {
        add_period(careers, *spell, placements[child], current->through_protection);
      }
      current->through_protection = current->through_protection || protection(role);
      current->spells.push_back(spell);
      current_end = spell->end_day;
    }
  }
  // Closures: an episode ends with its last spell, unless that spell was still open when the run ended.
  for (auto& episode : careers.cin) {
    const Spell* last = episode.spells.back();
    episode.referral_nfa = episode.referral && episode.spells.size() == 1 && !std::isnan(last->end_day);
    if (std::isnan(last->end_day)) continue;
    episode.closure_day = last->end_day;
    bool to_early_help = false;
    for (const Spell* s : careers.spells[episode.child]) {
      if (roles.role_of(s->service) == Role::early_help && std::abs(s->start_day - last->end_day) < same_time)
        to_early_help = true;
    }
    episode.closure_reason = closure_code(role_name(roles.role_of(last->service)), last->decision, to_early_help);
  }
  std::stable_sort(careers.episodes.begin(), careers.episodes.end(), [](const CareEpisode& a, const CareEpisode& b) {
    return a.child != b.child ? a.child < b.child : a.decom < b.decom;
  });
  return careers;
}

std::vector<Plan> plans_of(const CinEpisode& episode, const ReturnRoles& roles, ReturnRoles::Role role) {
  std::vector<Plan> plans;
  for (const Spell* s : episode.spells) {
    if (roles.role_of(s->service) != role) continue;
    if (!plans.empty() && !std::isnan(plans.back().end) && std::abs(plans.back().end - s->start_day) < same_time) {
      plans.back().end = s->end_day;
      plans.back().last = s;
      continue;
    }
    plans.push_back({s->start_day, s->end_day, s});
  }
  return plans;
}

const Spell* next_in(const CinEpisode& episode, const Spell* spell) {
  for (std::size_t i = 0; i + 1 < episode.spells.size(); ++i) {
    if (episode.spells[i] == spell) return episode.spells[i + 1];
  }
  return nullptr;
}

const ChildRecords::ChildRow& ChildCareers::row(std::int64_t child) const {
  static const ChildRecords::ChildRow none{};
  const auto found = children.find(child);
  return found == children.end() ? none : found->second;
}

int previous_plans(const ChildCareers& careers, std::int64_t child, double day) {
  int count = careers.row(child).prior_plans;
  // careers.cin is in order of child: only this child's episodes are read.
  auto it = std::lower_bound(careers.cin.begin(), careers.cin.end(), child,
                             [](const CinEpisode& e, std::int64_t c) { return e.child < c; });
  for (; it != careers.cin.end() && it->child == child; ++it) {
    for (const Plan& p : plans_of(*it, careers.roles, ReturnRoles::Role::cp_plan)) count += p.start < day - same_time;
  }
  return count;
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      line += f;
      continue;
    }
    line += '"';
    for (const char c : f) {
      if (c == '"') line += '"';
      line += c;
    }
    line += '"';
  }
  return line + "\n";
}

}  // namespace frontdoor
