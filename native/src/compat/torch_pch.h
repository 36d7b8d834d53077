// Precompiled header: the libtorch and Node-API headers every translation unit uses.
#pragma once
#include <torch/torch.h>
#include <napi.h>
