"""Writes PyTorch's outputs and derivatives of Relu6, HardSigmoid, HardSwish, Mish and Selu on a grid, in float64
(run with Debian's /usr/bin/python3 from this folder): activations.json maps each name to its y and dy/dx at x."""
import json
import torch
import torch.nn.functional as F

x = torch.linspace(-6.15, 6.15, 42, dtype=torch.float64)
functions = {"Relu6": F.relu6, "HardSigmoid": F.hardsigmoid, "HardSwish": F.hardswish, "Mish": F.mish, "Selu": F.selu}
data = {"x": [float(v) for v in x]}
for name, f in functions.items():
    xs = x.clone().requires_grad_(True)
    y = f(xs)
    y.sum().backward()
    data[name] = {"y": [float(v) for v in y.detach()], "dydx": [float(v) for v in xs.grad]}
with open("activations.json", "w") as out:
    json.dump(data, out, indent=1)
    out.write("\n")
