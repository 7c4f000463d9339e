// Send an OTP from Deno (in your project: `deno add npm:turkeysms-otp`):
//   TURKEYSMS_API_KEY=... deno run --allow-env --allow-net=api.turkeysms.com.tr send-otp.ts 05321234567
// Against the sandbox: TURKEYSMS_BASE_URL=http://127.0.0.1:8910 and --allow-net=127.0.0.1
import { type OtpError, sendCustomOtp } from "turkeysms-otp";

try {
  const result = await sendCustomOtp({
    apiKey: Deno.env.get("TURKEYSMS_API_KEY"),
    baseUrl: Deno.env.get("TURKEYSMS_BASE_URL"),
    mobile: Deno.args[0],
    title: "MyApp",
    text: "MyApp code: TS-CODE",
    digits: 6,
  });
  console.log(`sent to ${result.mobile}: ${result.code} (sms_id ${result.smsId})`);
} catch (e) {
  const error = e as OtpError;
  console.error(`not sent: ${error.code}: ${error.message}`);
  Deno.exitCode = 1;
}
