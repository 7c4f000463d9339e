// A real redis-server (Debian's, installed by scripts/setup.sh) on a free loopback port, for the
// store tests and make bench; never the system service. `startRedis()` resolves once it answers
// PING, to { port, running, stop(signal) }. `watchCommands(port)` follows what it runs (MONITOR).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { connect, createServer } from "node:net";

const REDIS_SERVER = "/usr/bin/redis-server";
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** True when a raw PING on `port` gets +PONG. */
function pings(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

export async function startRedis() {
  if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} is missing: run scripts/setup.sh`);
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child = spawn(REDIS_SERVER, args, { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => {
    log += d;
  });
  child.stderr.on("data", (d) => {
    log += d;
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  let gone = false;
  exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + 10_000;
  while (!(await pings(port))) {
    if (gone) throw new Error(`redis-server exited at start:\n${log}`);
    if (Date.now() > deadline) throw new Error(`redis-server did not answer PING within 10 s:\n${log}`);
    await sleep(50);
  }
  return {
    port,
    get running() {
      return !gone;
    },
    /** Sends `signal` and waits for the process to exit. */
    async stop(signal = "SIGTERM") {
      if (!gone) child.kill(signal);
      return exited;
    },
  };
}

/** One line of MONITOR: `+<time> [<db> <source>] "NAME" "arg" ...` (arguments as Redis escapes them). */
function monitorLine(line) {
  const match = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/.exec(line);
  if (!match) return null;
  const words = [...match[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
  return { source: match[1], name: words[0].toUpperCase(), args: words.slice(1) };
}

/**
 * The commands Redis runs, seen by MONITOR on a raw connection of its own: resolves to
 * { drain(client), close() }. `drain(client)` ECHOes a marker through `client` (another
 * connection) and resolves with every command run since the last drain, up to the marker: each
 * { source, name, args }, where source is the client's "ip:port", or "lua" for a command a script
 * called. Redis feeds MONITOR in the order it runs commands, so once the marker is seen nothing
 * run before it is still to come.
 */
export async function watchCommands(port) {
  const socket = connect({ host: "127.0.0.1", port });
  socket.setEncoding("utf8");
  let buffer = "";
  let seen = [];
  let wake = () => {};
  let ready;
  const started = new Promise((resolve, reject) => {
    ready = resolve;
    socket.once("error", reject);
  });
  socket.on("data", (chunk) => {
    buffer += chunk;
    for (let end = buffer.indexOf("\r\n"); end >= 0; end = buffer.indexOf("\r\n")) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (line === "+OK") ready();
      const command = monitorLine(line);
      if (command) seen.push(command);
    }
    wake();
  });
  socket.on("connect", () => socket.write("MONITOR\r\n"));
  await started;
  let marks = 0;
  return {
    async drain(client) {
      const marker = `watch-commands-mark-${process.pid}-${++marks}`;
      await client.echo(marker);
      const deadline = Date.now() + 5_000;
      for (;;) {
        const at = seen.findIndex((c) => c.name === "ECHO" && c.args[0] === marker);
        if (at >= 0) {
          const commands = seen.slice(0, at);
          seen = seen.slice(at + 1);
          return commands;
        }
        if (Date.now() > deadline)
          throw new Error(`MONITOR did not show the marker within 5 s: ${JSON.stringify(seen)}`);
        await new Promise((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
    },
    close() {
      socket.destroy();
    },
  };
}
