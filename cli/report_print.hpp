#pragma once
// `frontdoor report ... --pdf FILE`: the report's page printed to PDF by headless Chromium (Debian's `chromium`),
// A4 portrait, laid out at the printable width so that every chart is drawn to fit the page.
#include <string>

namespace frontdoor {

/// The Chromium to print with: $FRONTDOOR_CHROMIUM if set, else `chromium` or `chromium-browser` on PATH; "" when
/// there is none.
std::string find_chromium();

/// The PDF's bytes for the page `html` (a whole self-contained HTML file), printed by `chromium`. The clock dates
/// Chromium writes into the PDF are replaced by a fixed one, so the same page gives the same bytes. Throws
/// std::runtime_error if Chromium fails or writes no PDF; a stop signal ends Chromium and throws Stopped.
std::string print_pdf(const std::string& html, const std::string& chromium);

}  // namespace frontdoor
