/** Deterministic bytes, different in every position, so a misplaced or repeated part shows. */
export function patternBytes(size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + (i >> 12)) & 255;
  return out;
}
