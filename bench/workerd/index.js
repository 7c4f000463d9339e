// Times the wasm instantiation turkeysms-otp's workerd entry does on import — `new
// WebAssembly.Instance` of the compiled module — inside workerd itself. (The instances made here
// are thrown away: the glue stays bound to the package's own instance.)
//
// workerd's clock stands still while code runs and moves only across I/O (a Spectre
// mitigation), so each round is bracketed by a loopback request to `TICK_URL`, and a round with
// no work between the same two requests is subtracted.
import wasmModule from "../../node_modules/turkeysms-otp/turkeysms_otp.wasm";
import * as glue from "../../node_modules/turkeysms-otp/turkeysms_otp_bg.js";
import { normalizeMobile } from "turkeysms-otp";

const imports = { "./turkeysms_otp_bg.js": glue };

async function bracket(tickUrl, work) {
  await (await fetch(tickUrl)).text();
  const started = Date.now();
  work();
  await (await fetch(tickUrl)).text();
  return Date.now() - started;
}

export default {
  async fetch(request, env) {
    const n = Number(new URL(request.url).searchParams.get("n") ?? 500);
    const rounds = [];
    for (let r = 0; r < 7; r++) {
      const idle = await bracket(env.TICK_URL, () => {});
      const busy = await bracket(env.TICK_URL, () => {
        for (let i = 0; i < n; i++) {
          new WebAssembly.Instance(wasmModule, imports);
        }
      });
      rounds.push((busy - idle) / n);
    }
    rounds.sort((a, b) => a - b);
    // The package still works afterwards.
    const mobile = normalizeMobile("0532 123 45 67");
    return Response.json({ instantiateMs: rounds[rounds.length >> 1], rounds, n, mobile });
  },
};
