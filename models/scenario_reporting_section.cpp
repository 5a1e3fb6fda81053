// The [reporting] section: the yearly measures of annual.csv, each a selector or a table (share, ratio, median or
// within so many working days).
#include <algorithm>
#include <map>
#include <string>

#include "models/scenario_sections.hpp"

namespace frontdoor::loader {

std::vector<ReportMeasure> read_reporting(TableReader t, const Pathway& pathway) {
  LoadContext& ctx = t.context();
  std::vector<ReportMeasure> measures;
  if (!t.present()) return measures;
  auto selector = [&](const toml::node* node, const std::string& key, const std::string& text, Selector& out) {
    const std::string error = parse_selector(text, pathway, out);
    if (!error.empty()) ctx.problem(node, key, "\"" + text + "\": " + error);
  };
  std::map<std::string, std::string> rate_selectors;  // measure name -> its selector, for `of = "<measure>"`
  for (const auto& name : t.keys()) {
    const toml::node* node = t.node()->get(name);
    if (auto s = node->as_string()) rate_selectors[name] = s->get();
  }
  for (const auto& name : t.keys()) {
    const toml::node* node = t.node()->get(name);
    const std::string key = t.prefix() + "." + name;
    ReportMeasure m;
    m.name = name;
    if (auto s = node->as_string()) {
      t.consume(name);
      selector(node, key, s->get(), m.numerator);
      m.type = m.numerator.is_total() ? ReportMeasure::Type::total : ReportMeasure::Type::rate;
      m.unit = m.numerator.is_total()   ? std::string(total_unit_text(m.numerator.kind))
               : m.numerator.is_stock() ? "per_10k"
                                        : "per_10k_per_year";
      measures.push_back(m);
      continue;
    }
    TableReader r = t.table(name);
    if (!r.present()) continue;
    if (r.has("share") || r.has("ratio")) {
      const bool share = r.has("share");
      m.type = share ? ReportMeasure::Type::share : ReportMeasure::Type::ratio;
      const std::string top = r.text(share ? "share" : "ratio");
      const std::string bottom = r.text(share ? "of" : "per");
      selector(r.node(), key, top, m.numerator);
      auto named = rate_selectors.find(bottom);
      selector(r.node(), key, named != rate_selectors.end() ? named->second : bottom, m.denominator);
      m.unit = r.text("unit", {.fallback_text =
                                   share ? (named != rate_selectors.end() ? "share_of_" + bottom : "share") : "ratio"});
    } else if (r.has("median_working_days")) {
      m.type = ReportMeasure::Type::median_wd;
      m.service = pathway.find(r.text("median_working_days"));
      if (m.service < 0) ctx.problem(r.node(), key, "median_working_days names an unknown service");
      m.unit = r.text("unit", {.fallback_text = "working_days"});
    } else if (r.has("within_working_days")) {
      m.type = ReportMeasure::Type::within_wd;
      m.working_days = r.number("within_working_days");
      m.service = pathway.find(r.text("service"));
      if (m.service < 0) ctx.problem(r.node(), key, "service names an unknown service");
      if (r.has("from")) {
        m.from = pathway.find(r.text("from"));
        if (m.from < 0) ctx.problem(r.node(), key, "from names an unknown service");
      }
      m.unit = r.text("unit", {.fallback_text = "share"});
    } else {
      ctx.problem(r.node(), key,
                  "expected a selector, or a table with share/of, ratio/per, median_working_days, or "
                  "within_working_days/service");
      for (const auto& k : r.keys()) r.consume(k);  // reported once, above
    }
    r.finish();
    measures.push_back(m);
  }
  t.finish();
  // Declaration order, not TOML's alphabetical key order.
  auto line = [&](const std::string& name) { return t.node()->get(name)->source().begin.line; };
  std::stable_sort(measures.begin(), measures.end(),
                   [&](const ReportMeasure& a, const ReportMeasure& b) { return line(a.name) < line(b.name); });
  return measures;
}

}  // namespace frontdoor::loader
