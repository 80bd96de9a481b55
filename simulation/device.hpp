#pragma once
// The precision and the device a simulator runs in, as every model's settings spell them
// (model.dtype and model.device for the state-tracking model, committee.dtype and committee.device
// for the committee machine). Torch-free.
#include <string>

#include <cotdyn/core/choice.hpp>

namespace cotdyn::simulation {

enum class Precision { float64, float32 };
enum class DeviceKind { cpu, cuda };

inline constexpr core::ChoiceNames<Precision, 2> precision_names{
    {{Precision::float64, "float64"}, {Precision::float32, "float32"}}};
inline constexpr core::ChoiceNames<DeviceKind, 2> device_names{{{DeviceKind::cpu, "cpu"}, {DeviceKind::cuda, "cuda"}}};

// True when the linked LibTorch can run on a CUDA device. In the theory-only build it throws
// core::LibTorchNeeded naming `key` (the config key that asks for "cuda"), so the command continues
// in the program that has LibTorch (library cotdyn_simulation_settings).
bool cuda_available(const std::string& key);

// What a config asking for "cuda" is told when cuda_available() is false.
inline constexpr const char* no_cuda_device =
    "this build's LibTorch has no CUDA device available (use \"cpu\", or build against a CUDA LibTorch via -DTorch_DIR)";

}  // namespace cotdyn::simulation
