// The command line of every s3d tool: binds the option tables of the library's options
// structs (core/option_table.hpp) to cxxopts, adds --quiet/--help/--version, and is the one
// place where exceptions become messages and exit codes (0 ok, 1 failure, 2 usage). Parsing
// is separate from running, so tests turn an argument list into options in-process.
#pragma once
#include <cxxopts.hpp>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/option_table.hpp"

namespace s3d::cli {

enum ExitCode { kOk = 0, kFailure = 1, kUsage = 2 };

class CommandLine {
 public:
  // `usage` is the line(s) after the description, e.g. "s3d-pack --left DIR --right DIR --out DIR [options]".
  CommandLine(std::string program, std::string description, std::string usage);

  // Every entry of `table` becomes an option writing into `target` (which must outlive the
  // parse); its current values are the defaults --help shows. `group` titles them in --help.
  template <class Options>
  CommandLine& bind(const OptionTable<Options>& table, Options& target, const std::string& group = "") {
    for (const auto& entry : table.entries()) {
      add(group, entry.name, help_line(entry.help, entry.accepted, entry.required, entry.show(target)),
          entry.value_name);
      setters_.push_back(
          {entry.name, entry.is_flag(), [&target, set = entry.set](std::string_view text) { set(target, text); }});
    }
    return *this;
  }
  // An option of the tool itself (not a library struct's), e.g. --segments or a mode switch;
  // an empty `value_name` makes it a flag.
  CommandLine& option(const std::string& group, const std::string& name, const std::string& help,
                      const std::string& value_name, std::function<void(std::string_view)> set);
  // The bound option `name` may also be given as the (single) positional argument.
  CommandLine& positional(const std::string& name);
  // The last lines of --help, e.g. an example command.
  CommandLine& epilog(std::string text);
  // Extra words after the version, e.g. "(heuristic only: built without LibTorch)".
  CommandLine& version_note(std::string text);

  // Parses `args` (argv without the program name) into the bound fields. Returns false
  // when --help or --version was given (their text is then written to `out`): nothing to run.
  // Throws UsageError for unknown options, bad values or stray arguments.
  bool parse(const std::vector<std::string>& args, std::ostream& out);

  bool quiet() const { return quiet_; }
  const std::string& program() const { return program_; }
  std::string help() const;
  std::string version() const;

 private:
  static std::string help_line(const std::string& help, const std::string& accepted, bool required,
                               const std::string& default_value);
  void add(const std::string& group, const std::string& name, const std::string& help, const std::string& value_name);

  struct Setter {
    std::string name;
    bool flag;  // takes no value
    std::function<void(std::string_view)> set;
  };
  std::string program_;
  mutable cxxopts::Options options_;
  std::vector<Setter> setters_;
  std::vector<std::string> positional_;
  std::string epilog_, version_note_;
  bool quiet_ = false;
};

// argv[1..argc) as strings.
std::vector<std::string> arguments(int argc, char** argv);

// Runs a tool's body, mapping what it throws to "<program>: error: <message>" on stderr and
// an exit code: UsageError 2, anything else 1.
int run_main(const std::string& program, const std::function<int()>& body);

}  // namespace s3d::cli
