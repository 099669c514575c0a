// The shared conventions: frame ranges, frame store naming, the parallel loop, option tables
// and their value parsers, enum names, JSON.
#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>

#include "core/enum_names.hpp"
#include "core/errors.hpp"
#include "core/frame_range.hpp"
#include "core/frame_stage_options.hpp"
#include "core/frame_store.hpp"
#include "core/json.hpp"
#include "core/option_table.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "core/value_parsers.hpp"
#include "support/test_support.hpp"

using namespace s3d;
using s3d::test::TempDir;

TEST_CASE("FrameRange parses half-open ranges and rejects bad ones", "[unit]") {
  auto r = FrameRange::parse("10:20");
  CHECK(r.start == 10);
  CHECK(r.end == 20);
  CHECK(r.contains(10));
  CHECK_FALSE(r.contains(20));
  CHECK(FrameRange::parse("5:").is_open());
  CHECK(FrameRange::parse("5:").start == 5);
  CHECK(FrameRange::parse(":7").start == 0);
  CHECK(FrameRange::parse(":7").end == 7);
  CHECK(FrameRange::parse("").is_open());
  CHECK(FrameRange::parse("3:3").contains(3) == false);
  for (const char* bad : {"7", "a:b", "-1:5", "5:2", "1:2:3", "1.5:3"}) {
    INFO(bad);
    CHECK_THROWS_AS(FrameRange::parse(bad), UsageError);
  }
}

TEST_CASE("frame file names sort lexicographically in frame order", "[unit]") {
  CHECK(frame_filename(123, ".png") == "000123.png");
  CHECK(frame_filename(0, ".jpg") == "000000.jpg");
  CHECK(frame_filename(999999, ".png") == "999999.png");
  CHECK_THROWS_AS(frame_filename(1000000, ".png"), Error);
  CHECK(frame_filename(9, ".png") < frame_filename(10, ".png"));
  CHECK(parse_frame_filename("000123.png") == 123);
  CHECK(parse_frame_filename("000123.JPG") == 123);
  CHECK_FALSE(parse_frame_filename("123.png"));
  CHECK_FALSE(parse_frame_filename(".000123.png.tmp42-0"));
  CHECK_FALSE(parse_frame_filename("000123.txt"));
}

TEST_CASE("list_frames sorts, ignores temp files and refuses a doubly stored frame", "[unit]") {
  TempDir dir;
  for (int i : {3, 1, 2}) std::ofstream(frame_path(dir.path(), i, ".png")) << "frame";
  std::ofstream(dir / ".000004.png.tmp1-0") << "partial";
  std::ofstream(dir / "notes.txt") << "x";
  auto frames = list_frames(dir.path());
  REQUIRE(frames.size() == 3);
  CHECK(frames[0].index == 1);
  CHECK(frames[2].index == 3);
  CHECK(frames_in_range(frames, FrameRange::parse("2:3")).size() == 1);
  CHECK(find_frame(dir.path(), 2).has_value());
  CHECK_FALSE(find_frame(dir.path(), 4).has_value());

  std::ofstream(frame_path(dir.path(), 2, ".jpg")) << "frame";
  CHECK_THROWS_WITH(list_frames(dir.path()), Catch::Contains("frame 2 is stored twice"));
  CHECK_THROWS_WITH(list_frames(dir / "missing"), Catch::Contains("missing"));
}

TEST_CASE("parallel_for runs every item once and rethrows the first failure", "[unit]") {
  std::vector<std::atomic<int>> hits(1000);
  int64_t last_done = 0;
  parallel_for(1000, 4, [&](int64_t i) { hits[i]++; }, [&](int64_t done) { last_done = done; });
  for (auto& h : hits) REQUIRE(h == 1);
  CHECK(last_done == 1000);

  std::atomic<int> ran{0};
  CHECK_THROWS_WITH(parallel_for(100, 2,
                                 [&](int64_t i) {
                                   ++ran;
                                   if (i == 10) throw Error("frame 10 broke");
                                 }),
                    "frame 10 broke");
  CHECK(ran < 100);  // hand-out stopped after the failure
}

TEST_CASE("durations format as H:MM:SS", "[unit]") {
  CHECK(StderrProgress::format_duration(0) == "0:00:00");
  CHECK(StderrProgress::format_duration(3725) == "1:02:05");
  CHECK(StderrProgress::format_duration(-1) == "?:??:??");
}

TEST_CASE("summary lines give throughput in fps and time per frame in s/frame, 3 significant digits", "[unit]") {
  CHECK(significant(32.258, 3) == "32.3");
  CHECK(significant(0.031, 3) == "0.0310");
  CHECK(significant(1234.4, 3) == "1234");
  CHECK(significant(2.5, 3) == "2.50");
  CHECK(frame_rate_text(120, 4.0) == "30.0 fps, 0.0333 s/frame");
  CHECK(frame_rate_text(3, 12.0) == "0.250 fps, 4.00 s/frame");  // a slow network on a CPU
  CHECK(frame_rate_text(0, 4.0).empty());
  CHECK(timing_text(120, 4.0) == "4.00 s (30.0 fps, 0.0333 s/frame)");
  CHECK(timing_text(0, 0.5) == "0.50 s");
  CHECK(frame_summary(100, "packed (hsbs, left-first)", 20, 3.1) ==
        "100 frames packed (hsbs, left-first), 20 already present, 3.10 s (32.3 fps, 0.0310 s/frame)");
  CHECK(frame_summary(0, "extracted", 6, 0.01) == "0 frames extracted, 6 already present, 0.01 s");
}

TEST_CASE("value parsers refuse what is not a plain finite number, naming the option", "[unit]") {
  CHECK(parse_integer("42", "--n") == 42);
  CHECK(parse_integer("-3", "--n") == -3);
  CHECK(parse_real("0.5", "--x") == 0.5);
  CHECK(parse_real("+2", "--x") == 2);
  CHECK(parse_real("1e-3", "--x") == 1e-3);
  CHECK(parse_unsigned("18446744073709551615", "--seed") == UINT64_MAX);
  for (const char* bad : {"", "nan", "NaN", "inf", "-inf", "1e999", "12abc", "1.5.2", " 1", "0x10", "--2"}) {
    INFO("'" << bad << "'");
    CHECK_THROWS_WITH(parse_real(bad, "--parallax"), Catch::StartsWith("--parallax: expected") && Catch::Contains(bad));
  }
  for (const char* bad : {"", "1.5", "99999999999999999999", "x", "1e3"}) {
    INFO("'" << bad << "'");
    CHECK_THROWS_AS(parse_integer(bad, "--threads"), UsageError);
  }
  CHECK_THROWS_AS(parse_unsigned("-1", "--seed"), UsageError);
  CHECK(format_real(0.05) == "0.05");
  CHECK(format_real(15.0f) == "15");
  CHECK(format_real(0.1f) == "0.1");
}

TEST_CASE("enum names parse, name, and list their alternatives", "[unit]") {
  enum class Colour { kRed, kGreen, kBlue };
  const EnumNames<Colour> names = {{Colour::kRed, "red"}, {Colour::kGreen, "green"}, {Colour::kBlue, "blue"}};
  CHECK(names.parse("green", "--colour") == Colour::kGreen);
  CHECK(names.name(Colour::kBlue) == "blue");
  CHECK(names.choices() == "red|green|blue");
  CHECK_THROWS_WITH(names.parse("pink", "--colour"), "--colour: expected red, green or blue, got 'pink'");
  for (const auto& item : names.items()) CHECK(names.parse(item.name, "--colour") == item.value);
}

namespace {

// An options struct as a stage declares one.
struct Sample : FrameStageOptions {
  fs::path in;
  int quality = 95;
  double alpha = 0.05;
  std::optional<int> crf;
  std::string kind = "png";
  bool loud = false;
  static const OptionTable<Sample>& table() {
    static const auto t = OptionTable<Sample>()
                              .path("in", &Sample::in, "input", Need::kRequired, "DIR")
                              .number("quality", &Sample::quality, Bounds{1, 100}, "quality")
                              .number("alpha", &Sample::alpha, Bounds{0, 1, true, false}, "alpha", "A")
                              .number("crf", &Sample::crf, Bounds{0, 51}, "crf")
                              .one_of("kind", &Sample::kind, {"png", "jpg"}, "kind")
                              .flag("loud", &Sample::loud, "loud")
                              .include(FrameStageOptions::table());
    return t;
  }
};

const OptionTable<Sample>::Entry& entry(const std::string& name) {
  for (const auto& e : Sample::table().entries())
    if (e.name == name) return e;
  FAIL("no entry --" << name);
  throw;
}

}  // namespace

TEST_CASE("an option table binds each option once: parse, default, range check", "[unit]") {
  Sample s;
  // Defaults come from the struct's initializers.
  CHECK(entry("quality").show(s) == "95");
  CHECK(entry("alpha").show(s) == "0.05");
  CHECK(entry("crf").show(s).empty());
  CHECK(entry("range").show(s).empty());
  CHECK(entry("threads").show(s) == "0");
  CHECK(entry("quality").accepted == "1..100");
  CHECK(entry("alpha").accepted == "(0, 1]");
  CHECK(entry("kind").accepted == "png|jpg");
  CHECK(entry("in").required);
  CHECK(entry("loud").is_flag());

  // Text lands in the fields, through the base struct's entries too.
  entry("in").set(s, "frames");
  entry("quality").set(s, "80");
  entry("alpha").set(s, "1");
  entry("crf").set(s, "20");
  entry("kind").set(s, "jpg");
  entry("loud").set(s, "");
  entry("range").set(s, "10:20");
  entry("force").set(s, "");
  entry("threads").set(s, "3");
  CHECK(s.in == "frames");
  CHECK(s.quality == 80);
  CHECK(s.alpha == 1.0);
  CHECK(s.crf == 20);
  CHECK(s.kind == "jpg");
  CHECK(s.loud);
  CHECK(s.range.start == 10);
  CHECK(s.range.end == 20);
  CHECK(s.force);
  CHECK(s.threads == 3);
  CHECK_NOTHROW(Sample::table().check(s));

  // One range check per option, with messages that name it and its range.
  auto refused = [](auto change, const auto& message) {
    Sample bad;
    bad.in = "x";
    change(bad);
    CHECK_THROWS_WITH(Sample::table().check(bad), message);
  };
  refused([](Sample& b) { b.quality = 0; }, "--quality: expected 1..100, got 0");
  refused([](Sample& b) { b.alpha = 0; }, "--alpha: expected (0, 1], got 0");
  refused([](Sample& b) { b.alpha = NAN; }, Catch::Contains("--alpha: expected (0, 1]"));
  refused([](Sample& b) { b.crf = 52; }, "--crf: expected 0..51, got 52");
  refused([](Sample& b) { b.kind = "gif"; }, "--kind: expected png or jpg, got 'gif'");
  refused([](Sample& b) { b.threads = -1; }, "--threads: expected 0..1024, got -1");
  refused([](Sample& b) { b.in.clear(); }, "missing required option --in (see --help)");
  CHECK_THROWS_WITH(entry("quality").set(s, "nan"), "--quality: expected an integer, got 'nan'");
  CHECK_THROWS_WITH(entry("quality").set(s, "99999999999"), Catch::Contains("--quality: expected 1..100"));
  CHECK_THROWS_WITH(entry("alpha").set(s, "inf"), Catch::Contains("--alpha: expected a finite number"));
  CHECK_THROWS_AS(entry("range").set(s, "5"), UsageError);
}

TEST_CASE("JSON documents round-trip, escape, and report errors with their place", "[unit]") {
  json::Value doc = json::Value::object();
  doc.set("name", "a \"quoted\"\\ name\n\x01")
      .set("frame", int64_t{123456789012})
      .set("ratio", 0.1)
      .set("ok", true)
      .set("none", json::Value())
      .set("list", json::Value::array().push(1).push("two"));
  const std::string text = json::dump(doc);
  CHECK(text.find("\\u0001") != std::string::npos);
  const json::Value back = json::parse(text, "test");
  const json::ObjectReader r(back, "doc");
  CHECK(r.string("name") == "a \"quoted\"\\ name\n\x01");
  CHECK(r.integer("frame") == 123456789012);
  CHECK(r.real("ratio") == 0.1);  // shortest form reads back exactly
  CHECK(r.boolean("ok"));
  CHECK(back.find("none")->is_null());
  REQUIRE(back.find("list")->items().size() == 2);
  CHECK(back.find("list")->items()[1].as_string() == "two");
  CHECK(json::dump(back) == text);  // key order kept
  CHECK(json::parse("\"caf\\u00e9 \\ud83d\\ude00\"", "u").as_string() == "caf\u00e9 \U0001F600");

  CHECK_THROWS_WITH(r.real("name"), Catch::StartsWith("doc: key 'name': expected a number, got the string \""));
  CHECK_THROWS_WITH(r.string("missing"), "doc: missing key 'missing'");
  CHECK_THROWS_WITH(json::parse("{\"a\": 1,}", "f.json"), Catch::StartsWith("f.json: not valid JSON: expected '\"'"));
  CHECK_THROWS_WITH(json::parse("[1, 2", "f.json"), Catch::Contains("at byte 5"));
  CHECK_THROWS_AS(json::parse("{} x", "f.json"), Error);
  CHECK_THROWS_AS(json::parse(std::string(500, '['), "deep.json"), Error);
}
