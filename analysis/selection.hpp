#pragma once
// Ranking and selection: which of k alternatives is best on one measure, with a stated probability of correct
// selection. The fully sequential procedure KN of Kim and Nelson (2001), valid with common random numbers (it
// works on the variances of the pairwise differences): after a first stage of n0 replications of each system,
// one more replication of every surviving system at a time, and a system is eliminated as soon as another's
// mean beats it by more than the continuation region allows. When one survives, it is the best (its mean better
// by at least the indifference zone delta than any other's) with probability at least 1 - alpha. Plain C++,
// tested on systems whose best is known.
#include <string>
#include <vector>

namespace frontdoor {

struct Selection {
  bool decided = false;            ///< one system survived (else the replications ran out first)
  int best = -1;                   ///< the survivor; undecided: the best mean among the survivors
  std::vector<int> eliminated_at;  ///< per system: the replication count at which it was eliminated; 0: survived
  std::vector<double> means;       ///< per system: its mean over the replications it used
  int replications = 0;            ///< of the survivors (the stage the procedure reached)
  int needed_at_most = 0;          ///< the most any pair could need: the procedure ends by then
};

/// KN on `outputs[i][r]` (system i's output in replication r, all systems on the same seeds r), reading them in
/// order as if they came one replication at a time. `n0` >= 2 first-stage replications, `alpha` (0.05: a 95%
/// probability of correct selection), `delta` > 0 the indifference zone in the measure's unit, `maximise` whether
/// more is better. Systems may have different numbers of outputs; a system runs out where its outputs end.
Selection kn_select(const std::vector<std::vector<double>>& outputs, int n0, double alpha, double delta, bool maximise);

/// KN's constants: eta = ((2 alpha / (k - 1))^(-2 / (n0 - 1)) - 1) / 2, h^2 = 2 eta (n0 - 1).
double kn_h_squared(int systems, int n0, double alpha);

}  // namespace frontdoor
