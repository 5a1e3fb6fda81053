#pragma once
// `frontdoor report`: one self-contained HTML file (data and chart library inlined) for a run or a compare
// directory: monthly series with confidence bands, the yearly table beside England's figures, caseloads, costs
// and a Sankey of flows; for a compare, the alternatives beside the base and their differences with CIs.
#include <string>

namespace frontdoor {

struct ReportOptions {
  std::string dir;      ///< a run directory or a compare directory
  std::string out;      ///< the HTML file; default DIR/report.html
  std::string targets;  ///< the calibration targets (England's figures)
  bool force = false;   ///< replace an existing file
};

/// Returns the exit code: 0, or 2 (not a run or compare directory, an existing file without --force).
int command_report(const ReportOptions& options);

}  // namespace frontdoor
