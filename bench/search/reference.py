"""Reference for bench/search/ann.ts: faiss IndexHNSWFlat (M, efConstruction as given) swept over
efSearch, recall@10 against exact search and queries/s. Reads the .bin written by ann.ts
(int32 n, int32 d, float32 x[n*d]); the first NQ rows are the queries. Prints one JSON line.
Usage: reference.py FILE NQ M EF_CONSTRUCTION EF1,EF2,..."""
import json, sys, time
import numpy as np
import faiss

path, nq, M, efc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
efs = [int(e) for e in sys.argv[5].split(',')]
raw = open(path, 'rb').read()
n, d = (int(v) for v in np.frombuffer(raw[:8], dtype=np.int32))
x = np.frombuffer(raw[8:8 + 4 * n * d], dtype=np.float32).reshape(n, d)
q = x[:nq]
flat = faiss.IndexFlatL2(d)
flat.add(x)
_, truth = flat.search(q, 10)
hnsw = faiss.IndexHNSWFlat(d, M)
hnsw.hnsw.efConstruction = efc
t0 = time.perf_counter(); hnsw.add(x); build = time.perf_counter() - t0
points = []
for ef in efs:
    hnsw.hnsw.efSearch = ef
    best = float('inf')
    for _ in range(5):  # best of 5: the machine may be disturbed
        t0 = time.perf_counter(); _, got = hnsw.search(q, 10); best = min(best, time.perf_counter() - t0)
    recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, truth)]))
    points.append({'ef': ef, 'recall10': recall, 'qps': nq / best})
print(json.dumps({'build_s': build, 'threads': faiss.omp_get_max_threads(), 'points': points}))
