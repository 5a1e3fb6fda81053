#include "analysis/council_figures.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "analysis/run_reader.hpp"
#include "models/input_file.hpp"

namespace frontdoor {

namespace {

const char* const header = "council,population_0_17,year,measure,unit,value,low,high,source";
const char* const columns[] = {"council", "population_0_17", "year", "measure", "unit", "value", "low", "high"};

// Levenshtein distance, for "did you mean".
std::size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// A number from a cell, or nothing (with the problem recorded).
std::optional<double> number(const std::string& cell, const std::string& where, std::vector<std::string>& problems) {
  if (cell.empty()) {
    problems.push_back(where + ": is empty: expected a number");
    return std::nullopt;
  }
  if (const std::optional<double> v = parse_number(cell); v && std::isfinite(*v)) return v;
  problems.push_back(where + ": \"" + cell + "\" is not a number");
  return std::nullopt;
}

}  // namespace

std::vector<int> CouncilFigures::years() const {
  std::set<int> years;
  for (const auto& row : rows) years.insert(row.year);
  return {years.begin(), years.end()};
}

std::vector<CalibrationTarget> CouncilFigures::targets(int year) const {
  std::vector<CalibrationTarget> out;
  for (const auto& row : rows) {
    if (row.year == year) out.push_back(row.target);
  }
  return out;
}

CouncilFigures read_council_figures(const std::filesystem::path& path, const std::vector<CalibrationTarget>& known) {
  std::istringstream in;
  try {
    in.str(read_input_file(path.string(), "council figures file", largest_input_table));
  } catch (const InputFileError& e) {
    throw RunReadError(e.what());
  }
  const std::string file = path.string();
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.rfind(header, 0) != 0) throw RunReadError(file + ":1: expected the header " + std::string(header));
  std::map<std::string, std::string> unit_of;
  for (const auto& t : known) unit_of[t.measure] = t.unit;

  CouncilFigures figures;
  std::vector<std::string> problems;
  std::set<std::pair<std::string, int>> seen;
  for (int number_of_line = 2; std::getline(in, line); ++number_of_line) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::string row_at = file + ":" + std::to_string(number_of_line);
    auto at = [&](int column) { return row_at + ": " + columns[column]; };
    const std::vector<std::string> cells = split_csv_line(line);
    if (cells.size() < 8) {
      problems.push_back(row_at + ": expected 9 columns (" + std::string(header) + "), found " +
                         std::to_string(cells.size()));
      continue;
    }
    CouncilFigure figure;
    figure.line = number_of_line;
    if (cells[0].empty()) {
      problems.push_back(at(0) + ": is empty: the council's name");
    } else if (figures.council.empty()) {
      figures.council = cells[0];
    } else if (cells[0] != figures.council) {
      problems.push_back(at(0) + ": \"" + cells[0] + "\" is not \"" + figures.council + "\": a file holds one council");
    }
    const std::optional<double> year = number(cells[2], at(2), problems);
    if (year && (*year != std::floor(*year) || *year < 1990 || *year > 2100)) {
      problems.push_back(at(2) + ": " + cells[2] + " is not a year from 1990 to 2100");
    } else if (year) {
      figure.year = static_cast<int>(*year);
    }
    if (cells[1].empty()) {
      problems.push_back(at(1) + ": is empty: the council's children aged 0-17 in that year (ONS mid-year estimate)");
    } else if (const std::optional<double> population = number(cells[1], at(1), problems)) {
      if (*population < 1000 || *population > 20000000 || *population != std::floor(*population)) {
        problems.push_back(at(1) + ": " + cells[1] + " is not a whole number of children from 1,000 to 20,000,000");
      } else if (figure.year > 0) {
        const auto [it, added] = figures.population.emplace(figure.year, static_cast<long>(*population));
        if (!added && it->second != static_cast<long>(*population)) {
          problems.push_back(at(1) + ": " + cells[1] + " differs from " + std::to_string(it->second) + " given for " +
                             std::to_string(figure.year) + " on an earlier row");
        }
      }
    }
    CalibrationTarget& t = figure.target;
    t.measure = cells[3];
    t.unit = cells[4];
    const auto known_unit = unit_of.find(t.measure);
    if (known_unit == unit_of.end()) {
      std::string nearest;
      std::size_t best = 4;  // suggest only a close name
      for (const auto& [name, unit] : unit_of) {
        if (const std::size_t d = distance(t.measure, name); d < best) {
          best = d;
          nearest = name;
        }
      }
      problems.push_back(
          at(3) + ": unknown measure \"" + t.measure + "\"" +
          (nearest.empty() ? " (calibration/england_targets.csv lists them)" : " (did you mean \"" + nearest + "\"?)"));
    } else if (t.unit != known_unit->second) {
      problems.push_back(at(4) + ": \"" + t.unit + "\" is not the unit of " + t.measure + " (" + known_unit->second +
                         ")");
    }
    const std::optional<double> value = number(cells[5], at(5), problems);
    const std::optional<double> low = number(cells[6], at(6), problems);
    const std::optional<double> high = number(cells[7], at(7), problems);
    if (low && high && *low > *high) {
      problems.push_back(at(6) + ": the band's low " + cells[6] + " is above its high " + cells[7]);
    } else if (value && low && high && (*value < *low || *value > *high)) {
      problems.push_back(at(5) + ": " + cells[5] + " is outside its own band (" + cells[6] + " to " + cells[7] + ")");
    }
    if (value && low && high) {
      t.value = *value;
      t.low = *low;
      t.high = *high;
    }
    for (std::size_t i = 8; i < cells.size(); ++i) t.source += (i > 8 ? "," : "") + cells[i];
    if (figure.year > 0 && !seen.insert({t.measure, figure.year}).second) {
      problems.push_back(at(3) + ": " + t.measure + " is given twice for " + std::to_string(figure.year));
    }
    figures.rows.push_back(figure);
  }
  if (figures.rows.empty() && problems.empty()) problems.push_back(file + ": has no figures below its header");
  if (!problems.empty()) {
    std::string text;
    for (const auto& p : problems) text += (text.empty() ? "" : "\n") + p;
    throw RunReadError(text);
  }
  return figures;
}

}  // namespace frontdoor
