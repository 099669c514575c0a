#include "depth_anything_v2/dpt_head.hpp"

namespace s3d::dav2 {

namespace F = torch::nn::functional;
using torch::nn::Conv2d;
using torch::nn::Conv2dOptions;

namespace {
constexpr int kHeadFeatures2 = 32;  // width of output_conv2, fixed for every variant

torch::Tensor resize_bilinear(const torch::Tensor& x, std::vector<int64_t> size) {
  return F::interpolate(x, F::InterpolateFuncOptions().size(size).mode(torch::kBilinear).align_corners(true));
}
}  // namespace

ResidualConvUnitImpl::ResidualConvUnitImpl(int f) {
  conv1 = register_module("conv1", Conv2d(Conv2dOptions(f, f, 3).padding(1)));
  conv2 = register_module("conv2", Conv2d(Conv2dOptions(f, f, 3).padding(1)));
}

torch::Tensor ResidualConvUnitImpl::forward(const torch::Tensor& x) {
  return conv2(torch::relu(conv1(torch::relu(x)))) + x;
}

FeatureFusionBlockImpl::FeatureFusionBlockImpl(int f) {
  out_conv = register_module("out_conv", Conv2d(Conv2dOptions(f, f, 1)));
  resConfUnit1 = register_module("resConfUnit1", ResidualConvUnit(f));
  resConfUnit2 = register_module("resConfUnit2", ResidualConvUnit(f));
}

torch::Tensor FeatureFusionBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& skip,
                                              std::optional<std::vector<int64_t>> size) {
  auto out = skip.defined() ? x + resConfUnit1(skip) : x;
  out = resConfUnit2(out);
  // align_corners=True maps dst -> src by (in-1)/(out-1), so an explicit 2x size equals scale_factor 2.
  out = resize_bilinear(out, size ? *size : std::vector<int64_t>{2 * out.size(2), 2 * out.size(3)});
  return out_conv(out);  // after the upsample, as the reference
}

DPTScratchImpl::DPTScratchImpl(int f, const std::array<int, 4>& c) {
  for (int i = 0; i < 4; ++i)
    layer_rn.push_back(register_module("layer" + std::to_string(i + 1) + "_rn",
                                       Conv2d(Conv2dOptions(c[i], f, 3).padding(1).bias(false))));
  for (int i = 0; i < 4; ++i)
    refinenet.push_back(register_module("refinenet" + std::to_string(i + 1), FeatureFusionBlock(f)));
  output_conv1 = register_module("output_conv1", Conv2d(Conv2dOptions(f, f / 2, 3).padding(1)));
  output_conv2 = register_module(
      "output_conv2", torch::nn::Sequential(Conv2d(Conv2dOptions(f / 2, kHeadFeatures2, 3).padding(1)), torch::nn::ReLU(),
                                            Conv2d(Conv2dOptions(kHeadFeatures2, 1, 1)), torch::nn::ReLU(),
                                            torch::nn::Identity()));
}

DPTHeadImpl::DPTHeadImpl(const Dav2Config& cfg) : patch_size(cfg.patch_size) {
  const auto& c = cfg.out_channels;
  projects = register_module("projects", torch::nn::ModuleList());
  for (int i = 0; i < 4; ++i) {
    project_list.push_back(Conv2d(Conv2dOptions(cfg.embed_dim, c[i], 1)));
    projects->push_back(project_list.back());
  }
  resize0 = torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(c[0], c[0], 4).stride(4));
  resize1 = torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(c[1], c[1], 2).stride(2));
  resize3 = Conv2d(Conv2dOptions(c[3], c[3], 3).stride(2).padding(1));
  resize_layers = register_module("resize_layers", torch::nn::ModuleList(resize0, resize1, torch::nn::Identity(), resize3));
  scratch = register_module("scratch", DPTScratch(cfg.features, c));
}

torch::Tensor DPTHeadImpl::forward(const std::vector<torch::Tensor>& features, int64_t ph, int64_t pw) {
  std::vector<torch::Tensor> levels;
  for (int i = 0; i < 4; ++i) {
    const auto& tokens = features[i];
    auto x = tokens.permute({0, 2, 1}).reshape({tokens.size(0), tokens.size(2), ph, pw});
    x = project_list[i](x);
    if (i == 0) x = resize0(x);
    if (i == 1) x = resize1(x);
    if (i == 3) x = resize3(x);
    levels.push_back(scratch->layer_rn[i](x));
  }
  auto size_of = [](const torch::Tensor& t) { return std::vector<int64_t>{t.size(2), t.size(3)}; };
  auto& rn = scratch->refinenet;
  auto path4 = rn[3]->forward(levels[3], torch::Tensor(), size_of(levels[2]));
  auto path3 = rn[2]->forward(path4, levels[2], size_of(levels[1]));
  auto path2 = rn[1]->forward(path3, levels[1], size_of(levels[0]));
  auto path1 = rn[0]->forward(path2, levels[0], std::nullopt);
  auto out = scratch->output_conv1(path1);
  out = resize_bilinear(out, {ph * patch_size, pw * patch_size});
  return scratch->output_conv2->forward(out);
}

}  // namespace s3d::dav2
