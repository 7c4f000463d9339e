// countryOf: the calling code of a normalized number, by the ITU plan's 1-, 2- and 3-digit codes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { countryOf } from "./country.js";

test("the calling code of numbers of a handful of countries", () => {
  const cases = {
    905321234567: "90", // Turkey
    12025550123: "1", // the United States (NANP)
    14165550123: "1", // Canada (NANP)
    447911123456: "44", // the United Kingdom
    4915112345678: "49", // Germany
    79161234567: "7", // Russia
    77011234567: "7", // Kazakhstan
    380501234567: "380", // Ukraine
    971501234567: "971", // the United Arab Emirates
    8801712345678: "880", // Bangladesh
    201001234567: "20", // Egypt
    355691234567: "355", // Albania
    966501234567: "966", // Saudi Arabia
  };
  for (const [number, code] of Object.entries(cases)) assert.equal(countryOf(number), code, number);
});

test("a prefix gives the same code as its number", () => {
  assert.equal(countryOf("90532123"), "90");
  assert.equal(countryOf("38050123"), "380");
  assert.equal(countryOf("1202"), "1");
});
