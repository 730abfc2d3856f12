/**
 * Summarises a .cpuprofile: CPU time by package or source file (self time), then the functions
 * with the most inclusive time. `node --import tsx bench/profileSummary.ts <file> [rows]`.
 */
import * as fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  startTime: number;
  endTime: number;
}

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: bench/profileSummary.ts <file.cpuprofile> [rows]');
  process.exit(2);
}
const rows = Number(rowsArg ?? 40);
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
const msPerSample = (profile.endTime - profile.startTime) / profile.samples.length / 1000;

const where = (n: ProfileNode) => {
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(n.callFrame.url)?.[1];
  return pkg ?? (n.callFrame.url.replace(/^.*?\/(?=(api|activities|workflows|infra|engine|db|domain)\/)/, '') || n.callFrame.functionName);
};
const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${where(n)}:${n.callFrame.lineNumber + 1}`;

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
for (const id of profile.samples) {
  const n = byId.get(id)!;
  add(self, where(n));
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const k = label(byId.get(at)!);
    if (!seen.has(k)) {
      seen.add(k);
      add(inclusive, k);
    }
  }
}
const print = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${(v * msPerSample).toFixed(0).padStart(8)} ms  ${k}`);
};
console.log(`${file}: ${(profile.samples.length * msPerSample).toFixed(0)} ms sampled`);
print('self time by package or file', self);
print('inclusive time by function', inclusive);
