#!/usr/bin/env python3
"""Writes the template's data/circles.csv: scikit-learn's make_circles (300 points, noise 0.1, factor 0.5),
seeded, written without scikit-learn so the script runs anywhere. Run from this folder: python3 make-circles.py"""
import csv
import math
import random

rng = random.Random(1)
rows = []
n = 300
for i in range(n):
    inner = i >= n // 2
    k = i - n // 2 if inner else i
    angle = 2 * math.pi * k / (n // 2)
    radius = 0.5 if inner else 1.0
    x = radius * math.cos(angle) + rng.gauss(0, 0.1)
    y = radius * math.sin(angle) + rng.gauss(0, 0.1)
    rows.append((f"{x:.4f}", f"{y:.4f}", "1" if inner else "0"))
rng.shuffle(rows)
with open("../content/nngen-console/data/circles.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(("x", "y", "inner"))
    w.writerows(rows)
