#include "models/reporting.hpp"

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
  const std::string kind = body.substr(0, colon);
  const std::string targets = colon == std::string::npos ? "" : body.substr(colon + 1);
  if (kind == "contacts") {
    if (!targets.empty()) return kind + " takes no targets";
    return "";
  }
  if (kind == "cost" && out.source) return "cost has no source";
  if (kind == "cost" && targets.empty()) {
    out.kind = Selector::Kind::cost;  // every service
    return "";
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
  const std::vector<std::pair<const char*, Selector::Kind>> kinds{
      {"entries", Selector::Kind::entries}, {"finished", Selector::Kind::finished},
      {"open", Selector::Kind::open},       {"unallocated", Selector::Kind::unallocated},
      {"fte", Selector::Kind::fte},         {"wait", Selector::Kind::wait},
      {"cost", Selector::Kind::cost}};
  bool known = false;
  for (const auto& [name, k] : kinds) {
    if (kind == name) {
      out.kind = k;
      known = true;
    }
  }
  if (!known)
    return "unknown selector kind " + quoted(kind) +
           ": use contacts, entries, finished, decision, flow, open, unallocated, fte, wait, cost, children or "
           "placement";
  for (const auto& id : split(targets, ',')) {
    const int s = pathway.find(id);
    if (s < 0) return "unknown service " + quoted(id);
    out.services.push_back(s);
  }
  return "";
}

}  // namespace frontdoor
