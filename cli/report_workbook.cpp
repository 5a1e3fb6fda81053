#include "cli/report_workbook.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "cli/scratch_dir.hpp"
#include "models/measures.hpp"
#include "models/parameter_schema.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace frontdoor {

namespace {

// The workbook's formats, made once.
struct Formats {
  lxw_format* title;
  lxw_format* bold;
  lxw_format* header;
  lxw_format* wrap;
  lxw_format* note;
  lxw_format* money;         // £12,345
  lxw_format* money_signed;  // +£1,234 / −£1,234
  lxw_format* number;        // 1,234.5
  lxw_format* signed_number;
  lxw_format* share;  // 12.3%
  lxw_format* signed_share;
  lxw_format* good;
  lxw_format* bad;
};

Formats make_formats(lxw_workbook* wb) {
  auto numeric = [&](const char* pattern) {
    lxw_format* f = workbook_add_format(wb);
    format_set_num_format(f, pattern);
    return f;
  };
  Formats f{};
  f.title = workbook_add_format(wb);
  format_set_bold(f.title);
  format_set_font_size(f.title, 14);
  f.bold = workbook_add_format(wb);
  format_set_bold(f.bold);
  f.header = workbook_add_format(wb);
  format_set_bold(f.header);
  format_set_bottom(f.header, LXW_BORDER_THIN);
  format_set_text_wrap(f.header);
  format_set_align(f.header, LXW_ALIGN_VERTICAL_TOP);
  f.wrap = workbook_add_format(wb);
  format_set_text_wrap(f.wrap);
  format_set_align(f.wrap, LXW_ALIGN_VERTICAL_TOP);
  f.note = workbook_add_format(wb);
  format_set_italic(f.note);
  format_set_font_color(f.note, 0x4A5562);
  f.money = numeric("£#,##0;-£#,##0");
  f.money_signed = numeric("+£#,##0;-£#,##0;£0");
  f.number = numeric("#,##0.0##");
  f.signed_number = numeric("+#,##0.0##;-#,##0.0##;0");
  f.share = numeric("0.0%");
  f.signed_share = numeric("+0.0%;-0.0%;0.0%");
  f.good = workbook_add_format(wb);
  format_set_font_color(f.good, 0x1B7F3B);
  format_set_bold(f.good);
  f.bad = workbook_add_format(wb);
  format_set_font_color(f.bad, 0xB00020);
  format_set_bold(f.bad);
  return f;
}

bool is_money(const std::string& unit) { return unit == "gbp" || unit == "gbp_real"; }
bool is_share(const std::string& unit) { return unit == "share" || unit.rfind("share_of_", 0) == 0; }

lxw_format* level_format(const Formats& f, const std::string& unit) {
  return is_money(unit) ? f.money : is_share(unit) ? f.share : f.number;
}
lxw_format* difference_format(const Formats& f, const std::string& unit) {
  return is_money(unit) ? f.money_signed : is_share(unit) ? f.signed_share : f.signed_number;
}

// The unit in words, as a finance team would read it.
std::string unit_words(const std::string& unit) {
  static const std::map<std::string, std::string> words{
      {"gbp", "£ cash"},
      {"gbp_real", "£ in base-year prices"},
      {"count", "number"},
      {"per_10k", "per 10,000 children"},
      {"per_10k_per_year", "per 10,000 children a year"},
      {"days", "days"},
      {"working_days", "working days"},
      {"fte", "full-time equivalent"},
      {"cases", "cases"},
      {"ratio", "ratio"},
      {"share", "share"},
      {"cases_per_case_holding_fte", "cases per case-holding social worker"}};
  const auto it = words.find(unit);
  if (it != words.end()) return it->second;
  if (unit.rfind("share_of_", 0) == 0) return "share of " + unit.substr(9);
  return unit;
}

std::string measure_words(std::string measure) {
  std::replace(measure.begin(), measure.end(), '_', ' ');
  return measure;
}

// Writes what libxlsxwriter cannot take as a number (NaN: no interval with one pair) as an empty cell.
void number_cell(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, double v, lxw_format* format) {
  if (std::isfinite(v)) worksheet_write_number(ws, row, col, v, format);
}
void json_cell(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const json& v, lxw_format* format) {
  if (v.is_number()) number_cell(ws, row, col, v.get<double>(), format);
}

std::string year_text(const Comparison& c, int year) {
  return year == 0 ? "years " + std::to_string(c.from_year) + "-" + std::to_string(c.last_year) + " pooled"
                   : std::to_string(year);
}

// One table of difference rows (the measured years pooled first, then each year), with a filter on its header.
void difference_sheet(lxw_workbook* wb, const Formats& f, const char* name, const std::string& about,
                      const WorkbookInput& input, bool costs_only, const std::set<std::string>& placements) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, name);
  worksheet_write_string(ws, 0, 0, about.c_str(), f.note);
  const std::vector<std::string> headers =
      costs_only
          ? std::vector<
                std::string>{"Alternative",      "Year",       "Cost of",    "Kind",        "Unit",  "Base mean",
                             "Alternative mean", "Difference", "95% CI low", "95% CI high", "Pairs", "Clear difference"}
          : std::vector<std::string>{"Alternative",      "Year",       "Measure",    "Unit",        "Base mean",
                                     "Alternative mean", "Difference", "95% CI low", "95% CI high", "Pairs",
                                     "Clear difference"};
  const lxw_row_t head = 2;
  for (std::size_t c = 0; c < headers.size(); ++c) {
    worksheet_write_string(ws, head, static_cast<lxw_col_t>(c), headers[c].c_str(), f.header);
  }
  lxw_row_t row = head + 1;
  for (const WorkbookAlternative& a : input.alternatives) {
    // The rows as compare.csv has them: per measure, the pooled row, then the years.
    std::vector<const DifferenceRow*> rows;
    for (const DifferenceRow& r : a.comparison.rows) {
      const bool money = is_money(r.unit) && r.measure.find("cost_gbp") != std::string::npos;
      if (costs_only != money) continue;
      rows.push_back(&r);
    }
    std::stable_sort(rows.begin(), rows.end(), [](const DifferenceRow* x, const DifferenceRow* y) {
      if (x->measure != y->measure || x->unit != y->unit) return false;
      return (x->year == 0) > (y->year == 0);
    });
    for (const DifferenceRow* r : rows) {
      lxw_col_t c = 0;
      worksheet_write_string(ws, row, c++, a.name.c_str(), nullptr);
      if (r->year == 0) {
        worksheet_write_string(ws, row, c++, year_text(a.comparison, 0).c_str(), nullptr);
      } else {
        worksheet_write_number(ws, row, c++, r->year, nullptr);
      }
      if (costs_only) {
        std::string what = r->measure.substr(0, r->measure.find("_cost_gbp"));
        const bool placement = placements.count(what) > 0;
        const bool total = what == "total" || what == "staff" || what == "activity" || what == "cover" ||
                           what == "placement" || r->measure.find("_to_date") != std::string::npos;
        worksheet_write_string(
            ws, row, c++,
            measure_words(what + (r->measure.find("_to_date") != std::string::npos ? " (to date)" : "")).c_str(),
            nullptr);
        worksheet_write_string(ws, row, c++,
                               placement ? "placement type"
                               : total   ? "total or part"
                                         : "service",
                               nullptr);
      } else {
        worksheet_write_string(ws, row, c++, measure_words(r->measure).c_str(), nullptr);
      }
      worksheet_write_string(ws, row, c++, unit_words(r->unit).c_str(), nullptr);
      number_cell(ws, row, c++, r->base_mean, level_format(f, r->unit));
      number_cell(ws, row, c++, r->alt_mean, level_format(f, r->unit));
      number_cell(ws, row, c++, r->diff_mean, difference_format(f, r->unit));
      number_cell(ws, row, c++, r->diff_low, difference_format(f, r->unit));
      number_cell(ws, row, c++, r->diff_high, difference_format(f, r->unit));
      worksheet_write_number(ws, row, c++, static_cast<double>(r->pairs), nullptr);
      worksheet_write_string(ws, row, c++, r->indistinguishable_from_zero() ? "no" : "yes", nullptr);
      ++row;
    }
  }
  const lxw_col_t last = static_cast<lxw_col_t>(headers.size() - 1);
  worksheet_freeze_panes(ws, head + 1, 0);
  if (row > head + 1) worksheet_autofilter(ws, head, 0, row - 1, last);
  worksheet_set_column(ws, 0, 0, 22, nullptr);
  worksheet_set_column(ws, 1, 1, 16, nullptr);
  worksheet_set_column(ws, 2, 2, costs_only ? 30 : 44, nullptr);
  worksheet_set_column(ws, 3, costs_only ? 4 : 3, costs_only ? 16 : 26, nullptr);  // kind and unit, or unit
  worksheet_set_column(ws, costs_only ? 5 : 4, last, 15, nullptr);
}

}  // namespace

std::string comparison_workbook(const WorkbookInput& input) {
  const ScratchDir scratch("frontdoor-xlsx");
  const fs::path file = scratch.path() / "comparison.xlsx";
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  const std::string tmp = scratch.path().string();
  options.tmpdir = const_cast<char*>(tmp.c_str());
  lxw_workbook* wb = workbook_new_opt(file.c_str(), &options);
  if (wb == nullptr) throw std::runtime_error("libxlsxwriter could not start a workbook in " + tmp);
  // No clock date in the file: the same comparison gives the same bytes (the zip entries carry a fixed date too).
  lxw_doc_properties properties{};
  std::string title = input.title, comments = input.subtitle, author = "frontdoor";
  properties.title = title.data();
  properties.comments = comments.data();
  properties.author = author.data();
  properties.created = 315532800;  // 1 January 1980, the zip format's first date
  workbook_set_properties(wb, &properties);
  const Formats f = make_formats(wb);

  // 1. The answer.
  lxw_worksheet* answer = workbook_add_worksheet(wb, "Answer");
  worksheet_set_column(answer, 0, 0, 52, nullptr);
  worksheet_set_column(answer, 1, 5, 16, nullptr);
  worksheet_set_column(answer, 6, 6, 18, nullptr);
  lxw_row_t row = 0;
  worksheet_write_string(answer, row++, 0, input.title.c_str(), f.title);
  worksheet_write_string(answer, row++, 0, input.subtitle.c_str(), f.note);
  worksheet_write_string(answer, row++, 0,
                         "Differences are the alternative less the base, paired on the same seeds, with 95% "
                         "confidence intervals. \"Clear\" means the interval leaves out zero.",
                         f.note);
  for (const WorkbookAlternative& a : input.alternatives) {
    ++row;
    worksheet_write_string(answer, row++, 0, (a.name + " against " + input.base_name).c_str(), f.title);
    if (!a.description.empty()) worksheet_write_string(answer, row++, 0, a.description.c_str(), nullptr);
    worksheet_write_string(answer, row++, 0, "What it changes", f.bold);
    if (a.changes.empty())
      worksheet_write_string(answer, row++, 0, "Nothing: the same parameters as the base", nullptr);
    for (const std::string& change : a.changes) worksheet_write_string(answer, row++, 0, change.c_str(), nullptr);
    ++row;
    const char* headers[] = {"Headline",   "Base",        "Alternative",     "Difference",
                             "95% CI low", "95% CI high", "Clear difference"};
    for (lxw_col_t c = 0; c < 7; ++c) worksheet_write_string(answer, row, c, headers[c], f.header);
    ++row;
    for (const json& card : a.headline) {
      const std::string unit = card.value("unit", "");
      const std::string title_text =
          card.value("title", "") + (card.value("year", 0) == 0 ? " (years pooled)" : " (to the last year)");
      worksheet_write_string(answer, row, 0, title_text.c_str(), nullptr);
      json_cell(answer, row, 1, card["base_mean"], level_format(f, unit));
      json_cell(answer, row, 2, card["alt_mean"], level_format(f, unit));
      json_cell(answer, row, 3, card["diff_mean"], difference_format(f, unit));
      json_cell(answer, row, 4, card["diff_low"], difference_format(f, unit));
      json_cell(answer, row, 5, card["diff_high"], difference_format(f, unit));
      const bool unclear = card.value("unclear", true);
      const double diff = card["diff_mean"].is_number() ? card["diff_mean"].get<double>() : 0.0;
      // Lower is better for every headline: a clear fall is good news.
      worksheet_write_string(answer, row, 6,
                             unclear    ? "no"
                             : diff < 0 ? "yes, lower"
                                        : "yes, higher",
                             unclear    ? nullptr
                             : diff < 0 ? f.good
                                        : f.bad);
      ++row;
    }
  }

  // 2. Every measure; 3. costs by service and placement type.
  std::set<std::string> placements;
  auto add_placements = [&](const std::optional<Scenario>& s) {
    if (!s) return;
    for (const ServiceSpec& service : s->pathway.services())
      for (const PlacementSpec& p : service.placements) placements.insert(p.name);
  };
  add_placements(input.base);
  for (const WorkbookAlternative& a : input.alternatives) add_placements(a.scenario);
  difference_sheet(
      wb, f, "Differences",
      "Every yearly measure: the measured years pooled (the mean a year over them), then each year. "
      "A measure ending in \"count\" is the number of children or events; the same measure without it is the "
      "rate per 10,000 children.",
      input, false, placements);
  difference_sheet(wb, f, "Costs",
                   "Cost by service, by placement type and in total, in cash and in base-year prices: the measured "
                   "years pooled (a year), then each year; \"to date\" sums the measured years to that year.",
                   input, true, placements);

  // 4. The parameters side by side.
  lxw_worksheet* ps = workbook_add_worksheet(wb, "Parameters");
  worksheet_write_string(ps, 0, 0, "Each scenario's parameters as run (from the copies in the comparison's runs).",
                         f.note);
  std::vector<const Scenario*> scenarios{input.base ? &*input.base : nullptr};
  std::vector<std::string> names{input.base_name};
  for (const WorkbookAlternative& a : input.alternatives) {
    scenarios.push_back(a.scenario ? &*a.scenario : nullptr);
    names.push_back(a.name);
  }
  std::vector<std::string> keys;
  std::vector<std::map<std::string, const ParameterRecord*>> values(scenarios.size());
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    if (scenarios[s] == nullptr) continue;
    for (const ParameterRecord& p : scenarios[s]->parameters) {
      if (values[s].emplace(p.key, &p).second && std::none_of(values.begin(), values.begin() + static_cast<long>(s),
                                                              [&](const auto& m) { return m.count(p.key) > 0; })) {
        keys.push_back(p.key);
      }
    }
  }
  const lxw_row_t head = 2;
  lxw_col_t c = 0;
  for (const char* h : {"Parameter", "What it is", "Unit", "Differs"})
    worksheet_write_string(ps, head, c++, h, f.header);
  for (const std::string& n : names) worksheet_write_string(ps, head, c++, n.c_str(), f.header);
  row = head + 1;
  for (const std::string& key : keys) {
    const ParameterSpec* spec = find_parameter(key);
    std::string unit;
    std::set<std::string> seen;
    for (const auto& m : values) {
      const auto it = m.find(key);
      seen.insert(it == m.end() ? std::string("(not set)") : it->second->value);
      if (it != m.end() && unit.empty()) unit = it->second->unit;
    }
    c = 0;
    worksheet_write_string(ps, row, c++, key.c_str(), nullptr);
    worksheet_write_string(ps, row, c++, spec != nullptr ? std::string(spec->description).c_str() : "", nullptr);
    worksheet_write_string(ps, row, c++, unit.c_str(), nullptr);
    worksheet_write_string(ps, row, c++, seen.size() > 1 ? "yes" : "", seen.size() > 1 ? f.bold : nullptr);
    for (const auto& m : values) {
      const auto it = m.find(key);
      worksheet_write_string(ps, row, c++, it == m.end() ? "(not set)" : it->second->value.c_str(), nullptr);
    }
    ++row;
  }
  worksheet_freeze_panes(ps, head + 1, 1);
  if (row > head + 1) worksheet_autofilter(ps, head, 0, row - 1, static_cast<lxw_col_t>(c - 1));
  worksheet_set_column(ps, 0, 0, 48, nullptr);
  worksheet_set_column(ps, 1, 1, 60, nullptr);
  worksheet_set_column(ps, 2, 3, 12, nullptr);
  worksheet_set_column(ps, 4, static_cast<lxw_col_t>(4 + names.size() - 1), 28, nullptr);

  const lxw_error closed = workbook_close(wb);
  if (closed != LXW_NO_ERROR) throw std::runtime_error(std::string("libxlsxwriter: ") + lxw_strerror(closed));
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace frontdoor
