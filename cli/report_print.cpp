#include "cli/report_print.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "cli/external_program.hpp"
#include "cli/scratch_dir.hpp"
#include "sim/output_files.hpp"

namespace fs = std::filesystem;

namespace frontdoor {

namespace {

// A4's printable width at 96 pixels an inch, with the page's 12 mm margins (report.html's @page): 186 mm.
constexpr int printable_width_px = 703;
constexpr int page_height_px = 1123;

// Chromium dates the PDF ("/CreationDate (D:20261130125653+00'00')"): the same fixed date instead, of the same
// length, so that the cross-reference table's byte offsets stay right.
void fix_dates(std::string& pdf) {
  for (const std::string key : {"/CreationDate (D:", "/ModDate (D:"}) {
    for (std::size_t at = pdf.find(key); at != std::string::npos; at = pdf.find(key, at + 1)) {
      const std::size_t digits = at + key.size();
      for (std::size_t i = 0; i < 14 && digits + i < pdf.size(); ++i) {
        if (pdf[digits + i] < '0' || pdf[digits + i] > '9') break;
        pdf[digits + i] = "19800101000000"[i];
      }
    }
  }
}

}  // namespace

std::string find_chromium() {
  if (const char* chosen = std::getenv("FRONTDOOR_CHROMIUM"); chosen != nullptr && *chosen != '\0') return chosen;
  for (const char* name : {"chromium", "chromium-browser"}) {
    const std::string path = find_on_path(name);
    if (!path.empty()) return path;
  }
  return "";
}

std::string print_pdf(const std::string& html, const std::string& chromium) {
  const ScratchDir scratch("frontdoor-pdf");
  const fs::path page = scratch.path() / "report.html";
  const fs::path pdf = scratch.path() / "report.pdf";
  write_file_atomically(page, html);
  const bool printed =
      run_program({chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                   "--hide-scrollbars", "--no-pdf-header-footer", "--virtual-time-budget=20000",
                   "--window-size=" + std::to_string(printable_width_px) + "," + std::to_string(page_height_px),
                   "--user-data-dir=" + (scratch.path() / "profile").string(), "--print-to-pdf=" + pdf.string(),
                   "file://" + page.string()},
                  {"TZ=UTC"});
  if (!printed || !fs::exists(pdf) || fs::file_size(pdf) == 0) {
    throw std::runtime_error(chromium + " did not print the page to PDF");
  }
  std::ifstream in(pdf, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::string out = bytes.str();
  if (out.rfind("%PDF-", 0) != 0) throw std::runtime_error(chromium + " wrote something that is not a PDF");
  fix_dates(out);
  return out;
}

}  // namespace frontdoor
