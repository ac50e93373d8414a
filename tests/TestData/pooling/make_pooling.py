"""Writes PyTorch references for the pooling layers (run with Debian's /usr/bin/python3 from this folder).

pooling.json holds one case per layer: the layer as declared in NeuralNet.Gen, the per-sample input shape in
NeuralNet.Gen's layout (channels last: a sequence [steps, features], an image [height, width, channels]), a batch of
inputs, PyTorch's outputs (channels last, a vector per sample for the global pools), and the gradient of
sum(outputs * weights) with respect to the inputs for the given weights. Inputs are rounded to halves so that
windows hold ties, which the max pools must break as PyTorch does (the first maximum). Seeded and in float64, so a
rerun writes the same file.
"""
import json
import torch
import torch.nn.functional as F

torch.manual_seed(12)
torch.set_default_dtype(torch.float64)


def sequence(op):
    # Ours [N, steps, features]; PyTorch's 1-D pools read [N, features, steps].
    return lambda x: op(x.permute(0, 2, 1)).permute(0, 2, 1)


def image(op):
    # Ours [N, H, W, C]; PyTorch's 2-D pools read [N, C, H, W].
    return lambda x: op(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)


CASES = [
    ("MaxPool1D(3, Stride = 2)", [9, 3], sequence(lambda t: F.max_pool1d(t, 3, 2))),
    ("MaxPool1D(2)", [7, 2], sequence(lambda t: F.max_pool1d(t, 2))),
    ("AveragePool1D(3, Stride = 2)", [8, 3], sequence(lambda t: F.avg_pool1d(t, 3, 2))),
    ("AveragePool1D(2)", [7, 2], sequence(lambda t: F.avg_pool1d(t, 2))),
    ("AveragePool2D(3, Stride = 2)", [6, 7, 2], image(lambda t: F.avg_pool2d(t, 3, 2))),
    ("AveragePool2D(2)", [5, 4, 3], image(lambda t: F.avg_pool2d(t, 2))),
    ("GlobalAveragePool", [6, 3], lambda x: x.mean(dim=1)),
    ("GlobalAveragePool", [4, 5, 3], lambda x: F.adaptive_avg_pool2d(x.permute(0, 3, 1, 2), 1).flatten(1)),
    ("GlobalMaxPool", [6, 3], lambda x: F.adaptive_max_pool1d(x.permute(0, 2, 1), 1).flatten(1)),
    ("GlobalMaxPool", [4, 5, 3], lambda x: F.adaptive_max_pool2d(x.permute(0, 3, 1, 2), 1).flatten(1)),
]

BATCH = 3


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


cases = []
for layer, shape, forward in CASES:
    x = (torch.randn(BATCH, *shape) * 2).round() / 2
    x.requires_grad_(True)
    y = forward(x)
    w = torch.randn(y.shape)
    (y * w).sum().backward()
    cases.append({
        "layer": layer,
        "inputShape": shape,
        "batch": BATCH,
        "inputs": flat(x),
        "outputShape": list(y.shape[1:]),
        "outputs": flat(y),
        "weights": flat(w),
        "inputGradients": flat(x.grad),
    })

with open("pooling.json", "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
