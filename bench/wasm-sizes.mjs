// Where the bytes of a .wasm go: each function body's size under its name (from the "name"
// section of a build that keeps names), grouped by crate, plus data and the other sections.
// make bench runs it on a build made like the package's but with names kept (wasm-opt -g).

/** The groups, first match wins; the names are Rust's demangled paths and wasm-bindgen's shims. */
const GROUPS = [
  [
    "our rules (src/: options, base_url, mobile, message, request, envelope, retry, error, text)",
    /^(<)?turkeysms_otp::(options|base_url|mobile|message|request|envelope|retry|error|text|input)\b/,
  ],
  [
    "our bindings and transport (src/bindings.rs, src/transport.rs): the send future, and the exports, into which wasm-opt inlines what they call (serde-wasm-bindgen's serializer too)",
    /turkeysms_otp::(bindings|transport)\b|^(sendOtp|sendCustomOtp|normalizeMobile|validateOptions|estimateSegments|__diagnostics)\b/,
  ],
  ["serde and serde-wasm-bindgen", /serde/],
  ["gloo-net", /gloo_net|gloo_utils/],
  ["futures executor (wasm-bindgen-futures in js-sys)", /js_sys::futures|wasm_bindgen_futures/],
  ["core::fmt and panics", /core(\[\w+\])?::fmt|panic|Debug|Display|slice_error_fail|unwrap_failed|expect_failed/],
  ["talc (allocator)", /^(<)?talc::|__rust_alloc|__rust_dealloc|__rust_realloc|__rdl_/],
  ["wasm-bindgen, js-sys, web-sys glue code", /wasm_bindgen|js_sys|web_sys|externref|__wbindgen|__wbg|closures|shim/],
  [
    "std, alloc, core (collections, strings, iterators)",
    /^(<)?(std|alloc|core|hashbrown)(\[\w+\])?::|^<(std|alloc|core|char|str|&str|\[u8\]|T as alloc|A as core)\b|memcpy|memset|memmove|memcmp/,
  ],
];

/** A LEB128 number at `at`: [value, where the next field starts]. Shared with scripts/shrink.mjs. */
export function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function readName(bytes, at) {
  const [length, start] = leb(bytes, at);
  return [new TextDecoder().decode(bytes.subarray(start, start + length)), start + length];
}

/** { total, groups: [{ group, bytes }] } for a .wasm with a name section (custom sections not counted). */
export function wasmSizes(bytes) {
  const sections = [];
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    sections.push({ id, start, end: start + size, headerStart: at });
    at = start + size;
  }
  let importedFunctions = 0;
  const imports = sections.find((s) => s.id === 2);
  if (imports) {
    let [count, at] = leb(bytes, imports.start);
    for (; count > 0; count--) {
      [, at] = readName(bytes, at);
      [, at] = readName(bytes, at);
      const kind = bytes[at++];
      if (kind === 0) {
        [, at] = leb(bytes, at); // type index
        importedFunctions++;
      } else if (kind === 1)
        at = skipLimits(bytes, at + 1); // reference type, limits
      else if (kind === 2) at = skipLimits(bytes, at);
      else if (kind === 3)
        at += 2; // value type, mutability
      else throw new Error(`import kind ${kind}`);
    }
  }
  const names = new Map();
  for (const s of sections.filter((s) => s.id === 0)) {
    const [name, at] = readName(bytes, s.start);
    if (name !== "name") continue;
    for (let sub = at; sub < s.end; ) {
      const kind = bytes[sub];
      const [size, start] = leb(bytes, sub + 1);
      if (kind === 1) {
        let [count, p] = leb(bytes, start);
        for (; count > 0; count--) {
          let index, fn;
          [index, p] = leb(bytes, p);
          [fn, p] = readName(bytes, p);
          names.set(index, fn);
        }
      }
      sub = start + size;
    }
  }
  const totals = new Map();
  const add = (group, n) => totals.set(group, (totals.get(group) ?? 0) + n);
  for (const s of sections) {
    const whole = s.end - s.headerStart;
    if (s.id === 10) {
      let [count, at] = leb(bytes, s.start);
      let counted = at - s.headerStart;
      for (let i = 0; i < count; i++) {
        const [size, body] = leb(bytes, at);
        const name = names.get(importedFunctions + i) ?? "";
        const group =
          GROUPS.find(([, pattern]) => pattern.test(name))?.[0] ??
          "other code (functions binaryen made or left unnamed)";
        add(group, body + size - at);
        counted += body + size - at;
        at = body + size;
      }
      add("types, table, exports and other sections", whole - counted); // the code section's own header
    } else if (s.id === 11) add("data: messages and other constants", whole);
    else if (s.id === 2) add("imports: the names of the JavaScript functions the wasm calls", whole);
    else if (s.id !== 0) add("types, table, exports and other sections", whole);
  }
  const groups = [...totals].map(([group, n]) => ({ group, bytes: n })).sort((a, b) => b.bytes - a.bytes);
  return { total: groups.reduce((n, g) => n + g.bytes, 0), groups };
}

/** Table and memory limits: a flag byte, then one or two LEB numbers. */
export function skipLimits(bytes, at) {
  const flags = bytes[at++];
  [, at] = leb(bytes, at);
  if (flags & 1) [, at] = leb(bytes, at);
  return at;
}
