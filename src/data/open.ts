// Opens a dataset path with the reader for its (given or detected) format.
import { detectFormat } from "./detect.js";
import type { DataFormat, EpisodeReader } from "./episode.js";
import { LeRobotReader } from "./lerobot/reader.js";
import { LiberoReader } from "./libero/reader.js";
import { LlavaReader } from "./llava/reader.js";
import { RldsReader } from "./rlds/reader.js";

export class DataInputError extends Error {}

export function openDataset(path: string, format: DataFormat | "auto" = "auto", imageFolder?: string): EpisodeReader | LlavaReader {
  const f = format === "auto" ? detectFormat(path) : format;
  if (!f) throw new DataInputError(`cannot tell the format of ${path}; pass --format lerobot|rlds|libero|llava`);
  switch (f) {
    case "lerobot":
      return new LeRobotReader(path);
    case "rlds":
      return new RldsReader(path);
    case "libero":
      return new LiberoReader(path);
    case "llava":
      return new LlavaReader(path, imageFolder);
  }
}
