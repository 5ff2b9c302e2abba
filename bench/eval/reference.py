"""Reference for bench/eval/run.ts: faiss IndexFlatL2 k-NN + numpy P@1 / R-precision / MAP@R,
and faiss HNSW recall@10 / throughput. Reads the .bin written by run.ts: int32 n, int32 d,
float32 x[n*d], int32 labels[n]. Prints one JSON line. Usage: reference.py FILE NQ [--metrics-only]"""
import json, sys, time
import numpy as np
import faiss

path, nq_ann = sys.argv[1], int(sys.argv[2])
raw = open(path, 'rb').read()
n, d = (int(v) for v in np.frombuffer(raw[:8], dtype=np.int32))
x = np.frombuffer(raw[8:8 + 4 * n * d], dtype=np.float32).reshape(n, d)
y = np.frombuffer(raw[8 + 4 * n * d:], dtype=np.int32)

t0 = time.perf_counter()
counts = np.bincount(y)
R = counts[y] - 1
k = int(R.max()) + 1
index = faiss.IndexFlatL2(d)
index.add(x)
p1 = rp = mapr = 0.0
for s in range(0, n, 5000):
    _, I = index.search(x[s:s + 5000], k)
    I = I[:, 1:]  # drop self (first hit; ties with duplicates aside)
    rel = (y[I] == y[s:s + 5000, None])
    r = R[s:s + 5000]
    mask = np.arange(k - 1)[None, :] < r[:, None]
    relR = rel & mask
    cum = np.cumsum(relR, 1)
    p1 += rel[:, 0].sum()
    rp += (relR.sum(1) / r).sum()
    mapr += ((cum / np.arange(1, k)[None, :] * relR).sum(1) / r).sum()
metrics_s = time.perf_counter() - t0
out = {'metrics_s': metrics_s, 'p1': p1 / n, 'rp': rp / n, 'mapr': mapr / n,
       'faiss_threads': faiss.omp_get_max_threads()}
if '--metrics-only' in sys.argv:
    print(json.dumps(out))
    sys.exit(0)

q = x[:nq_ann]
_, truth = index.search(q, 10)
hnsw = faiss.IndexHNSWFlat(d, 16)
hnsw.hnsw.efConstruction = 40
t0 = time.perf_counter(); hnsw.add(x); out['hnsw_build_s'] = time.perf_counter() - t0
hnsw.hnsw.efSearch = 64
t0 = time.perf_counter(); _, got = hnsw.search(q, 10); dt = time.perf_counter() - t0
out['hnsw_qps'] = nq_ann / dt
out['hnsw_recall10'] = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, truth)]))
t0 = time.perf_counter(); index.search(q, 10); out['flat_qps'] = nq_ann / (time.perf_counter() - t0)
print(json.dumps(out))
