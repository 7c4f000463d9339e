// The demo page. Every rule it shows comes from the package (validateOptions, normalizeMobile,
// normalizeCode, estimateSegments): nothing is checked twice in JavaScript.
import {
  estimateSegments,
  getOtpStatus,
  normalizeCode,
  normalizeMobile,
  ready,
  sendCustomOtp,
  sendOtp,
  validateOptions,
  verifyOtp,
} from "/pkg/browser.js";

const $ = (id) => document.getElementById(id);
const { sandboxUrl, verify, cooldownMs, edgeKey, guard, pumpPrefix } = await (await fetch("/config.json")).json();
await ready();

const form = $("otp-form");
const send = $("send");
const SAMPLE_CODE = "482913";
const FIELDS = ["apiKey", "baseUrl", "mobile", "title", "text", "timeoutMs", "maxRetries"];

const target = () => document.querySelector('input[name="target"]:checked').value;
const kind = () => document.querySelector('input[name="kind"]:checked').value;

/** The options exactly as the page passes them to the package. */
function currentOptions() {
  const number = (id) => ($(id).value.trim() === "" ? undefined : Number($(id).value));
  const options = {
    mobile: $("mobile").value,
    digits: Number($("digits").value),
    timeoutMs: number("timeoutMs"),
    maxRetries: number("maxRetries"),
  };
  if ($("lang").value) options.lang = $("lang").value;
  if (target() === "sandbox") {
    options.baseUrl = sandboxUrl;
    options.apiKey = $("apiKey").value;
  } else if (target() === "edge") {
    options.baseUrl = "/api"; // a path: the page's own server
  } else {
    options.baseUrl = $("baseUrl").value.trim();
  }
  if (kind() === "custom") {
    options.title = $("title").value;
    options.text = $("text").value;
  }
  return options;
}

/** Shows each issue next to its field; the ones whose field is hidden go above the button. */
function showValidation() {
  const { ok, issues } = validateOptions(currentOptions(), kind());
  const general = [];
  for (const field of FIELDS) {
    $(`${field}-issue`).textContent = "";
    $(field).removeAttribute("aria-invalid");
  }
  for (const issue of issues) {
    const slot = $(`${issue.field}-issue`);
    // Next to its field when that field is on screen; hidden fields' issues go above the button.
    if (slot && $(issue.field).offsetParent !== null) {
      slot.textContent = issue.message;
      $(issue.field).setAttribute("aria-invalid", "true");
    } else {
      general.push(issue.message);
    }
  }
  $("general-issue").textContent = general.join(" ");
  send.disabled = !ok || sending;

  let wire = null;
  try {
    wire = normalizeMobile($("mobile").value);
    $("mobile-normalized").textContent = `Sent as ${wire}`;
  } catch {
    $("mobile-normalized").textContent = "";
  }
  $("phone-number").textContent = wire ? displayNumber(wire) : "—";
  currentMobile = wire;
  if (kind() === "custom") showPreview();
  renderInbox();
}

/** How a phone shows the number: +90 532 123 45 67 for Turkish mobiles, +<digits> otherwise. */
function displayNumber(wire) {
  const m = /^(90)(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(wire);
  return m ? `+${m.slice(1).join(" ")}` : `+${wire}`;
}

/** The custom text as the phone will show it, and what it costs. */
function showPreview() {
  const digits = Number($("digits").value);
  const text = $("text").value;
  const preview = $("preview");
  preview.replaceChildren();
  text.split("TS-CODE").forEach((part, i) => {
    if (i > 0)
      preview.append(Object.assign(document.createElement("mark"), { textContent: SAMPLE_CODE.slice(0, digits) }));
    preview.append(part);
  });
  const estimate = estimateSegments(text, digits);
  const perSms = estimate.encoding === "GSM-7" ? (estimate.segments > 1 ? 153 : 160) : estimate.segments > 1 ? 67 : 70;
  $("text-meter").textContent =
    `${estimate.encoding} · ${estimate.characters} characters · ${estimate.segments} SMS (${perSms} characters per SMS)`;
  $("text-meter").dataset.encoding = estimate.encoding;
  const forcing =
    estimate.encoding === "UCS-2" ? [...text].find((c) => estimateSegments(c).encoding === "UCS-2") : undefined;
  $("text-note").textContent = forcing
    ? `“${forcing}” is not in the GSM-7 alphabet, so the whole message travels as UCS-2: 70 characters per SMS instead of 160 (67 instead of 153 when split).`
    : "";
}

// --- Sending --------------------------------------------------------------------------------

let sending = false;
let attempts = [];

// Record what the package sends, to show the request exactly as it left the page.
const pageFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const request = input instanceof Request ? input : new Request(input, init);
  if (sending && /\/otp\/(send|detailed)$/.test(new URL(request.url).pathname)) {
    attempts.push({
      method: request.method,
      url: request.url,
      contentType: request.headers.get("content-type"),
      body: await request.clone().text(),
    });
    showProgress();
  }
  return pageFetch(request);
};

function redacted(body) {
  try {
    const json = JSON.parse(body);
    if ("api_key" in json) json.api_key = "•••••• (redacted)";
    return JSON.stringify(json, null, 2);
  } catch {
    return body;
  }
}

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function showProgress() {
  const body = $("outcome-body");
  $("outcome").hidden = false;
  $("outcome").dataset.state = "sending";
  body.replaceChildren(
    el(
      "p",
      { className: "progress" },
      el("span", { className: "spinner", ariaHidden: "true" }),
      attempts.length > 1 ? `Sending… attempt ${attempts.length}` : "Sending…",
    ),
  );
}

function requestSection() {
  if (attempts.length === 0)
    return el("p", { className: "hint" }, "No request was made: the options were refused before any network request.");
  const last = attempts.at(-1);
  return el(
    "details",
    { open: true },
    el(
      "summary",
      {},
      attempts.length === 1 ? "The request as sent" : `The request as sent (${attempts.length} attempts)`,
    ),
    el("pre", {}, `${last.method} ${last.url}\nContent-Type: ${last.contentType}\n\n${redacted(last.body)}`),
  );
}

function showSuccess(result) {
  $("outcome").dataset.state = "ok";
  $("outcome-body").replaceChildren(
    el("p", { className: "verdict ok" }, el("strong", {}, result.code), " ", result.message || "Delivered."),
    el(
      "dl",
      {},
      el("dt", {}, "Sent to"),
      el("dd", {}, displayNumber(result.mobile)),
      el("dt", {}, "SMS id"),
      el("dd", {}, String(result.smsId ?? "—")),
      el("dt", {}, "Segments billed"),
      el("dd", {}, String(result.segments ?? "—")),
    ),
    requestSection(),
    el("details", {}, el("summary", {}, "The raw response"), el("pre", {}, JSON.stringify(result.raw, null, 2))),
  );
}

function showError(error) {
  $("outcome").dataset.state = "error";
  const facts = [
    el("dt", {}, "Retryable"),
    el("dd", {}, error.retryable ? "yes — the same call may succeed later" : "no — fix the cause first"),
    el("dt", {}, "Attempts"),
    el("dd", {}, String(error.attempts ?? 0)),
  ];
  if (error.status !== undefined) facts.push(el("dt", {}, "HTTP status"), el("dd", {}, String(error.status)));
  if (error.retryAfter !== undefined)
    facts.push(el("dt", {}, "Ask again in"), el("dd", {}, `${error.retryAfter} s (the answer's Retry-After)`));
  if (error.field !== undefined) facts.push(el("dt", {}, "Option"), el("dd", {}, error.field));
  $("outcome-body").replaceChildren(
    el("p", { className: "verdict error" }, el("strong", { className: "code" }, error.code ?? error.name)),
    el("p", { className: "message" }, error.message),
    el("dl", {}, ...facts),
    requestSection(),
  );
}

/**
 * Sends with `call` and shows the outcome; through the edge handler (`edge`) it queues the chosen
 * "Next SMS" fault first, and a success opens the code step with the send's delivery status.
 */
async function sendCode(options, call, edge) {
  sending = true;
  attempts = [];
  send.disabled = true;
  showResend();
  showProgress();
  const before = Math.max(0, ...inbox.map((m) => m.smsId));
  let sent = null;
  try {
    if (edge) await queueNextSms();
    sent = await call(options);
    showSuccess(sent);
  } catch (error) {
    showError(error);
    // Pressed too early: the handler says how long the number still waits.
    if (edge && error.code === "COOLDOWN" && error.retryAfter !== undefined && verifying === normalized(options.mobile))
      holdResend(error.retryAfter * 1000);
  }
  sending = false;
  showValidation();
  if (sent && edge) nextSmsUsed();
  await refreshInbox();
  if (edge) refreshOperator();
  if (sent && edge) {
    // The SMS this send delivered to the sandbox's inbox: the newest for the number.
    const smsId = Math.max(0, ...inbox.filter((m) => m.mobile === sent.mobile && m.smsId > before).map((m) => m.smsId));
    startVerifyStep(sent.mobile, { options, call });
    track(sent.raw.id, smsId || null);
  }
  showResend();
  if (sent && phoneWidth.matches)
    document.querySelector(".phone").scrollIntoView({ behavior: motion(), block: "start" });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (send.disabled) return;
  sendCode(currentOptions(), kind() === "custom" ? sendCustomOtp : sendOtp, target() === "edge");
});

const normalized = (mobile) => {
  try {
    return normalizeMobile(mobile);
  } catch {
    return null;
  }
};

// --- Next SMS (the sandbox's webhook faults for the handler's key) -------------------------------

let queuedFault = null; // a fault queued in the sandbox that no send through the handler used yet
const NEXT_SMS = {
  "": "",
  "webhook-failed": "The sandbox will report the next SMS through the handler as failed.",
  "webhook-expired": "The sandbox will report the next SMS through the handler as expired.",
};

/** Asks the sandbox to make the handler's next SMS fail or expire, as "Next SMS" says. */
async function queueNextSms() {
  const fault = $("next-sms").value;
  if (!fault || queuedFault === fault) return;
  let answer;
  try {
    answer = await pageFetch(`${sandboxUrl}/sandbox/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ api_key: edgeKey, faults: [fault] }),
    });
  } catch {}
  if (!answer?.ok)
    throw { code: "SANDBOX_FAULT", message: "The sandbox did not queue the fault for the next SMS: nothing was sent." };
  queuedFault = fault;
  // Queued faults cannot be taken back: the choice stays until a send uses it.
  $("next-sms").disabled = true;
  showNextSms();
}

/** A send through the handler delivered an SMS: it used the queued fault. */
function nextSmsUsed() {
  queuedFault = null;
  $("next-sms").value = "";
  $("next-sms").disabled = false;
  showNextSms();
}

function showNextSms() {
  $("next-sms-hint").textContent = queuedFault
    ? `${NEXT_SMS[queuedFault]} Queued in the sandbox until a send uses it.`
    : NEXT_SMS[$("next-sms").value] || "For trying it out: the sandbox can make the next SMS fail or expire.";
}
$("next-sms").addEventListener("change", showNextSms);

// --- The code step (edge handler only: TurkeySMS itself checks no codes) --------------------

const phoneWidth = matchMedia("(max-width: 60rem)");
const motion = () => (matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth");
let verifying = null; // the number the last code went to
let lastSend = null; // { options, call } of that send, for "Send again"

function startVerifyStep(mobile, send) {
  verifying = mobile;
  lastSend = send;
  holdResend(cooldownMs);
  $("verify-step").hidden = false;
  $("verify-number").textContent = displayNumber(mobile);
  $("code").value = "";
  $("code-issue").textContent = "";
  $("code").removeAttribute("aria-invalid");
  $("verify-result").hidden = true;
  $("verify").disabled = false;
  // On a phone the inbox is what to look at next; on a wide screen the code field.
  if (!phoneWidth.matches) $("code").focus({ preventScroll: true });
}

/** A pasted SMS or code: keep its digits (any script), at most six. */
$("code").addEventListener("paste", (event) => {
  const text = event.clipboardData?.getData("text") ?? "";
  const digits = text.replace(/[^\p{Nd}]/gu, "").slice(0, 6);
  if (!digits) return;
  event.preventDefault();
  $("code").value = digits;
});

/** The token's claims, decoded for display only: a backend checks it with verifyOtpToken. */
function claimsOf(token) {
  const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(part));
}

const AFTER = {
  CODE_INVALID: "Check the digits in the SMS and type them again.",
  CODE_EXPIRED: "Send a new code.",
  TOO_MANY_ATTEMPTS: "This code is burnt: send a new code.",
  NUMBER_LIMIT: "Wait before checking again.",
};

function showVerified(result) {
  const claims = claimsOf(result.token);
  const time = (seconds) => new Date(seconds * 1000).toLocaleTimeString();
  $("verify-result").dataset.state = "verified";
  $("verify-result").replaceChildren(
    el("p", { className: "verdict verified" }, el("strong", {}, "Verified"), ` ${displayNumber(result.mobile)}`),
    el(
      "dl",
      {},
      el("dt", {}, "sub"),
      el("dd", {}, claims.sub),
      el("dt", {}, "iat"),
      el("dd", {}, `${claims.iat} (${time(claims.iat)})`),
      el("dt", {}, "exp"),
      el("dd", {}, `${claims.exp} (${time(claims.exp)})`),
      el("dt", {}, "jti"),
      el("dd", {}, claims.jti),
    ),
    el(
      "p",
      { className: "hint" },
      "The token's claims, decoded here for display. Your backend checks the token itself with ",
      el("code", {}, "verifyOtpToken(token, { secret })"),
      ".",
    ),
    el("details", {}, el("summary", {}, "The token"), el("pre", {}, result.token)),
  );
  $("verify").disabled = true;
  stopTracking(); // the code step is over
}

function showVerifyError(error) {
  $("verify-result").dataset.state = "error";
  $("verify-result").replaceChildren(
    el("p", { className: "verdict error" }, el("strong", { className: "code" }, error.code)),
    el("p", { className: "message" }, error.message),
    el("p", { className: "hint" }, AFTER[error.code] ?? ""),
  );
  if (error.code === "CODE_EXPIRED" || error.code === "TOO_MANY_ATTEMPTS") {
    $("verify").disabled = true;
    stopTracking(); // the code step is over
  }
}

$("verify-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if ($("verify").disabled || !verifying) return;
  try {
    normalizeCode($("code").value);
  } catch (error) {
    $("code-issue").textContent = error.message;
    $("code").setAttribute("aria-invalid", "true");
    return;
  }
  $("code-issue").textContent = "";
  $("code").removeAttribute("aria-invalid");
  $("verify").disabled = true;
  try {
    showVerified(await verifyOtp({ baseUrl: "/api", mobile: verifying, code: $("code").value }));
  } catch (error) {
    $("verify").disabled = false;
    showVerifyError(error);
  }
  $("verify-result").hidden = false;
  refreshOperator();
});

// --- Delivery (the handler's /otp/status, fed by TurkeySMS's webhooks) ----------------------

/** What the code step and the phone say of each status; `again`: the number may ask again at once. */
const DELIVERY = {
  QUEUED: { page: "Queued…", phone: "Queued" },
  SENT: { page: "Sent to the operator…", phone: "Sent ✓" },
  DELIVERED: { page: "Delivered", phone: "Delivered ✓✓", final: true },
  FAILED: { page: "Not delivered — send again", phone: "Not delivered", final: true, again: true },
  EXPIRED: { page: "Expired — send again", phone: "Not delivered (expired)", final: true, again: true },
};
const POLL_MS = 500;

let tracking = null; // the latest send through the handler: { id, smsId, status, polling, controller }
const smsStatus = new Map(); // smsId -> the status the phone shows under that SMS

/** Follows the send `id` (its SMS in the inbox: `smsId`) until a final status or the code step ends. */
function track(id, smsId) {
  stopTracking();
  // An earlier send still under way is no longer followed: the phone stops claiming its status.
  for (const [sms, status] of smsStatus) if (!DELIVERY[status].final) smsStatus.delete(sms);
  const t = { id, smsId, status: "QUEUED", polling: true, controller: new AbortController() };
  tracking = t;
  showDelivery();
  poll(t);
}

function stopTracking() {
  if (!tracking?.polling) return;
  tracking.polling = false;
  tracking.controller.abort();
  showDelivery();
}

async function poll(t) {
  // As long as the code lives: after that nobody waits for this SMS.
  const until = Date.now() + verify.codeTtlMs;
  const { signal } = t.controller;
  while (t.polling) {
    try {
      const { code } = await getOtpStatus({ baseUrl: "/api", id: t.id, signal, timeoutMs: 5_000 });
      if (!t.polling) return;
      // Redrawn on a change only: the phone's inbox is a live region.
      if (code !== t.status && DELIVERY[code]) {
        t.status = code;
        showDelivery();
      }
      if (DELIVERY[code]?.final) break;
    } catch (error) {
      if (!t.polling) return;
      if (error.code === "UNKNOWN_ID") break; // gone with its code: nothing more to learn
    }
    if (Date.now() + POLL_MS > until) break;
    await new Promise((done) => {
      const timer = setTimeout(done, POLL_MS);
      signal.addEventListener("abort", () => done(clearTimeout(timer)), { once: true });
    });
  }
  if (t.polling) {
    t.polling = false;
    showDelivery();
  }
}

function showDelivery() {
  const t = tracking;
  if (!t) return;
  const shown = DELIVERY[t.status];
  const line = $("delivery");
  line.dataset.state = t.status;
  line.toggleAttribute("data-polling", t.polling);
  $("delivery-text").textContent =
    t.polling || shown.final ? shown.page : `${shown.page.replace(/…$/, "")} (no longer checked)`;
  if (t.smsId !== null) smsStatus.set(t.smsId, t.status);
  renderInbox();
  showResend();
}

// --- Send again -----------------------------------------------------------------------------

let resendAt = 0; // when the handler's cooldown for the code step's number ends
let resendTimer = null;

function holdResend(ms) {
  resendAt = Date.now() + ms;
  clearInterval(resendTimer);
  resendTimer = setInterval(showResend, 250);
  showResend();
}

function showResend() {
  const left = Math.ceil((resendAt - Date.now()) / 1000);
  // A failed or expired latest send freed the number: the handler released its cooldown.
  const freed = tracking !== null && DELIVERY[tracking.status].again === true;
  if (left <= 0) clearInterval(resendTimer);
  $("resend").disabled = sending || lastSend === null || (!freed && left > 0);
  $("resend-wait").textContent = freed
    ? "That SMS did not arrive: its code no longer works, and the handler lets this number ask again now."
    : left > 0
      ? `One code per number every ${cooldownMs / 1000} seconds: you can ask again in ${left} s.`
      : "";
}

$("resend").addEventListener("click", () => {
  if ($("resend").disabled || !lastSend) return;
  sendCode({ ...lastSend.options, mobile: verifying }, lastSend.call, true);
});

// --- The phone ------------------------------------------------------------------------------

let inbox = [];
let currentMobile = null;

/** The sandbox receives what the sandbox target and the edge handler send. */
const showsInbox = () => target() !== "proxy";

async function refreshInbox() {
  if (!showsInbox()) return;
  try {
    inbox = (await (await pageFetch(`${sandboxUrl}/sandbox/messages`)).json()).messages;
  } catch {
    return;
  }
  renderInbox();
}

function renderInbox() {
  const mine = showsInbox() ? inbox.filter((m) => m.mobile === currentMobile) : [];
  $("inbox").replaceChildren(
    ...mine.map((m) => {
      const text = el("p", { className: "sms-text" });
      m.text.split(m.code).forEach((part, i) => {
        if (i > 0) text.append(el("mark", { className: "sms-code" }, m.code));
        text.append(part);
      });
      const time = new Date(m.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      const item = el(
        "li",
        { className: "sms" },
        el("p", { className: "sms-from" }, m.title),
        text,
        el("p", { className: "sms-time" }, time),
      );
      // The delivery status of a send through the handler, drawn under the bubble.
      const status = smsStatus.get(m.smsId);
      if (status !== undefined) {
        const line = el("p", { className: "sms-status" }, DELIVERY[status].phone);
        line.dataset.state = status;
        item.append(line);
      }
      return item;
    }),
  );
  $("inbox-empty").textContent = !showsInbox()
    ? "The inbox shows what the sandbox delivers; with your own proxy, look at the phone."
    : "No messages for this number yet. Send a code.";
  $("inbox-empty").hidden = mine.length > 0;
  $("inbox").hidden = mine.length === 0;
  const list = $("inbox");
  list.scrollTop = list.scrollHeight;
}

// --- The operator panel (the demo server's GET /demo/operator) ------------------------------

const OPERATOR_POLL_MS = 2_000;
let operatorAsked = 0; // answers older than the one drawn are dropped
let operatorShown = 0;
let countsShown = ""; // the counts last drawn: the live region is redrawn on a change only

const percent = (ratio) => (ratio === null ? "—" : `${Math.round(ratio * 100)}%`);

/** A prefix as the range it names: +90 555 000 00 xx for a Turkish one, +<digits>… otherwise. */
function displayPrefix(prefix) {
  const m = /^(90)(.{3})(.{3})(.{2})(.{2})$/.exec(prefix.padEnd(12, "x"));
  return m ? `+${m.slice(1).join(" ")}` : `+${prefix}…`;
}

/** How long a suspension still lasts, as a person reads it. */
function remaining(ms) {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s`;
  return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

async function refreshOperator() {
  const mine = ++operatorAsked;
  let data;
  try {
    const answer = await pageFetch("/demo/operator");
    if (!answer.ok) return;
    data = await answer.json();
  } catch {
    return;
  }
  if (mine < operatorShown) return;
  operatorShown = mine;
  renderOperator(data);
}

/** A list of `code count` items, largest first. */
const tally = (table) =>
  Object.keys(table).length === 0
    ? [el("li", { className: "none" }, "None yet")]
    : Object.entries(table)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([code, n]) => {
          const item = el("li", {}, el("code", {}, code), " ", el("span", { className: "n" }, String(n)));
          item.dataset.code = code;
          return item;
        });

function renderOperator(data) {
  const verified = data.verifications.VERIFIED ?? 0;
  const counts = JSON.stringify([data.sends, data.refusals, data.verifications]);
  if (counts !== countsShown) {
    countsShown = counts;
    $("op-sends").textContent = String(data.sends);
    $("op-verified").textContent = String(verified);
    $("op-conversion").textContent = percent(data.conversion);
    $("op-refusals").replaceChildren(...tally(data.refusals));
    $("op-checks").replaceChildren(...tally(data.verifications));
  }
  // Not a live region: the suspensions count down at every poll.
  $("op-prefixes").replaceChildren(
    ...data.prefixes.map((p) => {
      const item = el(
        "li",
        {},
        el(
          "p",
          { className: "prefix-head" },
          el("strong", { className: "range" }, displayPrefix(p.prefix)),
          el("span", { className: "rate" }, `conversion ${percent(p.conversion)}`),
        ),
        el("p", { className: "prefix-counts" }, `${p.sends} sent · ${p.verified} verified`),
      );
      item.dataset.prefix = p.prefix;
      if (p.suspendedForMs > 0) {
        item.dataset.suspended = "";
        item.append(el("p", { className: "suspended" }, `Suspended · ${remaining(p.suspendedForMs)} left`));
      }
      return item;
    }),
  );
  $("op-prefixes").hidden = data.prefixes.length === 0;
  $("op-prefixes-empty").hidden = data.prefixes.length > 0;
}

// "Simulate SMS pumping": codes to one number after another of the pumped range, through the
// handler as the page sends, none typed back, until a refusal stops it.
let pumped = 0; // numbers of the range used so far: a second flood goes on with the next ones
const PUMP_MAX = guard.minSends * 3; // a flood that nothing refuses stops here

/** The `n`th number of the pumped range, cycling through it. */
function pumpNumber(n) {
  const rest = 12 - pumpPrefix.length;
  return pumpPrefix + String(n % 10 ** rest).padStart(rest, "0");
}

async function pump() {
  $("pump").disabled = true;
  const range = displayPrefix(pumpPrefix);
  let sent = 0;
  let stop = null;
  $("pump-status").dataset.state = "pumping";
  $("pump-status").textContent = `Sending codes to ${range}…`;
  while (stop === null && sent < PUMP_MAX) {
    try {
      await sendOtp({ baseUrl: "/api", mobile: pumpNumber(pumped++), timeoutMs: 5_000 });
      sent += 1;
    } catch (error) {
      stop = error;
    }
    await refreshOperator();
  }
  const codes = `${sent} code${sent === 1 ? "" : "s"} sent`;
  if (stop?.code === "PREFIX_SUSPENDED") {
    $("pump-status").dataset.state = "suspended";
    $("pump-status").replaceChildren(
      `${codes}, none typed back; then `,
      el("strong", { className: "code" }, "PREFIX_SUSPENDED"),
      ` (429): the guard refuses ${range}${stop.retryAfter ? ` for ${remaining(stop.retryAfter * 1000)}` : ""}.`,
    );
  } else {
    $("pump-status").dataset.state = "stopped";
    $("pump-status").textContent = stop
      ? `${codes}; then ${stop.code ?? stop.name}: ${stop.message}`
      : `${codes}, and the guard did not stop them.`;
  }
  $("pump").disabled = false;
}

$("pump").addEventListener("click", () => {
  if (!$("pump").disabled) pump();
});

// --- Wiring ---------------------------------------------------------------------------------

function showTarget() {
  $("sandbox-fields").hidden = target() !== "sandbox";
  $("proxy-fields").hidden = target() !== "proxy";
  $("edge-fields").hidden = target() !== "edge";
  showValidation();
}

function showKind() {
  $("custom-fields").hidden = kind() !== "custom";
  showValidation();
}

$("scenario").addEventListener("change", () => {
  $("apiKey").value = $("scenario").value;
  showValidation();
});
for (const radio of document.querySelectorAll('input[name="target"]')) radio.addEventListener("change", showTarget);
for (const radio of document.querySelectorAll('input[name="kind"]')) radio.addEventListener("change", showKind);
form.addEventListener("input", showValidation);
form.addEventListener("change", showValidation);
$("apiKey").addEventListener("input", showValidation);
$("baseUrl").addEventListener("input", showValidation);

const tick = () => ($("clock").textContent = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
tick();
setInterval(tick, 30_000);
setInterval(refreshInbox, 3_000);
setInterval(refreshOperator, OPERATOR_POLL_MS);

$("apiKey").value = $("scenario").value;
showNextSms();
$("verify-ttl").textContent =
  verify.codeTtlMs % 60_000 === 0
    ? `${verify.codeTtlMs / 60_000} minutes`
    : `${Math.round(verify.codeTtlMs / 1000)} seconds`;
$("verify-tries").textContent = String(verify.maxAttempts);
$("guard-window").textContent = `${guard.windowMs / 60_000} minutes`;
$("pump-range").textContent = displayPrefix(pumpPrefix);
$("pump-rule").textContent =
  `The guard suspends a range sent ${guard.minSends} codes in ${guard.windowMs / 60_000} minutes with under ` +
  `${percent(guard.minConversion)} of them typed back, for ${remaining(guard.suspendMs)}.`;
showTarget();
await Promise.all([refreshInbox(), refreshOperator()]);
document.body.dataset.ready = "";
