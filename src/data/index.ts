// Dataset readers and the LeRobot v2.1 writer (src/data/*/reader.ts, lerobot/writer.ts).
export * from "./episode.js";
export * from "./skip.js";
export { detectFormat } from "./detect.js";
export { DataInputError, openDataset } from "./open.js";
export { formatReport, type InspectReport, inspectEpisodes, inspectLlava } from "./inspect.js";
export { LeRobotReader } from "./lerobot/reader.js";
export { LeRobotWriter, type LeRobotWriterOptions } from "./lerobot/writer.js";
export { LiberoReader } from "./libero/reader.js";
export { LlavaReader, type VqaRecord } from "./llava/reader.js";
export { RldsReader } from "./rlds/reader.js";
