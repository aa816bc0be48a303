/** How the browser tests and the live-lecture bench start Chromium (chromium.mjs). */
export declare const CHROMIUM_LAUNCH: { executablePath: string; args: string[] };
