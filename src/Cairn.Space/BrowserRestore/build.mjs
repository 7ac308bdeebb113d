// Bundles the page script and the key-derivation worker into Space's wwwroot (or the node test bundles with --tests).
import { build } from "esbuild";
import { readdirSync } from "node:fs";

const tests = process.argv.includes("--tests");
const common = { bundle: true, format: "esm", target: "es2022", logLevel: "warning", legalComments: "none" };
if (tests) {
  const entries = readdirSync("tests").filter(f => f.endsWith(".test.ts")).map(f => `tests/${f}`);
  await build({ ...common, entryPoints: entries, outdir: "out-tests", platform: "node", outExtension: { ".js": ".mjs" } });
} else {
  const outdir = process.argv[2] ?? "../wwwroot/browse";
  await build({ ...common, entryPoints: ["src/browse-page.ts", "src/kdf-worker.ts", "src/download-sw.ts"], outdir, platform: "browser", minify: true });
}
