#include "depth_anything_v2/checkpoint_reader.hpp"

#include <caffe2/serialize/inline_container.h>

#include <cstring>
#include <map>

#include "core/errors.hpp"
#include "depth_anything_v2/pickle_reader.hpp"

namespace s3d::dav2 {

namespace {

using Kind = PickleValue::Kind;

// Storage classes torch.save names in persistent ids (torch 1.x and 2.x alike).
const std::map<std::string, torch::ScalarType>& storage_types() {
  static const std::map<std::string, torch::ScalarType> types = {
      {"torch.FloatStorage", torch::kFloat},   {"torch.HalfStorage", torch::kHalf},
      {"torch.BFloat16Storage", torch::kBFloat16}, {"torch.DoubleStorage", torch::kDouble},
      {"torch.LongStorage", torch::kLong},     {"torch.IntStorage", torch::kInt},
      {"torch.ShortStorage", torch::kShort},   {"torch.CharStorage", torch::kChar},
      {"torch.ByteStorage", torch::kByte},     {"torch.BoolStorage", torch::kBool},
  };
  return types;
}

std::vector<int64_t> int_tuple(const PickleValue& v, const char* what) {
  if (v.kind != Kind::kTuple) throw Error(std::string(what) + " is a " + v.kind_name() + ", expected a tuple");
  std::vector<int64_t> out;
  for (const auto& item : v.items) {
    if (item->kind != Kind::kInt) throw Error(std::string(what) + " holds a " + item->kind_name() + ", expected ints");
    out.push_back(item->integer);
  }
  return out;
}

// Turns the pickle's storages and tensor constructors into tensors read from the zip records.
class TensorBuilder {
 public:
  explicit TensorBuilder(caffe2::serialize::PyTorchStreamReader& zip) : zip_(zip) {}

  PickleValuePtr persistent_load(const PickleValue& pid) {
    // ('storage', <storage class>, key, location, numel)
    if (pid.kind != Kind::kTuple || pid.items.size() != 5 || pid.items[0]->kind != Kind::kString ||
        pid.items[0]->text != "storage")
      throw Error("persistent id is not a ('storage', type, key, location, numel) tuple");
    const auto& type = *pid.items[1];
    const auto& key = *pid.items[2];
    const auto& numel = *pid.items[4];
    if (type.kind != Kind::kGlobal || key.kind != Kind::kString || numel.kind != Kind::kInt || numel.integer < 0)
      throw Error("malformed storage persistent id");
    auto it = storage_types().find(type.text);
    if (it == storage_types().end()) throw Error("unsupported storage type " + type.text);
    auto storage = PickleValue::make(Kind::kStorage);
    storage->text = key.text;
    storage->dtype = it->second;
    storage->integer = numel.integer;
    return storage;
  }

  PickleValuePtr call(const PickleValue& callable, const PickleValue& args) {
    const std::string& name = callable.text;
    if (name == "collections.OrderedDict") {
      if (!args.items.empty()) throw Error("OrderedDict called with arguments");
      return PickleValue::make(Kind::kDict);
    }
    if (name == "torch._utils._rebuild_tensor_v2") return rebuild_tensor(args);
    if (name == "torch._utils._rebuild_parameter" || name == "torch._utils._rebuild_parameter_with_state") {
      if (args.items.empty() || args.items[0]->kind != Kind::kTensor) throw Error(name + " without a tensor");
      return args.items[0];
    }
    throw Error("unsupported global " + name + " (not a plain tensor state dict)");
  }

 private:
  // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
  PickleValuePtr rebuild_tensor(const PickleValue& args) {
    if (args.items.size() < 4 || args.items[0]->kind != Kind::kStorage || args.items[1]->kind != Kind::kInt)
      throw Error("_rebuild_tensor_v2 with unexpected arguments");
    const auto& storage = *args.items[0];
    const int64_t offset = args.items[1]->integer;
    const auto sizes = int_tuple(*args.items[2], "tensor size");
    const auto strides = int_tuple(*args.items[3], "tensor stride");
    if (sizes.size() != strides.size()) throw Error("tensor size and stride differ in rank");
    // The largest element index the view touches must lie inside the storage.
    int64_t last = offset;
    bool empty = false;
    for (size_t i = 0; i < sizes.size(); ++i) {
      if (sizes[i] < 0 || strides[i] < 0) throw Error("negative tensor size or stride");
      if (sizes[i] == 0) empty = true;
      else last += (sizes[i] - 1) * strides[i];
    }
    if (offset < 0 || (!empty && last >= storage.integer))
      throw Error("tensor view (offset " + std::to_string(offset) + ") reaches element " + std::to_string(last) +
                  " of a storage of " + std::to_string(storage.integer) + " elements");
    auto value = PickleValue::make(Kind::kTensor);
    value->tensor = load_storage(storage).as_strided(sizes, strides, offset).clone();
    return value;
  }

  torch::Tensor load_storage(const PickleValue& storage) {
    auto it = storages_.find(storage.text);
    if (it != storages_.end()) return it->second;
    const std::string record = "data/" + storage.text;
    if (!zip_.hasRecord(record)) throw Error("record " + record + " is missing");
    at::DataPtr data;
    size_t size = 0;
    std::tie(data, size) = zip_.getRecord(record);
    const size_t expected = static_cast<size_t>(storage.integer) * torch::elementSize(storage.dtype);
    if (size != expected)
      throw Error("record " + record + " holds " + std::to_string(size) + " bytes, expected " +
                  std::to_string(expected) + " (" + std::to_string(storage.integer) + " x " +
                  std::string(c10::toString(storage.dtype)) + ")");
    auto tensor = torch::empty({storage.integer}, torch::TensorOptions().dtype(storage.dtype));
    if (size) std::memcpy(tensor.data_ptr(), data.get(), size);
    storages_.emplace(storage.text, tensor);
    return tensor;
  }

  caffe2::serialize::PyTorchStreamReader& zip_;
  std::map<std::string, torch::Tensor> storages_;
};

StateDict to_state_dict(const PickleValue& root) {
  if (root.kind != Kind::kDict)
    throw Error(std::string("top-level object is a ") + root.kind_name() + ", expected a state dict (name -> tensor)");
  StateDict out;
  for (const auto& [key, value] : root.entries) {
    if (key->kind != Kind::kString) throw Error(std::string("state dict key is a ") + key->kind_name() + ", expected str");
    if (value->kind != Kind::kTensor)
      throw Error("state dict entry " + key->text + " is a " + value->kind_name() + ", expected a tensor");
    out.emplace_back(key->text, value->tensor);
  }
  if (out.empty()) throw Error("the state dict is empty");
  return out;
}

}  // namespace

StateDict read_checkpoint(const fs::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw Error(name + ": checkpoint file not found");
  try {
    caffe2::serialize::PyTorchStreamReader zip(name);
    if (!zip.hasRecord("data.pkl"))
      throw Error("no data.pkl record: a TorchScript or other zip archive, not a torch.save checkpoint");
    if (zip.hasRecord("byteorder")) {
      auto [data, size] = zip.getRecord("byteorder");
      if (std::string(static_cast<const char*>(data.get()), size) != "little")
        throw Error("big-endian checkpoints are not supported");
    }
    auto [pkl, pkl_size] = zip.getRecord("data.pkl");
    TensorBuilder builder(zip);
    PickleHooks hooks;
    hooks.call = [&](const PickleValue& c, const PickleValue& a) { return builder.call(c, a); };
    hooks.persistent_load = [&](const PickleValue& pid) { return builder.persistent_load(pid); };
    auto root = read_pickle(std::string_view(static_cast<const char*>(pkl.get()), pkl_size), hooks, "data.pkl");
    return to_state_dict(*root);
  } catch (const Error& e) {
    throw Error(name + ": not a readable PyTorch checkpoint: " + e.what());
  } catch (const c10::Error& e) {
    // The zip layer's messages carry a C++ backtrace after the first line.
    std::string msg = e.what_without_backtrace();
    throw Error(name + ": not a readable PyTorch checkpoint (torch.save zip expected; truncated or corrupt?): " +
                msg.substr(0, msg.find('\n')));
  }
}

}  // namespace s3d::dav2
