// `roboalign doctor`: versions, devices and threads, with the addon loaded in a child process.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import type { CommandModule } from "yargs";
import { addonCandidates, packageRoot } from "../../native/loader.js";

interface DoctorReport {
  node: string;
  platform: string;
  cpus: number;
  memoryGiB: number;
  torch: { source?: string; root?: string; error?: string };
  addonCandidates: { path: string; exists: boolean }[];
  addon: Record<string, unknown>;
}

function findTorch(root: string): DoctorReport["torch"] {
  const r = spawnSync(process.execPath, [join(root, "scripts", "find-torch.mjs")], { encoding: "utf8" });
  if (r.status !== 0) return { error: (r.stderr || "find-torch failed").trim() };
  const t = JSON.parse(r.stdout) as { source: string; root: string };
  return { source: t.source, root: t.root };
}

export function doctorReport(): DoctorReport {
  const root = packageRoot();
  const probe = join(root, "dist", "native", "probe.js");
  let addon: Record<string, unknown>;
  if (!existsSync(probe)) {
    addon = { ok: false, error: `${probe} is missing: run \`npm run setup\` (compiles the TypeScript)` };
  } else {
    const r = spawnSync(process.execPath, [probe], { encoding: "utf8", timeout: 120_000 });
    const line = r.stdout.trim().split("\n").pop() ?? "";
    try {
      addon = JSON.parse(line);
    } catch {
      addon = { ok: false, error: `the probe process ended with ${r.signal ?? `code ${r.status}`}: ${(r.stderr || "").trim().slice(0, 2000)}` };
    }
  }
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    torch: findTorch(root),
    addonCandidates: addonCandidates().map((path) => ({ path, exists: existsSync(path) })),
    addon,
  };
}

function print(r: DoctorReport): void {
  const out: string[] = [];
  const ok = (b: unknown) => (b ? "ok " : "!! ");
  out.push(`${ok(true)}node        ${r.node} (${r.platform}, ${r.cpus} cpus, ${r.memoryGiB} GiB)`);
  out.push(r.torch.error ? `!! libtorch    ${r.torch.error}` : `ok libtorch    ${r.torch.root} (from ${r.torch.source})`);
  for (const c of r.addonCandidates) out.push(`   addon       ${c.exists ? "found  " : "missing"} ${c.path}`);
  const a = r.addon as { ok: boolean; error?: string; path?: string; cpuMatmulGflops?: number; info?: Record<string, unknown> };
  if (!a.ok) {
    out.push(`!! addon       failed to load: ${a.error}`);
  } else {
    const i = a.info as { libtorchVersion: string; addonVersion: string; compiledWithCuda: boolean; cudaAvailable: boolean; cudaVersion: string | null; cudnnVersion: string | null; intraOpThreads: number; interOpThreads: number; devices: { name: string }[] };
    out.push(`ok addon       ${a.path} (v${i.addonVersion}, libtorch ${i.libtorchVersion})`);
    out.push(`   cuda        compiled: ${i.compiledWithCuda ? "yes" : "no"}, available: ${i.cudaAvailable ? "yes" : "no"}${i.cudaVersion ? `, CUDA ${i.cudaVersion}` : ""}${i.cudnnVersion ? `, cuDNN ${i.cudnnVersion}` : ""}`);
    out.push(`   devices     ${i.devices.map((d) => d.name).join(", ")}`);
    out.push(`   threads     intra-op ${i.intraOpThreads}, inter-op ${i.interOpThreads}`);
    out.push(`   cpu matmul  ${a.cpuMatmulGflops?.toFixed(1)} GFLOP/s (fp32, 512×512)`);
  }
  process.stdout.write(`${out.join("\n")}\n`);
}

export const doctorCommand: CommandModule<object, { json: boolean }> = {
  command: "doctor",
  describe: "Check the installation: Node, libtorch, CUDA, devices, threads; loads the addon in a child process",
  builder: (y) => y.option("json", { type: "boolean", default: false, describe: "print the report as JSON" }),
  handler: (args) => {
    const report = doctorReport();
    if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else print(report);
    if (!(report.addon as { ok: boolean }).ok) process.exitCode = 1;
  },
};
