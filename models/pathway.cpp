#include "models/pathway.hpp"

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/graphviz.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

namespace frontdoor {

const char* kind_name(ServiceKind kind) {
  switch (kind) {
    case ServiceKind::screening_queue:
      return "screening_queue";
    case ServiceKind::caseload_team:
      return "caseload_team";
    case ServiceKind::decision_point:
      return "decision_point";
    case ServiceKind::exit:
      return "exit";
  }
  return "?";
}

double TeamSpec::fte_at(double day) const {
  double on_duty = fte;
  for (const auto& change : schedule) {
    if (change.from_day > day) break;
    on_duty = change.fte;
  }
  return on_duty;
}

double TeamSpec::max_fte() const {
  double most = fte;
  for (const auto& change : schedule) most = std::max(most, change.fte);
  return most;
}

namespace {
bool fixed_zero(const Distribution& d) { return d.family() == DistributionFamily::fixed && d.mean() == 0.0; }

std::string format_share(double p) {
  std::ostringstream out;
  out.precision(6);
  out << p;
  return out.str();
}
}  // namespace

double ServiceSpec::cost_per_fte_year() const {
  const double cap = team.caseload_cap > 0.0 ? team.caseload_cap : 1.0;
  return cost.per_fte_year + cost.per_case * cap * 365.25 / std::max(1.0, duration.mean());
}

bool ServiceSpec::can_take_zero_time() const {
  switch (kind) {
    case ServiceKind::screening_queue:
      return fixed_zero(work);
    case ServiceKind::caseload_team:
      return fixed_zero(duration);
    case ServiceKind::decision_point:
      return !delay.has_value() || fixed_zero(*delay);
    case ServiceKind::exit:
      return false;  // nothing goes on from an exit
  }
  return false;
}

std::string RouteSpec::rule_text() const {
  std::string text;
  if (!when.empty()) text = when;
  if (!sources.empty()) {
    text += text.empty() ? "from" : ", from";
    for (SourceKind s : sources) text += std::string(" ") + source_name(s);
  }
  if (probability < 1.0) text += (text.empty() ? "" : ", ") + std::string("p=") + format_share(probability);
  return text;
}

Pathway::Pathway(std::vector<ServiceSpec> services, std::vector<RouteSpec> routes)
    : services_(std::move(services)), routes_(std::move(routes)), graph_(services_.size()) {
  routes_from_.resize(services_.size());
  for (int s = 0; s < static_cast<int>(services_.size()); ++s) {
    index_[services_[s].id] = s;
    graph_[s].service = s;
    if (services_[s].entry) entry_ = entry_ == -1 ? s : -2;
  }
  if (entry_ < 0) entry_ = -1;
  for (int r = 0; r < static_cast<int>(routes_.size()); ++r) {
    const int from = find(routes_[r].from);
    const int to = find(routes_[r].to);
    route_to_.push_back(to);
    if (from < 0 || to < 0) continue;
    routes_from_[from].push_back(r);
    boost::add_edge(from, to, PathwayEdge{r}, graph_);
  }
}

int Pathway::find(const std::string& id) const {
  auto it = index_.find(id);
  return it == index_.end() ? -1 : it->second;
}

namespace {

// Marks every vertex that a breadth-first search from `start` discovers.
template <class Graph>
void mark_reachable(const Graph& g, int start, std::vector<char>& reached) {
  struct Marker : boost::default_bfs_visitor {
    std::vector<char>* reached;
    void discover_vertex(typename boost::graph_traits<Graph>::vertex_descriptor v, const Graph&) const {
      (*reached)[v] = 1;
    }
  } marker;
  marker.reached = &reached;
  boost::breadth_first_search(g, boost::vertex(start, g), boost::visitor(marker));
}

}  // namespace

std::vector<std::string> Pathway::validate() const {
  std::vector<std::string> problems;
  const int n = static_cast<int>(services_.size());
  if (n == 0) return {"the pathway has no services: declare [service.<id>] tables"};

  // Routes that name unknown services.
  for (int r = 0; r < static_cast<int>(routes_.size()); ++r) {
    const RouteSpec& route = routes_[r];
    for (const std::string* end : {&route.from, &route.to}) {
      if (find(*end) < 0) {
        problems.push_back(route.where + ": route." + route.id + ": names an unknown service \"" + *end + "\"");
      }
    }
  }

  // Exactly one entry.
  std::vector<int> entries;
  for (int s = 0; s < n; ++s) {
    if (services_[s].entry) entries.push_back(s);
  }
  if (entries.empty()) {
    problems.push_back(services_.front().where + ": no service has entry = true: contacts would have nowhere to go");
  }
  if (entries.size() > 1) {
    for (int s : entries) {
      problems.push_back(services_[s].where + ": service." + services_[s].id +
                         ": more than one service has entry = true");
    }
  }

  // Routes out of each service: exits have none; every decision (and every source) is covered exactly once.
  for (int s = 0; s < n; ++s) {
    const ServiceSpec& service = services_[s];
    const std::string at = service.where + ": service." + service.id + ": ";
    const auto& out = routes_from_[s];
    if (service.kind == ServiceKind::exit) {
      for (int r : out) problems.push_back(routes_[r].where + ": route." + routes_[r].id + ": leaves an exit");
      continue;
    }
    if (service.kind == ServiceKind::caseload_team && service.team.caseload_cap > 0) {
      for (double fte : {service.team.fte, service.team.max_fte()}) {
        if (fte * service.team.caseload_cap < 1.0) {
          problems.push_back(at + "FTE x caseload_cap allows no case at all; raise one of them");
          break;
        }
      }
    }
    if (out.empty()) {
      problems.push_back(at + "has no route out: children would stay there for ever");
      continue;
    }
    std::vector<std::string> decisions;
    for (const auto& d : service.decisions) decisions.push_back(d.name);
    for (int r : out) {
      const RouteSpec& route = routes_[r];
      if (!route.when.empty() && std::find(decisions.begin(), decisions.end(), route.when) == decisions.end()) {
        problems.push_back(route.where + ": route." + route.id + ": when = \"" + route.when +
                           "\" is not a decision of " + service.id + (decisions.empty() ? " (it makes none)" : ""));
      }
    }
    if (decisions.empty()) decisions.push_back("");
    for (const std::string& decision : decisions) {
      std::map<double, std::vector<SourceKind>> sums;  // sum of probabilities -> sources with that sum
      for (SourceKind source : all_sources) {
        double sum = 0.0;
        for (int r : out) {
          const RouteSpec& route = routes_[r];
          const bool from_source = route.sources.empty() ||
                                   std::find(route.sources.begin(), route.sources.end(), source) != route.sources.end();
          if ((route.when.empty() || route.when == decision) && from_source) {
            sum += route.probability;
          }
        }
        sums[sum].push_back(source);
      }
      for (const auto& [sum, sources] : sums) {
        if (std::abs(sum - 1.0) <= 1e-9) continue;
        std::string who = decision.empty() ? "cases" : "cases decided \"" + decision + "\"";
        if (sources.size() < all_sources.size()) {
          who += " from";
          for (SourceKind src : sources) who += std::string(" ") + source_name(src);
        }
        problems.push_back(at + (sum == 0.0
                                     ? who + " have no route: the rules leave them uncovered"
                                     : "route probabilities for " + who + " sum to " + format_share(sum) + ", not 1"));
      }
    }
  }

  // Reachability from the entry, and of an exit from everywhere.
  if (entries.size() == 1) {
    std::vector<char> reached(n, 0);
    mark_reachable(graph_, entries.front(), reached);
    for (int s = 0; s < n; ++s) {
      if (!reached[s]) {
        problems.push_back(services_[s].where + ": service." + services_[s].id +
                           ": cannot be reached from the entry (" + services_[entries.front()].id + ")");
      }
    }
  }
  std::vector<char> reaches_exit(n, 0);
  const auto reversed = boost::make_reverse_graph(graph_);
  for (int s = 0; s < n; ++s) {
    if (services_[s].kind == ServiceKind::exit && !reaches_exit[s]) mark_reachable(reversed, s, reaches_exit);
  }
  for (int s = 0; s < n; ++s) {
    if (!reaches_exit[s] && services_[s].kind != ServiceKind::exit) {
      problems.push_back(services_[s].where + ": service." + services_[s].id +
                         ": no exit can be reached from it: children would pile up for ever");
    }
  }

  // Cycles that can be travelled in zero time: strongly connected groups of zero-time services.
  struct ZeroTimeEdge {
    const Pathway* p = nullptr;
    bool operator()(PathwayGraph::edge_descriptor e) const {
      return p->services_[boost::source(e, p->graph_)].can_take_zero_time() &&
             p->services_[boost::target(e, p->graph_)].can_take_zero_time();
    }
  };
  const boost::filtered_graph<PathwayGraph, ZeroTimeEdge> instant(graph_, ZeroTimeEdge{this});
  std::vector<int> component(n);
  const int groups = boost::strong_components(
      instant, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, instant)));
  std::vector<std::vector<int>> members(groups);
  for (int s = 0; s < n; ++s) members[component[s]].push_back(s);
  for (const auto& group : members) {
    bool cyclic = group.size() > 1;
    if (group.size() == 1) {
      for (int r : routes_from_[group.front()]) cyclic = cyclic || route_to_[r] == group.front();
      cyclic = cyclic && services_[group.front()].can_take_zero_time();
    }
    if (!cyclic) continue;
    std::string names;
    for (int s : group) names += (names.empty() ? "" : " -> ") + services_[s].id;
    problems.push_back(services_[group.front()].where + ": a cycle can be travelled in zero time (" + names +
                       "): give one of its services a delay or a duration");
  }
  return problems;
}

std::vector<double> expected_arrival_rates(const Pathway& pathway, const std::array<double, 6>& contacts_per_day) {
  const int n = static_cast<int>(pathway.services().size());
  if (pathway.entry() < 0 || !pathway.validate().empty()) return {};
  for (const ServiceSpec& s : pathway.services()) {
    if (s.need_rule.active) return {};  // shares emerge from need: the traffic equations have no input
  }
  std::vector<double> total(n, 0.0);
  for (SourceKind source : all_sources) {
    const double gamma = contacts_per_day[static_cast<int>(source)];
    if (gamma <= 0.0) continue;
    // Transition probabilities P[i][j] for cases from this source: decision shares times route probabilities.
    std::vector<std::vector<double>> a(n, std::vector<double>(n + 1, 0.0));  // augmented (I - P^T) | gamma
    for (int i = 0; i < n; ++i) a[i][i] = 1.0;
    a[pathway.entry()][n] = gamma;
    for (int i = 0; i < n; ++i) {
      const ServiceSpec& s = pathway.services()[i];
      std::vector<DecisionShare> decisions = s.decisions;
      if (decisions.empty()) decisions.push_back({"", 1.0});
      for (const auto& d : decisions) {
        for (int r : pathway.routes_from(i)) {
          const RouteSpec& route = pathway.routes()[r];
          const bool from_source = route.sources.empty() ||
                                   std::find(route.sources.begin(), route.sources.end(), source) != route.sources.end();
          if ((route.when.empty() || route.when == d.name) && from_source) {
            a[pathway.route_target(r)][i] -= d.share * route.probability;
          }
        }
      }
    }
    // Gaussian elimination with partial pivoting; n is small (tens of services).
    for (int col = 0; col < n; ++col) {
      int pivot = col;
      for (int row = col + 1; row < n; ++row) {
        if (std::abs(a[row][col]) > std::abs(a[pivot][col])) pivot = row;
      }
      std::swap(a[col], a[pivot]);
      if (std::abs(a[col][col]) < 1e-12) return std::vector<double>(n, std::numeric_limits<double>::infinity());
      for (int row = 0; row < n; ++row) {
        if (row == col || a[row][col] == 0.0) continue;
        const double factor = a[row][col] / a[col][col];
        for (int k = col; k <= n; ++k) a[row][k] -= factor * a[col][k];
      }
    }
    for (int i = 0; i < n; ++i) total[i] += a[i][n] / a[i][i];
  }
  return total;
}

namespace {

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"') out += '\\';
    out += c;
  }
  return out;
}

std::string number(double v, int decimals) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(decimals);
  out << v;
  return out.str();
}

}  // namespace

std::string pathway_dot(const Pathway& pathway, const PathwayObservations* observed) {
  const auto& services = pathway.services();
  const auto& routes = pathway.routes();
  auto vertex_writer = [&](std::ostream& out, PathwayGraph::vertex_descriptor v) {
    const ServiceSpec& s = services[pathway.graph()[v].service];
    std::string label = s.label.empty() ? s.id : s.label;
    const char* shape = "box";
    std::string style = "filled";
    std::string fill = "#dbe9f6";
    switch (s.kind) {
      case ServiceKind::screening_queue:
        label += "\\n" + number(s.team.fte, 0) + " screeners";
        break;
      case ServiceKind::caseload_team:
        label += "\\n" + number(s.team.fte, 1) + " FTE";
        if (s.team.caseload_cap > 0) label += ", cap " + number(s.team.caseload_cap, 0) + " cases/FTE";
        style = "rounded,filled";
        fill = "#e3f1dc";
        break;
      case ServiceKind::decision_point:
        shape = "diamond";
        fill = "#fdf0d5";
        break;
      case ServiceKind::exit:
        shape = "ellipse";
        fill = "#eeeeee";
        break;
    }
    if (observed != nullptr && s.kind != ServiceKind::exit) {
      auto open = observed->service_open_mean.find(s.id);
      auto waiting = observed->service_waiting_mean.find(s.id);
      if (open != observed->service_open_mean.end()) label += "\\nopen " + number(open->second, 1);
      if (waiting != observed->service_waiting_mean.end()) label += ", waiting " + number(waiting->second, 1);
    }
    out << "[label=\"" << escape(label) << "\", shape=" << shape << ", style=\"" << style << "\", fillcolor=\"" << fill
        << "\", fontname=\"Helvetica\"]";
  };
  auto edge_writer = [&](std::ostream& out, PathwayGraph::edge_descriptor e) {
    const RouteSpec& r = routes[pathway.graph()[e].route];
    std::string label = r.rule_text();
    if (observed != nullptr) {
      auto flow = observed->route_flow_per_year.find(r.id);
      if (flow != observed->route_flow_per_year.end()) {
        label += (label.empty() ? "" : "\\n") + number(flow->second, 0) + "/yr";
      }
    }
    out << "[label=\"" << escape(label) << "\", fontname=\"Helvetica\", fontsize=10]";
  };
  auto graph_writer = [](std::ostream& out) { out << "rankdir=TB;\nnode [margin=\"0.15,0.05\"];\n"; };
  std::ostringstream out;
  boost::write_graphviz(out, pathway.graph(), vertex_writer, edge_writer, graph_writer);
  return out.str();
}

}  // namespace frontdoor
