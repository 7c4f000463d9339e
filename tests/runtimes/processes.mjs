// Running the runtimes under test as child processes, with loopback-only network settings.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const consumerDir = fileURLToPath(new URL("../../", import.meta.url));

/** Wrangler and Miniflare must not reach out: no metrics, no Request.cf download. */
const QUIET_CLOUDFLARE = {
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  CI: "true",
  NO_COLOR: "1",
};

/** Runs a command to completion; resolves to { code, stdout, stderr }. */
export function run(command, args, { cwd = consumerDir, env = {}, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...QUIET_CLOUDFLARE, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * `wrangler dev` on a Worker folder; resolves to { url, stop(), output() } once it is ready.
 * `args` are more of wrangler's flags (e.g. `--assets <dir>`).
 * A free port can be taken by a parallel test file before wrangler binds it: then it tries again.
 */
export async function wranglerDev(dir, vars = {}, args = []) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await wranglerDevOnce(dir, vars, args);
    } catch (error) {
      if (attempt >= 3 || !/Address already in use/.test(error.message)) throw error;
    }
  }
}

async function wranglerDevOnce(dir, vars, extra) {
  const port = await freePort();
  const inspector = await freePort();
  const args = [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspector),
    "--show-interactive-dev-session=false",
    ...extra,
  ];
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  const child = spawn("wrangler", args, {
    cwd: dir,
    env: { ...process.env, ...QUIET_CLOUDFLARE },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  /** SIGTERM to the whole group, then SIGKILL if it is still there after 5 s (a wedged workerd). */
  const stop = () =>
    new Promise((resolve) => {
      if (exited) return resolve();
      const kill = (signal) => {
        try {
          process.kill(-child.pid, signal);
        } catch {}
      };
      const hard = setTimeout(() => kill("SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(hard);
        resolve();
      });
      kill("SIGTERM");
    });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`wrangler dev did not start:\n${output}`));
    }, 60_000);
    const watch = (d) => {
      output += d;
      if (/Ready on http/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", watch);
    child.stderr.on("data", watch);
    child.on("exit", (code) => reject(new Error(`wrangler dev exited with ${code}:\n${output}`)));
  });
  await ready;
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop,
  };
}
