// Makefile.pipeline's `slurm` target on a real Slurm: a one-node cluster started for each test
// (scripts/slurm/local-cluster.sh: munge, slurmctld, slurmd, a generated slurm.conf in a
// temporary folder), a 3-chunk conversion submitted as a job array and a join, compared byte
// for byte with the `make` run of the same clip; and a task cancelled (scancel) while it runs,
// redone by a re-submission. Skipped, saying why, only where Slurm cannot start (not root, not
// installed); S3D_REQUIRE_SLURM=1 (as CI sets) makes that a failure.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "support/pipeline_helpers.hpp"
#include "support/skip.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using s3d::test::run_program;
using s3d::test::TempDir;
using namespace s3d::pipeline_test;

namespace {

constexpr int kSlurmChunk = 40;  // kFrames = 120: three chunks

std::string file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A one-node cluster in `dir` for the lifetime of this object; SLURM_CONF points at it.
class LocalCluster {
 public:
  explicit LocalCluster(const fs::path& dir) : dir_(dir) {
    const auto r = run_program("bash", {script(), "start", dir.string(), "2"});
    status_ = r.exit_code;
    why_ = r.err;
    if (status_ == 0) ::setenv("SLURM_CONF", (dir / "slurm.conf").c_str(), 1);
  }
  ~LocalCluster() {
    run_program("bash", {script(), "stop", dir_.string()});
    ::unsetenv("SLURM_CONF");
  }
  int status() const { return status_; }  // 0 up, 3 Slurm cannot run here, else a failure
  const std::string& why() const { return why_; }
  std::string log(const std::string& name) const { return file_bytes(dir_ / "log" / name); }

 private:
  static std::string script() { return (s3d::test::source_dir() / "scripts/slurm/local-cluster.sh").string(); }
  fs::path dir_;
  int status_ = -1;
  std::string why_;
};

bool slurm_required() {
  const char* v = std::getenv("S3D_REQUIRE_SLURM");
  return v && *v && std::string(v) != "0";
}

// Starts the cluster, or skips (fails under S3D_REQUIRE_SLURM=1) when Slurm cannot run here.
#define S3D_START_SLURM(cluster)                                                                    \
  do {                                                                                              \
    INFO((cluster).why());                                                                          \
    if ((cluster).status() == 3) {                                                                  \
      if (slurm_required()) FAIL("Slurm cannot start, and S3D_REQUIRE_SLURM=1: " << (cluster).why()); \
      S3D_SKIP("Slurm cannot start here: " << (cluster).why());                                     \
    }                                                                                               \
    REQUIRE((cluster).status() == 0);                                                               \
  } while (false)

std::vector<std::string> slurm_args(const fs::path& clip, const fs::path& out, const fs::path& work,
                                    std::vector<std::string> extra) {
  auto args = make_args(clip, out, work);
  for (auto& a : args)
    if (a.rfind("CHUNK=", 0) == 0) a = "CHUNK=" + std::to_string(kSlurmChunk);
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// The job ids `make ... slurm` printed on stdout ("array=ID join=ID").
struct Submission {
  std::string array, join;
};
Submission parse_submission(const std::string& out) {
  std::smatch m;
  const std::regex re("array=([0-9]*) join=([0-9]+)");
  REQUIRE(std::regex_search(out, m, re));
  return {m[1], m[2]};
}

// Each job's (or array task's) state as squeue reports it ("4_1 RUNNING").
std::vector<std::pair<std::string, std::string>> job_states(const Submission& s) {
  const std::string ids = s.array.empty() ? s.join : s.array + "," + s.join;
  const auto r = run_program("squeue", {"-h", "-r", "-j", ids, "-o", "%i %T"});
  std::vector<std::pair<std::string, std::string>> states;
  std::istringstream in(r.out);
  std::string id, state;
  while (in >> id >> state) states.emplace_back(id, state);
  return states;
}

bool ended(const std::string& state) {
  static const std::set<std::string> kEnded = {"COMPLETED", "CANCELLED", "FAILED",  "TIMEOUT",       "NODE_FAIL",
                                               "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY"};
  return kEnded.count(state) > 0;
}

// Waits until every job of the submission has ended (at most `limit`).
void wait_until_ended(const Submission& s, std::chrono::seconds limit = std::chrono::seconds(600)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    bool all = true;
    for (const auto& [id, state] : job_states(s)) all = all && ended(state);
    if (all) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  FAIL("the Slurm jobs " << s.array << " and " << s.join << " did not end within " << limit.count() << " s");
}

}  // namespace

TEST_CASE("slurm: a 3-chunk conversion as a job array and a join gives the make run's film, and nothing is redone",
          "[pipeline]") {
  TempDir dir("s3d-slurm");
  LocalCluster cluster(dir / "cluster");
  S3D_START_SLURM(cluster);
  const fs::path clip = make_clip(dir.path());

  const auto local = run_program("make", slurm_args(clip, dir / "make.mkv", dir / "work-make", {}));
  INFO(local.err);
  REQUIRE(local.exit_code == 0);

  // Two tasks at once on the two CPUs (SLURM_CPUS=1).
  const auto args = slurm_args(clip, dir / "slurm.mkv", dir / "work-slurm", {"SLURM_CPUS=1"});
  auto with = [&](const std::string& goal) {
    auto a = args;
    a.push_back(goal);
    return a;
  };
  const auto submitted = run_program("make", with("slurm"));
  INFO(submitted.out << submitted.err);
  REQUIRE(submitted.exit_code == 0);
  CHECK_THAT(submitted.err, Catch::Contains("submitted 3 of 3 chunks"));
  const auto jobs = parse_submission(submitted.out);
  REQUIRE(!jobs.array.empty());
  wait_until_ended(jobs);
  INFO(cluster.log("slurmctld.log"));

  // Every task and the join completed, each chunk by one array task.
  for (const auto& [id, state] : job_states(jobs)) CHECK(state == "COMPLETED");
  for (int task = 0; task < 3; ++task)
    CHECK(fs::exists(dir / "work-slurm/logs" / ("slurm-" + jobs.array + "_" + std::to_string(task) + ".out")));

  const auto status = run_program("make", with("slurm-status"));
  INFO(status.err);
  REQUIRE(status.exit_code == 0);
  CHECK_THAT(status.out, Catch::Contains("chunks: 3/3 done, 0 running, 0 pending, 0 failed"));
  CHECK_THAT(status.out, Catch::Contains("frames: " + std::to_string(kFrames) + "/" + std::to_string(kFrames)));
  CHECK_THAT(status.out, Catch::Contains("is written"));

  // The film, byte for byte the make run's.
  REQUIRE(fs::exists(dir / "slurm.mkv"));
  CHECK(file_bytes(dir / "slurm.mkv") == file_bytes(dir / "make.mkv"));

  // Submitted again: every chunk is done and the film current, so no job at all.
  const auto again = run_program("make", with("slurm"));
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK_THAT(again.err, Catch::Contains("nothing to submit"));
  CHECK(again.out.find("array=") == std::string::npos);

  // A parallax change re-submits every chunk (its segments are out of date), as make would.
  auto changed_args = args;
  changed_args.push_back("PARALLAX=6");
  changed_args.push_back("slurm");
  const auto changed = run_program("make", changed_args);
  INFO(changed.err);
  REQUIRE(changed.exit_code == 0);
  CHECK_THAT(changed.err, Catch::Contains("submitted 3 of 3 chunks"));
  wait_until_ended(parse_submission(changed.out));
  CHECK(file_bytes(dir / "slurm.mkv") != file_bytes(dir / "make.mkv"));
}

TEST_CASE("slurm: a task cancelled while it runs is redone by a re-submission, to the make run's film", "[pipeline]") {
  TempDir dir("s3d-slurm");
  LocalCluster cluster(dir / "cluster");
  S3D_START_SLURM(cluster);
  // Larger frames than make_clip's, so that a chunk takes seconds and can be caught running.
  const fs::path clip = dir / "clip.mkv";
  const auto made = run_program("ffmpeg", {"-v", "error", "-y", "-f", "lavfi", "-i",
                                           "testsrc2=size=640x360:rate=25:duration=" + std::to_string(kFrames / 25.0),
                                           "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000:duration=4.8",
                                           "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
                                           clip.string()});
  REQUIRE(made.exit_code == 0);
  const auto local = run_program("make", slurm_args(clip, dir / "make.mkv", dir / "work-make", {}));
  INFO(local.err);
  REQUIRE(local.exit_code == 0);

  // One task at a time, so that the others run while the cancelled one is gone.
  const auto args = slurm_args(clip, dir / "slurm.mkv", dir / "work-slurm", {"SLURM_MAX_TASKS=1", "slurm"});
  const auto submitted = run_program("make", args);
  INFO(submitted.out << submitted.err);
  REQUIRE(submitted.exit_code == 0);
  const auto jobs = parse_submission(submitted.out);

  // The first task seen running with frames encoded (its chain streaming) is cancelled.
  std::string cancelled;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  while (cancelled.empty() && std::chrono::steady_clock::now() < deadline) {
    for (const auto& [id, state] : job_states(jobs)) {
      if (state != "RUNNING" || id == jobs.join) continue;
      const auto task = std::stoi(id.substr(id.find('_') + 1));  // chunk = task index (all were submitted)
      char chunk[8];
      std::snprintf(chunk, sizeof chunk, "%04d", task);
      if (fs::exists(dir / "work-slurm/progress" / (std::string(chunk) + ".now"))) {
        REQUIRE(run_program("scancel", {id}).exit_code == 0);
        cancelled = chunk;
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(!cancelled.empty());
  wait_until_ended(jobs);
  INFO("cancelled chunk " << cancelled << "\n" << cluster.log("slurmctld.log"));

  // The cancelled chunk has no segment, the join never ran, and the status says so.
  CHECK_FALSE(fs::exists(dir / "work-slurm/segments" / (cancelled + ".mkv")));
  CHECK_FALSE(fs::exists(dir / "slurm.mkv"));
  auto status_args = args;
  status_args.back() = "slurm-status";
  const auto status = run_program("make", status_args);
  CHECK_THAT(status.out, Catch::Contains("chunks: 2/3 done, 0 running, 0 pending, 1 failed (" + cancelled));
  CHECK_THAT(status.out, Catch::Contains("film: not written"));

  // Re-submitted: only the cancelled chunk runs again, and the film is the make run's.
  const auto again = run_program("make", args);
  INFO(again.out << again.err);
  REQUIRE(again.exit_code == 0);
  CHECK_THAT(again.err, Catch::Contains("submitted 1 of 3 chunks"));
  wait_until_ended(parse_submission(again.out));
  REQUIRE(fs::exists(dir / "slurm.mkv"));
  CHECK(file_bytes(dir / "slurm.mkv") == file_bytes(dir / "make.mkv"));
}
