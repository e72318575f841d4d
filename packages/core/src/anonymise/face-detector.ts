import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { toModelSquare } from '../photos/image';
import { iou, type Box } from './boxes';
import { buildSsdOnnxModel, decodeSsdOutput, readSsdWeights, SSD_INPUT_SIZE, ssdAnchors } from './ssd-mobilenet';

/** Decoded pixels, RGB, row by row: what the renderer hands to a detector. */
export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

/** A face found by a detector, in fractions (0..1) of the image it was given. */
export interface DetectedFace extends Box {
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
 * The detector's settings (docs/adr/0011-face-blurring.md): face-api's SSD MobileNet v1, run by ONNX
 * Runtime (docs/adr/0014-face-detection-on-onnx-runtime.md). 0.5 is the model's own default; on the
 * measured set it found every face and blurred nothing else, where the tiny detector blurred a leaf
 * at 0.45.
 */
export const FACE_MIN_CONFIDENCE = 0.5;
/** A street photo rarely holds more; the cap bounds the non-max suppression's work. */
const FACE_MAX_RESULTS = 200;
/** Bytes of one model input: a 512×512 RGB square. */
const INPUT_BYTES = SSD_INPUT_SIZE * SSD_INPUT_SIZE * 3;

/**
 * The thread that runs the model, as source (CommonJS, what `eval` workers run): no file of its own
 * to resolve or bundle, so it runs alike from TypeScript sources (tsx) and from the esbuild bundle.
 * It opens one ONNX Runtime session on the graph it is handed (one core: a photo job uses one core,
 * as before), then answers one message per image: the raw outputs of each pass, decoded by the caller.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
const ready = ort.InferenceSession.create(new Uint8Array(workerData.model), {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
});
// A failed load is answered to each message below, not thrown at start-up.
ready.catch(() => {});
parentPort.on('message', async ({ id, pixels, count, size }) => {
  try {
    const session = await ready;
    const outputs = [];
    const transfer = [];
    for (let i = 0; i < count; i += 1) {
      const input = new ort.Tensor('uint8', new Uint8Array(pixels, i * size * size * 3, size * size * 3), [1, size, size, 3]);
      const out = await session.run({ pixels: input });
      const boxes = out.box_encodings.data.slice();
      const logits = out.class_logits.data.slice();
      outputs.push({ boxes, logits });
      transfer.push(boxes.buffer, logits.buffer);
    }
    parentPort.postMessage({ id, outputs }, transfer);
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

interface RawOutput {
  boxes: Float32Array;
  logits: Float32Array;
}

type Reply = { id: number; outputs: RawOutput[] } | { id: number; error: string };

interface Pending {
  resolve: (outputs: RawOutput[]) => void;
  reject: (error: Error) => void;
}

/** The graph and its anchors, built once per process from face-api's weight files. */
let model: { bytes: Uint8Array; anchors: Float32Array } | null = null;

function loadModel(): NonNullable<typeof model> {
  if (model) return model;
  const require = createRequire(import.meta.url);
  const weights = readSsdWeights(
    path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model'),
  );
  model = { bytes: buildSsdOnnxModel(weights), anchors: ssdAnchors(weights) };
  return model;
}

/**
 * One model thread per process, started on first use (the API imports this package too and never
 * detects). ONNX Runtime's `run` holds the thread that calls it; on the worker's main thread it
 * would hold the event loop, and BullMQ could not renew the locks of the jobs running beside it.
 * An idle thread never keeps a process alive. If it dies, what it was doing fails (the
 * photo job retries) and the next photo starts a new one.
 */
let thread: { worker: Worker; pending: Map<number, Pending> } | null = null;
let nextId = 0;

function modelThread(): NonNullable<typeof thread> {
  if (thread) return thread;
  const require = createRequire(import.meta.url);
  // A copy the thread owns: the graph stays here for the next thread, should this one die.
  const graph = loadModel().bytes.slice().buffer;
  const worker = new Worker(THREAD_SOURCE, {
    eval: true,
    // Plain CommonJS: none of the parent's loaders (tsx's would hold the process open through their port).
    execArgv: [],
    workerData: { ortPath: require.resolve('onnxruntime-node'), model: graph },
    transferList: [graph],
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
    else p.resolve(reply.outputs);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the face detection thread stopped (exit code ${code})`)));
  // Idle, the thread keeps no process alive; while it works for someone, it does (see runInThread).
  worker.unref();
  thread = current;
  return current;
}

/** Runs the model on each 512×512 input, in order, in the model thread. */
function runInThread(inputs: readonly Buffer[]): Promise<RawOutput[]> {
  const { worker, pending } = modelThread();
  const id = (nextId += 1);
  const pixels = new ArrayBuffer(inputs.length * INPUT_BYTES);
  inputs.forEach((input, i) => new Uint8Array(pixels, i * INPUT_BYTES, INPUT_BYTES).set(input));
  return new Promise((resolve, reject) => {
    if (pending.size === 0) worker.ref();
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, pixels, count: inputs.length, size: SSD_INPUT_SIZE }, [pixels]);
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
  const passes = passesOf(image.width, image.height);
  const squares = await Promise.all(passes.map((pass) => toModelSquare(image, pass, SSD_INPUT_SIZE)));
  const outputs = await runInThread(squares.map((s) => s.pixels));
  const { anchors } = loadModel();
  const found = outputs.flatMap((output, i) => {
    const pass = passes[i]!;
    // The pass fills `width`×`height` of the square's top left corner; the rest is padding.
    const { width, height } = squares[i]!;
    const toPassX = SSD_INPUT_SIZE / width;
    const toPassY = SSD_INPUT_SIZE / height;
    return decodeSsdOutput(anchors, output.boxes, output.logits, {
      minConfidence: FACE_MIN_CONFIDENCE,
      maxResults: FACE_MAX_RESULTS,
    }).map((d) => ({
      x: (pass.left + d.left * toPassX * pass.width) / image.width,
      y: (pass.top + d.top * toPassY * pass.height) / image.height,
      width: ((d.right - d.left) * toPassX * pass.width) / image.width,
      height: ((d.bottom - d.top) * toPassY * pass.height) / image.height,
      score: d.score,
    }));
  });
  return mergeDetections(found);
};

interface Pass {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The whole image, then (for a large one) a 2×2 grid of overlapping tiles. */
function passesOf(width: number, height: number): Pass[] {
  const whole = { left: 0, top: 0, width, height };
  if (Math.max(width, height) < TILING_FROM_EDGE) return [whole];
  const tileWidth = Math.round(width / (2 - TILE_OVERLAP));
  const tileHeight = Math.round(height / (2 - TILE_OVERLAP));
  const tiles = [];
  for (const top of [0, height - tileHeight])
    for (const left of [0, width - tileWidth]) tiles.push({ left, top, width: tileWidth, height: tileHeight });
  return [whole, ...tiles];
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
  await runInThread([Buffer.alloc(INPUT_BYTES)]);
}
