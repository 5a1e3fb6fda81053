#include "models/reporting.hpp"

#include <iterator>
#include <sstream>

namespace frontdoor {

namespace {
// "text" in quotes. (Built by append: GCC 12 warns wrongly about "\"" + std::string temporaries.)
std::string quoted(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.append(1, '"').append(text).append(1, '"');
  return out;
}

// "service.member" (targets, split at `dot`): finds the service, then the member among the names `names_of`
// lists for it (its decisions, its placements); an empty string, or what is wrong.
template <typename Names>
std::string member_of_service(const std::string& targets, std::size_t dot, const Pathway& pathway, int& service,
                              int& index, const char* what, Names names_of) {
  service = pathway.find(targets.substr(0, dot));
  if (service < 0) return "unknown service " + quoted(targets.substr(0, dot));
  const std::vector<std::string> names = names_of(pathway.services()[service]);
  for (int i = 0; i < static_cast<int>(names.size()); ++i) {
    if (names[i] == targets.substr(dot + 1)) index = i;
  }
  if (index < 0) return quoted(targets.substr(dot + 1)) + " is not a " + what + " of " + targets.substr(0, dot);
  return "";
}

std::vector<std::string> split(const std::string& text, char by) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, by);) parts.push_back(part);
  return parts;
}
}  // namespace

const char* total_unit_text(Selector::Kind kind) {
  switch (kind) {
    case Selector::Kind::cost:
      return "gbp";
    case Selector::Kind::wait:
      return "days";
    case Selector::Kind::turnover:
      return "share_of_fte_per_year";
    case Selector::Kind::vacancy:
      return "share_of_establishment";
    case Selector::Kind::agency:
      return "share_of_fte";
    case Selector::Kind::caseload:
      return "cases_per_case_holding_fte";
    default:
      return "";
  }
}

std::string parse_selector(const std::string& text, const Pathway& pathway, Selector& out) {
  out = Selector{};
  out.text = text;
  std::string body = text;
  const auto at = body.find('@');
  if (at != std::string::npos) {
    SourceKind source;
    if (!source_from_name(body.substr(at + 1), source))
      return quoted(body.substr(at + 1)) + " is not a referral source";
    out.source = source;
    body = body.substr(0, at);
  }
  const auto colon = body.find(':');
  std::string kind = body.substr(0, colon);
  const std::string targets = colon == std::string::npos ? "" : body.substr(colon + 1);
  if (kind == "contacts") {
    if (!targets.empty()) return kind + " takes no targets";
    return "";
  }
  if (kind.rfind("cost.", 0) == 0) {  // one part of the cost
    const std::string part = kind.substr(5);
    std::string names;
    for (int i = 0; i < static_cast<int>(std::size(cost_part_names)); ++i) {
      if (part == cost_part_names[i]) out.cost_part = static_cast<Selector::CostPart>(i + 1);
      names += (i == 0 ? "" : ", ") + std::string(cost_part_names[i]);
    }
    if (out.cost_part == Selector::CostPart::all)
      return quoted(part) + " is not a part of the cost: use one of " + names;
    kind = "cost";
  }
  if (kind == "cost" && out.source) return "cost has no source";
  if (kind == "cost" && targets.empty()) {
    out.kind = Selector::Kind::cost;  // every service
    return "";
  }
  if (kind == "cost" && targets.find('.') != std::string::npos) {  // one placement type's cost
    out.kind = Selector::Kind::cost;
    if (out.cost_part != Selector::CostPart::all && out.cost_part != Selector::CostPart::placements)
      return "only the placements part of the cost has placement types";
    out.cost_part = Selector::CostPart::placements;
    const auto dot = targets.rfind('.');
    const std::string error =
        member_of_service(targets, dot, pathway, out.service, out.placement, "placement", [](const ServiceSpec& s) {
          std::vector<std::string> names;
          for (const auto& p : s.placements) names.push_back(p.name);
          return names;
        });
    if (error.empty()) out.services = {out.service};
    return error;
  }
  if (targets.empty()) return "expected kind:targets, for example entries:assessment";
  if (kind == "children") {
    out.kind = Selector::Kind::children;
    if (out.source) return "children selectors take no @source";
    std::string names;
    for (int i = 0; i < child_count_kinds; ++i) {
      if (targets == child_count_names[i]) out.child_count = i;
      names += (i == 0 ? "" : ", ") + std::string(child_count_names[i]);
    }
    if (out.child_count < 0) return quoted(targets) + " is not a children count: use one of " + names;
    return "";
  }
  if (out.source && kind != "decision") return "only contacts and decision selectors take @source";
  if (kind == "decision") {
    const auto dot = targets.rfind('.');
    if (dot == std::string::npos) return "expected decision:service.decision";
    out.kind = Selector::Kind::decision;
    return member_of_service(targets, dot, pathway, out.service, out.decision, "decision", [](const ServiceSpec& s) {
      std::vector<std::string> names;
      for (const auto& d : s.decisions) names.push_back(d.name);
      return names;
    });
  }
  if (kind == "placement") {
    out.kind = Selector::Kind::placement;
    if (out.source) return "placement selectors take no @source";
    const auto dot = targets.rfind('.');
    if (dot == std::string::npos) return "expected placement:service.placement";
    return member_of_service(targets, dot, pathway, out.service, out.placement, "placement", [](const ServiceSpec& s) {
      std::vector<std::string> names;
      for (const auto& p : s.placements) names.push_back(p.name);
      return names;
    });
  }
  if (kind == "ages" || kind == "age_entries") {
    out.kind = kind == "ages" ? Selector::Kind::ages : Selector::Kind::age_entries;
    if (out.source) return kind + " selectors take no @source";
    const auto dot = targets.rfind('.');
    if (dot == std::string::npos) return "expected " + kind + ":service.band";
    return member_of_service(
        targets, dot, pathway, out.service, out.band, "DfE age band (under_1, 1_4, 5_9, 10_15 or 16_17)",
        [](const ServiceSpec&) { return std::vector<std::string>(age_band_names.begin(), age_band_names.end()); });
  }
  if (kind == "flow") {
    out.kind = Selector::Kind::flow;
    for (const auto& id : split(targets, ',')) {
      int found = -1;
      for (int r = 0; r < static_cast<int>(pathway.routes().size()); ++r) {
        if (pathway.routes()[r].id == id) found = r;
      }
      if (found < 0) return "unknown route " + quoted(id);
      out.routes.push_back(found);
    }
    return "";
  }
  const std::vector<std::pair<const char*, Selector::Kind>> kinds{{"entries", Selector::Kind::entries},
                                                                  {"finished", Selector::Kind::finished},
                                                                  {"open", Selector::Kind::open},
                                                                  {"unallocated", Selector::Kind::unallocated},
                                                                  {"fte", Selector::Kind::fte},
                                                                  {"wait", Selector::Kind::wait},
                                                                  {"cost", Selector::Kind::cost},
                                                                  {"fgc", Selector::Kind::fgc},
                                                                  {"turnover", Selector::Kind::turnover},
                                                                  {"vacancy", Selector::Kind::vacancy},
                                                                  {"agency", Selector::Kind::agency},
                                                                  {"caseload", Selector::Kind::caseload},
                                                                  {"stability", Selector::Kind::stability}};
  bool known = false;
  for (const auto& [name, k] : kinds) {
    if (kind == name) {
      out.kind = k;
      known = true;
    }
  }
  if (!known)
    return "unknown selector kind " + quoted(kind) +
           ": use contacts, entries, finished, decision, flow, open, unallocated, fte, wait, cost, children, "
           "placement, fgc, turnover, vacancy, agency, caseload, ages, age_entries or stability";
  const bool workforce = out.kind == Selector::Kind::turnover || out.kind == Selector::Kind::vacancy ||
                         out.kind == Selector::Kind::agency || out.kind == Selector::Kind::caseload;
  for (const auto& id : split(targets, ',')) {
    const int s = pathway.find(id);
    if (s < 0) return "unknown service " + quoted(id);
    const ServiceKind k = pathway.services()[s].kind;
    if (out.kind == Selector::Kind::caseload && k != ServiceKind::caseload_team)
      return quoted(id) + " is not a caseload team";
    if (workforce && k != ServiceKind::caseload_team && k != ServiceKind::screening_queue)
      return quoted(id) + " has no team";
    out.services.push_back(s);
  }
  return "";
}

}  // namespace frontdoor
