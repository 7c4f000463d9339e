// The demo page. Every rule it shows comes from the package (validateOptions, normalizeMobile,
// normalizeCode, estimateSegments): nothing is checked twice in JavaScript.
import {
  estimateSegments,
  normalizeCode,
  normalizeMobile,
  ready,
  sendCustomOtp,
  sendOtp,
  validateOptions,
  verifyOtp,
} from "/pkg/browser.js";

const $ = (id) => document.getElementById(id);
const { sandboxUrl, verify } = await (await fetch("/config.json")).json();
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
    el("dd", {}, String(error.attempts)),
  ];
  if (error.status !== undefined) facts.push(el("dt", {}, "HTTP status"), el("dd", {}, String(error.status)));
  if (error.field !== undefined) facts.push(el("dt", {}, "Option"), el("dd", {}, error.field));
  $("outcome-body").replaceChildren(
    el("p", { className: "verdict error" }, el("strong", { className: "code" }, error.code ?? error.name)),
    el("p", { className: "message" }, error.message),
    el("dl", {}, ...facts),
    requestSection(),
  );
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (send.disabled) return;
  sending = true;
  attempts = [];
  send.disabled = true;
  showProgress();
  const call = kind() === "custom" ? sendCustomOtp : sendOtp;
  let sent = null;
  try {
    sent = await call(currentOptions());
    showSuccess(sent);
  } catch (error) {
    showError(error);
  }
  sending = false;
  showValidation();
  await refreshInbox();
  if (sent && target() === "edge") startVerifyStep(sent.mobile);
  if (sent && phoneWidth.matches)
    document.querySelector(".phone").scrollIntoView({ behavior: motion(), block: "start" });
});

// --- The code step (edge handler only: TurkeySMS itself checks no codes) --------------------

const phoneWidth = matchMedia("(max-width: 60rem)");
const motion = () => (matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth");
let verifying = null; // the number the last code went to

function startVerifyStep(mobile) {
  verifying = mobile;
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
}

function showVerifyError(error) {
  $("verify-result").dataset.state = "error";
  $("verify-result").replaceChildren(
    el("p", { className: "verdict error" }, el("strong", { className: "code" }, error.code)),
    el("p", { className: "message" }, error.message),
    el("p", { className: "hint" }, AFTER[error.code] ?? ""),
  );
  if (error.code === "CODE_EXPIRED" || error.code === "TOO_MANY_ATTEMPTS") $("verify").disabled = true;
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
      return el(
        "li",
        { className: "sms" },
        el("p", { className: "sms-from" }, m.title),
        text,
        el("p", { className: "sms-time" }, time),
      );
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

$("apiKey").value = $("scenario").value;
$("verify-ttl").textContent =
  verify.codeTtlMs % 60_000 === 0
    ? `${verify.codeTtlMs / 60_000} minutes`
    : `${Math.round(verify.codeTtlMs / 1000)} seconds`;
$("verify-tries").textContent = String(verify.maxAttempts);
showTarget();
await refreshInbox();
document.body.dataset.ready = "";
