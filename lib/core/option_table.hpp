// Options defined once. Each option of a stage is one entry that binds a name and a help
// line to a field of the stage's options struct, with its parser, its accepted range and its
// printed default (the field's initial value in the struct). The tools (tools/cli) turn the
// entries into command-line options; the struct's check() runs the same entries' checks, so
// a library caller and a command-line user get the same validation and the same messages.
// (The pattern of ffmpeg's OptionDef table and COLMAP's AddDefaultOption.)
#pragma once
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/enum_names.hpp"
#include "core/errors.hpp"
#include "core/value_parsers.hpp"

namespace s3d {

enum class Need { kOptional, kRequired };

// The values a number option accepts: lo..hi, each end included unless said otherwise.
struct Bounds {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false;
  bool hi_open = false;

  bool contains(double value) const;  // false for NaN
  std::string text() const;           // "1..100", "(0, 1]", ">= 0"
};

template <class Options>
class OptionTable {
 public:
  struct Entry {
    std::string name;        // the option is --name
    std::string help;        // what it means (the CLI adds accepted values and the default)
    std::string value_name;  // placeholder in the help ("DIR", "N"); empty for a flag
    std::string accepted;    // "1..100", "hsbs|fsbs|..."; empty when free-form
    bool required = false;
    std::function<void(Options&, std::string_view)> set;  // parses text into the field (flags get "")
    std::function<std::string(const Options&)> show;      // the value as typed on a command line; "" = unset
    std::function<void(const Options&)> check;            // throws UsageError unless the value is valid

    bool is_flag() const { return value_name.empty(); }
  };

  // A file or directory.
  OptionTable& path(std::string name, std::filesystem::path Options::*field, std::string help,
                    Need need = Need::kOptional, std::string value_name = "PATH") {
    Entry& e = add(std::move(name), std::move(help), std::move(value_name), need);
    e.set = [field](Options& o, std::string_view text) { o.*field = std::filesystem::path(std::string(text)); };
    e.show = [field](const Options& o) { return (o.*field).string(); };
    return *this;
  }

  // Free text.
  OptionTable& text(std::string name, std::string Options::*field, std::string help, Need need = Need::kOptional,
                    std::string value_name = "TEXT") {
    Entry& e = add(std::move(name), std::move(help), std::move(value_name), need);
    e.set = [field](Options& o, std::string_view text) { o.*field = std::string(text); };
    e.show = [field](const Options& o) { return o.*field; };
    return *this;
  }

  // A text from a fixed list.
  OptionTable& one_of(std::string name, std::string Options::*field, std::vector<std::string> allowed,
                      std::string help) {
    std::string choices;
    for (const auto& a : allowed) choices += (choices.empty() ? "" : "|") + a;
    Entry& e = add(name, std::move(help), "NAME", Need::kOptional);
    e.accepted = choices;
    e.set = [field](Options& o, std::string_view text) { o.*field = std::string(text); };
    e.show = [field](const Options& o) { return o.*field; };
    e.check = [field, allowed, name](const Options& o) {
      for (const auto& a : allowed)
        if (o.*field == a) return;
      std::string list;
      for (size_t i = 0; i < allowed.size(); ++i)
        list += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
      throw UsageError("--" + name + ": expected " + list + ", got '" + o.*field + "'");
    };
    return *this;
  }

  // An enum, by the names of its table.
  template <class E>
  OptionTable& choice(std::string name, E Options::*field, const EnumNames<E>& names, std::string help) {
    Entry& e = add(name, std::move(help), "NAME", Need::kOptional);
    e.accepted = names.choices();
    const std::string option = "--" + name;
    e.set = [field, &names, option](Options& o, std::string_view text) { o.*field = names.parse(text, option); };
    e.show = [field, &names](const Options& o) { return names.name(o.*field); };
    return *this;
  }

  // A number within `bounds` (int, int64_t, uint64_t, float or double).
  template <class T>
  OptionTable& number(std::string name, T Options::*field, Bounds bounds, std::string help,
                      std::string value_name = "N") {
    Entry& e = add(name, std::move(help), std::move(value_name), Need::kOptional);
    e.accepted = bounds.text();
    const std::string option = "--" + name;
    e.set = [field, option, bounds](Options& o, std::string_view text) { o.*field = parse_as<T>(text, option, bounds); };
    e.show = [field](const Options& o) { return show_number(o.*field); };
    e.check = [field, option, bounds](const Options& o) { check_bounds(o.*field, option, bounds); };
    return *this;
  }

  // An optional number: unset (shown as nothing) unless given.
  template <class T>
  OptionTable& number(std::string name, std::optional<T> Options::*field, Bounds bounds, std::string help,
                      std::string value_name = "N") {
    Entry& e = add(name, std::move(help), std::move(value_name), Need::kOptional);
    e.accepted = bounds.text();
    const std::string option = "--" + name;
    e.set = [field, option, bounds](Options& o, std::string_view text) { o.*field = parse_as<T>(text, option, bounds); };
    e.show = [field](const Options& o) { return (o.*field) ? show_number(*(o.*field)) : std::string(); };
    e.check = [field, option, bounds](const Options& o) {
      if (o.*field) check_bounds(*(o.*field), option, bounds);
    };
    return *this;
  }

  // An on/off switch (present = true).
  OptionTable& flag(std::string name, bool Options::*field, std::string help) {
    Entry& e = add(std::move(name), std::move(help), "", Need::kOptional);
    e.set = [field](Options& o, std::string_view) { o.*field = true; };
    e.show = [field](const Options& o) { return o.*field ? std::string("on") : std::string(); };
    return *this;
  }

  // Any other type: `parse(text, "--name")` makes the value (UsageError naming the option),
  // `show` gives it back as typed ("" = unset); `check` (optional) validates it.
  template <class T>
  OptionTable& value(std::string name, T Options::*field,
                     std::function<T(std::string_view, const std::string&)> parse,
                     std::function<std::string(const T&)> show, std::string value_name, std::string help,
                     Need need = Need::kOptional, std::string accepted = "") {
    Entry& e = add(name, std::move(help), std::move(value_name), need);
    e.accepted = std::move(accepted);
    const std::string option = "--" + name;
    e.set = [field, parse, option](Options& o, std::string_view text) { o.*field = parse(text, option); };
    e.show = [field, show](const Options& o) { return show(o.*field); };
    return *this;
  }

  // Adds a check to the entry added last (e.g. a bound that depends on another field).
  OptionTable& also_check(std::function<void(const Options&)> extra) {
    Entry& e = entries_.back();
    auto before = e.check;
    e.check = [before, extra](const Options& o) {
      if (before) before(o);
      extra(o);
    };
    return *this;
  }

  // The entries of a base struct's table (shared options such as --range).
  template <class Base>
  OptionTable& include(const OptionTable<Base>& base) {
    static_assert(std::is_base_of_v<Base, Options>, "include() takes the table of a base struct");
    for (const auto& b : base.entries()) {
      Entry e{b.name, b.help, b.value_name, b.accepted, b.required, {}, {}, {}};
      e.set = [f = b.set](Options& o, std::string_view text) { f(static_cast<Base&>(o), text); };
      e.show = [f = b.show](const Options& o) { return f(static_cast<const Base&>(o)); };
      if (b.check) e.check = [f = b.check](const Options& o) { f(static_cast<const Base&>(o)); };
      entries_.push_back(std::move(e));
    }
    return *this;
  }

  // The entries of a member struct's table (e.g. the view synthesis parameters of ParallaxOptions).
  template <class Member>
  OptionTable& nest(Member Options::*member, const OptionTable<Member>& table) {
    for (const auto& m : table.entries()) {
      Entry e{m.name, m.help, m.value_name, m.accepted, m.required, {}, {}, {}};
      e.set = [f = m.set, member](Options& o, std::string_view text) { f(o.*member, text); };
      e.show = [f = m.show, member](const Options& o) { return f(o.*member); };
      if (m.check) e.check = [f = m.check, member](const Options& o) { f(o.*member); };
      entries_.push_back(std::move(e));
    }
    return *this;
  }

  // Every entry's check, in table order: the range and presence checks of Options::check().
  void check(const Options& options) const {
    for (const auto& e : entries_) {
      if (e.required && e.show(options).empty())
        throw UsageError("missing required option --" + e.name + " (see --help)");
      if (e.check) e.check(options);
    }
  }

  const std::vector<Entry>& entries() const { return entries_; }

 private:
  Entry& add(std::string name, std::string help, std::string value_name, Need need) {
    entries_.push_back(Entry{std::move(name), std::move(help), std::move(value_name), "", need == Need::kRequired,
                             {}, {}, {}});
    return entries_.back();
  }

  template <class T>
  static T parse_as(std::string_view text, const std::string& option, const Bounds& bounds) {
    if constexpr (std::is_floating_point_v<T>) {
      return static_cast<T>(parse_real(text, option));
    } else if constexpr (std::is_unsigned_v<T>) {
      return static_cast<T>(parse_unsigned(text, option));
    } else {
      const int64_t v = parse_integer(text, option);
      if (v < static_cast<int64_t>(std::numeric_limits<T>::min()) || v > static_cast<int64_t>(std::numeric_limits<T>::max()))
        throw UsageError(option + ": expected " + bounds.text() + ", got " + std::string(text));
      return static_cast<T>(v);
    }
  }

  template <class T>
  static std::string show_number(T value) {
    if constexpr (std::is_floating_point_v<T>)
      return format_real(value);
    else
      return std::to_string(value);
  }

  template <class T>
  static void check_bounds(T value, const std::string& option, const Bounds& bounds) {
    if (!bounds.contains(static_cast<double>(value)))
      throw UsageError(option + ": expected " + bounds.text() + ", got " + show_number(value));
  }

  std::vector<Entry> entries_;
};

}  // namespace s3d
