"""PyTorch CPU reference for bench/train/run.ts: one training step of the same embedder on the
same batch, timed the same way (warm-up, then repeats; one sample = one step).

Step = forward, batch-hard mining without gradients (farthest positive, closest negative, by
euclidean distance on L2-normalized embeddings: metriclab's miners.batchHard() default), triplet
loss relu(d_ap - d_an + 0.2) with squared euclidean on normalized embeddings, mean over the mined
triplets (metriclab's losses.tripletMargin() default), backward, Adam(lr=1e-3) update.

Usage: python3 reference.py BATCH_FILE MODEL(mlp|cnn) WARMUP REPEATS
BATCH_FILE: int32 n, int32 d, float32 x[n*d] in [0,1], int32 labels[n] (written by run.ts).
Prints one JSON line: {"step_s": [...], "threads": T, "first_loss": L}.
"""
import json
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128))


def cnn():
    # metriclab cnnEmbedder defaults: conv3x3(32) pool2 conv3x3(64) pool2 dense(128) embedding(128).
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 128),
    )


def batch_hard(e, y):
    with torch.no_grad():
        d = torch.cdist(e, e)
        same = y[:, None] == y[None, :]
        eye = torch.eye(len(y), dtype=torch.bool)
        pos = same & ~eye
        neg = ~same
        hard_p = torch.where(pos, d, torch.full_like(d, -1.0)).argmax(1)
        hard_n = torch.where(neg, d, torch.full_like(d, float('inf'))).argmin(1)
        keep = pos.any(1) & neg.any(1)
        a = torch.arange(len(y))[keep]
        return a, hard_p[keep], hard_n[keep]


def step(model, opt, x, y):
    opt.zero_grad(set_to_none=True)
    e = F.normalize(model(x), dim=1)
    a, p, n = batch_hard(e, y)
    d_ap = (e[a] - e[p]).pow(2).sum(1)
    d_an = (e[a] - e[n]).pow(2).sum(1)
    loss = F.relu(d_ap - d_an + 0.2).mean()
    loss.backward()
    opt.step()
    return loss.item()


def main():
    path, kind, warmup, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    raw = open(path, 'rb').read()
    n, d = (int(v) for v in np.frombuffer(raw[:8], dtype=np.int32))
    x = torch.from_numpy(np.frombuffer(raw[8:8 + 4 * n * d], dtype=np.float32).reshape(n, d).copy())
    y = torch.from_numpy(np.frombuffer(raw[8 + 4 * n * d:], dtype=np.int32).astype(np.int64))
    torch.manual_seed(1)
    model = mlp() if kind == 'mlp' else cnn()
    if kind == 'cnn':
        x = x.reshape(n, 1, 28, 28)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    first = step(model, opt, x, y)
    for _ in range(max(0, warmup - 1)):
        step(model, opt, x, y)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        step(model, opt, x, y)
        times.append(time.perf_counter() - t0)
    print(json.dumps({'step_s': times, 'threads': torch.get_num_threads(), 'first_loss': first}))


if __name__ == '__main__':
    main()
