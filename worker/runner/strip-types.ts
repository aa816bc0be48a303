/**
 * TypeScript → JavaScript by erasing types (no type checking), the same
 * contract as Node's `--experimental-strip-types`. Sucrase is pure JS, so it
 * runs in a Worker without compiling wasm at run time.
 */
import { transform } from "sucrase";

export type StripResult = { ok: true; code: string } | { ok: false; error: string };

export function stripTypes(source: string): StripResult {
  try {
    const { code } = transform(source, { transforms: ["typescript"], disableESTransforms: true, keepUnusedImports: true });
    return { ok: true, code };
  } catch (e) {
    return { ok: false, error: `TypeScript syntax error: ${e instanceof Error ? e.message : String(e)}` };
  }
}
