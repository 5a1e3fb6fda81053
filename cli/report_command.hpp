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
  std::string pdf;      ///< also print the page to this PDF (headless Chromium); empty: none
  std::string xlsx;     ///< also write a comparison as this workbook (libxlsxwriter); empty: none
  bool force = false;   ///< replace an existing file
};

/// Returns the exit code: 0; 2 (not a run or compare directory, an existing file without --force, --xlsx of a
/// directory that is not a comparison, --pdf without Chromium); 1 (writing or printing failed).
int command_report(const ReportOptions& options);

}  // namespace frontdoor
