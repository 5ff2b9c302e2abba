/**
 * An Acos kernel for the WebGPU backend that is accurate in float32. tfjs-backend-webgpu calls
 * WGSL's acos(), whose precision the WebGPU spec leaves loose (it is inherited from atan2, and
 * GPUs and llvmpipe use short approximations): on llvmpipe it is off by 2e-4 relative near
 * |x| = 1, which ArcFace's cos(acos(cos θ) + m) scaled by 64 turns into a loss 1e-4 off the
 * PyTorch reference. This kernel uses Cephes' acosf instead (half-angle reduction to asin on
 * |x| <= 0.5, then a degree-5 polynomial; about 1 float32 ulp). The gradient is tfjs's Acos
 * gradient, which reads only the input, so it is unchanged.
 *
 * @example
 * tf.registerKernel({ kernelName: 'Acos', backendName: 'webgpu', kernelFunc: accurateAcos(webgpu_util) });
 */
import type * as tf from '../tf';

/** The two webgpu_util helpers every elementwise program uses (tfjs-backend-webgpu exports them). */
export interface WebGpuDispatchUtil {
  flatDispatchLayout(shape: number[]): { x: number[] };
  computeDispatch(
    layout: { x: number[] },
    shape: number[],
    workgroupSize: [number, number, number],
  ): [number, number, number];
}

interface ProgramRunner {
  runWebGPUProgram(program: object, inputs: tf.TensorInfo[], dtype: tf.DataType): tf.TensorInfo;
}

/** WGSL for Cephes acosf; NaN outside [-1, 1] as tfjs's own kernel gives. */
export const ACCURATE_ACOS_WGSL = `
  fn asinSmall(x : f32) -> f32 {
    // |x| <= 0.5: Cephes asinf polynomial in z = x * x.
    let z = x * x;
    let p = ((((4.2163199048e-2 * z + 2.4181311049e-2) * z + 4.5470025998e-2) * z
      + 7.4953002686e-2) * z + 1.6666752422e-1) * z;
    return x + x * p;
  }
  fn accurateAcos(x : f32) -> f32 {
    if (abs(x) > 1.0) {
      return uniforms.NAN;
    }
    if (x < -0.5) {
      return 3.14159265358979 - 2.0 * asinSmall(sqrt(0.5 * (1.0 + x)));
    }
    if (x > 0.5) {
      return 2.0 * asinSmall(sqrt(0.5 * (1.0 - x)));
    }
    return 1.57079632679490 - asinSmall(x);
  }`;

/** A tfjs WebGPUProgram: one thread per element, as tfjs's UnaryOpProgram. */
class AccurateAcosProgram {
  readonly variableNames = ['A'];
  readonly size = true;
  readonly workgroupSize: [number, number, number] = [128, 1, 1];
  readonly shaderKey = 'metriclab_accurate_acos';
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];

  constructor(
    readonly outputShape: number[],
    util: WebGpuDispatchUtil,
  ) {
    this.dispatchLayout = util.flatDispatchLayout(outputShape);
    this.dispatch = util.computeDispatch(this.dispatchLayout, outputShape, this.workgroupSize);
  }

  getUserCode(): string {
    return `${ACCURATE_ACOS_WGSL}
      fn main(index : i32) {
        if (index < uniforms.size) {
          setOutputAtIndex(index, accurateAcos(getAByOutputIndex(index)));
        }
      }`;
  }
}

/** The kernelFunc for 'Acos' on 'webgpu', given tfjs-backend-webgpu's webgpu_util. */
export function accurateAcos(util: WebGpuDispatchUtil): tf.KernelFunc {
  return ({ inputs, backend }) => {
    const x = inputs.x as tf.TensorInfo;
    return (backend as unknown as ProgramRunner).runWebGPUProgram(
      new AccurateAcosProgram(x.shape, util),
      [x],
      'float32',
    );
  };
}
