// A reader for the subset of Python's pickle format that torch.save emits (protocols 2-5
// opcodes for None/bool/int/float/str/bytes/tuple/list/dict, globals, REDUCE, BUILD,
// persistent ids and the memo). It knows nothing about torch: the caller decides what a
// global call or a persistent id means through PickleHooks, so unknown globals (a foreign
// pickle) become a clear error instead of code execution.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <torch/types.h>

namespace s3d::dav2 {

struct PickleValue;
using PickleValuePtr = std::shared_ptr<PickleValue>;

struct PickleValue {
  enum class Kind { kNone, kBool, kInt, kFloat, kString, kBytes, kTuple, kList, kDict, kGlobal, kTensor, kStorage };
  Kind kind = Kind::kNone;
  int64_t integer = 0;        // kBool, kInt; kStorage: element count
  double real = 0;            // kFloat
  std::string text;           // kString, kBytes; kGlobal: "module.name"; kStorage: record key
  std::vector<PickleValuePtr> items;                              // kTuple, kList
  std::vector<std::pair<PickleValuePtr, PickleValuePtr>> entries;  // kDict, in insertion order
  torch::Tensor tensor;       // kTensor
  torch::ScalarType dtype = torch::kFloat;  // kStorage

  static PickleValuePtr make(Kind kind) {
    auto v = std::make_shared<PickleValue>();
    v->kind = kind;
    return v;
  }
  const char* kind_name() const;
};

struct PickleHooks {
  // Called for REDUCE / NEWOBJ with the callable (kind kGlobal) and its argument tuple.
  std::function<PickleValuePtr(const PickleValue& callable, const PickleValue& args)> call;
  // Called for BINPERSID with the persistent id object.
  std::function<PickleValuePtr(const PickleValue& pid)> persistent_load;
};

// Unpickles `data`. Throws s3d::Error naming `what` (e.g. the file) and the byte offset on
// truncated data, unknown opcodes, stack misuse or a hook failure.
PickleValuePtr read_pickle(std::string_view data, const PickleHooks& hooks, const std::string& what);

}  // namespace s3d::dav2
