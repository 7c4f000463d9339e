// POST /otp/send { mobile, lang?, digits? } with no key: the Worker adds the key from its
// secret and answers with TurkeySMS's own envelope, so a page can simply call
//   sendOtp({ baseUrl: "https://<your-worker>", mobile })
import { sendOtp } from "turkeysms-otp";

export default {
  async fetch(request, env) {
    const origin = request.headers.get("Origin");
    const allowed = (env.ALLOWED_ORIGINS ?? "").split(",").map((o) => o.trim());
    const cors = origin && allowed.includes(origin) ? { "Access-Control-Allow-Origin": origin, Vary: "Origin" } : {};
    const url = new URL(request.url);
    if (request.method === "OPTIONS") {
      return new Response(null, { status: 204, headers: { ...cors, "Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": "Content-Type, Accept" } });
    }
    if (request.method !== "POST" || url.pathname !== "/otp/send") {
      return Response.json({ result: false, result_code: "NOT_FOUND", result_message: "POST /otp/send" }, { status: 404, headers: cors });
    }
    const body = await request.json().catch(() => null);
    try {
      const result = await sendOtp({
        apiKey: env.TURKEYSMS_API_KEY,
        baseUrl: env.TURKEYSMS_BASE_URL || undefined,
        mobile: body?.mobile,
        lang: body?.lang,
        digits: body?.digits,
      });
      return Response.json(result.raw, { headers: cors });
    } catch (error) {
      // Validation problems are the caller's (400); anything else is upstream's (its status, or 502).
      const status = error.field ? 400 : error.status ?? 502;
      return Response.json({ result: false, result_code: error.code, result_message: error.message }, { status, headers: cors });
    }
  },
};
