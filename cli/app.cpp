#include "cli/app.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include "analysis/calibration.hpp"
#include "analysis/run_reader.hpp"
#include "analysis/run_scenario.hpp"
#include "build_info.hpp"
#include "cli/compare_command.hpp"
#include "cli/exit_codes.hpp"
#include "cli/fit_command.hpp"
#include "cli/graph_command.hpp"
#include "cli/progress.hpp"
#include "cli/replicate_command.hpp"
#include "cli/report_command.hpp"
#include "cli/run_command.hpp"
#include "cli/run_files.hpp"
#include "cli/seek_command.hpp"
#include "cli/serve/serve_command.hpp"
#include "cli/sweep_command.hpp"
#include "cli/text_format.hpp"
#include "models/parameter_schema.hpp"
#include "models/scenario_loader.hpp"
#include "models/utf8.hpp"
#include "sim/output_files.hpp"
#include "sim/run_plan.hpp"
#include "sim/runner.hpp"
#include "sim/stop.hpp"

namespace fs = std::filesystem;
namespace frontdoor {

namespace {

std::string default_scenario_path() {
  if (const char* dir = std::getenv("FRONTDOOR_SCENARIOS")) return std::string(dir) + "/england_baseline.toml";
  return std::string(FRONTDOOR_SCENARIO_DIR) + "/england_baseline.toml";
}

// A seed as the manifest records it: a whole number from 0 to 2^64 - 1, nothing that wraps around to one.
const CLI::Validator seed_check(
    [](std::string& text) -> std::string {
      std::uint64_t value = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return "a seed is a whole number from 0 to 18446744073709551615, not " + text;
      }
      return "";
    },
    "SEED");

// Every argument must be UTF-8: scenario paths, --out and --set values end up in JSON, CSV and HTML files.
std::optional<std::string> non_utf8_argument(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view text(argv[i]);
    if (const auto at = first_invalid_utf8(text)) {
      std::string shown;
      for (unsigned char c : text) shown += c < 0x80 && std::isprint(c) ? std::string(1, static_cast<char>(c)) : "?";
      return "argument " + std::to_string(i) + " (" + shown + ") is not valid UTF-8 text (" +
             describe_invalid_utf8(text, *at) + "); file names and values must be UTF-8";
    }
  }
  return std::nullopt;
}

// Splits the arguments CLI11 did not recognise into SimGrid's --cfg=/--log= (passed to each engine) and the
// rest, which are errors.
std::vector<std::string> engine_args_from(const std::vector<std::string>& extras) {
  std::vector<std::string> engine;
  for (const auto& e : extras) {
    if (e.rfind("--cfg=", 0) == 0 || e.rfind("--log=", 0) == 0) {
      engine.push_back(e);
    } else {
      throw CLI::ExtrasError({e});
    }
  }
  return engine;
}

}  // namespace

int frontdoor_main(int argc, char** argv) {
  std::vector<std::string> command_line(argv, argv + argc);
  CLI::App app{
      "frontdoor: a discrete-event simulator of English children's social care, from the multi-agency "
      "front door to the statutory teams behind it.",
      "frontdoor"};
  app.set_version_flag("--version", std::string("frontdoor ") + build_info::program_version + " (git " +
                                        build_info::git_commit + ", " + build_info::build_type + ")");
  app.require_subcommand(1);
  app.footer(
      "Examples:\n  frontdoor run --out out/baseline\n  frontdoor validate scenarios/england_baseline.toml\n"
      "  frontdoor graph scenarios/england_baseline.toml --format svg --out pathway.svg\n"
      "Run 'frontdoor SUBCOMMAND --help' for the options of each subcommand.");

  CommonScenarioArgs run_args;
  run_args.scenario = default_scenario_path();
  std::string out;
  std::uint64_t seed = 1;
  int replications = 1;
  int jobs = 1;
  int years = 0;
  bool force = false;
  bool quiet = false;
  bool verbose = false;
  CLI::App* run = app.add_subcommand("run", "Simulate a scenario and write its results to a directory");
  run->add_option("scenario", run_args.scenario, "Scenario file (TOML); default: the England baseline")
      ->check(CLI::ExistingFile);
  run->add_option("--out,-o", out, "Directory for the results (must be absent or empty unless --force)")->required();
  run->add_option("--seed", seed, "Base seed; replication seeds derive from it (see manifest.json)")->check(seed_check);
  run->add_option("--replications,-r", replications, "Independent replications")->check(CLI::Range(1, 100000));
  run->add_option("--jobs,-j", jobs, "Replications run at once, each in its own process")->check(CLI::Range(1, 1024));
  run->add_option("--years,-y", years, "Simulated years (overrides simulation.years)")->check(CLI::Range(1, 100));
  run->add_option("--set", run_args.sets, "Override a scenario value: --set section.key=value (repeatable)");
  run->add_flag("--force", force, "Replace an existing, non-empty output directory");
  Precision run_precision;
  auto* run_precision_option =
      run->add_option("--precision", run_precision.relative,
                      "REL: add replications until every headline 95% interval is within REL of its mean (0.02: "
                      "±2%), from -r (at least 3) to --max-replications")
          ->check(CLI::Range(0.0001, 0.5));
  run->add_option("--max-replications", run_precision.cap, "The cap on --precision's replications (default 200)")
      ->check(CLI::Range(3, 100000))
      ->needs(run_precision_option);
  std::string run_returns;
  auto* run_returns_option =
      run->add_option("--returns", run_returns,
                      "Also write replication N's statutory returns (SSDA903, CIN census, Annex A) in returns/; "
                      "N defaults to 1 (write --returns=N before a scenario file)")
          ->expected(0, 1)
          ->type_name("[N]");
  auto* q = run->add_flag("--quiet,-q", quiet, "Print nothing but errors");
  run->add_flag("--verbose,-v", verbose, "Report each replication on stderr")->excludes(q);
  run->allow_extras();
  run->footer(
      "SimGrid options --cfg=KEY:VALUE and --log=... are passed to the engine of every replication.\n"
      "Example:\n  frontdoor run --out out/baseline --replications 10 --jobs 2 --seed 7\n"
      "  frontdoor run scenarios/validation/mmc_front_door.toml --out out/mmc --set service.front_door.team.fte=9");

  CommonScenarioArgs validate_args;
  bool schema = false;
  std::string schema_format = "markdown";
  CLI::App* validate = app.add_subcommand("validate", "Check a scenario and print what it describes");
  auto* validate_scenario =
      validate->add_option("scenario", validate_args.scenario, "Scenario file (TOML)")->check(CLI::ExistingFile);
  auto* validate_sets = validate->add_option("--set", validate_args.sets,
                                             "Override a scenario value: --set section.key=value (repeatable)");
  auto* validate_schema =
      validate->add_flag("--schema", schema, "Print every key a scenario may hold (type, unit, range, default) instead")
          ->excludes(validate_scenario)
          ->excludes(validate_sets);
  validate->add_option("--format", schema_format, "With --schema: markdown (default) or csv")
      ->check(CLI::IsMember({"markdown", "csv"}))
      ->needs(validate_schema);
  validate->footer(
      "Examples:\n  frontdoor validate scenarios/england_baseline.toml --set service.front_door.team.fte=22\n"
      "  frontdoor validate --schema --format csv");

  GraphOptions graph_options;
  CLI::App* graph = app.add_subcommand("graph", "Draw a scenario's pathway, or a finished run's observed flows");
  graph->add_option("scenario", graph_options.scenario, "Scenario file (TOML)")->check(CLI::ExistingFile);
  graph->add_option("--set", graph_options.sets, "Override a scenario value: --set section.key=value (repeatable)");
  graph->add_option("--format,-f", graph_options.format, "dot (Graphviz text) or svg (drawn by Graphviz's dot)")
      ->check(CLI::IsMember({"dot", "svg"}));
  graph->add_option("--out,-o", graph_options.out, "File to write (default: standard output)");
  graph->add_option("--run", graph_options.run_dir, "A run directory: draw its pathway with observed flows per year")
      ->check(CLI::ExistingDirectory);
  graph->add_flag("--force", graph_options.force, "Replace an existing --out file");
  graph->footer(
      "Examples:\n  frontdoor graph scenarios/england_baseline.toml --format svg --out pathway.svg\n"
      "  frontdoor graph --run out/baseline --format svg --out flows.svg");

  std::string calibration_run;
  std::string targets_path = std::string(FRONTDOOR_SOURCE_ROOT) + "/calibration/england_targets.csv";
  int first_year = 0;
  CLI::App* calibrate = app.add_subcommand("check-calibration", "Compare a run's yearly table with published targets");
  calibrate->add_option("run", calibration_run, "A run directory")->required()->check(CLI::ExistingDirectory);
  auto* targets_option =
      calibrate->add_option("--targets", targets_path, "Targets CSV: measure,unit,value,low,high,source")
          ->check(CLI::ExistingFile);
  calibrate->add_option("--from-year", first_year, "First year compared (default: the first after the warm-up)")
      ->check(CLI::Range(1, 100));
  std::string council_path;
  int council_year = 0;
  auto* council_option =
      calibrate
          ->add_option("--council", council_path,
                       "A council's figures (calibration/council_template.csv): compare with one year of them")
          ->check(CLI::ExistingFile);
  calibrate->add_option("--year", council_year, "The council's year to compare with (default: its latest)")
      ->check(CLI::Range(1990, 2100))
      ->needs(council_option);
  council_option->excludes(targets_option);
  calibrate->footer(
      "Exit code 1 when any target is outside its band or not reported.\nExample:\n"
      "  frontdoor run --out out/baseline -r 20 -j 2 && frontdoor check-calibration out/baseline\n"
      "  frontdoor check-calibration out/council --council calibration/example_council_fictional.csv --year 2024");

  CompareOptions compare_options;
  CLI::App* compare =
      app.add_subcommand("compare", "Run a base scenario and alternatives on the same seeds and compare them");
  compare->add_option("scenarios", compare_options.scenarios, "BASE ALT [ALT...]: scenario files (TOML)")
      ->required()
      ->expected(2, 1000)
      ->check(CLI::ExistingFile);
  compare
      ->add_option("--out,-o", compare_options.out,
                   "Directory for the results (must be absent or empty unless --force)")
      ->required();
  compare->add_option("--seed", compare_options.seed, "Base seed, the same for every scenario")->check(seed_check);
  compare->add_option("--replications,-r", compare_options.replications, "Replications of each scenario")
      ->check(CLI::Range(2, 100000));
  compare->add_option("--jobs,-j", compare_options.jobs, "Replications run at once")->check(CLI::Range(1, 1024));
  compare->add_option("--years,-y", compare_options.years, "Simulated years of every scenario")
      ->check(CLI::Range(1, 100));
  auto* compare_precision_option =
      compare
          ->add_option("--precision", compare_options.precision.relative,
                       "REL: add pairs of replications until every headline difference's 95% interval is within REL "
                       "of the base's level, from -r (at least 3) to --max-replications")
          ->check(CLI::Range(0.0001, 0.5));
  compare
      ->add_option("--max-replications", compare_options.precision.cap,
                   "The cap on --precision's replications (default 200)")
      ->check(CLI::Range(3, 100000))
      ->needs(compare_precision_option);
  auto* select_option = compare->add_option(
      "--select", compare_options.select.measure,
      "MEASURE: name the best scenario on this annual.csv measure with a stated probability (KN ranking and "
      "selection), adding replications only to those still in contention");
  compare
      ->add_option("--delta", compare_options.select.delta,
                   "--select's indifference zone: a difference smaller than this (in the measure's unit) does "
                   "not matter")
      ->check(CLI::PositiveNumber)
      ->needs(select_option);
  select_option->needs("--delta");
  compare->add_option("--pcs", compare_options.select.pcs, "--select's probability of correct selection (0.95)")
      ->check(CLI::Range(0.5, 0.999))
      ->needs(select_option);
  compare->add_flag("--maximise", compare_options.select.maximise, "--select: larger is better (default: smaller)")
      ->needs(select_option);
  compare->add_option("--select-cap", compare_options.select.cap, "--select: replications of a scenario at most (200)")
      ->check(CLI::Range(5, 100000))
      ->needs(select_option);
  compare->add_option("--set", compare_options.sets,
                      "Override a value in the base and every alternative: --set section.key=value, key*=factor or "
                      "key+=amount (repeatable)");
  compare->add_flag("--force", compare_options.force, "Replace an existing, non-empty output directory");
  std::string compare_returns;
  auto* compare_returns_option =
      compare
          ->add_option("--returns", compare_returns,
                       "Also write replication N's statutory returns of each scenario in returns/<scenario>/; N "
                       "defaults to 1 (write --returns=N before the scenario files)")
          ->expected(0, 1)
          ->type_name("[N]");
  compare->add_flag("--quiet,-q", compare_options.quiet, "Print nothing but errors");
  compare->allow_extras();
  compare->footer(
      "Example:\n  frontdoor compare scenarios/england_baseline.toml scenarios/policies/*.toml --out out/policies -r "
      "10 -j 2\n"
      "  frontdoor report out/policies --out policies.html");

  SeekOptions seek_options;
  CLI::App* seek = app.add_subcommand(
      "seek", "Find the lever value that hits a target (common random numbers, with a 95% interval)");
  seek->add_option("scenario", seek_options.scenario, "Scenario file (TOML)")->required()->check(CLI::ExistingFile);
  seek->add_option("--lever", seek_options.lever, "KEY=LO:HI: the value to find, and the range to look in")->required();
  seek->add_option("--target", seek_options.target,
                   "MEASURE=VALUE (or MEASURE:UNIT=VALUE): a yearly measure's mean over --years, or a summary measure")
      ->required();
  seek->add_option("--years", seek_options.years, "A-B: the years whose mean counts (default: after the warm-up)");
  seek->add_option("--set", seek_options.sets, "Override a scenario value at every lever value (repeatable)");
  seek->add_option("--seed", seek_options.seed, "Base seed, the same at every lever value")->check(seed_check);
  seek->add_option("--replications,-r", seek_options.replications, "Replications at each lever value")
      ->check(CLI::Range(2, 100000));
  seek->add_option("--jobs,-j", seek_options.jobs, "Replications run at once")->check(CLI::Range(1, 1024));
  seek->add_option("--max-evaluations", seek_options.max_evaluations, "Lever values tried at most")
      ->check(CLI::Range(2, 200));
  seek->add_option("--tolerance", seek_options.tolerance,
                   "Width of the final range in the lever's units (default: a 200th of the range; whole numbers: 1)")
      ->check(CLI::PositiveNumber);
  seek->add_flag("--quiet,-q", seek_options.quiet, "Print no progress lines");
  seek->allow_extras();
  seek->footer(
      "Exit code 1 when the target is not reached in the range or the evaluations run out (the best point is "
      "printed).\nExample:\n  frontdoor seek scenarios/england_baseline.toml --lever "
      "service.early_help.team.budget_gbp=3000000:9000000 --target looked_after_starts=27 --years 4-10 -r 8 -j 2");

  FitOptions fit_options;
  fit_options.base = std::string(FRONTDOOR_SOURCE_ROOT) + "/scenarios/england_baseline.toml";
  CLI::App* fit = app.add_subcommand(
      "fit",
      "Fit a scenario to a council's published figures (Gauss-Newton then NLopt's BOBYQA, common random numbers)");
  fit->add_option("council", fit_options.council, "The council's figures (calibration/council_template.csv)")
      ->required()
      ->check(CLI::ExistingFile);
  fit->add_option("--out,-o", fit_options.out,
                  "The fitted scenario (.toml); the report's figures go beside it as <name>_fit.csv")
      ->required();
  fit->add_option("--base", fit_options.base, "The scenario to fit on (default: the England baseline)")
      ->check(CLI::ExistingFile);
  fit->add_option("--until", fit_options.until,
                  "YEAR: fit the years up to YEAR and forecast the years after (a back-test)");
  fit->add_option("--parameters", fit_options.parameters, "The levers to fit, comma-separated (default: all)");
  fit->add_option("--seed", fit_options.seed, "Base seed, the same at every evaluation")->check(seed_check);
  fit->add_option("--replications,-r", fit_options.replications, "Replications at each evaluation")
      ->check(CLI::Range(2, 1000));
  fit->add_option("--check-replications", fit_options.check_replications,
                  "Replications of the best point for the report")
      ->check(CLI::Range(2, 100000));
  fit->add_option("--jobs,-j", fit_options.jobs, "Replications run at once")->check(CLI::Range(1, 1024));
  fit->add_option("--max-evaluations", fit_options.max_evaluations, "Evaluations the optimiser may make")
      ->check(CLI::Range(5, 100000));
  fit->add_option("--warmup-years", fit_options.warmup_years,
                  "Years simulated before the council's first, to settle the model's start (default 6)")
      ->check(CLI::Range(1, 50));
  fit->add_option("--optimiser", fit_options.optimiser,
                  "bobyqa (default: Gauss-Newton steps on the misses, then NLopt's BOBYQA), or NLopt's sbplx, "
                  "neldermead or cobyla alone")
      ->check(CLI::IsMember({"bobyqa", "sbplx", "neldermead", "cobyla"}));
  fit->add_flag("--force", fit_options.force, "Replace an existing --out and its report");
  fit->add_flag("--quiet,-q", fit_options.quiet, "Print no progress lines");
  fit->allow_extras();
  fit->footer("The levers (each fitted in its range; see README \"Fitting a council\"):\n" + fit_lever_table() +
              "Exit code 1 when the optimiser does not converge (the best point is written with its misfit).\n"
              "Example:\n  frontdoor fit calibration/example_council_fictional.csv --out northbrook.toml -r 4 -j 2");

  ReportOptions report_options;
  report_options.targets = std::string(FRONTDOOR_SOURCE_ROOT) + "/calibration/england_targets.csv";
  CLI::App* report = app.add_subcommand("report", "Write one self-contained HTML report of a run or a comparison");
  report->add_option("dir", report_options.dir, "A directory written by frontdoor run or frontdoor compare")
      ->required()
      ->check(CLI::ExistingDirectory);
  report->add_option("--out,-o", report_options.out, "The HTML file (default: DIR/report.html)");
  report->add_option("--targets", report_options.targets, "England's figures to set the yearly table beside")
      ->check(CLI::ExistingFile);
  report->add_option("--pdf", report_options.pdf,
                     "Also print the page to this PDF with headless Chromium (A4, for a committee paper)");
  report->add_option("--xlsx", report_options.xlsx,
                     "Also write a comparison as this Excel workbook: the answer, every difference, costs by service "
                     "and placement type, the parameters");
  report->add_flag("--force", report_options.force, "Replace existing files");
  report->footer(
      "Example:\n  frontdoor compare scenarios/england_baseline.toml scenarios/policies/*.toml --out out/policies\n"
      "  frontdoor report out/policies --out policies.html --pdf policies.pdf --xlsx policies.xlsx");

  CLI::App* sweep =
      app.add_subcommand("sweep", "Parameter sweeps: plan, execute (locally or as Slurm array shards), merge");
  sweep->require_subcommand(1);
  SweepPlanOptions plan_options;
  CLI::App* plan = sweep->add_subcommand("plan", "Write the runs of a design: DIR/plan.csv and DIR/sweep.json");
  plan->add_option("scenario", plan_options.scenario, "Scenario file (TOML)")->required()->check(CLI::ExistingFile);
  plan->add_option("--out,-o", plan_options.out, "Sweep directory (absent or empty unless --force)")->required();
  plan->add_option("--vary", plan_options.vary, "key=lo:hi:n, repeatable (n: grid values, or Morris levels)");
  plan->add_option("--grid", plan_options.grid_file,
                   "A CSV of design points instead: a header of keys, a row per point")
      ->check(CLI::ExistingFile);
  plan->add_option("--design", plan_options.design, "grid, lhs, morris or sobol (a Saltelli design for Sobol indices)")
      ->check(CLI::IsMember({"grid", "lhs", "morris", "sobol"}));
  plan->add_option("--points", plan_options.points,
                   "lhs: design points; morris: trajectories; sobol: base points (N x (k + 2) runs)")
      ->check(CLI::Range(0, 1000000));
  plan->add_option("--replications,-r", plan_options.replications, "Replications of each point")
      ->check(CLI::Range(1, 100000));
  plan->add_option("--seed", plan_options.seed, "Base seed of the runs")->check(seed_check);
  plan->add_option("--design-seed", plan_options.design_seed, "Seed of the design's own draws (lhs, morris, sobol)")
      ->check(seed_check);
  plan->add_option("--set", plan_options.sets, "A fixed override for every run (repeatable)");
  plan->add_flag("--force", plan_options.force, "Replace an existing, non-empty directory");
  SweepExecOptions exec_options;
  std::string shard_text;
  CLI::App* exec =
      sweep->add_subcommand("exec", "Run the plan's rows (of one shard), each in its own process; resumable");
  exec->add_option("dir", exec_options.dir, "Sweep directory")->required()->check(CLI::ExistingDirectory);
  exec->add_option("--jobs,-j", exec_options.jobs, "Runs at once")->check(CLI::Range(1, 1024));
  exec->add_option("--shard", shard_text,
                   "i/N: run the rows with run_id % N == i (default: from SLURM_ARRAY_TASK_ID "
                   "and SLURM_ARRAY_TASK_COUNT, else all)");
  exec->add_flag("--quiet,-q", exec_options.quiet, "Print nothing but errors");
  exec->allow_extras();
  SweepMergeOptions merge_options;
  CLI::App* merge = sweep->add_subcommand("merge", "Gather the runs into DIR/results.csv and DIR/points.csv");
  merge->add_option("dir", merge_options.dir, "Sweep directory")->required()->check(CLI::ExistingDirectory);
  merge->add_flag("--allow-partial", merge_options.allow_partial, "Merge even with missing or failed runs (listed)");
  merge->add_flag("--quiet,-q", merge_options.quiet, "Print nothing but errors");
  SweepAnalyseOptions analyse_options;
  CLI::App* analyse =
      sweep->add_subcommand("analyse", "Rank the factors by their effect on outputs (Morris, Sobol, or SRC)");
  analyse->add_option("dir", analyse_options.dir, "Sweep directory, merged")->required()->check(CLI::ExistingDirectory);
  analyse->add_option("--outputs", analyse_options.outputs, "Measures of results.csv, comma-separated, or all")
      ->required()
      ->delimiter(',');
  SweepSlurmOptions slurm_options;
  slurm_options.program = argv[0];
  CLI::App* slurm =
      sweep->add_subcommand("slurm", "Write sbatch scripts: a job array of exec shards and a dependent merge");
  slurm->add_option("dir", slurm_options.dir, "Sweep directory (made by sweep plan)")
      ->required()
      ->check(CLI::ExistingDirectory);
  slurm->add_option("--array-size", slurm_options.array_size, "Array tasks (shards)")->check(CLI::Range(1, 100000));
  slurm->add_option("--cpus-per-task", slurm_options.cpus, "CPUs per task (runs at once in each)")
      ->check(CLI::Range(1, 1024));
  slurm->add_option("--partition", slurm_options.partition, "Slurm partition");
  slurm->add_option("--time", slurm_options.time, "Time limit per task, as Slurm writes it (e.g. 02:00:00)");
  sweep->footer(
      "Example:\n  frontdoor sweep plan scenarios/england_baseline.toml --out out/sweep "
      "--vary service.front_door.thresholds.referral=2.8:3.4:4 --vary need.up_per_year=... -r 5\n"
      "  frontdoor sweep exec out/sweep -j 2\n  frontdoor sweep merge out/sweep");

  ServeOptions serve_options;
  serve_options.scenario = default_scenario_path();
  CLI::App* serve = app.add_subcommand("serve", "Trainer mode: a local web page with levers, live runs and charts");
  serve
      ->add_option("scenario", serve_options.scenario,
                   "Scenario the levers change (TOML); default: the England baseline")
      ->check(CLI::ExistingFile);
  serve->add_option("--port,-p", serve_options.port, "Port (0: any free port, printed)")->check(CLI::Range(0, 65535));
  serve->add_option("--host", serve_options.host, "Address to listen on; the default serves this machine only");
  serve->add_option("--seed", serve_options.seed, "Base seed of every run (the same children and events in each)")
      ->check(seed_check);
  serve->add_option("--jobs,-j", serve_options.jobs, "Replications run at once, each in its own process")
      ->check(CLI::Range(1, 64));
  serve->add_option("--max-runs", serve_options.max_runs, "Runs served at once; more are told to retry (HTTP 503)")
      ->check(CLI::Range(1, 4));
  serve->add_option("--cache", serve_options.cache, "Replication results kept for settings asked for again")
      ->check(CLI::Range(0, 100000));
  serve->add_flag("--quiet,-q", serve_options.quiet, "Print only the address");
  serve->add_flag("!--no-prestart", serve_options.prestart, "Do not start the default run's baseline at start-up");
  serve->allow_extras();
  serve->footer("Open the address it prints in a browser. Example:\n  frontdoor serve --port 8080");
  ReplicateOptions replicate_options;
  CLI::App* replicate = app.add_subcommand("replicate", "");  // internal: one replication for frontdoor serve
  replicate->group("");
  replicate->add_option("scenario", replicate_options.scenario)->required()->check(CLI::ExistingFile);
  replicate->add_option("--out", replicate_options.out)->required();
  replicate->add_option("--seed", replicate_options.seed)->check(seed_check);
  replicate->add_option("--replication", replicate_options.replication)->check(CLI::Range(0, 100000));
  replicate->add_option("--replication-seed", replicate_options.replication_seed)->check(seed_check);
  replicate->add_option("--set", replicate_options.sets);
  replicate->add_option("--run-id", replicate_options.run_id)->check(CLI::Range(0, 100000000));
  replicate->add_flag("!--no-monthly", replicate_options.keep_monthly);
  replicate->allow_extras();

  if (const auto problem = non_utf8_argument(argc, argv)) return bad_input(*problem);
  std::vector<std::string> engine_args;
  try {
    app.parse(argc, argv);
    if (run->parsed()) engine_args = engine_args_from(run->remaining());
    if (compare->parsed()) compare_options.engine_args = engine_args_from(compare->remaining());
    if (seek->parsed()) seek_options.engine_args = engine_args_from(seek->remaining());
    if (fit->parsed()) fit_options.engine_args = engine_args_from(fit->remaining());
    if (serve->parsed()) serve_options.engine_args = engine_args_from(serve->remaining());
    if (replicate->parsed()) replicate_options.engine_args = engine_args_from(replicate->remaining());
    if (exec->parsed()) {
      exec_options.engine_args = engine_args_from(exec->remaining());
      if (!shard_text.empty()) {
        const auto slash = shard_text.find('/');
        try {
          if (slash == std::string::npos) throw std::invalid_argument("");
          std::size_t a = 0, b = 0;
          exec_options.shard_index = std::stoi(shard_text.substr(0, slash), &a);
          exec_options.shard_count = std::stoi(shard_text.substr(slash + 1), &b);
          if (a != slash || b != shard_text.size() - slash - 1 || exec_options.shard_count < 1 ||
              exec_options.shard_index < 0 || exec_options.shard_index >= exec_options.shard_count) {
            throw std::invalid_argument("");
          }
        } catch (const std::exception&) {
          return bad_input("--shard " + shard_text + ": expected i/N with 0 <= i < N, for example --shard 0/4");
        }
      }
    }
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return bad_input(std::string(e.what()) + "\nRun 'frontdoor --help' for usage.");
  }

  // Ctrl-C, SIGTERM and SIGHUP stop a command cleanly (sim/stop.hpp); trainer mode and its replications have
  // their own handling.
  if (!serve->parsed() && !replicate->parsed()) install_stop_handlers();
  try {
    if (run->parsed()) {
      int returns_replication = 0;
      if (run_returns_option->count() > 0) {
        const std::string problem = check_returns_flag(run_returns, replications, returns_replication);
        if (!problem.empty()) return bad_input(problem);
      }
      return command_run(run_args, out, seed, replications, jobs, years, force, quiet, verbose, engine_args,
                         command_line, returns_replication, run_precision);
    }
    if (seek->parsed()) return command_seek(seek_options);
    if (fit->parsed()) return command_fit(fit_options);
    if (compare->parsed()) {
      if (compare_returns_option->count() > 0) {
        const std::string problem =
            check_returns_flag(compare_returns, compare_options.replications, compare_options.returns_replication);
        if (!problem.empty()) return bad_input(problem);
      }
      compare_options.command_line = command_line;
      return command_compare(compare_options);
    }
    if (report->parsed()) return command_report(report_options);
    if (serve->parsed()) {
      serve_options.program = fs::canonical("/proc/self/exe").string();
      return command_serve(serve_options);
    }
    if (replicate->parsed()) return command_replicate(replicate_options);
    if (plan->parsed()) return command_sweep_plan(plan_options);
    if (exec->parsed()) return command_sweep_exec(exec_options);
    if (merge->parsed()) return command_sweep_merge(merge_options);
    if (analyse->parsed()) return command_sweep_analyse(analyse_options);
    if (slurm->parsed()) {
      slurm_options.program = fs::canonical("/proc/self/exe").string();
      return command_sweep_slurm(slurm_options);
    }
    if (validate->parsed() && schema) {
      write_schema(std::cout, schema_format == "csv" ? SchemaFormat::csv : SchemaFormat::markdown);
      return 0;
    }
    if (validate->parsed() && validate_args.scenario.empty()) {
      return bad_input("scenario is required\nRun 'frontdoor --help' for usage.");
    }
    if (validate->parsed()) return command_validate(validate_args);
    if (calibrate->parsed()) {
      return command_check_calibration(calibration_run, targets_path, first_year, council_path, council_year);
    }
    if (graph->parsed()) {
      if (graph_options.scenario.empty() == graph_options.run_dir.empty()) {
        return bad_input("graph needs either a SCENARIO or --run DIR (not both)");
      }
      return command_graph(graph_options);
    }
  } catch (const ScenarioError& e) {
    return bad_input(e.what());
  } catch (const OutputError& e) {
    return bad_input(e.what());
  } catch (const Stopped& e) {
    std::cerr << "frontdoor: " << e.what() << "; stopped its processes and removed what it had not finished\n";
    return e.exit_code();
  } catch (const std::exception& e) {  // a WriteError (a full disk, say) among them: exit 1
    std::cerr << "frontdoor: error: " << e.what() << "\n";
    return exit_run_failed;
  }
  return exit_bad_input;
}

}  // namespace frontdoor
