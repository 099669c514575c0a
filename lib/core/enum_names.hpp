// Enum <-> name tables: the one way an option's text becomes an enum and back, so the names
// an option accepts, its error message and its help text all come from one list.
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"

namespace s3d {

template <class E>
class EnumNames {
 public:
  struct Item {
    E value;
    std::string name;
  };

  EnumNames(std::initializer_list<Item> items) : items_(items) {}

  // The value called `text`; UsageError "<option>: expected a, b or c, got 'x'" otherwise.
  E parse(std::string_view text, std::string_view option) const {
    for (const auto& item : items_)
      if (item.name == text) return item.value;
    throw UsageError(std::string(option) + ": expected " + alternatives() + ", got '" + std::string(text) + "'");
  }

  // The name of `value`; every value of E is in the table, by construction of each table.
  const std::string& name(E value) const {
    for (const auto& item : items_)
      if (item.value == value) return item.name;
    static const std::string unknown = "?";
    return unknown;
  }

  // "a, b or c", for messages.
  std::string alternatives() const {
    std::string text;
    for (size_t i = 0; i < items_.size(); ++i)
      text += (i == 0 ? "" : i + 1 == items_.size() ? " or " : ", ") + items_[i].name;
    return text;
  }

  // "a|b|c", for help texts.
  std::string choices() const {
    std::string text;
    for (const auto& item : items_) text += (text.empty() ? "" : "|") + item.name;
    return text;
  }

  const std::vector<Item>& items() const { return items_; }

 private:
  std::vector<Item> items_;
};

}  // namespace s3d
