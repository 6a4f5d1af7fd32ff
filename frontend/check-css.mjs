// Fails the build if the compiled CSS would make the browser ask another host for
// anything (CSP forbids it) or names a url() that whitenoise's manifest storage cannot find.
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

const file = process.argv[2];
const css = readFileSync(file, "utf8");
const problems = [];

if (/https?:\/\//i.test(css)) problems.push("contains an http(s):// URL");
if (/@import\s+url\(/i.test(css)) problems.push("contains @import url(");
if (/@font-face/i.test(css)) problems.push("contains @font-face");
if (/Frutiger/i.test(css)) problems.push("mentions Frutiger");

for (const match of css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
  const target = match[1];
  if (target.startsWith("data:") || target.startsWith("#")) continue;
  if (target.startsWith("/") || /^[a-z]+:/i.test(target)) {
    problems.push(`url(${target}) is not relative`);
    continue;
  }
  const path = resolve(dirname(file), target.split(/[?#]/)[0]);
  if (!existsSync(path)) problems.push(`url(${target}) does not exist at ${path}`);
}

if (problems.length) {
  console.error(`${file}:\n  - ${problems.join("\n  - ")}`);
  process.exit(1);
}
console.log(`${file}: no remote URLs; every url() resolves`);
