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

/**
 * A server process that serves until stopped; resolves to { url, stop(), output() } once its
 * output matches `ready` (whose first group, when it has one, is the URL). Started in a process
 * group of its own so that stop() also ends anything it spawned (next start's server).
 */
export function startServer(command, args, { cwd = consumerDir, env = {}, ready, url, timeoutMs = 30_000 }) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
      const hard = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }, 5_000);
      await exited;
      clearTimeout(hard);
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${command} ${args.join(" ")} did not start:\n${output}`));
    }, timeoutMs);
    const watch = (d) => {
      output += d;
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1] ?? url, stop, output: () => output });
      }
    };
    child.stdout.on("data", watch);
    child.stderr.on("data", watch);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(" ")} exited with ${code}:\n${output}`));
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
