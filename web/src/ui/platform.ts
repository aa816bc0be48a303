/**
 * Whether this keyboard's command key is Cmd (macOS, iOS, iPadOS) rather than
 * Ctrl, as CodeMirror's "Mod" keys decide it: the shortcut list must name the
 * key that actually works. userAgentData is the newer source; navigator.platform
 * is deprecated but still the only one in Safari and Firefox.
 */
interface Hinted {
  userAgentData?: { platform?: string };
}

export function commandIsCmd(nav: Navigator & Hinted = navigator): boolean {
  const platform = nav.userAgentData?.platform || nav.platform || nav.userAgent;
  return /mac|iphone|ipad|ipod/i.test(platform);
}

/** The name of the key written Ctrl/Cmd in the app's text, for this platform. */
export const commandKey = (): "Cmd" | "Ctrl" => (commandIsCmd() ? "Cmd" : "Ctrl");
