#include "random_checkpoint/checkpoint_writer.hpp"

#include <caffe2/serialize/inline_container.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "imageio/atomic_file.hpp"
#include "core/errors.hpp"

namespace s3d::dav2 {

namespace {

const char* storage_class(torch::ScalarType dtype) {
  switch (dtype) {
    case torch::kFloat: return "FloatStorage";
    case torch::kHalf: return "HalfStorage";
    case torch::kBFloat16: return "BFloat16Storage";
    default: return nullptr;
  }
}

// Emits the pickle opcodes torch.save (protocol 2) uses for a state dict.
class PickleWriter {
 public:
  void proto() { op(0x80), byte(2); }
  void global(const std::string& module, const std::string& name) { op('c'), raw(module + "\n" + name + "\n"); }
  void mark() { op('('); }
  void tuple() { op('t'); }
  void empty_tuple() { op(')'); }
  void reduce() { op('R'); }
  void setitems() { op('u'); }
  void persid() { op('Q'); }
  void newfalse() { op(0x89); }
  void stop() { op('.'); }
  void string(const std::string& s) {
    op('X');
    le(s.size(), 4);
    raw(s);
  }
  void integer(int64_t v) {
    if (v >= 0 && v < 256) op('K'), byte(static_cast<uint8_t>(v));
    else if (v >= 0 && v < 65536) op('M'), le(static_cast<uint64_t>(v), 2);
    else if (v >= INT32_MIN && v <= INT32_MAX) op('J'), le(static_cast<uint32_t>(v), 4);
    else op(0x8a), byte(8), le(static_cast<uint64_t>(v), 8);
  }
  void int_tuple(torch::IntArrayRef values) {
    mark();
    for (auto v : values) integer(v);
    tuple();
  }
  const std::string& data() const { return out_; }

 private:
  void op(uint8_t code) { out_.push_back(static_cast<char>(code)); }
  void byte(uint8_t b) { out_.push_back(static_cast<char>(b)); }
  void le(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) byte(static_cast<uint8_t>(v >> (8 * i)));
  }
  void raw(const std::string& s) { out_ += s; }
  std::string out_;
};

std::string pickle_state_dict(const StateDict& state) {
  PickleWriter p;
  p.proto();
  p.global("collections", "OrderedDict");
  p.empty_tuple();
  p.reduce();
  p.mark();
  for (size_t i = 0; i < state.size(); ++i) {
    const auto& [key, tensor] = state[i];
    p.string(key);
    p.global("torch._utils", "_rebuild_tensor_v2");
    p.mark();
    {  // persistent id ('storage', torch.<T>Storage, '<i>', 'cpu', numel)
      p.mark();
      p.string("storage");
      p.global("torch", storage_class(tensor.scalar_type()));
      p.string(std::to_string(i));
      p.string("cpu");
      p.integer(tensor.numel());
      p.tuple();
      p.persid();
    }
    p.integer(0);  // storage offset
    p.int_tuple(tensor.sizes());
    p.int_tuple(tensor.strides());
    p.newfalse();  // requires_grad
    p.global("collections", "OrderedDict");  // backward hooks: empty
    p.empty_tuple();
    p.reduce();
    p.tuple();
    p.reduce();
  }
  p.setitems();
  p.stop();
  return p.data();
}

}  // namespace

void write_checkpoint(const fs::path& path, const StateDict& state) {
  StateDict contiguous;  // one storage per tensor, holding exactly its elements
  for (const auto& [key, tensor] : state) {
    if (!tensor.defined() || !tensor.device().is_cpu() || !storage_class(tensor.scalar_type()))
      throw Error(path.string() + ": cannot store " + key + ": only CPU float32/float16/bfloat16 tensors");
    contiguous.emplace_back(key, tensor.contiguous());
  }
  const auto pickle = pickle_state_dict(contiguous);

  const fs::path temp = temp_path_for(path);
  FILE* file = std::fopen(temp.c_str(), "wb");
  if (!file) throw Error(path.string() + ": cannot create " + temp.string() + ": " + std::strerror(errno));
  bool write_failed = false;
  try {
    caffe2::serialize::PyTorchStreamWriter zip([&](const void* data, size_t size) -> size_t {
      if (std::fwrite(data, 1, size, file) != size) write_failed = true;
      return size;
    });
    zip.writeRecord("data.pkl", pickle.data(), pickle.size());
    zip.writeRecord("byteorder", "little", 6);
    for (size_t i = 0; i < contiguous.size(); ++i) {
      const auto& t = contiguous[i].second;
      zip.writeRecord("data/" + std::to_string(i), t.data_ptr(), t.nbytes());
    }
    zip.writeEndOfFile();
    if (std::fflush(file) != 0 || write_failed || (durable_writes() && fdatasync(fileno(file)) != 0))
      throw Error(path.string() + ": write failed: " + std::strerror(errno));
    std::fclose(file);
    file = nullptr;
    fs::rename(temp, path);
  } catch (...) {
    if (file) std::fclose(file);
    std::error_code ec;
    fs::remove(temp, ec);
    try {
      throw;
    } catch (const c10::Error& e) {
      std::string msg = e.what_without_backtrace();
      throw Error(path.string() + ": write failed: " + msg.substr(0, msg.find('\n')));
    } catch (const fs::filesystem_error& e) {
      throw Error(path.string() + ": " + e.what());
    }
  }
}

}  // namespace s3d::dav2
