import { createRequire } from 'node:module';
import path from 'node:path';

/** Decoded pixels, RGB, row by row: what the renderer hands to a detector. */
export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

/** A face found by a detector, in fractions (0..1) of the image it was given. */
export interface DetectedFace {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

/** The detector itself failed (model, runtime), not the photo: the job retries, the photo stays unpublished. */
export class FaceDetectionError extends Error {
  constructor(cause: unknown) {
    super(`face detection failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'FaceDetectionError';
  }
}

/** Finds faces in an upright RGB image. The photo job blurs every one it returns. */
export type FaceDetector = (image: RgbImage) => Promise<DetectedFace[]>;

/**
 * The detector's settings (docs/adr/0011-face-blurring.md): SSD MobileNet v1 from @vladmandic/face-api,
 * on TensorFlow.js' WebAssembly backend. 0.5 is the model's own default; on the measured set it found
 * every face and blurred nothing else, where the tiny detector blurred a leaf at 0.45.
 */
export const FACE_MIN_CONFIDENCE = 0.5;
/** A street photo rarely holds more; the cap bounds the non-max suppression's work. */
const FACE_MAX_RESULTS = 200;

interface Tensor {
  dispose(): void;
}

// What this module uses of face-api's CommonJS bundle (its own typings drag in the DOM's).
interface FaceApi {
  tf: {
    setWasmPaths(prefix: string): void;
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
    tensor3d(values: Uint8Array, shape: [number, number, number], dtype: 'int32'): Tensor;
    slice(tensor: Tensor, begin: number[], size: number[]): Tensor;
  };
  nets: { ssdMobilenetv1: { loadFromDisk(dir: string): Promise<void> } };
  SsdMobilenetv1Options: new (options: { minConfidence: number; maxResults: number }) => unknown;
  detectAllFaces(
    input: unknown,
    options: unknown,
  ): Promise<{ score: number; box: { x: number; y: number; width: number; height: number } }[]>;
}

let loading: Promise<FaceApi> | null = null;

/**
 * Loads face-api, the WebAssembly backend and the SSD weights once per process (about half a
 * second), on first use: the API imports this package too and never detects anything. Everything is
 * read from node_modules; nothing is fetched at run time.
 */
function loadFaceApi(): Promise<FaceApi> {
  loading ??= (async () => {
    const before = processListeners();
    try {
      return await loadModel();
    } finally {
      // The WebAssembly runtime (Emscripten) adds process handlers that re-throw every uncaught
      // exception and unhandled rejection: they would turn the worker's own handling into a crash.
      const emitter: NodeJS.EventEmitter = process;
      for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
        for (const listener of emitter.listeners(event)) {
          if (!before[event].includes(listener))
            emitter.removeListener(event, listener as (...args: unknown[]) => void);
        }
      }
    }
  })();
  // A failed load (a missing file) is retried by the next job instead of failing every job for ever.
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

function processListeners(): Record<'uncaughtException' | 'unhandledRejection', unknown[]> {
  const emitter: NodeJS.EventEmitter = process;
  return {
    uncaughtException: emitter.listeners('uncaughtException'),
    unhandledRejection: emitter.listeners('unhandledRejection'),
  };
}

async function loadModel(): Promise<FaceApi> {
  const require = createRequire(import.meta.url);
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
  // The .wasm files ship in the npm tarball; without a path the backend would look beside the bundle.
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  faceapi.tf.setWasmPaths(`${wasmDir}${path.sep}`);
  if (!(await faceapi.tf.setBackend('wasm'))) throw new Error('the TensorFlow.js WebAssembly backend did not start');
  await faceapi.tf.ready();
  const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
  return faceapi;
}

/**
 * The model sees every image at 512×512: in a 1600 px street photo a face 60 px high shrinks to 19 and
 * is missed. So the image is also read in overlapping tiles (2×2), each seen at 512, and the detections
 * of all passes merged. The overlap (a quarter of a tile) keeps whole any face smaller than it,
 * whichever tile borders cross it. Small photos are tiled too: their tiles are enlarged to 512, which
 * finds the faces of a 640 px photo's passers-by (measured: 2 of 3 without tiles, 3 with).
 */
const TILING_FROM_EDGE = 320;
const TILE_OVERLAP = 0.25;
/** Two detections of one face (from two passes) overlap this much or more (intersection over union). */
const SAME_FACE_IOU = 0.3;

/** The face detector the photo job uses: SSD MobileNet v1, weights and runtime from npm packages. */
export const detectFaces: FaceDetector = async (image) => {
  const faceapi = await loadFaceApi();
  const options = new faceapi.SsdMobilenetv1Options({
    minConfidence: FACE_MIN_CONFIDENCE,
    maxResults: FACE_MAX_RESULTS,
  });
  const tensor = faceapi.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  const found: DetectedFace[] = [];
  try {
    for (const area of passesOf(image.width, image.height)) {
      const input = area.isWhole
        ? tensor
        : faceapi.tf.slice(tensor, [area.top, area.left, 0], [area.height, area.width, 3]);
      try {
        for (const { score, box } of await faceapi.detectAllFaces(input, options)) {
          found.push({
            x: (area.left + box.x) / image.width,
            y: (area.top + box.y) / image.height,
            width: box.width / image.width,
            height: box.height / image.height,
            score,
          });
        }
      } finally {
        if (!area.isWhole) input.dispose();
      }
    }
  } finally {
    tensor.dispose();
  }
  return mergeDetections(found);
};

/** The whole image, then (for a large one) a 2×2 grid of overlapping tiles. */
function passesOf(width: number, height: number) {
  const whole = { left: 0, top: 0, width, height, isWhole: true };
  if (Math.max(width, height) < TILING_FROM_EDGE) return [whole];
  const tileWidth = Math.round(width / (2 - TILE_OVERLAP));
  const tileHeight = Math.round(height / (2 - TILE_OVERLAP));
  const tiles = [];
  for (const top of [0, height - tileHeight])
    for (const left of [0, width - tileWidth])
      tiles.push({ left, top, width: tileWidth, height: tileHeight, isWhole: false });
  return [whole, ...tiles];
}

function iou(a: DetectedFace, b: DetectedFace): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/** One box per face: the best-scored of the detections that overlap it (non-maximum suppression). */
export function mergeDetections(found: readonly DetectedFace[]): DetectedFace[] {
  const kept: DetectedFace[] = [];
  for (const face of [...found].sort((a, b) => b.score - a.score)) {
    if (kept.every((k) => iou(k, face) < SAME_FACE_IOU)) kept.push(face);
  }
  return kept;
}

/** Starts loading the model now (the worker calls it at start-up, so the first photo does not wait). */
export async function warmUpFaceDetector(): Promise<void> {
  await loadFaceApi();
}
