// `frontdoor report --xlsx` and `--pdf`: the workbook's sheets and cells (read back from the zip with zlib), the
// same bytes twice, and bad input (an existing file, a workbook of a run, no Chromium) is exit 2 with nothing
// written. The PDF's pages are looked at as images in the browser test.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "test_support.hpp"

using frontdoor::test_support::frontdoor_cli;
using frontdoor::test_support::Outcome;
using frontdoor::test_support::read_file;
using frontdoor::test_support::TempDir;
namespace fs = std::filesystem;

namespace {

std::uint32_t le(const std::string& b, std::size_t at, int bytes) {
  std::uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b.at(at + i));
  return v;
}

// Every file in a zip, by name, inflated (through its central directory).
std::map<std::string, std::string> unzip(const std::string& zip) {
  std::map<std::string, std::string> files;
  const std::size_t end = zip.rfind(std::string("PK\x05\x06", 4));
  if (end == std::string::npos) return files;
  const std::uint32_t entries = le(zip, end + 10, 2);
  std::size_t at = le(zip, end + 16, 4);
  for (std::uint32_t e = 0; e < entries; ++e) {
    if (le(zip, at, 4) != 0x02014b50) break;
    const std::uint32_t method = le(zip, at + 10, 2), packed = le(zip, at + 20, 4), size = le(zip, at + 24, 4);
    const std::uint32_t name_length = le(zip, at + 28, 2), extra = le(zip, at + 30, 2), comment = le(zip, at + 32, 2);
    const std::uint32_t local = le(zip, at + 42, 4);
    const std::string name = zip.substr(at + 46, name_length);
    const std::size_t data = local + 30 + le(zip, local + 26, 2) + le(zip, local + 28, 2);
    std::string out(size, '\0');
    if (method == 0) {
      out = zip.substr(data, size);
    } else {
      z_stream z{};
      inflateInit2(&z, -MAX_WBITS);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zip.data() + data));
      z.avail_in = packed;
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = size;
      inflate(&z, Z_FINISH);
      inflateEnd(&z);
    }
    files[name] = out;
    at += 46 + name_length + extra + comment;
  }
  return files;
}

}  // namespace

TEST(ReportFiles, AComparisonsWorkbookHasTheAnswerDifferencesCostsAndParameters) {
  TempDir dir;
  const fs::path out = dir.path() / "cmp";
  const Outcome o = frontdoor_cli(
      "compare scenarios/england_baseline.toml scenarios/policies/early_help_2m.toml "
      "-q -y 4 -r 2 -j 2 --out " +
          out.string(),
      dir);
  ASSERT_EQ(o.code, 0) << o.err;
  const fs::path xlsx = dir.path() / "policies.xlsx";
  const Outcome r = frontdoor_cli("report " + out.string() + " --xlsx " + xlsx.string(), dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Workbook written to"), std::string::npos);
  const std::string bytes = read_file(xlsx);
  const auto files = unzip(bytes);
  ASSERT_TRUE(files.count("xl/workbook.xml")) << "not a workbook: " << files.size() << " files";
  const std::string& book = files.at("xl/workbook.xml");
  for (const char* sheet : {"Answer", "Differences", "Costs", "Parameters"}) {
    EXPECT_NE(book.find(std::string("name=\"") + sheet + "\""), std::string::npos) << sheet;
  }
  const std::string& strings = files.at("xl/sharedStrings.xml");
  // The answer: the description, what it changes (the early-help budget, in words) and the headline cards.
  EXPECT_NE(strings.find("2 million pounds a year more early help"), std::string::npos);
  EXPECT_NE(strings.find("service.early_help.team.budget_gbp"), std::string::npos);
  EXPECT_NE(strings.find("Children entering care a year"), std::string::npos);
  // Costs by placement type and by service, and the pooled years.
  EXPECT_NE(strings.find("foster care"), std::string::npos);
  EXPECT_NE(strings.find("placement type"), std::string::npos);
  EXPECT_NE(strings.find("early help"), std::string::npos);
  EXPECT_NE(strings.find("years 4-4 pooled"), std::string::npos);
  // Numbers are cells with a number format, not text: the budget's difference is a money cell.
  const std::string& answer = files.at("xl/worksheets/sheet1.xml");
  EXPECT_NE(answer.find("<v>"), std::string::npos);
  EXPECT_NE(files.at("xl/styles.xml").find("£#,##0"), std::string::npos);
  // The parameters side by side: the budget differs.
  const std::string& parameters = files.at("xl/worksheets/sheet4.xml");
  EXPECT_NE(parameters.find("autoFilter"), std::string::npos);
  // No clock date: the same bytes again.
  ASSERT_EQ(
      frontdoor_cli("report " + out.string() + " --force --xlsx " + (dir.path() / "again.xlsx").string(), dir).code, 0);
  EXPECT_EQ(read_file(dir.path() / "again.xlsx"), bytes);
  EXPECT_NE(files.at("docProps/core.xml").find("1980-01-01T00:00:00Z"), std::string::npos);

  // Bad input: exit 2, nothing written (not even the HTML).
  const fs::path html = dir.path() / "fresh.html";
  EXPECT_EQ(frontdoor_cli("report " + out.string() + " --out " + html.string() + " --xlsx " + xlsx.string(), dir).code,
            2);  // the workbook exists
  EXPECT_FALSE(fs::exists(html));
  const Outcome of_run = frontdoor_cli("report " + (out / "runs" / "england_baseline").string() + " --out " +
                                           html.string() + " --xlsx " + (dir.path() / "run.xlsx").string(),
                                       dir);
  EXPECT_EQ(of_run.code, 2);
  EXPECT_NE(of_run.err.find("--xlsx writes a comparison's workbook"), std::string::npos) << of_run.err;
  EXPECT_FALSE(fs::exists(html));
  EXPECT_FALSE(fs::exists(dir.path() / "run.xlsx"));
  const Outcome no_dir =
      frontdoor_cli("report " + out.string() + " --out " + html.string() + " --pdf /no/such/dir/x.pdf", dir);
  EXPECT_EQ(no_dir.code, 2);
  EXPECT_NE(no_dir.err.find("--pdf /no/such/dir/x.pdf: no directory"), std::string::npos) << no_dir.err;
  EXPECT_FALSE(fs::exists(html));
}

TEST(ReportFiles, APdfWithoutChromiumSaysSoAndWritesNothing) {
  TempDir dir;
  const fs::path out = dir.path() / "run";
  ASSERT_EQ(
      frontdoor_cli(
          "run " + std::string("scenarios/validation/mmc_front_door.toml") + " -q -y 2 -r 1 --out " + out.string(), dir)
          .code,
      0);
  const fs::path html = dir.path() / "r.html";
  const Outcome o =
      frontdoor_cli("report " + out.string() + " --out " + html.string() + " --pdf " + (dir.path() / "r.pdf").string(),
                    dir, "FRONTDOOR_CHROMIUM= PATH=/nonexistent ");
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("install the chromium package"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(html));
  EXPECT_FALSE(fs::exists(dir.path() / "r.pdf"));
}
