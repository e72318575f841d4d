import { readFileSync } from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs';
import { iou, type Box } from './boxes';

/**
 * face-api's SSD MobileNet v1 face detector, rebuilt as an ONNX graph so ONNX Runtime runs it
 * natively (docs/adr/0014-face-detection-on-onnx-runtime.md). The weights are face-api's own files,
 * read from its npm package; the layers are those of its TensorFlow.js code
 * (`src/ssdMobilenetv1/{mobileNetV1,predictionLayer,boxPredictionLayer,outputLayer}.ts`), and so is
 * the decoding of the boxes and the non-maximum suppression below. Same model, same weights, another
 * runtime: a test holds the two runtimes' detections to each other.
 */

/** The model's input edge: face-api builds every input at 512×512 (`toBatchTensor(512)`). */
export const SSD_INPUT_SIZE = 512;

/** face-api's batch norm epsilon (mobileNetV1.ts). */
const BATCH_NORM_EPSILON = 0.0010000000474974513;
/** Two boxes of one face overlap more than this: face-api's `locateFaces` suppresses the weaker. */
const NMS_IOU = 0.5;

interface Weight {
  shape: number[];
  data: Float32Array;
}

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: { dtype: 'uint8' | 'uint16'; scale: number; min: number };
}

/**
 * Reads the weights of face-api's `ssd_mobilenetv1_model` (a TensorFlow.js weights manifest and its
 * .bin): stored as uint8 with a scale and minimum per tensor, dequantised as TensorFlow.js does.
 */
export function readSsdWeights(modelDir: string): Map<string, Weight> {
  const manifest = JSON.parse(
    readFileSync(path.join(modelDir, 'ssd_mobilenetv1_model-weights_manifest.json'), 'utf8'),
  ) as { paths: string[]; weights: ManifestEntry[] }[];
  const weights = new Map<string, Weight>();
  for (const group of manifest) {
    const bytes = Buffer.concat(group.paths.map((p) => readFileSync(path.join(modelDir, p))));
    let offset = 0;
    for (const entry of group.weights) {
      const size = entry.shape.reduce((a, b) => a * b, 1);
      const q = entry.quantization;
      const data = new Float32Array(size);
      if (q) {
        const width = q.dtype === 'uint16' ? 2 : 1;
        for (let i = 0; i < size; i += 1) {
          const stored = width === 2 ? bytes.readUInt16LE(offset + 2 * i) : bytes[offset + i]!;
          data[i] = stored * q.scale + q.min;
        }
        offset += size * width;
      } else {
        for (let i = 0; i < size; i += 1) {
          data[i] = entry.dtype === 'int32' ? bytes.readInt32LE(offset + 4 * i) : bytes.readFloatLE(offset + 4 * i);
        }
        offset += size * 4;
      }
      weights.set(entry.name, { shape: entry.shape, data });
    }
  }
  return weights;
}

// The part of onnx/onnx.proto (MIT, ONNX Project Contributors) a model with plain tensors needs;
// field numbers as in the original.
const ONNX_PROTO = `
syntax = "proto2";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; INTS = 7; }
  optional string name = 1;
  optional AttributeType type = 20;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  repeated int64 ints = 8;
}
message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  optional string name = 8;
  optional bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; }
  oneof value { Tensor tensor_type = 1; }
}
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; }
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  repeated AttributeProto attribute = 5;
}
message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
message ModelProto {
  optional int64 ir_version = 1;
  optional string producer_name = 2;
  optional GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
}
`;

const FLOAT = 1;
const UINT8 = 2;
const INT64 = 7;

type Attribute = { name: string; type: 'INT' | 'INTS' | 'STRING'; i?: number; ints?: number[]; s?: Uint8Array };

/** Builds the graph node by node; names stay readable in ONNX Runtime's errors. */
class GraphBuilder {
  readonly nodes: { input: string[]; output: string[]; name: string; opType: string; attribute: Attribute[] }[] = [];
  readonly initializers: { name: string; dims: number[]; dataType: number; rawData: Uint8Array }[] = [];

  constant(name: string, dims: number[], data: Float32Array | BigInt64Array): string {
    this.initializers.push({
      name,
      dims,
      dataType: data instanceof Float32Array ? FLOAT : INT64,
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    });
    return name;
  }

  node(opType: string, name: string, input: string[], attribute: Attribute[] = []): string {
    this.nodes.push({ input, output: [name], name, opType, attribute });
    return name;
  }
}

function weight(weights: Map<string, Weight>, name: string): Weight {
  const w = weights.get(name);
  if (!w) throw new Error(`the SSD weights have no ${name}`);
  return w;
}

/** TensorFlow's [height, width, in, out] filters as ONNX's [out, in, height, width]. */
function toOihw({ shape: [kh, kw, cin, cout], data }: Weight): { dims: number[]; data: Float32Array } {
  const out = new Float32Array(data.length);
  for (let y = 0; y < kh!; y += 1)
    for (let x = 0; x < kw!; x += 1)
      for (let i = 0; i < cin!; i += 1)
        for (let o = 0; o < cout!; o += 1)
          out[((o * cin! + i) * kh! + y) * kw! + x] = data[((y * kw! + x) * cin! + i) * cout! + o]!;
  return { dims: [cout!, cin!, kh!, kw!], data: out };
}

/** TensorFlow's "same" padding puts the odd pixel at the end, as ONNX's SAME_UPPER does. */
function convAttributes(kernel: number[], stride: number, group = 1): Attribute[] {
  return [
    { name: 'auto_pad', type: 'STRING', s: new TextEncoder().encode('SAME_UPPER') },
    { name: 'kernel_shape', type: 'INTS', ints: kernel },
    { name: 'strides', type: 'INTS', ints: [stride, stride] },
    { name: 'group', type: 'INT', i: group },
  ];
}

/**
 * The SSD MobileNet v1 of face-api as an ONNX model: input `pixels`, RGB bytes [N, 512, 512, 3];
 * outputs `box_encodings` [N, 5118, 4] and `class_logits` [N, 5118, 3], before decoding (see
 * `decodeSsdOutput`).
 */
export function buildSsdOnnxModel(weights: Map<string, Weight>): Uint8Array {
  const g = new GraphBuilder();
  const zero = g.constant('relu6_min', [], new Float32Array([0]));
  const six = g.constant('relu6_max', [], new Float32Array([6]));
  // face-api's input scaling (SsdMobilenetv1.forwardInput): x / 127.5 - 1, in the graph so the caller
  // hands over the decoded bytes as they are.
  const asFloat = g.node('Cast', 'pixels/float', ['pixels'], [{ name: 'to', type: 'INT', i: FLOAT }]);
  const halved = g.node('Div', 'pixels/div', [asFloat, g.constant('pixels/127.5', [], new Float32Array([127.5]))]);
  const centred = g.node('Sub', 'pixels/sub', [halved, g.constant('pixels/one', [], new Float32Array([1]))]);
  const image = g.node('Transpose', 'image', [centred], [{ name: 'perm', type: 'INTS', ints: [0, 3, 1, 2] }]);

  /** conv (weights + offset) then ReLU6: face-api's `pointwiseConvLayer` (also its 3×3 first layer). */
  const pointwise = (x: string, prefix: string, stride: number) => {
    const filters = toOihw(weight(weights, `${prefix}/weights`));
    const w = g.constant(`${prefix}/W`, filters.dims, filters.data);
    const b = g.constant(`${prefix}/B`, [filters.dims[0]!], weight(weights, `${prefix}/convolution_bn_offset`).data);
    const conv = g.node('Conv', `${prefix}/conv`, [x, w, b], convAttributes(filters.dims.slice(2), stride));
    return g.node('Clip', `${prefix}/relu6`, [conv, zero, six]);
  };

  /** Depthwise conv, batch norm (folded into the filters), ReLU6: face-api's `depthwiseConvLayer`. */
  const depthwise = (x: string, prefix: string, stride: number) => {
    const { shape, data } = weight(weights, `${prefix}/depthwise_weights`);
    const [kh, kw, channels] = shape as [number, number, number, number];
    const gamma = weight(weights, `${prefix}/BatchNorm/gamma`).data;
    const beta = weight(weights, `${prefix}/BatchNorm/beta`).data;
    const mean = weight(weights, `${prefix}/BatchNorm/moving_mean`).data;
    const variance = weight(weights, `${prefix}/BatchNorm/moving_variance`).data;
    const filters = new Float32Array(channels * kh * kw);
    const bias = new Float32Array(channels);
    for (let c = 0; c < channels; c += 1) {
      const scale = gamma[c]! / Math.sqrt(variance[c]! + BATCH_NORM_EPSILON);
      bias[c] = beta[c]! - mean[c]! * scale;
      for (let y = 0; y < kh; y += 1)
        for (let xx = 0; xx < kw; xx += 1)
          filters[(c * kh + y) * kw + xx] = data[(y * kw + xx) * channels + c]! * scale;
    }
    const w = g.constant(`${prefix}/W`, [channels, 1, kh, kw], filters);
    const b = g.constant(`${prefix}/B`, [channels], bias);
    const conv = g.node('Conv', `${prefix}/conv`, [x, w, b], convAttributes([kh, kw], stride, channels));
    return g.node('Clip', `${prefix}/relu6`, [conv, zero, six]);
  };

  const toRows = (x: string, name: string, width: number) => {
    const nhwc = g.node('Transpose', `${name}/nhwc`, [x], [{ name: 'perm', type: 'INTS', ints: [0, 2, 3, 1] }]);
    const shape = g.constant(`${name}/shape`, [3], new BigInt64Array([0n, -1n, BigInt(width)]));
    return g.node('Reshape', `${name}/rows`, [nhwc, shape]);
  };

  /** A 1×1 conv with bias and no activation, reshaped to one row per anchor: `boxPredictionLayer`. */
  const predictor = (x: string, prefix: string, width: number) => {
    const filters = toOihw(weight(weights, `${prefix}/weights`));
    const w = g.constant(`${prefix}/W`, filters.dims, filters.data);
    const b = g.constant(`${prefix}/B`, [filters.dims[0]!], weight(weights, `${prefix}/biases`).data);
    return toRows(g.node('Conv', `${prefix}/conv`, [x, w, b], convAttributes(filters.dims.slice(2), 1)), prefix, width);
  };

  let out = pointwise(image, 'MobilenetV1/Conv2d_0_pointwise', 2);
  let conv11 = '';
  for (let layer = 1; layer <= 13; layer += 1) {
    out = depthwise(out, `MobilenetV1/Conv2d_${layer}_depthwise`, [2, 4, 6, 12].includes(layer) ? 2 : 1);
    out = pointwise(out, `MobilenetV1/Conv2d_${layer}_pointwise`, 1);
    if (layer === 11) conv11 = out;
  }
  const prediction: string[] = [];
  let p = out;
  for (let layer = 0; layer <= 7; layer += 1) {
    p = pointwise(p, `Prediction/Conv2d_${layer}_pointwise`, layer % 2 === 1 ? 2 : 1);
    prediction.push(p);
  }
  const featureMaps = [conv11, out, prediction[1]!, prediction[3]!, prediction[5]!, prediction[7]!];
  const boxes = featureMaps.map((x, i) => predictor(x, `Prediction/BoxPredictor_${i}/BoxEncodingPredictor`, 4));
  const classes = featureMaps.map((x, i) => predictor(x, `Prediction/BoxPredictor_${i}/ClassPredictor`, 3));
  g.node('Concat', 'box_encodings', boxes, [{ name: 'axis', type: 'INT', i: 1 }]);
  g.node('Concat', 'class_logits', classes, [{ name: 'axis', type: 'INT', i: 1 }]);

  const tensorType = (dims: (number | string)[], elemType = FLOAT) => ({
    tensorType: {
      elemType,
      shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  });
  const { root } = protobuf.parse(ONNX_PROTO, { keepCase: false });
  const ModelProto = root.lookupType('onnx.ModelProto');
  const model = {
    irVersion: 8,
    producerName: 'pave',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'ssd_mobilenetv1',
      node: g.nodes,
      initializer: g.initializers,
      input: [{ name: 'pixels', type: tensorType(['batch', SSD_INPUT_SIZE, SSD_INPUT_SIZE, 3], UINT8) }],
      output: [
        { name: 'box_encodings', type: tensorType(['batch', 'anchors', 4]) },
        { name: 'class_logits', type: tensorType(['batch', 'anchors', 3]) },
      ],
    },
  };
  const message = ModelProto.fromObject(model);
  return ModelProto.encode(message).finish();
}

/** The anchors (face-api's `Output/extra_dim`), [5118 × 4]. */
export function ssdAnchors(weights: Map<string, Weight>): Float32Array {
  return weight(weights, 'Output/extra_dim').data;
}

/** A detection in fractions (0..1) of the 512 square the model saw: top, left, bottom, right. */
export interface SquareDetection {
  top: number;
  left: number;
  bottom: number;
  right: number;
  score: number;
}

/**
 * Decodes one image's raw outputs as face-api's `outputLayer` and `locateFaces` do: each anchor's box
 * from its encoding, the face score as the sigmoid of the second class logit, then face-api's
 * non-maximum suppression (IoU 0.5) over the scores above `minConfidence`, at most `maxResults`.
 */
export function decodeSsdOutput(
  anchors: Float32Array,
  encodings: Float32Array,
  logits: Float32Array,
  { minConfidence, maxResults }: { minConfidence: number; maxResults: number },
): SquareDetection[] {
  const count = anchors.length / 4;
  const candidates: { index: number; score: number }[] = [];
  for (let i = 0; i < count; i += 1) {
    const score = 1 / (1 + Math.exp(-logits[3 * i + 1]!));
    if (score > minConfidence) candidates.push({ index: i, score });
  }
  candidates.sort((a, b) => b.score - a.score);
  const boxOf = (i: number) => {
    const [a0, a1, a2, a3] = [anchors[4 * i]!, anchors[4 * i + 1]!, anchors[4 * i + 2]!, anchors[4 * i + 3]!];
    const [e0, e1, e2, e3] = [encodings[4 * i]!, encodings[4 * i + 1]!, encodings[4 * i + 2]!, encodings[4 * i + 3]!];
    const size0 = a2 - a0;
    const size1 = a3 - a1;
    const centre0 = a0 + size0 / 2 + (e0 / 10) * size0;
    const centre1 = a1 + size1 / 2 + (e1 / 10) * size1;
    const half0 = (Math.exp(e2 / 5) * size0) / 2;
    const half1 = (Math.exp(e3 / 5) * size1) / 2;
    return { x: centre1 - half1, y: centre0 - half0, width: 2 * half1, height: 2 * half0 };
  };
  // face-api's IoU orders each box's corners first; these are ordered already (the sizes are positive).
  const selected: { box: Box; score: number }[] = [];
  for (const c of candidates) {
    if (selected.length >= Math.min(maxResults, count)) break;
    const box = boxOf(c.index);
    if (selected.every((s) => iou(s.box, box) <= NMS_IOU)) selected.push({ box, score: c.score });
  }
  return selected.map(({ box, score }) => ({
    top: Math.max(0, box.y),
    left: Math.max(0, box.x),
    bottom: Math.min(1, box.y + box.height),
    right: Math.min(1, box.x + box.width),
    score,
  }));
}
