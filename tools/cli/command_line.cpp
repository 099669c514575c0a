#include "cli/command_line.hpp"

#include <iostream>
#include <sstream>

#include "core/progress.hpp"

namespace s3d::cli {

CommandLine::CommandLine(std::string program, std::string description, std::string usage)
    : program_(std::move(program)), options_(program_, description + "\nUsage: " + usage) {
  // Our own usage line (above) instead of cxxopts' "[OPTION...]"; room for "(default: X)".
  options_.custom_help("");
  options_.positional_help("");
  options_.set_width(100);
  options_.add_options("Common")("quiet", "No progress line and no summary on stderr")(
      "progress-file", "Also keep 'done total' in FILE, replaced as the work goes (for a monitor)",
      cxxopts::value<std::string>(), "FILE")("h,help", "Print this help and exit")("version",
                                                                                  "Print the version and exit");
}

std::string CommandLine::help_line(const std::string& help, const std::string& accepted, bool required,
                                   const std::string& default_value) {
  std::string line = help;
  // A list of choices is shown unless the help text already names every one.
  bool named = accepted.find('|') != std::string::npos;
  std::istringstream choices(accepted);
  for (std::string choice; named && std::getline(choices, choice, '|');) named = help.find(choice) != std::string::npos;
  if (!accepted.empty() && !named) line += " [" + accepted + "]";
  if (required) line += " (required)";
  else if (!default_value.empty() && default_value != "on") line += " (default: " + default_value + ")";
  return line;
}

void CommandLine::add(const std::string& group, const std::string& name, const std::string& help,
                      const std::string& value_name) {
  if (value_name.empty())
    options_.add_option(group, "", name, help, cxxopts::value<bool>(), "");
  else
    options_.add_option(group, "", name, help, cxxopts::value<std::string>(), value_name);
}

CommandLine& CommandLine::option(const std::string& group, const std::string& name, const std::string& help,
                                 const std::string& value_name, std::function<void(std::string_view)> set) {
  add(group, name, help, value_name);
  setters_.push_back({name, value_name.empty(), std::move(set)});
  return *this;
}

CommandLine& CommandLine::positional(const std::string& name) {
  positional_.push_back(name);
  options_.parse_positional(positional_);
  return *this;
}

CommandLine& CommandLine::epilog(std::string text) {
  epilog_ = std::move(text);
  return *this;
}

CommandLine& CommandLine::version_note(std::string text) {
  version_note_ = std::move(text);
  return *this;
}

std::string CommandLine::help() const {
  std::string text = options_.help({}, false);
  if (!epilog_.empty()) text += "\n" + epilog_ + "\n";
  return text;
}

std::string CommandLine::version() const {
  return program_ + " " + S3D_VERSION + (version_note_.empty() ? std::string() : " " + version_note_);
}

bool CommandLine::parse(const std::vector<std::string>& args, std::ostream& out) {
  std::vector<const char*> argv = {program_.c_str()};
  for (const auto& a : args) argv.push_back(a.c_str());
  cxxopts::ParseResult result;
  try {
    result = options_.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const cxxopts::exceptions::exception& e) {
    throw UsageError(std::string(e.what()) + " (see --help)");
  }
  if (result.count("help")) {
    out << help() << std::flush;
    return false;
  }
  if (result.count("version")) {
    out << version() << std::endl;
    return false;
  }
  if (!result.unmatched().empty())
    throw UsageError("unexpected argument '" + result.unmatched().front() + "' (see --help)");
  quiet_ = result.count("quiet") > 0;
  if (result.count("progress-file")) StderrProgress::set_record_file(result["progress-file"].as<std::string>());
  for (const auto& setter : setters_)
    if (result.count(setter.name)) setter.set(setter.flag ? std::string() : result[setter.name].as<std::string>());
  return true;
}

std::vector<std::string> arguments(int argc, char** argv) { return std::vector<std::string>(argv + 1, argv + argc); }

int run_main(const std::string& program, const std::function<int()>& body) {
  try {
    return body();
  } catch (const UsageError& e) {
    std::cerr << program << ": error: " << e.what() << "\n";
    return kUsage;
  } catch (const std::exception& e) {
    std::cerr << program << ": error: " << e.what() << "\n";
    return kFailure;
  }
}

}  // namespace s3d::cli
