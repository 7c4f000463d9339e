#!/usr/bin/env node
// The files a page needs, copied into a folder of a static site: the browser entry, what it
// imports, and the .wasm it fetches from beside itself. Every import among them is relative, so a
// page imports `./<folder>/browser.js` with no bundler, no import map and no node_modules.
//   npx -p turkeysms-otp turkeysms-otp-static public/turkeysms-otp
import { copyFileSync, mkdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const FILES = ["browser.js", "api.js", "instance.js", "glue.js", "turkeysms_otp.wasm"];

const dir = process.argv[2];
if (!dir || dir.startsWith("-")) {
  console.error("usage: turkeysms-otp-static <folder>   (copies the page's files: browser.js and what it loads)");
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
for (const file of FILES) copyFileSync(fileURLToPath(new URL(file, import.meta.url)), join(dir, file));
console.log(
  `turkeysms-otp: ${FILES.join(", ")} copied to ${dir}\n  a page in ${dirname(dir)}/ imports "./${basename(dir)}/browser.js"`,
);
