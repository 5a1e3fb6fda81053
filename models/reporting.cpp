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
    if (!source_from_name(body.substr(at + 1), source)) return quoted(body.substr(at + 1)) + " is not a referral source";
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
    out.service = pathway.find(targets.substr(0, dot));
    if (out.service < 0) return "unknown service " + quoted(targets.substr(0, dot));
    const auto& decisions = pathway.services()[out.service].decisions;
    for (int d = 0; d < static_cast<int>(decisions.size()); ++d) {
      if (decisions[d].name == targets.substr(dot + 1)) out.decision = d;
    }
    if (out.decision < 0) return quoted(targets.substr(dot + 1)) + " is not a decision of " + targets.substr(0, dot);
    return "";
  }
  if (kind == "placement") {
    out.kind = Selector::Kind::placement;
    if (out.source) return "placement selectors take no @source";
    const auto dot = targets.rfind('.');
    if (dot == std::string::npos) return "expected placement:service.placement";
    out.service = pathway.find(targets.substr(0, dot));
    if (out.service < 0) return "unknown service " + quoted(targets.substr(0, dot));
    const auto& placements = pathway.services()[out.service].placements;
    for (int p = 0; p < static_cast<int>(placements.size()); ++p) {
      if (placements[p].name == targets.substr(dot + 1)) out.placement = p;
    }
    if (out.placement < 0) return quoted(targets.substr(dot + 1)) + " is not a placement of " + targets.substr(0, dot);
    return "";
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
                                                                  {"cost", Selector::Kind::cost}};
  bool known = false;
  for (const auto& [name, k] : kinds) {
    if (kind == name) {
      out.kind = k;
      known = true;
    }
  }
  if (!known) return "unknown selector kind " + quoted(kind) + ": use contacts, entries, finished, decision, flow, open, unallocated, fte, wait, cost, children or placement";
  for (const auto& id : split(targets, ',')) {
    const int s = pathway.find(id);
    if (s < 0) return "unknown service " + quoted(id);
    out.services.push_back(s);
  }
  return "";
}

}  // namespace frontdoor
