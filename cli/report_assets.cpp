// The HTML report's template (report/report.html), the trainer's page of `frontdoor serve` (report/trainer.html) and
// chart library (ECharts, from npm: report/package-lock.json), embedded in the program at build time with the
// assembler's .incbin, so that a report never needs the network.
#include "cli/report_assets.hpp"

#include <string>

__asm__(
    ".section .rodata\n"
    ".balign 16\n"
    "frontdoor_echarts_start:\n"
    ".incbin \"" FRONTDOOR_ECHARTS_JS
    "\"\n"
    "frontdoor_echarts_end:\n"
    ".balign 16\n"
    "frontdoor_template_start:\n"
    ".incbin \"" FRONTDOOR_REPORT_TEMPLATE
    "\"\n"
    "frontdoor_template_end:\n"
    ".balign 16\n"
    "frontdoor_trainer_start:\n"
    ".incbin \"" FRONTDOOR_TRAINER_PAGE
    "\"\n"
    "frontdoor_trainer_end:\n"
    ".balign 16\n"
    "frontdoor_format_start:\n"
    ".incbin \"" FRONTDOOR_FORMAT_JS
    "\"\n"
    "frontdoor_format_end:\n"
    ".previous\n"
    ".global frontdoor_echarts_start, frontdoor_echarts_end, frontdoor_template_start, frontdoor_template_end\n"
    ".global frontdoor_trainer_start, frontdoor_trainer_end, frontdoor_format_start, frontdoor_format_end\n");

extern "C" const char frontdoor_echarts_start[], frontdoor_echarts_end[], frontdoor_template_start[],
    frontdoor_template_end[], frontdoor_trainer_start[], frontdoor_trainer_end[], frontdoor_format_start[],
    frontdoor_format_end[];

namespace frontdoor {

std::string_view chart_library_js() {
  return {frontdoor_echarts_start, static_cast<std::size_t>(frontdoor_echarts_end - frontdoor_echarts_start)};
}

std::string_view report_template_html() {
  return {frontdoor_template_start, static_cast<std::size_t>(frontdoor_template_end - frontdoor_template_start)};
}

std::string_view trainer_page_html() {
  return {frontdoor_trainer_start, static_cast<std::size_t>(frontdoor_trainer_end - frontdoor_trainer_start)};
}

std::string with_formatting(std::string_view page) {
  std::string html(page);
  const std::string mark = "/*FORMAT*/";
  const auto at = html.find(mark);
  if (at != std::string::npos) {
    html.replace(at, mark.size(), frontdoor_format_start,
                 static_cast<std::size_t>(frontdoor_format_end - frontdoor_format_start));
  }
  return html;
}

}  // namespace frontdoor
