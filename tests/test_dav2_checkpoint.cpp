// Reading and writing torch.save checkpoints, inferring the network from them, and strict
// loading: the golden OrderedDict file as saved by Python, files written here, and broken files.
#include <caffe2/serialize/inline_container.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "core/errors.hpp"
#include "random_checkpoint/checkpoint_writer.hpp"
#include "depth_anything_v2/depth_anything_v2.hpp"
#include "random_checkpoint/random_checkpoint.hpp"
#include "core/json.hpp"
#include "depth_stage/model_locator.hpp"
#include "support/dav2_golden.hpp"
#include "support/test_support.hpp"

// LibTorch defines a glog-style CHECK macro that would shadow Catch's: Catch comes last.
#undef CHECK
#include <catch2/catch.hpp>

using namespace s3d;
using namespace s3d::dav2;
using s3d::test::TempDir;
using s3d::test::golden_depth;
using s3d::test::golden_file;

namespace {

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// The message of the s3d::Error `f` throws (fails the test if it throws nothing or another type).
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("no s3d::Error thrown");
  return {};
}

Dav2Config tiny_config() {  // the golden model's dimensions (tiny_vits.json; the golden test checks this copy)
  Dav2Config c;
  c.encoder = "custom";
  c.embed_dim = 128;
  c.depth = 12;
  c.num_heads = 2;
  c.ffn_hidden = 512;
  c.features = 32;
  c.out_channels = {16, 32, 64, 64};
  c.layer_idx = {2, 5, 8, 11};
  return c;
}

StateDict without(StateDict state, const std::function<bool(const std::string&)>& drop) {
  state.erase(std::remove_if(state.begin(), state.end(), [&](const auto& kv) { return drop(kv.first); }), state.end());
  return state;
}

}  // namespace

TEST_CASE("the golden OrderedDict checkpoint loads as saved by Python", "[reference]") {
  S3D_REQUIRE_SHARED();
  // The expected numbers come from the reference files themselves.
  const json::Value golden = json::parse_file(golden_file("golden.json").string(), "golden.json");
  const json::ObjectReader model_info = json::ObjectReader(golden, "golden.json").object("model");
  const json::Value tiny = json::parse_file(golden_file("tiny_vits.json").string(), "tiny_vits.json");
  const json::ObjectReader tiny_config_json(tiny, "tiny_vits.json");

  const auto state = read_checkpoint(golden_file("tiny_vits.pth"));
  REQUIRE(static_cast<int64_t>(state.size()) == model_info.integer("num_tensors"));
  CHECK(state.front().first == "pretrained.cls_token");
  CHECK(state.front().second.sizes() == torch::IntArrayRef({1, 1, tiny_config_json.integer("embed_dim")}));
  CHECK(state.back().first == "depth_head.scratch.output_conv2.2.bias");
  CHECK(state.back().second.item<float>() == 1.0f);  // tiny_vits.json init.final_fixup
  int64_t params = 0;
  for (const auto& [key, t] : state) params += t.numel();
  CHECK(params == model_info.integer("num_params"));

  const auto config = infer_config(state, "tiny");
  CHECK(config.encoder == "custom");
  CHECK(config.embed_dim == tiny_config_json.integer("embed_dim"));
  CHECK(config.depth == tiny_config_json.integer("depth"));
  CHECK(config.num_heads == tiny_config_json.integer("num_heads"));
  CHECK(config.ffn_hidden == tiny_config_json.integer("mlp_ratio") * tiny_config_json.integer("embed_dim"));
  CHECK(config.features == tiny_config_json.integer("features"));
  for (size_t i = 0; i < 4; ++i) {
    CHECK(config.out_channels[i] == tiny.find("out_channels")->items()[i].as_int());
    CHECK(config.layer_idx[i] == tiny.find("intermediate_layer_idx")->items()[i].as_int());
  }
  CHECK(config == tiny_config());  // the unit tests' copy of these dimensions is right
  DepthAnythingV2 model(config);
  CHECK_NOTHROW(load_state_dict_strict(*model, state, "tiny"));
  CHECK(torch::equal(model->pretrained->pos_embed, state[1].second));
}

TEST_CASE("a random vits checkpoint has the official key layout and loads", "[reference]") {
  S3D_REQUIRE_SHARED();
  TempDir dir;
  write_random_checkpoint("vits", dir / "vits.pth", 7);
  const auto state = read_checkpoint(dir / "vits.pth");
  // vits_keys_full.txt: the real checkpoint's keys and shapes, in file order.
  std::ifstream keys(golden_file("vits_keys_full.txt"));
  std::string line;
  size_t i = 0;
  while (std::getline(keys, line)) {
    REQUIRE(i < state.size());
    std::ostringstream got;
    got << state[i].first << " " << state[i].second.sizes();
    CHECK(got.str() == line);
    ++i;
  }
  CHECK(i == state.size());
  CHECK(infer_config(state, "vits.pth") == official_config("vits"));

  // The full-size code path runs: a 28x28 input (2x2 patches) gives a finite, non-negative map.
  auto model = load_depth_anything_v2(dir / "vits.pth");
  CHECK(model->config.encoder == "vits");
  torch::NoGradGuard no_grad;
  const auto depth = model->forward(torch::randn({1, 3, 28, 28}));
  CHECK(depth.sizes() == torch::IntArrayRef({1, 28, 28}));
  CHECK(torch::isfinite(depth).all().item<bool>());
  CHECK(depth.min().item<float>() >= 0.0f);
}

TEST_CASE("official encoder sizes match the published parameter counts", "[unit]") {
  // The model locator's names (lib/depth_stage, which builds without LibTorch) are these.
  CHECK(official_encoders() == depth_stage::dav2_encoder_names());
  // Parameter counts from the reference spec (checked there against the real modules).
  const std::vector<std::pair<std::string, int64_t>> expected = {
      {"vits", 24785089}, {"vitb", 97470785}, {"vitl", 335315649}};  // vitg (1.26e9, 5 GB) left out to stay fast
  for (const auto& [encoder, count] : expected) {
    INFO(encoder);
    DepthAnythingV2 model(official_config(encoder));
    int64_t params = 0;
    for (const auto& p : model->parameters()) params += p.numel();
    CHECK(params == count);
  }
  CHECK(official_config("vitg").swiglu);
  CHECK(official_config("vitg").ffn_hidden == 4096);
  CHECK_THROWS_AS(official_config("vitx"), UsageError);
}

TEST_CASE("written checkpoints read back bit-identically, in float32, float16 and bfloat16", "[unit]") {
  TempDir dir;
  const auto state = random_state_dict(tiny_config(), 3);
  for (auto dtype : {torch::kFloat, torch::kHalf, torch::kBFloat16}) {
    INFO(c10::toString(dtype));
    StateDict typed;
    for (const auto& [key, t] : state) typed.emplace_back(key, t.to(dtype));
    write_checkpoint(dir / "x.pth", typed);
    const auto back = read_checkpoint(dir / "x.pth");
    REQUIRE(back.size() == typed.size());
    for (size_t i = 0; i < back.size(); ++i) {
      CHECK(back[i].first == typed[i].first);
      CHECK(back[i].second.scalar_type() == dtype);
      CHECK(torch::equal(back[i].second, typed[i].second));
    }
    // Half-precision checkpoints load into the fp32 network.
    DepthAnythingV2 model(infer_config(back, "x.pth"));
    CHECK_NOTHROW(load_state_dict_strict(*model, back, "x.pth"));
  }
  // No temp file is left beside the output.
  CHECK(test::files_below(dir.path()).size() == 1);
}

TEST_CASE("truncated, corrupt and foreign files are clear errors naming the file", "[reference]") {
  S3D_REQUIRE_SHARED();
  TempDir dir;
  const auto bytes = read_bytes(golden_file("tiny_vits.pth"));
  for (size_t keep : {size_t{0}, size_t{30}, size_t{1000}, bytes.size() / 2, bytes.size() - 100}) {
    INFO("truncated to " << keep << " bytes");
    write_bytes(dir / "cut.pth", bytes.substr(0, keep));
    const auto msg = error_of([&] { read_checkpoint(dir / "cut.pth"); });
    CHECK_THAT(msg, Catch::Contains("cut.pth"));
    CHECK_THAT(msg, Catch::Contains("not a readable PyTorch checkpoint"));
  }
  {  // a damaged zip directory (the end-of-central-directory signature)
    auto corrupt = bytes;
    const auto eocd = corrupt.rfind(std::string("PK\x05\x06", 4));
    REQUIRE(eocd != std::string::npos);
    corrupt[eocd + 1] = 'X';
    write_bytes(dir / "corrupt.pth", corrupt);
    CHECK_THAT(error_of([&] { read_checkpoint(dir / "corrupt.pth"); }), Catch::Contains("corrupt.pth"));
  }
  {  // zips that are not state dicts: a foreign pickle global, a cut pickle, no data.pkl
    auto zip_with = [&](const std::string& name, const std::string& record, const std::string& data) {
      caffe2::serialize::PyTorchStreamWriter zip((dir / name).string());
      zip.writeRecord(record, data.data(), data.size());
      zip.writeEndOfFile();
      return dir / name;
    };
    const std::string evil("\x80\x02" "cos\nsystem\n" "X\x02\x00\x00\x00" "ls\x85R.", 23);
    CHECK_THAT(error_of([&] { read_checkpoint(zip_with("evil.pth", "data.pkl", evil)); }),
               Catch::Contains("evil.pth") && Catch::Contains("unsupported global os.system"));
    const std::string cut = std::string("\x80\x02}q\x00(X\x09\x00\x00\x00pretr", 16);
    CHECK_THAT(error_of([&] { read_checkpoint(zip_with("cut_pickle.pth", "data.pkl", cut)); }),
               Catch::Contains("truncated"));
    CHECK_THAT(error_of([&] { read_checkpoint(zip_with("other.pth", "model.json", "{}")); }),
               Catch::Contains("no data.pkl"));
  }
  {  // an image
    fs::copy_file(golden_file("input_c_200x200.png"), dir / "image.pth");
    CHECK_THAT(error_of([&] { read_checkpoint(dir / "image.pth"); }), Catch::Contains("image.pth"));
  }
  {  // a torch.save'd plain tensor, not a state dict
    const auto msg = error_of([&] { read_checkpoint(golden_file("a_raw.pt")); });
    CHECK_THAT(msg, Catch::Contains("a_raw.pt") && Catch::Contains("top-level object is a tensor"));
  }
  CHECK_THAT(error_of([&] { read_checkpoint(dir / "missing.pth"); }), Catch::Contains("not found"));
}

TEST_CASE("strict loading names missing, misshapen and unexpected keys", "[unit]") {
  TempDir dir;
  const auto state = random_state_dict(tiny_config(), 5);
  auto load = [&](const StateDict& s) { return error_of([&] { write_checkpoint(dir / "m.pth", s); load_depth_anything_v2(dir / "m.pth"); }); };

  SECTION("a missing key") {
    const auto msg = load(without(state, [](const std::string& k) { return k == "pretrained.blocks.3.attn.qkv.weight"; }));
    CHECK_THAT(msg, Catch::Contains("m.pth") && Catch::Contains("1 problem"));
    CHECK_THAT(msg, Catch::Contains("pretrained.blocks.3.attn.qkv.weight: missing, expected shape [384, 128]"));
  }
  SECTION("a wrong shape") {
    auto bad = state;
    for (auto& [k, t] : bad)
      if (k == "pretrained.blocks.5.mlp.fc2.weight") t = torch::zeros({128, 511});
    CHECK_THAT(load(bad), Catch::Contains("pretrained.blocks.5.mlp.fc2.weight: expected shape [128, 512], got [128, 511]"));
  }
  SECTION("an unexpected key") {
    auto bad = state;
    bad.emplace_back("depth_head.scratch.extra.weight", torch::zeros({2, 3}));
    CHECK_THAT(load(bad), Catch::Contains("depth_head.scratch.extra.weight: unexpected key, shape [2, 3]"));
  }
  SECTION("many problems: the first few are listed with the total") {
    const auto msg = load(without(state, [](const std::string& k) { return k.find(".ls1.gamma") != std::string::npos; }));
    CHECK_THAT(msg, Catch::Contains("12 problems") && Catch::Contains("pretrained.blocks.0.ls1.gamma: missing") &&
                        Catch::Contains("... and 2 more"));
  }
  SECTION("a key the network cannot be inferred without") {
    const auto msg = load(without(state, [](const std::string& k) { return k == "pretrained.cls_token"; }));
    CHECK_THAT(msg, Catch::Contains("pretrained.cls_token is missing"));
  }
  SECTION("the groups unused at inference may be absent") {
    write_checkpoint(dir / "m.pth", without(state, [](const std::string& k) { return is_unused_at_inference(k); }));
    CHECK(read_checkpoint(dir / "m.pth").size() == state.size() - 5);  // mask_token + 2 convs x (weight, bias)
    CHECK_NOTHROW(load_depth_anything_v2(dir / "m.pth"));
  }
}

TEST_CASE("a SwiGLU (vitg-style) checkpoint is recognized and runs", "[unit]") {
  // The vitg code path at toy width: 24 blocks would be vitl's depth, so keep 40 like vitg.
  Dav2Config config = tiny_config();
  config.depth = 40;
  config.layer_idx = {9, 19, 29, 39};
  config.swiglu = true;
  config.ffn_hidden = 96;
  config.embed_dim = 64;
  config.num_heads = 1;
  TempDir dir;
  write_checkpoint(dir / "g.pth", random_state_dict(config, 11));
  const auto state = read_checkpoint(dir / "g.pth");
  bool has_w12 = false;
  for (const auto& [key, t] : state)
    if (key == "pretrained.blocks.39.mlp.w12.weight") has_w12 = t.sizes() == torch::IntArrayRef({192, 64});
  CHECK(has_w12);
  const auto inferred = infer_config(state, "g.pth");
  CHECK(inferred == config);
  auto model = load_depth_anything_v2(dir / "g.pth");
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({1, 10, 64});
  // SwiGLU: silu(first half of w12) * second half, then w3.
  auto& block = model->pretrained->block_list[0];
  auto& ffn = block->swiglu_mlp;
  REQUIRE(ffn);
  const auto h = torch::matmul(x, ffn->w12->weight.t()) + ffn->w12->bias;
  const auto expected = torch::matmul(torch::silu(h.slice(2, 0, 96)) * h.slice(2, 96), ffn->w3->weight.t()) + ffn->w3->bias;
  CHECK((ffn->forward(x) - expected).abs().max().item<double>() < 1e-5);  // float32 sums in another order
  const auto depth = model->forward(torch::randn({1, 3, 42, 56}));
  CHECK(depth.sizes() == torch::IntArrayRef({1, 42, 56}));
  CHECK(torch::isfinite(depth).all().item<bool>());
}
