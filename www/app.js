// The demo talks to the sandbox through the package itself, as any page would.
import { normalizeMobile, ready, sendOtp } from "/pkg/browser.js";

const { sandboxUrl } = await (await fetch("/config.json")).json();
await ready();

const form = document.getElementById("send");
const mobile = document.getElementById("mobile");
const note = document.getElementById("mobile-note");
const submit = document.getElementById("submit");
const result = document.getElementById("result");
const inbox = document.getElementById("inbox");

function check() {
  try {
    note.textContent = "Sent as " + normalizeMobile(mobile.value);
    note.className = "note ok";
    submit.disabled = false;
  } catch (error) {
    note.textContent = error.message;
    note.className = "note error";
    submit.disabled = true;
  }
}

async function showInbox() {
  const { messages } = await (await fetch(sandboxUrl + "/sandbox/messages")).json();
  inbox.replaceChildren(
    ...messages.reverse().map((m) => {
      const li = document.createElement("li");
      li.textContent = `+${m.mobile}: ${m.text}`;
      return li;
    }),
  );
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  submit.disabled = true;
  result.textContent = "Sending…";
  try {
    // A sandbox key: the sandbox is not TurkeySMS, so it is fine in a page. A real key never is.
    const sent = await sendOtp({ apiKey: "sandbox-demo", baseUrl: sandboxUrl, mobile: mobile.value, digits: Number(form.digits.value) });
    result.textContent = JSON.stringify(sent, null, 2);
    result.dataset.state = "ok";
  } catch (error) {
    result.textContent = `${error.code}: ${error.message}`;
    result.dataset.state = "error";
  }
  submit.disabled = false;
  await showInbox();
});

mobile.addEventListener("input", check);
check();
await showInbox();
