#include "sim/returns_run.hpp"

#include <sys/wait.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "models/random.hpp"
#include "sim/output_files.hpp"
#include "sim/pathway_sim.hpp"
#include "sim/runner.hpp"

namespace frontdoor {

namespace {

using nlohmann::json;

json day_or_null(double day) { return std::isnan(day) ? json(nullptr) : json(day); }
double day_from(const json& j) { return j.is_null() ? std::numeric_limits<double>::quiet_NaN() : j.get<double>(); }

SourceKind source_from(const json& j) {
  SourceKind kind = SourceKind::other;
  if (!source_from_name(j.get<std::string>(), kind)) throw std::runtime_error("unknown source " + j.dump());
  return kind;
}

}  // namespace

std::string child_records_jsonl(const ChildRecords& records) {
  // One line per record, so that reading it back needs memory for one line at a time, not a document the size of
  // a council's ten years.
  std::string text;
  auto line = [&](const json& j) { text += json_text(j) + "\n"; };
  for (const auto& c : records.children) {
    line(json::array({"child", c.id, std::string(1, c.sex), c.birth_day, c.family, c.prior_plans, c.prior_care}));
  }
  for (const auto& s : records.spells) {
    line(json::array({"spell", s.child, s.service, s.start_day, day_or_null(s.allocated_day), day_or_null(s.end_day),
                      s.decision, source_name(s.source), s.initial}));
  }
  for (const auto& p : records.placements) line(json::array({"placement", p.child, p.start_day, p.type, p.move}));
  for (const auto& c : records.contacts) {
    line(json::array({"contact", c.child, c.day, source_name(c.source), c.decision}));
  }
  return text;
}

ChildRecords child_records_from_jsonl(const std::string& text) {
  std::istringstream in(text);
  return child_records_from_jsonl(in);
}

ChildRecords child_records_from_jsonl(std::istream& in) {
  ChildRecords records;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    try {
      const json j = json::parse(line);
      const std::string tag = j.at(0).get<std::string>();
      if (tag == "child") {
        const std::string sex = j.at(2).get<std::string>();
        records.children.push_back({j.at(1).get<std::int64_t>(), sex.empty() ? 'M' : sex[0], j.at(3).get<double>(),
                                    j.at(4).get<std::int64_t>(), j.at(5).get<int>(), j.at(6).get<int>()});
      } else if (tag == "spell") {
        ChildRecords::Spell s;
        s.child = j.at(1).get<std::int64_t>();
        s.service = j.at(2).get<std::string>();
        s.start_day = j.at(3).get<double>();
        s.allocated_day = day_from(j.at(4));
        s.end_day = day_from(j.at(5));
        s.decision = j.at(6).get<std::string>();
        s.source = source_from(j.at(7));
        s.initial = j.at(8).get<bool>();
        records.spells.push_back(std::move(s));
      } else if (tag == "placement") {
        records.placements.push_back(
            {j.at(1).get<std::int64_t>(), j.at(2).get<double>(), j.at(3).get<std::string>(), j.at(4).get<bool>()});
      } else if (tag == "contact") {
        records.contacts.push_back(
            {j.at(1).get<std::int64_t>(), j.at(2).get<double>(), source_from(j.at(3)), j.at(4).get<std::string>()});
      } else {
        throw std::runtime_error("unknown record " + tag);
      }
    } catch (const std::exception& e) {
      throw std::runtime_error("child records, line " + std::to_string(number) + ": " + e.what());
    }
  }
  return records;
}

ChildRecords record_replication(const Scenario& scenario, std::uint64_t base_seed, int replication,
                                const std::vector<std::string>& engine_args, const std::filesystem::path& scratch) {
  const std::filesystem::path file = scratch / ("child_records_" + std::to_string(replication + 1) + ".jsonl");
  const std::uint64_t seed = replication_seed(base_seed, static_cast<std::uint64_t>(replication));
  std::string failure;
  run_in_processes(
      1, 1,
      [&](int) {
        ChildRecords records;
        simulate(scenario, replication, seed, engine_args, &records);
        write_file_atomically(file, child_records_jsonl(records));
        return 0;
      },
      [&](int, int status, double, const std::string& message) {
        if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
          failure = message.empty() ? describe_exit(status) : message;
        }
      });
  if (!failure.empty()) {
    std::filesystem::remove(file);
    throw RunError("recording replication " + std::to_string(replication + 1) + " for the returns failed: " + failure);
  }
  std::ifstream in(file, std::ios::binary);
  try {
    ChildRecords records = child_records_from_jsonl(in);
    std::filesystem::remove(file);
    return records;
  } catch (const std::runtime_error& e) {
    std::filesystem::remove(file);
    throw RunError(std::string("recording for the returns: ") + e.what());
  }
}

}  // namespace frontdoor
