"""Writes PyTorch references for LayerNorm (run with Debian's /usr/bin/python3 from this folder).

Per model, layernorm_<name>.json holds, in NeuralNet.Gen's layouts (channels last; Linear weight [out, in], Conv2d
weight [filters, channels, kh, kw], LayerNorm weight then bias): the parameters, a batch of inputs and targets, the
outputs, the MSE loss (mean over every output value) and its gradients. LayerNorm has no training mode of its own, so
the outputs are those of Forward too. Seeded and in float64, so a rerun writes the same file.
"""
import json
import torch
from torch import nn

torch.manual_seed(17)
torch.set_default_dtype(torch.float64)


class Vector(nn.Module):
    """[Input(4)] [Dense(5)] [LayerNorm]"""

    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(4, 5)
        self.norm = nn.LayerNorm(5)

    def forward(self, x):
        return self.norm(self.dense(x))

    def layers(self):
        return [self.dense, self.norm]


class Sequence(nn.Module):
    """[Input(3, 2)] [Dense(4)] (per step) [LayerNorm(Epsilon = 1e-3)]"""

    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(2, 4)
        self.norm = nn.LayerNorm(4, eps=1e-3)

    def forward(self, x):
        return self.norm(self.dense(x))

    def layers(self):
        return [self.dense, self.norm]


class Image(nn.Module):
    """[Input(4, 4, 2)] [Conv2D(3, 2)] [LayerNorm], channels last as NeuralNet.Gen: LayerNorm over each position's channels."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 2)
        self.norm = nn.LayerNorm(3)

    def forward(self, x):
        return self.norm(self.conv(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1))

    def layers(self):
        return [self.conv, self.norm]


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def write(name, model, input_shape, batch):
    with torch.no_grad():
        # Not the defaults, so the test sees the weight and bias at work.
        model.norm.weight.copy_(1 + 0.5 * torch.randn_like(model.norm.weight))
        model.norm.bias.copy_(0.3 * torch.randn_like(model.norm.bias))
    x = torch.randn(batch, *input_shape)
    prediction = model(x)
    t = torch.randn(prediction.shape)
    loss = ((prediction - t) ** 2).mean()
    loss.backward()
    data = {
        "batch": batch,
        "parameters": [v for layer in model.layers() for p in (layer.weight, layer.bias) for v in flat(p)],
        "inputs": flat(x),
        "targets": flat(t),
        "outputs": flat(prediction),
        "loss": float(loss),
        "gradients": [v for layer in model.layers() for p in (layer.weight, layer.bias) for v in flat(p.grad)],
    }
    with open(f"layernorm_{name}.json", "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


write("vector", Vector(), (4,), 3)
write("sequence", Sequence(), (3, 2), 2)
write("image", Image(), (4, 4, 2), 2)
