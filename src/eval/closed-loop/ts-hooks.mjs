// Node module hooks that let a worker thread run this package's TypeScript sources directly (the
// vitest path, where src/**/*.ts has no compiled .js next to it). The compiled CLI (dist/) never loads
// this file. Type-only syntax is stripped with the TypeScript compiler, a dev dependency.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

let ts;

/** `./x.js` written in a .ts source means `./x.ts` when only the TypeScript file exists. */
export async function resolve(specifier, context, next) {
  const parent = context.parentURL ?? "";
  if (parent.startsWith("file:") && parent.endsWith(".ts") && /^\.{1,2}\//.test(specifier) && specifier.endsWith(".js")) {
    const js = new URL(specifier, parent);
    const tsUrl = new URL(specifier.slice(0, -3) + ".ts", parent);
    if (!existsSync(fileURLToPath(js)) && existsSync(fileURLToPath(tsUrl))) return { url: tsUrl.href, format: "module", shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return next(url, context);
  ts ??= (await import("typescript")).default;
  const source = await readFile(fileURLToPath(url), "utf8");
  const out = ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false, inlineSourceMap: true, verbatimModuleSyntax: false },
  });
  return { format: "module", source: out.outputText, shortCircuit: true };
}
