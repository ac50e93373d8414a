"""Trains and exports the OnnxImport sample's policy with PyTorch, as a game studio's training pipeline would.

Run with Debian's python3 (python3-torch, python3-onnx) from this folder:  /usr/bin/python3 make_policy.py
Writes policy.onnx (torch.onnx.export, opset 17) and policy.expected.csv (observations and PyTorch's action
probabilities for them). Seeded, so a rerun writes the same files.
"""
import csv

import torch
from torch import nn

torch.manual_seed(14)
ACTIONS = ["idle", "chase", "attack", "flee"]

def teacher(obs):
    """The scripted behaviour the policy imitates: obs = [health, enemy distance, enemy health, ammo, dx, dy]."""
    health, distance, enemy, ammo = obs[:, 0], obs[:, 1], obs[:, 2], obs[:, 3]
    action = torch.zeros(obs.shape[0], dtype=torch.long)              # idle
    action[distance < 0.6] = 1                                        # chase what is near
    action[(distance < 0.25) & (ammo > 0.2)] = 2                      # attack in range with ammo
    action[(health < 0.3) & (enemy > health)] = 3                     # flee when weaker
    return action

def observations(n):
    return torch.rand(n, 6) * torch.tensor([1.0, 1.0, 1.0, 1.0, 2.0, 2.0]) - torch.tensor([0, 0, 0, 0, 1.0, 1.0])

policy = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 4), nn.Softmax(dim=-1))
optimizer = torch.optim.Adam(policy.parameters(), lr=0.01)
train = observations(4096)
target = teacher(train)
for step in range(600):
    optimizer.zero_grad()
    loss = nn.functional.nll_loss(torch.log(policy(train) + 1e-9), target)
    loss.backward()
    optimizer.step()
policy.eval()

test = observations(16)
with torch.no_grad():
    probabilities = policy(test)
    held_out = observations(2048)
    accuracy = float((policy(held_out).argmax(1) == teacher(held_out)).float().mean())
torch.onnx.export(policy, test[:1], "policy.onnx", input_names=["observation"], output_names=["action"],
                  dynamic_axes={"observation": {0: "batch"}, "action": {0: "batch"}}, opset_version=17)
with open("policy.expected.csv", "w", newline="") as f:
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(["health", "distance", "enemy_health", "ammo", "dx", "dy"] + ["p_" + a for a in ACTIONS])
    for o, p in zip(test.tolist(), probabilities.tolist()):
        writer.writerow([repr(v) for v in o] + [repr(v) for v in p])
print(f"final training loss {float(loss):.4f}, held-out agreement with the scripted behaviour {accuracy:.3f}")
