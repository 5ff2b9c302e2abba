{
  "targets": [
    {
      "target_name": "metriclab_blas",
      "sources": ["src/blas.c"],
      "cflags": ["-O2", "<!@(pkg-config --cflags openblas)"],
      "libraries": ["<!@(pkg-config --libs openblas)"]
    }
  ]
}
