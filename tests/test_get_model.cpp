// scripts/get-model.sh end to end, offline: a local HTTP server (tests/support/range_http_server.py,
// with Range support and deliberate faults) serves random bytes under the official Hugging Face
// paths, and S3D_MODEL_TABLE points the script at a table with those bytes' size and SHA-256.
// Checked: a good download is installed under its final name; a dropped download leaves only a
// .part that the next run resumes with a Range request; a server without Range support still
// ends good; a wrong SHA-256 or size is refused (nothing installed, expected vs got named); a good
// file already there is not downloaded again, a wrong one is moved aside; usage errors exit 2;
// a non-commercial licence needs --accept-licence (or "yes" on a terminal) and never hangs.
// Also: the real table (models/checkpoints.sha256) is well formed and models/README.md shows the
// same values, and shellcheck accepts the script.
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include "support/skip.hpp"
#include "support/test_support.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using s3d::test::run_program;
using s3d::test::RunResult;
using s3d::test::source_dir;
using s3d::test::TempDir;

constexpr long kCut = 100000;  // where the faulty server drops the first download

std::string file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const fs::path& p, const std::string& s) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << s;
  REQUIRE(out.good());
}

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

// SHA-256 by Python's hashlib: an implementation independent of the script's sha256sum.
std::string sha256_hex(const fs::path& p) {
  const auto r = run_program("/usr/bin/python3", {"-c",
                                                  "import hashlib, sys; "
                                                  "print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())",
                                                  p.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out.size() >= 64);
  return r.out.substr(0, 64);
}

bool on_path(const std::string& program) {
  return run_program("bash", {"-c", "command -v " + program + " >/dev/null"}).exit_code == 0;
}

fs::path script() { return source_dir() / "scripts/get-model.sh"; }

const std::map<std::string, std::string> kRepo = {{"vits", "Depth-Anything-V2-Small"},
                                                  {"vitb", "Depth-Anything-V2-Base"},
                                                  {"vitl", "Depth-Anything-V2-Large"}};
std::string file_of(const std::string& name) { return "depth_anything_v2_" + name + ".pth"; }

// The range server on a free port for the lifetime of this object.
class Server {
 public:
  Server(const fs::path& root, const fs::path& dir, std::vector<std::string> extra = {}) : dir_(dir) {
    fs::create_directories(dir);
    std::vector<std::string> args = {"/usr/bin/python3",
                                     (source_dir() / "tests/support/range_http_server.py").string(),
                                     "--root",
                                     root.string(),
                                     "--port-file",
                                     (dir / "port").string(),
                                     "--log",
                                     (dir / "log").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, (dir / "server.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, (dir / "server.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) pid_ = -1;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (pid_ > 0 && !fs::exists(dir / "port") && std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (fs::exists(dir / "port")) port_ = file_bytes(dir / "port");
  }
  ~Server() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  bool up() const { return !port_.empty(); }
  std::string why() const { return file_bytes(dir_ / "server.err"); }
  std::string base_url() const { return "http://127.0.0.1:" + port_; }
  // One line per request received: "GET /path range=bytes=N-" (range=- without a Range header).
  std::vector<std::string> requests() const {
    std::vector<std::string> lines;
    std::istringstream in(file_bytes(dir_ / "log"));
    for (std::string l; std::getline(in, l);)
      if (!l.empty()) lines.push_back(l);
    return lines;
  }

 private:
  fs::path dir_;
  pid_t pid_ = -1;
  std::string port_;
};

#define REQUIRE_SERVER(server)        \
  do {                                \
    INFO("server: " << (server).why()); \
    REQUIRE((server).up());           \
  } while (false)

// A temp folder with the served files (random bytes under the official paths), a table with
// their true size and SHA-256, and the download folder (S3D_MODELS).
struct Fixture {
  TempDir tmp{"s3d-get-model"};
  fs::path srv = tmp / "srv";
  fs::path models = tmp / "models";
  fs::path table = tmp / "table";
  std::map<std::string, std::string> payload;  // name -> served bytes
  std::map<std::string, std::string> sha;      // name -> their SHA-256

  Fixture() {
    payload["vits"] = random_bytes(300001, 1);
    payload["vitb"] = random_bytes(200003, 2);
    for (const auto& [name, bytes] : payload) {
      write_bytes(served(name), bytes);
      sha[name] = sha256_hex(served(name));
    }
    write_table(table, {});
  }

  fs::path served(const std::string& name) const { return srv / kRepo.at(name) / "resolve/main" / file_of(name); }
  fs::path final_file(const std::string& name) const { return models / file_of(name); }
  fs::path part_file(const std::string& name) const { return models / (file_of(name) + ".part"); }

  // A table like models/checkpoints.sha256 for the served files; `override_row` replaces rows.
  void write_table(const fs::path& path, const std::map<std::string, std::string>& override_row) const {
    std::ostringstream t;
    t << "# test table: name bytes sha256 licence repository\n";
    for (const auto& [name, bytes] : payload) {
      const std::string licence = name == "vits" ? "Apache-2.0" : "CC-BY-NC-4.0";
      auto it = override_row.find(name);
      if (it != override_row.end())
        t << it->second << "\n";
      else
        t << name << "  " << bytes.size() << "  " << sha.at(name) << "  " << licence << "  " << kRepo.at(name) << "\n";
    }
    write_bytes(path, t.str());
  }

  // Runs the script with a clean environment for its variables; `env` adds NAME=VALUE entries
  // (an entry "-u NAME" leaves NAME unset instead).
  RunResult get(const std::vector<std::string>& args, const std::string& base_url,
                const std::vector<std::string>& env = {}, const fs::path& script_path = script()) const {
    std::map<std::string, std::string> vars = {{"S3D_MODEL_TABLE", table.string()},
                                               {"S3D_MODEL_BASE_URL", base_url},
                                               {"S3D_MODELS", models.string()},
                                               {"S3D_NO_FSYNC", "1"}};
    std::vector<std::string> unset = {"S3D_ACCEPT_LICENCE", "S3D_DOWNLOADER"};
    for (const auto& e : env) {
      if (e.rfind("-u ", 0) == 0) {
        vars.erase(e.substr(3));
        unset.push_back(e.substr(3));
      } else {
        const auto eq = e.find('=');
        vars[e.substr(0, eq)] = e.substr(eq + 1);
      }
    }
    std::vector<std::string> a;
    for (const auto& u : unset) a.insert(a.end(), {"-u", u});
    for (const auto& [k, v] : vars) a.push_back(k + "=" + v);
    a.push_back("bash");
    a.push_back(script_path.string());
    a.insert(a.end(), args.begin(), args.end());
    return run_program("env", a);
  }
};

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("get-model.sh downloads a checkpoint, verifies it and installs it under its final name", "[e2e]") {
  Fixture f;
  Server server(f.srv, f.tmp / "server");
  REQUIRE_SERVER(server);

  const auto r = f.get({"vits"}, server.base_url());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(file_bytes(f.final_file("vits")) == f.payload["vits"]);
  CHECK(sha256_hex(f.final_file("vits")) == f.sha["vits"]);
  CHECK_FALSE(fs::exists(f.part_file("vits")));
  CHECK(s3d::test::files_below(f.models) == std::vector<fs::path>{f.final_file("vits")});
  CHECK(contains(r.err, "Apache-2.0"));  // the licence is told
  CHECK(contains(r.err, "verified"));
  CHECK(r.out.empty());
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0] == "GET /Depth-Anything-V2-Small/resolve/main/depth_anything_v2_vits.pth range=-");
}

TEST_CASE("a download cut short leaves no final file, and the next run resumes it from the .part file", "[e2e]") {
  Fixture f;
  Server server(f.srv, f.tmp / "server", {"--truncate-first", std::to_string(kCut)});
  REQUIRE_SERVER(server);

  const auto first = f.get({"vits"}, server.base_url());
  INFO("first run: " << first.err);
  CHECK(first.exit_code == 1);
  CHECK_FALSE(fs::exists(f.final_file("vits")));
  REQUIRE(fs::exists(f.part_file("vits")));
  CHECK(fs::file_size(f.part_file("vits")) == static_cast<uintmax_t>(kCut));
  CHECK(contains(first.err, f.part_file("vits").string()));
  CHECK(contains(first.err, "run the same command again to resume"));

  const auto second = f.get({"vits"}, server.base_url());
  INFO("second run: " << second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(file_bytes(f.final_file("vits")) == f.payload["vits"]);
  CHECK_FALSE(fs::exists(f.part_file("vits")));
  CHECK(contains(second.err, "resuming"));
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0] == "GET /Depth-Anything-V2-Small/resolve/main/depth_anything_v2_vits.pth range=-");
  CHECK(reqs[1] == "GET /Depth-Anything-V2-Small/resolve/main/depth_anything_v2_vits.pth range=bytes=" +
                       std::to_string(kCut) + "-");
}

TEST_CASE("wget instead of curl: a cut download fails, and the next run resumes it with a Range request", "[e2e]") {
  if (!on_path("wget")) S3D_SKIP("wget is not installed");
  Fixture f;
  Server server(f.srv, f.tmp / "server", {"--truncate-first", std::to_string(kCut)});
  REQUIRE_SERVER(server);

  const auto first = f.get({"vits"}, server.base_url(), {"S3D_DOWNLOADER=wget"});
  INFO("first run: " << first.err);
  CHECK(first.exit_code == 1);
  CHECK_FALSE(fs::exists(f.final_file("vits")));
  REQUIRE(fs::exists(f.part_file("vits")));
  CHECK(fs::file_size(f.part_file("vits")) == static_cast<uintmax_t>(kCut));

  const auto second = f.get({"vits"}, server.base_url(), {"S3D_DOWNLOADER=wget"});
  INFO("second run: " << second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(file_bytes(f.final_file("vits")) == f.payload["vits"]);
  CHECK_FALSE(fs::exists(f.part_file("vits")));
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[1] == "GET /Depth-Anything-V2-Small/resolve/main/depth_anything_v2_vits.pth range=bytes=" +
                       std::to_string(kCut) + "-");
}

TEST_CASE("a server that cannot resume: the download starts over from byte 0 and ends good", "[e2e]") {
  Fixture f;
  Server server(f.srv, f.tmp / "server", {"--no-range"});
  REQUIRE_SERVER(server);
  // A .part whose bytes are not even the file's: appending to it would give a wrong file.
  write_bytes(f.part_file("vits"), random_bytes(kCut, 99));

  const auto r = f.get({"vits"}, server.base_url());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(file_bytes(f.final_file("vits")) == f.payload["vits"]);
  CHECK_FALSE(fs::exists(f.part_file("vits")));
  const auto reqs = server.requests();
  REQUIRE_FALSE(reqs.empty());
  CHECK(reqs.front() == "GET /Depth-Anything-V2-Small/resolve/main/depth_anything_v2_vits.pth range=bytes=" +
                            std::to_string(kCut) + "-");
}

TEST_CASE("a download with the wrong SHA-256 or size is refused: nothing installed, exit 1, expected and got named",
          "[e2e]") {
  Fixture f;
  Server server(f.srv, f.tmp / "server");
  REQUIRE_SERVER(server);
  const std::string wrong_sha(64, 'a');
  const auto size = std::to_string(f.payload["vits"].size());

  // The right size, another SHA-256.
  f.write_table(f.table, {{"vits", "vits " + size + " " + wrong_sha + " Apache-2.0 Depth-Anything-V2-Small"}});
  const auto r = f.get({"vits"}, server.base_url());
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK_FALSE(fs::exists(f.final_file("vits")));
  CHECK_FALSE(fs::exists(f.part_file("vits")));
  CHECK(contains(r.err, "SHA-256 mismatch"));
  CHECK(contains(r.err, "expected " + wrong_sha));
  CHECK(contains(r.err, "got " + f.sha["vits"]));
  CHECK(contains(r.err, "depth_anything_v2_vits.pth"));
  CHECK(contains(r.err, server.base_url() + "/Depth-Anything-V2-Small/resolve/main/depth_anything_v2_vits.pth"));

  // The server sends more bytes than the published size: refused before the hash.
  const auto smaller = std::to_string(f.payload["vits"].size() - 1);
  f.write_table(f.table, {{"vits", "vits " + smaller + " " + f.sha["vits"] + " Apache-2.0 Depth-Anything-V2-Small"}});
  const auto big = f.get({"vits"}, server.base_url());
  INFO(big.err);
  CHECK(big.exit_code == 1);
  CHECK_FALSE(fs::exists(f.final_file("vits")));
  CHECK_FALSE(fs::exists(f.part_file("vits")));
  CHECK(contains(big.err, "gave " + size + " bytes, expected " + smaller));

  // A table that does not know the SHA-256: nothing is downloaded at all.
  const auto before = server.requests().size();
  f.write_table(f.table, {{"vits", "vits " + size + " unknown Apache-2.0 Depth-Anything-V2-Small"}});
  const auto unknown = f.get({"vits"}, server.base_url());
  INFO(unknown.err);
  CHECK(unknown.exit_code == 1);
  CHECK(contains(unknown.err, "refusing to download a file that cannot be verified"));
  CHECK(server.requests().size() == before);
  CHECK_FALSE(fs::exists(f.final_file("vits")));
}

TEST_CASE("a good file already present is not downloaded again, and a wrong one is moved aside and replaced", "[e2e]") {
  Fixture f;
  Server server(f.srv, f.tmp / "server");
  REQUIRE_SERVER(server);
  const auto first = f.get({"vits"}, server.base_url());
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  REQUIRE(server.requests().size() == 1);
  struct stat before {};
  REQUIRE(::stat(f.final_file("vits").c_str(), &before) == 0);

  const auto again = f.get({"vits"}, server.base_url());
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(contains(again.err, "already present"));
  CHECK(server.requests().size() == 1);  // no new request
  struct stat after {};
  REQUIRE(::stat(f.final_file("vits").c_str(), &after) == 0);
  CHECK(after.st_ino == before.st_ino);
  CHECK(after.st_mtim.tv_sec == before.st_mtim.tv_sec);
  CHECK(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);

  // Same size, other bytes under the final name: named with expected vs got, kept as .bad, replaced.
  const std::string wrong = random_bytes(f.payload["vits"].size(), 7);
  write_bytes(f.final_file("vits"), wrong);
  const auto wrong_sha = sha256_hex(f.final_file("vits"));
  const auto fixed = f.get({"vits"}, server.base_url());
  INFO(fixed.err);
  CHECK(fixed.exit_code == 0);
  CHECK(contains(fixed.err, "expected " + f.sha["vits"] + ", got " + wrong_sha));
  CHECK(file_bytes(f.final_file("vits")) == f.payload["vits"]);
  CHECK(file_bytes(f.models / "depth_anything_v2_vits.pth.bad") == wrong);
  CHECK(server.requests().size() == 2);
}

TEST_CASE("usage errors exit 2 with the usage text, and --help ends with an example", "[e2e]") {
  Fixture f;
  Server server(f.srv, f.tmp / "server");
  REQUIRE_SERVER(server);
  const std::vector<std::pair<std::vector<std::string>, std::string>> wrong = {
      {{}, "no model name given"},
      {{"vitx"}, "unknown model 'vitx'"},
      {{"vitg"}, "unknown model 'vitg'"},
      {{"--quick", "vits"}, "unknown option '--quick'"},
      {{"vits", "vitb"}, "one model at a time"},
  };
  for (const auto& [args, message] : wrong) {
    std::string call;
    for (const auto& a : args) call += " " + a;
    INFO("get-model.sh" << call);
    const auto r = f.get(args, server.base_url());
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, message));
    CHECK(contains(r.err, "Usage: scripts/get-model.sh"));
  }
  const auto bad_tool = f.get({"vits"}, server.base_url(), {"S3D_DOWNLOADER=aria2c"});
  INFO(bad_tool.err);
  CHECK(bad_tool.exit_code == 2);
  CHECK(contains(bad_tool.err, "S3D_DOWNLOADER must be curl or wget, not 'aria2c'"));
  CHECK(server.requests().empty());
  CHECK_FALSE(fs::exists(f.models));

  const auto help = f.get({"--help"}, server.base_url());
  CHECK(help.exit_code == 0);
  CHECK(help.err.empty());
  CHECK(contains(help.out, "S3D_MODEL_BASE_URL"));
  CHECK(contains(help.out, "S3D_MODELS"));
  CHECK(contains(help.out, "--accept-licence"));
  std::string last;
  std::istringstream in(help.out);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) last = l;
  CHECK(last == "  scripts/get-model.sh vits");
}

TEST_CASE("vitb and vitl are CC-BY-NC-4.0: without a terminal and without --accept-licence, exit 2, nothing downloaded",
          "[e2e]") {
  Fixture f;
  Server server(f.srv, f.tmp / "server");
  REQUIRE_SERVER(server);
  // The real table (models/checkpoints.sha256): its licences decide. stdin is /dev/null.
  for (const std::string name : {"vitb", "vitl"}) {
    INFO(name);
    const auto r = f.get({name}, server.base_url(), {"-u S3D_MODEL_TABLE"});
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "CC-BY-NC-4.0"));
    CHECK(contains(r.err, "non-commercial use only"));
    CHECK(contains(r.err, "--accept-licence"));
    CHECK(contains(r.err, file_of(name)));
  }
  CHECK(server.requests().empty());
  CHECK_FALSE(fs::exists(f.models));

  // Accepted by the flag, or by the environment: downloaded (the test table's vitb).
  const auto flag = f.get({"--accept-licence", "vitb"}, server.base_url());
  INFO(flag.err);
  CHECK(flag.exit_code == 0);
  CHECK(contains(flag.err, "CC-BY-NC-4.0"));  // still told
  CHECK(file_bytes(f.final_file("vitb")) == f.payload["vitb"]);
  fs::remove(f.final_file("vitb"));
  const auto env = f.get({"vitb"}, server.base_url(), {"S3D_ACCEPT_LICENCE=1"});
  INFO(env.err);
  CHECK(env.exit_code == 0);
  CHECK(file_bytes(f.final_file("vitb")) == f.payload["vitb"]);
}

TEST_CASE("on a terminal a non-commercial licence is asked for: 'yes' downloads, anything else exits 2", "[e2e]") {
  if (!on_path("script")) S3D_SKIP("script (util-linux) is not installed to give the script a terminal");
  Fixture f;
  Server server(f.srv, f.tmp / "server");
  REQUIRE_SERVER(server);
  const std::string env = "env -u S3D_ACCEPT_LICENCE -u S3D_DOWNLOADER S3D_MODEL_TABLE='" + f.table.string() +
                          "' S3D_MODEL_BASE_URL='" + server.base_url() + "' S3D_MODELS='" + f.models.string() +
                          "' S3D_NO_FSYNC=1 bash '" + script().string() + "' vitb";
  // script(1) runs the command on a pseudo-terminal fed from our pipe; -e returns its exit status.
  auto on_tty = [&](const std::string& answer) {
    return run_program("bash", {"-c", "printf '" + answer + "\\n' | timeout 60 script -qec \"" + env + "\" /dev/null"});
  };
  const auto no = on_tty("no");
  INFO(no.out << no.err);
  CHECK(no.exit_code == 2);
  CHECK(contains(no.out + no.err, "type 'yes' to accept the CC-BY-NC-4.0 licence"));
  CHECK(server.requests().empty());
  CHECK_FALSE(fs::exists(f.final_file("vitb")));

  const auto yes = on_tty("yes");
  INFO(yes.out << yes.err);
  CHECK(yes.exit_code == 0);
  CHECK(file_bytes(f.final_file("vitb")) == f.payload["vitb"]);
}

TEST_CASE("without S3D_MODELS the checkpoint goes into models/ beside the script", "[e2e]") {
  Fixture f;
  Server server(f.srv, f.tmp / "server");
  REQUIRE_SERVER(server);
  // A copy of the script in a checkout of its own, so that nothing is written into this one.
  const fs::path checkout = f.tmp / "checkout";
  fs::create_directories(checkout / "scripts");
  fs::copy_file(script(), checkout / "scripts/get-model.sh");
  const auto r = f.get({"vits"}, server.base_url(), {"-u S3D_MODELS"}, checkout / "scripts/get-model.sh");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(file_bytes(checkout / "models" / file_of("vits")) == f.payload["vits"]);
  CHECK_FALSE(fs::exists(f.models));
}

TEST_CASE("models/checkpoints.sha256 lists vits, vitb and vitl with a size and SHA-256, and models/README.md shows them",
          "[unit]") {
  const std::string table = file_bytes(source_dir() / "models/checkpoints.sha256");
  std::string readme = file_bytes(source_dir() / "models/README.md");
  readme.erase(std::remove(readme.begin(), readme.end(), ','), readme.end());  // 99,218,434 -> 99218434
  REQUIRE_FALSE(table.empty());
  const std::regex row(R"(^(\w+)\s+(\d+)\s+([0-9a-f]{64})\s+(\S+)\s+(\S+)\s*$)");
  std::map<std::string, std::smatch> rows;
  std::istringstream in(table);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);)
    if (!l.empty() && l[0] != '#') lines.push_back(l);
  for (const auto& l : lines) {
    INFO(l);
    std::smatch m;
    REQUIRE(std::regex_match(l, m, row));
    rows[m[1]] = m;
  }
  REQUIRE(rows.size() == 3);
  for (const auto& [name, repo] : kRepo) {
    INFO(name);
    REQUIRE(rows.count(name) == 1);
    const auto& m = rows[name];
    CHECK(m[5] == repo);
    CHECK(m[4] == (name == "vits" ? "Apache-2.0" : "CC-BY-NC-4.0"));
    CHECK(contains(readme, m[2].str()));  // the size
    CHECK(contains(readme, m[3].str()));  // the SHA-256
  }
}

TEST_CASE("shellcheck accepts scripts/get-model.sh", "[unit]") {
  if (!on_path("shellcheck")) S3D_SKIP("shellcheck is not installed");
  const auto r = run_program("shellcheck", {"-x", script().string()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
}
