#pragma once
// Files embedded in the program for `frontdoor report` and `frontdoor serve` (see report_assets.cpp).
#include <string>
#include <string_view>

namespace frontdoor {

/// ECharts' minified library (Apache-2.0), the version pinned in report/package-lock.json.
std::string_view chart_library_js();
/// report/report.html, with /*ECHARTS*/ and /*DATA*/ still to fill in.
std::string_view report_template_html();

/// report/trainer.html: the page of `frontdoor serve`, which loads the chart library from /echarts.min.js.
std::string_view trainer_page_html();

/// `page` with report/format.js (the number formatting both pages share) in place of its /*FORMAT*/ mark.
std::string with_formatting(std::string_view page);

}  // namespace frontdoor
