/*
 * metriclab's optional native path: OpenBLAS's sgemm for the matrix products of the wasm backend.
 * The wasm backend keeps every tensor in its own linear memory; the kernels in
 * lib/backend/kernels/native-mat-mul.ts hand this module Float32Array views of that memory, so
 * sgemm reads its operands and writes its result in place (no copies). Built by
 * scripts/build-native.mjs at install when Debian's libopenblas-dev and node-gyp are there;
 * without it everything runs on XNNPACK inside wasm.
 */
#include <cblas.h>
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>

#define CHECK(call)                                                   \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      napi_throw_error(env, NULL, "metriclab_blas: N-API call failed"); \
      return NULL;                                                    \
    }                                                                 \
  } while (0)

/* A Float32Array argument: its data and length in floats; NULL (with an exception) otherwise. */
static float* float_view(napi_env env, napi_value value, size_t* length, const char* name) {
  bool is_typed = false;
  napi_typedarray_type type;
  void* data = NULL;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) {
    napi_throw_type_error(env, NULL, name);
    return NULL;
  }
  napi_get_typedarray_info(env, value, &type, length, &data, NULL, NULL);
  if (type != napi_float32_array) {
    napi_throw_type_error(env, NULL, name);
    return NULL;
  }
  return (float*)data;
}

/*
 * sgemm(transA, transB, batch, m, n, k, a, strideA, b, strideB, c, strideC): for each batch entry
 * i, C_i = op(A_i) op(B_i), row-major, op(A) [m, k], op(B) [k, n], C [m, n]; X_i starts at
 * i * strideX floats (a stride of 0 broadcasts one matrix over the batch).
 */
static napi_value sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 12) {
    napi_throw_type_error(env, NULL, "sgemm expects 12 arguments");
    return NULL;
  }
  bool trans_a, trans_b;
  CHECK(napi_get_value_bool(env, argv[0], &trans_a));
  CHECK(napi_get_value_bool(env, argv[1], &trans_b));
  int32_t batch, m, n, k, stride_a, stride_b, stride_c;
  CHECK(napi_get_value_int32(env, argv[2], &batch));
  CHECK(napi_get_value_int32(env, argv[3], &m));
  CHECK(napi_get_value_int32(env, argv[4], &n));
  CHECK(napi_get_value_int32(env, argv[5], &k));
  CHECK(napi_get_value_int32(env, argv[7], &stride_a));
  CHECK(napi_get_value_int32(env, argv[9], &stride_b));
  CHECK(napi_get_value_int32(env, argv[11], &stride_c));
  size_t len_a, len_b, len_c;
  float* a = float_view(env, argv[6], &len_a, "sgemm: a must be a Float32Array");
  if (!a) return NULL;
  float* b = float_view(env, argv[8], &len_b, "sgemm: b must be a Float32Array");
  if (!b) return NULL;
  float* c = float_view(env, argv[10], &len_c, "sgemm: c must be a Float32Array");
  if (!c) return NULL;
  if (batch < 1 || m < 0 || n < 0 || k < 0 || stride_a < 0 || stride_b < 0 || stride_c < 0 ||
      (size_t)(batch - 1) * stride_a + (size_t)m * k > len_a ||
      (size_t)(batch - 1) * stride_b + (size_t)k * n > len_b ||
      (size_t)(batch - 1) * stride_c + (size_t)m * n > len_c) {
    napi_throw_range_error(env, NULL, "sgemm: shapes and strides do not fit the arrays");
    return NULL;
  }
  for (int32_t i = 0; i < batch; i++) {
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, m, n, k,
                1.0f, a + (size_t)i * stride_a, trans_a ? m : k, b + (size_t)i * stride_b, trans_b ? k : n, 0.0f,
                c + (size_t)i * stride_c, n);
  }
  return NULL;
}

/* setThreads(n): OpenBLAS's thread count for later calls. */
static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t threads;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(napi_get_value_int32(env, argv[0], &threads));
  if (threads < 1) {
    napi_throw_range_error(env, NULL, "setThreads: threads must be >= 1");
    return NULL;
  }
  openblas_set_num_threads(threads);
  return NULL;
}

/* info(): { threads, config } of the OpenBLAS in use. */
static napi_value blas_info(napi_env env, napi_callback_info info) {
  napi_value out, threads, config;
  CHECK(napi_create_object(env, &out));
  CHECK(napi_create_int32(env, openblas_get_num_threads(), &threads));
  CHECK(napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &config));
  CHECK(napi_set_named_property(env, out, "threads", threads));
  CHECK(napi_set_named_property(env, out, "config", config));
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sgemm", NULL, sgemm, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"info", NULL, blas_info, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
