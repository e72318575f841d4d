import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

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

/**
 * The thread that runs the model, as source (CommonJS, what `eval` workers run): no file of its own
 * to resolve or bundle, so it runs alike from TypeScript sources (tsx) and from the esbuild bundle.
 * It loads face-api, the WebAssembly backend and the SSD weights once, from node_modules (nothing is
 * fetched), then answers one message per image: the raw detections of each pass, in pixels.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const faceapi = require(workerData.faceApiPath);
const ready = (async () => {
  faceapi.tf.setWasmPaths(workerData.wasmDir);
  if (!(await faceapi.tf.setBackend('wasm'))) throw new Error('the TensorFlow.js WebAssembly backend did not start');
  await faceapi.tf.ready();
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(workerData.modelDir);
})();
// A failed load is answered to each message below, not thrown at start-up.
ready.catch(() => {});
parentPort.on('message', async ({ id, data, width, height, passes, options }) => {
  try {
    await ready;
    const tensor = faceapi.tf.tensor3d(new Uint8Array(data), [height, width, 3], 'int32');
    const found = [];
    try {
      for (const pass of passes) {
        const input = pass.isWhole ? tensor : faceapi.tf.slice(tensor, [pass.top, pass.left, 0], [pass.height, pass.width, 3]);
        try {
          for (const { score, box } of await faceapi.detectAllFaces(input, new faceapi.SsdMobilenetv1Options(options))) {
            found.push({ left: pass.left + box.x, top: pass.top + box.y, width: box.width, height: box.height, score });
          }
        } finally {
          if (!pass.isWhole) input.dispose();
        }
      }
    } finally {
      tensor.dispose();
    }
    parentPort.postMessage({ id, found });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

interface PixelFace {
  left: number;
  top: number;
  width: number;
  height: number;
  score: number;
}

type Reply = { id: number; found: PixelFace[] } | { id: number; error: string };

interface Pending {
  resolve: (found: PixelFace[]) => void;
  reject: (error: Error) => void;
}

/**
 * One model thread per process, started on first use (the API imports this package too and never
 * detects). Inference holds its thread for seconds on a busy machine; on the worker's main thread it
 * would hold the event loop, and BullMQ could not renew the locks of the jobs running beside it.
 * An idle thread never keeps a process alive. If it dies, what it was doing fails (the
 * photo job retries) and the next photo starts a new one.
 */
let thread: { worker: Worker; pending: Map<number, Pending> } | null = null;
let nextId = 0;

function modelThread(): NonNullable<typeof thread> {
  if (thread) return thread;
  const require = createRequire(import.meta.url);
  const worker = new Worker(THREAD_SOURCE, {
    eval: true,
    // Plain CommonJS: none of the parent's loaders (tsx's would hold the process open through their port).
    execArgv: [],
    workerData: {
      faceApiPath: require.resolve('@vladmandic/face-api/dist/face-api.node-wasm.js'),
      // The .wasm files ship in the npm tarball; without a path the backend would look beside the bundle.
      wasmDir: `${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}${path.sep}`,
      modelDir: path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model'),
    },
  });
  const current = { worker, pending: new Map<number, Pending>() };
  const fail = (error: Error) => {
    if (thread === current) thread = null;
    for (const p of current.pending.values()) p.reject(error);
    current.pending.clear();
  };
  worker.on('message', (reply: Reply) => {
    const p = current.pending.get(reply.id);
    if (!p) return;
    current.pending.delete(reply.id);
    if (current.pending.size === 0) worker.unref();
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve(reply.found);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the face detection thread stopped (exit code ${code})`)));
  // Idle, the thread keeps no process alive; while it works for someone, it does (see detectInThread).
  worker.unref();
  thread = current;
  return current;
}

function detectInThread(image: RgbImage, passes: Pass[]): Promise<PixelFace[]> {
  const { worker, pending } = modelThread();
  const id = (nextId += 1);
  // A copy the thread can own: the pixels may be a view into a larger pooled buffer.
  const data = new Uint8Array(image.data).buffer;
  return new Promise((resolve, reject) => {
    if (pending.size === 0) worker.ref();
    pending.set(id, { resolve, reject });
    worker.postMessage(
      {
        id,
        data,
        width: image.width,
        height: image.height,
        passes,
        options: { minConfidence: FACE_MIN_CONFIDENCE, maxResults: FACE_MAX_RESULTS },
      },
      [data],
    );
  });
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
  const found = await detectInThread(image, passesOf(image.width, image.height));
  return mergeDetections(
    found.map((f) => ({
      x: f.left / image.width,
      y: f.top / image.height,
      width: f.width / image.width,
      height: f.height / image.height,
      score: f.score,
    })),
  );
};

interface Pass {
  left: number;
  top: number;
  width: number;
  height: number;
  isWhole: boolean;
}

/** The whole image, then (for a large one) a 2×2 grid of overlapping tiles. */
function passesOf(width: number, height: number): Pass[] {
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

/** Starts the model thread and waits until it answers (the bench times the model load with it). */
export async function warmUpFaceDetector(): Promise<void> {
  await detectInThread({ data: Buffer.alloc(3 * 32 * 32), width: 32, height: 32 }, [
    { left: 0, top: 0, width: 32, height: 32, isWhole: true },
  ]);
}
