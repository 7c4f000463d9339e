// Times the wasm instantiation turkeysms-otp's workerd entry does on its first call — `new
// WebAssembly.Instance` of the compiled module and its start — inside workerd itself, through
// the glue's `__wbg_reset_state`, which is also what replaces a trapped instance.
//
// workerd's clock stands still while code runs and moves only across I/O (a Spectre
// mitigation), so each round is bracketed by a loopback request to `TICK_URL`, and a round with
// no work between the same two requests is subtracted.

import { normalizeMobile } from "turkeysms-otp";
import * as glue from "../../node_modules/turkeysms-otp/glue.js";

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
    normalizeMobile("0532 123 45 67"); // the first instance, made by the package itself
    const rounds = [];
    for (let r = 0; r < 7; r++) {
      const idle = await bracket(env.TICK_URL, () => {});
      const busy = await bracket(env.TICK_URL, () => {
        for (let i = 0; i < n; i++) {
          glue.__wbg_reset_state();
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
