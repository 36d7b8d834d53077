// TFRecord framing (tensorflow/core/lib/io/record_writer.cc): per record
//   uint64 length (LE) | uint32 masked_crc32c(length bytes) | data[length] | uint32 masked_crc32c(data)
// Streams records from disk. A bad data CRC skips that record; a bad length CRC or a short read
// means the framing can no longer be trusted, so the rest of the file is reported and dropped.
import { open } from "node:fs/promises";
import type { SkipLog } from "../skip.js";
import { maskedCrc32c } from "./crc32c.js";

/** Records larger than this are treated as corruption (a garbage length), not allocated. */
const MAX_RECORD = 1 << 30;

export interface TfRecord {
  index: number;
  data: Uint8Array;
}

export async function* readTfRecords(path: string, skips: SkipLog): AsyncGenerator<TfRecord> {
  const fh = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    let pos = 0;
    for (let index = 0; pos < size; index++) {
      const header = new Uint8Array(12);
      const got = (await fh.read(header, 0, 12, pos)).bytesRead;
      if (got < 12) {
        skips.add(path, index, `truncated record header (${got} of 12 bytes at offset ${pos}); the file was cut short — re-download or re-export it`);
        return;
      }
      const view = new DataView(header.buffer);
      const length = view.getBigUint64(0, true);
      if (maskedCrc32c(header.subarray(0, 8)) !== view.getUint32(8, true)) {
        skips.add(path, index, `length CRC mismatch at offset ${pos}; the rest of the file (${size - pos} bytes) is unreadable`);
        return;
      }
      if (length > BigInt(MAX_RECORD) || pos + 12 + Number(length) + 4 > size) {
        skips.add(path, index, `truncated record: header announces ${length} bytes, only ${Math.max(0, size - pos - 16)} remain; the file was cut short`);
        return;
      }
      const n = Number(length);
      const body = new Uint8Array(n + 4);
      await fh.read(body, 0, n + 4, pos + 12);
      pos += 12 + n + 4;
      const data = body.subarray(0, n);
      const crc = new DataView(body.buffer, n, 4).getUint32(0, true);
      if (maskedCrc32c(data) !== crc) {
        skips.add(path, index, `data CRC mismatch (${n} bytes at offset ${pos - n - 4}); record skipped`);
        continue;
      }
      yield { index, data };
    }
  } finally {
    await fh.close();
  }
}
