"""Writes PyTorch references for BatchNorm in training and eval mode (run with Debian's /usr/bin/python3 from this folder).

Per model, batchnorm_<name>.json holds, in NeuralNet.Gen's layouts (channels last; Linear weight [out, in], Conv2d
weight [filters, channels, kh, kw], BatchNorm weight then bias): the parameters, a batch of inputs and targets, the
training-mode MSE loss and its gradients, the running statistics after that training-mode forward (BatchNorm's
buffers, running mean then running variance), and the eval-mode outputs after it. Everything is seeded and in
float64, so a rerun writes the same file.
"""
import json
import torch
from torch import nn

torch.manual_seed(13)
torch.set_default_dtype(torch.float64)


class Vector(nn.Module):
    """[Input(4)] [Dense(5)] [BatchNorm(Momentum = 0.2)] [Dense(2, Tanh)]"""

    def __init__(self):
        super().__init__()
        self.dense1 = nn.Linear(4, 5)
        self.bn = nn.BatchNorm1d(5, momentum=0.2)
        self.dense2 = nn.Linear(5, 2)

    def forward(self, x):
        return torch.tanh(self.dense2(self.bn(self.dense1(x))))

    def layers(self):
        return [self.dense1, self.bn, self.dense2]


class Image(nn.Module):
    """[Input(5, 5, 2)] [Conv2D(3, 3)] [BatchNorm] [Flatten] [Dense(2)], channels last as NeuralNet.Gen."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3)
        self.bn = nn.BatchNorm2d(3)
        self.dense = nn.Linear(27, 2)

    def forward(self, x):
        y = self.bn(self.conv(x.permute(0, 3, 1, 2)))
        return self.dense(y.permute(0, 2, 3, 1).reshape(x.shape[0], -1))

    def layers(self):
        return [self.conv, self.bn, self.dense]


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def write(name, model, input_shape, batch):
    for layer in model.layers():
        if isinstance(layer, nn.BatchNorm1d) or isinstance(layer, nn.BatchNorm2d):
            # Not the defaults, so the test sees the weight and bias at work.
            with torch.no_grad():
                layer.weight.copy_(1 + 0.5 * torch.randn_like(layer.weight))
                layer.bias.copy_(0.3 * torch.randn_like(layer.bias))
    parameters = [flat(p) for layer in model.layers() for p in (layer.weight, layer.bias)]
    x = torch.randn(batch, *input_shape)
    t = torch.randn(batch, 2)
    model.train()
    prediction = model(x)
    # NeuralNet.Gen's MSE: mean over the batch and the outputs.
    loss = ((prediction - t) ** 2).mean()
    loss.backward()
    gradients = [flat(p.grad) for layer in model.layers() for p in (layer.weight, layer.bias)]
    bn = [l for l in model.layers() if isinstance(l, (nn.BatchNorm1d, nn.BatchNorm2d))][0]
    buffers = flat(bn.running_mean) + flat(bn.running_var)
    model.eval()
    with torch.no_grad():
        evaluated = model(x)
    data = {
        "batch": batch,
        "parameters": [v for p in parameters for v in p],
        "inputs": flat(x),
        "targets": flat(t),
        "trainingLoss": float(loss),
        "gradients": [v for g in gradients for v in g],
        "buffers": buffers,
        "evalOutputs": flat(evaluated),
    }
    with open(f"batchnorm_{name}.json", "w") as f:
        json.dump(data, f, indent=1)


write("vector", Vector(), (4,), 6)
write("image", Image(), (5, 5, 2), 3)
