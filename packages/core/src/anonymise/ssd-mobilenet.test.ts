import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSsdOnnxModel, decodeSsdOutput, readSsdWeights, SSD_INPUT_SIZE, ssdAnchors } from './ssd-mobilenet';

const require = createRequire(import.meta.url);
const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
const facesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../../bench/fixtures/faces');

/** face-api on TensorFlow.js' WebAssembly backend: the runtime the ONNX graph replaced (a dev dependency). */
async function loadFaceApi() {
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
  faceapi.tf.setWasmPaths(
    `${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}${path.sep}`,
  );
  await faceapi.tf.setBackend('wasm');
  await faceapi.tf.ready();
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
  return faceapi;
}

/** A photo of the labelled set as the model's 512×512 RGB input. */
async function square(name: string): Promise<Buffer> {
  return sharp(path.join(facesDir, name))
    .resize(SSD_INPUT_SIZE, SSD_INPUT_SIZE, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer();
}

describe('SSD MobileNet v1 on ONNX Runtime', () => {
  const weights = readSsdWeights(modelDir);
  const anchors = ssdAnchors(weights);
  let session: ort.InferenceSession;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let faceapi: any;

  beforeAll(async () => {
    session = await ort.InferenceSession.create(buildSsdOnnxModel(weights), { intraOpNumThreads: 1 });
    faceapi = await loadFaceApi();
  }, 60_000);

  async function runOnnx(pixels: Buffer) {
    const input = new ort.Tensor('uint8', new Uint8Array(pixels), [1, SSD_INPUT_SIZE, SSD_INPUT_SIZE, 3]);
    const out = await session.run({ pixels: input });
    return { boxes: out.box_encodings!.data as Float32Array, logits: out.class_logits!.data as Float32Array };
  }

  it.each(['face-api-sample1.jpg', 'face-api-sample5.jpg', 'street-nokia.jpg'])(
    'scores every anchor of %s as face-api on TensorFlow.js does, and finds the same faces',
    async (name) => {
      const pixels = await square(name);
      const onnx = await runOnnx(pixels);
      const tensor = faceapi.tf.tensor3d(new Uint8Array(pixels), [SSD_INPUT_SIZE, SSD_INPUT_SIZE, 3], 'int32');
      try {
        const reference = await faceapi.nets.ssdMobilenetv1.forward(tensor);
        const referenceScores = (await reference.scores[0].data()) as Float32Array;
        faceapi.tf.dispose([...reference.boxes, ...reference.scores]);
        expect(referenceScores).toHaveLength(anchors.length / 4);
        let largest = 0;
        referenceScores.forEach((score, i) => {
          const ours = 1 / (1 + Math.exp(-onnx.logits[3 * i + 1]!));
          largest = Math.max(largest, Math.abs(ours - score));
        });
        expect(largest).toBeLessThan(1e-4);

        const options = { minConfidence: 0.3, maxResults: 200 };
        const expected = await faceapi.detectAllFaces(tensor, new faceapi.SsdMobilenetv1Options(options));
        const found = decodeSsdOutput(anchors, onnx.boxes, onnx.logits, options);
        expect(found).toHaveLength(expected.length);
        found.forEach((d, i) => {
          const e = expected[i];
          expect(d.score).toBeCloseTo(e.score, 4);
          expect(d.left * SSD_INPUT_SIZE).toBeCloseTo(e.box.x, 1);
          expect(d.top * SSD_INPUT_SIZE).toBeCloseTo(e.box.y, 1);
          expect((d.right - d.left) * SSD_INPUT_SIZE).toBeCloseTo(e.box.width, 1);
          expect((d.bottom - d.top) * SSD_INPUT_SIZE).toBeCloseTo(e.box.height, 1);
        });
      } finally {
        tensor.dispose();
      }
    },
    60_000,
  );

  it('finds the three faces of sample 1, and none in a street photo without people', async () => {
    const options = { minConfidence: 0.5, maxResults: 200 };
    const people = await runOnnx(await square('face-api-sample1.jpg'));
    expect(decodeSsdOutput(anchors, people.boxes, people.logits, options)).toHaveLength(3);
    const street = await runOnnx(await square('street-nokia.jpg'));
    expect(decodeSsdOutput(anchors, street.boxes, street.logits, options)).toEqual([]);
  });
});

describe('decodeSsdOutput', () => {
  // Two anchors covering the same square and a third elsewhere, encodings of zero (boxes = anchors).
  const anchors = new Float32Array([0.1, 0.1, 0.3, 0.3, 0.11, 0.1, 0.31, 0.3, 0.6, 0.6, 0.8, 0.8]);
  const encodings = new Float32Array(12);
  const logit = (p: number) => Math.log(p / (1 - p));

  it('keeps the better of two overlapping boxes and drops scores at or under the threshold', () => {
    const logits = new Float32Array([0, logit(0.7), 0, 0, logit(0.9), 0, 0, logit(0.5), 0]);
    const found = decodeSsdOutput(anchors, encodings, logits, { minConfidence: 0.5, maxResults: 10 });
    expect(found).toHaveLength(1);
    expect(found[0]!.score).toBeCloseTo(0.9, 6);
    expect(found[0]!.top).toBeCloseTo(0.11, 6);
  });

  it('returns at most maxResults boxes', () => {
    const logits = new Float32Array([0, logit(0.7), 0, 0, logit(0.9), 0, 0, logit(0.8), 0]);
    expect(decodeSsdOutput(anchors, encodings, logits, { minConfidence: 0.1, maxResults: 1 })).toHaveLength(1);
  });
});
