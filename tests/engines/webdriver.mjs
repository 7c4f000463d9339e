// Firefox (Gecko) and WebKit, driven over W3C WebDriver by selenium-webdriver: Debian's
// firefox-esr through geckodriver (cargo install geckodriver), headless; Debian's WebKitGTK
// MiniBrowser through WebKitWebDriver (webkit2gtk-driver), in an Xvfb display of its own, since
// MiniBrowser has no headless mode. Each engine gets its own driver on a free loopback port, with
// HOME, TMPDIR and the XDG directories under build/engines/, and a proxy on a closed loopback
// port for every host but 127.0.0.1 and localhost, so nothing a page or the browser does can
// leave the machine.
import { spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { after, before } from "node:test";
import { Executor, HttpClient } from "selenium-webdriver/http/index.js";
import { By, until, WebDriver } from "selenium-webdriver/index.js";
import { consumerDir, freePort } from "../runtimes/processes.mjs";

export { By, until };

/** The repository: the suites run in build/consumer (scripts/test-js.sh), two levels below it. */
export const repoRoot =
  basename(consumerDir.replace(/\/$/, "")) === "consumer" ? resolve(consumerDir, "../..") : consumerDir;

const FIREFOX = process.env.FIREFOX ?? "/usr/bin/firefox-esr";
const MINIBROWSER = process.env.MINIBROWSER ?? "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/** Every host but loopback goes to a closed port (9, discard): it fails at once, on this machine. */
const DEAD_PROXY = "127.0.0.1:9";
const LOOPBACK = ["127.0.0.1", "localhost"];
const SESSION_TIMEOUT_MS = 30_000;
/** A test or a browser start that takes longer has hung: it fails rather than holding make test. */
export const TEST_TIMEOUT_MS = 120_000;

export const ENGINES = {
  firefox: {
    label: "Firefox",
    driver: process.env.GECKODRIVER ?? "geckodriver",
    args: (port) => ["--host", "127.0.0.1", "--port", String(port), "--log", "error"],
    display: false,
    capabilities: {
      browserName: "firefox",
      "moz:firefoxOptions": { binary: FIREFOX, args: ["-headless"] },
      proxy: { proxyType: "manual", httpProxy: DEAD_PROXY, sslProxy: DEAD_PROXY, noProxy: LOOPBACK },
    },
  },
  webkit: {
    label: "WebKit",
    driver: process.env.WEBKITWEBDRIVER ?? "WebKitWebDriver",
    args: (port) => [`--port=${port}`, "--host=127.0.0.1"],
    display: true,
    capabilities: {
      browserName: "MiniBrowser",
      // MiniBrowser's own proxy options, not the W3C proxy capability: WebKitGTK 2.50.6 turns a
      // capability with noProxy into proxy settings that crash MiniBrowser at start (SIGSEGV in
      // g_strdupv under webkit_network_proxy_settings_new; here 1 start in 2 to 1 in 18), and
      // WebKitWebDriver then waits for the session forever.
      "webkitgtk:browserOptions": {
        binary: MINIBROWSER,
        args: ["--automation", `--proxy=http://${DEAD_PROXY}`, ...LOOPBACK.map((host) => `--ignore-host=${host}`)],
      },
    },
  },
};

/** A home of its own for a browser and its driver (per test process: files may run in parallel). */
function isolatedEnv(home) {
  rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  for (const dir of ["tmp", ".cache", ".config", ".local/share"]) mkdirSync(join(home, dir), { recursive: true });
  mkdirSync(join(home, "run"), { mode: 0o700 });
  return {
    ...process.env,
    HOME: home,
    TMPDIR: join(home, "tmp"),
    XDG_CACHE_HOME: join(home, ".cache"),
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local/share"),
    XDG_RUNTIME_DIR: join(home, "run"),
    MOZ_CRASHREPORTER_DISABLE: "1",
  };
}

/** Whatever is still running when the test process ends is killed with it. */
const running = new Set();
process.once("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});

/** Resolves as `promise` does, or rejects with `message` after `ms`. */
function within(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Sends `signal` to `child`'s whole process group (it may be gone already). */
function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {}
}

/** Starts a process whose output is kept for error messages; `exited` settles when it ends. */
function start(command, args, env, extraStdio = []) {
  // A process group of its own: the browser's helpers (WebKit's web, network and GPU processes)
  // are killed with their driver, rather than outliving it and writing into its home.
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe", ...extraStdio], detached: true });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  running.add(child);
  child.exited = new Promise((r) => {
    child.on("exit", () => {
      running.delete(child);
      r();
    });
    child.on("error", (error) => {
      output += `\n${error.message}`;
      r(null);
    });
  });
  child.output = () => output;
  return child;
}

/** Xvfb on the first free display (-displayfd writes its number): no race between parallel starts. */
async function startXvfb(env) {
  const xvfb = start("Xvfb", ["-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"], env, ["pipe"]);
  const display = await new Promise((resolve, reject) => {
    let text = "";
    xvfb.stdio[3].on("data", (d) => {
      text += d;
      if (text.includes("\n")) resolve(`:${text.trim()}`);
    });
    xvfb.exited.then(() => reject(new Error(`Xvfb did not start: ${xvfb.output()}`)));
    setTimeout(() => reject(new Error(`Xvfb gave no display in 10 s: ${xvfb.output()}`)), 10_000);
  });
  return { xvfb, display };
}

async function waitForDriver(url, child, name) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}: ${child.output()}`);
    try {
      const status = await (await fetch(`${url}/status`)).json();
      if (status.value?.ready) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not answer on ${url} in 15 s: ${child.output()}`);
}

/**
 * Starts `engine` ("firefox" | "webkit"): its driver, a session, and (WebKit) its display.
 * Resolves to { driver (a selenium WebDriver), name, label, version, output(), close() }.
 */
export async function startEngine(engine) {
  const spec = ENGINES[engine];
  const home = join(repoRoot, "build", "engines", `${engine}-${process.pid}`);
  const env = isolatedEnv(home);
  const processes = [];
  const close = async (session) => {
    if (session) await within(session.quit(), 10_000, "quit").catch(() => {});
    for (const child of processes.reverse()) {
      killGroup(child, "SIGTERM");
      await Promise.race([child.exited, new Promise((r) => setTimeout(r, 3000))]);
      killGroup(child, "SIGKILL");
    }
    // Retried: a helper process killed a moment ago may still be closing files in its cache.
    try {
      rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch {} // left for the next run's isolatedEnv, which starts from an empty home
  };
  try {
    if (spec.display) {
      const { xvfb, display } = await startXvfb(env);
      processes.push(xvfb);
      env.DISPLAY = display;
    }
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = start(spec.driver, spec.args(port), env);
    processes.push(child);
    await waitForDriver(url, child, spec.driver);
    const driver = WebDriver.createSession(new Executor(new HttpClient(url)), spec.capabilities);
    await within(
      driver.getSession(),
      SESSION_TIMEOUT_MS,
      `${spec.driver} opened no ${spec.label} session in ${SESSION_TIMEOUT_MS / 1000} s (did the browser crash?)`,
    );
    await driver.manage().setTimeouts({ script: 30_000, pageLoad: 30_000 });
    const caps = await driver.getCapabilities();
    return {
      driver,
      name: engine,
      label: spec.label,
      version: `${caps.getBrowserName()} ${caps.getBrowserVersion()}`,
      output: () => processes.map((p) => p.output()).join("\n"),
      close: () => close(driver),
    };
  } catch (error) {
    await close();
    error.message += `\n${processes.map((p) => p.output()).join("\n")}`;
    throw error;
  }
}

/** Waits until `script` (run in the page) returns something truthy; returns it. */
export async function waitInPage(driver, script, { timeout = 20_000, message, args = [] } = {}) {
  let last;
  try {
    return await driver.wait(async () => (last = await driver.executeScript(script, ...args)), timeout);
  } catch (error) {
    const url = await driver.getCurrentUrl().catch(() => "?");
    error.message = `${message ?? script} (on ${url}, last answer ${JSON.stringify(last)}): ${error.message}`;
    throw error;
  }
}

/** Waits for a CSS selector to match an element; returns the element. */
export async function waitFor(driver, css, timeout = 20_000) {
  try {
    return await driver.wait(until.elementLocated(By.css(css)), timeout);
  } catch (error) {
    const body = await driver
      .executeScript("return document.body && document.body.innerText.slice(0, 2000)")
      .catch(() => "?");
    error.message = `no element matched ${css}: ${error.message}\npage text: ${body}`;
    throw error;
  }
}

/**
 * Starts `engine` before the tests of the enclosing describe and closes it after them; the
 * returned function gives the started engine (see startEngine).
 */
export function useEngine(engine) {
  let browser;
  before(
    async () => {
      browser = await startEngine(engine);
    },
    { timeout: TEST_TIMEOUT_MS },
  );
  after(async () => {
    await browser?.close();
  });
  return () => browser;
}
