"""The same loss + miner steps as bench.ts, in PyTorch (CPU), printed as JSON for bench.ts.

Usage: python3 bench_torch.py REPEATS WARMUP SIZE...
"""
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

D = 128


def pdist(x, squared):
    x = F.normalize(x, dim=1)
    sq = (x * x).sum(1, keepdim=True) + (x * x).sum(1) - 2 * x @ x.T
    sq = sq.clamp(min=0)
    return sq if squared else sq.clamp(min=1e-12).sqrt()


def masks(labels):
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(len(labels), dtype=torch.bool)
    return (same & ~eye).float(), (~same).float()


def triplet_all(x, labels, margin=0.2):
    # The library's layout: [N, K, N] (anchor, its k-th positive, candidate), not [N, N, N].
    d = pdist(x, True)
    pos, neg = masks(labels)
    k = int(pos.sum(1).max())
    idx = torch.sort(pos, dim=1, descending=True, stable=True)[1][:, :k]
    valid = torch.gather(pos, 1, idx)
    ap = torch.gather(d, 1, idx)
    viol = torch.relu(ap[:, :, None] - d[:, None, :] + margin)
    w = valid[:, :, None] * neg[:, None, :]
    return (viol * w).sum() / w.sum()


def batch_hard_triplet(x, labels, margin=0.2):
    with torch.no_grad():
        d = pdist(x, False)
        pos, neg = masks(labels)
        p = (d * pos - (1 - pos)).argmax(1)
        n = (d + (1 - neg) * 1e9).argmin(1)
    dq = pdist(x, True)
    a = torch.arange(len(labels))
    return torch.relu(dq[a, p] - dq[a, n] + margin).mean()


def contrastive(x, labels):
    d = pdist(x, False)
    pos, neg = masks(labels)
    pl = torch.relu(d) * pos
    nl = torch.relu(1 - d) * neg
    return pl.sum() / ((pl > 0).sum().clamp(min=1)) + nl.sum() / ((nl > 0).sum().clamp(min=1))


def multi_similarity(x, labels, alpha=2.0, beta=50.0, base=0.5, eps=0.1):
    pos, neg = masks(labels)
    with torch.no_grad():
        s = F.normalize(x, dim=1) @ F.normalize(x, dim=1).T
        hard_neg = torch.where(neg > 0, s, torch.full_like(s, -1e9)).max(1, keepdim=True)[0]
        hard_pos = torch.where(pos > 0, s, torch.full_like(s, 1e9)).min(1, keepdim=True)[0]
        pos = pos * (s - eps < hard_neg).float()
        neg = neg * (s + eps > hard_pos).float()
    s = F.normalize(x, dim=1) @ F.normalize(x, dim=1).T

    def lse1(v, m):
        v = torch.where(m > 0, v, torch.full_like(v, -1e30))
        z = torch.zeros(v.shape[0], 1)
        return torch.logsumexp(torch.cat([v, z], 1), 1)

    return (lse1(-alpha * (s - base), pos) / alpha + lse1(beta * (s - base), neg) / beta).mean()


CASES = {
    "triplet all (sq. L2, mean)": triplet_all,
    "batchHard miner + triplet": batch_hard_triplet,
    "contrastive (all pairs)": contrastive,
    "multiSimilarity miner + loss": multi_similarity,
}


def main():
    repeats = int(sys.argv[1])
    warmup = int(sys.argv[2])
    sizes = [int(s) for s in sys.argv[3:]]
    torch.manual_seed(0)
    times = {}
    for n in sizes:
        x0 = torch.randn(n, D)
        labels = torch.arange(n) % (n // 4)
        for name, fn in CASES.items():
            def step():
                x = x0.clone().requires_grad_(True)
                fn(x, labels).backward()
                return x.grad

            for _ in range(warmup):
                step()
            ts = []
            for _ in range(repeats):
                t = time.perf_counter()
                step()
                ts.append((time.perf_counter() - t) * 1000)
            times[f"{name}|{n}"] = statistics.median(ts)
    print(json.dumps({"times": times, "threads": torch.get_num_threads(), "version": torch.__version__}))


if __name__ == "__main__":
    main()
