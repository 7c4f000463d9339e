// The demo page (make demo) in Firefox (Gecko) and WebKit, over WebDriver (see webdriver.mjs):
// its main path, as a person takes it. Send to the sandbox (the default target); then through
// the edge handler to another number, read the code from the phone, type it in, Verified.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { inboxOf } from "../js/helpers.mjs";
import { By, repoRoot, TEST_TIMEOUT_MS, useEngine, waitFor, waitInPage } from "./webdriver.mjs";

// The demo serves www/ and the built pkg/ of the repository, as `make demo` does.
const { startDemo } = await import(pathToFileURL(join(repoRoot, "scripts/demo.mjs")).href);
let demo;

before(async () => {
  demo = await startDemo({ port: 0, sandboxPort: 0 });
});

after(async () => {
  await demo?.close();
});

const sandbox = () => ({ url: demo.sandboxUrl });

for (const [engine, mobiles] of [
  ["firefox", ["0532 444 10 01", "0532 444 10 02"]],
  ["webkit", ["0532 444 20 01", "0532 444 20 02"]],
]) {
  describe(`${engine === "firefox" ? "Firefox (Gecko)" : "WebKit (WebKitGTK MiniBrowser)"}: the demo page`, () => {
    const engineOf = useEngine(engine);

    test("the demo: send to the sandbox, then through the edge handler, type the code from the SMS, Verified", {
      timeout: TEST_TIMEOUT_MS,
    }, async (t) => {
      t.diagnostic(engineOf().version);
      const { driver } = engineOf();
      const $ = (css) => driver.findElement(By.css(css));
      const text = (css) => driver.executeScript("return document.querySelector(arguments[0])?.textContent", css);
      const fill = async (css, value) => {
        const input = await $(css);
        await input.clear();
        await input.sendKeys(value);
      };
      const wire = (typed) => `90${typed.replace(/\D/g, "").slice(1)}`;
      /** Waits for `css` to reach a final data-state and asserts it is `want`; fails at once on another. */
      const settles = async (css, finals, want) => {
        await waitFor(driver, finals.map((state) => `${css}[data-state="${state}"]`).join(", "));
        const state = await driver.executeScript("return document.querySelector(arguments[0]).dataset.state", css);
        assert.equal(state, want, `${css}: ${await text(css)}`);
      };

      await driver.get(demo.url);
      await waitFor(driver, "body[data-ready]", 30_000);
      // Errors from here on, for the end of the test.
      await driver.executeScript(`window.problems = [];
        addEventListener("error", (e) => problems.push("error: " + e.message));
        addEventListener("unhandledrejection", (e) => problems.push("unhandled rejection: " + e.reason));`);
      assert.equal(await $('input[name="target"][value="sandbox"]').isSelected(), true, "the sandbox is the default");

      // 1. The sandbox target, the number the page starts with.
      await fill("#mobile", mobiles[0]);
      await $("#send").click();
      await settles("#outcome", ["ok", "error"], "ok");
      assert.match(await text("#outcome"), /TS-1024/);
      const first = await waitFor(driver, "#inbox .sms-code");
      assert.match(await first.getText(), /^\d{6}$/);
      const [delivered] = await inboxOf(sandbox(), wire(mobiles[0]));
      assert.equal(await first.getText(), delivered?.code, "the phone shows the code the sandbox delivered");

      // 2. The edge handler (no key in the page), another number, and the code step.
      await $('input[name="target"][value="edge"]').click();
      assert.equal(await $('input[name="target"][value="edge"]').isSelected(), true);
      await fill("#mobile", mobiles[1]);
      await $("#send").click();
      // The outcome of this send (the first one's "ok" is still there until it lands).
      const state = await waitInPage(
        driver,
        `const o = document.querySelector("#outcome");
         const mine = o.querySelector("pre")?.textContent.includes("/api/otp/send");
         return (o.dataset.state === "error" || (o.dataset.state === "ok" && mine)) && o.dataset.state;`,
        { message: "the edge send settles" },
      );
      assert.equal(state, "ok", await text("#outcome"));
      assert.match(await text("#outcome pre"), /^POST http:\/\/127\.0\.0\.1:\d+\/api\/otp\/send\n/);
      const step = await $("#verify-step");
      await driver.wait(() => step.isDisplayed(), 20_000, "the code step shows");
      const sms = await driver.wait(async () => (await inboxOf(sandbox(), wire(mobiles[1])))[0], 20_000);
      const code = await waitInPage(
        driver,
        "const c = document.querySelector('#inbox .sms-code')?.textContent; return c === arguments[0] && c;",
        { args: [sms.code], message: "the phone shows the code sent to the second number" },
      );
      await fill("#code", code);
      await $("#verify").click();
      await settles("#verify-result", ["verified", "error"], "verified");
      assert.match(await text("#verify-result"), /Verified \+90 532 444 \d\d 02/);
      assert.deepEqual(await driver.executeScript("return window.problems"), []);
    });
  });
}
