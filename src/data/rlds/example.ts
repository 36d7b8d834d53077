// tf.train.Example / SequenceExample decoding with protobufjs from the messages of
// tensorflow/core/example/{feature,example}.proto (inlined below, field numbers unchanged).
import protobuf from "protobufjs";

const PROTO = `
syntax = "proto3";
message BytesList { repeated bytes value = 1; }
message FloatList { repeated float value = 1 [packed = true]; }
message Int64List { repeated int64 value = 1 [packed = true]; }
message Feature { oneof kind { BytesList bytes_list = 1; FloatList float_list = 2; Int64List int64_list = 3; } }
message Features { map<string, Feature> feature = 1; }
message FeatureList { repeated Feature feature = 1; }
message FeatureLists { map<string, FeatureList> feature_list = 1; }
message SequenceExample { Features context = 1; FeatureLists feature_lists = 2; }
`;

const SequenceExample = protobuf.parse(PROTO).root.lookupType("SequenceExample");

export type FeatureValue = { kind: "bytes"; value: Uint8Array[] } | { kind: "float"; value: number[] } | { kind: "int64"; value: number[] };

interface RawFeature {
  bytesList?: { value?: Uint8Array[] };
  floatList?: { value?: number[] };
  int64List?: { value?: number[] };
}

function convert(f: RawFeature): FeatureValue {
  if (f.bytesList) return { kind: "bytes", value: f.bytesList.value ?? [] };
  if (f.floatList) return { kind: "float", value: f.floatList.value ?? [] };
  if (f.int64List) return { kind: "int64", value: f.int64List.value ?? [] };
  return { kind: "float", value: [] };
}

/**
 * Decodes a serialized Example or SequenceExample into flat features. An Example's field 1
 * (`features`) has the same wire form as SequenceExample's `context`, so both parse as a
 * SequenceExample; each feature list (one Feature per step) is concatenated into one feature,
 * which is exactly how tfds flattens an RLDS episode into an Example.
 */
export function decodeExample(bytes: Uint8Array): Map<string, FeatureValue> {
  const msg = SequenceExample.toObject(SequenceExample.decode(bytes), { longs: Number, defaults: false }) as {
    context?: { feature?: Record<string, RawFeature> };
    featureLists?: { featureList?: Record<string, { feature?: RawFeature[] }> };
  };
  const out = new Map<string, FeatureValue>();
  for (const [k, f] of Object.entries(msg.context?.feature ?? {})) out.set(k, convert(f));
  for (const [k, list] of Object.entries(msg.featureLists?.featureList ?? {})) {
    const parts = (list.feature ?? []).map(convert);
    const kind = parts[0]?.kind ?? "float";
    const value = parts.flatMap((p) => p.value as unknown[]);
    out.set(k, { kind, value } as FeatureValue);
  }
  return out;
}
