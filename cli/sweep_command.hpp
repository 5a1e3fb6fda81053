#pragma once
// `frontdoor sweep plan|exec|merge`: parameter sweeps for researchers. plan writes one row per run (design
// point x replication, with its seed and overrides); exec runs the rows of a shard, each in its own process,
// skipping those already done (so a killed sweep resumes) and recording failures; merge gathers the results into
// one tidy table and a per-point summary, refusing to pretend when runs are missing.
#include <cstdint>
#include <string>
#include <vector>

namespace frontdoor {

struct SweepPlanOptions {
  std::string scenario;
  std::string out;
  std::vector<std::string> vary;  ///< key=lo:hi:n
  std::string grid_file;          ///< alternatively, a CSV of design points
  std::string design = "grid";    ///< grid, lhs or morris
  int points = 0;                 ///< lhs: points; morris: trajectories
  int replications = 1;
  std::uint64_t seed = 1;
  std::uint64_t design_seed = 1;
  std::vector<std::string> sets;  ///< fixed overrides for every run
  bool force = false;
};

struct SweepExecOptions {
  std::string dir;
  int jobs = 1;
  int shard_index = 0;
  int shard_count = 0;  ///< 0: from SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT, else the whole plan
  bool quiet = false;
  std::vector<std::string> engine_args;
};

struct SweepMergeOptions {
  std::string dir;
  bool allow_partial = false;
  bool quiet = false;
};

struct SweepAnalyseOptions {
  std::string dir;
  std::vector<std::string> outputs;  ///< measures of results.csv
};

int command_sweep_analyse(const SweepAnalyseOptions& options);

struct SweepSlurmOptions {
  std::string dir;
  int array_size = 100;  ///< array tasks (shards), at most the number of runs
  int cpus = 1;          ///< CPUs per task (sweep exec --jobs)
  std::string partition;
  std::string time;     ///< per task, Slurm's format (e.g. 01:00:00)
  std::string program;  ///< the frontdoor binary the jobs run
};
/// Writes DIR/slurm/exec.sbatch (a job array of sweep exec shards), merge.sbatch (a dependent merge) and submit.sh.
int command_sweep_slurm(const SweepSlurmOptions& options);
int command_sweep_plan(const SweepPlanOptions& options);
int command_sweep_exec(const SweepExecOptions& options);
int command_sweep_merge(const SweepMergeOptions& options);

}  // namespace frontdoor
