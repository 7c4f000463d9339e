// Send an OTP from Node:
//   TURKEYSMS_API_KEY=... node send-otp.mjs 05321234567
// Try it without an account against the sandbox (npx turkeysms-sandbox):
//   TURKEYSMS_API_KEY=any TURKEYSMS_BASE_URL=http://127.0.0.1:8910 node send-otp.mjs 05321234567
import { sendOtp } from "turkeysms-otp";

const mobile = process.argv[2];
try {
  const result = await sendOtp({
    apiKey: process.env.TURKEYSMS_API_KEY,
    baseUrl: process.env.TURKEYSMS_BASE_URL, // undefined: TurkeySMS itself
    mobile,
    lang: "tr",
  });
  console.log(`sent to ${result.mobile}: ${result.code} (sms_id ${result.smsId})`);
} catch (error) {
  console.error(`not sent: ${error.code}: ${error.message}`);
  process.exitCode = 1;
}
